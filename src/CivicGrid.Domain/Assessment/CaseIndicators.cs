using CivicGrid.Domain.Cases;
using CivicGrid.Spatial;

namespace CivicGrid.Domain.Assessment;

/// <summary>
/// What assessment needs to know of one case, read once per period from the case table (and its timeline for
/// <see cref="AcceptedAt"/>). The caller chooses the cases of a subject: a grid's subtree, or the cases assigned to or
/// reported by a person.
/// </summary>
/// <param name="AcceptDueAt">When acceptance (受理) was due, by the working calendar; null when the case came in accepted.</param>
/// <param name="AcceptedAt">When it was accepted or rejected (the first screening decision); null while it waits.</param>
/// <param name="DueAt">The handling deadline of its latest assignment.</param>
/// <param name="Tier">Its colour now; for a closed case, the level it was solved at.</param>
/// <param name="Rating">The reporter's 1–5 stars; null when nobody rated it (an automatic evaluation invents none).</param>
/// <param name="MediationCount">Joint mediations (联调) recorded on it while it was yellow.</param>
public sealed record CaseFacts(
    string Number,
    string CategoryCode,
    CaseChannel Channel,
    CaseStatus Status,
    CaseTier Tier,
    double Lon,
    double Lat,
    DateTimeOffset ReportedAt,
    DateTimeOffset? AcceptDueAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? HandledAt,
    DateTimeOffset? ClosedAt,
    int? Rating,
    int ReopenCount,
    int SupervisionCount,
    int MediationCount = 0)
{
    /// <summary>Cases that are not work: refused at screening or merged into another (the other carries the work).</summary>
    public bool IsWork => Status is not (CaseStatus.Rejected or CaseStatus.Merged or CaseStatus.Withdrawn);
}

/// <summary>One record behind an indicator: it is in the denominator, and <see cref="Counted"/> says whether in the numerator too.</summary>
/// <param name="Reference">The record's number (a case number, a patrol day, a visit…).</param>
/// <param name="Note">Why it counts or not, in Chinese (e.g. 超期 3.5 小时).</param>
public sealed record IndicatorEvidence(string Reference, bool Counted, string? Note = null);

/// <summary>An indicator's value with the records that make it; for a ratio, the evidence is exactly its denominator.</summary>
public sealed record ComputedIndicator(IndicatorValue Value, IReadOnlyList<IndicatorEvidence> Evidence)
{
    /// <summary>A ratio whose numerator and denominator are the evidence itself, so they cannot disagree.</summary>
    public static ComputedIndicator RatioOf(string code, IReadOnlyList<IndicatorEvidence> evidence) =>
        new(IndicatorValue.Ratio(code, evidence.Count(e => e.Counted), evidence.Count), evidence);

    /// <summary>A count of the evidence marked counted.</summary>
    public static ComputedIndicator CountOf(string code, IReadOnlyList<IndicatorEvidence> evidence) =>
        new(IndicatorValue.Count(code, evidence.Count(e => e.Counted)), evidence);
}

/// <summary>
/// The case-loop indicators of a set of cases over a period, each with its evidence (the case numbers counted). The
/// period is [<c>start</c>, <c>end</c>) in instants; <c>asOf</c> is when it is computed (the period's end once it has
/// ended; earlier for a provisional result, so a deadline not yet reached is not counted against anyone).
/// </summary>
public static class CaseIndicators
{
    /// <summary>Two cases of one category this close (metres) …</summary>
    public const double RepeatMeters = 50;

    /// <summary>… and this close in time are the same problem coming back (重复发生).</summary>
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromDays(30);

