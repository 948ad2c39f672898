namespace CivicGrid.Server.Features.Meetings;

/// <summary>
/// A joint analysis meeting (联席会议) of the subdistrict operations centre and department liaisons: when, where,
/// who, what was discussed. The decision per case is recorded on each case (<see cref="Domain.Cases.CaseMeetingDecision"/>).
/// </summary>
public sealed class JointMeeting
{
    public Guid Id { get; set; }

    /// <summary>The subdistrict that held it; scope checks use this code.</summary>
    public string SubdistrictCode { get; set; } = string.Empty;

    public string Title { get; set; } = string.Empty;

    public DateTimeOffset HeldAt { get; set; }

    public string Place { get; set; } = string.Empty;

    public List<string> Participants { get; set; } = [];

    public string Summary { get; set; } = string.Empty;

    public Guid RecordedBy { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>The cases decided at the meeting, by number.</summary>
    public List<string> CaseNumbers { get; set; } = [];
}
