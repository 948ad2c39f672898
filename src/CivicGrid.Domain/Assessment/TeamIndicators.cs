using CivicGrid.Domain.Roster;
using static CivicGrid.Domain.Assessment.FieldIndicators;

namespace CivicGrid.Domain.Assessment;

/// <summary>A roster member on a training session's list: the course, the day, whether they came and their score.</summary>
public sealed record TrainingFacts(Guid MemberId, string MemberName, Guid CourseId, string CourseTitle, int PassMark, DateOnly HeldOn, bool Attended, int? Score)
{
    public bool Passed => Attended && Score is { } s && s >= PassMark;
}

/// <summary>A person on duty on the period's last day and the work IDs ever issued to them.</summary>
public sealed record OnDutyFacts(string Name, IReadOnlyList<WorkId> WorkIds);

/// <summary>One recipient's receipt of one briefing.</summary>
public sealed record ReceiptFacts(string Title, DateTimeOffset SentAt, string RecipientName, bool RequiresConfirmation, DateTimeOffset? OpenedAt,
    DateTimeOffset? ConfirmedAt);

/// <summary>The team indicators (training, work IDs, briefings) from plain facts, each with its evidence.</summary>
public static class TeamIndicators
{
    /// <summary>
    /// 培训完成率: every (member, course) with a session of the course on the member's list on a complete day of the period is one
    /// person·course owed; it counts when the member passed the course (attended and scored the pass mark) in any session up to
    /// the period's last complete day — an earlier pass counts, a retake in the period too.
    /// </summary>
    /// <param name="rows">The members' session rows of the period and before it (for earlier passes).</param>
    public static ComputedIndicator TrainingDone(IEnumerable<TrainingFacts> rows, AssessedDays period)
    {
        var known = rows.Where(r => r.HeldOn <= period.Through && r.HeldOn <= period.To).ToList();
        return ComputedIndicator.RatioOf("training-done", [.. known.Where(r => r.HeldOn >= period.From)
            .GroupBy(r => (r.MemberId, r.CourseId)).Select(g =>
            {
                var all = known.Where(r => r.MemberId == g.Key.MemberId && r.CourseId == g.Key.CourseId).OrderBy(r => r.HeldOn).ToList();
                var passed = all.FirstOrDefault(r => r.Passed);
                var latest = g.MaxBy(r => r.HeldOn)!;
                var note = passed is not null
                    ? $"{Day(passed.HeldOn)} 参训，成绩 {passed.Score} 分（及格 {passed.PassMark} 分）"
                    : !latest.Attended ? $"{Day(latest.HeldOn)} 缺席"
                    : latest.Score is { } score ? $"{Day(latest.HeldOn)} 参训，成绩 {score} 分，未达及格线 {latest.PassMark} 分"
                    : $"{Day(latest.HeldOn)} 已参训，尚无考试成绩";
                return (Name: latest.MemberName, Title: latest.CourseTitle, Evidence: new IndicatorEvidence($"{latest.MemberName} · 《{latest.CourseTitle}》", passed is not null, note));
            })
            .OrderBy(x => x.Name, StringComparer.Ordinal).ThenBy(x => x.Title, StringComparer.Ordinal).Select(x => x.Evidence)]);
    }

    /// <summary>
    /// 持证上岗率: every person on duty on <paramref name="day"/> (the period's last day, or today for a provisional result) is one;
    /// they count when a work ID of theirs was valid that day: within its dates and not revoked by then (a revocation after the
    /// day does not reach back into a period already over).
    /// </summary>
    public static ComputedIndicator WorkIdValid(IEnumerable<OnDutyFacts> people, DateOnly day) =>
        ComputedIndicator.RatioOf("work-id-valid", [.. people.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p =>
        {
            var valid = p.WorkIds.Where(w => w.ValidFrom <= day && day <= w.ValidUntil && !RevokedBy(w, day)).MaxBy(w => w.ValidUntil);
            if (valid is not null)
            {
                return new IndicatorEvidence(p.Name, true, $"工作证 {valid.Number} 有效至 {Day(valid.ValidUntil)}");
            }

            var latest = p.WorkIds.Where(w => w.ValidFrom <= day).MaxBy(w => w.IssuedAt) ?? p.WorkIds.MinBy(w => w.ValidFrom);
            return new IndicatorEvidence(p.Name, false, latest switch
            {
                null => "未办理工作证",
                _ when RevokedBy(latest, day) => $"工作证 {latest.Number} 已于 {Day(latest.RevokedAt!.Value)} 吊销",
                _ when day > latest.ValidUntil => $"工作证 {latest.Number} 已于 {Day(latest.ValidUntil)} 到期",
                _ => $"工作证 {latest.Number} 自 {Day(latest.ValidFrom)} 起生效",
            });
        })]);

    private static bool RevokedBy(WorkId id, DateOnly day) =>
        id.RevokedAt is { } at && DateOnly.FromDateTime(at.ToOffset(Calendar.WorkCalendar.BeijingOffset).DateTime) <= day;

    /// <summary>
    /// 政策宣传阅读率: every (briefing sent in the period, recipient) is one; it counts when read by <paramref name="until"/> —
    /// confirmed ("我已阅读") when the briefing asks for it, opened otherwise.
    /// </summary>
    public static ComputedIndicator BriefingsRead(IEnumerable<ReceiptFacts> receipts, DateTimeOffset until) =>
        ComputedIndicator.RatioOf("briefings-read", [.. receipts.OrderBy(r => r.SentAt).ThenBy(r => r.RecipientName, StringComparer.Ordinal).Select(r =>
        {
            var reference = $"《{r.Title}》（{Day(r.SentAt)} 下发）· {r.RecipientName}";
            var readAt = r.RequiresConfirmation ? r.ConfirmedAt : r.OpenedAt;
            if (readAt is { } at && at <= until)
            {
                return new IndicatorEvidence(reference, true, r.RequiresConfirmation ? $"{Day(at)} 已确认阅读" : $"{Day(at)} 已阅读");
            }

            return new IndicatorEvidence(reference, false, r.OpenedAt <= until ? "已打开，未确认阅读" : "未读");
        })]);
}
