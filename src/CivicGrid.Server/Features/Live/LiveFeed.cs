using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Threading.Channels;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Live;

/// <summary>The <c>Live</c> section.</summary>
public sealed class LiveOptions
{
    public const string Section = "Live";

    /// <summary>How often this instance reads new events while someone listens (default 0.5 s: a new red case shows within a second).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:10")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How far back each read looks again (default 10 s): a transaction that committed late (its events carry the time they
    /// were written, before the commit) is still caught; events already sent are recognised by their id.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Lookback { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an idle stream sends a comment so that proxies keep it open (default 15 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long events are kept for late readers (a reconnecting screen's Last-Event-ID); the housekeeping job deletes older ones.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan Keep { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>One listener: its scope and the events waiting for it (the oldest dropped when a slow reader falls 1,000 behind).</summary>
public sealed class LiveSubscription(Scope scope) : IDisposable
{
    private readonly Channel<LiveEvent> _events = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(1000)
    {
        FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true,
    });

    internal Action<LiveSubscription>? OnDispose { get; set; }

    public Scope Scope { get; } = scope;

    public ChannelReader<LiveEvent> Events => _events.Reader;

    internal void Offer(LiveEvent e)
    {
        if (Scope.Covers(e.GridCode))
        {
            _events.Writer.TryWrite(e);
        }
    }

    public void Dispose()
    {
        _events.Writer.TryComplete();
        OnDispose?.Invoke(this);
    }
}

/// <summary>
/// Reads the live events every server instance writes (<see cref="LiveEvent"/>) while anyone listens on this instance,
/// and hands each to the listeners whose scope covers its grid. One read per poll for all listeners.
/// </summary>
public sealed class LiveFeed(IServiceScopeFactory scopes, IOptions<LiveOptions> options, TimeProvider time, ILogger<LiveFeed> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<LiveSubscription, byte> _listeners = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _sent = new();
    private readonly SemaphoreSlim _someone = new(0);
    private DateTimeOffset _readFrom = DateTimeOffset.MinValue;

    /// <summary>
    /// Starts listening for <paramref name="scope"/>; with <paramref name="lastEventId"/> (a reconnecting EventSource's
    /// Last-Event-ID), first the events after that one that are still kept.
    /// </summary>
    public async Task<LiveSubscription> SubscribeAsync(Scope scope, Guid? lastEventId, CancellationToken ct)
    {
        var subscription = new LiveSubscription(scope) { OnDispose = s => _listeners.TryRemove(s, out _) };
        if (lastEventId is { } last)
        {
            await using var serviceScope = scopes.CreateAsyncScope();
            var db = serviceScope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            var since = await db.LiveEvents.IgnoreQueryFilters().AsNoTracking().Where(e => e.Id == last).Select(e => (DateTimeOffset?)e.At).SingleOrDefaultAsync(ct);
            if (since is { } at)
            {
                var missed = await db.LiveEvents.IgnoreQueryFilters().AsNoTracking().Where(e => e.At >= at && e.Id != last).OrderBy(e => e.At).Take(1000)
                    .ToListAsync(ct);
                missed.ForEach(subscription.Offer);
            }
        }

        _listeners[subscription] = 0;
        _someone.Release();
        return subscription;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_listeners.IsEmpty)
                {
                    // Nobody listens: wait for someone, then start from now (the late reader asks with Last-Event-ID).
                    await _someone.WaitAsync(stoppingToken);
                    _readFrom = time.GetUtcNow() - settings.Lookback;
                }

                await ReadOnceAsync(settings, stoppingToken);
                await Task.Delay(settings.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
            {
                logger.LogWarning(e, "Reading live events failed; trying again");
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
            }
        }
    }

    /// <summary>One read: the events since the last read (looking back <see cref="LiveOptions.Lookback"/>) not sent yet, to every listener.</summary>
    internal async Task ReadOnceAsync(LiveOptions settings, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var from = _readFrom;
        await using var serviceScope = scopes.CreateAsyncScope();
        var db = serviceScope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var events = await db.LiveEvents.IgnoreQueryFilters().AsNoTracking().Where(e => e.At > from).OrderBy(e => e.At).Take(5000).ToListAsync(ct);
        foreach (var e in events)
        {
            if (!_sent.TryAdd(e.Id, e.At))
            {
                continue;
            }

            foreach (var listener in _listeners.Keys)
            {
                listener.Offer(e);
            }
        }

        // Next time from a little before now; forget what lies before that.
        _readFrom = events.Count == 5000 ? events[^1].At - settings.Lookback : now - settings.Lookback;
        foreach (var (id, at) in _sent)
        {
            if (at < _readFrom - settings.Lookback)
            {
                _sent.TryRemove(id, out _);
            }
        }
    }

    public override void Dispose()
    {
        _someone.Dispose();
        base.Dispose();
    }
}
