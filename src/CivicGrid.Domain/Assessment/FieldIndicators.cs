using System.Globalization;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Domain.Households;

namespace CivicGrid.Domain.Assessment;

/// <summary>A spell on duty: [<see cref="StartOn"/>, <see cref="EndOn"/>), the end date being the first day off (as roster assignments).</summary>
public sealed record DutySpell(DateOnly StartOn, DateOnly? EndOn)
{
    public bool Covers(DateOnly day) => StartOn <= day && (EndOn is null || day < EndOn);
}

/// <summary>A grid worker or leader who owes a daily patrol.</summary>
/// <param name="Duty">Their spells on the roster's grids; null when the account is not linked to the roster (then every day of the period is owed).</param>
public sealed record WalkerFacts(Guid Id, string Name, IReadOnlyList<DutySpell>? Duty)
{
    public bool OnDuty(DateOnly day) => Duty is null || Duty.Any(d => d.Covers(day));
}

/// <summary>One worker's patrols of one Beijing day, summed: steps (the phone's count, else walked metres ÷ stride).</summary>
public sealed record PatrolDayFacts(Guid WorkerId, DateOnly Day, int Steps);

/// <summary>A unit of patrol coverage: a micro-grid, or a grid the territory does not divide further.</summary>
public sealed record CoverageUnit(string Code, string Name);

/// <summary>A place walked on a day (the finest grid a patrol's time was located in).</summary>
public sealed record WalkFacts(string GridCode, DateOnly Day);

/// <summary>A sunk liaison's week (Monday) of service and the door-knocks of it that count towards the minimum (visited or refused).</summary>
public sealed record LiaisonWeekFacts(Guid UserId, string Name, DateOnly Week, int Counted);

/// <summary>A door-knock: where (building address, unit and room), by whom, when, how it went.</summary>
public sealed record KnockFacts(string Place, string VisitorName, DateOnly Day, VisitOutcome Outcome);

/// <summary>A household with a special-care resident: its address, the care kinds, and its door-knocks in the period.</summary>
public sealed record CareHouseholdFacts(string Place, IReadOnlyList<CareKind> Care, IReadOnlyList<(DateOnly Day, VisitOutcome Outcome)> Visits);

/// <summary>A courtyard council: compound, day, and its follow-ups.</summary>
public sealed record CouncilFacts(string CompoundName, DateOnly HeldOn, IReadOnlyList<FollowUpFacts> FollowUps);

/// <summary>A council's follow-up and what became of it.</summary>
/// <param name="Target">The case number it became (for a need, nothing: needs have no number).</param>
/// <param name="DoneAt">When its need was met or its case closed; null while not.</param>
public sealed record FollowUpFacts(string Text, FollowUpKind Kind, string? Target, DateTimeOffset? DoneAt);

/// <summary>A need of the needs list: what it is (its description, as the needs page shows it) and when it was raised, met or closed.</summary>
/// <param name="ClosedAt">Closed without being met (moved away, solved by the family…).</param>
public sealed record NeedFacts(string Description, DateTimeOffset RaisedAt, DateTimeOffset? MetAt, DateTimeOffset? ClosedAt);

/// <summary>A project: its name, its end date (the planned one while live; the actual one once completed or cancelled) and its status.</summary>
public sealed record ProjectFacts(string Name, DateOnly? EndOn, ProjectStatus Status);

