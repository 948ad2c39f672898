using System.Globalization;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Cases.Queries;

/// <summary>
/// A case's timeline as staff read it: a work log of who did what. The domain writes each step's sentence to the
/// resident who reported it (您反映的问题已交由…处理。), which is what residents keep seeing; staff get the step said
/// from the desk — the verb, to whom, until when, from which grid to which — with grid names rather than codes and the
/// actor's role beside their name. Built from the facts each entry already records (its details, grids and tiers), so
/// the stored, hash-chained history is untouched.
/// </summary>
internal sealed class StaffLog
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private readonly IReadOnlyDictionary<string, string> _gridNames;
    private readonly IReadOnlyDictionary<Guid, string> _roles;

    private StaffLog(IReadOnlyDictionary<string, string> gridNames, IReadOnlyDictionary<Guid, string> roles)
    {
        _gridNames = gridNames;
        _roles = roles;
    }

    /// <summary>Reads the names of every grid the timeline mentions and the role of every actor, whatever the caller's scope.</summary>
    public static async Task<StaffLog> LoadAsync(CivicGridDbContext db, Case subject, CancellationToken ct)
    {
        var entries = subject.Timeline;
        var codes = entries.SelectMany(e => new[] { e.FromGridCode, e.ToGridCode, e.Details.GetValueOrDefault("grid") })
            .Concat(entries.SelectMany(e => (e.Details.GetValueOrDefault("candidates") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries)))
            .Append(subject.GridCode)
            .OfType<string>();
        var names = await CaseListContext.GridNamesAsync(db, codes, ct);

        var ids = entries.Select(e => e.ActorId).Where(id => id != Guid.Empty).Distinct().ToList();
        var people = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.Roles, u.OrganisationId }).ToListAsync(ct);
        var organisationIds = people.Select(p => p.OrganisationId).OfType<Guid>().Distinct().ToList();
        var organisations = await db.Organisations.IgnoreQueryFilters().AsNoTracking().Where(o => organisationIds.Contains(o.Id))
            .Select(o => new { o.Id, o.Name }).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var roles = people.ToDictionary(p => p.Id, p => RoleOf(p.Roles, p.OrganisationId is { } org ? organisations.GetValueOrDefault(org) : null));
        return new StaffLog(names, roles);
    }

    /// <summary>A grid's name, or its code when the grid is unknown; null for no code.</summary>
    public string? GridName(string? code) => code is null ? null : _gridNames.GetValueOrDefault(code, code);

    /// <summary>What the actor of a step is: 系统, 报告人 (the reporter's own steps), or their most senior role.</summary>
    public string? Role(CaseTimelineEntry entry, bool byReporter)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.ActorId == Guid.Empty)
        {
            return byReporter ? "报告人" : "系统";
        }

        var role = _roles.GetValueOrDefault(entry.ActorId);
        return byReporter && (role is null || role == Domain.Accounts.Role.Resident.ToChinese()) ? "报告人" : role;
    }

    /// <summary>The step as a staff work log says it.</summary>
    public string Text(CaseTimelineEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var d = e.Details;
        string? Fact(string key) => d.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
        var move = e.ToGridCode is { } to && e.FromGridCode is { } from && to != from ? $"：{GridName(from)} → {GridName(to)}" : string.Empty;
        return e.Action switch
        {
            "report" => Fact("channel") is { } channel && ChannelText(channel) is { } via ? $"上报（{via}）" : "上报",
            "accept" => $"立案受理，由{e.ToTier.OwnerToChinese()}负责",
            "reject" => "不予立案",
            "assign" => $"交办给 {Fact("assignee-name") ?? "—"}" + (Fact("due") is { } due ? $"，办理时限 {When(due)}" : string.Empty),
            "start-handling" => "开始处置",
            "record-handled" => e.AttachmentIds.Length > 0 ? $"反馈处置结果（附照片 {e.AttachmentIds.Length} 张）" : "反馈处置结果",
            "verify" => "核查通过",
            "verify-failed" => "核查未通过，退回返工",
            "evaluate" => Fact("rating") is { } rating ? $"评价 {rating} 星" : "评价",
            "auto-evaluate" => "逾期未评价，系统自动评价",
            "close" => "办结",
            "return" => Fact("returned-by-assignee") is { } by ? $"退回（原承办：{by}），待重新交办" : "退回，待重新交办",
            "transfer" => $"转办{move}",
            "escalate" => $"升级：{TierText(e.FromTier)} → {TierText(e.ToTier)}" + (Fact("automatic") == "true" ? "（超过办理时限，系统自动升级）" : string.Empty),
            "park" => Fact("review-on") is { } review ? $"挂账，{ReviewText(review)}复查" : "挂账",
            "resume" => "恢复办理",
            "reopen" => "返工",
            "merge" => Fact("merged-into") is { } into ? $"作为重复件合并到 {into}" : "合并",
            "record-mediation" => Fact("place") is { } place ? $"记录联调（{place}）" : "记录联调",
            "record-meeting-decision" => "记录联席会议决定",
            "hand-to-district" => "上报区级部门",
            "district-answer" => Fact("outcome") switch
            {
                "accepted" => "区级部门已受理",
                "replied" => "区级部门答复",
                _ => "区级部门办结其负责部分",
            },
            "supervise" => Fact("due") is { } due ? $"督办，督办时限 {When(due)}" : "督办",
            "await-location" => Fact("candidates") is { } candidates
                ? $"位置在网格边界附近，待候选网格认领：{string.Join("、", candidates.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => GridName(c)))}"
                : "位置待确认",
            "confirm-location" => (Fact("automatic") == "true" ? "无人认领，系统确认所属网格：" : "认领，确认所属网格：") + GridName(Fact("grid") ?? e.ToGridCode ?? string.Empty),
            "move-pin" => move.Length > 0 ? $"修正位置并转到所属网格{move}" : "修正位置",
            "repeat-alarm" => "设备再次报警，追加到本案",
            "claim-report" => "居民将匿名上报关联到本人账户",
            "supplement" => e.AttachmentIds.Length > 0 ? $"报告人补充情况（附照片 {e.AttachmentIds.Length} 张）" : "报告人补充情况",
            "chase" => "报告人催办",
            "withdraw" => "报告人撤回上报，案件终止",
            "external-update" => "12345 工单内容更新",
            "restore-history" => "导入历史办理情况",
            _ => e.PublicText,
        };
    }

    private static string RoleOf(IReadOnlyCollection<Role> roles, string? organisation)
    {
        if (roles.Contains(Domain.Accounts.Role.DepartmentLiaison) && organisation is not null)
        {
            return $"{organisation}";
        }

        // The most senior working role; an administrator only when that is all the account is.
        var working = roles.Where(r => !Roles.Administrators.Contains(r)).ToList();
        var chosen = working.Count > 0 ? working.Max() : roles.Max();
        return chosen.ToChinese();
    }

    private static string TierText(CaseTier tier) => tier switch
    {
        CaseTier.Green => "绿色（网格）",
        CaseTier.Yellow => "黄色（社区）",
        CaseTier.Blue => "蓝色（街道）",
        _ => "红色（区级）",
    };

    private static string? ChannelText(string channel) => Enum.TryParse<CaseChannel>(channel, out var parsed)
        ? parsed switch
        {
            CaseChannel.ResidentApp => "居民随手拍",
            CaseChannel.GridPatrol => "网格员上报",
            CaseChannel.PropertyStaff => "物业上报",
            CaseChannel.StaffEntry => "电话/来访登记",
            CaseChannel.Sensor => "智能感知设备",
            CaseChannel.Hotline12345 => "12345热线",
            CaseChannel.Open311 => "Open311",
            _ => null,
        }
        : null;

    private static string When(string stored) =>
        DateTimeOffset.TryParse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToOffset(Beijing).ToString("M月d日 HH:mm", CultureInfo.InvariantCulture)
            : stored;

    private static string ReviewText(string stored) =>
        DateOnly.TryParseExact(stored, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)
            : stored;
}
