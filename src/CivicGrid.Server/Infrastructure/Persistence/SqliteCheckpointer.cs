using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// Copies SQLite's write-ahead log into the database file every <see cref="DatabaseOptions.SqliteCheckpointInterval"/>
/// with a passive checkpoint on a connection of its own. Left to SQLite, the commit that crosses 1,000 log pages does
/// the checkpoint itself, with an extra fsync of the database file, while every report in its group commit waits
/// (the cost is in <c>bench/load/README.md</c>). A passive checkpoint never blocks the
/// writer or readers; connections keep a high fallback (<see cref="SqlitePragmas.FallbackAutoCheckpointPages"/>) so the
/// log stays bounded if this task stops.
/// </summary>
public sealed class SqliteCheckpointer(IServiceScopeFactory scopes, IOptions<DatabaseOptions> options, TimeProvider time,
    ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    private long _checkpoints;

    /// <summary>Checkpoints run since start.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SqliteCheckpointInterval;
        if (options.Value.Provider != DatabaseProvider.Sqlite || interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
                await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(PASSIVE);", stoppingToken);
                Interlocked.Increment(ref _checkpoints);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (SqliteException e)
            {
                // Busy or not yet created: the next round tries again, and connections checkpoint themselves past the fallback.
                logger.LogDebug(e, "SQLite checkpoint skipped");
            }
        }
    }
}
