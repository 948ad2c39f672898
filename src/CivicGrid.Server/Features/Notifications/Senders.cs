using CivicGrid.Server.Infrastructure.Privacy;

namespace CivicGrid.Server.Features.Notifications;

/// <param name="MessageId">Stable across retries: the provider (or our gateway) drops a message id it has seen.</param>
public sealed record SmsMessage(string MessageId, string PhoneNumber, string TemplateCode, IReadOnlyDictionary<string, string> Parameters);

/// <param name="MessageId">Stable across retries: the receiving side drops a message id it has seen.</param>
public sealed record WeChatTemplateMessage(string MessageId, string OpenId, string TemplateCode, IReadOnlyDictionary<string, string> Data);

/// <param name="MessageId">Stable across retries: the district's system drops a message id it has seen.</param>
/// <param name="Attempt">This attempt's number, from 1, for the delivery log.</param>
public sealed record DistrictWebhookMessage(string MessageId, string TemplateCode, IReadOnlyDictionary<string, string> Parameters, int Attempt);

/// <summary>Sends one signed webhook to the district's system. Throws on failure (no answer, not 2xx); the outbox retries.</summary>
public interface IDistrictWebhookSender
{
    Task SendAsync(DistrictWebhookMessage message, CancellationToken ct);
}

/// <summary>Sends one SMS by template. Throws when the provider refuses or cannot be reached; the outbox retries.</summary>
public interface ISmsSender
{
    /// <returns>The provider's id of the accepted message (Aliyun <c>BizId</c>, Tencent <c>SerialNo</c>) that receipts name; null when none.</returns>
    Task<string?> SendAsync(SmsMessage message, CancellationToken ct);
}

/// <summary>What the SMS rules (<c>Features/Sms</c>) decide about a due SMS before it is sent.</summary>
public enum SmsGateDecision
{
    Send,

    /// <summary>The number is not verified yet: keep the message until it is, or until it is dropped.</summary>
    Hold,

    /// <summary>Never send it (a daily cap, a number never verified, not a mobile number); recorded with the reason.</summary>
    Refuse,
}

/// <summary>The SMS rules the dispatcher asks before each SMS, when registered.</summary>
public interface ISmsGate
{
    /// <returns>The decision, the reason for a refusal, and until when a held message waits.</returns>
    Task<(SmsGateDecision Decision, string? Reason, DateTimeOffset? HoldUntil)> CheckAsync(Infrastructure.Persistence.CivicGridDbContext db, OutboxMessage message,
        DateTimeOffset now, CancellationToken ct);
}

/// <summary>
/// A sender's answer that retrying cannot change (the recipient refused the channel, no template for the step): the outbox
/// marks the message failed at once, with this message as its error.
/// </summary>
public sealed class PermanentSendException(string message) : Exception(message);

/// <summary>Sends one WeChat official-account template message. Throws on failure; the outbox retries.</summary>
public interface IWeChatTemplateSender
{
    Task SendAsync(WeChatTemplateMessage message, CancellationToken ct);
}

/// <summary>The default until a provider is configured: writes the message to the log, the number masked.</summary>
public sealed class LoggingSmsSender(ILogger<LoggingSmsSender> logger) : ISmsSender
{
    public Task<string?> SendAsync(SmsMessage message, CancellationToken ct)
    {
        logger.LogInformation("SMS {MessageId} to {Phone}: template {Template} {Parameters}", message.MessageId, Masking.Phone(message.PhoneNumber),
            message.TemplateCode, string.Join("; ", message.Parameters.Select(p => $"{p.Key}={p.Value}")));
        return Task.FromResult<string?>(null);
    }
}

/// <summary>The default until the official account is configured: writes the message to the log, the openid masked.</summary>
public sealed class LoggingWeChatSender(ILogger<LoggingWeChatSender> logger) : IWeChatTemplateSender
{
    public Task SendAsync(WeChatTemplateMessage message, CancellationToken ct)
    {
        logger.LogInformation("WeChat template {MessageId} to {OpenId}: template {Template} {Data}", message.MessageId, OutboxAddresses.Mask(OutboxChannel.WeChat, message.OpenId),
            message.TemplateCode, string.Join("; ", message.Data.Select(p => $"{p.Key}={p.Value}")));
        return Task.CompletedTask;
    }
}

public static class OutboxAddresses
{
    /// <summary>A recipient as it may appear in logs: 138****1234 for a phone, the first four characters of an openid.</summary>
    public static string Mask(OutboxChannel channel, string address) => channel switch
    {
        OutboxChannel.Sms => Masking.Phone(address) ?? string.Empty,
        OutboxChannel.DistrictWebhook => address,
        _ => address.Length > 4 ? string.Concat(address.AsSpan(0, 4), "****") : "****",
    };
}
