namespace CivicGrid.Domain.GridAffairs;

/// <summary>What is claimed (认领).</summary>
public enum ClaimTarget
{
    /// <summary>An ownerless compound (无物业/无主管楼院); the reference is the compound code.</summary>
    Compound = 1,

    /// <summary>A need of the needs list; the reference is its id.</summary>
    Need = 2,

    /// <summary>A kind of case in a grid (e.g. 楼道堆物 in one 3rd-level grid); the reference is the category code.</summary>
    CaseCategory = 3,

    /// <summary>A task of a project; the reference is the project id.</summary>
    ProjectTask = 4,
}

/// <summary>Who claims.</summary>
public enum ClaimerKind
{
    /// <summary>红色物业: a property company led by party building.</summary>
    RedPropertyCompany = 1,

    /// <summary>驻街单位.</summary>
    PublicUnit = 2,

    /// <summary>双报到党员.</summary>
    PartyMember = 3,
}

/// <summary>A claimer's period on one compound, for the overlap rule.</summary>
public sealed record ClaimPeriod(DateOnly StartOn, DateOnly EndOn);

/// <summary>One recorded fulfilment of a claim's commitments (履约).</summary>
/// <param name="Done">True when the claimer did what they committed to that day (a project task done); false when they did not
/// (the note says why). Fulfilments recorded before the outcome was kept read as done.</param>
public sealed record ClaimFulfilment(DateOnly On, string Note, string RecordedBy, bool Done = true);

/// <summary>
/// A claim: an ownerless compound taken on by a red property company or a public unit for a period with commitments, or a
/// grid affair (a need, a kind of case in a grid, a project task) taken on by a party member or a public unit. Fulfilment is
/// recorded against it. Periods are Beijing dates, [<see cref="StartOn"/>, <see cref="EndOn"/>] inclusive.
/// </summary>
public sealed class Claim
{
    private List<ClaimFulfilment> _fulfilments = [];

    private Claim()
    {
        Reference = null!;
        TargetName = null!;
        GridCode = null!;
        ClaimerName = null!;
        Commitments = null!;
    }

