using System.Security.Claims;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Cases.Queries;

/// <summary>A GeoJSON FeatureCollection (RFC 7946) of case positions, WGS-84 lon/lat, for the console's clustered map.</summary>
public sealed record CasePointCollection(string Type, IReadOnlyList<CasePointFeature> Features);

public sealed record CasePointFeature(string Type, PointGeometry Geometry, CasePointProperties Properties);

/// <summary>Only what a map needs to colour and open a point: no titles, no people.</summary>
/// <param name="Open">Not yet final (closed, rejected or merged cases are not open).</param>
public sealed record CasePointProperties(string Number, string GridCode, CaseTier Tier, bool Open);

/// <summary>How many cases of the selection lie in one grid (the finest grid each case is routed to).</summary>
/// <param name="Open">Not yet final: neither closed, rejected nor merged.</param>
public sealed record GridCaseCount(string GridCode, int Total, int Open);

/// <summary>
/// Every case of the list's selection as a map point, in one answer: the list's filters and the caller's scope (the
/// context's filter) apply, paging does not. At most <see cref="CaseQueryOptions.ExportMaxRows"/> points, like the export.
/// </summary>
public static class CasePointsApi
{
    public const string TooManyPointsType = "/problems/too-many-points";

    /// <param name="bbox">Optional minLon,minLat,maxLon,maxLat in WGS-84 degrees: only cases inside it.</param>
    public static async Task<Results<Ok<CasePointCollection>, ProblemHttpResult>> ListPoints(CaseQuery query, string? bbox,
        ClaimsPrincipal principal, CivicGridDbContext db, IOptions<CaseQueryOptions> options, TimeProvider time, CancellationToken ct)
    {
        var box = string.IsNullOrWhiteSpace(bbox) ? null : GeoApi.ParseBoundingBox(bbox);
        if (!string.IsNullOrWhiteSpace(bbox) && box is null)
        {
            return Problems.Validation("bbox", "请给出 bbox“最小经度,最小纬度,最大经度,最大纬度”（WGS-84，度）。");
        }

        var (filter, caller, problem) = await CaseFilter.PrepareAsync(query, principal, db, ct);
        if (problem is not null || filter is null || caller is null)
        {
            return problem!;
        }

        var selected = filter.Apply(db.Cases.AsNoTracking(), caller, time.GetUtcNow());
        var limit = options.Value.ExportMaxRows;
        // Positions are geometry on both providers; the box is tested in process, as the buildings' exact test is.
        var rows = await selected.OrderBy(c => c.Number).Select(c => new { c.Number, c.GridCode, c.Tier, c.Status, c.Location })
            .Take(limit + 1).ToListAsync(ct);
        var inside = box is null ? rows : rows.Where(r => box.Contains(r.Location.Coordinate)).ToList();
        if (rows.Count > limit)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, TooManyPointsType, "The selection holds too many cases for the map.",
                $"符合条件的案件超过地图一次可显示的上限 {limit} 件。请缩小时间范围或增加筛选条件。",
                new Dictionary<string, object?> { ["limit"] = limit });
        }

        var features = inside.Select(r => new CasePointFeature("Feature",
            new PointGeometry("Point", [Math.Round(r.Location.X, 6), Math.Round(r.Location.Y, 6)]),
            new CasePointProperties(r.Number, r.GridCode, r.Tier, !r.Status.IsFinal()))).ToList();
        return TypedResults.Ok(new CasePointCollection("FeatureCollection", features));
    }

    /// <summary>
    /// The selection counted per grid, for colouring grids on the map: a page that lets MapLibre's worker load the points
    /// themselves still knows how many there are and where the open ones are, without parsing them on its main thread.
    /// </summary>
    public static async Task<Results<Ok<List<GridCaseCount>>, ProblemHttpResult>> CountByGrid(CaseQuery query,
        ClaimsPrincipal principal, CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        var (filter, caller, problem) = await CaseFilter.PrepareAsync(query, principal, db, ct);
        if (problem is not null || filter is null || caller is null)
        {
            return problem!;
        }

        // The map's own question (no filter) of a caller who sees a whole subtree: from the roll-ups, not a count of millions of cases.
        if (filter.SelectsEverything && !caller.IsResident && !caller.Actor.Scope.OwnCasesOnly)
        {
            return TypedResults.Ok(await Dashboard.GridCaseTotals.ReadAsync(db, caller.Actor.Scope.Code, ct));
        }

        var counts = await filter.Apply(db.Cases.AsNoTracking(), caller, time.GetUtcNow())
            .GroupBy(c => c.GridCode)
            .Select(g => new GridCaseCount(g.Key, g.Count(),
                g.Count(c => c.Status != CaseStatus.Closed && c.Status != CaseStatus.Rejected && c.Status != CaseStatus.Merged)))
            .ToListAsync(ct);
        return TypedResults.Ok(counts.OrderBy(c => c.GridCode, StringComparer.Ordinal).ToList());
    }
}
