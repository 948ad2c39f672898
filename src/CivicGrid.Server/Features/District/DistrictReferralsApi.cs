using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Cases;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.District;

public sealed record ReferralResponse(Guid Id, string CaseNumber, string SubdistrictCode, string Summary, DateTimeOffset CreatedAt, ReferralStatus Status,
    DateTimeOffset? DeliveredAt, string? Answer, DateTimeOffset? AnsweredAt);

/// <summary>A referral in the list, with how its webhook delivery stands (see <see cref="DistrictDeliveryState"/>).</summary>
/// <param name="Delivery">none (no webhook configured), pending (retrying or waiting for the first attempt), sent, or failed (given up).</param>
/// <param name="Attempts">Delivery attempts made so far.</param>
/// <param name="NextAttemptAt">When the next attempt is due, while pending.</param>
/// <param name="LastError">The last attempt's error, while not sent.</param>
public sealed record ReferralListItem(Guid Id, string CaseNumber, string SubdistrictCode, string Summary, DateTimeOffset CreatedAt, ReferralStatus Status,
    DateTimeOffset? DeliveredAt, string? Answer, DateTimeOffset? AnsweredAt,
    [property: ApiValues(typeof(DistrictDeliveryState), nameof(DistrictDeliveryState.Deliveries))] string Delivery, int Attempts, DateTimeOffset? NextAttemptAt,
    string? LastError);

/// <param name="Outcome">accepted, replied or closed.</param>
public sealed record ReferralAnswerRequest(string? Outcome, string? Answer, int? ExpectedVersion);

/// <summary>
/// The outbound report of red cases to the district (上报区级) as staff see it: the referrals with their webhook delivery,
/// the district's acknowledgement and answer typed in the console (its system answers through <see cref="DistrictApi"/>).
/// </summary>
public static class DistrictReferralsApi
{
    public static IEndpointRouteBuilder MapDistrictReferralsApi(this IEndpointRouteBuilder routes)
    {
        var referrals = routes.MapGroup("/api/district-referrals").WithTags("Colour records").RequireAuthorization(Policies.Staff, Policies.CaseContent);
        referrals.MapGet("/", ListReferrals).WithName("ListDistrictReferrals")
            .WithSummary("Red cases reported to the district and what became of them, with their webhook delivery; filter by status and delivery (none, pending, sent, failed).");
        referrals.MapPost("/{id:guid}/acknowledge", Acknowledge).WithName("AcknowledgeDistrictReferral").WithSummary("The district confirms receipt.");
        referrals.MapPost("/{id:guid}/answer", Answer).WithName("AnswerDistrictReferral")
            .WithSummary("The district's answer (accepted, replied, closed); it goes onto the case's timeline.");
        return routes;
    }

    /// <summary>
    /// The newest 500 referrals of the caller's scope (optionally of one <paramref name="status"/>), each with its delivery
    /// state; <paramref name="delivery"/> keeps those whose delivery is none, pending, sent or failed (400 for another word).
    /// </summary>
    public static async Task<Results<Ok<List<ReferralListItem>>, ProblemHttpResult>> ListReferrals([ApiEnum(typeof(ReferralStatus))] string? status,
        [ApiValues(typeof(DistrictDeliveryState), nameof(DistrictDeliveryState.Deliveries))] string? delivery, CivicGridDbContext db,
        CancellationToken ct)
    {
        var wantedDelivery = delivery?.Trim().ToLowerInvariant();
        if (wantedDelivery is not (null or "" or "none" or "pending" or "sent" or "failed"))
        {
            return Problems.Validation("delivery", "delivery 只能是 none、pending、sent 或 failed。");
        }

        var query = db.DistrictReferrals.AsNoTracking();
        if (ApiEnums.TryParse<ReferralStatus>(status, out var wanted))
        {
            query = query.Where(r => r.Status == wanted);
        }

        var referrals = await query.OrderByDescending(r => r.CreatedAt).Take(500).ToListAsync(ct);
        var states = await DistrictDeliveryState.OfAsync(db, referrals.Select(r => r.Id).ToList(), ct);
        return TypedResults.Ok(referrals
            .Select(r => (Referral: r, State: states[r.Id]))
            .Where(x => string.IsNullOrEmpty(wantedDelivery) || x.State.Delivery == wantedDelivery)
            .Select(x => new ReferralListItem(x.Referral.Id, x.Referral.CaseNumber, x.Referral.SubdistrictCode, x.Referral.Summary, x.Referral.CreatedAt,
                x.Referral.Status, x.Referral.DeliveredAt, x.Referral.Answer, x.Referral.AnsweredAt, x.State.Delivery, x.State.Attempts,
                x.State.NextAttemptAt, x.State.LastError))
            .ToList());
    }

