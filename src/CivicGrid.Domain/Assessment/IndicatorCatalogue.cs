using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Assessment;

/// <summary>
/// A version of the indicator catalogue (指标体系): the indicators with their targets and weights, the star thresholds and
/// the council's rules, in force from a period on. A subdistrict changes weights and targets by adding a version for a
/// later period; a published period keeps the version it was computed with (see <see cref="MayTakeEffect"/>).
/// </summary>
public sealed record IndicatorCatalogue(int Version, AssessmentPeriod EffectiveFrom, IReadOnlyList<IndicatorDefinition> Indicators,
    StarThresholds Stars, CouncilRules Council)
{
    /// <summary>The indicators that apply to a grid of a level, in catalogue order.</summary>
    public IReadOnlyList<IndicatorDefinition> ForGrid(GridLevel level) => [.. Indicators.Where(i => i.AppliesTo(level))];

    /// <summary>The indicators that apply to a person holding any of these roles, in catalogue order.</summary>
    public IReadOnlyList<IndicatorDefinition> ForWorker(IEnumerable<Role> roles)
    {
        var held = roles.ToHashSet();
        return [.. Indicators.Where(i => i.WorkerRoles.Any(held.Contains))];
    }

    public IndicatorDefinition? Find(string code) => Indicators.FirstOrDefault(i => i.Code == code);

    /// <summary>Everything wrong with this version, in Chinese; empty when it may be saved.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Version < 1)
        {
            problems.Add("指标体系的版本号须从 1 开始。");
        }

        if (Indicators.Count == 0)
        {
            problems.Add("指标体系至少须有一项指标。");
        }

        problems.AddRange(Indicators.GroupBy(i => i.Code).Where(g => g.Count() > 1).Select(g => $"指标编码 {g.Key} 重复。"));
        problems.AddRange(Indicators.SelectMany(i => i.Problems()));
        problems.AddRange(Stars.Problems());
        problems.AddRange(Council.Problems());
        return problems;
    }

    /// <summary>
    /// Whether a new version may take effect from <paramref name="from"/>: never for a period already published (its stars
    /// are on record and people were paid by them), so <paramref name="from"/> must begin after every published period ends,
    /// and after the version it replaces takes effect.
    /// </summary>
    public static string? MayTakeEffect(AssessmentPeriod from, IndicatorCatalogue? current, IEnumerable<AssessmentPeriod> published)
    {
        if (current is not null && from.From <= current.EffectiveFrom.From)
        {
            return $"新版本须晚于现行版本（自 {current.EffectiveFrom.Label} 起）生效。";
        }

        var last = published.Select(p => (AssessmentPeriod?)p).MaxBy(p => p!.Value.To);
        return last is { } p && from.From <= p.To
            ? $"{p.Label} 的考核结果已公布，指标和权重只能从其后的考核期起调整。"
            : null;
    }

    private static readonly GridLevel[] Thirds = [GridLevel.Third];
    private static readonly GridLevel[] Territory = [GridLevel.Second, GridLevel.Third];
    private static readonly GridLevel[] AllGrids = [GridLevel.Second, GridLevel.Third, GridLevel.Micro];
    private static readonly Role[] Walkers = [Role.GridWorker, Role.GridLeader];
    private static readonly Role[] Workers = [Role.GridWorker, Role.GridLeader, Role.MicroGridWorker];
    private static readonly Role[] Liaisons = [Role.DepartmentLiaison];
    private static readonly Role[] Everyone = [Role.GridWorker, Role.GridLeader, Role.MicroGridWorker, Role.DepartmentLiaison];
    private static readonly Role[] Nobody = [];
    private static readonly GridLevel[] NoGrid = [];

    private static IndicatorDefinition Rate(string code, string name, StarGroup group, GridLevel[] grids, Role[] roles, string numerator,
        string denominator, double target, double zeroAt, double weight, ScoringRule rule = ScoringRule.Linear) =>
        new(code, name, group, grids, roles, IndicatorSource.Computed, IndicatorMeasure.Ratio, numerator, denominator, "%", target, zeroAt, rule, weight);

    private static IndicatorDefinition Tally(string code, string name, StarGroup group, GridLevel[] grids, Role[] roles, string counted,
        string unit, double target, double zeroAt, double weight, IndicatorSource source = IndicatorSource.Computed) =>
        new(code, name, group, grids, roles, source, IndicatorMeasure.Count, counted, string.Empty, unit, target, zeroAt, ScoringRule.Linear, weight);

    /// <summary>
    /// The 27 indicators a subdistrict starts from (五星支部 27 项工作任务, as the platform can measure them), in force from
    /// January 2026. Weights are points; a grid's or person's score is what they earned of the weights that apply to them.
    /// </summary>
    public static IndicatorCatalogue Seed { get; } = new(1, AssessmentPeriod.Month(2026, 1),
    [
        // 治安巡防星
        Rate("patrol-goal-days", "巡查步数达标率", StarGroup.Patrol, Thirds, Walkers,
            "巡查步数达到每日目标的工作日（人·日）", "应巡查的工作日（人·日，按工作日历）", 0.9, 0.5, 6),
        Rate("patrol-coverage", "网格巡查覆盖率", StarGroup.Patrol, Territory, Walkers,
            "有人走过的微网格·周", "辖内微网格数 × 期内周数", 1.0, 0.6, 6),
        Rate("door-knock-weeks", "叮咚敲门达标率", StarGroup.Patrol, Thirds, Liaisons,
            "下沉人员完成每周敲门最低次数的周（人·周）", "下沉人员应敲门的周（人·周）", 1.0, 0.5, 5),
        Tally("door-knocks", "入户走访户次", StarGroup.Patrol, Thirds, Everyone,
            "敲门走访的户次（见到人、无人在家、拒绝均计）", "户次", 12, 0, 3),
        Rate("self-found", "主动发现率", StarGroup.Patrol, AllGrids, Nobody,
            "网格员、微网格员、下沉人员上报的案件", "期内网格内受理的全部案件", 0.6, 0.1, 5),
        Tally("self-found-cases", "主动发现上报件数", StarGroup.Patrol, NoGrid, Workers,
            "本人上报并被受理的案件", "件", 15, 0, 5),
        Rate("special-care-visits", "特殊人群走访覆盖率", StarGroup.Patrol, Thirds, Nobody,
            "期内至少走访一次的特殊关爱户（独居老人、残疾人、低保等）", "辖内特殊关爱户", 1.0, 0.5, 4),

        // 社会治理星
        Rate("on-time-acceptance", "按时受理率", StarGroup.Governance, AllGrids, Workers,
            "在受理时限内受理的案件", "期内派到本网格（本人）应受理的案件", 0.95, 0.6, 5),
        Rate("on-time-handling", "按时处置率", StarGroup.Governance, AllGrids, Workers,
            "在办理时限内办结的案件", "期内办理时限到期或已办结的案件", 0.9, 0.5, 8),
        Rate("closure-rate", "结案率", StarGroup.Governance, AllGrids, Workers,
            "期内受理且已结案的案件", "期内受理的案件", 0.9, 0.5, 5),
        Rate("rework-rate", "返工率", StarGroup.Governance, AllGrids, Workers,
            "核查不通过、退回重办的案件", "期内办结的案件", 0.05, 0.3, 4),
        Rate("lowest-level", "就地解决率", StarGroup.Governance, Territory, Nobody,
            "在网格（绿色）一级办结的案件：小事不出楼院、大事不出网格", "期内办结的案件", 0.7, 0.3, 5),
        Rate("overdue-rate", "超期率", StarGroup.Governance, AllGrids, Workers,
            "超过办理时限仍未办结或超期办结的案件", "期内办理时限到期的案件", 0.02, 0.2, 5),
        Tally("supervised-cases", "督办件数", StarGroup.Governance, Territory, Workers,
            "被街道或区督办的案件", "件", 0, 5, 3),
        Rate("repeat-places", "重复发生率", StarGroup.Governance, Territory, Nobody,
            "同一地点（50 米内）30 天内同类再次发生的案件", "期内受理的案件", 0.05, 0.3, 3),

        // 矛盾化解星
        Rate("mediation-success", "矛盾调解成功率", StarGroup.Mediation, Territory, Walkers,
            "以调解成功办结的矛盾纠纷案件", "期内办结的矛盾纠纷案件", 0.9, 0.5, 5),
        Tally("councils-held", "楼院议事会召开次数", StarGroup.Mediation, Thirds, Nobody,
            "辖内院落召开的楼院议事会", "次", 3, 0, 4),
        Rate("council-follow-ups", "议事事项落实率", StarGroup.Mediation, Thirds, Nobody,
            "已转为需求或案件并已满足、办结的议定事项", "期内议事会议定的后续事项", 0.8, 0.2, 3),

        // 便民服务星
        Rate("needs-met", "需求满足率", StarGroup.Service, Territory, Everyone,
            "期内已满足的需求", "期内登记或仍未满足的需求", 0.8, 0.3, 5),
        Rate("projects-delivered", "项目按期完成率", StarGroup.Service, Territory, Nobody,
            "按计划结束日期完成的公益项目", "计划在期内结束的项目", 1.0, 0.0, 3),
        Rate("claims-kept", "认领履约率", StarGroup.Service, Territory, Nobody,
            "期内有履约记录的认领", "期内有效的认领", 0.9, 0.3, 3),
        Rate("satisfaction", "群众满意率", StarGroup.Service, AllGrids, Workers,
            "居民评价为满意或基本满意的案件", "期内有居民评价的案件", 0.95, 0.6, 6),
        new("council-score", "居民议事会评议得分", StarGroup.Service, Territory, Walkers, IndicatorSource.Council, IndicatorMeasure.Average,
            "居民议事会成员的星级评分（去掉最高、最低分后的平均）", string.Empty, "星", 4.5, 2, ScoringRule.Linear, 8),

        // 队伍建设星
        Rate("training-done", "培训完成率", StarGroup.Team, Thirds, Everyone,
            "期内应完成且已完成的培训课程（人·课）", "期内应完成的培训课程（人·课）", 1.0, 0.5, 3),
        Rate("work-id-valid", "持证上岗率", StarGroup.Team, Territory, Workers,
            "期末持有效工作证的在岗人员", "期末在岗的网格人员", 1.0, 0.7, 3, ScoringRule.Threshold),
        Rate("briefings-read", "政策宣传阅读率", StarGroup.Team, Thirds, Everyone,
            "期内已读的政策宣传（人·篇）", "期内下发的政策宣传（人·篇）", 0.9, 0.4, 2),
        Tally("branch-activities", "支部主题党日活动", StarGroup.Team, Territory, Nobody,
            "开展并留有佐证材料（照片、签到表）的主题党日等支部活动", "次", 3, 0, 3, IndicatorSource.StaffEntered),
    ], new StarThresholds(), new CouncilRules());
}
