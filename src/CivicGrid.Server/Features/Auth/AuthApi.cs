using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.TwoFactor;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Auth;

/// <param name="UserName">Login name, case-insensitive.</param>
/// <param name="Password">The password in clear; only ever compared with its hash.</param>
/// <param name="UseCookie">Also sign the browser in with an HTTP-only session cookie.</param>
public sealed record LoginRequest(string? UserName, string? Password, bool UseCookie = false);

/// <param name="AccessToken">
/// Bearer token for the <c>Authorization</c> header, for API clients that signed in without a cookie; null for a cookie
/// sign-in, whose session lives only in the HTTP-only cookie, out of any script's reach.
/// </param>
/// <param name="TokenType"><c>Bearer</c> with a token, null without one.</param>
/// <param name="ExpiresAt">Absolute end of the session; an idle session ends earlier.</param>
/// <param name="PasswordChangeRequired">The password was a one-time password from a reset: change it (POST /api/auth/password) before anything else.</param>
public sealed record LoginResponse(string? AccessToken, string? TokenType, DateTimeOffset ExpiresAt, CurrentUserResponse User, bool PasswordChangeRequired = false);

/// <param name="CurrentPassword">The password in use now (the one-time password after a reset).</param>
/// <param name="NewPassword">At least 8 characters of three kinds, not a well-known password, not containing the user name.</param>
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <param name="ScopeCode">Root code of the subtree the user works in; empty for the whole system.</param>
public sealed record CurrentUserResponse(Guid Id, string UserName, string DisplayName, IReadOnlyList<string> Roles,
    IReadOnlyList<string> RoleNames, string ScopeCode, string? ScopeName, Guid? OrganisationId, bool PasswordChangeRequired = false);

