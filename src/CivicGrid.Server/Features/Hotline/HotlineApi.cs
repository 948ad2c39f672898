using CivicGrid.Server.Features.Audit;
using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Hotline;

/// <summary>A column mapping as the API shows and takes it; see <see cref="HotlineMapping"/>.</summary>
public sealed record HotlineMappingBody(string? Name, string? OrderNumberColumn, string? CalledAtColumn, string? CallerNameColumn, string? PhoneColumn,
    string? AddressColumn, string? ContentColumn, string? CategoryColumn, Dictionary<string, string>? Categories, string? DefaultCategoryCode,
    DateTimeOffset? UpdatedAt)
{
    public static HotlineMappingBody Of(HotlineMapping m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(m.Name, m.OrderNumberColumn, m.CalledAtColumn, m.CallerNameColumn, m.PhoneColumn, m.AddressColumn, m.ContentColumn, m.CategoryColumn,
            m.Categories, m.DefaultCategoryCode, m.UpdatedAt);
    }

    public void ApplyTo(HotlineMapping m)
    {
        ArgumentNullException.ThrowIfNull(m);
        m.OrderNumberColumn = OrderNumberColumn!.Trim();
        m.CalledAtColumn = CalledAtColumn!.Trim();
        m.CallerNameColumn = CallerNameColumn!.Trim();
        m.PhoneColumn = PhoneColumn!.Trim();
        m.AddressColumn = AddressColumn!.Trim();
        m.ContentColumn = ContentColumn!.Trim();
        m.CategoryColumn = CategoryColumn!.Trim();
        m.Categories = new Dictionary<string, string>(Categories ?? [], StringComparer.Ordinal);
        m.DefaultCategoryCode = string.IsNullOrWhiteSpace(DefaultCategoryCode) ? null : DefaultCategoryCode.Trim();
    }
}

/// <summary>12345 hotline work orders in and out (<c>docs/adr/0013-hotline-and-district.md</c>).</summary>
public static class HotlineApi
{
    public const string RowsType = "/problems/hotline-rows";
    public const string FileType = "/problems/hotline-file";
    private const long MaxFileBytes = 20 * 1024 * 1024;

    public static IEndpointRouteBuilder MapHotlineApi(this IEndpointRouteBuilder routes)
    {
        var hotline = routes.MapGroup("/api/hotline").WithTags("Hotline").RequireAuthorization(Policies.Staff);
        // Orders are cases with the caller's name and phone: no administrator imports or exports them; the column mappings
        // are configuration, the system admin's.
        hotline.MapPost("/imports", Import).WithName("ImportHotlineOrders").RequireAuthorization(Policies.CaseContent).WithSecurityEvent(SecurityEventKind.Imported, "import", "导入12345工单").DisableAntiforgery()
            .WithSummary("Import a 12345 work-order file (multipart `file`, .xlsx or CSV in UTF-8/GB18030) by a stored column mapping; all or nothing unless partial=true.");
        hotline.MapGet("/mappings", ListMappings).WithName("ListHotlineMappings").WithSummary("The stored column mappings for hotline files.");
        hotline.MapPut("/mappings/{name}", SaveMapping).WithName("SaveHotlineMapping").WithSecurityEvent(SecurityEventKind.ConfigurationChanged, "configuration", "修改12345字段映射").RequireAuthorization(Policies.SystemAdmin)
            .WithSummary("Create or replace a named column mapping (system admin): the header of each field and the hotline category → subcategory table.");
        hotline.MapGet("/export.xlsx", HotlineExport.Excel).WithName("ExportHotlineOrdersExcel").RequireAuthorization(Policies.CaseContent).WithSecurityEvent(SecurityEventKind.Exported, "export", "导出12345工单")
            .WithSummary("Status and replies of imported 12345 orders in the caller's scope, in the hotline's columns, as Excel; from/to are Beijing dates.");
        hotline.MapGet("/export.csv", HotlineExport.Csv).WithName("ExportHotlineOrdersCsv").RequireAuthorization(Policies.CaseContent).WithSecurityEvent(SecurityEventKind.Exported, "export", "导出12345工单")
            .WithSummary("The same as CSV: UTF-8 with BOM, or GB18030 with encoding=gb18030 (older hotline software on Windows).");
        return routes;
    }

    public static async Task<Ok<List<HotlineMappingBody>>> ListMappings(CivicGridDbContext db, CancellationToken ct) =>
        TypedResults.Ok((await db.HotlineMappings.AsNoTracking().OrderBy(m => m.Name).ToListAsync(ct)).Select(HotlineMappingBody.Of).ToList());

    /// <summary>Every column must be named (at most 64 characters); every subcategory must exist in the catalogue.</summary>
    public static async Task<Results<Ok<HotlineMappingBody>, ProblemHttpResult>> SaveMapping(string name, HotlineMappingBody body, CivicGridDbContext db,
        Catalogue.CategoryCache categories, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64)
        {
            errors["name"] = ["对照表名称不能为空，且不超过 64 个字符。"];
        }

        var columns = new[] { body.OrderNumberColumn, body.CalledAtColumn, body.CallerNameColumn, body.PhoneColumn, body.AddressColumn, body.ContentColumn,
            body.CategoryColumn };
        if (columns.Any(c => string.IsNullOrWhiteSpace(c) || c.Length > 64))
        {
            errors["columns"] = ["每个字段都要填写对应的列名（不超过 64 个字符）。"];
        }

        var codes = (body.Categories ?? []).Values.Append(body.DefaultCategoryCode).OfType<string>().Distinct().ToList();
        var unknown = new List<string>();
        foreach (var code in codes)
        {
            if (await categories.FindAsync(code, ct) is not { IsActive: true })
            {
                unknown.Add(code);
            }
        }

        if (unknown.Count > 0)
        {
            errors["categories"] = [$"没有这些事件小类：{string.Join("、", unknown)}。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var mapping = await db.HotlineMappings.SingleOrDefaultAsync(m => m.Name == name, ct);
        if (mapping is null)
        {
            mapping = new HotlineMapping { Name = name.Trim() };
            db.HotlineMappings.Add(mapping);
        }

        body.ApplyTo(mapping);
        mapping.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(HotlineMappingBody.Of(mapping));
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