/// <summary>
/// The field-work indicators (patrols, door-knocks, special care, councils, needs, projects, claims) from plain facts, each
/// with its evidence: a ratio's evidence is exactly its denominator, a count's the records counted. The caller chooses the
/// facts of a subject (a grid's subtree, or one person's records).
/// </summary>
public static class FieldIndicators
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// 巡查步数达标率: every working day of the work calendar (complete so far) on which a walker was on duty is one worker-day;
    /// it counts when their steps that day reached <paramref name="stepGoal"/>. Patrols on rest days are not owed and not counted.
    /// </summary>
    public static ComputedIndicator PatrolGoalDays(IEnumerable<WalkerFacts> walkers, IEnumerable<PatrolDayFacts> days, Func<DateOnly, bool> isWorkingDay,
        AssessedDays period, int stepGoal)
    {
        var steps = days.GroupBy(d => (d.WorkerId, d.Day)).ToDictionary(g => g.Key, g => g.Sum(d => d.Steps));
        var workingDays = period.Days().Where(isWorkingDay).ToList();
        return ComputedIndicator.RatioOf("patrol-goal-days", [.. workingDays
            .SelectMany(day => walkers.Where(w => w.OnDuty(day)).OrderBy(w => w.Name, StringComparer.Ordinal).Select(w =>
            {
                var reference = $"{Day(day)} · {w.Name}";
                if (!steps.TryGetValue((w.Id, day), out var walked))
                {
                    return new IndicatorEvidence(reference, false, "当日没有巡查记录");
                }

                return walked >= stepGoal
                    ? new IndicatorEvidence(reference, true, $"步数 {Number(walked)}，达到 {Number(stepGoal)} 的目标")
                    : new IndicatorEvidence(reference, false, $"步数 {Number(walked)}，未达 {Number(stepGoal)} 的目标");
            }))]);
    }

    /// <summary>
    /// 网格巡查覆盖率: each unit (micro-grid) × each week of the period is one micro-grid·week; it counts when a walk of the
    /// period's complete days lay in the unit (its code prefixes the walk's grid) during that week.
    /// </summary>
    public static ComputedIndicator PatrolCoverage(IReadOnlyList<CoverageUnit> units, IEnumerable<WalkFacts> walks, AssessedDays period)
    {
        var lengths = units.Select(u => u.Code.Length).Distinct().ToList();
        var byCode = units.Select((u, i) => (u.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);
        var walked = new HashSet<(int Unit, DateOnly Week, DateOnly Day)>();
        foreach (var walk in walks.Where(w => period.Counts(w.Day)))
        {
            foreach (var length in lengths.Where(l => walk.GridCode.Length >= l))
            {
                if (byCode.TryGetValue(walk.GridCode[..length], out var unit))
                {
                    walked.Add((unit, VisitRules.WeekStart(walk.Day), walk.Day));
                }
            }
        }

        var daysWalked = walked.GroupBy(w => (w.Unit, w.Week)).ToDictionary(g => g.Key, g => g.Count());
        return ComputedIndicator.RatioOf("patrol-coverage", [.. period.Weeks().SelectMany(week => units.Select((unit, i) =>
        {
            var days = daysWalked.GetValueOrDefault((i, week));
            return new IndicatorEvidence($"{unit.Name} · {Day(week)} 起一周", days > 0, days > 0 ? $"本周 {days} 天有巡查走过" : "本周无人巡查走过");
        }))]);
    }

    /// <summary>
    /// 叮咚敲门达标率: each week a sunk liaison served (of the period's weeks that are over) is one liaison·week; it counts when
    /// their counted door-knocks (visited or refused, wherever they knocked) reached <paramref name="weeklyMinimum"/>.
    /// </summary>
    public static ComputedIndicator DoorKnockWeeks(IEnumerable<LiaisonWeekFacts> weeks, int weeklyMinimum, AssessedDays period)
    {
        var over = period.Weeks().ToHashSet();
        return ComputedIndicator.RatioOf("door-knock-weeks", [.. weeks.Where(w => over.Contains(w.Week)).DistinctBy(w => (w.UserId, w.Week))
            .OrderBy(w => w.Week).ThenBy(w => w.Name, StringComparer.Ordinal)
            .Select(w => new IndicatorEvidence($"{Day(w.Week)} 起一周 · {w.Name}", !VisitRules.IsBehind(w.Counted, weeklyMinimum),
                $"有效敲门 {w.Counted} 次，{(VisitRules.IsBehind(w.Counted, weeklyMinimum) ? "未达" : "达到")}每周 {weeklyMinimum} 次的要求"))]);
    }

    /// <summary>入户走访户次: every door-knock of the period counts (someone met, nobody home or refused alike).</summary>
    public static ComputedIndicator DoorKnocks(IEnumerable<KnockFacts> knocks) =>
        ComputedIndicator.CountOf("door-knocks", [.. knocks.OrderBy(k => k.Day).ThenBy(k => k.Place, StringComparer.Ordinal)
            .Select(k => new IndicatorEvidence($"{Day(k.Day)} · {k.Place} · {k.VisitorName}", true, k.Outcome.ToChinese()))]);

    /// <summary>
    /// 特殊人群走访覆盖率: every household with a special-care resident is one; it counts when someone was met there at least once
    /// in the period (a door nobody opened, or a refusal, is not a visit to a person in need of care).
    /// </summary>
    public static ComputedIndicator SpecialCareVisits(IEnumerable<CareHouseholdFacts> households) =>
        ComputedIndicator.RatioOf("special-care-visits", [.. households.OrderBy(h => h.Place, StringComparer.Ordinal).Select(h =>
        {
            var reference = $"{h.Place}（{string.Join("、", h.Care.Distinct().Order().Select(c => c.ToChinese()))}）";
            var met = h.Visits.Where(v => v.Outcome == VisitOutcome.Visited).Select(v => v.Day).Order().ToList();
            if (met.Count > 0)
            {
                return new IndicatorEvidence(reference, true, met.Count == 1 ? $"{Day(met[0])} 入户走访" : $"{Day(met[0])} 起入户走访 {met.Count} 次");
            }

            return new IndicatorEvidence(reference, false, h.Visits.Count == 0
                ? "期内未走访"
                : $"敲门 {h.Visits.Count} 次均未见到人（{string.Join("、", h.Visits.Select(v => v.Outcome.ToChinese()).Distinct())}）");
        })]);

    /// <summary>楼院议事会召开次数: every courtyard council held in the period.</summary>
    public static ComputedIndicator CouncilsHeld(IEnumerable<CouncilFacts> councils) =>
        ComputedIndicator.CountOf("councils-held", [.. councils.OrderBy(c => c.HeldOn).ThenBy(c => c.CompoundName, StringComparer.Ordinal)
            .Select(c => new IndicatorEvidence($"{Day(c.HeldOn)} · {c.CompoundName}楼院议事会", true, $"议定后续事项 {c.FollowUps.Count} 项"))]);

    /// <summary>
    /// 议事事项落实率: every follow-up of the period's councils is one; it counts when it became a need that was met, or a case that
    /// was closed, by <paramref name="until"/>. A follow-up left as a note is in the denominator and never counted.
    /// </summary>
    public static ComputedIndicator CouncilFollowUps(IEnumerable<CouncilFacts> councils, DateTimeOffset until) =>
        ComputedIndicator.RatioOf("council-follow-ups", [.. councils.OrderBy(c => c.HeldOn).ThenBy(c => c.CompoundName, StringComparer.Ordinal)
            .SelectMany(c => c.FollowUps.Select(f =>
            {
                var reference = $"{Day(c.HeldOn)} · {c.CompoundName} · {Short(f.Text)}";
                var done = f.Kind != FollowUpKind.Note && f.DoneAt is { } at && at <= until;
                var note = f.Kind switch
                {
                    FollowUpKind.Need => done ? $"已转为需求，{Day(f.DoneAt!.Value)} 已满足" : "已转为需求，尚未满足",
                    FollowUpKind.Case => done ? $"已转为案件 {f.Target}，{Day(f.DoneAt!.Value)} 已结案" : $"已转为案件 {f.Target}，尚未结案",
                    _ => "仅记入会议记录，未转为需求或案件",
                };
                return new IndicatorEvidence(reference, done, note);
            }))]);

    /// <summary>
    /// 需求满足率: the needs raised in [<paramref name="start"/>, <paramref name="end"/>) and those raised before that were still
    /// unmet at its start; a need closed without being met (not to be pursued) before the computation is left out. It counts
    /// when met by the computation (the period's end, or <paramref name="asOf"/> before it).
    /// </summary>
    public static ComputedIndicator NeedsMet(IEnumerable<NeedFacts> needs, DateTimeOffset start, DateTimeOffset end, DateTimeOffset asOf)
    {
        var until = asOf < end ? asOf : end;
        return ComputedIndicator.RatioOf("needs-met", [.. needs
            .Where(n => n.RaisedAt < until && (n.RaisedAt >= start || !(n.MetAt < start)) && !(n.MetAt is null && n.ClosedAt <= until))
            .OrderBy(n => n.RaisedAt)
            .Select(n => new IndicatorEvidence($"{Short(n.Description)}（{Day(n.RaisedAt)} 登记）", n.MetAt <= until,
                n.MetAt is { } met && met <= until ? $"{Day(met)} 已满足" : "尚未满足"))]);
    }

    /// <summary>
    /// 项目按期完成率: the projects due to end in the period: a live one whose planned end date has come (a complete day of the
    /// period), a completed or cancelled one that ended in it. It counts when completed.
    /// </summary>
    /// <remarks>
    /// A project keeps one end date, the plan until it is completed or cancelled and then the actual day, so a project finished
    /// early in an earlier period is judged in that period and one finished late counts where it was finished, late.
    /// </remarks>
    public static ComputedIndicator ProjectsDelivered(IEnumerable<ProjectFacts> projects, AssessedDays period) =>
        ComputedIndicator.RatioOf("projects-delivered", [.. projects
            .Where(p => p.EndOn is { } end && end >= period.From && end <= period.To && (p.Status is ProjectStatus.Completed or ProjectStatus.Cancelled || end <= period.Through))
            .OrderBy(p => p.EndOn).ThenBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => new IndicatorEvidence(p.Name, p.Status == ProjectStatus.Completed, p.Status switch
            {
                ProjectStatus.Completed => $"{Day(p.EndOn!.Value)} 完成",
                ProjectStatus.Cancelled => $"{Day(p.EndOn!.Value)} 取消",
                _ => $"计划 {Day(p.EndOn!.Value)} 结束，尚未完成",
            }))]);

    /// <summary>
    /// 认领履约率: every claim in force on some complete day of the period; it counts when a fulfilment recorded as done falls on a
    /// complete day of the period (<see cref="Claim.KeptDuring"/>).
    /// </summary>
    public static ComputedIndicator ClaimsKept(IEnumerable<Claim> claims, AssessedDays period)
    {
        if (period.Through < period.From)
        {
            return ComputedIndicator.RatioOf("claims-kept", []);
        }

        var through = period.Through < period.To ? period.Through : period.To;
        return ComputedIndicator.RatioOf("claims-kept", [.. claims.Where(c => c.KeptDuring(period.From, through) is not null)
            .OrderBy(c => c.TargetName, StringComparer.Ordinal).ThenBy(c => c.ClaimerName, StringComparer.Ordinal)
            .Select(c =>
            {
                var done = c.Fulfilments.Where(f => f.Done && f.On >= period.From && f.On <= through).Select(f => f.On).Order().ToList();
                return new IndicatorEvidence($"{c.TargetName} · {c.ClaimerName}", done.Count > 0,
                    done.Count > 0 ? $"期内履约 {done.Count} 次，最近 {Day(done[^1])}" : "认领期内，本期没有完成的履约记录");
            })]);
    }

    internal static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", Invariant);

    internal static string Day(DateTimeOffset at) => Day(DateOnly.FromDateTime(at.ToOffset(Calendar.WorkCalendar.BeijingOffset).DateTime));

    internal static string Number(int value) => value.ToString("N0", Invariant);

    internal static string Short(string text) => text.Length <= 30 ? text : string.Concat(text.AsSpan(0, 29), "…");
}
