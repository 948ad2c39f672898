namespace CivicGrid.Server.Infrastructure.Http.Idempotency;

/// <summary>Where a keyed request stands.</summary>
public enum IdempotencyState
{
    /// <summary>The first request with the key is running; retries get 409.</summary>
    InProgress = 0,

    /// <summary>The first answer is stored; retries with the same request get it again.</summary>
    Completed = 1,
}

/// <summary>
/// One <c>Idempotency-Key</c> of one caller: the fingerprint of the request first sent with it and,
/// once it has run, the answer to replay. A unique index on (<see cref="Caller"/>, <see cref="KeyHash"/>)
/// decides which of several concurrent first requests runs, on every server instance sharing the database.
/// The key itself is not stored, only its hash, and the answer is encrypted with a key derived from it (see
/// <see cref="IdempotencyAnswers"/>): an answer may carry a secret shown once (a follow token, an API key), which
/// only the caller who holds the idempotency key can read back.
/// </summary>
public sealed class IdempotencyRecord
{
    public const int MaxKeyLength = 128;
    public const int MaxCallerLength = 64;

    public IdempotencyRecord(string caller, string keyHash, string fingerprint, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        Id = Guid.NewGuid();
        Caller = caller;
        KeyHash = keyHash;
        Fingerprint = fingerprint;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
        State = IdempotencyState.InProgress;
    }

    public Guid Id { get; private set; }

    /// <summary><c>user:{id}</c> for a signed-in caller, <c>anonymous</c> otherwise: keys of different callers never meet.</summary>
    public string Caller { get; private set; }

    /// <summary>SHA-256 (hex) of the client's key (<see cref="HashKey"/>).</summary>
    public string KeyHash { get; private set; }

    /// <summary>SHA-256 (hex) of method, path, query and body bytes.</summary>
    public string Fingerprint { get; private set; }

    public IdempotencyState State { get; private set; }

    public int? StatusCode { get; private set; }

    public string? ContentType { get; private set; }

    /// <summary>The <c>Location</c> of a created resource, so a replayed 201 still points at it.</summary>
    public string? Location { get; private set; }

    /// <summary>The stored answer, encrypted (<see cref="IdempotencyAnswers"/>); null when it was larger than the configured cap.</summary>
    public byte[]? ResponseBody { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>
    /// The record as a request whose effect commits elsewhere stores it, in one insert with that effect: completed with its
    /// answer. A new instance each time (its Id too), since a batch retried report by report adds it again to a new context.
    /// </summary>
    public IdempotencyRecord CompletedWith(StoredAnswer answer, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return new IdempotencyRecord(Caller, KeyHash, Fingerprint, CreatedAt, ExpiresAt)
        {
            State = IdempotencyState.Completed,
            StatusCode = answer.StatusCode,
            ContentType = answer.ContentType,
            Location = answer.Location,
            ResponseBody = answer.Body,
            CompletedAt = at,
        };
    }

    /// <summary>What is stored for the key: SHA-256 (hex) of its UTF-8 bytes.</summary>
    public static string HashKey(string key) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
}
