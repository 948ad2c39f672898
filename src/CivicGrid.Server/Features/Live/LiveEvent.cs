using CivicGrid.Domain.Cases;

namespace CivicGrid.Server.Features.Live;

/// <summary>
/// Something screens and queues show as it happens: a case reported, or a case whose colour, status or grid changed.
/// Written in the transaction of the change (<see cref="LiveEventHook"/>), read by every server instance's
/// <see cref="LiveFeed"/>, so a change on one instance reaches the screens connected to any other. Kept a day.
/// </summary>
public sealed class LiveEvent
{
    public Guid Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary><see cref="LiveEventKinds"/>.</summary>
    public string Kind { get; set; } = string.Empty;

    public string CaseNumber { get; set; } = string.Empty;

    public string GridCode { get; set; } = string.Empty;

    public string CategoryCode { get; set; } = string.Empty;

    public string Title { get; set; } = string.Empty;

    public CaseChannel Channel { get; set; }

    public CaseTier Tier { get; set; }

    /// <summary>The colour before the change (equal to <see cref="Tier"/> for a new case or an unchanged colour).</summary>
    public CaseTier PreviousTier { get; set; }

    public CaseStatus Status { get; set; }

    public double Lon { get; set; }

    public double Lat { get; set; }
}

public static class LiveEventKinds
{
    public const string Reported = "case-reported";
    public const string Changed = "case-changed";
}
