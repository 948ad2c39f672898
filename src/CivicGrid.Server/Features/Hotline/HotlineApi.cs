using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Hotline;

/// <summary>12345 hotline work orders in and out (<c>docs/adr/0013-hotline-and-district.md</c>).</summary>
public static class HotlineApi
{
    public const string RowsType = "/problems/hotline-rows";
    public const string FileType = "/problems/hotline-file";
    private const long MaxFileBytes = 20 * 1024 * 1024;

    public static IEndpointRouteBuilder MapHotlineApi(this IEndpointRouteBuilder routes)
    {
        var hotline = routes.MapGroup("/api/hotline").WithTags("Hotline").RequireAuthorization(Policies.Staff);
        hotline.MapPost("/imports", Import).WithName("ImportHotlineOrders").DisableAntiforgery()
            .WithSummary("Import a 12345 work-order file (multipart `file`, .xlsx or CSV in UTF-8/GB18030) by a stored column mapping; all or nothing unless partial=true.");
        hotline.MapGet("/export.xlsx", HotlineExport.Excel).WithName("ExportHotlineOrdersExcel")
            .WithSummary("Status and replies of imported 12345 orders in the caller's scope, in the hotline's columns, as Excel; from/to are Beijing dates.");
        hotline.MapGet("/export.csv", HotlineExport.Csv).WithName("ExportHotlineOrdersCsv")
            .WithSummary("The same as CSV (UTF-8 with BOM).");
        return routes;
    }

    /// <summary>
    /// Subdistrict operations centre or system admin. 400 when the file cannot be read or lacks a mapped column; 422
    /// with every bad row when a row is bad and <paramref name="partial"/> is false (nothing stored); else 200 with the
    /// outcome of every row (bad rows listed, good rows stored).
    /// </summary>
    public static async Task<Results<Ok<HotlineImportReport>, ProblemHttpResult>> Import(IFormFile? file, string? mapping, bool? partial,
        ClaimsPrincipal caller, HotlineImporter importer, CivicGridDbContext db, CancellationToken ct)
    {
        if (!caller.GetRoles().Any(r => r is Role.SubdistrictOperator or Role.SystemAdmin))
        {
            return Problems.Forbidden("只有街道城运中心或系统管理员可以导入 12345 工单。");
        }

        if (file is null || file.Length == 0)
        {
            return Problems.Validation("file", "请上传 12345 工单文件（.xlsx 或 .csv）。");
        }

        if (file.Length > MaxFileBytes)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "/problems/too-large", "The file is too large.", "文件过大（上限 20 MB）。");
        }

        var name = string.IsNullOrWhiteSpace(mapping) ? HotlineMapping.DefaultName : mapping.Trim();
        var columns = await db.HotlineMappings.AsNoTracking().SingleOrDefaultAsync(m => m.Name == name, ct);
        if (columns is null)
        {
            return Problems.Validation("mapping", $"没有名为“{name}”的字段对照表。");
        }

        List<HotlineRow> rows;
        try
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            rows = HotlineSheet.Read(buffer.ToArray(), file.FileName);
        }
        catch (HotlineFileException e)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, FileType, "The file cannot be read.", e.ChineseMessage);
        }

        var required = new[] { columns.OrderNumberColumn, columns.AddressColumn, columns.ContentColumn, columns.CategoryColumn };
        var present = rows.SelectMany(r => r.Cells.Keys).ToHashSet(StringComparer.Ordinal);
        var missing = required.Where(c => !present.Contains(c)).ToList();
        if (rows.Count == 0 || missing.Count > 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, FileType, "The file lacks mapped columns.",
                rows.Count == 0 ? "文件中没有工单。" : $"文件缺少对照表“{name}”要求的列：{string.Join("、", missing)}。",
                new Dictionary<string, object?> { ["missingColumns"] = missing });
        }

        var report = await importer.ImportAsync(rows, columns, partial ?? false, caller.GetUserId()!.Value, db, ct);
        if (!report.Stored && report.Errors.Count > 0 && partial != true)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, RowsType, "Some rows are invalid; nothing was imported.",
                $"{report.Failed} 行工单有误，未导入任何工单。请修改后重新导入，或选择只导入正确的行。",
                new Dictionary<string, object?> { ["report"] = report });
        }

        return TypedResults.Ok(report);
    }
}
