using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Briefings;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Organisations;

namespace CivicGrid.Server.Demo;

/// <summary>
/// A few policy briefings (政策宣传) of the main subdistrict, read and unread: the operations centre's flood-season notice to
/// every grid worker and leader (confirmation asked, due in a few days), a community's notice to its volunteers, an older
/// one to the department liaisons, all confirmed. The well-known field accounts (leader01, worker01, micro01) have not read
/// the open ones yet, so their phones show the badge.
/// </summary>
public static class DemoBriefings
{
    private static readonly HashSet<string> Unread = [DemoAccounts.GridLeader, DemoAccounts.GridWorker, DemoAccounts.MicroGridWorker];

    private const string FloodBody = """
        # 汛期安全巡查要求

        入汛以来降雨偏多，请各网格做好以下工作：

        - 每日巡查一次低洼院落、地下车库和老旧房屋，发现积水、渗漏、墙体开裂**立即上报**；
        - 掌握独居老人、残疾人等特殊群体名单，暴雨预警发布后**逐户电话联系**；
        - 检查沙袋、挡水板、抽水泵等物资，缺少的报社区补充。

        请阅读后点击“我已阅读”确认。
        """;

    private const string SortingBody = """
        《西安市生活垃圾分类管理条例》修订后，本社区自下月起执行“定时定点”投放。

        请各位微网格员：

        - 向楼院居民讲解四分类（厨余、可回收、有害、其他）；
        - 投放时段（早 7:00–9:00、晚 18:00–21:00）在楼道张贴；
        - 发现混投、乱扔的，先劝导，屡劝不改的随手拍上报。
        """;

    private const string SafetyBody = """
        平安建设宣传月期间，请各下沉单位：

        - 配合社区开展防范电信网络诈骗、反邪教宣传进楼院活动；
        - 每周至少参加一次网格联合巡查；
        - 宣传材料到街道综治中心领取。
        """;

    public static List<Briefing> Create(IReadOnlyList<UserAccount> users, IReadOnlyList<Organisation> organisations, DateTimeOffset now)
    {
        var byName = users.ToDictionary(u => u.UserName, StringComparer.Ordinal);
        var candidates = users.Select(u => new BriefingCandidate(u.Id, u.DisplayName, u.ScopeCode, u.OrganisationId, u.Roles, u.IsActive)).ToList();
        var ops = byName[DemoAccounts.Operator];
        var community = byName[DemoAccounts.CommunityStaff];
        var departments = organisations.Where(o => o.Kind == OrganisationKind.Department).Select(o => o.Id).ToList();

        Briefing Send(UserAccount sender, string title, string body, string? link, bool confirm, int sentDaysAgo, int? dueInDays, BriefingAudience audience)
        {
            var sentAt = now.AddDays(-sentDaysAgo).AddHours(-2);
            var recipients = BriefingRecipients.Resolve(audience, sender.ScopeCode, sender.Id, candidates);
            return new Briefing(title, body, link, confirm, dueInDays is { } d ? now.AddDays(d) : null, sender.ScopeCode, sender.Id, sender.DisplayName,
                audience, recipients, sentAt);
        }

        var flood = Send(ops, "关于做好汛期安全巡查工作的通知", FloodBody, "/files/briefings/flood-season-2026.pdf", confirm: true, sentDaysAgo: 2, dueInDays: 3,
            new BriefingAudience([], [BriefingRecipientKind.GridWorker, BriefingRecipientKind.GridLeader], []));
        var sorting = Send(community, "垃圾分类“定时定点”投放宣传要点", SortingBody, null, confirm: false, sentDaysAgo: 1, dueInDays: 5,
            new BriefingAudience([community.ScopeCode], [BriefingRecipientKind.MicroGridWorker], []));
        var safety = Send(ops, "平安建设宣传月工作安排", SafetyBody, null, confirm: true, sentDaysAgo: 20, dueInDays: null,
            new BriefingAudience([], [BriefingRecipientKind.DepartmentLiaison], departments));

        // Most have read the open ones, a few each day after it came; everyone confirmed the old one.
        Receipts(flood, users, 3, every: 3);
        Receipts(sorting, users, 2, every: 2);
        Receipts(safety, users, 20, every: int.MaxValue);
        return [flood, sorting, safety];
    }

