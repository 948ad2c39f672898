using System.Text.Json.Serialization;
using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Roster;

/// <summary>What a person on the grid-worker roster is (网格员队伍). Decides which grids they may be assigned to.</summary>
public enum MemberKind
{
    /// <summary>专职网格员: paid, full-time, on a 3rd-level grid.</summary>
    FullTimeWorker = 1,

    /// <summary>社区干部: community committee member, on the community or a 2nd-level grid.</summary>
    CommunityCadre = 2,

    /// <summary>微网格员: a volunteer (often elderly) looking after one micro-grid.</summary>
    MicroVolunteer = 3,

    /// <summary>下沉人员: staff a department sank into the grids (条块下网), on 3rd-level grids.</summary>
    SunkStaff = 4,

    /// <summary>网格长: leads a 3rd-level grid.</summary>
    GridLeader = 5,
}

/// <summary>A person's age band; 60 and over gets the elder-friendly phone pages by default.</summary>
public enum AgeBand
{
    [JsonStringEnumMemberName("under-40")]
    Under40 = 1,

    [JsonStringEnumMemberName("40-59")]
    From40To59 = 2,

    [JsonStringEnumMemberName("60-69")]
    From60To69 = 3,

    [JsonStringEnumMemberName("70-plus")]
    From70 = 4,
}

