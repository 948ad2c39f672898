namespace CivicGrid.Domain.Cases;

/// <summary>
/// The verbs of the workflow as clients name them: the kebab-case action names the verbs write on the timeline.
/// A console shows a button per verb in <see cref="CaseRules.AllowedActions"/>; the workflow endpoints take the same names.
/// </summary>
public static class CaseVerbs
{
    public const string Accept = "accept";
    public const string Reject = "reject";
    public const string Assign = "assign";
    public const string StartHandling = "start-handling";
    public const string RecordHandled = "record-handled";

    /// <summary>核查, passed or failed (返工): one verb with a verdict.</summary>
    public const string Verify = "verify";
    public const string Evaluate = "evaluate";
    public const string Close = "close";
    public const string Return = "return";
    public const string Transfer = "transfer";

    /// <summary>Escalation by owner staff; for <see cref="Actor.System"/>, the automatic escalation of an overdue case.</summary>
    public const string Escalate = "escalate";
    public const string Park = "park";
    public const string Resume = "resume";
    public const string Reopen = "reopen";
    public const string Merge = "merge";
    public const string RecordMediation = "record-mediation";
    public const string RecordMeetingDecision = "record-meeting-decision";
    public const string HandToDistrict = "hand-to-district";
    public const string Supervise = "supervise";

    /// <summary>补充: the reporter adds words or photos to an open case.</summary>
    public const string Supplement = "supplement";

    /// <summary>催办: the reporter asks for progress on a late case, once a day.</summary>
    public const string Chase = "chase";

    /// <summary>撤回: the reporter takes the report back before it is accepted.</summary>
    public const string Withdraw = "withdraw";

    /// <summary>Every verb a person (or the system, for escalation and supervision) may be offered, in the loop's order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Accept, Reject, Assign, StartHandling, RecordHandled, Verify, Evaluate, Close, Return, Transfer, Escalate, Park, Resume,
        Reopen, Merge, RecordMediation, RecordMeetingDecision, HandToDistrict, Supervise, Supplement, Chase, Withdraw,
    ];
}

