using CivicGrid.Server.Features.Audit;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Geography.Topology;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Spatial.CoordinateSystems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.GridImport;

/// <summary>Import of grid files and validation of the stored grids (科学划网).</summary>
public static class GridImportApi
{
    public static IEndpointRouteBuilder MapGridImportApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/grids/import", Import).WithTags("Grids").WithName("ImportGrids").WithSecurityEvent(SecurityEventKind.Imported, "import", "导入网格文件")
            .RequireAuthorization(Policies.SystemAdmin)
            .DisableAntiforgery() // API clients send bearer tokens; the session cookie is SameSite=Strict.
            .WithSummary("Import grids, compounds and buildings from a GeoJSON FeatureCollection or a zipped Shapefile, sent as the body or as a multipart file (system admin). One transaction: a file with any error changes nothing and gets a report of every problem.");
        routes.MapGet("/api/grids/validation", Validate).WithTags("Grids").WithName("ValidateGrids")
            .RequireAuthorization(Policies.Staff)
            .WithSummary("Topology check of the current grids in the caller's scope: invalid rings, overlaps, gaps, children outside parents, codes. format=json (default), geojson or text.");
        return routes;
    }

    /// <param name="crs">The coordinate system of the file: wgs84 (default), cgcs2000, gcj02 or bd09.</param>
    /// <param name="dryRun">Check and report only; change nothing.</param>
    public static async Task<Results<Ok<ImportReport>, UnprocessableEntity<ImportReport>, ProblemHttpResult>> Import(
        HttpRequest request, string? crs, bool? dryRun, GridImporter importer, CancellationToken ct)
    {
        var system = CoordinateSystem.Wgs84;
        if (!string.IsNullOrWhiteSpace(crs) && !CoordinateSystemNames.TryParse(crs, out system))
        {
            return Problems.Validation("crs", $"未知的坐标系“{crs}”，可用：{string.Join("、", CoordinateSystemNames.ApiNames)}。");
        }

        Stream content;
        var fileName = "请求正文";
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            var file = form.Files.Count > 0 ? form.Files[0] : null;
            if (file is null)
            {
                return Problems.Validation("file", "请选择要导入的文件（GeoJSON 或压缩的 Shapefile）。");
            }

            content = file.OpenReadStream();
            fileName = $"“{Path.GetFileName(file.FileName)}”";
        }
        else
        {
            content = request.Body;
        }

        IReadOnlyList<ImportFeature> features;
        try
        {
            await using (content)
            {
                features = await ImportFileReader.ReadAsync(content, ct);
            }
        }
        catch (ImportFileException e)
        {
            return Problems.Validation("file", e.MessageZh);
        }

        var report = await importer.ImportAsync(features, system, dryRun ?? false, ct);
        SecurityEventFilter.Note(request.HttpContext, !report.Accepted
            ? $"文件{fileName}有 {report.Problems.Count} 个问题，未作任何改动"
            : $"文件{fileName}{(report.DryRun ? "检查通过（仅检查，未导入）" : "已导入")}：网格新建 {report.GridsCreated}、重绘 {report.GridsRedrawn}、未变 {report.GridsUnchanged}，院落新建 {report.CompoundsCreated}，楼栋新建 {report.BuildingsCreated}");
        return report.Accepted ? TypedResults.Ok(report) : TypedResults.UnprocessableEntity(report);
    }

    /// <param name="format">json (default), geojson (problem places for the map) or text.</param>
    /// <param name="language">zh (default) or en, for the text format.</param>
    public static async Task<Results<Ok<TopologyReportJson>, ContentHttpResult, ProblemHttpResult>> Validate(
        string? format, string? language, CivicGridDbContext db, CancellationToken ct)
    {
        var report = await ValidateStoredAsync(db, ct);
        return (format?.Trim().ToLowerInvariant()) switch
        {
            null or "" or "json" => TypedResults.Ok(report.ToJsonModel()),
            "geojson" => TypedResults.Content(report.ToGeoJson(), "application/geo+json"),
            "text" => TypedResults.Text(report.ToText(language is "en" ? "en" : "zh"), "text/plain; charset=utf-8"),
            _ => Problems.Validation("format", "format 应为 json、geojson 或 text。"),
        };
    }

    /// <summary>
    /// Validates the current grids the context can see. A scoped caller sees a subtree whose root's
    /// parent lies outside it: that missing parent is not a problem of the data.
    /// </summary>
    public static async Task<TopologyReport> ValidateStoredAsync(CivicGridDbContext db, CancellationToken ct)
    {
        var grids = await db.Grids.AsNoTracking().ToListAsync(ct);
        var report = new GridTopologyValidator().Validate([.. grids.Select((g, i) => new GridShape(i, g.Code, g.Name, g.Level, g.Kind, g.ParentCode, g.Boundary))]);
        var scoped = !db.Scope.IsWholeSystem;
        return new TopologyReport([.. report.Problems.Where(p => !(scoped && p.Kind == TopologyProblemKind.MissingParent))
            .Select(p => p with { FeatureIndex = null })]);
    }
}
