using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
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
public sealed class IdempotencyStore(IServiceScopeFactory scopes, TimeProvider time, ILogger<IdempotencyStore> logger)
{
    /// <summary>
    /// Inserts an in-progress record for the key. The unique index decides between concurrent first
    /// requests: the loser gets a unique violation and then reads the winner's record. Expired and
    /// abandoned records are removed and the claim is tried again.
    /// </summary>
    public async Task<IdempotencyClaim> ClaimAsync(string caller, string key, string fingerprint, IdempotencyOptions options, CancellationToken ct)
    {
        // A few rounds suffice: each round either wins, finds a live record, or removed a dead one.
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            var record = new IdempotencyRecord(caller, key, fingerprint, now, now + options.Retention);
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
                db.IdempotencyRecords.Add(record);
                try
                {
                    await db.SaveChangesAsync(ct);
                    return new IdempotencyClaim.Claimed(record);
                }
                catch (DbUpdateException e) when (IsUniqueViolation(e))
                {
                    // Someone holds the key; fall through to see who.
                }
            }

            var existing = await FindAsync(caller, key, ct);
            if (existing is null && attempt < 3)
            {
                continue; // Released between our insert and our read: try again.
            }

            if (existing is not null && attempt < 3)
            {
                var abandoned = existing.State == IdempotencyState.InProgress && existing.CreatedAt + options.InProgressTimeout <= now;
                if (existing.ExpiresAt <= now || abandoned)
                {
                    logger.LogInformation("Idempotency key of {Caller} is {Reason}; it is taken over", caller, abandoned ? "abandoned" : "expired");
                    await DeleteAsync(existing, ct);
                    continue;
                }
            }

            return existing is null
                ? throw new InvalidOperationException("The idempotency key could not be claimed: it kept changing hands.")
                : new IdempotencyClaim.Existing(existing);
        }
    }

    /// <summary>Stores the answer of the claimed request for replay.</summary>
    public async Task CompleteAsync(IdempotencyRecord record, int statusCode, string? contentType, string? location, byte[]? body, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        db.IdempotencyRecords.Attach(record);
        record.Complete(statusCode, contentType, location, body, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Removes the record (only this one, by id) so a retry can run the request again.</summary>
    public async Task DeleteAsync(IdempotencyRecord record, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        await db.IdempotencyRecords.Where(r => r.Id == record.Id).ExecuteDeleteAsync(ct);
    }

    /// <summary>Deletes records past their expiry; a periodic job calls this. Returns how many went.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        return await db.IdempotencyRecords.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }

    private async Task<IdempotencyRecord?> FindAsync(string caller, string key, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        return await db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.Caller == caller && r.Key == key, ct);
    }

    private static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
        SqliteException s => s.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
