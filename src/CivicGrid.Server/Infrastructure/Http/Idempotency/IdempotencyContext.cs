using System.Text.Json;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Infrastructure.Http.Idempotency;

/// <summary>A key claimed by the running request: the record, and the client's key (needed to seal the answer).</summary>
public sealed record KeyClaim(IdempotencyRecord Record, string Key);

/// <summary>The key the request claimed was taken over by a later retry (the first attempt outlived its in-progress timeout).</summary>
public sealed class IdempotencyKeyLostException() : Exception("The idempotency key was taken over by a retry; this attempt must not commit.");

/// <summary>
/// The keyed request in progress, for an endpoint marked <see cref="IdempotencySetup.WithIdempotencyStoredByEffect"/>:
/// one whose effect is committed away from the request's own context (the intake writer's shared transaction). Such
/// an endpoint completes the key inside that transaction with <see cref="CompleteWithEffect"/>, so the case and the
/// answer to replay are committed together or not at all: a crash in between cannot leave a case whose retry makes a
/// second one.
/// </summary>
public sealed class IdempotencyContext(IdempotencyStore store, IdempotencyAnswers answers, IOptions<IdempotencyOptions> options, IOptions<JsonOptions> json)
{
    /// <summary>The claim, when the request carries a key and holds it.</summary>
    public KeyClaim? Claim { get; internal set; }

    /// <summary>True once the answer was stored with the effect; the filter then sends the result as it is.</summary>
    public bool CompletedWithEffect { get; private set; }

    /// <summary>
    /// Stores the answer for the claimed key through <paramref name="db"/>, inside the transaction it holds (the effect's).
    /// Synchronous: the intake writer calls it on its own thread. Does nothing when the request carries no key.
    /// </summary>
    /// <exception cref="IdempotencyKeyLostException">The key is no longer this request's: the transaction must roll back.</exception>
    public void CompleteWithEffect(CivicGridDbContext db, int statusCode, string? location, string contentType, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (Claim is not { } claim)
        {
            return;
        }

        var answer = body.Length <= options.Value.MaxResponseBytes
            ? new StoredAnswer(statusCode, contentType, location, answers.Seal(claim.Record.Caller, claim.Key, body))
            : new StoredAnswer(statusCode, null, location, null);
        if (!store.CompleteInTransaction(db, claim.Record, answer))
        {
            throw new IdempotencyKeyLostException();
        }

        CompletedWithEffect = true;
    }

    /// <summary>
    /// <see cref="CompleteWithEffect(CivicGridDbContext, int, string?, string, byte[])"/> for a JSON answer, serialised as the
    /// endpoint's typed result serialises it, so the replay is the first answer byte for byte.
    /// </summary>
    public void CompleteWithEffect<T>(CivicGridDbContext db, int statusCode, string? location, T body)
    {
        if (Claim is not null)
        {
            CompleteWithEffect(db, statusCode, location, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(body, json.Value.SerializerOptions));
        }
    }
}
