namespace CivicGrid.Server.Features.District;

/// <summary>Delivery and answer of a red case's report to the district (上报区级).</summary>
public enum ReferralStatus
{
    /// <summary>Written, not yet acknowledged by the district.</summary>
    Pending = 1,

    /// <summary>The district acknowledged receipt.</summary>
    Delivered = 2,

    /// <summary>The district took the case on.</summary>
    Accepted = 3,

    /// <summary>The district replied with what it did or decided.</summary>
    Replied = 4,

    /// <summary>The district closed its side.</summary>
    Closed = 5,
}

/// <summary>
/// The outbound record of a red case handed to the district: what was sent, whether it arrived, what the district
/// answered. Scoped by the case's subdistrict code, so the operations centre and the district see it.
/// </summary>
public sealed class DistrictReferral
{
    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

    public string CaseNumber { get; set; } = string.Empty;

    /// <summary>The subdistrict of the case; scope checks use this code.</summary>
    public string SubdistrictCode { get; set; } = string.Empty;

    public string Summary { get; set; } = string.Empty;

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public ReferralStatus Status { get; set; } = ReferralStatus.Pending;

    public DateTimeOffset? DeliveredAt { get; set; }

    public string? Answer { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    public Guid? AnsweredBy { get; set; }

    /// <summary>When a user last asked for the webhook delivery to be tried again now (console "retry now").</summary>
    public DateTimeOffset? RetryRequestedAt { get; set; }

    /// <summary>Who asked for it.</summary>
    public Guid? RetryRequestedBy { get; set; }
}
