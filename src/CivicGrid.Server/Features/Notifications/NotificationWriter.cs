using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Notifications;

/// <summary>
/// Adds in-app notifications and outbox messages to a context's unit of work, so they commit or roll back with the
/// change that caused them. Resolves audiences to active users whatever the caller's scope (an escalation tells a
/// level the actor cannot see). One cause notifies a user once and sends one message per address; everything it
/// added is listed in <see cref="Added"/>, so a failed save can take it back.
/// </summary>
public sealed class NotificationWriter(CivicGridDbContext db)
{
    private readonly HashSet<(Guid UserId, string SourceKey)> _notified = [];
    private readonly HashSet<string> _messageIds = [];

    /// <summary>The entities this writer added to the context, in order.</summary>
    public List<object> Added { get; } = [];

    /// <summary>The assigned user, or every active liaison of the assigned department.</summary>
    public async Task<IReadOnlyList<Guid>> AssigneesAsync(CaseAssigneeRef assignee, CancellationToken ct)
    {
        if (assignee.UserId is { } userId)
        {
            return [userId];
        }

        if (assignee.DepartmentId is not { } departmentId)
        {
            return [];
        }

        var directory = await RecipientDirectory.GetAsync(db, ct);
        return [.. directory.Active.Where(u => u.OrganisationId == departmentId && u.Roles.Contains(Role.DepartmentLiaison)).Select(u => u.Id)];
    }

    /// <summary>Active users holding the owner role of <paramref name="tier"/> scoped exactly at <paramref name="ownerCode"/>.</summary>
    public async Task<IReadOnlyList<Guid>> OwnerStaffAsync(string ownerCode, CaseTier tier, CancellationToken ct)
    {
        var role = CaseNotificationRules.OwnerRoleOf(tier);
        var directory = await RecipientDirectory.GetAsync(db, ct);
        return [.. directory.ByScope[ownerCode].Where(u => u.Roles.Contains(role)).Select(u => u.Id)];
    }

    /// <summary>
    /// One in-app notification per active user among <paramref name="userIds"/> (except <paramref name="except"/>, the
    /// actor), and a WeChat template message for each of them who bound WeChat.
    /// </summary>
    /// <param name="template">The WeChat template: <see cref="OutboxTemplates.CaseTask"/> for staff, <see cref="OutboxTemplates.CaseProgress"/> for reporters.</param>
    public async Task NotifyUsersAsync(IEnumerable<Guid> userIds, Guid? except, string sourceKey, string kind, string title, string body,
        string? caseNumber, DateTimeOffset at, string template, CancellationToken ct, string? step = null)
    {
        var candidates = userIds.Where(id => id != Guid.Empty && id != except && !_notified.Contains((id, sourceKey))).Distinct().ToList();
        if (candidates.Count == 0)
        {
            return;
        }

        var directory = await RecipientDirectory.GetAsync(db, ct);
        foreach (var userId in candidates.Where(directory.ById.ContainsKey))
        {
            _notified.Add((userId, sourceKey));
            var notification = new Notification(userId, sourceKey, kind, title, body, caseNumber, at);
            Add(notification);
            foreach (var address in directory.WeChat[userId])
            {
                Message(OutboxChannel.WeChat, address, sourceKey, template, Parameters(caseNumber, notification.Title, notification.Body, step, at), caseNumber, at);
            }
        }
    }

    /// <summary>A WeChat template message to each WeChat address of an active user, without an in-app notification.</summary>
    public async Task WeChatOnlyAsync(Guid userId, string sourceKey, string template, IReadOnlyDictionary<string, string> parameters, string? caseNumber,
        DateTimeOffset at, CancellationToken ct)
    {
        var directory = await RecipientDirectory.GetAsync(db, ct);
        if (!directory.ById.ContainsKey(userId))
        {
            return;
        }

        foreach (var address in directory.WeChat[userId])
        {
            Message(OutboxChannel.WeChat, address, sourceKey, template, parameters, caseNumber, at);
        }
    }

    /// <summary>An SMS by template to a phone number, once per cause and number.</summary>
    public void Sms(string phone, string sourceKey, string template, IReadOnlyDictionary<string, string> parameters, string? caseNumber, DateTimeOffset at) =>
        Message(OutboxChannel.Sms, phone, sourceKey, template, parameters, caseNumber, at);

    /// <summary>Adds an entity that belongs to the notifications (a follower), so that it is taken back with them.</summary>
    public void Add(object entity)
    {
        db.Add(entity);
        Added.Add(entity);
    }

    /// <summary>Takes back everything this writer added, after the save it rode along in failed.</summary>
    public void Undo()
    {
        foreach (var entity in Added)
        {
            db.Entry(entity).State = EntityState.Detached;
        }

        Added.Clear();
        _notified.Clear();
        _messageIds.Clear();
    }

    /// <summary>
    /// The parameters of <see cref="OutboxTemplates.CaseProgress"/> and <see cref="OutboxTemplates.CaseTask"/>; a public step
    /// also carries its timeline action (<c>step</c>) and time (<c>at</c>), by which WeChat picks the step's template.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Parameters(string? caseNumber, string title, string text, string? step = null, DateTimeOffset? at = null)
    {
        var parameters = new Dictionary<string, string>
        {
            ["number"] = caseNumber ?? string.Empty,
            ["title"] = Notification.Truncate(title, Notification.MaxTitleLength),
            ["text"] = Notification.Truncate(text, OutboxMessage.MaxParameterLength),
        };
        if (step is not null)
        {
            parameters["step"] = step;
            parameters["at"] = (at ?? DateTimeOffset.UnixEpoch).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        }

        return parameters;
    }

    private void Message(OutboxChannel channel, string address, string sourceKey, string template, IReadOnlyDictionary<string, string> parameters,
        string? caseNumber, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return;
        }

        var id = OutboxMessage.MessageIdFor(sourceKey, channel, address);
        if (_messageIds.Add(id))
        {
            Add(new OutboxMessage(id, channel, address, template, parameters, caseNumber, at));
        }
    }
}
