using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Assessment;

/// <summary>The five stars of a five-star branch (五星支部); every indicator counts toward one of them.</summary>
public enum StarGroup
{
    /// <summary>社会治理星: the case loop — found, accepted, handled, closed, solved at the lowest level.</summary>
    Governance = 1,

    /// <summary>便民服务星: needs met, projects delivered, claims kept, residents' satisfaction.</summary>
    Service = 2,

    /// <summary>矛盾化解星: disputes mediated, courtyard councils held and followed up.</summary>
    Mediation = 3,

    /// <summary>治安巡防星: patrols walked, grids covered, doors knocked, problems found first.</summary>
    Patrol = 4,

    /// <summary>队伍建设星: training, work IDs, briefings read, branch activities.</summary>
    Team = 5,
}

/// <summary>Where an indicator's value comes from.</summary>
public enum IndicatorSource
{
    /// <summary>Computed by the platform from its own records (cases, patrols, visits, needs…), with the records as evidence.</summary>
    Computed = 1,

    /// <summary>Scored by the resident council (双评).</summary>
    Council = 2,

    /// <summary>Entered by staff with evidence (a file or a note), e.g. a branch's themed party day.</summary>
    StaffEntered = 3,
}

/// <summary>What an indicator's value is.</summary>
public enum IndicatorMeasure
{
    /// <summary>Numerator ÷ denominator, 0–1 (a rate). Does not apply when the denominator is 0.</summary>
    Ratio = 1,

    /// <summary>A count over the period.</summary>
    Count = 2,

    /// <summary>A mean score (the council's 1–5 stars).</summary>
    Average = 3,
}

/// <summary>How an indicator's value becomes points.</summary>
public enum ScoringRule
{
    /// <summary>
    /// Straight line between <see cref="IndicatorDefinition.ZeroAt"/> (no points) and <see cref="IndicatorDefinition.Target"/>
    /// (full weight), clamped; works both ways, so a lower-is-better rate has <c>ZeroAt</c> above its target.
    /// </summary>
    Linear = 1,

    /// <summary>Full weight when the target is met, nothing otherwise.</summary>
    Threshold = 2,
}

