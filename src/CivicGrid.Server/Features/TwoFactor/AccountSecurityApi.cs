using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Auth;
using CivicGrid.Server.Features.TrustedDevices;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.TwoFactor;

/// <param name="Enrolled">An authenticator app is set up; every sign-in asks for its code.</param>
/// <param name="Required">The user's roles need a second factor on this installation (administrators, roles that may reveal personal data).</param>
/// <param name="MustEnrol">The security admin reset it: the next sign-in enrols again.</param>
/// <param name="Pending">An enrolment was started and not yet confirmed with a code.</param>
/// <param name="RecoveryCodesLeft">Unused recovery codes.</param>
public sealed record SecondFactorStatus(bool Enrolled, bool Required, bool MustEnrol, bool Pending, DateTimeOffset? EnrolledAt, int RecoveryCodesLeft,
    DateTimeOffset? ResetAt);

/// <param name="TrustedDevices">The user's phones signed in by a sign-in code, newest first.</param>
/// <param name="CurrentDeviceId">The trusted device this request's session runs on, if any.</param>
public sealed record AccountSecurityResponse(SecondFactorStatus SecondFactor, IReadOnlyList<TrustedDeviceSummary> TrustedDevices, Guid? CurrentDeviceId);

/// <param name="Code">The 6 digits the authenticator app shows now.</param>
public sealed record SecondFactorCodeRequest(string? Code);

/// <param name="RecoveryCodes">Ten one-time recovery codes, shown this once.</param>
public sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes);

/// <summary>
/// The signed-in user's own account security (账号安全): the second factor (enrol, new recovery codes) and their trusted
/// devices; and the security admin's reset of someone's second factor (scoped, audited).
/// </summary>
public static class AccountSecurityApi
{
    public static void MapAccountSecurityApi(this IEndpointRouteBuilder routes)
    {
        var own = routes.MapGroup("/api/account").WithTags("Account security");
        own.MapGet("/security", Get).WithName("GetAccountSecurity").WithSummary("The caller's second factor and trusted devices.");
        own.MapPost("/second-factor/enrolment", StartEnrolment).WithName("StartSecondFactorEnrolment")
            .WithSummary("Start setting up an authenticator app: a new secret as otpauth URI, QR code and text (409 when one is enrolled).");
        own.MapPost("/second-factor/enrolment/confirm", ConfirmEnrolment).WithName("ConfirmSecondFactorEnrolment")
            .RequireRateLimiting(AuthApi.LoginRateLimit)
            .WithSummary("Confirm the enrolment with the app's first code; answers ten recovery codes, shown once.");
        own.MapPost("/second-factor/recovery-codes", RegenerateRecoveryCodes).WithName("RegenerateRecoveryCodes")
            .RequireRateLimiting(AuthApi.LoginRateLimit)
            .WithSummary("Replace the recovery codes with ten new ones (needs a current code from the app); the old ones stop working.");
        own.MapPost("/trusted-devices/{id:guid}/revoke", RevokeOwnDevice).WithName("RevokeOwnTrustedDevice")
            .WithSummary("End one of the caller's trusted devices (its sessions are refused at once).");

        var admin = routes.MapGroup("/api/users/{id:guid}/second-factor").WithTags("Users").RequireAuthorization(Policies.SecurityAdmin);
        admin.MapGet("/", GetForUser).WithName("GetUserSecondFactor").WithSummary("Whether a user in the caller's scope has a second factor (security admin).");
        admin.MapPost("/reset", Reset).WithName("ResetUserSecondFactor")
            .WithSummary("Forget a user's authenticator and recovery codes (a lost phone); they enrol again at the next sign-in. Security admin, scoped, audited.");
    }

