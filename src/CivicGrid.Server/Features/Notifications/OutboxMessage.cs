using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CivicGrid.Server.Features.Notifications;

/// <summary>External channels a notification can leave the server by.</summary>
public enum OutboxChannel
{
    /// <summary>SMS to a mobile number, by an approved template.</summary>
    Sms = 1,

    /// <summary>WeChat official-account template message to an openid.</summary>
    WeChat = 2,

    /// <summary>A signed webhook to the district's system (a red case handed over); the recipient is <c>district</c>.</summary>
    DistrictWebhook = 3,
}

public enum OutboxState
{
    /// <summary>Waiting for its (next) attempt.</summary>
    Pending = 0,

    Sent = 1,

    /// <summary>Given up after the configured number of attempts; logged.</summary>
    Failed = 2,

    /// <summary>An SMS to a number not yet verified: sent once it is, refused when <see cref="OutboxMessage.NextAttemptAt"/> passes first.</summary>
    Held = 3,

    /// <summary>Never sent by rule (a daily cap, a number never verified); <see cref="OutboxMessage.LastError"/> says which.</summary>
    Refused = 4,
}

/// <summary>What the provider's delivery receipt said about an accepted SMS.</summary>
public enum DeliveryState
{
    Delivered = 1,
    Undelivered = 2,
}

/// <summary>
/// A message for an external channel (SMS, WeChat), written in the same transaction as the change it reports and
/// delivered later by <see cref="OutboxDispatcher"/>. Delivery is at least once; <see cref="MessageId"/> is
/// deterministic and passed to the provider, so the receiving side drops a repeat.
/// </summary>
public sealed class OutboxMessage
{
    public const int MaxRecipientLength = 128;
    public const int MaxErrorLength = 1000;

    private OutboxMessage()
    {
        MessageId = null!;
        Recipient = null!;
        TemplateCode = null!;
        ParametersJson = null!;
    }

    public OutboxMessage(string messageId, OutboxChannel channel, string recipient, string templateCode,
        IReadOnlyDictionary<string, string> parameters, string? caseNumber, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        ArgumentException.ThrowIfNullOrWhiteSpace(templateCode);
        Id = Guid.CreateVersion7();
        MessageId = messageId;
        Channel = channel;
        Recipient = recipient.Trim();
        TemplateCode = templateCode;
        ParametersJson = JsonSerializer.Serialize(new SortedDictionary<string, string>(parameters.ToDictionary(), StringComparer.Ordinal), Json);
        CaseNumber = caseNumber;
        CreatedAt = createdAt;
        NextAttemptAt = createdAt;
        State = OutboxState.Pending;
    }

    public Guid Id { get; private set; }

    /// <summary>Deterministic id from the cause, the channel and the recipient (<see cref="MessageIdFor"/>); unique.</summary>
    public string MessageId { get; private set; }

    public OutboxChannel Channel { get; private set; }

    /// <summary>Phone number or openid; personal data, masked whenever logged.</summary>
    public string Recipient { get; private set; }

    /// <summary>The provider-side template, e.g. <c>case-progress</c>; see <see cref="OutboxTemplates"/>.</summary>
    public string TemplateCode { get; private set; }

    /// <summary>The template's parameters as a JSON object of strings.</summary>
    public string ParametersJson { get; private set; }

    public string? CaseNumber { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public OutboxState State { get; private set; }

    /// <summary>Attempts started so far (counted when a dispatcher claims the message).</summary>
    public int Attempts { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>The dispatcher instance holding the message while it sends it.</summary>
    public string? LeaseOwner { get; private set; }

    public DateTimeOffset? LeaseUntil { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public DateTimeOffset? FailedAt { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The provider's id of the accepted message (Aliyun <c>BizId</c>, Tencent <c>SerialNo</c>): set when it accepted it, with <see cref="SentAt"/>.</summary>
    public string? ProviderMessageId { get; private set; }

    /// <summary>The delivery receipt's verdict, once it came.</summary>
    public DeliveryState? Delivery { get; private set; }

    public DateTimeOffset? DeliveredAt { get; private set; }

    /// <summary>The provider's or carrier's code on the receipt (<c>DELIVERED</c>, <c>DELIVRD</c>, <c>MK:0001</c>…).</summary>
    public string? DeliveryCode { get; private set; }

    public const int MaxProviderIdLength = 100;

    /// <summary>A message sent right away, outside the dispatcher (a verification code): recorded as sent, to count against the caps.</summary>
    public void RecordSent(string? providerMessageId, DateTimeOffset at)
    {
        State = OutboxState.Sent;
        Attempts = 1;
        SentAt = at;
        ProviderMessageId = providerMessageId;
    }

    /// <summary>A message sent right away that the provider refused: recorded, not retried (the person asks again).</summary>
    public void RecordFailed(string error, DateTimeOffset at)
    {
        State = OutboxState.Failed;
        Attempts = 1;
        FailedAt = at;
        LastError = Notification.Truncate(error, MaxErrorLength);
    }

    /// <summary>A message sent right away that a rule stopped (a daily cap): recorded as refused, with the reason.</summary>
    public void RecordRefused(string reason, DateTimeOffset at)
    {
        State = OutboxState.Refused;
        FailedAt = at;
        LastError = Notification.Truncate(reason, MaxErrorLength);
    }

    /// <summary>The provider's delivery receipt; a later receipt replaces an earlier one.</summary>
    public void RecordDelivery(bool delivered, string? code, DateTimeOffset at)
    {
        Delivery = delivered ? DeliveryState.Delivered : DeliveryState.Undelivered;
        DeliveryCode = code is null ? null : Notification.Truncate(code, MaxProviderIdLength);
        DeliveredAt = at;
    }

    /// <summary>The longest template parameter kept; providers cap theirs lower still, per template.</summary>
    public const int MaxParameterLength = 500;

    /// <summary>Chinese stays readable in the stored JSON (and within its length).</summary>
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    public IReadOnlyDictionary<string, string> Parameters() =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(ParametersJson) ?? [];

    /// <summary>
    /// The message id for a cause (<paramref name="sourceKey"/>, e.g. <c>case:{id}:{sequence}</c>), a channel and a
    /// recipient: the same inputs always give the same id, so a message derived twice or sent twice is one message.
    /// </summary>
    public static string MessageIdFor(string sourceKey, OutboxChannel channel, string recipient)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{sourceKey}\n{channel}\n{recipient.Trim()}"));
        return "cg-" + Convert.ToHexStringLower(bytes)[..40];
    }
}

/// <summary>Template codes the SMS and WeChat providers have approved, and their parameters.</summary>
public static class OutboxTemplates
{
    /// <summary>您反映的问题（编号 ${number}）有新进展：${text}. Parameters <c>number</c>, <c>text</c>.</summary>
    public const string CaseProgress = "case-progress";

    /// <summary>Staff: ${title}：${text}. Parameters <c>number</c>, <c>title</c>, <c>text</c>.</summary>
    public const string CaseTask = "case-task";

    /// <summary>A red case handed to the district. Parameter <c>referralId</c>; the payload is built from the referral when sent.</summary>
    public const string DistrictReferral = "district-referral";
}
