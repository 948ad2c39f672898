using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.GridAffairs;

/// <summary>What a project is: a public-interest service (公益服务, e.g. 光合共创) or a governance project (治理项目).</summary>
public enum ProjectKind
{
    PublicService = 1,
    Governance = 2,
}

/// <summary>planned → running → completed; planned or running → cancelled.</summary>
public enum ProjectStatus
{
    Planned = 1,
    Running = 2,
    Completed = 3,
    Cancelled = 4,
}

/// <summary>
/// One entry of the projects list (项目清单): a project planted in grids (项目植入网格) with its goal, partners, the needs it
/// met, how many people took part and benefited, its dates and photos. Its scope is the nearest node holding all its grids.
/// </summary>
public sealed class Project
{
    private List<string> _gridCodes = [];
    private List<Guid> _partnerIds = [];
    private List<Guid> _photoIds = [];

    private Project()
    {
        Name = null!;
        Goal = null!;
        ScopeCode = null!;
    }

    /// <param name="gridCodes">The grids it is planted in (at least one).</param>
    /// <param name="partnerIds">Resources taking part (volunteers, party members, units).</param>
    public Project(string name, ProjectKind kind, string goal, IEnumerable<string> gridCodes, IEnumerable<Guid> partnerIds, DateOnly startOn, DateOnly? endOn,
        Guid? createdBy, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(gridCodes);
        ArgumentNullException.ThrowIfNull(partnerIds);
        Id = Guid.CreateVersion7();
        Name = CommunityRules.Text(name, CommunityRules.TextRequired, CommunityRules.MaxNameLength);
        Kind = kind;
        Goal = CommunityRules.Text(goal, CommunityRules.TextRequired);
        var grids = gridCodes.Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g.Trim()).Distinct().Order(StringComparer.Ordinal).ToList();
        CommunityRules.Require(grids.Count > 0, CommunityRules.ProjectGrids);
        CommunityRules.Require(endOn is null || endOn >= startOn, CommunityRules.ProjectDates);
        _gridCodes.AddRange(grids);
        _partnerIds.AddRange(partnerIds.Distinct());
        ScopeCode = CommonNode(grids);
        StartOn = startOn;
        EndOn = endOn;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
        Status = ProjectStatus.Planned;
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; }

    public ProjectKind Kind { get; private set; }

    public string Goal { get; private set; }

    public IReadOnlyList<string> GridCodes => _gridCodes;

    /// <summary>The nearest node whose subtree holds every grid of the project (at least a community when they share one).</summary>
    public string ScopeCode { get; private set; }

    public IReadOnlyList<Guid> PartnerIds => _partnerIds;

    public IReadOnlyList<Guid> PhotoIds => _photoIds;

    public DateOnly StartOn { get; private set; }

    public DateOnly? EndOn { get; private set; }

    public ProjectStatus Status { get; private set; }

    /// <summary>People who took part in running it (volunteers, party members, unit staff).</summary>
    public int Participants { get; private set; }

    /// <summary>Residents who benefited.</summary>
    public int Beneficiaries { get; private set; }

    public Guid? CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public bool IsLive => Status is ProjectStatus.Planned or ProjectStatus.Running;

    /// <summary>True when <paramref name="gridCode"/> lies in one of the project's grids.</summary>
    public bool Covers(string gridCode) => _gridCodes.Any(g => Geography.GridCodes.IsWithin(gridCode, g));

    /// <summary>Throws unless the project is live and planted where the need lies.</summary>
    public void CheckMayMeet(string needGridCode)
    {
        CommunityRules.Require(IsLive, CommunityRules.ProjectNotRunning);
        CommunityRules.Require(Covers(needGridCode), CommunityRules.NeedOutsideProject);
    }

    public void Start(DateOnly on)
    {
        CommunityRules.Require(Status == ProjectStatus.Planned, CommunityRules.ProjectTransition);
        StartOn = on;
        Status = ProjectStatus.Running;
    }

    /// <summary>Records the running totals of participants and beneficiaries (live projects only).</summary>
    public void Count(int participants, int beneficiaries)
    {
        CommunityRules.Require(IsLive, CommunityRules.ProjectNotRunning);
        CommunityRules.Require(participants >= 0 && beneficiaries >= 0, CommunityRules.NegativeCount);
        Participants = participants;
        Beneficiaries = beneficiaries;
    }

    /// <summary>The project ended as planned, with its final figures.</summary>
    public void Complete(DateOnly on, int participants, int beneficiaries)
    {
        CommunityRules.Require(Status == ProjectStatus.Running, CommunityRules.ProjectTransition);
        CommunityRules.Require(on >= StartOn, CommunityRules.ProjectDates);
        Count(participants, beneficiaries);
        EndOn = on;
        Status = ProjectStatus.Completed;
    }

    public void Cancel(DateOnly on)
    {
        CommunityRules.Require(IsLive, CommunityRules.ProjectTransition);
        EndOn = on < StartOn ? StartOn : on;
        Status = ProjectStatus.Cancelled;
    }

    public void AddPhoto(Guid photoId) => _photoIds.Add(photoId);

    /// <summary>The longest code prefix every grid shares, cut back to a whole level (community 12, subdistrict 9, district 6).</summary>
    public static string CommonNode(IReadOnlyList<string> grids)
    {
        ArgumentNullException.ThrowIfNull(grids);
        if (grids.Count == 1)
        {
            return grids[0];
        }

        var shared = grids.Aggregate((a, b) =>
        {
            var n = 0;
            while (n < a.Length && n < b.Length && a[n] == b[n])
            {
                n++;
            }

            return a[..n];
        });
        int[] levels = [Geography.GridCodes.ThirdLength, Geography.GridCodes.SecondLength, Geography.GridCodes.CommunityLength,
            Geography.GridCodes.SubdistrictLength, Geography.GridCodes.DistrictLength, 0];
        var length = levels.First(l => l <= shared.Length);
        return shared[..length];
    }
}
