using System.Security.Claims;
using CivicGrid.Domain.Assessment;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Council;

public sealed record CouncilAspectResponse(string Code, string Name);

/// <summary>One grid the member is asked to evaluate, with what they gave so far.</summary>
/// <param name="ClosesOn">The last day they may score or change it.</param>
/// <param name="Stars">Their stars per aspect; empty until they submit.</param>
public sealed record MyCouncilAssignment(Guid AssignmentId, string Period, string PeriodLabel, DateOnly ClosesOn, string GridCode, string GridName,
    IReadOnlyDictionary<string, int> Stars, IReadOnlyList<string> Phrases, DateTimeOffset? SubmittedAt);

/// <summary>The member's evaluation page: the form and the grids of every period open today.</summary>
public sealed record MyCouncilEvaluationResponse(string MemberName, IReadOnlyList<CouncilAspectResponse> Aspects, IReadOnlyList<string> Phrases,
    IReadOnlyList<MyCouncilAssignment> Assignments);

/// <param name="Stars">1–5 for every aspect code of the form.</param>
/// <param name="Phrases">Up to 3 of the form's phrases (their text).</param>
public sealed record SubmitCouncilEvaluationRequest(IReadOnlyDictionary<string, int>? Stars, IReadOnlyList<string>? Phrases);

/// <summary>
/// The council member's phone page (双评): the grids they are asked to evaluate while a period's evaluation is open, a few
/// rows of stars and ready phrases; a submission may be changed until the evaluation closes. Any signed-in account that is
/// a serving council member's; others get a 404.
/// </summary>
public static class CouncilEvaluationApi
{
    public static IEndpointRouteBuilder MapCouncilEvaluationApi(this IEndpointRouteBuilder routes)
    {
        var mine = routes.MapGroup("/api/council/evaluation").WithTags("Council").RequireAuthorization();
        mine.MapGet("/", Mine).WithName("GetMyCouncilEvaluation")
            .WithSummary("The signed-in council member's grids to evaluate in the periods open today, with the form and what they gave so far.");
        mine.MapPost("/{assignmentId:guid}", Submit).WithIdempotency().WithName("SubmitCouncilEvaluation")
            .WithSummary("Submit or change the stars and phrases for one assigned grid while its evaluation is open.");
        return routes;
    }

    public static async Task<Results<Ok<MyCouncilEvaluationResponse>, ProblemHttpResult>> Mine(ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, IOptions<CouncilOptions> options, TimeProvider time, CancellationToken ct)
    {
        var today = PatrolTracks.BeijingDay(time.GetUtcNow());
        if (await MemberAsync(caller, db, today, ct) is not { } member)
        {
            return NotAMember();
        }

        var form = options.Value.Form;
        var snapshot = await geography.GetAsync(ct);
        var assignments = (await db.CouncilAssignments.AsNoTracking().Where(a => a.MemberId == member.Id).ToListAsync(ct))
            .Where(a => form.IsOpen(AssessmentPeriod.Parse(a.Period), today)).OrderBy(a => a.Period).ThenBy(a => a.GridCode).ToList();
        var ids = assignments.Select(a => a.Id).ToList();
        var given = await db.CouncilEvaluations.AsNoTracking().Where(e => ids.Contains(e.AssignmentId)).ToDictionaryAsync(e => e.AssignmentId, ct);
        return TypedResults.Ok(new MyCouncilEvaluationResponse(member.Name, [.. form.Aspects.Select(a => new CouncilAspectResponse(a.Code, a.Name))],
            form.Phrases, [.. assignments.Select(a =>
            {
                var period = AssessmentPeriod.Parse(a.Period);
                var mine = given.GetValueOrDefault(a.Id);
                return new MyCouncilAssignment(a.Id, a.Period, period.Label, form.ClosesOn(period), a.GridCode,
                    snapshot.Grids.TryGetValue(a.GridCode, out var g) ? g.Name : a.GridCode, mine?.Stars ?? new Dictionary<string, int>(),
                    mine?.Phrases ?? [], mine?.UpdatedAt);
            })]));
    }

    public static async Task<Results<Ok<MyCouncilAssignment>, ProblemHttpResult>> Submit(Guid assignmentId, SubmitCouncilEvaluationRequest request,
        ClaimsPrincipal caller, CivicGridDbContext db, GeographyIndex geography, IOptions<CouncilOptions> options, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = PatrolTracks.BeijingDay(now);
        if (await MemberAsync(caller, db, today, ct) is not { } member)
        {
            return NotAMember();
        }

        var assignment = await db.CouncilAssignments.SingleOrDefaultAsync(a => a.Id == assignmentId && a.MemberId == member.Id, ct);
        if (assignment is null)
        {
            return Problems.NotFound("找不到这项评议，请返回评议页面重新打开。");
        }

        var form = options.Value.Form;
        var period = AssessmentPeriod.Parse(assignment.Period);
        CouncilEvaluation? evaluation;
        try
        {
            if (!form.IsOpen(period, today))
            {
                throw new CouncilRuleException(CouncilRuleException.EvaluationClosed, "The evaluation is not open.");
            }

            var (stars, phrases) = form.Check(request.Stars ?? new Dictionary<string, int>(), request.Phrases ?? []);
            evaluation = await db.CouncilEvaluations.SingleOrDefaultAsync(e => e.AssignmentId == assignment.Id, ct);
            if (evaluation is null)
            {
                evaluation = new CouncilEvaluation(assignment, stars, phrases, now);
                db.CouncilEvaluations.Add(evaluation);
            }
            else
            {
                evaluation.Change(stars, phrases, now);
            }
        }
        catch (CouncilRuleException e)
        {
            return CouncilApi.Broken(e);
        }

        await db.SaveChangesAsync(ct);
        var snapshot = await geography.GetAsync(ct);
        return TypedResults.Ok(new MyCouncilAssignment(assignment.Id, assignment.Period, period.Label, form.ClosesOn(period), assignment.GridCode,
            snapshot.Grids.TryGetValue(assignment.GridCode, out var g) ? g.Name : assignment.GridCode, evaluation.Stars, evaluation.Phrases, evaluation.UpdatedAt));
    }

    /// <summary>The caller's council membership serving today (their own row through the members' scope filter), or null.</summary>
    private static async Task<CouncilMember?> MemberAsync(ClaimsPrincipal caller, CivicGridDbContext db, DateOnly today, CancellationToken ct)
    {
        var userId = caller.GetUserId();
        var member = userId is { } id ? await db.CouncilMembers.AsNoTracking().FirstOrDefaultAsync(m => m.UserId == id, ct) : null;
        return member is not null && member.ServesOn(today) ? member : null;
    }

    private static ProblemHttpResult NotAMember() => Problems.NotFound("您不是在任的居民议事会成员，没有需要评议的网格。");
}
