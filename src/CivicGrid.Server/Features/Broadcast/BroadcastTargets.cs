using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Devices;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Features.Broadcast;

/// <summary>A speaker a broadcast reaches.</summary>
public sealed record SpeakerTarget(Guid Id, string Code, string Name, string GridCode, double Lon, double Lat);

/// <summary>A grid worker a broadcast reaches.</summary>
public sealed record WorkerTarget(Guid Id, string UserName, string DisplayName, string ScopeCode);

/// <summary>
/// Who a broadcast reaches: the grids (picked, or the 3rd-level grids the drawn area intersects), the active speakers in
/// them (for an area: inside the area itself), the retired speakers that are left out, and the grid workers of those grids
/// (scoped in them, or in the 2nd- or 3rd-level grid that holds them).
/// </summary>
public sealed record BroadcastAudience(IReadOnlyList<string> GridCodes, IReadOnlyList<SpeakerTarget> Speakers, IReadOnlyList<SpeakerTarget> RetiredSpeakers,
    IReadOnlyList<WorkerTarget> Workers);

/// <summary>Why an area or a set of grids cannot be broadcast to; the API turns it into a problem.</summary>
public sealed record AudienceRefusal(string Type, string Title, string Detail);

/// <summary>Resolves a broadcast's audience within the caller's scope (the context's query filters).</summary>
public static class BroadcastTargets
{
    /// <summary>Roles that receive a broadcast for their grid.</summary>
    public static readonly IReadOnlySet<Role> WorkerRoles = new HashSet<Role> { Role.GridWorker, Role.GridLeader, Role.MicroGridWorker };

    /// <summary>The most corners a drawn area may have.</summary>
    public const int MaxAreaPoints = 500;

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>The area as a valid polygon, or null when the ring has fewer than 3 distinct corners, is out of range or crosses itself.</summary>
    public static Polygon? AreaOf(IReadOnlyList<double[]>? ring)
    {
        if (ring is not { Count: >= 3 and <= MaxAreaPoints } || ring.Any(p => p is not [>= -180 and <= 180, >= -90 and <= 90]))
        {
            return null;
        }

        var corners = ring.Select(p => new Coordinate(p[0], p[1])).ToList();
        if (!corners[0].Equals2D(corners[^1]))
        {
            corners.Add(corners[0].Copy());
        }

        if (corners.Count < 4)
        {
            return null;
        }

        var polygon = Factory.CreatePolygon([.. corners]);
        return polygon.IsValid && polygon.Area > 0 ? polygon : null;
    }

    /// <summary>The audience of the grids picked (codes in the caller's scope), or why there is none.</summary>
    public static async Task<(BroadcastAudience? Audience, AudienceRefusal? Refusal)> OfGridsAsync(CivicGridDbContext db, IReadOnlyList<string> codes,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var wanted = codes.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct().ToList();
        var known = await db.Grids.AsNoTracking().Where(g => wanted.Contains(g.Code)).Select(g => g.Code).ToListAsync(ct);
        var unknown = wanted.Except(known).ToList();
        if (unknown.Count > 0)
        {
            return (null, new AudienceRefusal("/problems/broadcast-grids", "A grid does not exist or is outside the caller's scope.",
                $"网格 {string.Join("、", unknown)} 不存在或不在您的管辖范围内。"));
        }

        var speakers = await SpeakersAsync(db, known, null, ct);
        return Judge(new BroadcastAudience(known.Order(StringComparer.Ordinal).ToList(), speakers.Active, speakers.Retired, await WorkersAsync(db, known, ct)));
    }

