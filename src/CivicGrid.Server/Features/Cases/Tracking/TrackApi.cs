using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Calendar;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Features.Catalogue;
using CivicGrid.Server.Features.Cases.Photos;
using CivicGrid.Server.Features.Cases.Workflow;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using CaseResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<CivicGrid.Server.Features.Cases.CaseState>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace CivicGrid.Server.Features.Cases.Tracking;

/// <summary>
/// What the reporter sees of their case (anonymous with the follow token, or signed in): where it stands, its public history in
/// plain Chinese, the result, when it is expected, and which of their own verbs they may take now.
/// </summary>
/// <param name="CanVerify">The result is waiting for the reporter's check.</param>
/// <param name="CanEvaluate">The reporter may rate it now (with a comment).</param>
/// <param name="PhotoIds">Every photo of the case: the report's, the reporter's additions and the result's.</param>
/// <param name="CanSupplement">补充: the case is open; the reporter may add words and photos.</param>
/// <param name="CanChase">催办: the case is late (past its deadline, or open three days) and was not chased in the last 24 hours.</param>
/// <param name="ChaseAvailableAt">When 催办 becomes possible (now when <paramref name="CanChase"/>); null when the case is past handling.</param>
/// <param name="CanWithdraw">撤回: nobody has accepted the report yet.</param>
/// <param name="ExpectedBy">When it is expected to be handled: the assignment's due time, else the category's limit from the report on the work calendar.</param>
/// <param name="Result">The handling result (the handler's reply, the unit, the photos) once recorded and while it stands.</param>
/// <param name="EvaluationComment">The reporter's own words with their rating.</param>
/// <param name="Mine">True when the caller is the reporter (a staff member reading a case gets the same view with no verbs).</param>
public sealed record TrackedCase(string Number, string CategoryName, CaseStatus Status, string StatusText, int Version, DateTimeOffset ReportedAt,
    bool CanVerify, bool CanEvaluate, int? Rating, IReadOnlyList<CasePublicEntry> Timeline, IReadOnlyList<Guid> PhotoIds,
    bool CanSupplement = false, bool CanChase = false, DateTimeOffset? ChaseAvailableAt = null, bool CanWithdraw = false,
    DateTimeOffset? ExpectedBy = null, ResidentResult? Result = null, string? EvaluationComment = null, bool Mine = false);

/// <summary>
/// Following a case without an account: the anonymous reporter proves it with the follow token handed out at intake
/// (header <c>Follow-Token</c>) and may read the public history, check the result, rate it, or say it is not fixed.
/// A wrong token is indistinguishable from an unknown number.
/// </summary>
public static class TrackApi
{
    public const string TokenHeader = "Follow-Token";

