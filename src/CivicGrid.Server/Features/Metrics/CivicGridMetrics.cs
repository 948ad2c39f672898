using System.Collections.Frozen;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Cases.Duplicates;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Jobs;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Spatial.Indexing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace CivicGrid.Server.Features.Metrics;

/// <summary>
/// The server's own instruments on the meter <c>CivicGrid</c> (see ADR 0029): intake by door, the writer's batches,
/// idempotent answers, routing, the outbox, scheduled jobs and the open-case index. Labels are low-cardinality by
/// construction: enum names and job names, never a case number, a grid code, a user or a device.
/// </summary>
/// <remarks>
/// Recording is cheap enough for intake's hot path: every label is a <see cref="KeyValuePair{TKey,TValue}"/> built once
/// (the two- and three-tag <c>Add</c> overloads take them without an array), and with no listener (metrics disabled)
/// an instrument's <c>Add</c> returns at once.
/// </remarks>
public sealed class CivicGridMetrics
{
    public const string MeterName = "CivicGrid";

    /// <summary>How long the outbox's pending count is reused between scrapes (it is one indexed count query).</summary>
    public static readonly TimeSpan OutboxCountFor = TimeSpan.FromSeconds(5);

    private static readonly Labels<IntakeDoor> Doors = new("door");
    private static readonly Labels<CaseTier> Tiers = new("tier");
    private static readonly Labels<RoutingMethod> Methods = new("method");
    private static readonly Labels<LocateConfidence> Confidences = new("confidence");
    private static readonly Labels<OutboxChannel> Channels = new("channel");
    private static readonly Labels<JobRunOutcome> JobOutcomes = new("outcome");
    private static readonly KeyValuePair<string, object?> Located = new("outcome", "located");
    private static readonly KeyValuePair<string, object?> Unlocated = new("outcome", "unlocated");
    private static readonly KeyValuePair<string, object?> Replayed = new("outcome", "replayed");
    private static readonly KeyValuePair<string, object?> InProgress = new("outcome", "in-progress");
    private static readonly KeyValuePair<string, object?> KeyReused = new("outcome", "key-reused");
    private static readonly KeyValuePair<string, object?> Delivered = new("outcome", "delivered");
    private static readonly KeyValuePair<string, object?> Retry = new("outcome", "retry");
    private static readonly KeyValuePair<string, object?> Failed = new("outcome", "failed");

    private readonly Counter<long> _casesCreated;
    private readonly Counter<long> _reportsRefused;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitDuration;
    private readonly Counter<long> _idempotentAnswers;
    private readonly Counter<long> _routed;
    private readonly Histogram<double> _routingDuration;
    private readonly Counter<long> _outboxSends;
    private readonly Counter<long> _jobRuns;
    private readonly Histogram<double> _jobDuration;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly Lock _outboxGate = new();
    private (DateTimeOffset At, Measurement<long>[] Counts)? _outboxPending;
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbTransaction, List<(IntakeDoor Door, CaseTier Tier)>> _uncommitted = [];

    public CivicGridMetrics(IMeterFactory meters, IServiceScopeFactory scopes, OpenCaseIndex openCases, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(openCases);
        _scopes = scopes;
        _time = time;
        var meter = meters.Create(MeterName);
        _casesCreated = meter.CreateCounter<long>("civicgrid.intake.cases", "{case}", "Cases stored by intake, by door and initial tier");
        _reportsRefused = meter.CreateCounter<long>("civicgrid.intake.refused", "{report}",
            "Reports intake refused after validation (unknown category, missing photo, outside every grid), by door and field");
        _batchSize = meter.CreateHistogram("civicgrid.intake.writer.batch.size", "{case}", "Reports the intake writer stored in one transaction",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        _commitDuration = meter.CreateHistogram("civicgrid.intake.writer.commit.duration", "s",
            "Time the intake writer took to number, insert and commit one batch", advice: Seconds);
        _idempotentAnswers = meter.CreateCounter<long>("civicgrid.idempotency.answers", "{request}",
            "Keyed requests answered from the idempotency store: replayed, in-progress (409) or key-reused (422)");
        _routed = meter.CreateCounter<long>("civicgrid.routing.reports", "{report}", "Reports routed, by outcome, method and confidence");
        _routingDuration = meter.CreateHistogram("civicgrid.routing.duration", "s", "Time to route one report on the geography snapshot", advice: Seconds);
        _outboxSends = meter.CreateCounter<long>("civicgrid.outbox.sends", "{message}", "Outbox send attempts, by channel and outcome (delivered, retry, failed)");
        meter.CreateObservableGauge("civicgrid.outbox.pending", ObserveOutboxPending, "{message}", "Outbox messages waiting for delivery, by channel");
        _jobRuns = meter.CreateCounter<long>("civicgrid.jobs.runs", "{run}", "Scheduled job runs on this instance, by job and outcome");
        _jobDuration = meter.CreateHistogram("civicgrid.jobs.duration", "s", "Duration of a scheduled job run, by job", advice: Seconds);
        meter.CreateObservableGauge("civicgrid.open_cases.index.size", () => (long)openCases.Count, "{case}",
            "Open cases held in this instance's in-memory index for duplicate search");
    }

    /// <summary>Bucket bounds for durations, from 0.1 ms to 10 s.</summary>
    private static InstrumentAdvice<double> Seconds { get; } = new()
    {
        HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    /// <summary>A case stored by intake and committed.</summary>
    public void CaseCreated(IntakeDoor door, CaseTier tier) => _casesCreated.Add(1, Doors[door], Tiers[tier]);

    /// <summary>
    /// A case stored in the transaction the caller holds open on <paramref name="db"/> (an import's all-or-nothing): counted
    /// when that transaction commits (see <see cref="CommitCounter"/>), never if it rolls back.
    /// </summary>
    public void CaseCreatedOnCommit(CivicGridDbContext db, IntakeDoor door, CaseTier tier)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.CurrentTransaction?.GetDbTransaction() is not { } transaction)
        {
            CaseCreated(door, tier);
            return;
        }

        var cases = _uncommitted.GetValue(transaction, _ => []);
        lock (cases)
        {
            cases.Add((door, tier));
        }
    }

