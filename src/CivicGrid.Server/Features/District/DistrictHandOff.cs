using CivicGrid.Server.Features.Cases;
using CivicGrid.Server.Features.Notifications;

namespace CivicGrid.Server.Features.District;

/// <summary>How a red case's referral becomes an outbox message for the district's webhook.</summary>
public static class DistrictHandOff
{
    /// <summary>The outbox recipient of every hand-off: the one configured district system.</summary>
    public const string Recipient = "district";

    /// <summary>The message for <paramref name="referral"/>, to add in the same transaction as the referral.</summary>
    public static OutboxMessage MessageFor(DistrictReferral referral, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(referral);
        return new OutboxMessage(MessageIdOf(referral.Id), OutboxChannel.DistrictWebhook, Recipient, OutboxTemplates.DistrictReferral,
            new Dictionary<string, string> { ["referralId"] = referral.Id.ToString("D") }, referral.CaseNumber, now);
    }

    /// <summary>The stable message id of a referral's hand-off; the district drops a repeat by it.</summary>
    public static string MessageIdOf(Guid referralId) =>
        OutboxMessage.MessageIdFor($"district-referral:{referralId:D}", OutboxChannel.DistrictWebhook, Recipient);
}
