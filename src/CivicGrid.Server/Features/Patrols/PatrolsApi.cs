using System.Globalization;
using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MiniExcelLibs;
using NetTopologySuite.Simplify;

namespace CivicGrid.Server.Features.Patrols;

/// <summary>A patrol with its figures (for an open patrol, measured from the points received so far).</summary>
/// <param name="WalkedMeters">Length of the walked stretches, metres (vehicle stretches and GPS jumps left out).</param>
/// <param name="Steps">The phone's own count when it sent one, otherwise walked metres ÷ stride.</param>
/// <param name="EndedBySystem">True when the worker left it open and the system ended it at its last point (the nightly close, or their next start).</param>
public sealed record PatrolResponse(Guid Id, Guid WorkerId, string WorkerName, string GridCode, PatrolStatus Status, DateOnly Day,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, bool EndedBySystem, int PointCount, double WalkedMeters, double VehicleMeters, int Steps,
    bool StepsFromPhone, double WalkedSeconds, IReadOnlyList<string> CaseNumbers);

/// <summary>One position as the phone took it.</summary>
/// <param name="Lon">WGS-84 longitude, degrees.</param>
/// <param name="Lat">WGS-84 latitude, degrees.</param>
/// <param name="Accuracy">Horizontal accuracy in metres, when the phone gives one.</param>
/// <param name="Steps">The pedometer's count since the patrol started, when the phone has one.</param>
public sealed record TrackPointRequest(DateTimeOffset At, double Lon, double Lat, double? Accuracy, int? Steps);

/// <param name="BatchId">The phone's id for this batch (up to 64 characters); a batch sent again with the same id is stored once.</param>
public sealed record TrackBatchRequest(string? BatchId, IReadOnlyList<TrackPointRequest>? Points);

/// <param name="Repeated">True when this batch id had been received before: nothing was stored again.</param>
public sealed record TrackBatchResponse(string BatchId, int Accepted, bool Repeated, int PointCount);

/// <summary>A grid walked on a day and how long was spent there.</summary>
public sealed record GridWalked(string Code, string Name, double Seconds, double Meters);

/// <summary>A worker's day: their patrols, distance, steps against the goal, grids walked.</summary>
public sealed record PatrolDayResponse(DateOnly Date, IReadOnlyList<PatrolResponse> Patrols, Guid? OpenPatrolId, double WalkedMeters, int Steps,
    int StepGoal, bool GoalMet, IReadOnlyList<GridWalked> Grids);

/// <summary>One grid of a level in the caller's scope and how it was walked in the period.</summary>
public sealed record GridCoverage(string Code, string Name, bool Walked, double Seconds, double Meters, int Patrols, int Workers);

/// <param name="Share">Walked grids ÷ all grids of the level in scope, 0–1.</param>
/// <param name="Goal">The configured weekly coverage goal, 0–1.</param>
public sealed record CoverageResponse(DateOnly From, DateOnly To, string Level, int Total, int WalkedCount, double Share, double Goal, bool GoalMet,
    IReadOnlyList<GridCoverage> Grids, IReadOnlyList<GridCoverage> NotWalked);

/// <summary>One worker's day in the caller's scope.</summary>
/// <param name="PatrolIds">The day's patrols in the order they started, each readable at <c>GET /api/patrols/{id}</c>.</param>
public sealed record WorkerDay(Guid WorkerId, string WorkerName, string GridCode, DateOnly Day, int Patrols, double WalkedMeters, int Steps,
    bool GoalMet, int GridsWalked, IReadOnlyList<Guid> PatrolIds);

/// <summary>
/// "110" patrols (巡查): grid workers start and end a walk and send their positions in batches; the worker reads their own
/// day; grid leaders, community staff, the operations centre and the district read tracks, coverage and workers' days in
/// their scope. Administrators see none of it (business content).
/// </summary>
public static class PatrolsApi
{
    /// <summary>Who walks patrols: grid workers, grid leaders and micro-grid volunteers.</summary>
    public static readonly string[] Walkers =
        [Role.GridWorker.ToClaimValue(), Role.GridLeader.ToClaimValue(), Role.MicroGridWorker.ToClaimValue()];