    /// <summary>The EF interceptor that counts <see cref="CaseCreatedOnCommit"/>'s cases once their transaction committed.</summary>
    public IInterceptor CommitCounter => field ??= new CommitHook(this);

    /// <summary>A report intake refused; <paramref name="field"/> is the refusing check's field (a fixed set of names).</summary>
    public void ReportRefused(IntakeDoor door, string field) => _reportsRefused.Add(1, Doors[door], new KeyValuePair<string, object?>("field", field));

    /// <summary>One batch of the intake writer committed; <paramref name="started"/> is its <see cref="Stopwatch.GetTimestamp"/>.</summary>
    public void WriterCommitted(int reports, long started)
    {
        _batchSize.Record(reports);
        _commitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>A report routed; <paramref name="started"/> is the <see cref="Stopwatch.GetTimestamp"/> before routing.</summary>
    /// <param name="started">When the routing began; null for an answer the channel routed itself (Open311), counted but not timed.</param>
    public void Routed(RoutingAnswer answer, long? started)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (started is { } at)
        {
            _routingDuration.Record(Stopwatch.GetElapsedTime(at).TotalSeconds);
        }

        _routed.Add(1, answer.GridCode is null ? Unlocated : Located, Methods[answer.Method], Confidences[answer.Confidence]);
    }

    /// <summary>
    /// Counts an answer the idempotency store gave instead of running the endpoint (a replay, a 409 while the first runs, a
    /// 422 for a key reused on another request) and returns it unchanged.
    /// </summary>
    public IResult IdempotentAnswer(IResult answer)
    {
        _idempotentAnswers.Add(1, (answer as IStatusCodeHttpResult)?.StatusCode switch
        {
            StatusCodes.Status409Conflict => InProgress,
            StatusCodes.Status422UnprocessableEntity => KeyReused,
            _ => Replayed,
        });
        return answer;
    }

    /// <summary>One outbox send attempt ended: <see cref="OutboxState.Sent"/>, <see cref="OutboxState.Failed"/> for good, or pending for a retry.</summary>
    public void OutboxSent(OutboxChannel channel, OutboxState outcome) =>
        _outboxSends.Add(1, Channels[channel], outcome switch { OutboxState.Sent => Delivered, OutboxState.Failed or OutboxState.Refused => Failed, _ => Retry });

    /// <summary>A job this instance claimed has ended.</summary>
    public void JobRan(string job, JobRunOutcome outcome, TimeSpan duration)
    {
        var name = new KeyValuePair<string, object?>("job", job);
        _jobRuns.Add(1, name, JobOutcomes[outcome]);
        _jobDuration.Record(duration.TotalSeconds, name);
    }

    private IEnumerable<Measurement<long>> ObserveOutboxPending()
    {
        var now = _time.GetUtcNow();
        lock (_outboxGate)
        {
            if (_outboxPending is { } cached && now - cached.At < OutboxCountFor)
            {
                return cached.Counts;
            }
        }

        using var scope = _scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var pending = db.OutboxMessages.IgnoreQueryFilters().AsNoTracking().Where(m => m.State == OutboxState.Pending)
            .GroupBy(m => m.Channel).Select(g => new { Channel = g.Key, Count = g.LongCount() }).ToDictionary(g => g.Channel, g => g.Count);
        var counts = Enum.GetValues<OutboxChannel>().Select(c => new Measurement<long>(pending.GetValueOrDefault(c), Channels[c])).ToArray();
        lock (_outboxGate)
        {
            _outboxPending = (now, counts);
        }

        return counts;
    }

    private void Committed(DbTransaction transaction)
    {
        if (!_uncommitted.TryGetValue(transaction, out var cases))
        {
            return;
        }

        _uncommitted.Remove(transaction);
        lock (cases)
        {
            foreach (var (door, tier) in cases)
            {
                CaseCreated(door, tier);
            }
        }
    }

    private sealed class CommitHook(CivicGridMetrics metrics) : DbTransactionInterceptor
    {
        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => metrics.Committed(transaction);

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            metrics.Committed(transaction);
            return Task.CompletedTask;
        }
    }

    /// <summary>One label's values for an enum, built once: its API names (kebab-case).</summary>
    private sealed class Labels<T>(string key)
        where T : struct, Enum
    {
        private readonly FrozenDictionary<T, KeyValuePair<string, object?>> _tags =
            Enum.GetValues<T>().ToFrozenDictionary(v => v, v => new KeyValuePair<string, object?>(key, ApiEnums.Name(v)));

        public KeyValuePair<string, object?> this[T value] =>
            _tags.TryGetValue(value, out var tag) ? tag : new KeyValuePair<string, object?>(key, "other");
    }
}
