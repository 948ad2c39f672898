using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Auth;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.TwoFactor;

/// <param name="Challenge">Send it back with the code (or to enrol); valid once, until <paramref name="ExpiresAt"/>.</param>
/// <param name="Step">verify: a code from the authenticator app or a recovery code; enrol: set up an authenticator now.</param>
public sealed record SecondFactorChallengeResponse(string Challenge, SecondFactorStep Step, DateTimeOffset ExpiresAt);

/// <summary>A challenge opened for its next step, with its user and second factor (tracked), or why it cannot be used.</summary>
public sealed record OpenChallenge(SignInChallenge Challenge, UserAccount User, SecondFactor? Factor);

/// <summary>
/// The second step of a password sign-in. After the right password, <see cref="ChallengeAsync"/> decides (by the
/// domain's <see cref="SecondFactor.NextStep"/>) whether a second factor is needed and, if so, answers a short-lived
/// single-use challenge instead of a session; the endpoints of <see cref="SecondFactorLoginApi"/> complete it.
/// </summary>
public sealed class SecondFactorSignIn(CivicGridDbContext db, IOptions<SecondFactorOptions> options, IOptions<AuthOptions> auth, SecurityAudit audit,
    TimeProvider time, ILogger<SecondFactorSignIn> log)
{
    public const string ChallengeType = "/problems/sign-in-challenge";
    public const string WrongCodeType = "/problems/second-factor-code";
    public const string WrongStepType = "/problems/second-factor-step";

    /// <summary>Null when the password is enough; else the challenge to answer (saved, with any pending change of the user).</summary>
    public async Task<SecondFactorChallengeResponse?> ChallengeAsync(UserAccount user, bool useCookie, CancellationToken ct)
    {
        var factor = await db.SecondFactors.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(f => f.UserId == user.Id, ct);
        var step = SecondFactor.NextStep(user.Roles, factor, options.Value.RequiredByRole);
        if (step == SecondFactorStep.None)
        {
            return null;
        }

        var (token, hash) = OneTimeToken.New();
        var challenge = new SignInChallenge(user.Id, hash, step, useCookie, time.GetUtcNow(), options.Value.SecondFactorChallengeLifetime);
        db.SignInChallenges.Add(challenge);
        await db.SaveChangesAsync(ct);
        return new SecondFactorChallengeResponse(token, step, challenge.ExpiresAt);
    }

    /// <summary>
    /// The challenge behind <paramref name="token"/> if it is open, for <paramref name="step"/>, and its user may still
    /// sign in; otherwise the refusal (unknown, used or expired challenge: 401; locked user: 423; the other step: 409).
    /// </summary>
    public async Task<(OpenChallenge? Open, ProblemHttpResult? Refusal)> OpenAsync(string token, SecondFactorStep step, CancellationToken ct)
    {
        var hash = OneTimeToken.Hash(token.Trim());
        var challenge = await db.SignInChallenges.IgnoreQueryFilters().SingleOrDefaultAsync(c => c.TokenHash == hash, ct);
        var now = time.GetUtcNow();
        switch (challenge?.StateAt(now))
        {
            case null:
                return (null, ChallengeRefused("登录验证无效，请重新输入用户名和密码。"));
            case GrantState.Used:
                log.LogWarning("A used sign-in challenge was presented again for user {UserId}", challenge.UserId);
                return (null, ChallengeRefused("此登录验证已经使用过，请重新输入用户名和密码。"));
            case GrantState.Expired:
                return (null, ChallengeRefused($"登录验证已过期（有效 {options.Value.SecondFactorChallengeLifetime.TotalMinutes:0} 分钟），请重新输入用户名和密码。"));
        }

        var user = await db.Users.IgnoreQueryFilters().SingleOrDefaultAsync(u => u.Id == challenge.UserId, ct);
        if (user is null || !user.IsActive)
        {
            return (null, AuthApi.InvalidCredentials());
        }

        if (user.IsLockedOut(now))
        {
            return (null, AuthApi.Locked(user.LockedUntil!.Value));
        }

        if (challenge.Step != step)
        {
            return (null, challenge.Step == SecondFactorStep.Enrol
                ? Problems.Create(StatusCodes.Status409Conflict, WrongStepType, "The user must enrol a second factor first.", "您需要先设置两步验证：用身份验证器扫描二维码后输入验证码。")
                : Problems.Create(StatusCodes.Status409Conflict, WrongStepType, "The user has a second factor already.", "您已设置两步验证，请输入身份验证器上的 6 位验证码。"));
        }

        var factor = await db.SecondFactors.IgnoreQueryFilters().Include(f => f.RecoveryCodes).SingleOrDefaultAsync(f => f.UserId == user.Id, ct);
        return (new OpenChallenge(challenge, user, factor), null);
    }

    /// <summary>
    /// A wrong (or replayed) code or recovery code: counted like a wrong password towards the account's lockout; the
    /// refusal says which, or that the account is now locked.
    /// </summary>
    public async Task<ProblemHttpResult> RefuseCodeAsync(UserAccount user, string detail, CancellationToken ct)
    {
        var locked = user.RecordFailedLogin(time.GetUtcNow(), auth.Value.LockoutPolicy);
        if (locked)
        {
            audit.Record(db, SecurityEventKind.LockedOut, SecuritySubject.User(user),
                $"两步验证连续失败 {auth.Value.MaxFailedAttempts} 次，锁定至 {user.LockedUntil!.Value.ToOffset(TimeSpan.FromHours(8)):HH:mm}",
                SecurityOutcome.Success, actorName: user.UserName, actorId: user.Id);
        }

        await db.SaveChangesAsync(ct);
        log.LogWarning("Wrong second factor for {UserName}; locked: {Locked}", user.UserName, locked);
        return locked ? AuthApi.Locked(user.LockedUntil!.Value) : WrongCode(detail);
    }

    public static ProblemHttpResult WrongCode(string detail) =>
        Problems.Create(StatusCodes.Status401Unauthorized, WrongCodeType, "The second-factor code is wrong.", detail);

    /// <summary>The Chinese sentence for a code that was not accepted.</summary>
    public static string Explain(TotpOutcome outcome) => outcome == TotpOutcome.Replayed
        ? "这个验证码刚刚已经用过，请等身份验证器显示新的验证码后再输入。"
        : "验证码不正确，请输入身份验证器上当前显示的 6 位数字。";

    public static ProblemHttpResult ChallengeRefused(string detail) =>
        Problems.Create(StatusCodes.Status401Unauthorized, ChallengeType, "The sign-in challenge is unknown, used or expired.", detail);
}