    /// <summary>Every case-loop indicator of the seeded catalogue this class computes, by code.</summary>
    public static IReadOnlyDictionary<string, ComputedIndicator> Compute(IReadOnlyList<CaseFacts> cases, DateTimeOffset start, DateTimeOffset end,
        DateTimeOffset asOf)
    {
        var until = asOf < end ? asOf : end;
        bool In(DateTimeOffset? at) => at is { } t && t >= start && t < end && t <= until;
        var work = cases.Where(c => c.IsWork).ToList();
        var reported = work.Where(c => In(c.ReportedAt)).ToList();
        var closed = work.Where(c => In(c.ClosedAt)).ToList();

        return new Dictionary<string, ComputedIndicator>
        {
            ["on-time-acceptance"] = ComputedIndicator.RatioOf("on-time-acceptance", [.. cases
                .Where(c => In(c.ReportedAt) && c.AcceptDueAt is { } due && (c.AcceptedAt is not null || due <= until))
                .Select(c => c.AcceptedAt is { } at && at <= c.AcceptDueAt
                    ? new IndicatorEvidence(c.Number, true)
                    : new IndicatorEvidence(c.Number, false, Late(c.AcceptedAt ?? until, c.AcceptDueAt!.Value, "受理")))]),
            ["on-time-handling"] = ComputedIndicator.RatioOf("on-time-handling", [.. OnTime(work, In, until)]),
            ["overdue-rate"] = ComputedIndicator.RatioOf("overdue-rate", [.. work
                .Where(c => c.DueAt is not null && In(c.DueAt))
                .Select(c => c.HandledAt is { } at && at <= until
                    ? new IndicatorEvidence(c.Number, at > c.DueAt, at > c.DueAt ? Late(at, c.DueAt!.Value, "办结") : "按时办结")
                    : new IndicatorEvidence(c.Number, true, Late(until, c.DueAt!.Value, "截至统计时仍未办结，")))]),
            ["closure-rate"] = ComputedIndicator.RatioOf("closure-rate", [.. reported
                .Select(c => new IndicatorEvidence(c.Number, c.ClosedAt is { } at && at <= until, c.ClosedAt is { } a && a <= until ? "已结案" : "未结案"))]),
            ["rework-rate"] = ComputedIndicator.RatioOf("rework-rate", [.. closed
                .Select(c => new IndicatorEvidence(c.Number, c.ReopenCount > 0, c.ReopenCount > 0 ? $"返工 {c.ReopenCount} 次" : null))]),
            ["satisfaction"] = ComputedIndicator.RatioOf("satisfaction", [.. closed.Where(c => c.Rating is not null)
                .Select(c => new IndicatorEvidence(c.Number, c.Rating >= 4, $"{c.Rating} 星"))]),
            ["lowest-level"] = ComputedIndicator.RatioOf("lowest-level", [.. closed
                .Select(c => new IndicatorEvidence(c.Number, c.Tier == CaseTier.Green, TierName(c.Tier)))]),
            ["self-found"] = ComputedIndicator.RatioOf("self-found", [.. reported
                .Select(c => new IndicatorEvidence(c.Number, c.Channel == CaseChannel.GridPatrol, c.Channel == CaseChannel.GridPatrol ? "网格人员上报" : null))]),
            ["self-found-cases"] = ComputedIndicator.CountOf("self-found-cases", [.. reported
                .Where(c => c.Channel == CaseChannel.GridPatrol).Select(c => new IndicatorEvidence(c.Number, true))]),
            ["supervised-cases"] = ComputedIndicator.CountOf("supervised-cases", [.. reported
                .Where(c => c.SupervisionCount > 0).Select(c => new IndicatorEvidence(c.Number, true, $"督办 {c.SupervisionCount} 次"))]),
            ["repeat-places"] = ComputedIndicator.RatioOf("repeat-places", [.. Repeats(work, reported)]),
            ["mediation-success"] = ComputedIndicator.RatioOf("mediation-success", [.. closed.Where(c => c.MediationCount > 0).Select(Mediated)]),
        };
    }

    /// <summary>
    /// A person's case-loop indicators: those of the cases assigned to them (<see cref="Compute"/>), but self-found-cases is
    /// the cases they reported themselves in the period that were accepted (not refused, merged or still waiting to be screened).
    /// </summary>
    public static IReadOnlyDictionary<string, ComputedIndicator> ComputeForWorker(IReadOnlyList<CaseFacts> assigned, IReadOnlyList<CaseFacts> reported,
        DateTimeOffset start, DateTimeOffset end, DateTimeOffset asOf)
    {
        var until = asOf < end ? asOf : end;
        var computed = new Dictionary<string, ComputedIndicator>(Compute(assigned, start, end, asOf))
        {
            ["self-found-cases"] = ComputedIndicator.CountOf("self-found-cases", [.. reported
                .Where(c => c.IsWork && c.Status != CaseStatus.Reported && c.ReportedAt >= start && c.ReportedAt < end && c.ReportedAt <= until)
                .OrderBy(c => c.ReportedAt).Select(c => new IndicatorEvidence(c.Number, true, "本人上报，已受理"))]),
        };
        return computed;
    }

