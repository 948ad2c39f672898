using System.Text.Json;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Infrastructure.Http.Idempotency;

/// <summary>A key claimed by the running request: the record, and the client's key (needed to seal the answer).</summary>
public sealed record KeyClaim(IdempotencyRecord Record, string Key);

/// <summary>
/// The keyed request in progress, for an endpoint marked <see cref="IdempotencySetup.WithIdempotencyStoredByEffect"/>:
/// one whose effect is committed away from the request's own context (the intake writer's shared transaction). Such
/// an endpoint stores the key, completed with its answer, inside that transaction with <see cref="CompleteWithEffect"/>, so
/// the case and the answer to replay are committed together or not at all: a crash in between cannot leave a case whose
/// retry makes a second one. Nothing is written for the key before: it costs no transaction of its own, and two attempts
/// with one key (on two instances) cannot both commit, since the key's unique index fails the second.
/// </summary>
public sealed class IdempotencyContext(IdempotencyAnswers answers, TimeProvider time, IOptions<IdempotencyOptions> options, IOptions<JsonOptions> json)
{
    /// <summary>The key the request holds (on this instance, <see cref="IdempotencyInFlight"/>), with its record not yet stored.</summary>
    public KeyClaim? Claim { get; internal set; }

    /// <summary>True once the answer was stored with the effect; the filter then sends the result as it is.</summary>
    public bool CompletedWithEffect { get; private set; }

    /// <summary>
    /// Adds the key's record, completed with the answer, to <paramref name="db"/>: it is inserted by the save that stores the
    /// effect, inside the same transaction. Synchronous: the intake writer calls it on its own thread. Does nothing when the
    /// request carries no key. If the key was stored meanwhile by another attempt, that save fails on the key's unique index
    /// and the effect is not committed; the filter then answers with the other attempt's answer.
    /// </summary>
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
        db.IdempotencyRecords.Add(claim.Record.CompletedWith(answer, time.GetUtcNow()));
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
