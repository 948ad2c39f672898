using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.District;

/// <summary>
/// How a referral's webhook delivery stands, read from its outbox message and its delivery log.
/// </summary>
/// <param name="Delivery">none (no webhook configured when it was handed over), pending, sent or failed (given up).</param>
/// <param name="Attempts">Attempts logged so far.</param>
/// <param name="NextAttemptAt">When the next attempt is due, while pending.</param>
/// <param name="LastError">The last logged attempt's error, while not sent.</param>
public sealed record DistrictDeliveryState(string Delivery, int Attempts, DateTimeOffset? NextAttemptAt, string? LastError)
{
    /// <summary>Every value of <see cref="Delivery"/>: none, then the outbox states' names.</summary>
    public static IReadOnlyList<string> Deliveries { get; } = ["none", .. ApiEnums.Names<OutboxState>()];

    /// <summary>The state of each of <paramref name="referralIds"/> (every id gets one); the caller has already scoped the referrals.</summary>
    public static async Task<Dictionary<Guid, DistrictDeliveryState>> OfAsync(CivicGridDbContext db, IReadOnlyCollection<Guid> referralIds,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(referralIds);
        var messageIds = referralIds.ToDictionary(DistrictHandOff.MessageIdOf, id => id);
        var keys = messageIds.Keys.ToList();
        var messages = keys.Count == 0
            ? []
            : await db.OutboxMessages.AsNoTracking().Where(m => keys.Contains(m.MessageId))
                .Select(m => new { m.MessageId, m.State, m.NextAttemptAt, m.LastError }).ToListAsync(ct);
        var ids = referralIds.ToList();
        var attempts = ids.Count == 0
            ? []
            : await db.DistrictDeliveries.AsNoTracking().Where(d => ids.Contains(d.ReferralId)).GroupBy(d => d.ReferralId)
                .Select(g => new { ReferralId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.ReferralId, g => g.Count, ct);
        var byReferral = messages.ToDictionary(m => messageIds[m.MessageId]);
        return referralIds.Distinct().ToDictionary(id => id, id =>
        {
            var count = attempts.GetValueOrDefault(id);
            if (!byReferral.TryGetValue(id, out var message))
            {
                return new DistrictDeliveryState("none", count, null, null);
            }

            return new DistrictDeliveryState(message.State.ToString().ToLowerInvariant(), count,
                message.State == OutboxState.Pending ? message.NextAttemptAt : null, message.State == OutboxState.Sent ? null : message.LastError);
        });
    }
}