    /// <summary>
    /// 矛盾调解成功: the platform keeps a mediation's outcome as free text, so success is read from what the case shows: a case
    /// closed in the period after a recorded joint mediation (a dispute the community brought to the table) succeeded when it
    /// was not reworked and the reporter, if they rated it, did not rate it 1 or 2 stars (the dispute was not settled for them).
    /// </summary>
    private static IndicatorEvidence Mediated(CaseFacts c)
    {
        if (c.ReopenCount > 0)
        {
            return new IndicatorEvidence(c.Number, false, $"联调 {c.MediationCount} 次后办结，但返工 {c.ReopenCount} 次");
        }

        return c.Rating is <= 2
            ? new IndicatorEvidence(c.Number, false, $"联调 {c.MediationCount} 次后办结，居民评价 {c.Rating} 星（不满意）")
            : new IndicatorEvidence(c.Number, true, $"联调 {c.MediationCount} 次后办结，未返工{(c.Rating is { } r ? $"，居民评价 {r} 星" : string.Empty)}");
    }

    /// <summary>
    /// 按时处置: the cases handled in the period against a deadline, and those whose deadline fell in the period without
    /// being handled by then; on time when handled by the deadline. A deadline that has not come yet counts nothing.
    /// </summary>
    private static IEnumerable<IndicatorEvidence> OnTime(IEnumerable<CaseFacts> work, Func<DateTimeOffset?, bool> inPeriod, DateTimeOffset until) =>
        work.Where(c => c.DueAt is not null && (inPeriod(c.HandledAt) || (inPeriod(c.DueAt) && !(c.HandledAt <= until))))
            .Select(c => c.HandledAt is { } at && at <= until
                ? new IndicatorEvidence(c.Number, at <= c.DueAt, at <= c.DueAt ? "按时办结" : Late(at, c.DueAt!.Value, "办结"))
                : new IndicatorEvidence(c.Number, false, Late(until, c.DueAt!.Value, "截至统计时仍未办结，")));

    /// <summary>Each case reported in the period, counted when a case of its category lay within 50 m in the 30 days before it.</summary>
    private static IEnumerable<IndicatorEvidence> Repeats(IReadOnlyList<CaseFacts> all, IReadOnlyList<CaseFacts> reported)
    {
        var byCategory = all.GroupBy(c => c.CategoryCode).ToDictionary(g => g.Key, g => g.OrderBy(c => c.ReportedAt).ToList());
        foreach (var c in reported)
        {
            var earlier = byCategory[c.CategoryCode].FirstOrDefault(o => o.ReportedAt < c.ReportedAt && o.ReportedAt >= c.ReportedAt - RepeatWindow
                && Math.Abs(o.Lat - c.Lat) < 0.001 && Geodesy.DistanceMeters(o.Lon, o.Lat, c.Lon, c.Lat) <= RepeatMeters);
            yield return new IndicatorEvidence(c.Number, earlier is not null, earlier is null ? null : $"与 {earlier.Number} 同类同地");
        }
    }

    private static string Late(DateTimeOffset at, DateTimeOffset due, string what)
    {
        var hours = (at - due).TotalHours;
        return hours <= 0 ? "刚到期" : $"{what}超期 {(hours < 48 ? $"{Math.Round(hours, 1)} 小时" : $"{Math.Round(hours / 24, 1)} 天")}";
    }

    private static string TierName(CaseTier tier) => tier switch
    {
        CaseTier.Green => "网格办结（绿）",
        CaseTier.Yellow => "社区办结（黄）",
        CaseTier.Blue => "街道办结（蓝）",
        _ => "区级办结（红）",
    };
}
