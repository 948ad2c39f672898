namespace CivicGrid.Domain.GridAffairs;

/// <summary>
/// One entry of the resources list (资源清单): a volunteer, a party member registered at the community (双报到党员), a public
/// unit or a property company, what they offer and when. People are named (personal data: the phone is masked on output);
/// units point to the organisation register.
/// </summary>
public sealed class Resource
{
    private List<ServiceKind> _offers = [];

    private Resource()
    {
        Name = null!;
        GridCode = null!;
        Availability = null!;
    }

    /// <param name="gridCode">Where the resource is based (a community or a finer grid); the scope of the record.</param>
    /// <param name="organisationKindMatches">For a unit: the organisation exists and is of the resource's kind.</param>
    public Resource(ResourceKind kind, string name, string gridCode, IEnumerable<ServiceKind> offers, string availability, Guid? organisationId,
        bool organisationKindMatches, Guid? rosterMemberId, double? lon, double? lat)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gridCode);
        Id = Guid.CreateVersion7();
        Kind = kind;
        Name = CommunityRules.Text(name, CommunityRules.TextRequired, CommunityRules.MaxNameLength);
        GridCode = gridCode;
        var isUnit = kind is ResourceKind.PublicUnit or ResourceKind.PropertyCompany;
        CommunityRules.Require(!isUnit || (organisationId is not null && organisationKindMatches), CommunityRules.ResourceOrganisation);
        OrganisationId = organisationId;
        RosterMemberId = rosterMemberId;
        Lon = lon;
        Lat = lat;
        Availability = string.Empty;
        Revise(offers, availability);
    }

    public Guid Id { get; private set; }

    public ResourceKind Kind { get; private set; }

    public string Name { get; private set; }

    /// <summary>The person's phone (personal data, masked on output); a unit's is in the organisation register.</summary>
    public string? Phone { get; set; }

    public string GridCode { get; private set; }

    public IReadOnlyList<ServiceKind> Offers => _offers;

    /// <summary>When they can help, in words (e.g. 周末上午、每月第一个周三).</summary>
    public string Availability { get; private set; }

    public Guid? OrganisationId { get; private set; }

    /// <summary>The roster member this resource is (a volunteer on the grid-worker roster), if any.</summary>
    public Guid? RosterMemberId { get; private set; }

    public double? Lon { get; private set; }

    public double? Lat { get; private set; }

    public bool Active { get; private set; } = true;

    /// <summary>Changes what is offered and when.</summary>
    public void Revise(IEnumerable<ServiceKind> offers, string availability)
    {
        ArgumentNullException.ThrowIfNull(offers);
        var list = offers.Distinct().Order().ToList();
        CommunityRules.Require(list.Count > 0, CommunityRules.ResourceOffers);
        Availability = CommunityRules.Text(availability, CommunityRules.TextRequired, CommunityRules.MaxNameLength);
        _offers.Clear();
        _offers.AddRange(list);
    }

    /// <summary>No longer offered for matching (moved away, unit withdrew); kept for the needs it met.</summary>
    public void Retire() => Active = false;
}
