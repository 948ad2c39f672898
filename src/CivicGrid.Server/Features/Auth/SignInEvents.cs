using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Features.Auth;

/// <summary>
/// The security events of second-factor and trusted-device sign-in, in one place: each goes into the security audit
/// trail (<see cref="SecurityAudit"/>) on the request's context, so it is written by the save of the change it describes
/// (every call is made before that save), and into the log. During a sign-in nobody is signed in yet: the actor is the
/// user signing in.
/// </summary>
public sealed class SignInEvents(CivicGridDbContext db, SecurityAudit audit, IHttpContextAccessor http, ILogger<SignInEvents> log)
{
    private string? Address => http.HttpContext?.Connection.RemoteIpAddress?.ToString();

    private bool SignedIn => http.HttpContext?.User.Identity?.IsAuthenticated == true;

    public void Enrolled(UserAccount user)
    {
        Record(SecurityEventKind.SecondFactorEnrolled, user, "设置两步验证（身份验证器）");
        log.LogInformation("Security event second-factor-enrolled: user {UserName} ({UserId}) from {Address}", user.UserName, user.Id, Address);
    }

    public void RecoveryCodesRegenerated(UserAccount user)
    {
        Record(SecurityEventKind.AccountChanged, user, "重新生成两步验证恢复码，旧恢复码作废");
        log.LogInformation("Security event recovery-codes-regenerated: user {UserName} ({UserId}) from {Address}", user.UserName, user.Id, Address);
    }

    /// <param name="kind">wrong-code, replayed-code, wrong-recovery-code or wrong-enrolment-code.</param>
    public void WrongSecondFactor(UserAccount user, string kind)
    {
        var detail = kind switch
        {
            "replayed-code" => "验证码重复使用",
            "wrong-recovery-code" => "恢复码错误或已使用",
            "wrong-enrolment-code" => "设置两步验证时验证码错误",
            _ => "验证码错误",
        };
        Record(SecurityEventKind.SecondFactorFailed, user, detail, SecurityOutcome.Failure);
        log.LogWarning("Security event second-factor-failed ({Kind}): user {UserName} ({UserId}) from {Address}", kind, user.UserName, user.Id, Address);
    }

    public void RecoveryCodeUsed(UserAccount user, int left)
    {
        Record(SecurityEventKind.RecoveryCodeUsed, user, $"使用恢复码登录，剩余 {left} 个");
        log.LogWarning("Security event recovery-code-used: user {UserName} ({UserId}) from {Address}, {Left} codes left", user.UserName, user.Id, Address, left);
    }

    public void SecondFactorReset(UserAccount user, string by)
    {
        Record(SecurityEventKind.SecondFactorReset, user, "重置两步验证，下次登录须重新设置");
        log.LogWarning("Security event second-factor-reset: user {UserName} ({UserId}) by {By} from {Address}", user.UserName, user.Id, by, Address);
    }

    public void SignInCodeIssued(UserAccount volunteer, string by, DateTimeOffset expiresAt)
    {
        Record(SecurityEventKind.SignInCodeIssued, volunteer, $"生成扫码登录二维码，有效至北京时间 {expiresAt.ToOffset(TimeSpan.FromHours(8)):HH:mm:ss}");
        log.LogInformation("Security event sign-in-code-issued: volunteer {UserName} ({UserId}) by {By} from {Address}, valid until {ExpiresAt}",
            volunteer.UserName, volunteer.Id, by, Address, expiresAt);
    }

    /// <summary>A refused sign-in code; nothing else is saved with it, so it is saved here.</summary>
    /// <param name="reason">unknown, used, expired or not-a-volunteer.</param>
    public async Task SignInCodeRefusedAsync(string reason, UserAccount? user, CancellationToken ct)
    {
        var detail = reason switch
        {
            "used" => "扫码登录被拒绝：二维码已使用",
            "expired" => "扫码登录被拒绝：二维码已过期",
            "not-a-volunteer" => "扫码登录被拒绝：账户不是微网格志愿者或已停用",
            _ => "扫码登录被拒绝：二维码无效",
        };
        audit.Record(db, SecurityEventKind.SignInFailed, user is null ? null : SecuritySubject.User(user), detail, SecurityOutcome.Refused,
            actorName: user?.UserName, actorId: user?.Id);
        await db.SaveChangesAsync(ct);
        log.LogWarning("Security event sign-in-code-refused ({Reason}): user {UserId} from {Address}", reason, user?.Id, Address);
    }

    public void TrustedDeviceSignedIn(UserAccount user, TrustedDevice device)
    {
        Record(SecurityEventKind.TrustedDeviceSignedIn, user, $"扫码登录，手机成为受信任设备（{device.Label}）");
        log.LogInformation("Security event trusted-device-signed-in: volunteer {UserName} ({UserId}) on device {DeviceId} ({Label}) from {Address}",
            user.UserName, user.Id, device.Id, device.Label, Address);
    }

    public void TrustedDeviceRevoked(TrustedDevice device, string by)
    {
        audit.Record(db, SecurityEventKind.TrustedDeviceRevoked, new SecuritySubject("trusted-device", device.Id.ToString(), device.Label, device.ScopeCode),
            $"撤销受信任设备（用户 {device.UserId}）");
        log.LogWarning("Security event trusted-device-revoked: device {DeviceId} ({Label}) of user {UserId} by {By} from {Address}",
            device.Id, device.Label, device.UserId, by, Address);
    }

    private void Record(SecurityEventKind kind, UserAccount user, string detail, SecurityOutcome outcome = SecurityOutcome.Success) =>
        audit.Record(db, kind, SecuritySubject.User(user), detail, outcome, actorName: SignedIn ? null : user.UserName, actorId: SignedIn ? null : user.Id);
}
