using CivicGrid.Domain.Assessment;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Council;

/// <summary>A member's overall score and phrases for one assignment, without the member.</summary>
public sealed record GivenScore(Guid AssignmentId, string GridCode, int Overall, IReadOnlyList<string> Phrases);

/// <summary>
/// The one place that reads members' scores for anyone but the member: evaluation rows are private to their member (see
/// <see cref="CouncilEvaluationConfiguration"/>), so these reads pass the filter and are bounded by what the caller may see
/// instead (assignments read through their own scope filter, or grids the caller's assessment covers). They answer
/// scores by assignment or by grid, never by member.
/// </summary>
public static class CouncilTallies
{
    /// <summary>The scores given on these assignments (which the caller read through the assignments' scope filter).</summary>
    public static async Task<Dictionary<Guid, GivenScore>> OfAssignmentsAsync(CivicGridDbContext db, IReadOnlyList<Guid> assignmentIds, CancellationToken ct)
    {
        var found = new Dictionary<Guid, GivenScore>();
        foreach (var chunk in assignmentIds.Chunk(500))
        {
            var rows = await db.CouncilEvaluations.IgnoreQueryFilters().AsNoTracking().Where(e => chunk.Contains(e.AssignmentId))
                .Select(e => new { e.AssignmentId, e.GridCode, e.Overall, e.Phrases }).ToListAsync(ct);
            foreach (var row in rows)
            {
                found[row.AssignmentId] = new GivenScore(row.AssignmentId, row.GridCode, row.Overall, row.Phrases);
            }
        }

        return found;
    }

    public static Task<bool> IsScoredAsync(CivicGridDbContext db, Guid assignmentId, CancellationToken ct) =>
        db.CouncilEvaluations.IgnoreQueryFilters().AnyAsync(e => e.AssignmentId == assignmentId, ct);

    /// <summary>
    /// Overall scores given to the grids under <paramref name="gridPrefix"/> (or everywhere, for a computation whose subjects
    /// are then chosen by the caller's scope) for any of <paramref name="periods"/>: grid code and stars, nothing else.
    /// </summary>
    public static async Task<List<(string GridCode, int Overall)>> OfGridsAsync(CivicGridDbContext db, IReadOnlyList<string> periods, string? gridPrefix,
        CancellationToken ct)
    {
        var query = db.CouncilEvaluations.IgnoreQueryFilters().AsNoTracking().Where(e => periods.Contains(e.Period)).InSubtree(e => e.GridCode, gridPrefix);

        return [.. (await query.Select(e => new { e.GridCode, e.Overall }).ToListAsync(ct)).Select(e => (e.GridCode, e.Overall))];
    }

    /// <summary>The period itself and every shorter period inside it (a quarter's months; a year's quarters and months): the evaluations that count for it.</summary>
    public static IReadOnlyList<string> PeriodsWithin(AssessmentPeriod period) => period.Kind switch
    {
        PeriodKind.Year => [period.ToString(), .. Enumerable.Range(1, 4).Select(q => AssessmentPeriod.Quarter(period.Year, q).ToString()),
            .. Enumerable.Range(1, 12).Select(m => AssessmentPeriod.Month(period.Year, m).ToString())],
        PeriodKind.Quarter => [period.ToString(), .. Enumerable.Range(0, 3).Select(i => AssessmentPeriod.Month(period.Year, (period.Number - 1) * 3 + 1 + i).ToString())],
        _ => [period.ToString()],
    };
}
