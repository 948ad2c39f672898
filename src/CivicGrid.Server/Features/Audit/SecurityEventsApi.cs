using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace CivicGrid.Server.Features.Audit;

/// <param name="KindName">The kind in Chinese, for people.</param>
public sealed record SecurityEventView(long Sequence, DateTimeOffset At, SecurityEventKind Kind, string KindName, SecurityOutcome Outcome,
    string ActorName, string? SubjectKind, string? SubjectId, string? SubjectName, string ScopeCode, string? ClientAddress, string Detail);

public sealed record SecurityEventPage(int Total, int Page, int PageSize, IReadOnlyList<SecurityEventView> Items);

/// <param name="Intact">True when every entry matches its hash and follows the one before.</param>
public sealed record SecurityChainStatus(bool Intact, long EntriesChecked, long? BrokenAtSequence, string Detail);

/// <summary>The security audit trail for the audit administrator: read, filter, export, verify. Nobody can change it.</summary>
public static class SecurityEventsApi
{
    private const int MaxExportRows = 100_000;

    public static void MapSecurityEventsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/security-events").WithTags("Audit").RequireAuthorization(Policies.AuditAdmin);
        group.MapGet("/", List).WithName("ListSecurityEvents").WithSummary("The security audit trail in the caller's scope, newest first (audit admin).");
        group.MapGet("/export", Export).WithName("ExportSecurityEvents").WithSummary("The filtered trail as an Excel workbook; the export is itself recorded.");
        group.MapPost("/verify", Verify).WithName("VerifySecurityEvents").WithSummary("Re-compute the trail's hash chain (as `audit verify` does).");
    }

    /// <param name="kind">Only events of this kind.</param>
    /// <param name="outcome">Only events that ended so.</param>
    /// <param name="actor">Part of the actor's login name.</param>
    /// <param name="from">From this day (Beijing time), inclusive.</param>
    /// <param name="to">To this day (Beijing time), inclusive.</param>
    public static async Task<Results<Ok<SecurityEventPage>, ProblemHttpResult>> List([ApiEnum(typeof(SecurityEventKind))] string? kind,
        [ApiEnum(typeof(SecurityOutcome))] string? outcome, string? actor, DateOnly? from, DateOnly? to, int? page, int? pageSize,
        CivicGridDbContext db, CancellationToken ct)
    {
        if (Filter(db, kind, outcome, actor, from, to, out var errors) is not { } query)
        {
            return Problems.Validation(errors);
        }

        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var number = Math.Max(page ?? 1, 1);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(e => e.Sequence).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new SecurityEventPage(total, number, size, [.. rows.Select(View)]));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export([ApiEnum(typeof(SecurityEventKind))] string? kind,
        [ApiEnum(typeof(SecurityOutcome))] string? outcome, string? actor, DateOnly? from, DateOnly? to, CivicGridDbContext db, SecurityAudit audit,
        TimeProvider time, CancellationToken ct)
    {
        if (Filter(db, kind, outcome, actor, from, to, out var errors) is not { } query)
        {
            return Problems.Validation(errors);
        }

        var rows = await query.OrderBy(e => e.Sequence).Take(MaxExportRows + 1).ToListAsync(ct);
        if (rows.Count > MaxExportRows)
        {
            return Problems.Validation("from", $"一次最多导出 {MaxExportRows:N0} 条，请缩小日期范围。");
        }

        var sheet = rows.Select(e => new Dictionary<string, object?>
        {
            ["序号"] = e.Sequence,
            ["时间（北京时间）"] = e.At.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss"),
            ["事件"] = e.Kind.ToChinese(),
            ["结果"] = e.Outcome.ToChinese(),
            ["操作人"] = e.ActorName,
            ["对象类型"] = e.SubjectKind,
            ["对象"] = e.SubjectName ?? e.SubjectId,
            ["范围编码"] = e.ScopeCode,
            ["来源地址"] = e.ClientAddress,
            ["说明"] = e.Detail,
            ["哈希"] = e.Hash,
        }).ToList();
        audit.Record(db, SecurityEventKind.Exported, new SecuritySubject("security-events", null, "安全审计日志", db.Scope.Code),
            $"导出安全审计日志 {rows.Count} 条（{from?.ToString() ?? "最早"} 至 {to?.ToString() ?? "最新"}）");
        await db.SaveChangesAsync(ct);

        using var buffer = new MemoryStream();
        await buffer.SaveAsAsync(sheet, sheetName: "安全审计日志", cancellationToken: ct);
        var stamp = time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMdd-HHmm");
        return TypedResults.File(buffer.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"安全审计日志-{stamp}.xlsx");
    }

    public static async Task<Ok<SecurityChainStatus>> Verify(SecurityChainVerifier verifier, CancellationToken ct)
    {
        var report = await verifier.VerifyAsync(ct);
        return TypedResults.Ok(new SecurityChainStatus(report.IsIntact, report.EntriesChecked, report.BrokenAtSequence,
            report.IsIntact ? $"审计日志完整：已校验 {report.EntriesChecked} 条，哈希链无断裂。" : $"审计日志在第 {report.BrokenAtSequence} 条处断裂，可能被篡改，请立即上报。"));
    }

    private static IQueryable<SecurityEvent>? Filter(CivicGridDbContext db, string? kindText, string? outcomeText, string? actor, DateOnly? from, DateOnly? to,
        out Dictionary<string, string[]> errors)
    {
        errors = [];
        var kind = QueryValues.Enum<SecurityEventKind>(kindText, "kind", errors, v => $"未知的事件类型“{v}”。");
        var outcome = QueryValues.Enum<SecurityOutcome>(outcomeText, "outcome", errors, v => $"未知的结果“{v}”。");
        if (from is { } f && to is { } t && t < f)
        {
            errors["to"] = ["结束日期不能早于开始日期。"];
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var query = db.SecurityEvents.AsNoTracking();
        if (kind is { } k)
        {
            query = query.Where(e => e.Kind == k);
        }

        if (outcome is { } o)
        {
            query = query.Where(e => e.Outcome == o);
        }

        if (!string.IsNullOrWhiteSpace(actor))
        {
            var part = actor.Trim();
            query = query.Where(e => e.ActorName.Contains(part));
        }

        var beijing = TimeSpan.FromHours(8);
        if (from is { } start)
        {
            var since = new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), beijing);
            query = query.Where(e => e.At >= since);
        }

        if (to is { } end)
        {
            var until = new DateTimeOffset(end.AddDays(1).ToDateTime(TimeOnly.MinValue), beijing);
            query = query.Where(e => e.At < until);
        }

        return query;
    }

    private static SecurityEventView View(SecurityEvent e) => new(e.Sequence, e.At, e.Kind, e.Kind.ToChinese(), e.Outcome, e.ActorName,
        e.SubjectKind, e.SubjectId, e.SubjectName, e.ScopeCode, e.ClientAddress, e.Detail);
}

