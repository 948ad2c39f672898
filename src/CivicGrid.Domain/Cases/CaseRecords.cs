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
