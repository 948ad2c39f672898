using System.Globalization;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;

namespace CivicGrid.Server.Features.Notifications;

/// <summary>
/// Who is to hear of one new timeline entry, worked out from the case alone; <see cref="CaseNotifier"/> turns
/// it into recipients.
/// </summary>
/// <param name="SourceKey"><c>case:{id}:{sequence}</c>: the cause, unique per recipient.</param>
/// <param name="Staff">What staff (assignee, owner staff) read; null when the entry concerns no staff.</param>
/// <param name="Assignee">The assignee at the entry (a user or a department) when the assignee is to hear of it.</param>
/// <param name="OwnerCodes">The owning nodes whose staff are to hear of it: the owner after the entry, or every candidate grid's.</param>
/// <param name="ToReporter">True for public entries the reporter did not take themself: the reporter and the case's followers hear of them.</param>
public sealed record CaseNotice(CaseTimelineEntry Entry, string SourceKey, StaffText? Staff, CaseAssigneeRef? Assignee,
    IReadOnlyList<string> OwnerCodes, CaseTier OwnerTier, bool ToReporter);

/// <param name="Kind">See <see cref="NotificationKinds"/>.</param>
public sealed record StaffText(string Kind, string Title, string Body);

/// <summary>Whom a case was assigned to at a point of its timeline.</summary>
public sealed record CaseAssigneeRef(Guid? UserId, Guid? DepartmentId);