/// <summary>Chinese names and the rules tied to kinds and age bands.</summary>
public static class RosterKinds
{
    public static string ToChinese(this MemberKind kind) => kind switch
    {
        MemberKind.FullTimeWorker => "专职网格员",
        MemberKind.CommunityCadre => "社区干部",
        MemberKind.MicroVolunteer => "微网格员",
        MemberKind.SunkStaff => "下沉人员",
        MemberKind.GridLeader => "网格长",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string ToChinese(this AgeBand band) => band switch
    {
        AgeBand.Under40 => "40岁以下",
        AgeBand.From40To59 => "40-59岁",
        AgeBand.From60To69 => "60-69岁",
        AgeBand.From70 => "70岁及以上",
        _ => throw new ArgumentOutOfRangeException(nameof(band), band, null),
    };

    /// <summary>True from 60 on: the phone pages open in the elder-friendly style (big type, few steps).</summary>
    public static bool IsElder(this AgeBand band) => band >= AgeBand.From60To69;

    /// <summary>The grid levels a kind may be assigned to; dedicated grids count as 3rd-level.</summary>
    public static IReadOnlyList<GridLevel> LevelsFor(MemberKind kind) => kind switch
    {
        MemberKind.MicroVolunteer => [GridLevel.Micro],
        MemberKind.FullTimeWorker or MemberKind.GridLeader => [GridLevel.Third],
        MemberKind.SunkStaff => [GridLevel.Third, GridLevel.Community],
        MemberKind.CommunityCadre => [GridLevel.Community, GridLevel.Second],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Whether a member of <paramref name="kind"/> may be assigned to a grid of <paramref name="level"/>.</summary>
    public static bool Fits(MemberKind kind, GridLevel level) => LevelsFor(kind).Contains(level);

    /// <summary>The kinds a grid must have one of each on duty, else it is a vacancy: a 3rd-level territorial grid needs a leader and a full-time worker, a micro-grid a volunteer.</summary>
    public static IReadOnlyList<MemberKind> RequiredOn(GridLevel level, GridKind kind) => (level, kind) switch
    {
        (GridLevel.Third, GridKind.Territorial) => [MemberKind.GridLeader, MemberKind.FullTimeWorker],
        (GridLevel.Micro, _) => [MemberKind.MicroVolunteer],
        _ => [],
    };
}

/// <summary>A broken roster rule, named so that callers and tests can tell them apart.</summary>
public sealed class RosterRuleException(string rule, string message) : InvalidOperationException(message)
{
    public const string KindDoesNotFitLevel = "kind-does-not-fit-level";
    public const string GridOutsideCommunity = "grid-outside-community";
    public const string AlreadyAssigned = "already-assigned";
    public const string MemberHasLeft = "member-has-left";
    public const string AssignmentAlreadyEnded = "assignment-already-ended";
    public const string DateBeforeStart = "date-before-start";
    public const string UnknownAssignment = "unknown-assignment";

    /// <summary>One of the constants above.</summary>
    public string Rule { get; } = rule;
}

/// <summary>
/// One person on the roster (动态管理网格员数据库) of a community: who they are, how to reach them, and every grid they
/// were ever assigned to. History is never overwritten: ending an assignment sets its end date, moving ends one and
/// starts another, leaving ends them all; turnover is computed from these dates.
/// </summary>
/// <remarks>Dates are Beijing calendar dates. An assignment covers [<see cref="GridAssignment.StartOn"/>, <see cref="GridAssignment.EndOn"/>): the end date is the first day off duty.</remarks>
public sealed class RosterMember
{
    private readonly List<GridAssignment> _assignments = [];

    private RosterMember()
    {
        Name = null!;
        Phone = null!;
        CommunityCode = null!;
    }

    /// <param name="communityCode">The 12-digit code of the community whose roster the person is on; every grid they work lies inside it.</param>
    public RosterMember(MemberKind kind, string name, string phone, AgeBand ageBand, string communityCode, DateOnly joinedOn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(phone);
        if (communityCode is not { Length: GridCodes.CommunityLength })
        {
            throw new ArgumentException("A roster belongs to a community (12-digit code).", nameof(communityCode));
        }

        Id = Guid.CreateVersion7();
        Kind = kind;
        Name = name.Trim();
        Phone = phone.Trim();
        AgeBand = ageBand;
        CommunityCode = communityCode;
        JoinedOn = joinedOn;
    }

    public Guid Id { get; private set; }

    public MemberKind Kind { get; set; }

    public string Name { get; set; }

    /// <summary>Mobile number in full (personal data: shown masked everywhere but where revealing is a permission).</summary>
    public string Phone { get; set; }

    public AgeBand AgeBand { get; set; }

    /// <summary>The community whose roster this is; the scope of the record.</summary>
    public string CommunityCode { get; private set; }

    /// <summary>The person's sign-in account, when they have one (the phone's "my work ID" finds the member by it).</summary>
    public Guid? UserId { get; set; }

    /// <summary>The department or company the person comes from (sunk staff, property staff volunteering).</summary>
    public Guid? OrganisationId { get; set; }

    public DateOnly JoinedOn { get; private set; }

    /// <summary>The first day the person was no longer on the roster; null while they are.</summary>
    public DateOnly? LeftOn { get; private set; }

    public bool IsActive => LeftOn is null;

    /// <summary>Every assignment, ended ones included, in the order they were made.</summary>
    public IReadOnlyList<GridAssignment> Assignments => _assignments;

    /// <summary>The assignments in force (not ended).</summary>
    public IEnumerable<GridAssignment> OpenAssignments => _assignments.Where(a => a.EndOn is null);

    /// <summary>Assigns the member to a grid from <paramref name="startOn"/>.</summary>
    /// <exception cref="RosterRuleException">The member has left, the grid lies outside their community, their kind does not fit the grid's level, or they already work that grid.</exception>
    public GridAssignment Assign(string gridCode, GridLevel level, DateOnly startOn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gridCode);
        if (!IsActive)
        {
            throw new RosterRuleException(RosterRuleException.MemberHasLeft, $"{Name} left the roster on {LeftOn}.");
        }

        if (!GridCodes.IsWithin(gridCode, CommunityCode))
        {
            throw new RosterRuleException(RosterRuleException.GridOutsideCommunity, $"Grid {gridCode} is not in community {CommunityCode}.");
        }

        if (!RosterKinds.Fits(Kind, level))
        {
            throw new RosterRuleException(RosterRuleException.KindDoesNotFitLevel, $"A {Kind} cannot be assigned to a {level} grid.");
        }

        if (OpenAssignments.Any(a => a.GridCode == gridCode))
        {
            throw new RosterRuleException(RosterRuleException.AlreadyAssigned, $"{Name} already works grid {gridCode}.");
        }

        if (startOn < JoinedOn)
        {
            throw new RosterRuleException(RosterRuleException.DateBeforeStart, $"{startOn} is before {Name} joined ({JoinedOn}).");
        }

        var assignment = new GridAssignment(Id, gridCode, Kind, startOn);
        _assignments.Add(assignment);
        return assignment;
    }

    /// <summary>Ends an assignment: <paramref name="endOn"/> is the first day off duty (not before its start).</summary>
    /// <exception cref="RosterRuleException">Unknown or already ended assignment, or a date before its start.</exception>
    public void EndAssignment(Guid assignmentId, DateOnly endOn)
    {
        var assignment = _assignments.SingleOrDefault(a => a.Id == assignmentId)
            ?? throw new RosterRuleException(RosterRuleException.UnknownAssignment, $"No assignment {assignmentId} on {Name}'s record.");
        assignment.End(endOn);
    }

    /// <summary>Moves the member from one grid to another on one day: the old assignment ends and the new one starts on <paramref name="on"/>.</summary>
    /// <exception cref="RosterRuleException">As <see cref="EndAssignment"/> and <see cref="Assign"/>; nothing changes when either is refused.</exception>
    public GridAssignment Move(Guid fromAssignmentId, string toGridCode, GridLevel toLevel, DateOnly on)
    {
        var from = _assignments.SingleOrDefault(a => a.Id == fromAssignmentId)
            ?? throw new RosterRuleException(RosterRuleException.UnknownAssignment, $"No assignment {fromAssignmentId} on {Name}'s record.");
        from.CheckCanEnd(on);
        var to = Assign(toGridCode, toLevel, on);
        from.End(on);
        return to;
    }

    /// <summary>The person leaves the roster on <paramref name="on"/>: every open assignment ends that day.</summary>
    /// <exception cref="RosterRuleException">Already left, or a date before an open assignment's start.</exception>
    public void Leave(DateOnly on)
    {
        if (!IsActive)
        {
            throw new RosterRuleException(RosterRuleException.MemberHasLeft, $"{Name} left the roster on {LeftOn}.");
        }

        var open = OpenAssignments.ToList();
        foreach (var assignment in open)
        {
            assignment.CheckCanEnd(on);
        }

        if (on < JoinedOn)
        {
            throw new RosterRuleException(RosterRuleException.DateBeforeStart, $"{on} is before {Name} joined ({JoinedOn}).");
        }

        foreach (var assignment in open)
        {
            assignment.End(on);
        }

        LeftOn = on;
    }

    /// <summary>The grid codes the member works on <paramref name="date"/>.</summary>
    public IEnumerable<string> GridsOn(DateOnly date) => _assignments.Where(a => a.Covers(date)).Select(a => a.GridCode);
}

/// <summary>One period during which a roster member worked one grid, in the kind they had then.</summary>
public sealed class GridAssignment
{
    private GridAssignment()
    {
        GridCode = null!;
    }

