namespace CivicGrid.Server.Features.District;

/// <summary>
/// One attempt to deliver a red case's hand-off to the district's webhook: when, the HTTP status if an answer came,
/// and the error otherwise. Written by <see cref="DistrictWebhookSender"/> for every attempt, successful or not, so the
/// console shows why a hand-off has not arrived yet. Scoped by the case's subdistrict code, like the referral.
/// </summary>
public sealed class DistrictDelivery
{
    public const int MaxErrorLength = 1000;

    public Guid Id { get; set; }

    public Guid ReferralId { get; set; }

    /// <summary>The subdistrict of the referred case; scope checks use this code.</summary>
    public string SubdistrictCode { get; set; } = string.Empty;

    /// <summary>The outbox message id sent as <see cref="DistrictSignature.MessageIdHeader"/>; the same on every attempt.</summary>
    public string MessageId { get; set; } = string.Empty;

    /// <summary>The attempt's number, from 1.</summary>
    public int Attempt { get; set; }

    public DateTimeOffset AttemptedAt { get; set; }

    /// <summary>The district's HTTP status; null when no answer came (refused connection, timeout).</summary>
    public int? HttpStatus { get; set; }

    /// <summary>Why the attempt failed; null when it succeeded.</summary>
    public string? Error { get; set; }

    /// <summary>How long the attempt took, in milliseconds.</summary>
    public int DurationMs { get; set; }

    public bool Succeeded => Error is null;
}
