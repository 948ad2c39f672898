namespace CivicGrid.Domain.Cases;

/// <summary>
/// The reporter's own verbs besides checking and rating the result: adding information (补充), chasing (催办) and
/// withdrawing (撤回). Like every verb they check the version, who acts, the status and the arguments, append one
/// timeline entry attributed to the reporter and increment <see cref="Version"/>; staff see them in the timeline and the
/// handler (or, while nobody is assigned, the owning level) is notified. docs/adr/0038-resident-actions-and-public-map.md.
/// </summary>
public sealed partial class Case
{
    /// <summary>
    /// 补充: the reporter adds a few words or photos to an open case (any status but a final one). Status unchanged; the
    /// words are the entry's note (staff read them; the reporter sees them on their own case), the photos its attachments.
    /// </summary>
    public void Supplement(Actor actor, int expectedVersion, DateTimeOffset now, string? text, IReadOnlyCollection<Guid> photoIds)
    {
        ArgumentNullException.ThrowIfNull(photoIds);
        Begin(actor, expectedVersion);
        Require(CaseRules.IsReporter(actor, this), CaseRules.ReporterOnly);
        Require(!Status.IsFinal(), CaseRules.SupplementOnlyWhenOpen);
        var words = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        var photos = photoIds.Where(id => id != Guid.Empty).Distinct().ToList();
        Require((words is not null || photos.Count > 0) && (words?.Length ?? 0) <= CaseRules.ResidentTextMaxLength, CaseRules.SupplementContentRequired);
        Record(actor, now, CaseVerbs.Supplement, Status, true,
            photos.Count > 0 ? $"您补充了情况说明和 {photos.Count} 张照片。" : "您补充了情况说明。", words, attachmentIds: photos,
            details: Facts(("photos", Invariant(photos.Count))));
    }

    /// <summary>
    /// 催办: the reporter asks for progress on a case still waiting to be handled, once it is past its deadline or open for
    /// <see cref="CaseRules.ChaseAfterOpen"/>, at most once per <see cref="CaseRules.ChaseInterval"/>. Status unchanged.
    /// </summary>
    public void Chase(Actor actor, int expectedVersion, DateTimeOffset now)
    {
        Begin(actor, expectedVersion);
        Require(CaseRules.IsReporter(actor, this), CaseRules.ReporterOnly);
        Require(CaseRules.IsChasable(Status), CaseRules.ChaseOnlyWhileInWork);
        Require(CaseRules.IsLate(this, now), CaseRules.ChaseOnlyWhenLate);
        Require(CaseRules.ChasedRecently(this, now) is null, CaseRules.ChaseOncePerDay);
        var chases = _timeline.Count(e => e.Action == CaseVerbs.Chase) + 1;
        Record(actor, now, CaseVerbs.Chase, Status, true, "您已催办，我们已提醒工作人员尽快处理。",
            details: Facts(("chase", Invariant(chases)), ("overdue", IsOverdue(now) ? "true" : "false")));
    }

    /// <summary>
    /// 撤回: the reporter takes the report back before it is accepted (Reported → Withdrawn, final), with a reason staff
    /// see. A case waiting for its location to be confirmed leaves that queue.
    /// </summary>
    public void Withdraw(Actor actor, int expectedVersion, DateTimeOffset now, string reason)
    {
        Begin(actor, expectedVersion);
        Require(CaseRules.IsReporter(actor, this), CaseRules.ReporterOnly);
        Require(Status == CaseStatus.Reported, CaseRules.WithdrawOnlyBeforeAccepted);
        Require(!string.IsNullOrWhiteSpace(reason) && reason.Trim().Length <= CaseRules.ResidentTextMaxLength, CaseRules.WithdrawReasonRequired);
        ClosedAt = now;
        Record(actor, now, CaseVerbs.Withdraw, CaseStatus.Withdrawn, true, $"您已撤回反映的问题。原因：{reason.Trim()}", reason.Trim());
    }
}