    internal GridAssignment(Guid memberId, string gridCode, MemberKind kind, DateOnly startOn)
    {
        Id = Guid.CreateVersion7();
        MemberId = memberId;
        GridCode = gridCode;
        Kind = kind;
        StartOn = startOn;
    }

    public Guid Id { get; private set; }

    public Guid MemberId { get; private set; }

    public string GridCode { get; private set; }

    /// <summary>The member's kind when assigned (a grid's vacancy reads it).</summary>
    public MemberKind Kind { get; private set; }

    /// <summary>The first day on duty.</summary>
    public DateOnly StartOn { get; private set; }

    /// <summary>The first day off duty; null while in force.</summary>
    public DateOnly? EndOn { get; private set; }

    public bool Covers(DateOnly date) => StartOn <= date && (EndOn is null || date < EndOn);

    internal void CheckCanEnd(DateOnly endOn)
    {
        if (EndOn is not null)
        {
            throw new RosterRuleException(RosterRuleException.AssignmentAlreadyEnded, $"The assignment to {GridCode} ended on {EndOn}.");
        }

        if (endOn < StartOn)
        {
            throw new RosterRuleException(RosterRuleException.DateBeforeStart, $"{endOn} is before the assignment's start ({StartOn}).");
        }
    }

    internal void End(DateOnly endOn)
    {
        CheckCanEnd(endOn);
        EndOn = endOn;
    }
}