    public static IEndpointRouteBuilder MapTrackApi(this IEndpointRouteBuilder routes)
    {
        var g = routes.MapGroup("/api/track/{number}").WithTags("Cases").AllowAnonymous().RequireRateLimiting(RoutingApi.LocateRateLimit);
        g.MapGet("/", Get).WithName("TrackCase").WithSummary("An anonymous reporter's view of their case (header Follow-Token).");
        g.MapPost("/verify", Verify).WithName("TrackVerifyCase").WithSummary("The anonymous reporter checks the result (failed → more work).");
        g.MapPost("/evaluate", Evaluate).WithName("TrackEvaluateCase").WithSummary("The anonymous reporter rates the handling 1–5.");
        g.MapPost("/reopen", Reopen).WithName("TrackReopenCase").WithSummary("The anonymous reporter says it is not fixed.");
        g.MapGet("/photos/{id:guid}", Photo).WithName("TrackCasePhoto").WithSummary("A photo of the case, for its anonymous reporter.");
        g.MapPost("/supplement", Supplement).DisableAntiforgery().Accepts<SupplementForm>("multipart/form-data", "application/json")
            .WithMetadata(new RequestSizeLimitAttribute(40L * 1024 * 1024))
            .WithName("TrackSupplementCase").WithSummary("补充: the anonymous reporter adds words and up to 9 photos to the open case.");
        g.MapPost("/chase", Chase).WithName("TrackChaseCase").WithSummary("催办: the anonymous reporter chases a late case (once per 24 hours).");
        g.MapPost("/withdraw", Withdraw).WithName("TrackWithdrawCase").WithSummary("撤回: the anonymous reporter withdraws the report, with a reason, before it is accepted.");

        // The same for a signed-in reporter, through the case their account may see.
        var mine = routes.MapGroup("/api/cases/{number}").WithTags("Cases").RequireAuthorization(Policies.CaseContent);
        mine.MapGet("/progress", Progress).WithName("GetCaseProgress")
            .WithSummary("The reporter's view of their case: public history, result, expected time and the verbs they may take (补充, 催办, 撤回, 核查, 评价).");
        mine.MapPost("/supplement", SupplementMine).DisableAntiforgery().Accepts<SupplementForm>("multipart/form-data", "application/json")
            .WithMetadata(new RequestSizeLimitAttribute(40L * 1024 * 1024))
            .WithName("SupplementCase").WithSummary("补充: the reporter adds words and up to 9 photos to the open case.");
        mine.MapPost("/chase", ChaseMine).WithName("ChaseCase").WithSummary("催办: the reporter chases a late case (once per 24 hours).");
        mine.MapPost("/withdraw", WithdrawMine).WithName("WithdrawCase").WithSummary("撤回: the reporter withdraws the report, with a reason, before it is accepted.");
        return routes;
    }

    /// <summary>The fields of 补充 as a multipart form: the version seen and a few words, with up to 9 files named <c>photos</c>.</summary>
    public sealed record SupplementForm(int? ExpectedVersion, string? Text);

    public static async Task<Results<Ok<TrackedCase>, ProblemHttpResult>> Get(string number, [FromHeader(Name = TokenHeader)] string? token,
        ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CategoryCache categories, WorkCalendarProvider calendars, CancellationToken ct)
    {
        var subject = await FindAsync(number, token, db, tracked: false, ct);
        if (subject is null)
        {
            return NotFound(number);
        }

        // A follow token does not make the staff member who typed the call in, or who handled the case, its reporter.
        var mayAct = caller.GetUserId() is not { } userId || !CaseRules.WhoEnteredOrHandled(subject).Contains(userId);
        return TypedResults.Ok(await DescribeAsync(subject, Actor.AnonymousReporter(subject.Number), mayAct, db, time, categories, calendars, ct));
    }

    public static async Task<Results<Ok<TrackedCase>, ProblemHttpResult>> Progress(string number, ClaimsPrincipal caller, CivicGridDbContext db,
        TimeProvider time, CategoryCache categories, WorkCalendarProvider calendars, CancellationToken ct)
    {
        var subject = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Number == number, ct);
        if (subject is null)
        {
            return CaseActing.NotFound(number);
        }