    public static async Task<Ok<AccountSecurityResponse>> Get(ClaimsPrincipal principal, CivicGridDbContext db, IOptions<SecondFactorOptions> options,
        IOptions<TrustedDeviceOptions> devices, TimeProvider time, CancellationToken ct)
    {
        var userId = principal.GetUserId()!.Value;
        var factor = await db.SecondFactors.AsNoTracking().Include(f => f.RecoveryCodes).SingleOrDefaultAsync(f => f.UserId == userId, ct);
        var own = await db.TrustedDevices.AsNoTracking().Where(d => d.UserId == userId).OrderByDescending(d => d.CreatedAt).Take(50).ToListAsync(ct);
        var sessionId = principal.GetSessionId();
        var current = await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId).Select(s => s.TrustedDeviceId).SingleOrDefaultAsync(ct);
        var now = time.GetUtcNow();
        return TypedResults.Ok(new AccountSecurityResponse(Status(factor, principal.GetRoles(), options.Value),
            [.. own.Select(d => TrustedDeviceSummary.Of(d, now, devices.Value.Policy))], current));
    }

    public static async Task<Results<Ok<EnrolmentResponse>, ProblemHttpResult>> StartEnrolment(ClaimsPrincipal principal, CivicGridDbContext db,
        AuthenticatorSecrets secrets, TimeProvider time, CancellationToken ct)
    {
        var (user, factor) = await LoadAsync(principal, db, ct);
        if (factor is { IsEnrolled: true })
        {
            return Problems.Conflict("您已设置两步验证。如更换了手机，请联系安全管理员重置后重新设置。");
        }

        if (factor is null)
        {
            factor = new SecondFactor(user.Id, time.GetUtcNow());
            db.SecondFactors.Add(factor);
        }

        var enrolment = secrets.StartEnrolment(factor, user);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(enrolment);
    }

    public static async Task<Results<Ok<RecoveryCodesResponse>, ProblemHttpResult>> ConfirmEnrolment(SecondFactorCodeRequest request,
        ClaimsPrincipal principal, CivicGridDbContext db, AuthenticatorSecrets secrets, SignInEvents events, TimeProvider time, CancellationToken ct)
    {
        var (user, factor) = await LoadAsync(principal, db, ct);
        if (factor is not { IsPending: true })
        {
            return Problems.Conflict(factor is { IsEnrolled: true } ? "您已设置两步验证。" : "请先点击“设置两步验证”并扫描二维码，再输入验证码。");
        }

        var (outcome, codes) = factor.ConfirmEnrolment(secrets.Unprotect(factor.ProtectedSecret!), request.Code, time.GetUtcNow());
        if (outcome != TotpOutcome.Accepted)
        {
            events.WrongSecondFactor(user, "wrong-enrolment-code");
            await db.SaveChangesAsync(ct);
            return Problems.Validation("code", SecondFactorSignIn.Explain(outcome));
        }

        events.Enrolled(user);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new RecoveryCodesResponse(codes));
    }

    public static async Task<Results<Ok<RecoveryCodesResponse>, ProblemHttpResult>> RegenerateRecoveryCodes(SecondFactorCodeRequest request,
        ClaimsPrincipal principal, CivicGridDbContext db, AuthenticatorSecrets secrets, SignInEvents events, TimeProvider time, CancellationToken ct)
    {
        var (user, factor) = await LoadAsync(principal, db, ct);
        if (factor is not { IsEnrolled: true })
        {
            return Problems.Conflict("您还没有设置两步验证，设置完成时会得到恢复码。");
        }

        var now = time.GetUtcNow();
        var outcome = factor.VerifyCode(secrets.Unprotect(factor.ProtectedSecret!), request.Code, now);
        if (outcome != TotpOutcome.Accepted)
        {
            events.WrongSecondFactor(user, outcome == TotpOutcome.Replayed ? "replayed-code" : "wrong-code");
            await db.SaveChangesAsync(ct);
            return Problems.Validation("code", SecondFactorSignIn.Explain(outcome));
        }

        var codes = factor.IssueRecoveryCodes(now);
        events.RecoveryCodesRegenerated(user);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new RecoveryCodesResponse(codes));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeOwnDevice(Guid id, ClaimsPrincipal principal, CivicGridDbContext db,
        SignInEvents events, TimeProvider time, CancellationToken ct)
    {
        var userId = principal.GetUserId()!.Value;
        var device = await db.TrustedDevices.SingleOrDefaultAsync(d => d.Id == id && d.UserId == userId, ct);
        if (device is null)
        {
            return Problems.NotFound("找不到这台设备。");
        }

        device.Revoke(userId, time.GetUtcNow());
        events.TrustedDeviceRevoked(device, principal.Identity?.Name ?? userId.ToString());
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<SecondFactorStatus>, ProblemHttpResult>> GetForUser(Guid id, CivicGridDbContext db,
        IOptions<SecondFactorOptions> options, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Problems.NotFound("找不到该用户，或不在您的管辖范围内。");
        }

        var factor = await db.SecondFactors.IgnoreQueryFilters().AsNoTracking().Include(f => f.RecoveryCodes).SingleOrDefaultAsync(f => f.UserId == id, ct);
        return TypedResults.Ok(Status(factor, user.Roles, options.Value));
    }

    public static async Task<Results<Ok<SecondFactorStatus>, ProblemHttpResult>> Reset(Guid id, ClaimsPrincipal principal, CivicGridDbContext db,
        IOptions<SecondFactorOptions> options, SignInEvents events, TimeProvider time, CancellationToken ct)
    {
        var adminId = principal.GetUserId()!.Value;
        if (id == adminId)
        {
            return Problems.Forbidden("不能重置自己的两步验证，请由另一位安全管理员操作。");
        }

        // The scope filter decides whose second factor this admin may reset; the second factor row itself is personal.
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Problems.NotFound("找不到该用户，或不在您的管辖范围内。");
        }

        var now = time.GetUtcNow();
        var factor = await db.SecondFactors.IgnoreQueryFilters().Include(f => f.RecoveryCodes).SingleOrDefaultAsync(f => f.UserId == id, ct);
        if (factor is null)
        {
            factor = new SecondFactor(id, now);
            db.SecondFactors.Add(factor);
        }

        factor.Reset(adminId, now);
        events.SecondFactorReset(user, principal.Identity?.Name ?? adminId.ToString());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Status(factor, user.Roles, options.Value));
    }

    private static SecondFactorStatus Status(SecondFactor? factor, IReadOnlyCollection<Role> roles, SecondFactorOptions options) => new(
        factor?.IsEnrolled ?? false,
        options.RequiredByRole && roles.Any(Roles.NeedSecondFactor.Contains),
        factor?.MustEnrol ?? false,
        factor?.IsPending ?? false,
        factor?.EnrolledAt,
        factor?.RecoveryCodesLeft ?? 0,
        factor?.ResetAt);

    private static async Task<(UserAccount User, SecondFactor? Factor)> LoadAsync(ClaimsPrincipal principal, CivicGridDbContext db, CancellationToken ct)
    {
        var userId = principal.GetUserId()!.Value;
        var user = await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Id == userId, ct);
        var factor = await db.SecondFactors.Include(f => f.RecoveryCodes).SingleOrDefaultAsync(f => f.UserId == userId, ct);
        return (user, factor);
    }
}
