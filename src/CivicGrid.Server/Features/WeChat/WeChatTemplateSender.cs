using System.Globalization;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.WeChat;

/// <summary>
/// Sends the outbox's WeChat messages as official-account template messages (<c>POST /cgi-bin/message/template/send</c>),
/// the template chosen by the case's step (<see cref="WeChatSteps"/>, ids in <c>WeChat:Templates</c>) with a link back to
/// the case page. Each answer is recorded (<see cref="WeChatTemplateDelivery"/>): a message WeChat accepted is never sent
/// again, whatever the outbox retries; its <c>msgid</c> is kept. The outbox message id goes along as <c>client_msg_id</c>,
/// so WeChat itself drops a repeat sent by an instance that died before recording the answer. 40001/42001 refresh the
/// access token once and retry; 43101 (the resident refused the account's messages) is recorded and not retried.
/// </summary>
public sealed class WeChatTemplateSender(IServiceScopeFactory scopes, WeChatApiClient api, WeChatCredentials credentials, IOptions<WeChatOptions> options,
    TimeProvider time, ILogger<WeChatTemplateSender> logger) : IWeChatTemplateSender
{
    /// <summary>43101: the user refused to receive messages from this account (拒收).</summary>
    public const int UserRefused = 43101;

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public async Task SendAsync(WeChatTemplateMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        if (await db.WeChatTemplateDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.MessageId == message.MessageId, ct) is { } earlier)
        {
            logger.LogInformation("WeChat template {MessageId} was answered before ({Outcome}); not sent again", message.MessageId, earlier.Outcome);
            return;
        }

        var request = Build(message);
        long msgId;
        try
        {
            msgId = await credentials.WithAccessTokenAsync(token => api.SendTemplateAsync(token, request, ct), ct);
        }
        catch (WeChatApiException e) when (e.ErrCode == UserRefused)
        {
            await RecordAsync(db, new WeChatTemplateDelivery(message.MessageId, "refused", null, e.ErrCode, time.GetUtcNow()));
            throw new PermanentSendException("居民已拒收公众号消息（43101），不再重试。");
        }

        await RecordAsync(db, new WeChatTemplateDelivery(message.MessageId, "sent", msgId, 0, time.GetUtcNow()));
    }

    /// <summary>The request for a message: its template by step, the fields by <see cref="WeChatOptions.Fields"/>, the case link.</summary>
    public WeChatTemplateRequest Build(WeChatTemplateMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var data = message.Data;
        var key = message.TemplateCode == OutboxTemplates.CaseTask ? "task" : WeChatSteps.TemplateKeyOf(data.GetValueOrDefault("step"));
        if (!settings.Templates.TryGetValue(key, out var templateId) && !(key != "task" && settings.Templates.TryGetValue("progress", out templateId)))
        {
            throw new PermanentSendException($"未配置“{key}”步骤的微信模板（WeChat:Templates:{key}），该消息不经微信发送。");
        }

        var number = data.GetValueOrDefault("number") ?? string.Empty;
        var at = DateTimeOffset.TryParse(data.GetValueOrDefault("at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : time.GetUtcNow();
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["number"] = number,
            ["step"] = key == "task" ? Cut(data.GetValueOrDefault("title") ?? "待办", 5) : WeChatSteps.NameOf(key),
            ["time"] = at.ToOffset(Beijing).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture),
            // thing.DATA holds at most 20 characters.
            ["text"] = Cut(data.GetValueOrDefault("text") ?? string.Empty, 20),
        };
        var fields = values.Where(v => settings.Fields.ContainsKey(v.Key))
            .ToDictionary(v => settings.Fields[v.Key], v => new WeChatTemplateValue(v.Value), StringComparer.Ordinal);
        return new WeChatTemplateRequest(message.OpenId, templateId, CaseLink(number, key == "task"), message.MessageId, fields);
    }

    /// <summary>The case page a message opens: the resident's own report page, or a staff member's task page.</summary>
    private string? CaseLink(string number, bool staff)
    {
        if (options.Value.PublicBaseUrl is not { } root || number.Length == 0)
        {
            return null;
        }

        var path = (staff ? "m/tasks/" : "m/mine/") + Uri.EscapeDataString(number);
        return new Uri(new Uri(root.ToString().TrimEnd('/') + "/"), path).ToString();
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

    private async Task RecordAsync(CivicGridDbContext db, WeChatTemplateDelivery delivery)
    {
        db.WeChatTemplateDeliveries.Add(delivery);
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateException e)
        {
            // Recorded already by an instance whose lease ran out while it sent; WeChat dropped the repeat by client_msg_id.
            logger.LogWarning(e, "WeChat template {MessageId} was recorded by another instance", delivery.MessageId);
        }
    }
}
