using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Cases;

/// <summary>A blue case waiting for the next joint analysis meeting.</summary>
public sealed record AgendaItem(string Number, string Title, string CategoryCode, string GridCode, CaseStatus Status, int Version, DateTimeOffset ReportedAt,
    int DecisionsSoFar);

public sealed record MeetingDecisionInput(string? CaseNumber, int? ExpectedVersion, string? Decision);

/// <param name="HeldAt">When the meeting took place (not in the future).</param>
/// <param name="Decisions">One decision per case discussed; all are recorded or none.</param>
public sealed record RecordMeetingRequest(string? Title, DateTimeOffset? HeldAt, string? Place, IReadOnlyList<string>? Participants, string? Summary,
    IReadOnlyList<MeetingDecisionInput>? Decisions);

public sealed record MeetingResponse(Guid Id, string SubdistrictCode, string Title, DateTimeOffset HeldAt, string Place, IReadOnlyList<string> Participants,
    string Summary, DateTimeOffset RecordedAt, IReadOnlyList<string> CaseNumbers);

public sealed record ReferralResponse(Guid Id, string CaseNumber, string SubdistrictCode, string Summary, DateTimeOffset CreatedAt, ReferralStatus Status,
    DateTimeOffset? DeliveredAt, string? Answer, DateTimeOffset? AnsweredAt);

/// <summary>A referral in the list, with how its webhook delivery stands (see <see cref="District.DistrictDeliveryState"/>).</summary>
/// <param name="Delivery">none (no webhook configured), pending (retrying or waiting for the first attempt), sent, or failed (given up).</param>
/// <param name="Attempts">Delivery attempts made so far.</param>
/// <param name="NextAttemptAt">When the next attempt is due, while pending.</param>
/// <param name="LastError">The last attempt's error, while not sent.</param>
public sealed record ReferralListItem(Guid Id, string CaseNumber, string SubdistrictCode, string Summary, DateTimeOffset CreatedAt, ReferralStatus Status,
    DateTimeOffset? DeliveredAt, string? Answer, DateTimeOffset? AnsweredAt,
    [property: ApiValues(typeof(District.DistrictDeliveryState), nameof(District.DistrictDeliveryState.Deliveries))] string Delivery, int Attempts, DateTimeOffset? NextAttemptAt,
    string? LastError);

/// <param name="Outcome">accepted, replied or closed.</param>
public sealed record ReferralAnswerRequest(string? Outcome, string? Answer, int? ExpectedVersion);

/// <summary>
/// The records the colours need: the joint analysis meeting of the subdistrict for blue cases (联席会议, with a
/// decision per case) and the outbound report of red cases to the district (上报区级), whose delivery and answer are
/// tracked here (the district's own system joins through the interop issue's webhook).
/// </summary>
public static class ColourRecordsApi
{
    public static IEndpointRouteBuilder MapColourRecordsApi(this IEndpointRouteBuilder routes)
    {
        var meetings = routes.MapGroup("/api/meetings").WithTags("Colour records").RequireAuthorization(Policies.Staff);
        meetings.MapGet("/agenda", Agenda).WithName("MeetingAgenda").WithSummary("Open blue cases in the caller's scope, for the next joint analysis meeting.");
        meetings.MapGet("/", ListMeetings).WithName("ListMeetings").WithSummary("Joint analysis meetings of the caller's subdistrict, newest first.");
        meetings.MapPost("/", RecordMeeting).WithName("RecordMeeting")
            .WithSummary("Record a joint analysis meeting with its decision per case (subdistrict operations centre); all decisions or none.");

        var referrals = routes.MapGroup("/api/district-referrals").WithTags("Colour records").RequireAuthorization(Policies.Staff);
        referrals.MapGet("/", ListReferrals).WithName("ListDistrictReferrals")
            .WithSummary("Red cases reported to the district and what became of them, with their webhook delivery; filter by status and delivery (none, pending, sent, failed).");
        referrals.MapPost("/{id:guid}/acknowledge", Acknowledge).WithName("AcknowledgeDistrictReferral").WithSummary("The district confirms receipt.");
        referrals.MapPost("/{id:guid}/answer", Answer).WithName("AnswerDistrictReferral")
            .WithSummary("The district's answer (accepted, replied, closed); it goes onto the case's timeline.");
        return routes;
    }

    public static async Task<Ok<List<AgendaItem>>> Agenda(CivicGridDbContext db, CancellationToken ct)
    {
        var open = new[] { CaseStatus.Reported, CaseStatus.Accepted, CaseStatus.Assigned, CaseStatus.InHandling, CaseStatus.Parked, CaseStatus.Handled, CaseStatus.Verified };
        var cases = await db.Cases.AsNoTracking().Where(c => c.Tier == CaseTier.Blue && open.Contains(c.Status))
            .OrderBy(c => c.ReportedAt).Take(500).ToListAsync(ct);
        return TypedResults.Ok(cases.Select(c => new AgendaItem(c.Number, c.Title, c.CategoryCode, c.GridCode, c.Status, c.Version, c.ReportedAt,
            c.MeetingDecisions.Count)).OrderBy(a => a.DecisionsSoFar).ThenBy(a => a.ReportedAt).ToList());
    }