/// <summary>
/// One indicator (指标) of the catalogue: what it measures, of whom, how it is scored and how much it weighs. The text of its
/// numerator and denominator is shown in every explanation, so it must say exactly what is counted.
/// </summary>
/// <param name="Code">Stable kebab-case code (e.g. <c>on-time-handling</c>); results and appeals refer to it.</param>
/// <param name="Name">Chinese name (按时处置率).</param>
/// <param name="GridLevels">Grid levels it applies to (empty: not to grids).</param>
/// <param name="WorkerRoles">Worker roles it applies to (empty: not to people).</param>
/// <param name="Numerator">What is counted (for a ratio, the part; for a count, the thing counted; for an average, what is averaged).</param>
/// <param name="Denominator">For a ratio, the whole; empty otherwise.</param>
/// <param name="Unit">Display unit: %, 次, 分, 个.</param>
/// <param name="Target">Value that earns the full weight.</param>
/// <param name="ZeroAt">Value that earns nothing (Linear rule); above the target for a lower-is-better indicator.</param>
/// <param name="Weight">Points at stake (a subject's score is its points ÷ the weights of the indicators that apply × 100).</param>
public sealed record IndicatorDefinition(
    string Code,
    string Name,
    StarGroup Group,
    IReadOnlyList<GridLevel> GridLevels,
    IReadOnlyList<Role> WorkerRoles,
    IndicatorSource Source,
    IndicatorMeasure Measure,
    string Numerator,
    string Denominator,
    string Unit,
    double Target,
    double ZeroAt,
    ScoringRule Rule,
    double Weight)
{
    /// <summary>True when a lower value is better (overdue rate, rework rate…): the value that earns nothing lies above the target.</summary>
    public bool LowerIsBetter => ZeroAt > Target;

    public bool AppliesTo(GridLevel level) => GridLevels.Contains(level);

    public bool AppliesTo(Role role) => WorkerRoles.Contains(role);

    /// <summary>True when <paramref name="value"/> meets the target.</summary>
    public bool Meets(double value) => LowerIsBetter ? value <= Target + 1e-9 : value >= Target - 1e-9;

    /// <summary>Points earned by a value, 0 to <see cref="Weight"/>.</summary>
    public double PointsFor(double value)
    {
        if (Rule == ScoringRule.Threshold)
        {
            return Meets(value) ? Weight : 0;
        }

        var share = (value - ZeroAt) / (Target - ZeroAt);
        return Weight * Math.Clamp(share, 0, 1);
    }

    /// <summary>What is wrong with this definition, in Chinese; empty when it is sound.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Code) || !Code.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-') || Code.Length > 48)
        {
            problems.Add($"指标编码“{Code}”须为小写字母、数字和连字符，最长 48 个字符。");
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add($"指标 {Code} 须有名称。");
        }

        if (GridLevels.Count == 0 && WorkerRoles.Count == 0)
        {
            problems.Add($"指标 {Code} 须至少适用于一级网格或一类人员。");
        }

        if (string.IsNullOrWhiteSpace(Numerator) || (Measure == IndicatorMeasure.Ratio && string.IsNullOrWhiteSpace(Denominator)))
        {
            problems.Add($"指标 {Code} 须写明统计什么（比率还须写明分母）。");
        }

        if (Weight is <= 0 or > 100 || !double.IsFinite(Weight))
        {
            problems.Add($"指标 {Code} 的权重须在 0–100 之间且大于 0。");
        }

        if (!double.IsFinite(Target) || !double.IsFinite(ZeroAt) || (Rule == ScoringRule.Linear && Math.Abs(Target - ZeroAt) < 1e-9))
        {
            problems.Add($"指标 {Code} 的目标值与零分值须为不同的数。");
        }

        if (Measure == IndicatorMeasure.Ratio && (Target is < 0 or > 1 || ZeroAt is < 0 or > 1))
        {
            problems.Add($"指标 {Code} 是比率，目标值与零分值须在 0–1 之间。");
        }

        if (Measure == IndicatorMeasure.Average && Source == IndicatorSource.Council && (Target is < 1 or > 5 || ZeroAt is < 1 or > 5))
        {
            problems.Add($"指标 {Code} 是议事会星级评分，目标值与零分值须在 1–5 之间。");
        }

        if (Measure == IndicatorMeasure.Count && (Target < 0 || ZeroAt < 0))
        {
            problems.Add($"指标 {Code} 是计数，目标值与零分值不能为负。");
        }

        return problems;
    }
}

/// <summary>
/// An indicator's value for one subject and period. A ratio whose denominator is 0 (no cases to handle, no needs raised)
/// does not apply, nor does a council score short of its quorum: it earns nothing and weighs nothing, and the explanation
/// says why.
/// </summary>
/// <param name="Denominator">The whole of a ratio; null for a count or an average.</param>
/// <param name="NotApplicable">Why the indicator does not apply (Chinese), when it does not for a reason other than a zero denominator.</param>
public sealed record IndicatorValue(string Code, double Numerator, double? Denominator, string? NotApplicable = null)
{
    /// <summary>The value: numerator ÷ denominator for a ratio, the numerator otherwise; null when the indicator does not apply.</summary>
    public double? Value => NotApplicable is not null ? null : Denominator switch
    {
        null => Numerator,
        0 => null,
        var d => Numerator / d.Value,
    };

    /// <summary>Why the indicator does not apply, or null when it does.</summary>
    public string? Reason => NotApplicable ?? (Denominator == 0 ? "本期没有可统计的对象（分母为 0），不计分也不占权重。" : null);

    public static IndicatorValue Ratio(string code, double numerator, double denominator) => new(code, numerator, denominator);

    public static IndicatorValue Count(string code, double count) => new(code, count, null);

    public static IndicatorValue Absent(string code, string reason) => new(code, 0, null, reason);
}
