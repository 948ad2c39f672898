using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Notifications;

/// <summary>What one dispatch round did.</summary>
public sealed record OutboxRound(int Sent, int Retrying, int Failed, int LostToOthers);

/// <summary>
/// Delivers due outbox messages through <see cref="ISmsSender"/>, <see cref="IWeChatTemplateSender"/> and
/// <see cref="IDistrictWebhookSender"/>.
/// Each message is first claimed by a conditional UPDATE (pending, due, no live lease → this instance's lease;
/// one row affected means it is ours), so several server instances sharing a PostgreSQL database never send a
/// message at the same time. A failure is retried with exponential back-off up to <see cref="OutboxOptions.MaxAttemptsOf"/>,
/// then the message is marked failed and logged. If an instance dies between sending and recording it, the lease
/// runs out and the message is sent again with the same <see cref="OutboxMessage.MessageId"/>, which the receiving
/// side uses to drop the repeat.
/// </summary>
public sealed class OutboxDispatcher(IServiceScopeFactory scopes, ISmsSender sms, IWeChatTemplateSender weChat, IDistrictWebhookSender district, IOptions<OutboxOptions> options,
    TimeProvider time, Metrics.CivicGridMetrics metrics, ILogger<OutboxDispatcher> logger)
{
    /// <summary>This dispatcher's name on the leases it takes.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Claims and sends up to one batch of due messages.</summary>
    public async Task<OutboxRound> DispatchDueAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var due = await db.OutboxMessages.AsNoTracking()
            .Where(m => (m.State == OutboxState.Pending || m.State == OutboxState.Held) && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .OrderBy(m => m.NextAttemptAt).Select(m => m.Id).Take(settings.BatchSize).ToListAsync(ct);

        int sent = 0, retrying = 0, failed = 0, lost = 0;
        foreach (var id in due)
        {
            var claimedAt = time.GetUtcNow();
            var leaseUntil = claimedAt + settings.LeaseDuration;
            var claimed = await db.OutboxMessages
                .Where(m => m.Id == id && (m.State == OutboxState.Pending || m.State == OutboxState.Held) && m.NextAttemptAt <= claimedAt
                    && (m.LeaseUntil == null || m.LeaseUntil < claimedAt))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.LeaseOwner, InstanceId)
                    .SetProperty(m => m.LeaseUntil, leaseUntil)
                    .SetProperty(m => m.Attempts, m => m.Attempts + 1), ct);
            if (claimed != 1)
            {
                lost++;
                continue;
            }

            var message = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id, ct);
            var outcome = message.Channel == OutboxChannel.Sms && scope.ServiceProvider.GetService<ISmsGate>() is { } gate
                ? await GateAsync(db, gate, message, ct) ?? await SendAsync(db, message, settings, ct)
                : await SendAsync(db, message, settings, ct);
            metrics.OutboxSent(message.Channel, outcome);
            switch (outcome)
            {
                case OutboxState.Sent:
                    sent++;
                    break;
                case OutboxState.Failed or OutboxState.Refused:
                    failed++;
                    break;
                case OutboxState.Held:
                    break;
                default:
                    retrying++;
                    break;
            }
        }

        return new OutboxRound(sent, retrying, failed, lost);
    }

    /// <summary>The SMS rules: null to send now; else the message was held (not an attempt) or refused, and its new state.</summary>
    private async Task<OutboxState?> GateAsync(CivicGridDbContext db, ISmsGate gate, OutboxMessage message, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var (decision, reason, holdUntil) = await gate.CheckAsync(db, message, now, ct);
        switch (decision)
        {
            case SmsGateDecision.Hold:
                await Mine(db, message).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.State, OutboxState.Held)
                    .SetProperty(m => m.NextAttemptAt, holdUntil ?? now)
                    .SetProperty(m => m.Attempts, m => m.Attempts - 1)
                    .SetProperty(m => m.LeaseOwner, (string?)null)
                    .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
                logger.LogInformation("SMS {MessageId} held until its number is verified", message.MessageId);
                return OutboxState.Held;
            case SmsGateDecision.Refuse:
                await Mine(db, message).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.State, OutboxState.Refused)
                    .SetProperty(m => m.FailedAt, now)
                    .SetProperty(m => m.LastError, reason)
                    .SetProperty(m => m.Attempts, m => m.Attempts - 1)
                    .SetProperty(m => m.LeaseOwner, (string?)null)
                    .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
                logger.LogWarning("SMS {MessageId} to {Recipient} refused: {Reason}", message.MessageId, OutboxAddresses.Mask(message.Channel, message.Recipient), reason);
                return OutboxState.Refused;
            default:
                return null;
        }
    }

    private async Task<OutboxState> SendAsync(CivicGridDbContext db, OutboxMessage message, OutboxOptions settings, CancellationToken ct)
    {
        var recipient = OutboxAddresses.Mask(message.Channel, message.Recipient);
        string? providerId = null;
        try
        {
            if (message.Channel != OutboxChannel.DistrictWebhook && await OptedOutAsync(db, message, ct))
            {
                throw new PermanentSendException("收件人已在“我的消息设置”中关闭该渠道，未发送。");
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(settings.SendTimeout);
            var parameters = message.Parameters();
            switch (message.Channel)
            {
                case OutboxChannel.Sms:
                    providerId = await sms.SendAsync(new SmsMessage(message.MessageId, message.Recipient, message.TemplateCode, parameters), timeout.Token);
                    break;
                case OutboxChannel.DistrictWebhook:
                    await district.SendAsync(new DistrictWebhookMessage(message.MessageId, message.TemplateCode, parameters, message.Attempts), timeout.Token);
                    break;
                default:
                    await weChat.SendAsync(new WeChatTemplateMessage(message.MessageId, message.Recipient, message.TemplateCode, parameters), timeout.Token);
                    break;
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var error = Notification.Truncate($"{e.GetType().Name}: {e.Message}".Replace(message.Recipient, recipient, StringComparison.Ordinal), OutboxMessage.MaxErrorLength);
            if (e is PermanentSendException || message.Attempts >= settings.MaxAttemptsOf(message.Channel))
            {
                await Mine(db, message).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.State, OutboxState.Failed)
                    .SetProperty(m => m.FailedAt, now)
                    .SetProperty(m => m.LastError, error)
                    .SetProperty(m => m.LeaseOwner, (string?)null)
                    .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
                logger.LogError(e, "{Channel} message {MessageId} to {Recipient} failed for good after {Attempts} attempts", message.Channel,
                    message.MessageId, recipient, message.Attempts);
                return OutboxState.Failed;
            }

            var next = now + settings.BackOff(message.Attempts);
            await Mine(db, message).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.NextAttemptAt, next)
                .SetProperty(m => m.LastError, error)
                .SetProperty(m => m.LeaseOwner, (string?)null)
                .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
            logger.LogWarning("{Channel} message {MessageId} to {Recipient} failed (attempt {Attempts}), next attempt at {Next}: {Error}", message.Channel,
                message.MessageId, recipient, message.Attempts, next, error);
            return OutboxState.Pending;
        }

        // The provider's acceptance (its message id) is recorded in the same statement that marks the message sent.
        var sentAt = time.GetUtcNow();
        await Mine(db, message).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.State, OutboxState.Sent)
            .SetProperty(m => m.SentAt, sentAt)
            .SetProperty(m => m.ProviderMessageId, providerId)
            .SetProperty(m => m.LastError, (string?)null)
            .SetProperty(m => m.LeaseOwner, (string?)null)
            .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
        logger.LogInformation("{Channel} message {MessageId} sent to {Recipient}", message.Channel, message.MessageId, recipient);
        return OutboxState.Sent;
    }

    /// <summary>True when the user whose address this is turned the channel off (我的消息设置) after the message was written.</summary>
    private static async Task<bool> OptedOutAsync(CivicGridDbContext db, OutboxMessage message, CancellationToken ct)
    {
        // Addresses are sealed (no comparison in SQL); the opted-out ones of a channel are few.
        var off = await db.UserChannelAddresses.IgnoreQueryFilters().AsNoTracking().Where(a => a.Channel == message.Channel && a.OptedOut)
            .Select(a => a.Address).ToListAsync(ct);
        return off.Contains(message.Recipient, StringComparer.Ordinal);
    }

    /// <summary>The message while this instance still holds its lease.</summary>
    private IQueryable<OutboxMessage> Mine(CivicGridDbContext db, OutboxMessage message) =>
        db.OutboxMessages.Where(m => m.Id == message.Id && m.LeaseOwner == InstanceId);
}

/// <summary>Runs <see cref="OutboxDispatcher"/> every <see cref="OutboxOptions.PollInterval"/> while the server runs.</summary>
public sealed class OutboxDispatcherService(OutboxDispatcher dispatcher, IOptions<OutboxOptions> options, TimeProvider time,
    ILogger<OutboxDispatcherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("Outbox dispatcher disabled on this instance (Outbox:Enabled=false)");
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                OutboxRound round;
                do
                {
                    round = await dispatcher.DispatchDueAsync(stoppingToken);
                }
                while (round.Sent + round.Retrying + round.Failed >= options.Value.BatchSize && !stoppingToken.IsCancellationRequested);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Outbox dispatch round failed; trying again in {Interval}", options.Value.PollInterval);
            }

            try
            {
                await Task.Delay(options.Value.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
