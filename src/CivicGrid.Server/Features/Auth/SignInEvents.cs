using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Features.Auth;

/// <summary>
/// The security events of second-factor and trusted-device sign-in, in one place: each is a structured log entry with
/// who, whom and from where, and an entry of the security audit trail (MLPS level 3 "security audit"). Every call is
/// made before the save of the change it describes, so the entry lands in that transaction; a refusal, which has nothing
/// else to save, is written at once.
/// </summary>
public sealed class SignInEvents(IHttpContextAccessor http, ILogger<SignInEvents> log, CivicGridDbContext db, SecurityAudit audit)
{
    private string? Address => http.HttpContext?.Connection.RemoteIpAddress?.ToString();

    public void Enrolled(UserAccount user)
    {
        log.LogInformation("Security event second-factor-enrolled: user {UserName} ({UserId}) from {Address}", user.UserName, user.Id, Address);
        Record(SecurityEventKind.SecondFactorEnrolled, user, "绑定动态口令（TOTP），生成 10 个恢复码", actor: user);
    }

    public void RecoveryCodesRegenerated(UserAccount user)
    {
        log.LogInformation("Security event recovery-codes-regenerated: user {UserName} ({UserId}) from {Address}", user.UserName, user.Id, Address);
        Record(SecurityEventKind.SecondFactorEnrolled, user, "重新生成恢复码（旧恢复码作废）", actor: user);
    }

    /// <param name="kind">wrong-code, replayed-code, wrong-recovery-code or wrong-enrolment-code.</param>
    public void WrongSecondFactor(UserAccount user, string kind)
    {
        log.LogWarning("Security event second-factor-failed ({Kind}): user {UserName} ({UserId}) from {Address}", kind, user.UserName, user.Id, Address);
        Record(SecurityEventKind.SecondFactorFailed, user, kind switch
        {
            "replayed-code" => "动态口令已用过（重放）",
            "wrong-recovery-code" => "恢复码错误",
            "wrong-enrolment-code" => "绑定时动态口令错误",
            _ => "动态口令错误",
        }, SecurityOutcome.Failure, actor: user, save: true);
    }

    public void RecoveryCodeUsed(UserAccount user, int left)
    {
        log.LogWarning("Security event recovery-code-used: user {UserName} ({UserId}) from {Address}, {Left} codes left", user.UserName, user.Id, Address, left);
        Record(SecurityEventKind.RecoveryCodeUsed, user, $"使用恢复码登录，剩余 {left} 个", actor: user);
    }

    public void SecondFactorReset(UserAccount user, string by)
    {
        log.LogWarning("Security event second-factor-reset: user {UserName} ({UserId}) by {By} from {Address}", user.UserName, user.Id, by, Address);
        Record(SecurityEventKind.SecondFactorReset, user, $"{by} 重置了动态口令，下次登录须重新绑定");
    }

    public void SignInCodeIssued(UserAccount volunteer, string by, DateTimeOffset expiresAt)
    {
        log.LogInformation("Security event sign-in-code-issued: volunteer {UserName} ({UserId}) by {By} from {Address}, valid until {ExpiresAt}",
            volunteer.UserName, volunteer.Id, by, Address, expiresAt);
        Record(SecurityEventKind.SignInCodeIssued, volunteer, $"{by} 签发一次性扫码登录码，有效至 {expiresAt.ToOffset(TimeSpan.FromHours(8)):HH:mm}（北京时间）");
    }

    /// <param name="reason">unknown, used, expired or not-a-volunteer.</param>
    public void SignInCodeRefused(string reason, Guid? userId)
    {
        log.LogWarning("Security event sign-in-code-refused ({Reason}): user {UserId} from {Address}", reason, userId, Address);
        audit.Record(db, SecurityEventKind.TrustedDeviceSignedIn, userId is { } id ? new SecuritySubject("user", id.ToString(), null, string.Empty) : null,
            reason switch
            {
                "used" => "扫码登录码已用过",
                "expired" => "扫码登录码已过期",
                "not-a-volunteer" => "该账户不能扫码登录",
                _ => "无效的扫码登录码",
            }, SecurityOutcome.Refused);
        db.SaveChanges();
    }

    public void TrustedDeviceSignedIn(UserAccount user, TrustedDevice device)
    {
        log.LogInformation("Security event trusted-device-signed-in: volunteer {UserName} ({UserId}) on device {DeviceId} ({Label}) from {Address}",
            user.UserName, user.Id, device.Id, device.Label, Address);
        Record(SecurityEventKind.TrustedDeviceSignedIn, user, $"扫码登记信任设备“{device.Label}”", actor: user);
    }

    public void TrustedDeviceRevoked(TrustedDevice device, string by)
    {
        log.LogWarning("Security event trusted-device-revoked: device {DeviceId} ({Label}) of user {UserId} by {By} from {Address}",
            device.Id, device.Label, device.UserId, by, Address);
        audit.Record(db, SecurityEventKind.TrustedDeviceRevoked, new SecuritySubject("user", device.UserId.ToString(), null, string.Empty),
            $"{by} 撤销信任设备“{device.Label}”，该设备的会话立即结束");
    }

    /// <param name="actor">The person signing in (before any session exists the request carries no one).</param>
    private void Record(SecurityEventKind kind, UserAccount user, string detail, SecurityOutcome outcome = SecurityOutcome.Success,
        UserAccount? actor = null, bool save = false)
    {
        audit.Record(db, kind, SecuritySubject.User(user), detail, outcome,
            actorName: actor is null || http.HttpContext?.User.Identity?.IsAuthenticated == true ? null : actor.UserName,
            actorId: actor is null || http.HttpContext?.User.Identity?.IsAuthenticated == true ? null : actor.Id);
        if (save)
        {
            db.SaveChanges();
        }
    }
}