    /// <summary>Who reads patrols of a scope: grid leaders, community staff, the operations centre, the district.</summary>
    public static readonly string[] Supervisors =
        [Role.GridLeader.ToClaimValue(), Role.CommunityStaff.ToClaimValue(), Role.SubdistrictOperator.ToClaimValue(), Role.DistrictViewer.ToClaimValue()];

    public const int MaxPointsPerBatch = 1000;
    public const int MaxPeriodDays = 62;

    public static IEndpointRouteBuilder MapPatrolsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/patrols").WithTags("Patrols").RequireAuthorization(Policies.CaseContent);
        group.MapPost("/", Start).RequireAuthorization(p => p.RequireRole(Walkers)).WithIdempotency().WithName("StartPatrol")
            .WithSummary("Start a patrol now (grid workers, leaders, micro-grid volunteers); the open patrol is answered again while one is open.");
        group.MapPost("/{id:guid}/end", End).RequireAuthorization(p => p.RequireRole(Walkers)).WithName("EndPatrol")
            .WithSummary("End one's open patrol: its track is measured and kept with the time spent per grid.");
        group.MapPost("/{id:guid}/points", AppendPoints).RequireAuthorization(p => p.RequireRole(Walkers)).WithName("AppendPatrolPoints")
            .WithSummary("A batch of positions of one's open patrol, with the phone's batch id: a repeated batch is stored once; a bad batch stores nothing.");
        group.MapGet("/mine", Mine).RequireAuthorization(p => p.RequireRole(Walkers)).WithName("ListMyPatrols")
            .WithSummary("One's own patrols of the last 30 days, newest first.");
        group.MapGet("/days/mine", MyDay).RequireAuthorization(p => p.RequireRole(Walkers)).WithName("GetMyPatrolDay")
            .WithSummary("One's own day (Beijing date, default today): patrols, distance, steps against the daily goal, grids walked.");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(p => p.RequireRole([.. Walkers.Union(Supervisors)])).WithName("GetPatrol")
            .WithSummary("One patrol: its figures, time per grid, the track cut into walked and vehicle stretches, and the cases reported during it (the walker, or a supervisor in scope).");
        group.MapGet("/tracks", Tracks).RequireAuthorization(p => p.RequireRole(Supervisors)).WithName("GetPatrolTracks")
            .WithSummary("A day's patrol tracks in the caller's scope as GeoJSON lines (WGS-84), simplified for display.");
        group.MapGet("/coverage", Coverage).RequireAuthorization(p => p.RequireRole(Supervisors)).WithName("GetPatrolCoverage")
            .WithSummary("Coverage per grid of a level (micro or grid-3) in the caller's scope for a period, with the grids nobody walked.");
        group.MapGet("/days", Days).RequireAuthorization(p => p.RequireRole(Supervisors)).WithName("ListPatrolDays")
            .WithSummary("Each worker's days in the caller's scope for a period: patrols, distance, steps, goal met.");
        group.MapGet("/days/export.xlsx", ExportDays).RequireAuthorization(p => p.RequireRole(Supervisors)).WithName("ExportPatrolDays")
            .WithSecurityEvent(SecurityEventKind.Exported, "export", "导出巡查记录")
            .WithSummary("Workers' days as an Excel workbook (names masked).");
        return routes;
    }

    public static async Task<Results<Created<PatrolResponse>, Ok<PatrolResponse>, ProblemHttpResult>> Start(ClaimsPrincipal caller, CivicGridDbContext db,
        TrackWriter writer, TimeProvider time, CancellationToken ct)
    {
        var userId = caller.GetUserId()!.Value;
        var now = time.GetUtcNow();
        var today = PatrolTracks.BeijingDay(now);
        if (await db.Patrols.FirstOrDefaultAsync(p => p.WorkerId == userId && p.Status == PatrolStatus.Open, ct) is { } open)
        {
            if (open.Day >= today)
            {
                return TypedResults.Ok((await DescribeAsync(db, [open], null, ct))[0]);
            }

            // Left open on an earlier day (the phone was switched off, the end button never pressed): it ends at its last
            // point, measured as any other (through the track writer, after any of its batches still queued), and today's
            // patrol starts afresh.
            await writer.EndAsync(open.Id, null, null, ct);
        }

        var name = caller.FindFirstValue(CivicGridClaims.DisplayName) ?? caller.Identity?.Name ?? string.Empty;
        var patrol = new Patrol(userId, name, caller.GetScope().Code, now, today);
        db.Patrols.Add(patrol);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/patrols/{patrol.Id}", (await DescribeAsync(db, [patrol], null, ct))[0]);
    }

    public static async Task<Results<Ok<PatrolResponse>, ProblemHttpResult>> End(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        TrackWriter writer, TimeProvider time, CancellationToken ct)
    {
        switch (await writer.EndAsync(id, caller.GetUserId()!.Value, time.GetUtcNow(), ct))
        {
            case PatrolEndOutcome.NotFound:
                return NotFound();
            case PatrolEndOutcome.Closed:
                return Closed();
        }

        var patrol = await db.Patrols.AsNoTracking().SingleAsync(p => p.Id == id, ct);
        return TypedResults.Ok((await DescribeAsync(db, [patrol], null, ct))[0]);
    }

    /// <remarks>
    /// What the batch shows alone (its id, size, coordinates, times in the future) is checked here; the rest — the patrol,
    /// its state, a repeated id, times before its start — by the <see cref="TrackWriter"/>, which answers once committed.
    /// </remarks>
    public static async Task<Results<Ok<TrackBatchResponse>, ProblemHttpResult>> AppendPoints(Guid id, TrackBatchRequest request, ClaimsPrincipal caller,
        TrackWriter writer, TimeProvider time, CancellationToken ct)
    {
        var batchId = request.BatchId?.Trim() ?? string.Empty;
        if (batchId.Length is 0 or > PatrolBatch.MaxBatchIdLength)
        {
            return Problems.Validation("batchId", "请提供本批轨迹的编号（batchId，1–64 个字符）。");
        }

        if (request.Points is not { Count: > 0 and <= MaxPointsPerBatch } raw)
        {
            return Problems.Validation("points", $"每批轨迹须有 1–{MaxPointsPerBatch} 个位置点。");
        }

        var points = new TrackPoint[raw.Count];
        for (var i = 0; i < points.Length; i++)
        {
            var p = raw[i];
            points[i] = new TrackPoint(p.At, p.Lon, p.Lat, p.Accuracy, p.Steps);
        }

        var now = time.GetUtcNow();
        if (Patrol.RefusalOfPoints(points, now) is { } refusal)
        {
            return Refused(refusal);
        }

        var result = await writer.AppendAsync(id, caller.GetUserId()!.Value, batchId, points, now, ct);
        return result.Outcome switch
        {
            TrackBatchOutcome.NotFound => NotFound(),
            TrackBatchOutcome.Refused => Refused(result.Refusal!),
            _ => TypedResults.Ok(new TrackBatchResponse(batchId, result.Accepted, result.Outcome == TrackBatchOutcome.Repeated, result.PointCount)),
        };
    }

    private static ProblemHttpResult Refused(string refusal) => refusal switch
    {
        PatrolRefusals.Closed => Closed(),
        PatrolRefusals.ImpossibleCoordinates or PatrolRefusals.Empty => Problems.Validation("points", refusal),
        _ => Problems.Create(StatusCodes.Status422UnprocessableEntity, "/problems/track-time", "A point's time is impossible.", refusal),
    };

    public static async Task<Ok<List<PatrolResponse>>> Mine(ClaimsPrincipal caller, CivicGridDbContext db, IOptions<PatrolRules> rules,
        TimeProvider time, CancellationToken ct)
    {
        var userId = caller.GetUserId()!.Value;
        var since = PatrolTracks.BeijingDay(time.GetUtcNow()).AddDays(-30);
        var patrols = await db.Patrols.AsNoTracking().Where(p => p.WorkerId == userId && p.Day >= since)
            .OrderByDescending(p => p.StartedAt).Take(200).ToListAsync(ct);
        return TypedResults.Ok(await DescribeAsync(db, patrols, rules.Value, ct));
    }

    /// <param name="date">A Beijing date (yyyy-MM-dd); today when absent.</param>
    public static async Task<Results<Ok<PatrolDayResponse>, ProblemHttpResult>> MyDay(string? date, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, IOptions<PatrolRules> rules, TimeProvider time, CancellationToken ct)
    {
        if (!TryDate(date, PatrolTracks.BeijingDay(time.GetUtcNow()), out var day))
        {
            return Problems.Validation("date", "日期格式应为 yyyy-MM-dd。");
        }

        var userId = caller.GetUserId()!.Value;
        var patrols = await db.Patrols.AsNoTracking().Where(p => p.WorkerId == userId && p.Day == day).OrderBy(p => p.StartedAt).ToListAsync(ct);
        var described = await DescribeAsync(db, patrols, rules.Value, ct);
        var points = await PatrolTracks.LoadAsync(db, [.. patrols.Select(p => p.Id)], ct);
        var snapshot = await geography.GetAsync(ct);
        var locate = PatrolTracks.Locator(snapshot.Index);
        var grids = patrols.SelectMany(p => PatrolTracks.Measure(p.Id, userId, day, TrackFilter.Analyse(points[p.Id], rules.Value), locate, rules.Value))
            .GroupBy(v => v.GridCode)
            .Select(g => new GridWalked(g.Key, snapshot.Grids.GetValueOrDefault(g.Key)?.Name ?? g.Key, g.Sum(v => v.Seconds), Math.Round(g.Sum(v => v.Meters), 1)))
            .OrderByDescending(g => g.Seconds).ToList();
        var steps = described.Sum(p => p.Steps);
        return TypedResults.Ok(new PatrolDayResponse(day, described, patrols.FirstOrDefault(p => p.IsOpen)?.Id, Math.Round(described.Sum(p => p.WalkedMeters), 1),
            steps, rules.Value.DailyStepGoal, rules.Value.MeetsDailyGoal(steps), grids));
    }

    /// <summary>
    /// One patrol for its page: the walker reads their own, a supervisor (grid leader, community, operations centre, district)
    /// any in scope; anyone else's, or one outside the scope, is a 404. The worker's name is masked.
    /// </summary>
    public static async Task<Results<Ok<PatrolDetailResponse>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, IOptions<PatrolRules> rules, CancellationToken ct)
    {
        var userId = caller.GetUserId()!.Value;
        var supervisor = Supervisors.Any(caller.IsInRole);
        var patrol = await db.Patrols.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id && (supervisor || p.WorkerId == userId), ct);
        if (patrol is null)
        {
            return NotFound();
        }

        var figures = (await DescribeAsync(db, [patrol], rules.Value, ct))[0];
        var summary = TrackFilter.Analyse((await PatrolTracks.LoadAsync(db, [id], ct))[id], rules.Value);
        var snapshot = await geography.GetAsync(ct);
        var visits = patrol.IsOpen
            ? [.. PatrolTracks.Measure(id, patrol.WorkerId, patrol.Day, summary, PatrolTracks.Locator(snapshot.Index), rules.Value)]
            : await db.PatrolGridVisits.AsNoTracking().IgnoreQueryFilters().Where(v => v.PatrolId == id).ToListAsync(ct);
        var grids = visits.OrderByDescending(v => v.Seconds).ThenBy(v => v.GridCode, StringComparer.Ordinal)
            .Select(v => new GridWalked(v.GridCode, snapshot.Grids.GetValueOrDefault(v.GridCode)?.Name ?? v.GridCode, v.Seconds, v.Meters)).ToList();
        var stretches = TrackStretches.Of(summary, rules.Value).Select(s => new PatrolStretch(s.Kind, Math.Round(s.Meters, 1), Math.Round(s.Duration.TotalSeconds),
            [.. s.Points.Select(p => new[] { Math.Round(p.Lon, 6), Math.Round(p.Lat, 6) })])).ToList();
        var linked = await db.PatrolCases.AsNoTracking().Where(c => c.PatrolId == id).OrderBy(c => c.ReportedAt).ToListAsync(ct);
        var caseIds = linked.Select(c => c.CaseId).ToList();
        var visible = await db.Cases.AsNoTracking().Where(c => caseIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Title, c.Status, c.Tier }).ToDictionaryAsync(c => c.Id, ct);
        var cases = linked.Select(c => visible.TryGetValue(c.CaseId, out var found)
            ? new PatrolCaseSummary(c.CaseNumber, c.ReportedAt, found.Title, found.Status, found.Tier)
            : new PatrolCaseSummary(c.CaseNumber, c.ReportedAt, null, null, null)).ToList();
        return TypedResults.Ok(new PatrolDetailResponse(figures with { WorkerName = Masking.PersonName(figures.WorkerName) ?? string.Empty },
            snapshot.Grids.GetValueOrDefault(patrol.GridCode)?.Name ?? patrol.GridCode, summary.Dropped, grids, stretches, cases));
    }

    /// <summary>The day's tracks as a GeoJSON FeatureCollection of LineStrings, each simplified to about <paramref name="tolerance"/> metres.</summary>
    /// <param name="date">A Beijing date; today when absent.</param>
    /// <param name="tolerance">Douglas–Peucker tolerance in metres, 0–100 (default 5).</param>
    public static async Task<Results<Ok<PatrolTracksResponse>, ProblemHttpResult>> Tracks(string? date, double? tolerance, CivicGridDbContext db,
        IOptions<PatrolRules> rules, TimeProvider time, CancellationToken ct)
    {
        if (!TryDate(date, PatrolTracks.BeijingDay(time.GetUtcNow()), out var day))
        {
            return Problems.Validation("date", "日期格式应为 yyyy-MM-dd。");
        }

        if (tolerance is < 0 or > 100)
        {
            return Problems.Validation("tolerance", "简化容差须在 0–100 米之间。");
        }

        var patrols = await db.Patrols.AsNoTracking().Where(p => p.Day == day).OrderBy(p => p.StartedAt).ToListAsync(ct);
        var described = await DescribeAsync(db, patrols, rules.Value, ct);
        var points = await PatrolTracks.LoadAsync(db, [.. patrols.Where(p => p.IsOpen || p.Track is null).Select(p => p.Id)], ct);
        // Degrees per metre of latitude; near enough for a display tolerance at Chinese latitudes.
        var degrees = (tolerance ?? 5) / 111_320.0;
        var features = new List<PatrolTrackFeature>();
        foreach (var (patrol, figures) in patrols.Zip(described))
        {
            var line = patrol.Track ?? Patrol.LineOf(TrackFilter.Analyse(points.GetValueOrDefault(patrol.Id) ?? [], rules.Value).Kept);
            if (line is null)
            {
                continue;
            }

            var simplified = degrees > 0 ? DouglasPeuckerSimplifier.Simplify(line, degrees) : line;
            features.Add(new PatrolTrackFeature("Feature",
                new LineGeometry("LineString", [.. simplified.Coordinates.Select(c => new[] { Math.Round(c.X, 6), Math.Round(c.Y, 6) })]),
                figures));
        }

        return TypedResults.Ok(new PatrolTracksResponse("FeatureCollection", features));
    }

    /// <param name="from">First Beijing date of the period; the Monday of this week when absent.</param>
    /// <param name="to">Last Beijing date (inclusive); today when absent.</param>
    /// <param name="level">micro (default) or grid-3.</param>
    public static async Task<Results<Ok<CoverageResponse>, ProblemHttpResult>> Coverage(string? from, string? to,
        [ApiValues(typeof(PatrolsApi), nameof(CoverageLevels))] string? level, CivicGridDbContext db, GeographyIndex geography,
        IOptions<PatrolRules> rules, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (start, end) = Period(from, to, time, errors);
        var gridLevel = GridLevel.Micro;
        if (!string.IsNullOrWhiteSpace(level) && !(GridLevelNames.TryParse(level, out gridLevel) && gridLevel is GridLevel.Micro or GridLevel.Third))
        {
            errors["level"] = ["覆盖率的网格层级须为 micro（微网格）或 grid-3（三级网格）。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var grids = await db.Grids.AsNoTracking().Where(g => g.Level == gridLevel && g.Kind == GridKind.Territorial)
            .OrderBy(g => g.Code).Select(g => new { g.Code, g.Name }).ToListAsync(ct);
        var length = GridCodes.LengthOf(gridLevel, GridKind.Territorial);
        var visits = (await PatrolTracks.VisitsAsync(db, geography, rules.Value, start, end, ct))
            .Where(v => v.GridCode.Length >= length).ToLookup(v => v.GridCode[..length], StringComparer.Ordinal);
        var rows = grids.Select(g =>
        {
            var mine = visits[g.Code].ToList();
            return new GridCoverage(g.Code, g.Name, mine.Count > 0, mine.Sum(v => v.Seconds), Math.Round(mine.Sum(v => v.Meters), 1),
                mine.Select(v => v.PatrolId).Distinct().Count(), mine.Select(v => v.WorkerId).Distinct().Count());
        }).ToList();
        var figures = PatrolCoverage.Measure(rows.Select(r => r.Code), rows.Where(r => r.Walked).Select(r => r.Code).ToHashSet(StringComparer.Ordinal), rules.Value);
        return TypedResults.Ok(new CoverageResponse(start, end, gridLevel.ToApiName(), rows.Count, figures.Walked.Count, Math.Round(figures.Share, 4),
            rules.Value.WeeklyCoverageGoal, figures.MeetsGoal, rows, [.. rows.Where(r => !r.Walked)]));
    }

    /// <param name="from">First Beijing date; the Monday of this week when absent.</param>
    /// <param name="to">Last Beijing date (inclusive); today when absent.</param>
    public static async Task<Results<Ok<List<WorkerDay>>, ProblemHttpResult>> Days(string? from, string? to, CivicGridDbContext db,
        GeographyIndex geography, IOptions<PatrolRules> rules, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (start, end) = Period(from, to, time, errors);
        return errors.Count > 0 ? Problems.Validation(errors) : TypedResults.Ok(await WorkerDaysAsync(db, geography, rules.Value, start, end, ct));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportDays(string? from, string? to, CivicGridDbContext db,
        GeographyIndex geography, IOptions<PatrolRules> rules, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (start, end) = Period(from, to, time, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var days = await WorkerDaysAsync(db, geography, rules.Value, start, end, ct);
        var sheet = days.Select(d => new Dictionary<string, object?>
        {
            ["日期"] = d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["网格员"] = Masking.PersonName(d.WorkerName),
            ["所属网格"] = d.GridCode,
            ["巡查次数"] = d.Patrols,
            ["步行距离（米）"] = d.WalkedMeters,
            ["步数"] = d.Steps,
            ["达标"] = d.GoalMet ? "是" : "否",
            ["走过网格数"] = d.GridsWalked,
        });
        using var buffer = new MemoryStream();
        await buffer.SaveAsAsync(sheet, sheetName: "巡查", cancellationToken: ct);
        return TypedResults.File(buffer.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            $"巡查记录-{start:yyyyMMdd}-{end:yyyyMMdd}.xlsx");
    }

    public static IReadOnlyList<string> CoverageLevels { get; } = ["micro", "grid-3"];

    private static async Task<List<WorkerDay>> WorkerDaysAsync(CivicGridDbContext db, GeographyIndex geography, PatrolRules rules,
        DateOnly from, DateOnly to, CancellationToken ct)
    {
        var patrols = await db.Patrols.AsNoTracking().Where(p => p.Day >= from && p.Day <= to).ToListAsync(ct);
        var figures = (await DescribeAsync(db, patrols, rules, ct)).ToDictionary(p => p.Id);
        var visits = (await PatrolTracks.VisitsAsync(db, geography, rules, from, to, ct)).ToLookup(v => (v.WorkerId, v.Day));
        return [.. patrols.GroupBy(p => (p.WorkerId, p.Day)).Select(g =>
        {
            var steps = g.Sum(p => figures[p.Id].Steps);
            var latest = g.MaxBy(p => p.StartedAt)!;
            return new WorkerDay(g.Key.WorkerId, latest.WorkerName, latest.GridCode, g.Key.Day, g.Count(), Math.Round(g.Sum(p => figures[p.Id].WalkedMeters), 1),
                steps, rules.MeetsDailyGoal(steps), visits[g.Key].Select(v => v.GridCode).Distinct().Count(), [.. g.OrderBy(p => p.StartedAt).Select(p => p.Id)]);
        }).OrderByDescending(d => d.Day).ThenBy(d => d.GridCode, StringComparer.Ordinal).ThenBy(d => d.WorkerName, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Patrols as answered: ended ones with their stored figures, open ones measured from their points so far (when
    /// <paramref name="rules"/> is given), each with the numbers of the cases reported during it.
    /// </summary>
    private static async Task<List<PatrolResponse>> DescribeAsync(CivicGridDbContext db, IReadOnlyList<Patrol> patrols, PatrolRules? rules, CancellationToken ct)
    {
        var ids = patrols.Select(p => p.Id).ToList();
        var cases = (await db.PatrolCases.AsNoTracking().Where(c => ids.Contains(c.PatrolId)).OrderBy(c => c.ReportedAt)
            .Select(c => new { c.PatrolId, c.CaseNumber }).ToListAsync(ct)).ToLookup(c => c.PatrolId, c => c.CaseNumber);
        var open = patrols.Where(p => p.IsOpen).Select(p => p.Id).ToList();
        var points = rules is null ? [] : await PatrolTracks.LoadAsync(db, open, ct);
        return [.. patrols.Select(p =>
        {
            var live = points.TryGetValue(p.Id, out var track) ? TrackFilter.Analyse(track, rules!) : null;
            return new PatrolResponse(p.Id, p.WorkerId, p.WorkerName, p.GridCode, p.Status, p.Day, p.StartedAt, p.EndedAt, p.EndedBySystem, p.PointCount,
                live is null ? p.WalkedMeters : Math.Round(live.WalkedMeters, 1), live is null ? p.VehicleMeters : Math.Round(live.VehicleMeters, 1),
                live?.Steps ?? p.Steps, live?.StepsFromPhone ?? p.StepsFromPhone, live is null ? p.WalkedSeconds : Math.Round(live.WalkedTime.TotalSeconds),
                [.. cases[p.Id]]);
        })];
    }

    private static (DateOnly From, DateOnly To) Period(string? from, string? to, TimeProvider time, Dictionary<string, string[]> errors)
    {
        var today = PatrolTracks.BeijingDay(time.GetUtcNow());
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        if (!TryDate(from, monday, out var start))
        {
            errors["from"] = ["开始日期格式应为 yyyy-MM-dd。"];
        }

        if (!TryDate(to, today, out var end))
        {
            errors["to"] = ["结束日期格式应为 yyyy-MM-dd。"];
        }

        if (errors.Count == 0 && (end < start || end.DayNumber - start.DayNumber >= MaxPeriodDays))
        {
            errors["to"] = [$"结束日期须不早于开始日期，且期间不超过 {MaxPeriodDays} 天。"];
        }

        return (start, end);
    }

    private static bool TryDate(string? text, DateOnly fallback, out DateOnly date)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            date = fallback;
            return true;
        }

        return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    private static ProblemHttpResult NotFound() => Problems.NotFound("找不到这次巡查，或它不是您的巡查。");

    private static ProblemHttpResult Closed() =>
        Problems.Create(StatusCodes.Status409Conflict, "/problems/patrol-closed", "The patrol has ended.", PatrolRefusals.Closed);
}

/// <summary>A GeoJSON FeatureCollection of patrol tracks.</summary>
public sealed record PatrolTracksResponse(string Type, IReadOnlyList<PatrolTrackFeature> Features);

/// <summary>One patrol's track; its properties are the patrol with its figures.</summary>
public sealed record PatrolTrackFeature(string Type, LineGeometry Geometry, PatrolResponse Properties);

/// <param name="Coordinates">[longitude, latitude] pairs, WGS-84.</param>
public sealed record LineGeometry(string Type, IReadOnlyList<double[]> Coordinates);

/// <summary>One patrol as its page shows it.</summary>
/// <param name="GridName">The name of the worker's grid.</param>
/// <param name="DroppedPoints">Points left out for poor accuracy or a repeated time.</param>
/// <param name="Grids">Time and distance per finest grid walked, longest first.</param>
/// <param name="Stretches">The kept track cut into stretches of one kind each, in time order.</param>
/// <param name="Cases">Cases the walker reported while the patrol was open; title, status and tier only when the caller may see the case.</param>
public sealed record PatrolDetailResponse(PatrolResponse Patrol, string GridName, int DroppedPoints, IReadOnlyList<GridWalked> Grids,
    IReadOnlyList<PatrolStretch> Stretches, IReadOnlyList<PatrolCaseSummary> Cases);

/// <summary>A stretch of the track travelled one way (walked, vehicle, GPS jump, silence).</summary>
/// <param name="Meters">Length in metres.</param>
/// <param name="Seconds">Duration in seconds.</param>
/// <param name="Coordinates">[longitude, latitude] pairs, WGS-84; a stretch starts where the one before ended.</param>
public sealed record PatrolStretch(StretchKind Kind, double Meters, double Seconds, IReadOnlyList<double[]> Coordinates);

/// <summary>A case reported during a patrol.</summary>
public sealed record PatrolCaseSummary(string Number, DateTimeOffset ReportedAt, string? Title, CaseStatus? Status, CaseTier? Tier);