    public static async Task<Results<Ok<ReferralResponse>, ProblemHttpResult>> Acknowledge(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        TimeProvider time, CancellationToken ct)
    {
        if (!caller.GetRoles().Contains(Role.DistrictViewer))
        {
            return Problems.Forbidden("只有区级用户可以确认接收上报。");
        }

        var referral = await db.DistrictReferrals.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (referral is null)
        {
            return Problems.NotFound("找不到该上报记录，或它不在您的查看范围内。");
        }

        if (referral.Status == ReferralStatus.Pending)
        {
            referral.Status = ReferralStatus.Delivered;
            referral.DeliveredAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }

        return TypedResults.Ok(Describe(referral));
    }

    public static async Task<Results<Ok<ReferralResponse>, ProblemHttpResult>> Answer(Guid id, ReferralAnswerRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        var referral = await db.DistrictReferrals.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (referral is null)
        {
            return Problems.NotFound("找不到该上报记录，或它不在您的查看范围内。");
        }

        if (CaseActing.RequireVersion(request.ExpectedVersion) is { } missing)
        {
            return missing;
        }

        var subject = await db.Cases.SingleOrDefaultAsync(c => c.Id == referral.CaseId, ct);
        if (subject is null)
        {
            return CaseActing.NotFound(referral.CaseNumber);
        }

        var actor = await CaseActing.ActorOfAsync(caller, db, ct);
        var outcome = request.Outcome?.Trim().ToLowerInvariant() ?? string.Empty;
        var result = await CaseActing.RunAsync(subject, actor, db, time, (c, a, now) =>
        {
            RecordAnswer(referral, c, a, request.ExpectedVersion!.Value, now, outcome, request.Answer ?? string.Empty);
            return Task.FromResult<ProblemHttpResult?>(null);
        }, ct);
        return result.Result is ProblemHttpResult problem ? problem : TypedResults.Ok(Describe(referral));
    }

    /// <summary>
    /// The district's answer, whether typed in the console or received from the district's system: onto the case's
    /// timeline (the domain checks who may answer and what), then onto the referral.
    /// </summary>
    /// <param name="outcome">accepted, replied or closed.</param>
    public static void RecordAnswer(DistrictReferral referral, Case subject, Actor actor, int expectedVersion, DateTimeOffset now, string outcome,
        string answer)
    {
        ArgumentNullException.ThrowIfNull(referral);
        ArgumentNullException.ThrowIfNull(subject);
        subject.RecordDistrictAnswer(actor, expectedVersion, now, outcome, answer);
        referral.Status = StatusOf(outcome);
        referral.DeliveredAt ??= now;
        referral.Answer = answer.Trim();
        referral.AnsweredAt = now;
        referral.AnsweredBy = actor.IsSystem ? null : actor.UserId;
    }

    /// <summary>The referral's status after an answer with <paramref name="outcome"/> (accepted, replied, else closed).</summary>
    public static ReferralStatus StatusOf(string outcome) =>
        outcome switch { "accepted" => ReferralStatus.Accepted, "replied" => ReferralStatus.Replied, _ => ReferralStatus.Closed };

    public static ReferralResponse Describe(DistrictReferral r) =>
        new(r.Id, r.CaseNumber, r.SubdistrictCode, r.Summary, r.CreatedAt, r.Status, r.DeliveredAt, r.Answer, r.AnsweredAt);
}
