using CivicGrid.Domain.Assessment;
using CivicGrid.Server.Features.Council;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>
/// The staff-entered <c>branch-activities</c> indicator: for a grid, the branch activities of its subtree held in the
/// period, each a line of evidence (by day held); those with a photo or sign-in sheet count.
/// </summary>
public sealed class BranchActivitySource : IIndicatorSource
{
    public const string Code = "branch-activities";

    private static readonly IReadOnlySet<string> Computed = new HashSet<string>(StringComparer.Ordinal) { Code };

    public IReadOnlySet<string> Codes => Computed;

    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, ComputedIndicator>>> ComputeAsync(CivicGridDbContext db,
        AssessmentScope scope, CancellationToken ct)
    {
        if (scope.Kind != SubjectKind.Grid)
        {
            return new Dictionary<string, IReadOnlyDictionary<string, ComputedIndicator>>();
        }

        var (from, to) = (scope.Period.From, scope.Period.To);
        var activities = await db.BranchActivities.AsNoTracking().InSubtree(a => a.GridCode, scope.Subtree).Where(a => a.HeldOn >= from && a.HeldOn <= to)
            .OrderBy(a => a.HeldOn).ThenBy(a => a.GridCode).ThenBy(a => a.Id).ToListAsync(ct);
        return scope.Subjects.ToDictionary(s => s.Code, s => (IReadOnlyDictionary<string, ComputedIndicator>)new Dictionary<string, ComputedIndicator>(
            StringComparer.Ordinal)
        {
            [Code] = BranchActivityCount.Compute(Code, activities.Where(a => a.GridCode.StartsWith(s.Code, StringComparison.Ordinal))),
        }, StringComparer.Ordinal);
    }
}
