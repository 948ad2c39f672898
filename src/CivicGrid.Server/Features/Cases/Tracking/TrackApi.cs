using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Cases.Intake;
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
using CaseResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<CivicGrid.Server.Features.Cases.CaseState>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace CivicGrid.Server.Features.Cases.Tracking;

/// <summary>What an anonymous reporter sees of their case: where it stands and its public history in plain Chinese.</summary>
/// <param name="CanVerify">The result is waiting for the reporter's check.</param>
/// <param name="CanEvaluate">The reporter may rate it now.</param>
public sealed record TrackedCase(string Number, string CategoryName, CaseStatus Status, string StatusText, int Version, DateTimeOffset ReportedAt,
    bool CanVerify, bool CanEvaluate, int? Rating, IReadOnlyList<CasePublicEntry> Timeline, IReadOnlyList<Guid> PhotoIds);

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
        return routes;
    }

    public static async Task<Results<Ok<TrackedCase>, ProblemHttpResult>> Get(string number, [FromHeader(Name = TokenHeader)] string? token,
        ClaimsPrincipal caller, CivicGridDbContext db, CancellationToken ct)
    {
        var subject = await FindAsync(number, token, db, tracked: false, ct);
        if (subject is null)
        {
            return NotFound(number);
        }

        var actor = Actor.AnonymousReporter(subject.Number);
        var mayAct = caller.GetUserId() is not { } userId || !CaseRules.WhoEnteredOrHandled(subject).Contains(userId);
        var category = await db.CaseCategories.AsNoTracking().Where(c => c.Code == subject.CategoryCode).Select(c => c.Name).SingleOrDefaultAsync(ct);
        var photos = await db.CasePhotos.AsNoTracking().Where(p => p.CaseId == subject.Id).OrderBy(p => p.UploadedAt).Select(p => p.Id).ToListAsync(ct);
        return TypedResults.Ok(new TrackedCase(subject.Number, category ?? subject.CategoryCode, subject.Status, subject.Status.ToChinese(),
            subject.Version, subject.ReportedAt, mayAct && subject.Status == CaseStatus.Handled && CaseRules.IsReporter(actor, subject),
            mayAct && subject.Status == CaseStatus.Verified && CaseRules.IsReporter(actor, subject), subject.Rating, subject.PublicTimeline(), photos));
    }

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
