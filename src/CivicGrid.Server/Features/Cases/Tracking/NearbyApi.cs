using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Cases.Duplicates;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Spatial;
using CivicGrid.Spatial.CoordinateSystems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Cases.Tracking;

/// <summary>One recent report near a place, as anyone may see it (no number, words, photos or people).</summary>
/// <param name="Status">Where it stands, in plain Chinese (已上报, 处置中, 已办结…).</param>
/// <param name="Resolved">The problem was handled (handled, verified, evaluated or closed).</param>
/// <param name="ResolvedAt">When the result was recorded (or the case closed), when resolved.</param>
/// <param name="Lon">WGS-84 longitude rounded to <see cref="NearbyApi.CoarseDegrees"/> (about 100 m), never the exact point.</param>
/// <param name="Lat">WGS-84 latitude rounded likewise.</param>
/// <param name="DistanceMeters">From the place asked about, as the upper bound of its band (50, 100, 200, 500 m, 1 km…; DuplicateDisclosure).</param>
public sealed record NearbyReport(string CategoryName, string MajorName, string Status, bool Resolved, DateTimeOffset ReportedAt,
    DateTimeOffset? ResolvedAt, double Lon, double Lat, int DistanceMeters);

/// <summary>A page of recent reports near a place, newest first.</summary>
public sealed record NearbyReports(double RadiusMeters, int Days, int Total, int Page, int PageSize, IReadOnlyList<NearbyReport> Items);

/// <summary>
/// 附近的问题 (FixMyStreet's "reports near you"): recent reports around a place, anonymous and rate-limited like the locator.
/// Public facts only (docs/adr/0038-resident-actions-and-public-map.md): category, status, dates, a coarsened position and a
/// banded distance; never the number, the description, a photo, a name, or any case of a sensitive category (elder care,
/// disputes, suspicious persons…); rejected, merged and withdrawn reports are not problems and are left out.
/// </summary>
public static class NearbyApi
{
    /// <summary>Positions are rounded to this many degrees (about 110 m of latitude, 90 m of longitude here).</summary>
    public const double CoarseDegrees = 0.001;

    public const int MaxPageSize = 50;

    /// <summary>The most rows one request reads before the sensitive categories and the exact distance are applied.</summary>
    public const int MaxRowsRead = 2_000;

