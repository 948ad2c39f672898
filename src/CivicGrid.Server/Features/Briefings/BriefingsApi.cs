using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Briefings;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Briefings;

/// <param name="Body">Plain text or simple Markdown (# headings, - lists, **bold**), up to 5,000 characters.</param>
/// <param name="AttachmentUrl">An http(s) link or a path on this site (/files/…), optional.</param>
/// <param name="RequiresConfirmation">True: each recipient must press "我已阅读"; false: opening it counts as read.</param>
/// <param name="DueAt">When it should have been read (ISO instant with offset), within 90 days; unread recipients are reminded once a day until then.</param>
public sealed record SendBriefingRequest(string? Title, string? Body, string? AttachmentUrl, bool? RequiresConfirmation, DateTimeOffset? DueAt,
    BriefingAudienceRequest? Audience);

/// <summary>How many people an audience reaches now, for the live count before sending.</summary>
/// <param name="Names">The first few recipients' names, in grid order.</param>
public sealed record BriefingAudiencePreview(int Count, IReadOnlyList<string> Names);

/// <summary>A briefing with its read figures.</summary>
/// <param name="Recipients">How many it was sent to.</param>
/// <param name="Read">How many opened it.</param>
/// <param name="Confirmed">How many pressed "我已阅读".</param>
/// <param name="Outstanding">How many still have to read it (to confirm it, when confirmation is asked for).</param>
public sealed record BriefingSummary(Guid Id, string Title, string SenderName, DateTimeOffset SentAt, DateTimeOffset? DueAt, bool RequiresConfirmation,
    int Recipients, int Read, int Confirmed, int Outstanding, DateTimeOffset? LastRemindedAt);

/// <summary>One recipient's receipt, as the sender's staff see it.</summary>
/// <param name="GridCode">The recipient's grid (scope) when it was sent.</param>
public sealed record BriefingReceipt(Guid UserId, string Name, string GridCode, string GridName, IReadOnlyList<BriefingRecipientKind> Kinds,
    DateTimeOffset? FirstOpenedAt, DateTimeOffset? ConfirmedAt, int ReminderCount);

/// <summary>The recipients of one grid who still have to read it.</summary>
public sealed record BriefingOutstandingGroup(string GridCode, string GridName, IReadOnlyList<string> Names);

/// <summary>The audience the sender chose, in names.</summary>
public sealed record BriefingAudienceDescription(IReadOnlyList<string> Grids, IReadOnlyList<BriefingRecipientKind> Kinds, IReadOnlyList<string> Organisations);

public sealed record BriefingDetail(BriefingSummary Summary, string Body, string? AttachmentUrl, BriefingAudienceDescription Audience,
    IReadOnlyList<BriefingReceipt> Receipts, IReadOnlyList<BriefingOutstandingGroup> OutstandingByGrid);

/// <summary>The answer of "remind now".</summary>
/// <param name="Reminded">How many were reminded by this request (0 for a repeat).</param>
/// <param name="Repeated">True when a reminder went out less than the window ago: nobody was reminded again.</param>
/// <param name="RemindedAt">The reminder that counts: this one, or the recent one it repeats.</param>
public sealed record BriefingReminderResult(int Reminded, bool Repeated, DateTimeOffset RemindedAt);

/// <summary>A briefing in a recipient's own list.</summary>
public sealed record MyBriefing(Guid Id, string Title, string SenderName, DateTimeOffset SentAt, DateTimeOffset? DueAt, bool RequiresConfirmation,
    DateTimeOffset? FirstOpenedAt, DateTimeOffset? ConfirmedAt);

/// <param name="Unread">Briefings not yet opened (or not confirmed where that is asked): the badge.</param>
public sealed record MyBriefings(int Unread, IReadOnlyList<MyBriefing> Items);

public sealed record MyBriefingNotice(MyBriefing Briefing, string Body, string? AttachmentUrl);

/// <summary>
/// Policy briefings (政策宣传): community staff and the operations centre send notices to workers of their scope, chosen by
/// grid, kind and organisation, and follow who read them; every worker reads their own on the phone.
/// </summary>
public static class BriefingsApi
{
    /// <summary>A second "remind now" within this time reminds nobody again.</summary>
    public static readonly TimeSpan RemindWindow = TimeSpan.FromMinutes(10);

    private const int MaxListed = 200;

    private static readonly string[] Senders = [Role.CommunityStaff.ToClaimValue(), Role.SubdistrictOperator.ToClaimValue()];
    private static readonly string[] Readers = [.. Senders, Role.DistrictViewer.ToClaimValue()];

