using CivicGrid.Domain.Assessment;
using CivicGrid.Server.Features.Council;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>
/// The resident council's score (<c>council-score</c>, 双评): for a grid, the overall stars its members gave it and every
/// grid below it in the period (and its months), tallied with the catalogue's <see cref="CouncilRules"/> (quorum, trimmed
/// mean); the evidence is one line per score naming nobody. A worker's council score is their grid's. Short of the quorum
/// the indicator does not apply, and says why.
/// </summary>
public sealed class CouncilScoreSource : IIndicatorSource
{
    public const string Code = "council-score";

    private static readonly IReadOnlySet<string> Computed = new HashSet<string>(StringComparer.Ordinal) { Code };

    public IReadOnlySet<string> Codes => Computed;

    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, ComputedIndicator>>> ComputeAsync(CivicGridDbContext db,
        AssessmentScope scope, CancellationToken ct)
    {
        // Each subject's grid: the grid itself, or for a worker (their account id) the grid their account is scoped to.
        var gridOf = scope.Kind == SubjectKind.Grid
            ? scope.Subjects.ToDictionary(s => s.Code, s => s.Code, StringComparer.Ordinal)
            : await WorkerGridsAsync(db, scope, ct);
        // Grids of one subtree read its scores; one worker their grid's.
        var under = scope.Kind == SubjectKind.Grid ? scope.Subtree : scope.Single is { } one && gridOf.TryGetValue(one.Code, out var grid) ? grid : null;
        var scores = await CouncilTallies.OfGridsAsync(db, CouncilTallies.PeriodsWithin(scope.Period), under, ct);
        var rules = scope.Catalogue.Council;
        return scope.Subjects.Where(s => gridOf.ContainsKey(s.Code)).ToDictionary(s => s.Code, s =>
        {
            var code = gridOf[s.Code];
            var given = scores.Where(x => x.GridCode.StartsWith(code, StringComparison.Ordinal)).Select(x => x.Overall).ToList();
            return (IReadOnlyDictionary<string, ComputedIndicator>)new Dictionary<string, ComputedIndicator>(StringComparer.Ordinal)
            {
                [Code] = CouncilEvidence.Compute(Code, given, rules),
            };
        }, StringComparer.Ordinal);
    }

    private static async Task<Dictionary<string, string>> WorkerGridsAsync(CivicGridDbContext db, AssessmentScope scope, CancellationToken ct)
    {
        var ids = scope.Subjects.Select(s => Guid.TryParse(s.Code, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).ToList();
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.ScopeCode }).ToListAsync(ct);
        return users.ToDictionary(u => u.Id.ToString("D"), u => u.ScopeCode, StringComparer.Ordinal);
    }
}
