using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>
/// The case-loop indicators (<see cref="CaseIndicators"/>): for a grid, the cases of its subtree (a case counts for the
/// grid whose code prefixes its grid's); for a worker, the cases assigned to them now, and those they reported for
/// self-found-cases (<see cref="CaseIndicators.ComputeForWorker"/>). Registered per scope (a request, a job's run), it reads
/// a period's cases once and scores every level from them: a job computing the three levels of a district reads the case
/// table once, not three times.
/// </summary>
public sealed class CaseIndicatorSource(IOptions<AssessmentOptions> options) : IIndicatorSource
{
    /// <summary>The indicator codes computed from cases.</summary>
    public static readonly IReadOnlySet<string> CaseCodes =
        CaseIndicators.Compute([], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch).Keys.ToHashSet(StringComparer.Ordinal);

    private (DateTimeOffset Start, DateTimeOffset End, string? Subtree, List<SubjectCase> Cases)? _read;

    public IReadOnlySet<string> Codes => CaseCodes;

    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, ComputedIndicator>>> ComputeAsync(CivicGridDbContext db,
        AssessmentScope scope, CancellationToken ct)
    {
        if (scope.Kind == SubjectKind.Worker)
        {
            var mine = await CaseFactsReader.ReadAsync(db, scope.Calendar, options.Value, scope.Start, scope.End, ct, person: scope.Person);
            var assigned = mine.Where(c => c.AssigneeUserId is not null).ToLookup(c => c.AssigneeUserId!.Value, c => c.Facts);
            var reported = mine.Where(c => c.ReporterId is not null).ToLookup(c => c.ReporterId!.Value, c => c.Facts);
            return scope.Subjects.Where(s => s.UserId is not null).ToDictionary(s => s.Code,
                s => CaseIndicators.ComputeForWorker([.. assigned[s.UserId!.Value]], [.. reported[s.UserId!.Value]], scope.Start, scope.End, scope.AsOf),
                StringComparer.Ordinal);
        }

        var subtree = scope.Subtree;
        if (_read is not { } read || read.Start != scope.Start || read.End != scope.End
            || !(read.Subtree is null || (subtree is not null && subtree.StartsWith(read.Subtree, StringComparison.Ordinal))))
        {
            read = (scope.Start, scope.End, subtree,
                await CaseFactsReader.ReadAsync(db, scope.Calendar, options.Value, scope.Start, scope.End, ct, subtree));
            _read = read;
        }

        var length = GridCodes.LengthOf(scope.Level ?? GridLevel.Third, GridKind.Territorial);
        var byGrid = read.Cases.Where(c => c.GridCode.Length >= length).ToLookup(c => c.GridCode[..length], c => c.Facts, StringComparer.Ordinal);
        return scope.Subjects.ToDictionary(s => s.Code,
            s => (IReadOnlyDictionary<string, ComputedIndicator>)CaseIndicators.Compute([.. byGrid[s.Code]], scope.Start, scope.End, scope.AsOf),
            StringComparer.Ordinal);
    }
}
