using System.Threading.Channels;
using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Patrols;

/// <summary>What became of one batch of positions handed to the <see cref="TrackWriter"/>.</summary>
public enum TrackBatchOutcome
{
    /// <summary>Committed: its points count on the patrol.</summary>
    Stored,

    /// <summary>Its batch id had been committed before: nothing stored again.</summary>
    Repeated,

    /// <summary>No such patrol, or not the sender's.</summary>
    NotFound,

    /// <summary>Refused by <see cref="Patrol.RefusalOf"/> (<see cref="TrackBatchResult.Refusal"/> says why); nothing stored.</summary>
    Refused,
}

/// <param name="Accepted">Points stored by this batch (0 unless <see cref="TrackBatchOutcome.Stored"/>).</param>
/// <param name="PointCount">The patrol's points received so far, this batch included.</param>
/// <param name="Refusal">The broken rule in the words of <see cref="PatrolRefusals"/>, when refused.</param>
public sealed record TrackBatchResult(TrackBatchOutcome Outcome, int Accepted = 0, int PointCount = 0, string? Refusal = null);

/// <summary>What became of a request to end a patrol.</summary>
public enum PatrolEndOutcome
{
    Ended,
    NotFound,
    Closed,
}

/// <summary>
/// The one place positions are written: batches of track points with group commit, and the ends of patrols in the same
/// order. Requests hand over batches they have checked alone (<see cref="Patrol.RefusalOfPoints"/>); one loop takes every
/// batch waiting (up to <see cref="MaxGroup"/>) and, in one transaction, loads the patrols concerned, refuses per batch
/// what must be refused (unknown or another's patrol, ended, repeated, a time before the start), inserts the rest, raises
/// each patrol's point count with one conditional update (<c>… WHERE Status = Open</c>, so an increment is never lost and
/// never lands on an ended patrol), commits once, and only then answers each request. A durable commit costs most of a
/// millisecond; shared by a group it is what lets ingest take tens of thousands of points a second.
/// </summary>
/// <remarks>
/// If the shared transaction fails, every batch of the group is written again on its own, so one bad batch never fails
/// others and no batch is acknowledged that was not committed. Ending a patrol (<see cref="EndAsync"/>) goes through the
/// same loop between two groups, so a batch is either measured with the patrol or refused as closed; across server
/// instances the patrol's point count is also its concurrency token, so an end that measured fewer points than were
/// committed meanwhile is measured again. On stop the loop drains what is queued, then later requests are refused.
/// </remarks>
public sealed class TrackWriter(IServiceScopeFactory scopes, GeographyIndex geography, IOptions<PatrolRules> rules, ILogger<TrackWriter> logger)
    : IHostedService, IDisposable
{
    /// <summary>The most batches in one transaction.</summary>
    public const int MaxGroup = 256;

    /// <summary>Batches waiting before senders wait too (back pressure).</summary>
    public const int Capacity = 8192;

    private const int EndAttempts = 10;

    private readonly Channel<TrackWork> _queue = Channel.CreateBounded<TrackWork>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Asked for the writer's thread, as the intake writer's (nice −10): ahead of the requests it serves when every core is busy.</summary>
    private const int WriterNice = -10;

    private Thread? _thread;
    private (IServiceScope Scope, CivicGridDbContext Db)? _context;

    /// <summary>Stores a checked batch of one patrol (its points already pass <see cref="Patrol.RefusalOfPoints"/>); answered once committed.</summary>
    /// <param name="workerId">The sender: a patrol of another worker is <see cref="TrackBatchOutcome.NotFound"/>.</param>
    /// <param name="now">When the batch arrived, for the patrol's time rules.</param>
    public async Task<TrackBatchResult> AppendAsync(Guid patrolId, Guid workerId, string batchId, IReadOnlyList<TrackPoint> points, DateTimeOffset now,
        CancellationToken ct)
    {
        var pending = new PendingBatch(patrolId, workerId, batchId, points, now);
        await EnqueueAsync(pending, ct);

        // Once queued the batch is written even if the caller goes away: the phone's retry is then answered "repeated".
        return await pending.Done.Task;
    }

    /// <summary>
    /// Ends an open patrol at <paramref name="at"/> (null: at its last point, or its start when it has none), measured like
    /// any other: figures, the track as a line, time per finest grid. Serialised with the batches (see the remarks).
    /// </summary>
    /// <param name="workerId">The worker ending their own patrol; null when the system ends it (it may end anyone's).</param>
    public async Task<PatrolEndOutcome> EndAsync(Guid patrolId, Guid? workerId, DateTimeOffset? at, CancellationToken ct)
    {
        var pending = new PendingEnd(patrolId, workerId, at);
        await EnqueueAsync(pending, ct);
        return await pending.Done.Task;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "Track writer" };
        _thread.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Whatever is queued is still written and answered; then the loop ends.
        _queue.Writer.TryComplete();
        if (_thread is { } thread)
        {
            await Task.Run(thread.Join, CancellationToken.None).WaitAsync(cancellationToken);
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _context?.Scope.Dispose();
        _context = null;
    }

    private async Task EnqueueAsync(TrackWork work, CancellationToken ct)
    {
        try
        {
            await _queue.Writer.WriteAsync(work, ct);
        }
        catch (ChannelClosedException)
        {
            throw new OperationCanceledException("The server is stopping.");
        }
    }

    /// <summary>
    /// The loop, on its own thread with blocking database calls, as the intake writer (ADR 0016): an await of the writer's
    /// would wait in the thread pool's queue behind the very requests it is to answer.
    /// </summary>
    private void Run()
    {
        if (ThreadNice.TrySetCurrent(WriterNice) is { } refused)
        {
            logger.LogDebug("The track writer runs at the normal priority: {Reason}", refused);
        }

        var reader = _queue.Reader;
        var group = new List<PendingBatch>(MaxGroup);
        while (reader.TryPeek(out _) || reader.WaitToReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            // Batches up to the cap, in arrival order; an end waits until the batches before it are written.
            while (group.Count < MaxGroup && reader.TryPeek(out var next))
            {
                if (next is PendingBatch batch)
                {
                    reader.TryRead(out _);
                    group.Add(batch);
                }
                else if (group.Count == 0 && reader.TryRead(out var end))
                {
                    RunEnd((PendingEnd)end);
                }
                else
                {
                    break;
                }
            }

            if (group.Count > 0)
            {
                Write(group);
                group.Clear();
            }
        }

        _context?.Scope.Dispose();
        _context = null;
    }

    private void Write(List<PendingBatch> group)
    {
        try
        {
            var results = Save(group);
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Done.TrySetResult(results[i]);
            }

            return;
        }
        catch (Exception e) when (group.Count > 1)
        {
            logger.LogWarning(e, "A shared track transaction of {Count} batches failed; writing them one by one", group.Count);
        }
        catch (Exception e)
        {
            group[0].Done.TrySetException(e);
            return;
        }

        foreach (var batch in group)
        {
            try
            {
                batch.Done.TrySetResult(Save([batch])[0]);
            }
            catch (Exception e)
            {
                batch.Done.TrySetException(e);
            }
        }
    }

    /// <summary>The loop's own context and open connection, kept between groups; thrown away after any failure.</summary>
    private List<TrackBatchResult> Save(List<PendingBatch> group)
    {
        if (_context is not { } context)
        {
            var scope = scopes.CreateScope();
            try
            {
                context = (scope, scope.ServiceProvider.GetRequiredService<CivicGridDbContext>());
                // Only new rows are added, never changed after, so nothing need be compared with a snapshot.
                context.Db.ChangeTracker.AutoDetectChangesEnabled = false;
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
            var results = Save(group, context.Db);
            context.Db.ChangeTracker.Clear();
            return results;
        }
        catch
        {
            _context = null;
            context.Scope.Dispose();
            throw;
        }
    }

    private static List<TrackBatchResult> Save(List<PendingBatch> group, CivicGridDbContext db)
    {
        using var transaction = db.Database.BeginTransaction();
        var ids = group.Select(b => b.PatrolId).Distinct().ToList();
        var batchIds = group.Select(b => b.BatchId).Distinct().ToList();
        var patrols = db.Patrols.IgnoreQueryFilters().AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionary(p => p.Id);
        var stored = db.PatrolBatches.IgnoreQueryFilters().AsNoTracking().Where(b => ids.Contains(b.PatrolId) && batchIds.Contains(b.BatchId))
            .Select(b => new { b.PatrolId, b.BatchId }).AsEnumerable().Select(b => (b.PatrolId, b.BatchId)).ToHashSet();
        var added = new Dictionary<Guid, (int Count, DateTimeOffset Last)>();
        var results = new List<TrackBatchResult>(group.Count);
        foreach (var batch in group)
        {
            if (!patrols.TryGetValue(batch.PatrolId, out var patrol) || patrol.WorkerId != batch.WorkerId)
            {
                results.Add(new TrackBatchResult(TrackBatchOutcome.NotFound));
                continue;
            }

            var (count, last) = added.GetValueOrDefault(patrol.Id);
            var pointCount = patrol.PointCount + count;
            if (stored.Contains((batch.PatrolId, batch.BatchId)))
            {
                results.Add(new TrackBatchResult(TrackBatchOutcome.Repeated, 0, pointCount));
                continue;
            }

            if (patrol.RefusalOf(batch.Points, batch.Now) is { } refusal)
            {
                results.Add(new TrackBatchResult(TrackBatchOutcome.Refused, 0, pointCount, refusal));
                continue;
            }

            stored.Add((batch.PatrolId, batch.BatchId));
            var first = batch.Points[0].At;
            var lastAt = first;
            foreach (var p in batch.Points)
            {
                first = p.At < first ? p.At : first;
                lastAt = p.At > lastAt ? p.At : lastAt;
            }

            db.PatrolBatches.Add(new PatrolBatch
            {
                PatrolId = batch.PatrolId,
                BatchId = batch.BatchId,
                GridCode = patrol.GridCode,
                FirstAt = first,
                LastAt = lastAt,
                Count = batch.Points.Count,
                Points = TrackCodec.Encode(batch.Points),
                ReceivedAt = batch.Now,
            });
            added[patrol.Id] = (count + batch.Points.Count, count == 0 || lastAt > last ? lastAt : last);
            results.Add(new TrackBatchResult(TrackBatchOutcome.Stored, batch.Points.Count, pointCount + batch.Points.Count));
        }

        if (added.Count == 0)
        {
            return results;
        }

        db.SaveNewRows(acceptAllChanges: false);
        foreach (var (id, (count, last)) in added)
        {
            // Atomic and conditional: another instance's batch is added to, never overwritten, and an end committed since the
            // patrol was read (by another instance) leaves no row to update, which fails the group (then each batch alone,
            // which reads the patrol as ended and refuses it).
            var updated = db.Patrols.IgnoreQueryFilters().Where(p => p.Id == id && p.Status == PatrolStatus.Open)
                .ExecuteUpdate(s => s
                    .SetProperty(p => p.PointCount, p => p.PointCount + count)
                    .SetProperty(p => p.LastPointAt, p => p.LastPointAt == null || p.LastPointAt < last ? last : p.LastPointAt));
            if (updated != 1)
            {
                throw new DbUpdateConcurrencyException($"Patrol {id} ended while its points were being written.");
            }
        }

        transaction.Commit();
        return results;
    }

    private void RunEnd(PendingEnd end)
    {
        try
        {
            end.Done.TrySetResult(EndNowAsync(end).GetAwaiter().GetResult());
        }
        catch (Exception e)
        {
            end.Done.TrySetException(e);
        }
    }

    private async Task<PatrolEndOutcome> EndNowAsync(PendingEnd end)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            var patrol = await db.Patrols.IgnoreQueryFilters()
                .SingleOrDefaultAsync(p => p.Id == end.PatrolId && (end.WorkerId == null || p.WorkerId == end.WorkerId));
            if (patrol is null)
            {
                return PatrolEndOutcome.NotFound;
            }

            if (!patrol.IsOpen)
            {
                return PatrolEndOutcome.Closed;
            }

            await CloseAsync(db, patrol, end.At, bySystem: end.WorkerId is null);
            try
            {
                await db.SaveChangesAsync();
                return PatrolEndOutcome.Ended;
            }
            catch (DbUpdateConcurrencyException) when (attempt < EndAttempts)
            {
                // Points were committed (by another instance) after this measured the track: measure it again.
            }
        }
    }

    /// <summary>Ends a patrol at <paramref name="at"/> (null: at its last point, or its start when it has none) and adds its time per grid.</summary>
    private async Task CloseAsync(CivicGridDbContext db, Patrol patrol, DateTimeOffset? at, bool bySystem)
    {
        var points = (await PatrolTracks.LoadAsync(db, [patrol.Id], CancellationToken.None)).GetValueOrDefault(patrol.Id) ?? [];
        var summary = TrackFilter.Analyse(points, rules.Value);
        patrol.End(at ?? (points.Count > 0 ? points.Max(p => p.At) : patrol.StartedAt), summary, bySystem);
        var locate = PatrolTracks.Locator((await geography.GetAsync(CancellationToken.None)).Index);
        db.PatrolGridVisits.AddRange(PatrolTracks.Measure(patrol.Id, patrol.WorkerId, patrol.Day, summary, locate, rules.Value));
    }

    private abstract class TrackWork;

    private sealed class PendingBatch(Guid patrolId, Guid workerId, string batchId, IReadOnlyList<TrackPoint> points, DateTimeOffset now) : TrackWork
    {
        public Guid PatrolId { get; } = patrolId;
        public Guid WorkerId { get; } = workerId;
        public string BatchId { get; } = batchId;
        public IReadOnlyList<TrackPoint> Points { get; } = points;
        public DateTimeOffset Now { get; } = now;
        public TaskCompletionSource<TrackBatchResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class PendingEnd(Guid patrolId, Guid? workerId, DateTimeOffset? at) : TrackWork
    {
        public Guid PatrolId { get; } = patrolId;
        public Guid? WorkerId { get; } = workerId;
        public DateTimeOffset? At { get; } = at;
        public TaskCompletionSource<PatrolEndOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
