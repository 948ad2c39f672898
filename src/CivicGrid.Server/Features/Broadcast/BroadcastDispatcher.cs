using System.Text.Json;
using CivicGrid.Server.Features.Devices;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Broadcast;

/// <summary>What one dispatch round did.</summary>
public sealed record BroadcastRound(int Sent, int Retrying, int Failed, int LostToOthers);

/// <summary>The command a speaker receives (the signed body): read <see cref="Text"/> <see cref="Repeat"/> times, then acknowledge <see cref="Command"/>.</summary>
/// <param name="Command">The id to echo in the acknowledgement; the same on every retry, so a speaker reads a command once.</param>
/// <param name="Priority"><c>urgent</c> (interrupt what plays) or <c>normal</c> (queue it).</param>
public sealed record SpeakerCommand(Guid Command, string Type, Guid Broadcast, string Text, int Repeat, string Priority);

/// <summary>
/// Works off speakers' deliveries: sends each due one as a signed command (<see cref="DeviceCommands"/>), waits
/// <see cref="BroadcastOptions.AckTimeout"/> for the acknowledgement, sends again, and after
/// <see cref="BroadcastOptions.MaxAttempts"/> sends without an acknowledgement marks it failed. Each delivery is claimed
/// by a conditional UPDATE guarded by its state, its attempt count and a lease, so several instances sharing a database
/// never work on one at the same time, and one that dies mid-send leaves a lease that runs out. Deliveries live in the
/// database from the moment the broadcast is saved, so a restart loses none.
/// </summary>
public sealed class BroadcastDispatcher(IServiceScopeFactory scopes, DeviceCommands commands, IOptions<BroadcastOptions> options, TimeProvider time,
    ILogger<BroadcastDispatcher> logger) : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Dispose() => _wake.Dispose();

    /// <summary>This dispatcher's name on the leases it takes.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Asks the loop for a round now (a broadcast was just saved on this instance).</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    /// <summary>Waits for <paramref name="interval"/> or an earlier <see cref="Wake"/>.</summary>
    public Task WaitAsync(TimeSpan interval, CancellationToken ct) => _wake.WaitAsync(interval, ct);

    /// <summary>Claims and works one batch of due speaker deliveries.</summary>
    public async Task<BroadcastRound> DispatchDueAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var due = await Open(db.BroadcastDeliveries.IgnoreQueryFilters().AsNoTracking(), now)
            .OrderBy(d => d.NextAttemptAt).Select(d => new { d.Id, d.Attempts }).Take(settings.BatchSize).ToListAsync(ct);

        int sent = 0, retrying = 0, failed = 0, lost = 0;
        foreach (var seen in due)
        {
            var claimedAt = time.GetUtcNow();
            var leaseUntil = claimedAt + settings.LeaseDuration;
            var claimed = await Open(db.BroadcastDeliveries.IgnoreQueryFilters(), claimedAt).Where(d => d.Id == seen.Id && d.Attempts == seen.Attempts)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseOwner, InstanceId).SetProperty(d => d.LeaseUntil, leaseUntil), ct);
            if (claimed != 1)
            {
                lost++;
                continue;
            }

            var delivery = await db.BroadcastDeliveries.IgnoreQueryFilters().AsNoTracking().SingleAsync(d => d.Id == seen.Id, ct);
            switch (await WorkAsync(db, delivery, settings, ct))
            {
                case DeliveryState.Sent:
                    sent++;
                    break;
                case DeliveryState.Failed:
                    failed++;
                    break;
                default:
                    retrying++;
                    break;
            }
        }

        return new BroadcastRound(sent, retrying, failed, lost);
    }

    /// <summary>Speakers' deliveries not yet acknowledged nor failed, due and not held by a live lease.</summary>
    private static IQueryable<BroadcastDelivery> Open(IQueryable<BroadcastDelivery> deliveries, DateTimeOffset now) =>
        deliveries.Where(d => d.Kind == BroadcastTargetKind.Speaker && (d.State == DeliveryState.Pending || d.State == DeliveryState.Sent)
            && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now));

    private async Task<DeliveryState> WorkAsync(CivicGridDbContext db, BroadcastDelivery delivery, BroadcastOptions settings, CancellationToken ct)
    {
        if (delivery.Attempts >= settings.MaxAttempts)
        {
            var error = delivery.State == DeliveryState.Sent
                ? $"音柱在 {delivery.Attempts} 次发送后仍未确认收到。"
                : $"{delivery.Attempts} 次发送均未成功：{delivery.LastError}";
            await FailAsync(db, delivery, error);
            logger.LogWarning("Broadcast delivery {Delivery} to speaker {Device} failed: {Error}", delivery.Id, delivery.TargetCode, error);
            return DeliveryState.Failed;
        }

        var broadcast = await db.Broadcasts.IgnoreQueryFilters().AsNoTracking().SingleAsync(b => b.Id == delivery.BroadcastId, ct);
        var body = JsonSerializer.Serialize(new SpeakerCommand(delivery.Id, "broadcast", broadcast.Id, broadcast.Text, broadcast.Repeat,
            broadcast.Urgent ? "urgent" : "normal"), CommandJson);
        try
        {
            await commands.SendAsync(delivery.TargetCode, body, ct);
        }
        catch (DeviceCommandException e)
        {
            if (e.Permanent)
            {
                await FailAsync(db, delivery, e.Message, attempted: true);
                logger.LogWarning("Broadcast delivery {Delivery} to speaker {Device} failed: {Error}", delivery.Id, delivery.TargetCode, e.Message);
                return DeliveryState.Failed;
            }

            var retryAt = time.GetUtcNow() + settings.AckTimeout;
            await Mine(db, delivery).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Attempts, d => d.Attempts + 1)
                .SetProperty(d => d.NextAttemptAt, retryAt)
                .SetProperty(d => d.LastError, BroadcastDelivery.Truncate(e.Message))
                .SetProperty(d => d.LeaseOwner, (string?)null)
                .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
            logger.LogWarning("Broadcast delivery {Delivery} to speaker {Device} not sent (attempt {Attempt}): {Error}", delivery.Id, delivery.TargetCode,
                delivery.Attempts + 1, e.Message);
            return DeliveryState.Pending;
        }

        var now = time.GetUtcNow();
        var waitUntil = now + settings.AckTimeout;
        await Mine(db, delivery).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.State, DeliveryState.Sent)
            .SetProperty(d => d.Attempts, d => d.Attempts + 1)
            .SetProperty(d => d.SentAt, d => d.SentAt ?? now)
            .SetProperty(d => d.NextAttemptAt, waitUntil)
            .SetProperty(d => d.LastError, (string?)null)
            .SetProperty(d => d.LeaseOwner, (string?)null)
            .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
        logger.LogInformation("Broadcast command {Delivery} published to speaker {Device} (attempt {Attempt})", delivery.Id, delivery.TargetCode, delivery.Attempts + 1);
        return DeliveryState.Sent;
    }

    private Task<int> FailAsync(CivicGridDbContext db, BroadcastDelivery delivery, string error, bool attempted = false)
    {
        var now = time.GetUtcNow();
        var added = attempted ? 1 : 0;
        return Mine(db, delivery).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.State, DeliveryState.Failed)
            .SetProperty(d => d.Attempts, d => d.Attempts + added)
            .SetProperty(d => d.FailedAt, now)
            .SetProperty(d => d.LastError, BroadcastDelivery.Truncate(error))
            .SetProperty(d => d.LeaseOwner, (string?)null)
            .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
    }

    /// <summary>The delivery while this instance holds its lease and no acknowledgement overtook it.</summary>
    private IQueryable<BroadcastDelivery> Mine(CivicGridDbContext db, BroadcastDelivery delivery) =>
        db.BroadcastDeliveries.IgnoreQueryFilters().Where(d => d.Id == delivery.Id && d.LeaseOwner == InstanceId && d.State != DeliveryState.Acknowledged);

    private static readonly JsonSerializerOptions CommandJson = new(JsonSerializerOptions.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };
}

/// <summary>Runs <see cref="BroadcastDispatcher"/> every <see cref="BroadcastOptions.PollInterval"/>, or at once after a broadcast on this instance.</summary>
public sealed class BroadcastDispatcherService(BroadcastDispatcher dispatcher, IOptions<BroadcastOptions> options, ILogger<BroadcastDispatcherService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                BroadcastRound round;
                do
                {
                    round = await dispatcher.DispatchDueAsync(stoppingToken);
                }
                while (round.Sent + round.Retrying + round.Failed >= options.Value.BatchSize && !stoppingToken.IsCancellationRequested);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Broadcast dispatch round failed; trying again in {Interval}", options.Value.PollInterval);
            }

            try
            {
                await dispatcher.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
