using CivicGrid.Domain.Briefings;
using CivicGrid.Server.Features.Notifications;

namespace CivicGrid.Server.Features.Briefings;

/// <summary>
/// What a briefing puts in its recipients' inboxes, through the notification writer (in-app, and WeChat for those who bound
/// it), in the same save as the change: one notice when it is sent, one per reminder. Source keys are per briefing and
/// per reminder time, so a recipient is never told twice about the same thing.
/// </summary>
public static class BriefingNotices
{
    /// <summary>Notification kinds, for clients that pick an icon.</summary>
    public const string SentKind = "briefing-sent";
    public const string ReminderKind = "briefing-reminder";

    /// <summary>The WeChat template of briefing notices: ${title}：${text}.</summary>
    public const string Template = "briefing-notice";

    public static Task SentAsync(NotificationWriter writer, Briefing briefing, CancellationToken ct) =>
        writer.NotifyUsersAsync(briefing.Recipients.Select(r => r.UserId), briefing.SenderId, $"briefing:{briefing.Id:N}:sent", SentKind,
            $"政策宣传：{briefing.Title}", $"{briefing.SenderName}发来《{briefing.Title}》，{Ask(briefing)}", null, briefing.SentAt, Template, ct);

    public static Task RemindedAsync(NotificationWriter writer, Briefing briefing, IEnumerable<BriefingRecipient> reminded, DateTimeOffset at,
        CancellationToken ct) =>
        writer.NotifyUsersAsync(reminded.Select(r => r.UserId), null, $"briefing:{briefing.Id:N}:remind:{at.UtcTicks}", ReminderKind,
            $"提醒：请阅读《{briefing.Title}》", $"您还没有{(briefing.RequiresConfirmation ? "确认阅读" : "阅读")}《{briefing.Title}》，{Ask(briefing)}", null, at,
            Template, ct);

    private static string Ask(Briefing briefing)
    {
        var what = briefing.RequiresConfirmation ? "阅读后请点“我已阅读”确认" : "请及时阅读";
        return briefing.DueAt is { } due ? $"{what}（请于 {CaseNotificationRules.BeijingTime(due)} 前完成）。" : $"{what}。";
    }
}