    private Claim(ClaimTarget target, string reference, string targetName, string gridCode, ClaimerKind claimerKind, Guid claimerId, string claimerName,
        DateOnly startOn, DateOnly endOn, string commitments, DateTimeOffset createdAt)
    {
        CommunityRules.Require(MayClaim(target, claimerKind), CommunityRules.ClaimerKind);
        CommunityRules.Require(endOn > startOn, CommunityRules.ClaimPeriod);
        Id = Guid.CreateVersion7();
        Target = target;
        Reference = reference;
        TargetName = targetName;
        GridCode = gridCode;
        ClaimerKind = claimerKind;
        ClaimerId = claimerId;
        ClaimerName = claimerName;
        StartOn = startOn;
        EndOn = endOn;
        Commitments = CommunityRules.Text(commitments, CommunityRules.TextRequired);
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public ClaimTarget Target { get; private set; }

    /// <summary>The compound code, need id, category code or project id.</summary>
    public string Reference { get; private set; }

    /// <summary>The claimed thing's name when claimed (compound name, need description, category name, project name).</summary>
    public string TargetName { get; private set; }

    /// <summary>The grid of the claimed thing; the scope of the record.</summary>
    public string GridCode { get; private set; }

    public ClaimerKind ClaimerKind { get; private set; }

    /// <summary>The organisation (red property company, public unit) or the resource (party member) that claims.</summary>
    public Guid ClaimerId { get; private set; }

    public string ClaimerName { get; private set; }

    public DateOnly StartOn { get; private set; }

    public DateOnly EndOn { get; private set; }

    /// <summary>What the claimer commits to (承诺事项).</summary>
    public string Commitments { get; private set; }

    /// <summary>Ended before <see cref="EndOn"/>: the first day no longer claimed.</summary>
    public DateOnly? EndedOn { get; private set; }

    public IReadOnlyList<ClaimFulfilment> Fulfilments => _fulfilments;

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>True on <paramref name="day"/> when the claim is in force.</summary>
    public bool InForceOn(DateOnly day) => StartOn <= day && day <= EndOn && (EndedOn is null || day < EndedOn);

    /// <summary>Which kind of claimer may claim which kind of thing.</summary>
    public static bool MayClaim(ClaimTarget target, ClaimerKind claimer) => target == ClaimTarget.Compound
        ? claimer is ClaimerKind.RedPropertyCompany or ClaimerKind.PublicUnit
        : claimer is ClaimerKind.PartyMember or ClaimerKind.PublicUnit;

    /// <summary>
    /// Claims an ownerless compound. Refused when the compound has a property company, the claimer is not a red property
    /// company or public unit, the period is empty, or it overlaps a claim in force on the same compound.
    /// </summary>
    public static Claim ForCompound(string compoundCode, string compoundName, string gridCode, bool hasPropertyCompany, IEnumerable<ClaimPeriod> otherClaims,
        ClaimerKind claimerKind, Guid claimerId, string claimerName, DateOnly startOn, DateOnly endOn, string commitments, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(otherClaims);
        CommunityRules.Require(!hasPropertyCompany, CommunityRules.CompoundHasProperty);
        var claim = new Claim(ClaimTarget.Compound, compoundCode, compoundName, gridCode, claimerKind, claimerId, claimerName, startOn, endOn, commitments, createdAt);
        CommunityRules.Require(!otherClaims.Any(p => Overlaps(p, new ClaimPeriod(startOn, endOn))), CommunityRules.ClaimOverlaps);
        return claim;
    }

    /// <summary>Claims a grid affair (a need, a kind of case in a grid, a project task) for a period.</summary>
    public static Claim ForAffair(ClaimTarget target, string reference, string targetName, string gridCode, ClaimerKind claimerKind, Guid claimerId,
        string claimerName, DateOnly startOn, DateOnly endOn, string commitments, DateTimeOffset createdAt)
    {
        CommunityRules.Require(target != ClaimTarget.Compound, CommunityRules.ClaimerKind);
        return new Claim(target, reference, targetName, gridCode, claimerKind, claimerId, claimerName, startOn, endOn, commitments, createdAt);
    }

    /// <summary>
    /// How the claim stood over a period: kept when at least one fulfilment recorded in it was done; lapsed when it was in force
    /// during the period but nothing done was recorded in it; null when it was not in force on any day of the period.
    /// </summary>
    public bool? KeptDuring(DateOnly from, DateOnly to)
    {
        var last = EndedOn is { } ended ? ended.AddDays(-1) : EndOn;
        if (StartOn > to || last < from)
        {
            return null;
        }

        return _fulfilments.Any(f => f.Done && f.On >= from && f.On <= to);
    }

    /// <summary>True when two inclusive periods share a day.</summary>
    public static bool Overlaps(ClaimPeriod a, ClaimPeriod b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.StartOn <= b.EndOn && b.StartOn <= a.EndOn;
    }

    /// <summary>The period this claim actually holds (to <see cref="EndedOn"/> when ended early), for the overlap rule.</summary>
    public ClaimPeriod Period => new(StartOn, EndedOn is { } ended ? ended.AddDays(-1) : EndOn);

    /// <summary>Records whether the claimer did what they committed to on <paramref name="on"/> (<paramref name="done"/>).</summary>
    public ClaimFulfilment Fulfil(DateOnly on, string note, string recordedBy, bool done = true)
    {
        CommunityRules.Require(EndedOn is null, CommunityRules.ClaimEnded);
        CommunityRules.Require(on >= StartOn && on <= EndOn, CommunityRules.FulfilmentOutsidePeriod);
        var fulfilment = new ClaimFulfilment(on, CommunityRules.Text(note, CommunityRules.TextRequired), recordedBy, done);
        _fulfilments.Add(fulfilment);
        return fulfilment;
    }

    /// <summary>Ends the claim early: <paramref name="on"/> is the first day no longer claimed.</summary>
    public void End(DateOnly on)
    {
        CommunityRules.Require(EndedOn is null, CommunityRules.ClaimEnded);
        CommunityRules.Require(on > StartOn && on <= EndOn.AddDays(1), CommunityRules.ClaimPeriod);
        EndedOn = on;
    }
}
