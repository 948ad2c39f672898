using CivicGrid.Domain.Accounts;

namespace CivicGrid.Server.Features.Auth;

/// <summary>
/// The security events of second-factor and trusted-device sign-in, in one place: each is a structured log entry with
/// who, whom and from where (MLPS level 3 "security audit"). Every call is made before the save of the change it
/// describes (a refusal with nothing else to save: before the handler answers), so an append-only audit trail written
/// through the same context lands in the same transaction.
/// </summary>
public sealed class SignInEvents(IHttpContextAccessor http, ILogger<SignInEvents> log)
{
    private string? Address => http.HttpContext?.Connection.RemoteIpAddress?.ToString();

    public void Enrolled(UserAccount user) =>
        log.LogInformation("Security event second-factor-enrolled: user {UserName} ({UserId}) from {Address}", user.UserName, user.Id, Address);

    public void RecoveryCodesRegenerated(UserAccount user) =>
        log.LogInformation("Security event recovery-codes-regenerated: user {UserName} ({UserId}) from {Address}", user.UserName, user.Id, Address);

    /// <param name="kind">wrong-code, replayed-code, wrong-recovery-code or wrong-enrolment-code.</param>
    public void WrongSecondFactor(UserAccount user, string kind) =>
        log.LogWarning("Security event second-factor-failed ({Kind}): user {UserName} ({UserId}) from {Address}", kind, user.UserName, user.Id, Address);

    public void RecoveryCodeUsed(UserAccount user, int left) =>
        log.LogWarning("Security event recovery-code-used: user {UserName} ({UserId}) from {Address}, {Left} codes left", user.UserName, user.Id, Address, left);

    public void SecondFactorReset(UserAccount user, string by) =>
        log.LogWarning("Security event second-factor-reset: user {UserName} ({UserId}) by {By} from {Address}", user.UserName, user.Id, by, Address);

    public void SignInCodeIssued(UserAccount volunteer, string by, DateTimeOffset expiresAt) =>
        log.LogInformation("Security event sign-in-code-issued: volunteer {UserName} ({UserId}) by {By} from {Address}, valid until {ExpiresAt}",
            volunteer.UserName, volunteer.Id, by, Address, expiresAt);

    /// <param name="reason">unknown, used, expired or not-a-volunteer.</param>
    public void SignInCodeRefused(string reason, Guid? userId) =>
        log.LogWarning("Security event sign-in-code-refused ({Reason}): user {UserId} from {Address}", reason, userId, Address);

    public void TrustedDeviceSignedIn(UserAccount user, TrustedDevice device) =>
        log.LogInformation("Security event trusted-device-signed-in: volunteer {UserName} ({UserId}) on device {DeviceId} ({Label}) from {Address}",
            user.UserName, user.Id, device.Id, device.Label, Address);

    public void TrustedDeviceRevoked(TrustedDevice device, string by) =>
        log.LogWarning("Security event trusted-device-revoked: device {DeviceId} ({Label}) of user {UserId} by {By} from {Address}",
            device.Id, device.Label, device.UserId, by, Address);
}
