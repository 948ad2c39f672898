using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Cases;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Meetings;

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

/// <summary>
/// The joint analysis meeting of the subdistrict for blue cases (联席会议): the agenda of open blue cases, and the meeting
/// record with a decision per case, all or none.
/// </summary>
public static class MeetingsApi
{
    public static IEndpointRouteBuilder MapMeetingsApi(this IEndpointRouteBuilder routes)
    {
        var meetings = routes.MapGroup("/api/meetings").WithTags("Colour records").RequireAuthorization(Policies.Staff, Policies.CaseContent);
        meetings.MapGet("/agenda", Agenda).WithName("MeetingAgenda").WithSummary("Open blue cases in the caller's scope, for the next joint analysis meeting.");
        meetings.MapGet("/", ListMeetings).WithName("ListMeetings").WithSummary("Joint analysis meetings of the caller's subdistrict, newest first.");
        meetings.MapPost("/", RecordMeeting).WithName("RecordMeeting")
            .WithSummary("Record a joint analysis meeting with its decision per case (subdistrict operations centre); all decisions or none.");
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

    private static ProblemHttpResult WithCase(ProblemHttpResult problem, string number)
    {
        problem.ProblemDetails.Extensions["number"] = number;
        problem.ProblemDetails.Detail = $"案件 {number}：{problem.ProblemDetails.Detail}";
        return problem;
    }

    private static MeetingResponse Describe(JointMeeting m) =>
        new(m.Id, m.SubdistrictCode, m.Title, m.HeldAt, m.Place, m.Participants, m.Summary, m.RecordedAt, m.CaseNumbers);
}
