using System.Collections.Concurrent;
using System.Globalization;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Cases.Intake;

/// <summary>A report checked and routed, waiting for its number and its place in the database.</summary>
/// <param name="Build">
/// Makes the case (and anything stored with it) once its number is known; runs on the writer. It adds each entity to
/// the context after its last change: the writer saves without detecting changes to tracked entities.
/// </param>
internal sealed record PendingReport(DateTimeOffset At, Func<string, CivicGridDbContext, Case> Build)
{
    public TaskCompletionSource<Case> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Stores new cases with group commit: reports arriving together are numbered with one counter update and written in
/// one transaction, and each caller is answered only after that transaction committed. A durable commit (SQLite with
/// <c>synchronous=FULL</c>, PostgreSQL's WAL flush) costs most of a millisecond; sharing it is what lets intake take
/// thousands of reports a second without weakening durability. If a shared transaction fails, its reports are retried
/// one by one, so one bad report never takes others down with it.
/// </summary>
/// <remarks>
/// The writer is the one serial stage of intake, so it runs on its own thread with blocking database calls: under load
/// the thread pool's queue holds the requests it serves, and every await of the writer's would wait behind them.
/// </remarks>
public sealed class IntakeWriter(IServiceScopeFactory scopes, IOptions<CaseOptions> options, Metrics.CivicGridMetrics metrics, ILogger<IntakeWriter> logger) : IHostedService, IDisposable
{
    /// <summary>The most reports in one transaction.</summary>
    public const int MaxBatch = 128;

    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    private readonly BlockingCollection<PendingReport> _queue = [];
    private readonly CancellationTokenSource _stopping = new();
    private Thread? _thread;

    internal async Task<Case> StoreAsync(PendingReport report, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            _queue.Add(report, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // The writer has stopped taking reports (CompleteAdding).
            throw new OperationCanceledException("The server is stopping.");
        }

        // Once queued the report is stored even if the caller goes away: the answer may still be replayed to a retry.
        return await report.Stored.Task;
    }