public static partial class CaseRules
{
    /// <summary>
    /// Per verb, the guards of its method in Case.Workflow.cs that do not depend on the verb's own arguments: who acts, the
    /// status, and the case's state (the handler may not verify, a yellow case closes after a mediation, red is the top…).
    /// Argument rules (a reason, a note, a due time after now, a target grid) are the form's business, not the button's.
    /// <c>AllowedActionsTests.AllowedActions_AgreeWithTheVerbs</c> runs every verb against this table for every status,
    /// colour and kind of actor, so a guard changed in one place and not the other fails the build.
    /// </summary>
    private static readonly (string Verb, Func<Actor, Case, DateTimeOffset, bool> Allows)[] VerbGuards =
    [
        (CaseVerbs.Accept, (a, c, _) => IsOwnerStaff(a, c) && c.Status == CaseStatus.Reported),
        (CaseVerbs.Reject, (a, c, _) => IsOwnerStaff(a, c) && c.Status == CaseStatus.Reported),
        (CaseVerbs.Assign, (a, c, _) => IsOwnerStaff(a, c) && c.Status is CaseStatus.Accepted or CaseStatus.Assigned or CaseStatus.InHandling),
        (CaseVerbs.StartHandling, (a, c, _) => IsHandler(a, c) && c.Status == CaseStatus.Assigned),
        (CaseVerbs.RecordHandled, (a, c, _) => IsHandler(a, c) && c.Status == CaseStatus.InHandling),
        (CaseVerbs.Verify, (a, c, _) => (IsOwnerStaff(a, c) || IsReporter(a, c)) && c.Status == CaseStatus.Handled && c.HandledBy != a.UserId
            && !EnteredOrHandled(a, c)),
        (CaseVerbs.Evaluate, (a, c, _) => IsReporter(a, c) && !EnteredOrHandled(a, c) && c.Status == CaseStatus.Verified),
        (CaseVerbs.Close, (a, c, _) => IsOwnerStaff(a, c)
            && (c.Status == CaseStatus.Evaluated || (c.Status == CaseStatus.Verified && c.ReporterId is null))
            && (c.Tier != CaseTier.Yellow || c.Mediations.Count > 0)
            && (c.Tier != CaseTier.Blue || c.MeetingDecisions.Count > 0)
            && (c.Tier != CaseTier.Red || c.DistrictRecordId is not null)),
        (CaseVerbs.Return, (a, c, _) => IsHandler(a, c) && c.Status is CaseStatus.Assigned or CaseStatus.InHandling),
        (CaseVerbs.Transfer, (a, c, _) => IsOwnerStaff(a, c)
            && c.Status is CaseStatus.Reported or CaseStatus.Accepted or CaseStatus.Assigned or CaseStatus.InHandling),
        (CaseVerbs.Escalate, (a, c, now) => (a.IsSystem ? c.IsOverdue(now) : IsOwnerStaff(a, c))
            && c.Status is CaseStatus.Reported or CaseStatus.Accepted or CaseStatus.Assigned or CaseStatus.InHandling or CaseStatus.Parked
            && c.Tier != CaseTier.Red),
        (CaseVerbs.Park, (a, c, _) => IsOwnerStaff(a, c) && c.Status is CaseStatus.Accepted or CaseStatus.Assigned or CaseStatus.InHandling),
        (CaseVerbs.Resume, (a, c, _) => IsOwnerStaff(a, c) && c.Status == CaseStatus.Parked),
        (CaseVerbs.Reopen, (a, c, _) => (IsOwnerStaff(a, c) || IsReporter(a, c))
            && c.Status is CaseStatus.Handled or CaseStatus.Verified or CaseStatus.Evaluated),
        (CaseVerbs.Merge, (a, c, _) => IsOwnerStaff(a, c)
            && c.Status is CaseStatus.Reported or CaseStatus.Accepted or CaseStatus.Assigned or CaseStatus.InHandling or CaseStatus.Parked),
        (CaseVerbs.RecordMediation, (a, c, _) => IsOwnerStaff(a, c) && !c.Status.IsFinal() && c.Tier == CaseTier.Yellow),
        (CaseVerbs.RecordMeetingDecision, (a, c, _) => IsOwnerStaff(a, c) && !c.Status.IsFinal() && c.Tier == CaseTier.Blue),
        (CaseVerbs.HandToDistrict, (a, c, _) => MayHandToDistrict(a, c) && !c.Status.IsFinal() && c.Tier == CaseTier.Red && c.DistrictRecordId is null),
        (CaseVerbs.Supervise, (a, c, _) => IsAboveOwner(a, c) && !c.Status.IsFinal()),
        (CaseVerbs.Supplement, (a, c, _) => IsReporter(a, c) && !c.Status.IsFinal()),
        (CaseVerbs.Chase, (a, c, now) => IsReporter(a, c) && MayChase(c, now)),
        (CaseVerbs.Withdraw, (a, c, _) => IsReporter(a, c) && c.Status == CaseStatus.Reported),
    ];

    /// <summary>
    /// The verbs (<see cref="CaseVerbs"/>) <paramref name="actor"/> may take on <paramref name="subject"/> at
    /// <paramref name="now"/>: each verb whose actor, status and state guards pass, so the verb succeeds given valid
    /// arguments and the version the caller saw. In <see cref="CaseVerbs.All"/>'s order; empty for a final case.
    /// The system is offered only what it does itself: escalating an overdue case and supervising.
    /// </summary>
    public static IReadOnlyList<string> AllowedActions(Actor actor, Case subject, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(subject);
        return [.. VerbGuards.Where(g => g.Allows(actor, subject, now)).Select(g => g.Verb)];
    }
}