public static class AuthApi
{
    public const string LoginRateLimit = "login";

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", Login).AllowAnonymous().RequireRateLimiting(LoginRateLimit).WithName("Login")
            .WithSummary("Log in with a user name and password; answers a bearer token, or with useCookie sets an HTTP-only session cookie instead. "
                + "When a second factor is enrolled or required, answers 202 with a short-lived challenge instead (see /api/auth/login/second-factor).");
        group.MapPost("/logout", Logout).WithName("Logout").WithSummary("End the current session (cookie and token alike).");
        group.MapGet("/me", Me).WithName("GetCurrentUser").WithSummary("The logged-in user, their roles and scope.");
        group.MapPost("/password", ChangePassword).WithName("ChangeOwnPassword").RequireRateLimiting(LoginRateLimit)
            .WithSummary("Change one's own password (the current one is asked again); other sessions of the account end.");
        return group;
    }

    public static async Task<Results<Ok<LoginResponse>, Accepted<SecondFactorChallengeResponse>, ProblemHttpResult>> Login(
        LoginRequest request, HttpContext http, CivicGridDbContext db, IPasswordHasher<UserAccount> hasher, SignInSessions sessions,
        SecondFactorSignIn secondFactor, FailedSignIns failures, SecurityAudit audit, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            errors["userName"] = ["请输入用户名。"];
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["请输入密码。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors, "请输入用户名和密码。");
        }

        var log = loggers.CreateLogger(typeof(AuthApi));
        var now = time.GetUtcNow();
        var typedName = request.UserName!.Trim();
        var normalized = UserAccount.Normalize(request.UserName!);
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var user = await db.Users.IgnoreQueryFilters().SingleOrDefaultAsync(u => u.NormalizedUserName == normalized, ct);
        await failures.ReadAsync(normalized, address, ct);

        // Throttled: refused before the password is looked at, with the same answer whether or not the account exists.
        if (failures.MinutesLeft(user) is > 0 and var minutes)
        {
            hasher.VerifyHashedPassword(DummyUser, DummyHash.Value, request.Password!);
            log.LogWarning("Login refused for throttled user name {UserName} from {Address}", typedName, address);
            audit.Record(db, SecurityEventKind.SignInFailed, user is null ? null : SecuritySubject.User(user), "失败次数过多，锁定期间尝试登录",
                SecurityOutcome.Refused, actorName: typedName, actorId: user?.Id);
            await db.SaveChangesAsync(ct);
            return FailedSignIns.Throttled(http, minutes);
        }

        var verdict = PasswordVerificationResult.Failed;
        if (user is { IsActive: true })
        {
            verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password!);
        }
        else
        {
            // Hash anyway so that a wrong user name takes as long as a wrong password.
            hasher.VerifyHashedPassword(DummyUser, DummyHash.Value, request.Password!);
        }

        if (verdict == PasswordVerificationResult.Failed)
        {
            audit.Record(db, SecurityEventKind.SignInFailed, user is null ? null : SecuritySubject.User(user),
                user is null ? "用户名不存在" : user.IsActive ? "密码错误" : "账户已停用", SecurityOutcome.Failure, actorName: typedName, actorId: user?.Id);
            var throttled = failures.Record(user, typedName, address);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another failure of the same name from the same address stored the first counter at the same moment; it counted.
                log.LogInformation("Concurrent failed logins for {UserName} from {Address}", typedName, address);
            }

            log.LogWarning("Failed login for {UserName} from {Address}; throttled: {Throttled}", typedName, address, throttled);
            return throttled ? FailedSignIns.Throttled(http, failures.MinutesLeft(null)) : InvalidCredentials();
        }

        var account = user!;
        failures.Succeeded();
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            account.ChangePassword(hasher.HashPassword(account, request.Password!), now);
        }

        // The password was right; a second factor may still be needed (then the answer is a challenge, not a session).
        if (await secondFactor.ChallengeAsync(account, request.UseCookie, ct) is { } challenge)
        {
            log.LogInformation("User {UserName} passed the password step; second factor: {Step}", account.UserName, challenge.Step);
            return TypedResults.Accepted((string?)null, challenge);
        }

        return TypedResults.Ok(await sessions.StartAsync(account, request.UseCookie, http, ct));
    }

    public static async Task<NoContent> Logout(HttpContext http, CivicGridDbContext db, SecurityAudit audit, TimeProvider time, CancellationToken ct)
    {
        if (http.User.GetSessionId() is { } sessionId)
        {
            var session = await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId, ct);
            session?.End(time.GetUtcNow());
            audit.Record(db, SecurityEventKind.SignOut, new SecuritySubject("user", http.User.GetUserId()?.ToString(), http.User.Identity?.Name,
                http.User.GetScope().Code), "退出登录");
            await db.SaveChangesAsync(ct);
        }

        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<CurrentUserResponse>, ProblemHttpResult>> Me(ClaimsPrincipal principal, CivicGridDbContext db, CancellationToken ct)
    {
        var userId = principal.GetUserId();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
        return user is null ? Problems.NotFound("找不到当前用户。") : TypedResults.Ok(await DescribeAsync(user, db, ct));
    }

    internal static async Task<CurrentUserResponse> DescribeAsync(UserAccount user, CivicGridDbContext db, CancellationToken ct)
    {
        var scopeName = user.ScopeCode.Length == 0
            ? "全部"
            : await db.GridNameAsync(user.ScopeCode, ct);
        return new CurrentUserResponse(user.Id, user.UserName, user.DisplayName,
            [.. user.Roles.Select(r => r.ToClaimValue())], [.. user.Roles.Select(r => r.ToChinese())],
            user.ScopeCode, scopeName, user.OrganisationId, user.MustChangePassword);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ChangePassword(ChangePasswordRequest request, HttpContext http, CivicGridDbContext db,
        IPasswordHasher<UserAccount> hasher, SecurityAudit audit, IOptions<AuthOptions> options, TimeProvider time, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var user = await db.Users.IgnoreQueryFilters().SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return Problems.NotFound("找不到当前用户。");
        }

        if (string.IsNullOrEmpty(request.CurrentPassword) || hasher.VerifyHashedPassword(user, user.PasswordHash, request.CurrentPassword) == PasswordVerificationResult.Failed)
        {
            var now = time.GetUtcNow();
            var locked = user.RecordFailedLogin(now, options.Value.LockoutPolicy);
            audit.Record(db, SecurityEventKind.PasswordChanged, SecuritySubject.User(user), "修改密码时当前密码错误", SecurityOutcome.Failure);
            await db.SaveChangesAsync(ct);
            return locked ? Locked(user.LockedUntil!.Value) : Problems.Validation("currentPassword", "当前密码不正确。");
        }

        if (string.IsNullOrEmpty(request.NewPassword))
        {
            return Problems.Validation("newPassword", "请输入新密码。");
        }

        if (PasswordRules.Check(request.NewPassword, user.UserName) is { } weak)
        {
            return Problems.Validation("newPassword", weak);
        }

        if (request.NewPassword == request.CurrentPassword)
        {
            return Problems.Validation("newPassword", "新密码不能与当前密码相同。");
        }

        var at = time.GetUtcNow();
        user.ChangePassword(hasher.HashPassword(user, request.NewPassword), at);
        var current = http.User.GetSessionId();
        await foreach (var other in db.Sessions.IgnoreQueryFilters().Where(s => s.UserId == user.Id && s.EndedAt == null && s.Id != current).AsAsyncEnumerable()
            .WithCancellation(ct))
        {
            other.End(at);
        }

        audit.Record(db, SecurityEventKind.PasswordChanged, SecuritySubject.User(user), "本人修改密码，其他会话已结束");
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    internal static ProblemHttpResult InvalidCredentials() => Problems.Create(StatusCodes.Status401Unauthorized,
        Problems.InvalidCredentialsType, "The user name or password is wrong.", "用户名或密码错误。");

    internal static ProblemHttpResult Locked(DateTimeOffset until) => Problems.Create(StatusCodes.Status423Locked,
        Problems.AccountLockedType, "The account is locked after repeated failed logins.",
        $"登录失败次数过多，账户已锁定，请于北京时间 {until.ToOffset(TimeSpan.FromHours(8)):HH:mm} 后再试。",
        new Dictionary<string, object?> { ["lockedUntil"] = until });

    private static readonly UserAccount DummyUser = new("dummy", "dummy", [Role.Resident], string.Empty, DateTimeOffset.UnixEpoch);

    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<UserAccount>().HashPassword(DummyUser, Guid.NewGuid().ToString()));
}
