using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Broadcast;

/// <summary>A broadcast to send, or to preview before sending: the text, and either grids or a drawn area.</summary>
/// <param name="Text">What the speakers read aloud and the workers see; up to <c>Broadcast:MaxSpeakerText</c> characters (preview: optional).</param>
/// <param name="GridCodes">Grids of the caller's scope (any level): their speakers and their grid workers. Either this or <paramref name="Area"/>.</param>
/// <param name="Area">A polygon as WGS-84 [lon, lat] pairs (3 to 500 corners): the speakers inside it, the workers of the 3rd-level grids it intersects.</param>
/// <param name="Repeat">How many times a speaker reads the text, 1 to 5; 2 when omitted.</param>
/// <param name="Urgent">Urgent (紧急): speakers interrupt what they play. True when omitted.</param>
public sealed record SendBroadcastRequest(string? Text, IReadOnlyList<string>? GridCodes, IReadOnlyList<double[]>? Area, int? Repeat, bool? Urgent);

/// <summary>A grid a broadcast targets, with its name.</summary>
public sealed record BroadcastGridResponse(string Code, string Name);

/// <summary>A speaker or worker a broadcast would reach.</summary>
/// <param name="Code">The device code or the user name.</param>
/// <param name="Name">Where the speaker stands, or the worker's name.</param>
public sealed record BroadcastTargetResponse(string Code, string Name, string GridCode, double? Lon, double? Lat);

/// <summary>Who a broadcast would reach, before it is sent.</summary>
/// <param name="RetiredSpeakers">Speakers in the area that are retired and left out.</param>
/// <param name="MaxText">The speakers' text limit (<c>Broadcast:MaxSpeakerText</c>).</param>
public sealed record BroadcastPreviewResponse(IReadOnlyList<BroadcastGridResponse> Grids, IReadOnlyList<BroadcastTargetResponse> Speakers,
    IReadOnlyList<BroadcastTargetResponse> RetiredSpeakers, IReadOnlyList<BroadcastTargetResponse> Workers, int MaxText);

/// <summary>One recipient of a broadcast and where its delivery stands.</summary>
/// <param name="Code">The device code or the user name.</param>
/// <param name="Attempts">Commands published to a speaker so far; 1 for a worker.</param>
/// <param name="LastError">Why the last attempt failed (Chinese), e.g. no broker configured, no acknowledgement after 3 sends.</param>
public sealed record BroadcastDeliveryResponse(Guid Id, BroadcastTargetKind Kind, string Code, string Name, string GridCode, string? GridName, DeliveryState State,
    int Attempts, DateTimeOffset? SentAt, DateTimeOffset? AcknowledgedAt, DateTimeOffset? FailedAt, string? LastError);

/// <summary>A broadcast in the log, with counts of its deliveries by state.</summary>
/// <param name="Waiting">Deliveries pending or sent and not yet acknowledged.</param>
public sealed record BroadcastSummary(Guid Id, string Text, int Repeat, bool Urgent, string SenderName, DateTimeOffset SentAt,
    IReadOnlyList<BroadcastGridResponse> Grids, int Speakers, int Workers, int Acknowledged, int Failed, int Waiting);

/// <summary>The broadcast log of the caller's scope, and the speakers' text limit for the composer.</summary>
/// <param name="MaxText">The speakers' text limit (<c>Broadcast:MaxSpeakerText</c>).</param>
public sealed record BroadcastLog(int MaxText, IReadOnlyList<BroadcastSummary> Items);

/// <summary>A broadcast with its area and every delivery.</summary>
/// <param name="Area">The drawn polygon as WGS-84 [lon, lat] pairs; null when grids were picked.</param>
public sealed record BroadcastResponse(BroadcastSummary Summary, IReadOnlyList<double[]>? Area, IReadOnlyList<BroadcastDeliveryResponse> Deliveries);

/// <summary>A broadcast as the worker who received it sees it.</summary>
/// <param name="AcknowledgedAt">When the worker pressed 收到; null until then.</param>
public sealed record MyBroadcastResponse(Guid Id, string Text, bool Urgent, string SenderName, DateTimeOffset SentAt, DateTimeOffset? AcknowledgedAt);

/// <summary>
/// Emergency broadcast (应急广播, docs/adr/0032-emergency-broadcast.md): the subdistrict operations centre previews and
/// sends a text to the speakers and grid workers of an area or of grids, and reads the log of who acknowledged; a worker
/// reads the broadcasts they received and acknowledges them.
/// </summary>
public static class BroadcastsApi
{
    private static readonly string[] Senders = [Role.SubdistrictOperator.ToClaimValue()];
    private static readonly string[] Readers = [Role.SubdistrictOperator.ToClaimValue(), Role.DistrictViewer.ToClaimValue()];

