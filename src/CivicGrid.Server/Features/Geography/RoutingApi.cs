using System.Globalization;
using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Routing;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Spatial.CoordinateSystems;
using CivicGrid.Spatial.Indexing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Geography;

/// <param name="Lon">WGS-84 longitude, degrees.</param>
public sealed record LocatedPoint(double Lon, double Lat);

public sealed record LocatedGrid(string Code, string Name, [property: ApiValues(typeof(GridLevelNames), nameof(GridLevelNames.All))] string Level);

/// <param name="Kind">territorial or dedicated.</param>
public sealed record ChainLink(string Code, string Name, string Level, string Kind);

/// <param name="Share">Fraction 0–1 of the accuracy circle inside this grid.</param>
/// <param name="DistanceMeters">From the point to the grid; 0 when the point lies in it.</param>
public sealed record LocateCandidate(string Code, string Name, string Level, double Share, double DistanceMeters);

/// <param name="Point">The position normalised to WGS-84.</param>
/// <param name="Grid">The finest territorial grid; null when outside every grid.</param>
/// <param name="Chain">From the district down to the grid, then any dedicated grids covering the point.</param>
/// <param name="Confidence">certain, ambiguous or outside.</param>
/// <param name="DistanceToBoundaryMeters">From the point to the edge of its grid; for an outside point, to the nearest grid.</param>
/// <param name="Method">building, compound, address, lesson or location: what decided.</param>
public sealed record LocateResponse(LocatedPoint Point, LocatedGrid? Grid, IReadOnlyList<ChainLink> Chain, LocateConfidence Confidence,
    double? DistanceToBoundaryMeters, IReadOnlyList<LocateCandidate> Candidates, RoutingMethod Method);

/// <param name="Subject">building, compound or address.</param>
/// <param name="Key">The building or compound code, or the address text.</param>
/// <param name="ToGridCode">Where such reports belong.</param>
public sealed record TeachLessonRequest(string? Subject, string? Key, string? ToGridCode, string? Reason, string? CaseNumber);

public sealed record LessonResponse(Guid Id, OverrideSubject Subject, string Key, string? FromGridCode, string ToGridCode, string Reason,
    string? CaseNumber, DateTimeOffset CreatedAt, bool Active);

/// <summary>Routing: where a position belongs, and the lessons staff teach the router.</summary>
public static class RoutingApi
{
    public const string LocateRateLimit = "locate";

    /// <summary>The largest accuracy radius accepted, metres: beyond it a position says nothing about a grid.</summary>
    public const double MaxAccuracyMeters = 5_000;

    private static readonly HashSet<Role> Teachers = [Role.CommunityStaff, Role.SubdistrictOperator, Role.SystemAdmin];

