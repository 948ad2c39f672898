using CivicGrid.Domain.Geography;
using NetTopologySuite.Geometries;

namespace CivicGrid.Domain.Cases;

/// <summary>
/// One reported matter (事件/案件): where, what, who reported it, and where it stands.
/// This is the foundation's slice of the aggregate; the workflow (transitions, timeline) grows on it.
/// </summary>
public sealed class Case
{
    private Case()
    {
        Number = null!;
        CategoryCode = null!;
        Title = null!;
        Description = null!;
        Location = null!;
        GridCode = null!;
    }

    public Case(string number, string categoryCode, string title, string description, Point location, string gridCode,
        CaseTier tier, CaseChannel channel, Guid? reporterId, DateTimeOffset reportedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        if (gridCode.Length < GridCodes.CommunityLength)
        {
            throw new ArgumentException("A case is routed to a community or a grid below it.", nameof(gridCode));
        }

        Id = Guid.CreateVersion7();
        Number = number;
        CategoryCode = categoryCode;
        Title = title;
        Description = description;
        location.SRID = 4326;
        Location = location;
        GridCode = gridCode;
        Tier = tier;
        Channel = channel;
        ReporterId = reporterId;
        ReportedAt = reportedAt;
        Status = CaseStatus.Reported;
    }

    public Guid Id { get; private set; }

    /// <summary>Readable number: report date yyyyMMdd + 5-digit daily sequence, e.g. <c>2026112700042</c>.</summary>
    public string Number { get; private set; }

    public string CategoryCode { get; private set; }

    public string Title { get; private set; }

    public string Description { get; private set; }

    /// <summary>Where the matter is, WGS-84 lon/lat.</summary>
    public Point Location { get; private set; }

    /// <summary>The finest territorial grid the case was routed to; scope checks use this code.</summary>
    public string GridCode { get; private set; }

    public CaseTier Tier { get; private set; }

    public CaseStatus Status { get; private set; }

    public CaseChannel Channel { get; private set; }

    /// <summary>The reporting user, if logged in; residents see only cases they reported.</summary>
    public Guid? ReporterId { get; private set; }

    /// <summary>Phone number left by an anonymous reporter; personal data, masked on output.</summary>
    public string? ReporterPhone { get; set; }

    public DateTimeOffset ReportedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>The resident's rating 1–5 once evaluated.</summary>
    public int? Rating { get; private set; }

    /// <summary>
    /// Records a historical outcome for imported or generated history. The live workflow moves cases
    /// one verified transition at a time; this is only for data that already happened elsewhere.
    /// </summary>
    public void RestoreHistory(CaseTier tier, CaseStatus status, DateTimeOffset? closedAt, int? rating)
    {
        if (rating is < 1 or > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(rating), rating, "A rating is 1 to 5 stars.");
        }

        if (closedAt is { } closed && closed < ReportedAt)
        {
            throw new ArgumentOutOfRangeException(nameof(closedAt), closedAt, "A case closes after it was reported.");
        }

        Tier = tier;
        Status = status;
        ClosedAt = closedAt;
        Rating = rating;
    }
}