    public static IEndpointRouteBuilder MapBriefingsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/briefings").WithTags("Briefings").RequireAuthorization(Policies.Staff);
        group.MapGet("/", List).RequireAuthorization(p => p.RequireRole(Readers)).WithName("ListBriefings")
            .WithSummary("Briefings sent in the caller's scope, newest first, with their read figures (community staff, operations centre, district).");
        group.MapPost("/preview", Preview).RequireAuthorization(p => p.RequireRole(Senders)).WithName("PreviewBriefingAudience")
            .WithSummary("How many workers an audience reaches now, before sending (community staff, operations centre).");
        group.MapPost("/", Send).RequireAuthorization(p => p.RequireRole(Senders)).WithIdempotency().WithName("SendBriefing")
            .WithSummary("Send a briefing to the workers of an audience in the caller's scope; the recipients are resolved now and kept.");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(p => p.RequireRole(Readers)).WithName("GetBriefing")
            .WithSummary("One briefing of the caller's scope with every receipt and the outstanding recipients by grid.");
        group.MapPost("/{id:guid}/remind", Remind).RequireAuthorization(p => p.RequireRole(Senders)).WithName("RemindBriefing")
            .WithSummary("Remind the recipients who have not read it yet, now; a repeat within 10 minutes reminds nobody again.");
        group.MapGet("/inbox", Inbox).WithName("ListMyBriefings").WithSummary("The briefings sent to the caller, unread first.");
        group.MapPost("/inbox/{id:guid}/open", Open).WithName("OpenMyBriefing")
            .WithSummary("Read one of the caller's briefings; the first opening is recorded.");
        group.MapPost("/inbox/{id:guid}/confirm", Confirm).WithName("ConfirmMyBriefing")
            .WithSummary("Confirm having read one of the caller's briefings (我已阅读); confirming again keeps the first time.");
        return routes;
    }

    public static async Task<Ok<List<BriefingSummary>>> List(CivicGridDbContext db, CancellationToken ct)
    {
        var rows = await db.Briefings.AsNoTracking().OrderByDescending(b => b.SentAt).Take(MaxListed)
            .Select(b => new
            {
                Briefing = b,
                Recipients = b.Recipients.Count,
                Read = b.Recipients.Count(r => r.FirstOpenedAt != null),
                Confirmed = b.Recipients.Count(r => r.ConfirmedAt != null),
            }).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => Summary(r.Briefing, r.Recipients, r.Read, r.Confirmed)).ToList());
    }

    public static async Task<Results<Ok<BriefingAudiencePreview>, ProblemHttpResult>> Preview(BriefingAudienceRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        if (request.GridCodes is not { Count: > 0 } && request.Kinds is not { Count: > 0 } && request.OrganisationIds is not { Count: > 0 })
        {
            return TypedResults.Ok(new BriefingAudiencePreview(0, []));
        }

        var (_, recipients, problem) = await BriefingAudienceReader.ResolveAsync(request, caller.GetScope(), db, geography, ct);
        return problem ?? (Results<Ok<BriefingAudiencePreview>, ProblemHttpResult>)TypedResults.Ok(
            new BriefingAudiencePreview(recipients.Count, [.. recipients.Take(10).Select(r => r.DisplayName)]));
    }

    /// <summary>
    /// Sends a briefing: 400 for a missing title or body, a bad link or a deadline not within 90 days; 403 for a grid or an
    /// organisation outside the caller's scope; 422 for an audience with no criterion or reaching nobody. Every recipient
    /// gets a notification in the same save.
    /// </summary>
    public static async Task<Results<Created<BriefingDetail>, ProblemHttpResult>> Send(SendBriefingRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var title = request.Title?.Trim() ?? string.Empty;
        var body = request.Body?.Trim() ?? string.Empty;
        var link = string.IsNullOrWhiteSpace(request.AttachmentUrl) ? null : request.AttachmentUrl.Trim();
        if (title.Length is 0 or > Briefing.MaxTitleLength)
        {
            errors["title"] = [$"请填写标题（{Briefing.MaxTitleLength} 字以内）。"];
        }

        if (body.Length is 0 or > Briefing.MaxBodyLength)
        {
            errors["body"] = [$"请填写正文（{Briefing.MaxBodyLength} 字以内）。"];
        }

        if (link is not null && !IsAllowedLink(link))
        {
            errors["attachmentUrl"] = [$"附件链接须为 http(s) 网址或本站路径（以 / 开头），{Briefing.MaxAttachmentUrlLength} 字符以内。"];
        }

        if (request.DueAt is { } due && (due <= now || due > now + Briefing.MaxReadingPeriod))
        {
            errors["dueAt"] = ["阅读截止时间须晚于现在，且在 90 天以内。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var scope = caller.GetScope();
        var (audience, recipients, problem) = await BriefingAudienceReader.ResolveAsync(request.Audience, scope, db, geography, ct);
        if ((problem ?? BriefingAudienceReader.RefuseEmpty(recipients)) is { } refused)
        {
            return refused;
        }

        var senderName = caller.FindFirstValue(CivicGridClaims.DisplayName) ?? caller.Identity?.Name ?? string.Empty;
        var briefing = new Briefing(title, body, link, request.RequiresConfirmation ?? false, request.DueAt, scope.Code, scope.UserId, senderName,
            audience, recipients, now);
        db.Briefings.Add(briefing);
        await BriefingNotices.SentAsync(new NotificationWriter(db), briefing, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/briefings/{briefing.Id}", await DetailAsync(db, briefing, geography, ct));
    }

    public static async Task<Results<Ok<BriefingDetail>, ProblemHttpResult>> Get(Guid id, CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var briefing = await db.Briefings.AsNoTracking().Include(b => b.Recipients).SingleOrDefaultAsync(b => b.Id == id, ct);
        return briefing is null ? NotFound() : TypedResults.Ok(await DetailAsync(db, briefing, geography, ct));
    }

    /// <summary>
    /// Reminds the outstanding recipients now. Within <see cref="RemindWindow"/> of the last reminder (the sender's or the
    /// daily job's) it reminds nobody and says so; two presses at once remind once (the briefing's reminder time is claimed by
    /// a conditional update first).
    /// </summary>
    public static async Task<Results<Ok<BriefingReminderResult>, ProblemHttpResult>> Remind(Guid id, CivicGridDbContext db, TimeProvider time,
        CancellationToken ct)
    {
        var briefing = await db.Briefings.Include(b => b.Recipients).SingleOrDefaultAsync(b => b.Id == id, ct);
        if (briefing is null)
        {
            return NotFound();
        }

        var now = time.GetUtcNow();
        if (briefing.DueAt is { } due && due <= now)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "/problems/briefing-closed", "The briefing's reading deadline has passed.",
                $"阅读截止时间（{CaseNotificationRules.BeijingTime(due)}）已过，不再提醒。");
        }

        if (!briefing.Outstanding.Any())
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "/problems/briefing-all-read", "Every recipient has read the briefing.",
                "所有接收人都已阅读，无需提醒。");
        }

        var seen = briefing.LastRemindedAt;
        if (BriefingReminders.RepeatsRecentReminder(seen, now, RemindWindow))
        {
            return TypedResults.Ok(new BriefingReminderResult(0, true, seen!.Value));
        }

        var claimed = await db.Briefings.Where(b => b.Id == id && b.LastRemindedAt == seen)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.LastRemindedAt, now), ct);
        if (claimed != 1)
        {
            var current = await db.Briefings.AsNoTracking().Where(b => b.Id == id).Select(b => b.LastRemindedAt).SingleAsync(ct);
            return TypedResults.Ok(new BriefingReminderResult(0, true, current ?? now));
        }

        var reminded = briefing.Remind(now);
        await BriefingNotices.RemindedAsync(new NotificationWriter(db), briefing, reminded, now, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new BriefingReminderResult(reminded.Count, false, now));
    }

    /// <summary>The caller's own briefings: outstanding ones first, then newest first.</summary>
    public static async Task<Ok<MyBriefings>> Inbox(ClaimsPrincipal caller, CivicGridDbContext db, CancellationToken ct)
    {
        var items = await Mine(caller, db).ToListAsync(ct);
        var ordered = items.OrderBy(i => IsOutstanding(i) ? 0 : 1).ThenByDescending(i => i.SentAt).Take(MaxListed).ToList();
        return TypedResults.Ok(new MyBriefings(items.Count(IsOutstanding), ordered));
    }

    public static Task<Results<Ok<MyBriefingNotice>, ProblemHttpResult>> Open(Guid id, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time,
        CancellationToken ct) => ActOnOwnAsync(id, caller, db, r => r.Open(time.GetUtcNow()), ct);

    public static Task<Results<Ok<MyBriefingNotice>, ProblemHttpResult>> Confirm(Guid id, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time,
        CancellationToken ct) => ActOnOwnAsync(id, caller, db, r => r.Confirm(time.GetUtcNow()), ct);

    private static async Task<Results<Ok<MyBriefingNotice>, ProblemHttpResult>> ActOnOwnAsync(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        Action<BriefingRecipient> act, CancellationToken ct)
    {
        var userId = caller.GetUserId() ?? Guid.Empty;
        var receipt = await db.BriefingRecipients.SingleOrDefaultAsync(r => r.BriefingId == id && r.UserId == userId, ct);
        if (receipt is null)
        {
            return Problems.NotFound("找不到这条通知，或它不是发给您的。");
        }

        act(receipt);
        await db.SaveChangesAsync(ct);
        await db.Entry(receipt).ReloadAsync(ct); // answer the times as stored (the database keeps less precision than the clock)
        var briefing = await db.Briefings.IgnoreQueryFilters().AsNoTracking().SingleAsync(b => b.Id == id, ct);
        return TypedResults.Ok(new MyBriefingNotice(new MyBriefing(briefing.Id, briefing.Title, briefing.SenderName, briefing.SentAt, briefing.DueAt,
            briefing.RequiresConfirmation, receipt.FirstOpenedAt, receipt.ConfirmedAt), briefing.Body, briefing.AttachmentUrl));
    }

    /// <summary>
    /// The caller's receipts joined to their briefings. The briefings are read past their scope filter on purpose: a worker
    /// is not in the sender's scope, and the receipt (which is the caller's own) is what grants the reading.
    /// </summary>
    private static IQueryable<MyBriefing> Mine(ClaimsPrincipal caller, CivicGridDbContext db)
    {
        var userId = caller.GetUserId() ?? Guid.Empty;
        return from r in db.BriefingRecipients.AsNoTracking().Where(r => r.UserId == userId)
               join b in db.Briefings.IgnoreQueryFilters().AsNoTracking() on r.BriefingId equals b.Id
               select new MyBriefing(b.Id, b.Title, b.SenderName, b.SentAt, b.DueAt, b.RequiresConfirmation, r.FirstOpenedAt, r.ConfirmedAt);
    }

    private static bool IsOutstanding(MyBriefing b) => b.RequiresConfirmation ? b.ConfirmedAt is null : b.FirstOpenedAt is null;

    private static BriefingSummary Summary(Briefing b, int recipients, int read, int confirmed) =>
        new(b.Id, b.Title, b.SenderName, b.SentAt, b.DueAt, b.RequiresConfirmation, recipients, read, confirmed,
            b.RequiresConfirmation ? recipients - confirmed : recipients - read, b.LastRemindedAt);

    private static async Task<BriefingDetail> DetailAsync(CivicGridDbContext db, Briefing b, GeographyIndex geography, CancellationToken ct)
    {
        var grids = (await geography.GetAsync(ct)).Grids;
        string GridName(string code) => grids.TryGetValue(code, out var g) ? g.Name : code;
        var organisations = b.AudienceOrganisationIds.Count == 0
            ? []
            : await db.Organisations.IgnoreQueryFilters().AsNoTracking().Where(o => b.AudienceOrganisationIds.Contains(o.Id)).Select(o => o.Name).ToListAsync(ct);
        var receipts = b.Recipients.OrderBy(r => r.ScopeCode, StringComparer.Ordinal).ThenBy(r => r.DisplayName, StringComparer.Ordinal)
            .Select(r => new BriefingReceipt(r.UserId, r.DisplayName, r.ScopeCode, GridName(r.ScopeCode), [.. r.Roles.Select(KindOf).OfType<BriefingRecipientKind>()],
                r.FirstOpenedAt, r.ConfirmedAt, r.ReminderCount))
            .ToList();
        var outstanding = b.Outstanding.GroupBy(r => r.ScopeCode).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new BriefingOutstandingGroup(g.Key, GridName(g.Key), [.. g.Select(r => r.DisplayName).Order(StringComparer.Ordinal)]))
            .ToList();
        var summary = Summary(b, b.Recipients.Count, b.Recipients.Count(r => r.FirstOpenedAt is not null), b.Recipients.Count(r => r.ConfirmedAt is not null));
        return new BriefingDetail(summary, b.Body, b.AttachmentUrl,
            new BriefingAudienceDescription([.. b.AudienceGridCodes.Select(GridName)], b.AudienceKinds, organisations), receipts, outstanding);
    }

    private static BriefingRecipientKind? KindOf(Role role) =>
        Enum.GetValues<BriefingRecipientKind>().Select(k => (BriefingRecipientKind?)k).FirstOrDefault(k => BriefingRecipients.RoleOf(k!.Value) == role);

    private static bool IsAllowedLink(string link) =>
        link.Length <= Briefing.MaxAttachmentUrlLength
        && ((Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            || (link.StartsWith('/') && !link.StartsWith("//", StringComparison.Ordinal)));

    private static ProblemHttpResult NotFound() => Problems.NotFound("找不到这条政策宣传，或它不在您的管辖范围内。");
}
