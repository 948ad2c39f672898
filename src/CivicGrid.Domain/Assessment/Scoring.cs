namespace CivicGrid.Domain.Assessment;

/// <summary>
/// Where the stars begin (score 0–100 → 1–5 stars), and how much of the catalogue's weight must apply before a subject is
/// rated at all: a grid with no cases, no needs and no council quorum is "not rated", not "one star".
/// </summary>
public sealed record StarThresholds(double TwoStars = 60, double ThreeStars = 70, double FourStars = 80, double FiveStars = 90,
    double MinimumApplicableWeightShare = 0.5)
{
    public int StarsFor(double score) =>
        score >= FiveStars - 1e-9 ? 5 : score >= FourStars - 1e-9 ? 4 : score >= ThreeStars - 1e-9 ? 3 : score >= TwoStars - 1e-9 ? 2 : 1;

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        double[] steps = [TwoStars, ThreeStars, FourStars, FiveStars];
        if (steps.Any(s => s is <= 0 or > 100 || !double.IsFinite(s)) || steps.Zip(steps.Skip(1)).Any(p => p.First >= p.Second))
        {
            problems.Add("星级分数线须在 0–100 之间，且二星 < 三星 < 四星 < 五星。");
        }

        if (MinimumApplicableWeightShare is < 0 or > 1 || !double.IsFinite(MinimumApplicableWeightShare))
        {
            problems.Add("参评所需的最低适用权重比例须在 0–1 之间。");
        }

        return problems;
    }
}

/// <summary>One indicator in a scorecard: its value, the points it earned and whether it met its target.</summary>
public sealed record IndicatorScore(IndicatorDefinition Indicator, IndicatorValue Value, double Points, bool Met)
{
    public bool Applies => Value.Value is not null;

    /// <summary>The weight it carries in this scorecard: its weight when it applies, 0 otherwise.</summary>
    public double Weight => Applies ? Indicator.Weight : 0;
}

/// <summary>A star group's share of a scorecard (the five stars' own bars in the explanation).</summary>
public sealed record GroupScore(StarGroup Group, double Points, double Weight)
{
    /// <summary>Points ÷ weight × 100, or null when nothing in the group applies.</summary>
    public double? Score => Weight > 0 ? Math.Round(Points / Weight * 100, 2) : null;
}

/// <summary>
/// A subject's score for a period: every applicable indicator's points over the weights that apply × 100, the stars it
/// earns, and each indicator's line. <see cref="Stars"/> is null ("not rated") when less than the thresholds' minimum share
/// of the weight applies.
/// </summary>
public sealed record Scorecard(double Score, int? Stars, double Points, double ApplicableWeight, double TotalWeight,
    IReadOnlyList<IndicatorScore> Indicators, IReadOnlyList<GroupScore> Groups);

public static class Scoring
{
    /// <summary>
    /// Scores a subject. Every indicator given must have a value (a missing value is a computation fault, never a silent
    /// zero); values for indicators not given are ignored.
    /// </summary>
    public static Scorecard Score(IReadOnlyList<IndicatorDefinition> indicators, IReadOnlyDictionary<string, IndicatorValue> values, StarThresholds thresholds)
    {
        var lines = indicators.Select(indicator =>
        {
            if (!values.TryGetValue(indicator.Code, out var value))
            {
                throw new InvalidOperationException($"No value was computed for indicator '{indicator.Code}'.");
            }

            return value.Value is { } v
                ? new IndicatorScore(indicator, value, Math.Round(indicator.PointsFor(v), 4), indicator.Meets(v))
                : new IndicatorScore(indicator, value, 0, false);
        }).ToList();
        var points = lines.Sum(l => l.Points);
        var applicable = lines.Sum(l => l.Weight);
        var total = indicators.Sum(i => i.Weight);
        var score = applicable > 0 ? Math.Round(points / applicable * 100, 2) : 0;
        int? stars = applicable > 0 && applicable >= total * thresholds.MinimumApplicableWeightShare - 1e-9 ? thresholds.StarsFor(score) : null;
        var groups = lines.GroupBy(l => l.Indicator.Group).OrderBy(g => g.Key)
            .Select(g => new GroupScore(g.Key, Math.Round(g.Sum(l => l.Points), 4), g.Sum(l => l.Weight))).ToList();
        return new Scorecard(score, stars, Math.Round(points, 4), applicable, total, lines, groups);
    }
}

/// <summary>
/// The resident council's rules for a grid's evaluation (双评): how many members must score it, and what share of the
/// highest and lowest scores is set aside before averaging, so one friend or one grudge cannot move a grid's stars.
/// </summary>
/// <param name="Quorum">Members who must have scored (default 5); below it the council score does not apply.</param>
/// <param name="TrimShare">Share dropped at each end (default 0.1: with 10 scores, the highest and the lowest).</param>
public sealed record CouncilRules(int Quorum = 5, double TrimShare = 0.1)
{
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Quorum is < 1 or > 200)
        {
            problems.Add("议事会评议的法定人数须在 1–200 之间。");
        }

        if (TrimShare is < 0 or >= 0.5 || !double.IsFinite(TrimShare))
        {
            problems.Add("去掉最高、最低分的比例须在 0–0.5 之间（不含 0.5）。");
        }

        return problems;
    }
}

/// <summary>The council's scores of one grid, tallied: the trimmed mean is what the council-score indicator uses.</summary>
/// <param name="DroppedEach">Scores set aside at each end.</param>
public sealed record CouncilTally(int Count, bool Quorate, double? Mean, double? TrimmedMean, int DroppedEach)
{
    /// <summary>The council score as an indicator value (an average), not applicable short of the quorum.</summary>
    public IndicatorValue AsValue(string code, CouncilRules rules) => TrimmedMean is { } mean
        ? new IndicatorValue(code, mean, null)
        : IndicatorValue.Absent(code, $"只有 {Count} 位议事会成员评分，不足法定人数 {rules.Quorum} 人，本项不计分也不占权重。");
}

public static class CouncilScoring
{
    /// <summary>Tallies 1–5 star scores: quorum first, then ⌊n × trim share⌋ dropped from each end, then the mean of the rest.</summary>
    public static CouncilTally Tally(IReadOnlyList<int> stars, CouncilRules rules)
    {
        if (stars.Any(s => s is < 1 or > 5))
        {
            throw new ArgumentOutOfRangeException(nameof(stars), "A council score is 1 to 5 stars.");
        }

        if (stars.Count == 0)
        {
            return new CouncilTally(0, false, null, null, 0);
        }

        var mean = Math.Round(stars.Average(), 4);
        if (stars.Count < rules.Quorum)
        {
            return new CouncilTally(stars.Count, false, mean, null, 0);
        }

        var drop = (int)Math.Floor(stars.Count * rules.TrimShare + 1e-9);
        var kept = stars.Order().Skip(drop).Take(stars.Count - 2 * drop).ToList();
        return new CouncilTally(stars.Count, true, mean, Math.Round(kept.Average(), 4), drop);
    }
}
