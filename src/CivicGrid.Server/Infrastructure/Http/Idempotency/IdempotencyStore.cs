using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Npgsql;

namespace CivicGrid.Server.Infrastructure.Http.Idempotency;

/// <summary>What happened when a request tried to claim its key.</summary>
public abstract record IdempotencyClaim
{
    /// <summary>The key is ours: run the endpoint, then complete or release the record.</summary>
    public sealed record Claimed(IdempotencyRecord Record) : IdempotencyClaim;

    /// <summary>The key already belongs to a request; what to answer depends on its state and fingerprint.</summary>
    public sealed record Existing(IdempotencyRecord Record) : IdempotencyClaim;
}

/// <summary>
/// Reads and writes idempotency records. Each operation uses its own short-lived database context,
/// so the record never rides along in the endpoint's unit of work (whose save may fail or never happen).
/// </summary>
public sealed class IdempotencyStore(IServiceScopeFactory scopes, PlainReads plain, TimeProvider time, ILogger<IdempotencyStore> logger)
{
    /// <summary>
    /// Inserts an in-progress record for the key. The unique index decides between concurrent first
    /// requests: the loser gets a unique violation and then reads the winner's record. Expired and
    /// abandoned records are removed and the claim is tried again.
    /// </summary>
    public async Task<IdempotencyClaim> ClaimAsync(string caller, string key, string fingerprint, IdempotencyOptions options, CancellationToken ct)
    {
        var keyHash = IdempotencyRecord.HashKey(key);
        // A few rounds suffice: each round either wins, finds a live record, or removed a dead one.
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            var record = new IdempotencyRecord(caller, keyHash, fingerprint, now, now + options.Retention);
            if (await TryInsertAsync(record, ct))
            {
                return new IdempotencyClaim.Claimed(record);
            }

            // Someone holds the key: see who.
            var existing = await FindAsync(caller, keyHash, ct);
            if (existing is null && attempt < 3)
            {
                continue; // Released between our insert and our read: try again.
            }

            if (existing is not null && attempt < 3 && await TakeOverIfDeadAsync(existing, now, options, ct))
            {
                continue;
            }

            return existing is null
                ? throw new InvalidOperationException("The idempotency key could not be claimed: it kept changing hands.")
                : new IdempotencyClaim.Existing(existing);
        }
    }

    /// <summary>
    /// The key's live record, for a request whose answer is stored with its effect (no claim is written before it runs):
    /// null when the key is free, after removing an expired record or one abandoned in progress (see <see cref="ClaimAsync"/>).
    /// </summary>
    public async Task<IdempotencyRecord?> FindLiveAsync(string caller, string keyHash, IdempotencyOptions options, CancellationToken ct)
    {
        if (!await ExistsAsync(caller, keyHash, ct))
        {
            return null;
        }

        for (var attempt = 0; ; attempt++)
        {
            var existing = await FindAsync(caller, keyHash, ct);
            if (existing is null || attempt >= 3 || !await TakeOverIfDeadAsync(existing, time.GetUtcNow(), options, ct))
            {
                return existing;
            }
        }
    }

    /// <summary>
    /// True when a record for the key exists. Nearly every keyed report is a first attempt, so this runs for each: a plain
    /// read (<see cref="PlainReads"/>).
    /// </summary>
    private Task<bool> ExistsAsync(string caller, string keyHash, CancellationToken ct) =>
        plain.AnyAsync("""SELECT 1 FROM idempotency_records WHERE "Caller" = $1 AND "KeyHash" = $2 LIMIT 1""", [caller, keyHash], ct);

    /// <summary>A record for the key, not yet stored: what <see cref="IdempotencyRecord.CompletedWith"/> completes.</summary>
    public IdempotencyRecord NewRecord(string caller, string keyHash, string fingerprint, IdempotencyOptions options)
    {
        var now = time.GetUtcNow();
        return new IdempotencyRecord(caller, keyHash, fingerprint, now, now + options.Retention);
    }

    /// <summary>
    /// Stores a record in a transaction of its own (a claim, or a completed answer); false when the key is stored already
    /// (by a concurrent request, on any instance).
    /// </summary>
    public async Task<bool> TryInsertAsync(IdempotencyRecord record, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        db.IdempotencyRecords.Add(record);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            return false;
        }
    }

    /// <summary>
    /// Removes <paramref name="existing"/> when it is expired or abandoned in progress, only if it still is at the moment of
    /// the delete: a first attempt that completes meanwhile keeps its record. One that completes later finds its record gone
    /// and rolls back its effect (<see cref="CompleteAsync(CivicGridDbContext, IdempotencyRecord, StoredAnswer, CancellationToken)"/>),
    /// so taking over is safe even when the first attempt was only slow. True when the key may be tried again.
    /// </summary>
    private async Task<bool> TakeOverIfDeadAsync(IdempotencyRecord existing, DateTimeOffset now, IdempotencyOptions options, CancellationToken ct)
    {
        var abandoned = existing.State == IdempotencyState.InProgress && existing.CreatedAt + options.InProgressTimeout <= now;
        if (existing.ExpiresAt > now && !abandoned)
        {
            return false;
        }

        var staleBefore = now - options.InProgressTimeout;
        var id = existing.Id;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var taken = await db.IdempotencyRecords
            .Where(r => r.Id == id && (r.ExpiresAt <= now || (r.State == IdempotencyState.InProgress && r.CreatedAt <= staleBefore)))
            .ExecuteDeleteAsync(ct);
        if (taken > 0)
        {
            logger.LogInformation("Idempotency key of {Caller} is {Reason}; it is taken over", existing.Caller, abandoned ? "abandoned" : "expired");
        }

        return true;
    }

    /// <summary>
    /// Stores the answer of the claimed request through <paramref name="db"/>, in whatever transaction it holds: the
    /// effect's, so both commit or neither does. False when the record is no longer this request's (taken over by a
    /// retry after <see cref="IdempotencyOptions.InProgressTimeout"/>): the caller must then roll its effect back.
    /// </summary>
    public async Task<bool> CompleteAsync(CivicGridDbContext db, IdempotencyRecord record, StoredAnswer answer, CancellationToken ct) =>
        await Completion(db, record, answer).ExecuteUpdateAsync(Set(answer, time.GetUtcNow()), ct) == 1;

    /// <summary>Stores the answer of a request that changed nothing else (a refusal), in a transaction of its own.</summary>
    public async Task<bool> CompleteAsync(IdempotencyRecord record, StoredAnswer answer, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        return await CompleteAsync(db, record, answer, ct);
    }

    /// <summary>
    /// Removes the record (only this one, by id, and only while still in progress) so a retry can run the request again.
    /// A completed record stays: its effect is committed, and running the request again would double it.
    /// </summary>
    public async Task ReleaseAsync(IdempotencyRecord record, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var id = record.Id;
        await db.IdempotencyRecords.Where(r => r.Id == id && r.State == IdempotencyState.InProgress).ExecuteDeleteAsync(ct);
    }

    private static IQueryable<IdempotencyRecord> Completion(CivicGridDbContext db, IdempotencyRecord record, StoredAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(answer);
        var id = record.Id;
        return db.IdempotencyRecords.Where(r => r.Id == id && r.State == IdempotencyState.InProgress);
    }

    private static Action<UpdateSettersBuilder<IdempotencyRecord>> Set(StoredAnswer answer, DateTimeOffset at) => s => s
        .SetProperty(r => r.State, IdempotencyState.Completed)
        .SetProperty(r => r.StatusCode, answer.StatusCode)
        .SetProperty(r => r.ContentType, answer.ContentType)
        .SetProperty(r => r.Location, answer.Location)
        .SetProperty(r => r.ResponseBody, answer.Body)
        .SetProperty(r => r.CompletedAt, at);

    /// <summary>Deletes records past their expiry; a periodic job calls this. Returns how many went.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        return await db.IdempotencyRecords.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }

    /// <summary>The key's record (by the key's hash), if any, as stored now.</summary>
    public async Task<IdempotencyRecord?> FindAsync(string caller, string keyHash, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        return await db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.Caller == caller && r.KeyHash == keyHash, ct);
    }

    private static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
        SqliteException s => s.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
