namespace CivicGrid.Domain.GridAffairs;

/// <summary>
/// One entry of the needs list (需求清单): who needs what, where, how urgently, and how it ended. A need is matched to a
/// resource, met (by a project or the resource) or closed; only a closed one is reopened. Every change is a named rule.
/// </summary>
/// <remarks>The place is the finest grid, and the compound or building when known; <see cref="Lon"/>/<see cref="Lat"/> are WGS-84 degrees of that place, for matching by distance.</remarks>
public sealed class Need
{
    private Need()
    {
        Description = null!;
        Requester = null!;
        GridCode = null!;
    }

    /// <param name="requester">Who needs it, in words that identify no one outside the grid (e.g. 3号楼独居老人).</param>
    /// <param name="sourceReference">The visit id, case number or council id the need came from; null for a staff entry.</param>
    public Need(ServiceKind kind, NeedUrgency urgency, string description, string requester, string gridCode, string? compoundCode, string? buildingCode,
        double? lon, double? lat, NeedSource source, string? sourceReference, Guid? raisedBy, DateTimeOffset raisedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gridCode);
        Id = Guid.CreateVersion7();
        Kind = kind;
        Urgency = urgency;
        Description = CommunityRules.Text(description, CommunityRules.TextRequired);
        Requester = CommunityRules.Text(requester, CommunityRules.TextRequired, CommunityRules.MaxNameLength);
        GridCode = gridCode;
        CompoundCode = compoundCode;
        BuildingCode = buildingCode;
        Lon = lon;
        Lat = lat;
        Source = source;
        SourceReference = string.IsNullOrWhiteSpace(sourceReference) ? null : sourceReference.Trim();
        RaisedBy = raisedBy;
        RaisedAt = raisedAt;
        Status = NeedStatus.Open;
    }

    public Guid Id { get; private set; }

    public ServiceKind Kind { get; private set; }

    public NeedUrgency Urgency { get; private set; }

    public string Description { get; private set; }

    public string Requester { get; private set; }

    /// <summary>A contact phone (personal data: masked on every output).</summary>
    public string? ContactPhone { get; set; }

    /// <summary>The finest grid the need lies in; the scope of the record.</summary>
    public string GridCode { get; private set; }

    public string? CompoundCode { get; private set; }

    public string? BuildingCode { get; private set; }

    public double? Lon { get; private set; }

    public double? Lat { get; private set; }

    public NeedSource Source { get; private set; }

    public string? SourceReference { get; private set; }

    public Guid? RaisedBy { get; private set; }

    public DateTimeOffset RaisedAt { get; private set; }

    public NeedStatus Status { get; private set; }

    /// <summary>The resource matched to it (by staff, from the suggestions).</summary>
    public Guid? ResourceId { get; private set; }

    /// <summary>The project that met it, if one did.</summary>
    public Guid? ProjectId { get; private set; }

    public DateTimeOffset? MetAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>How it was met, or why it was closed.</summary>
    public string? Outcome { get; private set; }

    public bool IsOpen => Status is NeedStatus.Open or NeedStatus.Matched;

    /// <summary>Puts a resource on the need (open or matched: a new match replaces the old one).</summary>
    public void Match(Guid resourceId, IReadOnlyCollection<ServiceKind> offers, bool resourceActive)
    {
        ArgumentNullException.ThrowIfNull(offers);
        CommunityRules.Require(IsOpen, CommunityRules.NeedNotOpen);
        CommunityRules.Require(resourceActive, CommunityRules.ResourceInactive);
        CommunityRules.Require(offers.Contains(Kind), CommunityRules.ResourceDoesNotOffer);
        ResourceId = resourceId;
        Status = NeedStatus.Matched;
    }

    /// <summary>The need was met, by a project planted in its grid or otherwise (<paramref name="project"/> null).</summary>
    public void Meet(string outcome, DateTimeOffset at, Project? project = null)
    {
        CommunityRules.Require(IsOpen, CommunityRules.NeedNotOpen);
        var text = CommunityRules.Text(outcome, CommunityRules.TextRequired);
        if (project is not null)
        {
            project.CheckMayMeet(GridCode);
            ProjectId = project.Id;
        }

        Outcome = text;
        MetAt = at;
        Status = NeedStatus.Met;
    }

    /// <summary>Closes a need that will not be pursued (moved away, solved by the family…), with the reason.</summary>
    public void Close(string reason, DateTimeOffset at)
    {
        CommunityRules.Require(IsOpen, CommunityRules.NeedNotOpen);
        Outcome = CommunityRules.Text(reason, CommunityRules.TextRequired);
        ClosedAt = at;
        Status = NeedStatus.Closed;
    }

    /// <summary>Opens a closed need again (the reason for closing no longer holds); the match is kept.</summary>
    public void Reopen()
    {
        CommunityRules.Require(Status == NeedStatus.Closed, CommunityRules.NeedNotClosed);
        ClosedAt = null;
        Outcome = null;
        Status = ResourceId is null ? NeedStatus.Open : NeedStatus.Matched;
    }
}