    public static async Task<Ok<List<MeetingResponse>>> ListMeetings(CivicGridDbContext db, CancellationToken ct) =>
        TypedResults.Ok((await db.JointMeetings.AsNoTracking().OrderByDescending(m => m.HeldAt).Take(200).ToListAsync(ct)).Select(Describe).ToList());

    public static async Task<Results<Created<MeetingResponse>, ProblemHttpResult>> RecordMeeting(RecordMeetingRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var scope = caller.GetScope();
        if (!caller.GetRoles().Any(r => r is Role.SubdistrictOperator or Role.DistrictViewer) || scope.Code.Length > GridCodes.SubdistrictLength)
        {
            return Problems.Forbidden("只有街道城运中心或区级可以登记联席会议。");
        }

        var errors = new Dictionary<string, string[]>();
        var participants = request.Participants?.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).ToList() ?? [];
        if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Length > 200)
        {
            errors["title"] = ["请填写会议名称（不超过 200 字）。"];
        }

        if (request.HeldAt is null || request.HeldAt > now)
        {
            errors["heldAt"] = ["请填写会议时间，且不能晚于现在。"];
        }

        if (string.IsNullOrWhiteSpace(request.Place) || request.Place.Length > 200)
        {
            errors["place"] = ["请填写会议地点。"];
        }

        if (participants.Count == 0)
        {
            errors["participants"] = ["请填写参会人员。"];
        }

        if (request.Decisions is not { Count: > 0 } decisions || decisions.Any(d => string.IsNullOrWhiteSpace(d.CaseNumber) || d.ExpectedVersion is null))
        {
            errors["decisions"] = ["请逐案填写决定（案件编号、版本号和决定内容）。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var actor = await CaseActing.ActorOfAsync(caller, db, ct);
        var meeting = new JointMeeting
        {
            Id = Guid.CreateVersion7(), Title = request.Title!.Trim(), HeldAt = request.HeldAt!.Value, Place = request.Place!.Trim(),
            Participants = participants, Summary = request.Summary?.Trim() ?? string.Empty, RecordedBy = actor.UserId, RecordedAt = now,
            CaseNumbers = [.. request.Decisions!.Select(d => d.CaseNumber!.Trim()).Distinct()],
        };
        string? subdistrict = null;
        foreach (var input in request.Decisions!)
        {
            var subject = await db.Cases.SingleOrDefaultAsync(c => c.Number == input.CaseNumber!.Trim(), ct);
            if (subject is null)
            {
                return CaseActing.NotFound(input.CaseNumber!);
            }

            var code = subject.GridCode[..GridCodes.SubdistrictLength];
            if (subdistrict is not null && subdistrict != code)
            {
                return Problems.Validation("decisions", "一次联席会议只能研究同一街道的案件。");
            }

            subdistrict = code;
            try
            {
                subject.RecordMeetingDecision(actor, input.ExpectedVersion!.Value, now, meeting.Id, input.Decision ?? string.Empty);
            }
            catch (CaseRuleException e)
            {
                return WithCase(CaseActing.Refusal(e), subject.Number);
            }
            catch (CaseConcurrencyException e)
            {
                return CaseActing.Conflict(e.CaseNumber, e.CurrentStatus, e.CurrentVersion, e.ChineseMessage);
            }
        }

        meeting.SubdistrictCode = subdistrict!;
        db.JointMeetings.Add(meeting);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Create(StatusCodes.Status409Conflict, CaseActing.ConflictType, "A case was changed by someone else.",
                "会议研究的案件刚刚已被他人更新，请刷新议程后重试。");
        }

        return TypedResults.Created($"/api/meetings/{meeting.Id}", Describe(meeting));
    }

    /// <summary>
    /// The newest 500 referrals of the caller's scope (optionally of one <paramref name="status"/>), each with its delivery
    /// state; <paramref name="delivery"/> keeps those whose delivery is none, pending, sent or failed (400 for another word).
    /// </summary>
    public static async Task<Results<Ok<List<ReferralListItem>>, ProblemHttpResult>> ListReferrals([ApiEnum(typeof(ReferralStatus))] string? status,
        [ApiValues(typeof(District.DistrictDeliveryState), nameof(District.DistrictDeliveryState.Deliveries))] string? delivery, CivicGridDbContext db,
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
        var states = await District.DistrictDeliveryState.OfAsync(db, referrals.Select(r => r.Id).ToList(), ct);
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

    private static ProblemHttpResult WithCase(ProblemHttpResult problem, string number)
    {
        problem.ProblemDetails.Extensions["number"] = number;
        problem.ProblemDetails.Detail = $"案件 {number}：{problem.ProblemDetails.Detail}";
        return problem;
    }

    private static MeetingResponse Describe(JointMeeting m) =>
        new(m.Id, m.SubdistrictCode, m.Title, m.HeldAt, m.Place, m.Participants, m.Summary, m.RecordedAt, m.CaseNumbers);

    public static ReferralResponse Describe(DistrictReferral r) =>
        new(r.Id, r.CaseNumber, r.SubdistrictCode, r.Summary, r.CreatedAt, r.Status, r.DeliveredAt, r.Answer, r.AnsweredAt);
}
