namespace CivicGrid.Server.Features.Cases.LocationQueue;

/// <summary>
/// One row of the "confirm location" queue: an ambiguous case offered to one of its candidate grids. Scoped by the
/// candidate grid, so each candidate's staff see the offer without seeing the case itself until they claim it; a
/// claim (or the timeout) resolves every row of the case, so the others see it leave.
/// </summary>
public sealed class LocationClaim
{
    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

    public string CaseNumber { get; set; } = string.Empty;

    /// <summary>The candidate grid this offer is for; scope checks use this code.</summary>
    public string GridCode { get; set; } = string.Empty;

    /// <summary>True for the router's best candidate, which gets the case at the deadline.</summary>
    public bool IsBest { get; set; }

    /// <summary>Share of the position's accuracy circle inside this grid, 0–1.</summary>
    public double Share { get; set; }

    public string Title { get; set; } = string.Empty;

    public string CategoryCode { get; set; } = string.Empty;

    public double Lon { get; set; }

    public double Lat { get; set; }

    public DateTimeOffset ReportedAt { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>The grid that took the case.</summary>
    public string? ResolvedToGridCode { get; set; }
}