/// <summary>
/// The notification policy of the case workflow (issue 4 item 10): per timeline action, who hears of it.
/// <list type="bullet">
/// <item>the assignee (the user, or every active liaison of the assigned department): assign, supervise, reopen, verify-failed,
/// and a device's repeated alarm that the domain marked as news (<c>notify=true</c>: the first, then at most once per
/// <c>Devices:RepeatAlarmNotifyInterval</c>) — to owner staff while nobody is assigned;</item>
/// <item>owner staff of the owning node after the entry (<see cref="OwnerRoleOf"/>): report, transfer, escalate, return, supervise,
/// and a confirmed location or a moved pin that puts the case in another grid;</item>
/// <item>the reporter's own steps (ADR 0038): 补充 to the assignee (to owner staff while nobody is assigned), 催办 to the
/// assignee and owner staff, 撤回 to owner staff — never back to the reporter;</item>
/// <item>owner staff of every candidate grid when a case waits for its location to be confirmed (await-location);</item>
/// <item>the reporter and the case's followers: every public entry, as its plain public text;</item>
/// <item>never the actor themself (an anonymous reporter acting with the follow token included, except for the
/// report's receipt, which a caller on the hotline has no other record of).</item>
/// </list>
/// Imported history (a case whose new entries include <c>restore-history</c>) is not news and notifies nobody.
/// </summary>
public static class CaseNotificationRules
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>The name an anonymous reporter acting with the case's follow token leaves on the timeline (no user id).</summary>
    private static readonly string AnonymousReporterName = Actor.AnonymousReporter("-").DisplayName;

    /// <summary>The source key of a timeline entry: what a notification or outbox message derived from it is keyed by.</summary>
    public static string SourceKeyOf(Guid caseId, int sequence) => $"case:{caseId:N}:{sequence.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The role that is told of a case owned at this colour: grid leaders of the 3rd-level grid (green), community
    /// staff (yellow), subdistrict operators (blue), district users (red); each scoped exactly at the owning node.
    /// </summary>
    public static Role OwnerRoleOf(CaseTier tier) => tier switch
    {
        CaseTier.Green => Role.GridLeader,
        CaseTier.Yellow => Role.CommunityStaff,
        CaseTier.Blue => Role.SubdistrictOperator,
        CaseTier.Red => Role.DistrictViewer,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, null),
    };

    /// <summary>The notices for the entries of <paramref name="subject"/> whose sequence is in <paramref name="newSequences"/>, oldest first.</summary>
    public static IReadOnlyList<CaseNotice> NoticesFor(Case subject, IReadOnlySet<int> newSequences)
    {
        if (subject.Timeline.Any(e => newSequences.Contains(e.Sequence) && e.Action == "restore-history"))
        {
            return [];
        }

        var notices = new List<CaseNotice>();
        string? grid = null;
        CaseAssigneeRef? assignee = null;
        foreach (var entry in subject.Timeline)
        {
            // Replay the facts each entry leaves behind, so that several verbs saved together each see their own moment.
            grid = entry.ToGridCode ?? grid ?? subject.GridCode;
            switch (entry.Action)
            {
                case "assign":
                    assignee = new CaseAssigneeRef(GuidDetail(entry, "assignee-user"), GuidDetail(entry, "assignee-department"));
                    break;
                case "return" or "transfer" or "escalate" or "merge":
                case "move-pin" when entry.ToGridCode is not null:
                    assignee = null;
                    break;
            }

            if (!newSequences.Contains(entry.Sequence))
            {
                continue;
            }

            var staff = StaffTextOf(subject, entry);
            // A device's repeated alarm is news only when the domain marked it so (the first, then at most once per interval):
            // to the assignee, or while nobody is assigned, to the owning level that is to accept it.
            var repeatNews = entry.Action == "repeat-alarm" && entry.Details.GetValueOrDefault("notify") == "true";
            // The reporter's own steps (补充, 催办) are news for whoever has the case: the assignee, or while nobody is assigned
            // the owning level; a withdrawal takes the case out of the owning level's queue.
            var byReporterAction = entry.Action is CaseVerbs.Supplement or CaseVerbs.Chase;
            var toAssignee = (entry.Action is "assign" or "supervise" or "reopen" or "verify-failed" || repeatNews || byReporterAction) && assignee is not null;
            var toOwner = entry.Action is "report" or "transfer" or "escalate" or "return" or "supervise" or CaseVerbs.Withdraw
                || (entry.Action is "confirm-location" or "move-pin" && entry.ToGridCode is not null)
                || ((repeatNews || byReporterAction) && assignee is null)
                || entry.Action == CaseVerbs.Chase;
            IReadOnlyList<string> owners = entry.Action == "await-location" && entry.Details.TryGetValue("candidates", out var candidates)
                ? [.. candidates.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => CaseRules.OwnerCodeOf(c, entry.ToTier)).Distinct()]
                : toOwner ? [CaseRules.OwnerCodeOf(grid, entry.ToTier)] : [];
            var byReporter = (entry.Action != "report" && entry.ActorId == Guid.Empty && entry.ActorName == AnonymousReporterName)
                || entry.Action is CaseVerbs.Supplement or CaseVerbs.Chase or CaseVerbs.Withdraw;
            notices.Add(new CaseNotice(entry, SourceKeyOf(subject.Id, entry.Sequence), staff, toAssignee ? assignee : null,
                owners, entry.ToTier, entry.IsPublic && !byReporter));
        }

        return notices;
    }

    /// <summary>The Beijing time of an instant as staff read it: 2026年11月27日 17:30.</summary>
    public static string BeijingTime(DateTimeOffset at) => at.ToOffset(Beijing).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);

    private static StaffText? StaffTextOf(Case c, CaseTimelineEntry e)
    {
        var subject = $"案件 {c.Number}「{c.Title}」";
        var note = string.IsNullOrWhiteSpace(e.Note) ? string.Empty : e.Note.Trim();
        return e.Action switch
        {
            "report" => new(NotificationKinds.CaseReported, "新上报案件", $"{subject}已上报，请及时受理。"),
            "assign" => new(NotificationKinds.CaseAssigned, "新交办案件",
                $"{subject}已交办给您" + (TimeDetail(e, "due") is { } due ? $"，请于 {BeijingTime(due)} 前办结。" : "。")),
            "transfer" => new(NotificationKinds.CaseTransferred, "转入案件", $"{subject}已转交你方，请及时受理。转办原因：{note}"),
            "escalate" => new(NotificationKinds.CaseEscalated, "升级案件",
                $"{subject}已升级为{TierName(e.ToTier)}案件，由你方协调处理。" + (e.Details.GetValueOrDefault("automatic") == "true" ? "（超期自动升级）" : $"升级原因：{note}")),
            "return" => new(NotificationKinds.CaseReturned, "案件被退回", $"{subject}被承办方退回，请重新安排。退回原因：{note}"),
            "supervise" => new(NotificationKinds.CaseSupervised, "督办",
                $"{subject}被督办" + (TimeDetail(e, "due") is { } due ? $"，请于 {BeijingTime(due)} 前办理" : string.Empty) + $"。督办意见：{note}"),
            "reopen" => new(NotificationKinds.CaseReopened, "案件返工", $"{subject}需要返工。原因：{note}"),
            "verify-failed" => new(NotificationKinds.CaseVerifyFailed, "核查未通过", $"{subject}核查未通过，请返工。说明：{note}"),
            "await-location" => new(NotificationKinds.CaseLocationOffered, "待确认归属案件",
                $"{subject}位于网格边界附近，可能属于你方网格，请确认是否认领" + (TimeDetail(e, "due") is { } until ? $"（{BeijingTime(until)} 前未认领将自动归属最可能的网格）。" : "。")),
            "confirm-location" => new(NotificationKinds.CaseReported, "新上报案件", $"{subject}已确认归属你方网格，请及时受理。"),
            "move-pin" => new(NotificationKinds.CaseTransferred, "转入案件", $"{subject}修正位置后转交你方，请及时受理。原因：{note}"),
            "repeat-alarm" when e.Details.GetValueOrDefault("notify") == "true" => new(NotificationKinds.CaseRepeatAlarm, "设备再次报警",
                $"{subject}的设备 {e.Details.GetValueOrDefault("device")} 再次报警（第 {e.Details.GetValueOrDefault("repeat")} 次重复）" +
                (note.Length > 0 ? $"：{note}" : "。") + "请尽快到场核实处置。"),
            CaseVerbs.Supplement => new(NotificationKinds.CaseSupplemented, "居民补充情况",
                $"{subject}的反映人补充了情况" + (note.Length > 0 ? $"：{note}" : "。") +
                (e.AttachmentIds.Length > 0 ? $"（附 {e.AttachmentIds.Length} 张照片）" : string.Empty)),
            CaseVerbs.Chase => new(NotificationKinds.CaseChased, "居民催办",
                $"{subject}的反映人催办了该案件" + (e.Details.GetValueOrDefault("overdue") == "true" ? "（已超过办理时限）" : string.Empty) + "，请尽快处理并反馈。"),
            CaseVerbs.Withdraw => new(NotificationKinds.CaseWithdrawn, "居民撤回案件", $"{subject}已被反映人撤回，无需受理。撤回原因：{note}"),
            _ => null,
        };
    }

    /// <summary>绿色, 黄色, 蓝色, 红色.</summary>
    public static string TierName(CaseTier tier) => tier switch
    {
        CaseTier.Green => "绿色",
        CaseTier.Yellow => "黄色",
        CaseTier.Blue => "蓝色",
        CaseTier.Red => "红色",
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, null),
    };

    private static Guid? GuidDetail(CaseTimelineEntry e, string key) =>
        e.Details.TryGetValue(key, out var text) && Guid.TryParse(text, out var id) ? id : null;

    private static DateTimeOffset? TimeDetail(CaseTimelineEntry e, string key) =>
        e.Details.TryGetValue(key, out var text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