public static class SecurityEventNames
{
    public static string ToChinese(this SecurityOutcome outcome) => outcome switch
    {
        SecurityOutcome.Success => "成功",
        SecurityOutcome.Failure => "失败",
        SecurityOutcome.Refused => "拒绝",
        _ => outcome.ToString(),
    };

    public static string ToChinese(this SecurityEventKind kind) => kind switch
    {
        SecurityEventKind.SignIn => "登录",
        SecurityEventKind.SignInFailed => "登录失败",
        SecurityEventKind.LockedOut => "账户锁定",
        SecurityEventKind.SignOut => "退出登录",
        SecurityEventKind.AccountCreated => "创建账户",
        SecurityEventKind.AccountChanged => "修改账户",
        SecurityEventKind.AccountDeactivated => "停用账户",
        SecurityEventKind.AccountReactivated => "启用账户",
        SecurityEventKind.AccountUnlocked => "解除锁定",
        SecurityEventKind.PasswordReset => "重置密码",
        SecurityEventKind.PasswordChanged => "修改密码",
        SecurityEventKind.RoleGrantRequested => "申请授予管理员角色",
        SecurityEventKind.RoleGrantApproved => "批准授予管理员角色",
        SecurityEventKind.RoleGrantRejected => "驳回授予管理员角色",
        SecurityEventKind.SecondFactorEnrolled => "绑定动态口令",
        SecurityEventKind.SecondFactorReset => "重置动态口令",
        SecurityEventKind.SecondFactorFailed => "动态口令错误",
        SecurityEventKind.RecoveryCodeUsed => "使用恢复码",
        SecurityEventKind.SignInCodeIssued => "签发扫码登录码",
        SecurityEventKind.TrustedDeviceSignedIn => "信任设备登录",
        SecurityEventKind.TrustedDeviceRevoked => "撤销信任设备",
        SecurityEventKind.ApiKeyIssued => "签发接口密钥",
        SecurityEventKind.ApiKeyRevoked => "吊销接口密钥",
        SecurityEventKind.DeviceSecretIssued => "签发设备密钥",
        SecurityEventKind.ConfigurationChanged => "修改配置",
        SecurityEventKind.CalendarChanged => "修改工作日历",
        SecurityEventKind.OrganisationChanged => "组织机构变更",
        SecurityEventKind.Imported => "数据导入",
        SecurityEventKind.Exported => "数据导出",
        SecurityEventKind.PersonalDataRevealed => "查看个人信息",
        SecurityEventKind.PersonalDataRefused => "查看个人信息被拒绝",
        SecurityEventKind.AccessDenied => "越权访问被拒绝",
        _ => kind.ToString(),
    };
}