    public static IEndpointRouteBuilder MapNearbyApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/public/nearby", Nearby).WithTags("Cases").AllowAnonymous().RequireRateLimiting(RoutingApi.LocateRateLimit)
            .WithName("ListNearbyReports")
            .WithSummary("Recent reports near a place, for anyone: category, status, dates, a coarsened position and a banded distance; no sensitive category.");
        return routes;
    }

    /// <param name="lon">Longitude in degrees, in the system named by crs.</param>
    /// <param name="lat">Latitude in degrees, in the system named by crs.</param>
    /// <param name="crs">wgs84, cgcs2000, gcj02 or bd09.</param>
    /// <param name="radius">Metres around the place, 100 to 2000 (default 1000).</param>
    /// <param name="days">Reported in the last this many days, 1 to 90 (default 30).</param>
    public static async Task<Results<Ok<NearbyReports>, ProblemHttpResult>> Nearby([ApiType(typeof(double))] string? lon,
        [ApiType(typeof(double))] string? lat, [ApiValues(typeof(CoordinateSystemNames), nameof(CoordinateSystemNames.ApiNames))] string? crs,
        [ApiType(typeof(double))] string? radius, [ApiType(typeof(int))] string? days, [ApiType(typeof(int))] string? page,
        [ApiType(typeof(int))] string? pageSize, CivicGridDbContext db, Catalogue.CategoryCache categories, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var longitude = RoutingApi.ParseNumber(lon, "lon", "经度", -180, 180, required: true, errors);
        var latitude = RoutingApi.ParseNumber(lat, "lat", "纬度", -90, 90, required: true, errors);
        var within = RoutingApi.ParseNumber(radius, "radius", "范围（米）", 100, 2_000, required: false, errors) ?? 1_000;
        var period = QueryValues.Int(days, "days", 1, 90, "天数 days 应为 1 到 90 的整数。", errors) ?? 30;
        var pageNumber = QueryValues.Int(page, "page", 1, 10_000, "页码 page 应为 1 到 10000 的整数。", errors) ?? 1;
        var size = QueryValues.Int(pageSize, "pageSize", 1, MaxPageSize, $"每页条数 pageSize 应为 1 到 {MaxPageSize} 的整数。", errors) ?? 20;
        CoordinateSystem system = default;
        if (string.IsNullOrWhiteSpace(crs))
        {
            errors["crs"] = [$"请注明坐标系 crs：{string.Join("、", CoordinateSystemNames.ApiNames)}。微信与国内地图一般为 gcj02，GPS 为 wgs84。"];
        }
        else if (!CoordinateSystemNames.TryParse(crs, out system))
        {
            errors["crs"] = [$"未知的坐标系“{crs}”，可用：{string.Join("、", CoordinateSystemNames.ApiNames)}。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var (x, y) = ChinaCoordinates.ToWgs84(longitude!.Value, latitude!.Value, system);
        var catalogue = await categories.GetAllAsync(ct);
        var sensitive = catalogue.Values.Where(c => c.IsSensitive).Select(c => c.Code).ToList();
        var since = time.GetUtcNow() - TimeSpan.FromDays(period);
        var box = DuplicateFinder.BoxAround(x, y, within);

        // Anyone may ask, across every scope: the query filter is bypassed on purpose and only public facts leave.
        var rows = await db.Cases.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.ReportedAt >= since
                && c.Status != CaseStatus.Rejected && c.Status != CaseStatus.Merged && c.Status != CaseStatus.Withdrawn
                && !sensitive.Contains(c.CategoryCode)
                && EF.Property<double?>(c, CaseLocationColumns.Lon) >= box.MinLon && EF.Property<double?>(c, CaseLocationColumns.Lon) <= box.MaxLon
                && EF.Property<double?>(c, CaseLocationColumns.Lat) >= box.MinLat && EF.Property<double?>(c, CaseLocationColumns.Lat) <= box.MaxLat)
            .OrderByDescending(c => c.ReportedAt).Take(MaxRowsRead)
            .Select(c => new
            {
                c.CategoryCode, c.Status, c.ReportedAt, c.HandledAt, c.ClosedAt,
                Lon = EF.Property<double?>(c, CaseLocationColumns.Lon), Lat = EF.Property<double?>(c, CaseLocationColumns.Lat),
            })
            .ToListAsync(ct);
        var near = rows
            .Select(r => (Row: r, Distance: Geodesy.DistanceMeters(x, y, r.Lon!.Value, r.Lat!.Value)))
            .Where(r => r.Distance <= within && catalogue.TryGetValue(r.Row.CategoryCode, out var category) && !category.IsSensitive)
            .ToList();
        var items = near.Skip((pageNumber - 1) * size).Take(size).Select(r =>
        {
            var category = catalogue[r.Row.CategoryCode];
            var resolved = r.Row.Status is CaseStatus.Handled or CaseStatus.Verified or CaseStatus.Evaluated or CaseStatus.Closed;
            return new NearbyReport(category.Name, category.MajorName, r.Row.Status.ToChinese(), resolved, r.Row.ReportedAt,
                resolved ? r.Row.HandledAt ?? r.Row.ClosedAt : null, Coarse(r.Row.Lon!.Value), Coarse(r.Row.Lat!.Value),
                DuplicateDisclosure.DistanceFor(DuplicateAudience.Public, r.Distance));
        }).ToList();
        return TypedResults.Ok(new NearbyReports(within, period, near.Count, pageNumber, size, items));
    }

    /// <summary>A coordinate rounded to <see cref="CoarseDegrees"/>.</summary>
    public static double Coarse(double degrees) => Math.Round(Math.Round(degrees / CoarseDegrees) * CoarseDegrees, 6);
}
