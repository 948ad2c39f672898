using System.Security.Claims;
using CivicGrid.Domain.Accounts;
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

/// <param name="AccessToken">Bearer token for the <c>Authorization</c> header.</param>
/// <param name="ExpiresAt">Absolute end of the session; an idle session ends earlier.</param>
public sealed record LoginResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, CurrentUserResponse User);

/// <param name="ScopeCode">Root code of the subtree the user works in; empty for the whole system.</param>
public sealed record CurrentUserResponse(Guid Id, string UserName, string DisplayName, IReadOnlyList<string> Roles,
    IReadOnlyList<string> RoleNames, string ScopeCode, string? ScopeName, Guid? OrganisationId);

public static class AuthApi
{
    public const string LoginRateLimit = "login";

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", Login).AllowAnonymous().RequireRateLimiting(LoginRateLimit).WithName("Login")
            .WithSummary("Log in with a user name and password; answers a bearer token and, if asked, sets a session cookie. "
                + "When a second factor is enrolled or required, answers 202 with a short-lived challenge instead (see /api/auth/login/second-factor).");
        group.MapPost("/logout", Logout).WithName("Logout").WithSummary("End the current session (cookie and token alike).");
        group.MapGet("/me", Me).WithName("GetCurrentUser").WithSummary("The logged-in user, their roles and scope.");
        return group;
    }

    public static async Task<Results<Ok<LoginResponse>, Accepted<SecondFactorChallengeResponse>, ProblemHttpResult>> Login(
        LoginRequest request, HttpContext http, CivicGridDbContext db, IPasswordHasher<UserAccount> hasher, SignInSessions sessions,
        SecondFactorSignIn secondFactor, IOptions<AuthOptions> options, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
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
        var normalized = UserAccount.Normalize(request.UserName!);
        var user = await db.Users.IgnoreQueryFilters().SingleOrDefaultAsync(u => u.NormalizedUserName == normalized, ct);
        if (user is null || !user.IsActive)
        {
            // Hash anyway so that a wrong user name takes as long as a wrong password.
            hasher.VerifyHashedPassword(DummyUser, DummyHash.Value, request.Password!);
            log.LogWarning("Failed login for unknown or inactive user {UserName} from {Address}", request.UserName, http.Connection.RemoteIpAddress);
            return InvalidCredentials();
        }

        if (user.IsLockedOut(now))
        {
            log.LogWarning("Login refused for locked user {UserName} from {Address}", user.UserName, http.Connection.RemoteIpAddress);
            return Locked(user.LockedUntil!.Value);
        }

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password!);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var locked = user.RecordFailedLogin(now, options.Value.LockoutPolicy);
            await db.SaveChangesAsync(ct);
            log.LogWarning("Failed login for {UserName} from {Address}; locked: {Locked}", user.UserName, http.Connection.RemoteIpAddress, locked);
            return locked ? Locked(user.LockedUntil!.Value) : InvalidCredentials();
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.ChangePassword(hasher.HashPassword(user, request.Password!), now);
        }

        // The password was right; a second factor may still be needed (then the answer is a challenge, not a session).
        if (await secondFactor.ChallengeAsync(user, request.UseCookie, ct) is { } challenge)
        {
            log.LogInformation("User {UserName} passed the password step; second factor: {Step}", user.UserName, challenge.Step);
            return TypedResults.Accepted((string?)null, challenge);
        }

        return TypedResults.Ok(await sessions.StartAsync(user, request.UseCookie, http, ct));
    }

    public static async Task<NoContent> Logout(HttpContext http, CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (http.User.GetSessionId() is { } sessionId)
        {
            var session = await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId, ct);
            session?.End(time.GetUtcNow());
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
            : await db.Grids.IgnoreQueryFilters().Where(g => g.Code == user.ScopeCode).Select(g => g.Name).SingleOrDefaultAsync(ct);
        return new CurrentUserResponse(user.Id, user.UserName, user.DisplayName,
            [.. user.Roles.Select(r => r.ToClaimValue())], [.. user.Roles.Select(r => r.ToChinese())],
            user.ScopeCode, scopeName, user.OrganisationId);
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
