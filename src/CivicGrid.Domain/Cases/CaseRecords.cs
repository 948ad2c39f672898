namespace CivicGrid.Domain.Cases;

/// <summary>
/// A joint mediation (联调) the community convened for a yellow case: required before the case closes.
/// </summary>
/// <param name="Participants">Names of those present: grid leader, department liaisons, residents; at least one.</param>
/// <param name="HeldOn">When it took place; not after it was recorded.</param>
/// <param name="Place">Where, typically the community's council hall (议事厅).</param>
/// <param name="Outcome">What was agreed.</param>
/// <param name="RecordedBy">The user who recorded it.</param>
public sealed record CaseMediation(IReadOnlyList<string> Participants, DateTimeOffset HeldOn, string Place, string Outcome, Guid RecordedBy);

/// <summary>
/// The decision a joint analysis meeting (联席会议) of the subdistrict and department liaisons took on a blue
/// case: required before the case closes. The meeting record itself lives outside the case.
/// </summary>
public sealed record CaseMeetingDecision(Guid MeetingId, string Decision, DateTimeOffset RecordedAt, Guid RecordedBy);

/// <summary>One line of a case's timeline as a resident sees it: when, and what happened in plain Chinese.</summary>
public sealed record CasePublicEntry(int Sequence, DateTimeOffset At, string Text);

/// <summary>
/// Where a generated or imported case ended up (<see cref="Case.RestoreHistory(HistoricalOutcome)"/>): its colour and
/// status now, and the facts of its handling that deadlines and dashboards read.
/// </summary>
/// <param name="ClosedAt">When it reached a final status; null while open.</param>
/// <param name="Rating">The reporter's 1–5 stars, or null.</param>
/// <param name="DueAt">The handling deadline of its assignment; null when it was never assigned.</param>
/// <param name="HandledAt">When the result was handled; null when it was not (yet).</param>
/// <param name="DepartmentId">The department it was assigned to (a department's organisation), or null for the grid's own people.</param>
/// <param name="DepartmentName">That department's name, shown as the assignee.</param>
/// <param name="SupervisionDueAt">The deadline of a supervision (督办), or null when nobody supervised it.</param>
/// <param name="ParkedUntil">The review date of a parked (挂账) case; required for <see cref="CaseStatus.Parked"/>.</param>
/// <param name="MergedIntoNumber">The case a duplicate was merged into; required for <see cref="CaseStatus.Merged"/>.</param>
public sealed record HistoricalOutcome(
    CaseTier Tier, CaseStatus Status, DateTimeOffset? ClosedAt = null, int? Rating = null, DateTimeOffset? DueAt = null,
    DateTimeOffset? HandledAt = null, Guid? DepartmentId = null, string? DepartmentName = null, DateTimeOffset? SupervisionDueAt = null,
    DateOnly? ParkedUntil = null, string? MergedIntoNumber = null);