    /// <summary>The broadcasts the log page lists at most.</summary>
    public const int LogLength = 100;

    public static IEndpointRouteBuilder MapBroadcastsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/broadcasts").WithTags("Broadcast").RequireAuthorization(Policies.Staff);
        group.MapPost("/preview", Preview).RequireAuthorization(p => p.RequireRole(Senders)).WithName("PreviewBroadcast")
            .WithSummary("Who a broadcast to these grids or this area would reach (subdistrict operations centre); sends nothing.");
        group.MapPost("/", Send).RequireAuthorization(p => p.RequireRole(Senders)).WithName("SendBroadcast")
            .WithSummary("Send an emergency broadcast to the speakers and grid workers of grids or an area (subdistrict operations centre); all deliveries are stored at once and sent in the background.");
        group.MapGet("/", List).RequireAuthorization(p => p.RequireRole(Readers)).WithName("ListBroadcasts")
            .WithSummary("The broadcast log of the caller's scope, newest first (100 at most), with counts by delivery state, and the speakers' text limit.");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(p => p.RequireRole(Readers)).WithName("GetBroadcast")
            .WithSummary("One broadcast of the caller's scope with its area and every delivery's state, times and attempts.");
        group.MapGet("/mine", Mine).WithName("ListMyBroadcasts").WithSummary("The broadcasts the caller received as a grid worker, newest first.");
        group.MapPost("/{id:guid}/ack", Acknowledge).WithName("AcknowledgeBroadcast")
            .WithSummary("The caller confirms (收到) a broadcast they received; a second confirmation keeps the first time.");
        return routes;
    }

    public static async Task<Results<Ok<BroadcastPreviewResponse>, ProblemHttpResult>> Preview(SendBroadcastRequest request, CivicGridDbContext db,
        GeographyIndex geography, IOptions<BroadcastOptions> options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (audience, problem) = await ResolveAsync(request, db, ct);
        if (audience is null)
        {
            return problem!;
        }

        var names = (await geography.GetAsync(ct)).Grids;
        return TypedResults.Ok(new BroadcastPreviewResponse([.. audience.GridCodes.Select(c => Grid(c, names))], [.. audience.Speakers.Select(Target)],
            [.. audience.RetiredSpeakers.Select(Target)], [.. audience.Workers.Select(w => new BroadcastTargetResponse(w.UserName, w.DisplayName, w.ScopeCode, null, null))],
            options.Value.MaxSpeakerText));
    }

    /// <summary>
    /// Validates the text (not empty, within the speakers' limit) and the repeat count, resolves the audience (a problem for
    /// an area without grids, without recipients, or with only retired speakers), then stores the broadcast, one delivery
    /// per speaker and worker, and the workers' in-app messages in one save: all or nothing.
    /// </summary>
    public static async Task<Results<Created<BroadcastResponse>, ProblemHttpResult>> Send(SendBroadcastRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, BroadcastDispatcher dispatcher, IOptions<BroadcastOptions> options, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(dispatcher);
        var max = options.Value.MaxSpeakerText;
        var text = request.Text?.Trim() ?? string.Empty;
        var errors = new Dictionary<string, string[]>();
        if (text.Length == 0)
        {
            errors["text"] = ["请填写广播内容。"];
        }
        else if (text.Length > max)
        {
            errors["text"] = [$"广播内容 {text.Length} 字，超过音柱单次播报上限 {max} 字，请精简后再发送。"];
        }

        if (request.Repeat is < 1 or > EmergencyBroadcast.MaxRepeat)
        {
            errors["repeat"] = [$"播放次数应为 1 到 {EmergencyBroadcast.MaxRepeat} 次。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors, errors.Values.First()[0]);
        }

        var (audience, problem) = await ResolveAsync(request, db, ct);
        if (audience is null)
        {
            return problem!;
        }

        var now = time.GetUtcNow();
        var userId = caller.GetUserId()!.Value;
        var sender = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => u.Id == userId).Select(u => u.DisplayName).SingleAsync(ct);
        var broadcast = new EmergencyBroadcast(caller.GetScope().Code, text, request.Repeat ?? 2, request.Urgent ?? true, userId, sender, now, audience.GridCodes,
            request.GridCodes is { Count: > 0 } ? null : request.Area);
        db.Broadcasts.Add(broadcast);
        foreach (var speaker in audience.Speakers)
        {
            db.BroadcastDeliveries.Add(BroadcastDelivery.ToSpeaker(broadcast.Id, speaker.Id, speaker.Code, speaker.Name, speaker.GridCode, now));
        }

        foreach (var worker in audience.Workers)
        {
            db.BroadcastDeliveries.Add(BroadcastDelivery.ToWorker(broadcast.Id, worker.Id, worker.UserName, worker.DisplayName, worker.ScopeCode, now));
            db.Add(new Notification(worker.Id, $"broadcast:{broadcast.Id}", NotificationKinds.EmergencyBroadcast, broadcast.Urgent ? "紧急广播" : "应急广播",
                $"{text}（{sender} 发布，请在“应急广播”中点“收到”确认）", null, now));
        }

        await db.SaveChangesAsync(ct);
        dispatcher.Wake();
        var deliveries = await db.BroadcastDeliveries.IgnoreQueryFilters().AsNoTracking().Where(d => d.BroadcastId == broadcast.Id).ToListAsync(ct);
        return TypedResults.Created($"/api/broadcasts/{broadcast.Id}", Describe(broadcast, deliveries, (await geography.GetAsync(ct)).Grids));
    }

    public static async Task<Ok<BroadcastLog>> List(CivicGridDbContext db, GeographyIndex geography, IOptions<BroadcastOptions> options, CancellationToken ct)
    {
        var broadcasts = await db.Broadcasts.AsNoTracking().OrderByDescending(b => b.SentAt).Take(LogLength).ToListAsync(ct);
        var ids = broadcasts.Select(b => b.Id).ToList();
        var counts = (await db.BroadcastDeliveries.IgnoreQueryFilters().AsNoTracking().Where(d => ids.Contains(d.BroadcastId))
                .GroupBy(d => new { d.BroadcastId, d.Kind, d.State }).Select(g => new { g.Key.BroadcastId, g.Key.Kind, g.Key.State, Count = g.Count() }).ToListAsync(ct))
            .ToLookup(c => c.BroadcastId);
        var names = (await geography.GetAsync(ct)).Grids;
        return TypedResults.Ok(new BroadcastLog(options.Value.MaxSpeakerText, [.. broadcasts.Select(b =>
        {
            var mine = counts[b.Id].ToList();
            return Summarise(b, names, mine.Where(c => c.Kind == BroadcastTargetKind.Speaker).Sum(c => c.Count),
                mine.Where(c => c.Kind == BroadcastTargetKind.Worker).Sum(c => c.Count), mine.Where(c => c.State == DeliveryState.Acknowledged).Sum(c => c.Count),
                mine.Where(c => c.State == DeliveryState.Failed).Sum(c => c.Count),
                mine.Where(c => c.State is DeliveryState.Pending or DeliveryState.Sent).Sum(c => c.Count));
        })]));
    }

    public static async Task<Results<Ok<BroadcastResponse>, ProblemHttpResult>> Get(Guid id, CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var broadcast = await db.Broadcasts.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, ct);
        if (broadcast is null)
        {
            return NotFound();
        }

        // Visible broadcast, every delivery: a district viewer sees the whole of a subdistrict's broadcast.
        var deliveries = await db.BroadcastDeliveries.IgnoreQueryFilters().AsNoTracking().Where(d => d.BroadcastId == id).ToListAsync(ct);
        return TypedResults.Ok(Describe(broadcast, deliveries, (await geography.GetAsync(ct)).Grids));
    }

    public static async Task<Ok<List<MyBroadcastResponse>>> Mine(ClaimsPrincipal caller, CivicGridDbContext db, CancellationToken ct)
    {
        var userId = caller.GetUserId()!.Value;
        var mine = await (from d in db.BroadcastDeliveries.IgnoreQueryFilters().AsNoTracking()
                          join b in db.Broadcasts.IgnoreQueryFilters().AsNoTracking() on d.BroadcastId equals b.Id
                          where d.UserId == userId && d.Kind == BroadcastTargetKind.Worker
                          select new { b.Id, b.Text, b.Urgent, b.SenderName, b.SentAt, d.AcknowledgedAt }).ToListAsync(ct);
        return TypedResults.Ok(mine.OrderByDescending(m => m.SentAt).Take(LogLength)
            .Select(m => new MyBroadcastResponse(m.Id, m.Text, m.Urgent, m.SenderName, m.SentAt, m.AcknowledgedAt)).ToList());
    }

    public static async Task<Results<Ok<MyBroadcastResponse>, ProblemHttpResult>> Acknowledge(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        TimeProvider time, CancellationToken ct)
    {
        var userId = caller.GetUserId()!.Value;
        var delivery = await db.BroadcastDeliveries.IgnoreQueryFilters()
            .SingleOrDefaultAsync(d => d.BroadcastId == id && d.UserId == userId && d.Kind == BroadcastTargetKind.Worker, ct);
        if (delivery is null)
        {
            return NotFound();
        }

        var now = time.GetUtcNow();
        delivery.Acknowledge(now);
        var notice = $"broadcast:{id}";
        foreach (var unread in await db.Notifications.IgnoreQueryFilters().Where(n => n.UserId == userId && n.SourceKey == notice && n.ReadAt == null).ToListAsync(ct))
        {
            unread.MarkRead(now);
        }

        await db.SaveChangesAsync(ct);

        // As stored (the database's precision), so the first answer and a repeated one agree.
        var stored = await db.BroadcastDeliveries.IgnoreQueryFilters().AsNoTracking().Where(d => d.Id == delivery.Id).Select(d => d.AcknowledgedAt).SingleAsync(ct);
        var broadcast = await db.Broadcasts.IgnoreQueryFilters().AsNoTracking().SingleAsync(b => b.Id == id, ct);
        return TypedResults.Ok(new MyBroadcastResponse(broadcast.Id, broadcast.Text, broadcast.Urgent, broadcast.SenderName, broadcast.SentAt, stored));
    }

    private static async Task<(BroadcastAudience? Audience, ProblemHttpResult? Problem)> ResolveAsync(SendBroadcastRequest request, CivicGridDbContext db,
        CancellationToken ct)
    {
        var picked = request.GridCodes is { Count: > 0 };
        var drawn = request.Area is { Count: > 0 };
        if (picked == drawn)
        {
            return (null, Problems.Validation("area", "请在地图上圈选区域，或点选网格（二选一）。"));
        }

        (BroadcastAudience? Audience, AudienceRefusal? Refusal) resolved;
        if (picked)
        {
            resolved = await BroadcastTargets.OfGridsAsync(db, request.GridCodes!, ct);
        }
        else
        {
            if (BroadcastTargets.AreaOf(request.Area) is not { } area)
            {
                return (null, Problems.Validation("area", $"圈选的区域无效：应为 3 到 {BroadcastTargets.MaxAreaPoints} 个顶点、边不相交的多边形（WGS-84 经纬度）。"));
            }

            resolved = await BroadcastTargets.OfAreaAsync(db, area, ct);
        }

        return resolved.Refusal is { } refusal
            ? (null, Problems.Create(StatusCodes.Status422UnprocessableEntity, refusal.Type, refusal.Title, refusal.Detail))
            : (resolved.Audience, null);
    }

    private static ProblemHttpResult NotFound() => Problems.NotFound("找不到这条广播，或它不在您的管辖范围内。");

    private static BroadcastGridResponse Grid(string code, IReadOnlyDictionary<string, GridInfo> names) => new(code, names.GetValueOrDefault(code)?.Name ?? code);

    private static BroadcastTargetResponse Target(SpeakerTarget s) => new(s.Code, s.Name, s.GridCode, s.Lon, s.Lat);

    private static BroadcastSummary Summarise(EmergencyBroadcast b, IReadOnlyDictionary<string, GridInfo> names, int speakers, int workers, int acknowledged,
        int failed, int waiting) =>
        new(b.Id, b.Text, b.Repeat, b.Urgent, b.SenderName, b.SentAt, [.. b.GridCodes.Select(c => Grid(c, names))], speakers, workers, acknowledged, failed, waiting);

    private static BroadcastResponse Describe(EmergencyBroadcast b, List<BroadcastDelivery> deliveries, IReadOnlyDictionary<string, GridInfo> names) =>
        new(Summarise(b, names, deliveries.Count(d => d.Kind == BroadcastTargetKind.Speaker), deliveries.Count(d => d.Kind == BroadcastTargetKind.Worker),
                deliveries.Count(d => d.State == DeliveryState.Acknowledged), deliveries.Count(d => d.State == DeliveryState.Failed),
                deliveries.Count(d => d.State is DeliveryState.Pending or DeliveryState.Sent)),
            b.Area,
            [.. deliveries.OrderBy(d => d.Kind).ThenBy(d => d.GridCode, StringComparer.Ordinal).ThenBy(d => d.TargetCode, StringComparer.Ordinal)
                .Select(d => new BroadcastDeliveryResponse(d.Id, d.Kind, d.TargetCode, d.TargetName, d.GridCode, names.GetValueOrDefault(d.GridCode)?.Name, d.State,
                    d.Attempts, d.SentAt, d.AcknowledgedAt, d.FailedAt, d.LastError))]);
}