        var actor = await CaseActing.ActorOfAsync(caller, db, ct);
        return TypedResults.Ok(await DescribeAsync(subject, actor, !CaseRules.EnteredOrHandled(actor, subject), db, time, categories, calendars, ct));
    }

    /// <summary>The reporter's view; the verbs are offered only to the reporter, and never to who entered or handled the case.</summary>
    private static async Task<TrackedCase> DescribeAsync(Case subject, Actor actor, bool mayAct, CivicGridDbContext db, TimeProvider time,
        CategoryCache categories, WorkCalendarProvider calendars, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var mine = mayAct && CaseRules.IsReporter(actor, subject);
        IReadOnlyList<string> allowed = mine ? CaseRules.AllowedActions(actor, subject, now) : [];
        var category = await categories.FindAsync(subject.CategoryCode, ct);
        var photos = await db.CasePhotos.IgnoreQueryFilters().AsNoTracking().Where(p => p.CaseId == subject.Id).OrderBy(p => p.UploadedAt)
            .Select(p => p.Id).ToListAsync(ct);
        return new TrackedCase(subject.Number, category?.Name ?? subject.CategoryCode, subject.Status, subject.Status.ToChinese(),
            subject.Version, subject.ReportedAt, allowed.Contains(CaseVerbs.Verify), allowed.Contains(CaseVerbs.Evaluate), subject.Rating,
            subject.PublicTimeline(), photos, allowed.Contains(CaseVerbs.Supplement), allowed.Contains(CaseVerbs.Chase),
            mine ? CaseRules.ChaseAvailableAt(subject, now) : null, allowed.Contains(CaseVerbs.Withdraw),
            await ResidentCase.ExpectedByAsync(subject, categories, calendars, ct), ResidentCase.ResultOf(subject), subject.EvaluationComment, mine);
    }

    public static async Task<CaseResult> Supplement(string number, [FromHeader(Name = TokenHeader)] string? token, HttpRequest request,
        ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, PhotoProcessor processor, CaseIntake intake,
        IOptions<PhotoOptions> photoOptions, IOptions<CaseOptions> caseOptions, CancellationToken ct)
    {
        var subject = await FindAsync(number, token, db, tracked: true, ct);
        if (subject is null)
        {
            return NotFound(number);
        }

        if (caller.GetUserId() is { } userId && CaseRules.WhoEnteredOrHandled(subject).Contains(userId))
        {
            return CaseActing.Refusal(new CaseRuleException(CaseRules.NotByWhoEnteredOrHandled));
        }

        return await ResidentCase.SupplementAsync(subject, Actor.AnonymousReporter(subject.Number), request, db, time, processor, intake,
            photoOptions, caseOptions, ct);
    }

    public static Task<CaseResult> Chase(string number, [FromHeader(Name = TokenHeader)] string? token, VersionRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        ActAsync(number, token, request.ExpectedVersion, caller, db, time, (c, a, now) => c.Chase(a, request.ExpectedVersion!.Value, now), ct);

    public static Task<CaseResult> Withdraw(string number, [FromHeader(Name = TokenHeader)] string? token, ReasonRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        ActAsync(number, token, request.ExpectedVersion, caller, db, time, (c, a, now) => c.Withdraw(a, request.ExpectedVersion!.Value, now, request.Reason ?? string.Empty), ct);

    public static async Task<CaseResult> SupplementMine(string number, HttpRequest request, ClaimsPrincipal caller, CivicGridDbContext db,
        TimeProvider time, PhotoProcessor processor, CaseIntake intake, IOptions<PhotoOptions> photoOptions, IOptions<CaseOptions> caseOptions,
        CancellationToken ct)
    {
        var subject = await db.Cases.SingleOrDefaultAsync(c => c.Number == number, ct);
        if (subject is null)
        {
            return CaseActing.NotFound(number);
        }

        var actor = await CaseActing.ActorOfAsync(caller, db, ct);
        return await ResidentCase.SupplementAsync(subject, actor, request, db, time, processor, intake, photoOptions, caseOptions, ct);
    }

    public static Task<CaseResult> ChaseMine(string number, VersionRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time,
        CancellationToken ct) =>
        MineAsync(number, request.ExpectedVersion, caller, db, time, (c, a, now) => c.Chase(a, request.ExpectedVersion!.Value, now), ct);

    public static Task<CaseResult> WithdrawMine(string number, ReasonRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time,
        CancellationToken ct) =>
        MineAsync(number, request.ExpectedVersion, caller, db, time, (c, a, now) => c.Withdraw(a, request.ExpectedVersion!.Value, now, request.Reason ?? string.Empty), ct);

    private static Task<CaseResult> MineAsync(string number, int? expectedVersion, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time,
        Action<Case, Actor, DateTimeOffset> verb, CancellationToken ct) =>
        CaseActing.RequireVersion(expectedVersion) is { } missing
            ? Task.FromResult<CaseResult>(missing)
            : CaseActing.ActAsync(number, caller, db, time, (c, a, now) =>
            {
                verb(c, a, now);
                return Task.FromResult<ProblemHttpResult?>(null);
            }, ct);

    public static Task<CaseResult> Verify(string number, [FromHeader(Name = TokenHeader)] string? token, VerifyRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        request.Passed is null
            ? Task.FromResult<CaseResult>(Problems.Validation("passed", "请说明问题是否已解决 passed。"))
            : ActAsync(number, token, request.ExpectedVersion, caller, db, time, (c, a, now) => c.Verify(a, request.ExpectedVersion!.Value, now, request.Passed.Value, request.Note), ct);

    public static Task<CaseResult> Evaluate(string number, [FromHeader(Name = TokenHeader)] string? token, EvaluateRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        ActAsync(number, token, request.ExpectedVersion, caller, db, time, (c, a, now) => c.Evaluate(a, request.ExpectedVersion!.Value, now, request.Rating ?? 0, request.Comment), ct);

    public static Task<CaseResult> Reopen(string number, [FromHeader(Name = TokenHeader)] string? token, ReasonRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        ActAsync(number, token, request.ExpectedVersion, caller, db, time, (c, a, now) => c.Reopen(a, request.ExpectedVersion!.Value, now, request.Reason ?? string.Empty), ct);

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Photo(string number, Guid id, string? size,
        [FromHeader(Name = TokenHeader)] string? token, CivicGridDbContext db, PhotoStore store, CancellationToken ct)
    {
        var subject = await FindAsync(number, token, db, tracked: false, ct);
        if (subject is null || !await db.CasePhotos.AnyAsync(p => p.Id == id && p.CaseId == subject.Id, ct))
        {
            return Problems.NotFound("找不到该照片。");
        }

        return await CasePhotosApi.OpenAsync(store, id, size);
    }

    private static async Task<CaseResult> ActAsync(string number, string? token, int? expectedVersion, ClaimsPrincipal caller, CivicGridDbContext db,
        TimeProvider time, Action<Case, Actor, DateTimeOffset> verb, CancellationToken ct)
    {
        if (CaseActing.RequireVersion(expectedVersion) is { } missing)
        {
            return missing;
        }

        var subject = await FindAsync(number, token, db, tracked: true, ct);
        if (subject is null)
        {
            return NotFound(number);
        }

        // A follow token does not make the staff member who typed the call in, or who handled the case, its reporter.
        if (caller.GetUserId() is { } userId && CaseRules.WhoEnteredOrHandled(subject).Contains(userId))
        {
            return CaseActing.Refusal(new CaseRuleException(CaseRules.NotByWhoEnteredOrHandled));
        }

        return await CaseActing.RunAsync(subject, Actor.AnonymousReporter(subject.Number), db, time, (c, a, now) =>
        {
            verb(c, a, now);
            return Task.FromResult<ProblemHttpResult?>(null);
        }, ct);
    }

    /// <summary>
    /// The case whose follow token this is. The caller has no scope (anonymous), so the lookup ignores the scope filter
    /// and the token is the whole authorisation: compared in constant time against the stored hash.
    /// </summary>
    private static async Task<Case?> FindAsync(string number, string? token, CivicGridDbContext db, bool tracked, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 64)
        {
            return null;
        }

        var hash = await db.Cases.IgnoreQueryFilters().Where(c => c.Number == number && c.ReporterId == null)
            .Select(c => EF.Property<string?>(c, CaseConfiguration.FollowTokenHashProperty)).SingleOrDefaultAsync(ct);
        if (!CaseIntake.FollowTokenMatches(hash, token))
        {
            return null;
        }

        var query = db.Cases.IgnoreQueryFilters().Where(c => c.Number == number);
        return await (tracked ? query : query.AsNoTracking()).SingleAsync(ct);
    }

    private static ProblemHttpResult NotFound(string number) =>
        Problems.NotFound($"找不到编号为 {number} 的案件，或查询码不正确。请核对上报成功时显示的案件编号和查询码。");
}
