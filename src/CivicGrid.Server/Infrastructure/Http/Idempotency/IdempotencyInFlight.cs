using System.Collections.Concurrent;

namespace CivicGrid.Server.Infrastructure.Http.Idempotency;

/// <summary>
/// The keys this server instance is running right now for endpoints whose answer is stored with their effect
/// (<see cref="IdempotencySetup.WithIdempotencyStoredByEffect"/>): a second request with the same key on this instance gets
/// 409 (or 422 for a different request) at once, without a database round trip. Between instances the database's unique
/// index on the key decides when the effects commit: the loser's transaction fails and it replays the winner's answer.
/// Nothing of it is durable, and nothing needs to be: a crash loses the effect and its key together.
/// </summary>
public sealed class IdempotencyInFlight
{
    private readonly ConcurrentDictionary<(string Caller, string KeyHash), Holder> _running = new();

    /// <summary>Takes the key for this request; false with the running request's fingerprint when another holds it.</summary>
    public bool TryEnter(string caller, string keyHash, string fingerprint, out string runningFingerprint)
    {
        var mine = new Holder(fingerprint);
        var holder = _running.GetOrAdd((caller, keyHash), mine);
        runningFingerprint = holder.Fingerprint;
        return ReferenceEquals(holder, mine);
    }

    public void Exit(string caller, string keyHash) => _running.TryRemove((caller, keyHash), out _);

    /// <summary>One running request (compared by reference: two requests may have the same fingerprint).</summary>
    private sealed class Holder(string fingerprint)
    {
        public string Fingerprint { get; } = fingerprint;
    }
}