    /// <summary>1 once disposed; read and written with Interlocked (StopAsync and Dispose may come from different threads).</summary>
    private int _disposed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "Intake writer" };
        _thread.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _disposed, 0, 0) != 0)
        {
            // Disposed first (a host torn down while starting): Dispose has already stopped the thread's wait.
            return;
        }

        await _stopping.CancelAsync();
        if (_thread is { } thread)
        {
            // The batch being written finishes (its callers are answered); then whatever is still queued is refused.
            await Task.Run(() => thread.Join(), CancellationToken.None).WaitAsync(cancellationToken);
        }
    }

    // The queue is not disposed: a request still arriving during shutdown must be refused, not fail on a disposed queue.
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void Run()
    {
        // Ahead of the request threads in the run queue when every core is busy (see CaseOptions.WriterNice).
        if (ThreadNice.TrySetCurrent(options.Value.WriterNice) is { } refused)
        {
            logger.LogInformation("The intake writer runs at the normal priority: {Reason}. Grant CAP_SYS_NICE or LimitNICE to let it ask for nice {Nice}",
                refused, options.Value.WriterNice);
        }

        var batch = new List<PendingReport>(MaxBatch);
        try
        {
            while (_queue.TryTake(out var first, Timeout.Infinite, _stopping.Token))
            {
                batch.Add(first);
                while (batch.Count < MaxBatch && _queue.TryTake(out var next))
                {
                    batch.Add(next);
                }

                Write(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down: whatever is still queued is refused rather than left waiting.
        }

        _context?.Scope.Dispose();
        _context = null;
        _queue.CompleteAdding();
        foreach (var left in batch)
        {
            left.Stored.TrySetException(new OperationCanceledException("The server is stopping."));
        }

        while (_queue.TryTake(out var left))
        {
            left.Stored.TrySetException(new OperationCanceledException("The server is stopping."));
        }
    }

    private void Write(List<PendingReport> batch)
    {
        try
        {
            var stored = Save(batch);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Stored.TrySetResult(stored[i]);
            }

            return;
        }
        catch (Exception e) when (batch.Count > 1 && e is not OperationCanceledException)
        {
            logger.LogWarning(e, "A shared intake transaction of {Count} reports failed; storing them one by one", batch.Count);
        }
        catch (Exception e)
        {
            batch[0].Stored.TrySetException(e);
            return;
        }

        foreach (var report in batch)
        {
            try
            {
                report.Stored.TrySetResult(Save([report])[0]);
            }
            catch (Exception e)
            {
                report.Stored.TrySetException(e);
            }
        }
    }

    /// <summary>
    /// The writer's own context (and its open connection), kept from batch to batch with its tracker cleared: making a scope and a context for every
    /// batch was a twelfth of the writer's time. Thrown away after any failure, so a broken one is never reused.
    /// </summary>
    private (IServiceScope Scope, CivicGridDbContext Db)? _context;

    private List<Case> Save(List<PendingReport> batch)
    {
        if (_context is not { } context)
        {
            var scope = scopes.CreateScope();
            try
            {
                context = (scope, scope.ServiceProvider.GetRequiredService<CivicGridDbContext>());

                // Everything here is added, never changed after being added (see PendingReport.Build), so the save need
                // not compare every tracked entity with its snapshot; that scan was a tenth of the writer's time.
                context.Db.ChangeTracker.AutoDetectChangesEnabled = false;

                // Its connection stays open too, rather than going back to the pool after every commit: no pool round trip
                // or session reset per batch, and SQLite's page cache stays warm on the one connection that writes.
                context.Db.Database.OpenConnection();
            }
            catch
            {
                scope.Dispose();
                throw;
            }

            _context = context;
        }

        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var cases = Save(batch, context.Db);
            metrics.WriterCommitted(batch.Count, started);
            context.Db.ChangeTracker.Clear();
            return cases;
        }
        catch
        {
            _context = null;
            context.Scope.Dispose();
            throw;
        }
    }

    private static List<Case> Save(List<PendingReport> batch, CivicGridDbContext db)
    {
        using var transaction = db.Database.BeginTransaction();
        var numbers = new Dictionary<string, Queue<string>>(StringComparer.Ordinal);
        foreach (var day in batch.GroupBy(r => DayOf(r.At)))
        {
            var count = day.Count();
            var last = Reserve(db, day.Key, count, synchronous: true).GetAwaiter().GetResult();
            numbers[day.Key] = new Queue<string>(Enumerable.Range(last - count + 1, count)
                .Select(n => string.Create(CultureInfo.InvariantCulture, $"{day.Key}{n:D5}")));
        }

        var cases = batch.Select(r => r.Build(numbers[DayOf(r.At)].Dequeue(), db)).ToList();
        // Not accepted: the tracker is cleared as soon as the batch is stored (see Save above).
        db.SaveNewRows(acceptAllChanges: false);
        transaction.Commit();
        return cases;
    }

    /// <summary>
    /// Reserves <paramref name="count"/> numbers of a Beijing day with one atomic upsert on either database, so concurrent
    /// batches (and several server instances) never share a number; returns the last one reserved.
    /// </summary>
    internal static Task<int> ReserveAsync(CivicGridDbContext db, string day, int count) => Reserve(db, day, count, synchronous: false);

    private static async Task<int> Reserve(CivicGridDbContext db, string day, int count, bool synchronous)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Case numbers are reserved inside the transaction that stores the cases.");

        // Plain ADO.NET rather than a raw EF query: this runs before every batch, and on PostgreSQL the statement is
        // prepared once per pooled connection.
        var postgres = db.Database.IsNpgsql();
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = postgres
            ? """INSERT INTO case_number_counters ("Day", "Last") VALUES ($1, $2) ON CONFLICT ("Day") DO UPDATE SET "Last" = case_number_counters."Last" + $2 RETURNING "Last" """
            : """INSERT INTO case_number_counters ("Day", "Last") VALUES (@day, @count) ON CONFLICT ("Day") DO UPDATE SET "Last" = case_number_counters."Last" + @count RETURNING "Last" """;
        var dayParameter = command.CreateParameter();
        dayParameter.ParameterName = postgres ? string.Empty : "@day";
        dayParameter.Value = day;
        var countParameter = command.CreateParameter();
        countParameter.ParameterName = postgres ? string.Empty : "@count";
        countParameter.Value = count;
        command.Parameters.Add(dayParameter);
        command.Parameters.Add(countParameter);
        if (postgres)
        {
            if (synchronous)
            {
                command.Prepare();
            }
            else
            {
                await command.PrepareAsync();
            }
        }

        return Convert.ToInt32(synchronous ? command.ExecuteScalar() : await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    internal static string DayOf(DateTimeOffset at) => at.ToOffset(ChinaOffset).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>Sets the stored hash of an anonymous reporter's follow token on a case being added.</summary>
    internal static void SetFollowTokenHash(CivicGridDbContext db, Case subject, string hash) =>
        db.Entry(subject).Property(CaseConfiguration.FollowTokenHashProperty).CurrentValue = hash;
}
