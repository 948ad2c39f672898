using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>A grid being assessed.</summary>
public sealed record GridSubject(string Code, string Name, GridLevel Level);

/// <summary>
/// One subject's result: its scorecard, each computed indicator with its evidence, and the catalogue's indicators that no
/// source computes yet. A subject with any indicator missing gets no stars: a partial score is shown as such, never as
/// a rating.
/// </summary>
public sealed record SubjectResult(string Code, string Name, Scorecard Card, IReadOnlyDictionary<string, ComputedIndicator> Computed,
    IReadOnlyList<string> Missing)
{
    public int? Stars => Missing.Count == 0 ? Card.Stars : null;
}

/// <summary>Groups the period's records by subject and scores each subject against the catalogue.</summary>
public static class AssessmentComputation
{
    /// <summary>The indicator codes computed from cases (<see cref="CaseIndicators"/>).</summary>
    public static readonly IReadOnlySet<string> CaseCodes =
        CaseIndicators.Compute([], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch).Keys.ToHashSet(StringComparer.Ordinal);

    public const string NotYetComputed = "本指标的数据来源尚未接入平台，暂不计分；接入前本网格不评定星级。";

    /// <summary>Every grid of a level scored from the cases under it (a case counts for the grid whose code prefixes its grid's).</summary>
    public static List<SubjectResult> ForGrids(IndicatorCatalogue catalogue, GridLevel level, IReadOnlyList<GridSubject> grids,
        IReadOnlyList<SubjectCase> cases, DateTimeOffset start, DateTimeOffset end, DateTimeOffset asOf)
    {
        var indicators = catalogue.ForGrid(level);
        var missing = indicators.Where(i => !CaseCodes.Contains(i.Code)).Select(i => i.Code).ToList();
        var length = GridCodes.LengthOf(level, GridKind.Territorial);
        var byGrid = cases.Where(c => c.GridCode.Length >= length).ToLookup(c => c.GridCode[..length], c => c.Facts, StringComparer.Ordinal);
        return [.. grids.Select(grid =>
        {
            var computed = CaseIndicators.Compute([.. byGrid[grid.Code]], start, end, asOf);
            var values = indicators.ToDictionary(i => i.Code, i => computed.TryGetValue(i.Code, out var c) ? c.Value : IndicatorValue.Absent(i.Code, NotYetComputed));
            return new SubjectResult(grid.Code, grid.Name, Scoring.Score(indicators, values, catalogue.Stars), computed, missing);
        })];
    }
}