    /// <summary>The audience of a drawn area: the 3rd-level grids it intersects, the speakers inside it, and the grids' workers.</summary>
    public static async Task<(BroadcastAudience? Audience, AudienceRefusal? Refusal)> OfAreaAsync(CivicGridDbContext db, Polygon area, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(area);
        var box = area.EnvelopeInternal;
        var candidates = await db.Grids.AsNoTracking()
            .Where(g => g.Level == GridLevel.Third && g.MaxLon >= box.MinX && g.MinLon <= box.MaxX && g.MaxLat >= box.MinY && g.MinLat <= box.MaxY)
            .Select(g => new { g.Code, g.Boundary }).ToListAsync(ct);
        var grids = candidates.Where(g => g.Boundary.Intersects(area)).Select(g => g.Code).Order(StringComparer.Ordinal).ToList();
        if (grids.Count == 0)
        {
            return (null, EmptyArea);
        }

        var speakers = await SpeakersAsync(db, grids, area, ct);
        return Judge(new BroadcastAudience(grids, speakers.Active, speakers.Retired, await WorkersAsync(db, grids, ct)));
    }

    private static AudienceRefusal EmptyArea => new("/problems/broadcast-empty-area", "The area contains no grid of the caller's scope.",
        "所选区域内没有您管辖的网格，请重新圈选。");

    /// <summary>The audience as is, or why nobody would hear the broadcast (nobody at all, or only retired speakers).</summary>
    internal static (BroadcastAudience? Audience, AudienceRefusal? Refusal) Judge(BroadcastAudience audience)
    {
        if (audience.Speakers.Count > 0 || audience.Workers.Count > 0)
        {
            return (audience, null);
        }

        return audience.RetiredSpeakers.Count > 0
            ? (null, new AudienceRefusal("/problems/broadcast-retired-speakers", "Every speaker in the area is retired and no worker is there.",
                $"所选区域内的 {audience.RetiredSpeakers.Count} 台音柱均已停用，也没有网格员，广播无人接收。请另选区域或先登记在用的音柱。"))
            : (null, new AudienceRefusal("/problems/broadcast-no-recipients", "The area has no speaker and no grid worker.",
                "所选区域内既没有音柱，也没有网格员，广播无人接收。请另选区域。"));
    }

    private static async Task<(List<SpeakerTarget> Active, List<SpeakerTarget> Retired)> SpeakersAsync(CivicGridDbContext db, List<string> grids,
        Polygon? area, CancellationToken ct)
    {
        // Speakers are few (tens per subdistrict): those of the scope are read and matched here rather than by one LIKE per grid.
        var all = await db.Devices.AsNoTracking().Where(d => d.Kind == DeviceKind.Speaker).OrderBy(d => d.Code)
            .Select(d => new { Target = new SpeakerTarget(d.Id, d.Code, d.Name, d.GridCode, d.Lon, d.Lat), d.IsActive }).ToListAsync(ct);
        var reached = all.Where(s => area is null
            ? grids.Any(g => s.Target.GridCode.StartsWith(g, StringComparison.Ordinal))
            : area.Covers(Factory.CreatePoint(new Coordinate(s.Target.Lon, s.Target.Lat)))).ToList();
        return ([.. reached.Where(s => s.IsActive).Select(s => s.Target)], [.. reached.Where(s => !s.IsActive).Select(s => s.Target)]);
    }

    private static async Task<List<WorkerTarget>> WorkersAsync(CivicGridDbContext db, List<string> grids, CancellationToken ct)
    {
        // The accounts of the caller's scope (a subdistrict has a few hundred), matched to the grids here.
        var users = await db.Users.AsNoTracking().Where(u => u.IsActive && u.ScopeCode.Length >= GridCodes.SecondLength).OrderBy(u => u.UserName)
            .Select(u => new { u.Id, u.UserName, u.DisplayName, u.ScopeCode, u.Roles }).ToListAsync(ct);

        // A worker of a targeted grid or of a grid inside it; or of the 2nd- or 3rd-level grid a targeted grid lies in (a
        // grid worker may be scoped at the 2nd level, over several 3rd-level grids).
        return [.. users.Where(u => u.Roles.Any(WorkerRoles.Contains) && grids.Any(g => u.ScopeCode.StartsWith(g, StringComparison.Ordinal)
                || (u.ScopeCode.Length >= GridCodes.SecondLength && g.StartsWith(u.ScopeCode, StringComparison.Ordinal))))
            .Select(u => new WorkerTarget(u.Id, u.UserName, u.DisplayName, u.ScopeCode))];
    }
}
