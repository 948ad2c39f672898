namespace CivicGrid.Domain.Cases;

/// <summary>The reporter's own verbs (docs/adr/0038-resident-actions-and-public-map.md): 补充, 催办, 撤回.</summary>
public static partial class CaseRules
{
    /// <summary>
    /// How long a case must have been open, from the report, before its reporter may chase it when it is not yet overdue:
    /// three days, the time most kinds take (the shortest limits are hours, the longest weeks: those become overdue first).
    /// </summary>
    public static readonly TimeSpan ChaseAfterOpen = TimeSpan.FromDays(3);

    /// <summary>A reporter chases a case at most once in this period.</summary>
    public static readonly TimeSpan ChaseInterval = TimeSpan.FromHours(24);

    /// <summary>The longest text a reporter adds (补充) or gives as a reason to withdraw.</summary>
    public const int ResidentTextMaxLength = 500;

    public static readonly CaseRule SupplementOnlyWhenOpen = new("case.supplement.only-when-open",
        "Information is added only to a case that is not closed, rejected, merged or withdrawn.",
        "该问题已办结或已结束，不能再补充情况。");

    public static readonly CaseRule SupplementContentRequired = new("case.supplement.content-required",
        "Adding information needs a few words (at most 500 characters) or a photo.",
        "请填写补充说明（不超过 500 字）或添加照片。");

    public static readonly CaseRule ChaseOnlyWhileInWork = new("case.chase.only-while-in-work",
        "A case is chased only while it waits to be handled: reported, accepted, assigned, in handling or parked.",
        "只有尚未处理完毕的问题可以催办。");

    public static readonly CaseRule ChaseOnlyWhenLate = new("case.chase.only-when-late",
        "A case is chased only when it is past its deadline or has been open for three days.",
        "问题尚在办理时限内，反映满 3 天或超过办理时限后才可以催办。");

    public static readonly CaseRule ChaseOncePerDay = new("case.chase.once-per-day",
        "A case is chased at most once in 24 hours.",
        "您在 24 小时内已催办过，工作人员正在处理，请稍后再催。");

    public static readonly CaseRule WithdrawOnlyBeforeAccepted = new("case.withdraw.only-before-accepted",
        "A report is withdrawn only before it is accepted.",
        "该问题已受理，不能撤回；如问题已解决，可在处理结果出来后评价，或联系社区说明。");

    public static readonly CaseRule WithdrawReasonRequired = new("case.withdraw.reason-required",
        "Withdrawing a report needs a reason (at most 500 characters).",
        "撤回须说明原因（不超过 500 字）。");

    /// <summary>Whether the reporter may chase now: a case in work, late by its deadline or by <see cref="ChaseAfterOpen"/>, not chased in 24 h.</summary>
    internal static bool MayChase(Case c, DateTimeOffset now) =>
        IsChasable(c.Status) && IsLate(c, now) && ChasedRecently(c, now) is null;

    internal static bool IsChasable(CaseStatus status) =>
        status is CaseStatus.Reported or CaseStatus.Accepted or CaseStatus.Assigned or CaseStatus.InHandling or CaseStatus.Parked;

    internal static bool IsLate(Case c, DateTimeOffset now) => c.IsOverdue(now) || now - c.ReportedAt >= ChaseAfterOpen;

    /// <summary>The last chase within <see cref="ChaseInterval"/> before <paramref name="now"/>, if any.</summary>
    internal static CaseTimelineEntry? ChasedRecently(Case c, DateTimeOffset now) =>
        c.Timeline.LastOrDefault(e => e.Action == CaseVerbs.Chase && now - e.At < ChaseInterval);

    /// <summary>When the reporter may chase next: now or later, or null while the case is not in work.</summary>
    public static DateTimeOffset? ChaseAvailableAt(Case subject, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (!IsChasable(subject.Status))
        {
            return null;
        }

        var late = now;
        if (!IsLate(subject, now))
        {
            late = subject.ReportedAt + ChaseAfterOpen;
            if (subject.Status is CaseStatus.Assigned or CaseStatus.InHandling && subject.DueAt is { } due && due < late)
            {
                late = due;
            }
        }

        var again = ChasedRecently(subject, now) is { } last ? last.At + ChaseInterval : now;
        return late > again ? late : again;
    }
}