    private static readonly string[] MonthlyTopics =
    [
        "冬季防火安全宣传要点", "春节期间走访慰问工作安排", "春季爱国卫生运动宣传要点", "全民国家安全教育日宣传安排", "防范电信网络诈骗宣传要点",
        "防汛防灾知识宣传要点", "夏季防溺水安全宣传要点", "高温天气关爱特殊群体工作提示", "开学季校园周边安全宣传要点", "国庆期间安全稳定工作安排",
        "消防安全宣传月工作要点", "禁毒宣传进楼院工作安排",
    ];

    /// <summary>
    /// The year's monthly briefings of the operations centre to every grid leader, worker and volunteer, sent before this month
    /// and without a deadline (history sends no reminders): each recipient read (and confirmed) one with a likelihood that
    /// follows their 3rd-level grid's <see cref="DemoDataset.GridQuality"/>, within hours or days. A random stream of its own.
    /// </summary>
    public static List<Briefing> YearOf(IReadOnlyList<UserAccount> users, IReadOnlyDictionary<string, double> quality, DateOnly today, int seed)
    {
        var random = new Random(seed + 71);
        var ops = users.Single(u => u.UserName == DemoAccounts.Operator);
        var candidates = users.Select(u => new BriefingCandidate(u.Id, u.DisplayName, u.ScopeCode, u.OrganisationId, u.Roles, u.IsActive)).ToList();
        var audience = new BriefingAudience([], [BriefingRecipientKind.GridWorker, BriefingRecipientKind.GridLeader, BriefingRecipientKind.MicroGridWorker], []);
        var recipients = BriefingRecipients.Resolve(audience, ops.ScopeCode, ops.Id, candidates);
        var briefings = new List<Briefing>();
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        for (var month = thisMonth.AddMonths(-12); month < thisMonth; month = month.AddMonths(1))
        {
            var sentAt = new DateTimeOffset(month.AddDays(2 + random.Next(10)).ToDateTime(new TimeOnly(9, 30)), TimeSpan.FromHours(8)).ToUniversalTime();
            var topic = MonthlyTopics[(month.Month - 1) % MonthlyTopics.Length];
            var briefing = new Briefing(topic, $"请各网格按照{topic}做好宣传，阅读后点击“我已阅读”确认。", null, true, null, ops.ScopeCode, ops.Id, ops.DisplayName, audience,
                recipients, sentAt);
            foreach (var recipient in briefing.Recipients)
            {
                var grid = recipient.ScopeCode.Length >= GridCodes.ThirdLength ? recipient.ScopeCode[..GridCodes.ThirdLength] : recipient.ScopeCode;
                if (random.NextDouble() < 0.45 + (0.5 * quality.GetValueOrDefault(grid, 0.6)))
                {
                    var at = sentAt.AddHours(1 + (72 * random.NextDouble()));
                    recipient.Open(at);
                    recipient.Confirm(at.AddMinutes(2));
                }
            }

            briefings.Add(briefing);
        }

        return briefings;
    }

    /// <summary>
    /// Every <paramref name="every"/>-th recipient (and the well-known field accounts) has not opened it; the others read it
    /// within days and most confirm (all of them when <paramref name="every"/> is <see cref="int.MaxValue"/>).
    /// </summary>
    private static void Receipts(Briefing briefing, IReadOnlyList<UserAccount> users, int days, int every)
    {
        var names = users.ToDictionary(u => u.Id, u => u.UserName);
        for (var i = 0; i < briefing.Recipients.Count; i++)
        {
            var recipient = briefing.Recipients[i];
            if ((every != int.MaxValue && i % every == 0) || Unread.Contains(names[recipient.UserId]))
            {
                continue;
            }

            var at = briefing.SentAt.AddHours(1 + (i * 7 % (days * 20)));
            recipient.Open(at);
            if (briefing.RequiresConfirmation && (every == int.MaxValue || i % 5 != 1))
            {
                recipient.Confirm(at.AddMinutes(3));
            }
        }
    }
}
