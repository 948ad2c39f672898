namespace CivicGrid.Domain.GridAffairs;

/// <summary>Who sits at a courtyard council.</summary>
public enum CouncilRole
{
    /// <summary>居民.</summary>
    Resident = 1,

    /// <summary>楼院长.</summary>
    CourtyardHead = 2,

    /// <summary>物业.</summary>
    Property = 3,

    /// <summary>业委会.</summary>
    OwnersCommittee = 4,

    /// <summary>社区、网格工作人员.</summary>
    Staff = 5,
}

/// <summary>What a follow-up of a council becomes.</summary>
public enum FollowUpKind
{
    /// <summary>Stays a note on the council's record.</summary>
    Note = 1,

    /// <summary>Becomes a need of the needs list.</summary>
    Need = 2,

    /// <summary>Becomes a case, filed at the compound.</summary>
    Case = 3,
}

public sealed record CouncilParticipant(CouncilRole Role, string Name);

/// <summary>A follow-up and what it became (the need's id or the case's number).</summary>
public sealed record CouncilFollowUp(string Text, FollowUpKind Kind, Guid? NeedId, string? CaseNumber);

/// <summary>
/// A courtyard council (楼院议事会): one compound's residents, courtyard head, property and owners' committee meet, discuss
/// topics, decide, and leave follow-ups that become needs or cases (小事不出楼院).
/// </summary>
public sealed class CourtyardCouncil
{
    private List<CouncilParticipant> _participants = [];
    private List<string> _topics = [];
    private List<string> _decisions = [];
    private List<CouncilFollowUp> _followUps = [];

    private CourtyardCouncil()
    {
        CompoundCode = null!;
        CompoundName = null!;
        GridCode = null!;
        Place = null!;
    }

    public CourtyardCouncil(string compoundCode, string compoundName, string gridCode, DateOnly heldOn, DateOnly today, string place,
        IEnumerable<CouncilParticipant> participants, IEnumerable<string> topics, IEnumerable<string> decisions, Guid? recordedBy, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(participants);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(decisions);
        CommunityRules.Require(heldOn <= today, CommunityRules.CouncilInFuture);
        var people = participants.Where(p => !string.IsNullOrWhiteSpace(p.Name)).Select(p => p with { Name = p.Name.Trim() }).ToList();
        CommunityRules.Require(people.Any(p => p.Role == CouncilRole.Resident), CommunityRules.CouncilResidents);
        var topicList = Clean(topics);
        CommunityRules.Require(topicList.Count > 0, CommunityRules.CouncilTopics);
        Id = Guid.CreateVersion7();
        CompoundCode = compoundCode;
        CompoundName = compoundName;
        GridCode = gridCode;
        HeldOn = heldOn;
        Place = CommunityRules.Text(place, CommunityRules.TextRequired, CommunityRules.MaxNameLength);
        _participants.AddRange(people);
        _topics.AddRange(topicList);
        _decisions.AddRange(Clean(decisions));
        RecordedBy = recordedBy;
        RecordedAt = recordedAt;
    }

    public Guid Id { get; private set; }

    public string CompoundCode { get; private set; }

    public string CompoundName { get; private set; }

    /// <summary>The compound's grid; the scope of the record.</summary>
    public string GridCode { get; private set; }

    public DateOnly HeldOn { get; private set; }

    public string Place { get; private set; }

    public IReadOnlyList<CouncilParticipant> Participants => _participants;

    public IReadOnlyList<string> Topics => _topics;

    public IReadOnlyList<string> Decisions => _decisions;

    public IReadOnlyList<CouncilFollowUp> FollowUps => _followUps;

    public Guid? RecordedBy { get; private set; }

    public DateTimeOffset RecordedAt { get; private set; }

    /// <summary>Adds a follow-up with what it became (the caller created the need or case).</summary>
    public CouncilFollowUp FollowUp(string text, FollowUpKind kind, Guid? needId = null, string? caseNumber = null)
    {
        CommunityRules.Require(kind != FollowUpKind.Need || needId is not null, CommunityRules.TextRequired);
        CommunityRules.Require(kind != FollowUpKind.Case || caseNumber is not null, CommunityRules.TextRequired);
        var followUp = new CouncilFollowUp(CommunityRules.Text(text, CommunityRules.TextRequired), kind, needId, caseNumber);
        _followUps.Add(followUp);
        return followUp;
    }

    private static List<string> Clean(IEnumerable<string> lines) =>
        [.. lines.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Trim()).Select(l => l.Length > CommunityRules.MaxTextLength ? l[..CommunityRules.MaxTextLength] : l)];
}