    public static IEndpointRouteBuilder MapRoutingApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/geo/locate", Locate).AllowAnonymous().RequireRateLimiting(LocateRateLimit).WithTags("Geo").WithName("Locate")
            .WithSummary("Which grid a position belongs to, with the whole chain and how sure the router is. Anonymous callers are allowed (rate-limited).");
        var lessons = routes.MapGroup("/api/geo/lessons").WithTags("Geo").RequireAuthorization(Policies.Staff);
        lessons.MapGet("/", ListLessons).WithName("ListRoutingLessons")
            .WithSummary("Learned routing lessons that send reports into the caller's scope or take a place in it away to another grid.");
        lessons.MapPost("/", TeachLesson).WithName("TeachRoutingLesson").WithIdempotency()
            .WithSummary("Teach the router that reports about a building, compound or address belong to a grid (community staff, operations centre).");
        lessons.MapDelete("/{id:guid}", WithdrawLesson).WithName("WithdrawRoutingLesson").WithSummary("Withdraw a lesson; it is kept, inactive.");
        return routes;
    }

    /// <param name="lon">Longitude in degrees, in the system named by crs.</param>
    /// <param name="lat">Latitude in degrees, in the system named by crs.</param>
    /// <param name="crs">wgs84, cgcs2000, gcj02 or bd09: the system the position was measured in (required).</param>
    /// <param name="accuracy">Accuracy radius reported by the device, metres; 0 when absent.</param>
    /// <param name="building">A building code, when the reporter chose one.</param>
    /// <param name="compound">A compound code, when the reporter chose one.</param>
    /// <param name="address">Address text, when the reporter typed one.</param>
    public static async Task<Results<Ok<LocateResponse>, ProblemHttpResult>> Locate([ApiType(typeof(double))] string? lon, [ApiType(typeof(double))] string? lat,
        [ApiValues(typeof(CoordinateSystemNames), nameof(CoordinateSystemNames.ApiNames))] string? crs, [ApiType(typeof(double))] string? accuracy,
        string? building, string? compound, string? address, GeographyIndex geography, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var longitude = ParseNumber(lon, "lon", "经度", -180, 180, required: true, errors);
        var latitude = ParseNumber(lat, "lat", "纬度", -90, 90, required: true, errors);
        var radius = ParseNumber(accuracy, "accuracy", "定位精度（米）", 0, MaxAccuracyMeters, required: false, errors) ?? 0;
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

        var (wgsLon, wgsLat) = ChinaCoordinates.ToWgs84(longitude!.Value, latitude!.Value, system);
        var snapshot = await geography.GetAsync(ct);
        var answer = Router.Route(snapshot, wgsLon, wgsLat, radius, building, compound, address);
        var chain = answer.Chain.Select(c => Link(snapshot, c)).Concat(answer.DedicatedCodes.Select(c => Link(snapshot, c))).ToList();
        var grid = answer.GridCode is { } code && snapshot.Grids.TryGetValue(code, out var info)
            ? new LocatedGrid(info.Code, info.Name, info.Level.ToApiName())
            : null;
        var candidates = answer.Candidates.Select(c => snapshot.Grids.TryGetValue(c.Code, out var g)
            ? new LocateCandidate(c.Code, g.Name, g.Level.ToApiName(), Math.Round(c.Share, 3), Math.Round(c.DistanceMeters, 1))
            : new LocateCandidate(c.Code, c.Code, string.Empty, Math.Round(c.Share, 3), Math.Round(c.DistanceMeters, 1))).ToList();
        return TypedResults.Ok(new LocateResponse(new LocatedPoint(Math.Round(wgsLon, 7), Math.Round(wgsLat, 7)), grid, chain,
            answer.Confidence, answer.DistanceToBoundaryMeters is { } d ? Math.Round(d, 1) : null, candidates,
            answer.Method));
    }

    public static async Task<Ok<List<LessonResponse>>> ListLessons(CivicGridDbContext db, CancellationToken ct)
    {
        var lessons = await db.RoutingOverrides.AsNoTracking().OrderByDescending(o => o.CreatedAt).Take(1000).ToListAsync(ct);
        return TypedResults.Ok(lessons.Select(Describe).ToList());
    }

    public static async Task<Results<Created<LessonResponse>, ProblemHttpResult>> TeachLesson(TeachLessonRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        if (!caller.GetRoles().Any(Teachers.Contains))
        {
            return Problems.Forbidden("只有社区工作人员、街道城运中心和系统管理员可以修正流转规则。");
        }

        var errors = new Dictionary<string, string[]>();
        OverrideSubject subject = default;
        if (request.Subject?.Trim().ToLowerInvariant() is not ("building" or "compound" or "address"))
        {
            errors["subject"] = ["subject 应为 building、compound 或 address。"];
        }
        else
        {
            subject = Enum.Parse<OverrideSubject>(request.Subject.Trim(), ignoreCase: true);
        }

        if (string.IsNullOrWhiteSpace(request.Key))
        {
            errors["key"] = ["请给出楼栋编码、院落编码或地址。"];
        }

        if (string.IsNullOrWhiteSpace(request.ToGridCode))
        {
            errors["toGridCode"] = ["请给出应流转到的网格编码。"];
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            errors["reason"] = ["请说明原因。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        // The target must be a grid the caller may see; the subject must exist when it is a code.
        if (!await db.Grids.AnyAsync(g => g.Code == request.ToGridCode, ct))
        {
            return Problems.NotFound($"找不到编号为 {request.ToGridCode} 的网格，或它不在您的管辖范围内。");
        }

        var snapshot = await geography.GetAsync(ct);
        string? from = null;
        if (subject == OverrideSubject.Building)
        {
            from = snapshot.Buildings.TryGetValue(request.Key!.Trim(), out var b) ? b.GridCode : null;
            if (from is null)
            {
                return Problems.Validation("key", $"找不到编号为 {request.Key} 的楼栋。");
            }
        }
        else if (subject == OverrideSubject.Compound)
        {
            from = snapshot.Compounds.TryGetValue(request.Key!.Trim(), out var c) ? c.GridCode : null;
            if (from is null)
            {
                return Problems.Validation("key", $"找不到编号为 {request.Key} 的院落。");
            }
        }
        else
        {
            // An address the register knows goes today to its building's or compound's grid: that is the place taken away.
            from = Router.Route(snapshot, 0, 0, 0, address: request.Key!.Trim()).Match?.GridCode;
        }

        // The place is moved away from its grid as well as to the target: the caller must be responsible for both, or
        // one community could divert another's building to itself.
        if (from is not null && !await db.Grids.AnyAsync(g => g.Code == from, ct))
        {
            return Problems.Forbidden("该地点目前属于其他社区或街道的网格，不在您的管辖范围内，不能改变它的流转。请联系其所属社区或街道城运中心修正。");
        }

        if (from == request.ToGridCode)
        {
            return Problems.Validation("toGridCode", "该地点本来就流转到这个网格，无需修正。");
        }

        var lesson = new RoutingOverride(subject, request.Key!, from, request.ToGridCode!, request.Reason!, caller.GetUserId(), request.CaseNumber, time.GetUtcNow());
        db.RoutingOverrides.Add(lesson);
        await db.SaveChangesAsync(ct);
        geography.ApplyLesson(lesson);
        return TypedResults.Created($"/api/geo/lessons/{lesson.Id}", Describe(lesson));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> WithdrawLesson(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        if (!caller.GetRoles().Any(Teachers.Contains))
        {
            return Problems.Forbidden("只有社区工作人员、街道城运中心和系统管理员可以修正流转规则。");
        }

        var lesson = await db.RoutingOverrides.SingleOrDefaultAsync(o => o.Id == id, ct);
        if (lesson is null)
        {
            return Problems.NotFound("找不到该流转规则，或它不在您的管辖范围内。");
        }

        lesson.Withdraw(time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        geography.RequestRebuild();
        return TypedResults.NoContent();
    }

    private static LessonResponse Describe(RoutingOverride o) => new(o.Id, o.Subject, o.SubjectKey, o.FromGridCode,
        o.ToGridCode, o.Reason, o.CaseNumber, o.CreatedAt, o.IsActive);

    private static ChainLink Link(GeographySnapshot snapshot, string code) => snapshot.Grids.TryGetValue(code, out var g)
        ? new ChainLink(g.Code, g.Name, g.Level.ToApiName(), g.Kind.ToApiName())
        : new ChainLink(code, code, string.Empty, string.Empty);

    internal static double? ParseNumber(string? text, string field, string nameZh, double min, double max, bool required, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors[field] = [$"缺少{nameZh}（{field}）。"];
            }

            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            errors[field] = [$"{nameZh}（{field}）应为数字，收到“{text}”。"];
            return null;
        }

        if (value < min || value > max)
        {
            errors[field] = [$"{nameZh}（{field}）应在 {min} 到 {max} 之间，收到 {value.ToString(CultureInfo.InvariantCulture)}。"];
            return null;
        }

        return value;
    }
}
