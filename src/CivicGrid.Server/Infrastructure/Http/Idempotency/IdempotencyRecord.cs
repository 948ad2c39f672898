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
/// once it has run, the answer to replay. A unique index on (<see cref="Caller"/>, <see cref="Key"/>)
/// decides which of several concurrent first requests runs, on every server instance sharing the database.
/// </summary>
public sealed class IdempotencyRecord
{
    public const int MaxKeyLength = 128;
    public const int MaxCallerLength = 64;

    public IdempotencyRecord(string caller, string key, string fingerprint, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        Id = Guid.NewGuid();
        Caller = caller;
        Key = key;
        Fingerprint = fingerprint;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
        State = IdempotencyState.InProgress;
    }

    public Guid Id { get; private set; }

    /// <summary><c>user:{id}</c> for a signed-in caller, <c>anonymous</c> otherwise: keys of different callers never meet.</summary>
    public string Caller { get; private set; }

    public string Key { get; private set; }

    /// <summary>SHA-256 (hex) of method, path, query and body bytes.</summary>
    public string Fingerprint { get; private set; }

    public IdempotencyState State { get; private set; }

    public int? StatusCode { get; private set; }

    public string? ContentType { get; private set; }

    /// <summary>The <c>Location</c> of a created resource, so a replayed 201 still points at it.</summary>
    public string? Location { get; private set; }

    /// <summary>The stored answer; null when it was larger than the configured cap.</summary>
    public byte[]? ResponseBody { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public void Complete(int statusCode, string? contentType, string? location, byte[]? body, DateTimeOffset at)
    {
        State = IdempotencyState.Completed;
        StatusCode = statusCode;
        ContentType = contentType;
        Location = location;
        ResponseBody = body;
        CompletedAt = at;
    }
}
