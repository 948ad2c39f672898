using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.TwoFactor;

/// <param name="Challenge">From the login's 202 answer.</param>
/// <param name="Code">The 6 digits the authenticator app shows now.</param>
/// <param name="RecoveryCode">Instead of a code: one of the ten recovery codes (each works once).</param>
public sealed record SecondFactorLoginRequest(string? Challenge, string? Code, string? RecoveryCode);

/// <param name="Challenge">From the login's 202 answer with step enrol.</param>
public sealed record ChallengeRequest(string? Challenge);

/// <param name="Code">The first code the authenticator app shows for the new secret.</param>
public sealed record ChallengeEnrolmentConfirmRequest(string? Challenge, string? Code);

/// <param name="RecoveryCodes">Ten one-time recovery codes, shown this once: the user keeps them somewhere safe.</param>
public sealed record EnrolledLoginResponse(LoginResponse Login, IReadOnlyList<string> RecoveryCodes);

/// <summary>
/// The second step of a sign-in, answered with the challenge of <c>POST /api/auth/login</c>: a code (or a recovery code)
/// for an enrolled user; for a user who must enrol, the enrolment itself, after which they are signed in.
/// </summary>
public static class SecondFactorLoginApi
{
    public static void MapSecondFactorLoginApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth/login/second-factor").WithTags("Auth").AllowAnonymous().RequireRateLimiting(AuthApi.LoginRateLimit);
        group.MapPost("/", Complete).WithName("CompleteSecondFactorLogin")
            .WithSummary("Complete a sign-in with the authenticator's code or a recovery code; a wrong code counts towards the account's lockout.");
        group.MapPost("/enrolment", StartEnrolment).WithName("StartSecondFactorEnrolmentAtLogin")
            .WithSummary("For a user who must enrol: a new authenticator secret as otpauth URI, QR code and text.");
        group.MapPost("/enrolment/confirm", ConfirmEnrolment).WithName("ConfirmSecondFactorEnrolmentAtLogin")
            .WithSummary("Confirm the enrolment with the app's first code: the user is signed in and gets ten recovery codes (shown once).");
    }

    public static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> Complete(SecondFactorLoginRequest request, HttpContext http,
        SecondFactorSignIn step, AuthenticatorSecrets secrets, SignInSessions sessions, SignInEvents events, TimeProvider time, CancellationToken ct)
    {
        var hasCode = !string.IsNullOrWhiteSpace(request.Code);
        var hasRecovery = !string.IsNullOrWhiteSpace(request.RecoveryCode);
        if (string.IsNullOrWhiteSpace(request.Challenge) || hasCode == hasRecovery)
        {
            return string.IsNullOrWhiteSpace(request.Challenge)
                ? Problems.Validation("challenge", "缺少登录验证，请重新输入用户名和密码。")
                : Problems.Validation("code", "请输入身份验证器上的 6 位验证码，或一个恢复码（二选一）。");
        }

        var (open, refusal) = await step.OpenAsync(request.Challenge, SecondFactorStep.Verify, ct);
        if (open is not { Factor: { IsEnrolled: true } factor })
        {
            return refusal ?? SecondFactorSignIn.ChallengeRefused("登录验证无效，请重新输入用户名和密码。");
        }

        var now = time.GetUtcNow();
        if (hasCode)
        {
            var outcome = factor.VerifyCode(secrets.Unprotect(factor.ProtectedSecret!), request.Code, now);
            if (outcome != TotpOutcome.Accepted)
            {
                events.WrongSecondFactor(open.User, outcome == TotpOutcome.Replayed ? "replayed-code" : "wrong-code");
                return await step.RefuseCodeAsync(open.User, SecondFactorSignIn.Explain(outcome), ct);
            }
        }
        else if (!factor.UseRecoveryCode(request.RecoveryCode, now))
        {
            events.WrongSecondFactor(open.User, "wrong-recovery-code");
            return await step.RefuseCodeAsync(open.User, "恢复码不正确，或已经用过（每个恢复码只能用一次）。", ct);
        }
        else
        {
            events.RecoveryCodeUsed(open.User, factor.RecoveryCodesLeft);
        }

        return await SignInAsync(open, http, sessions, time, ct) is { } login ? TypedResults.Ok(login) : UsedMeanwhile();
    }

    public static async Task<Results<Ok<EnrolmentResponse>, ProblemHttpResult>> StartEnrolment(ChallengeRequest request, SecondFactorSignIn step,
        AuthenticatorSecrets secrets, CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Challenge))
        {
            return Problems.Validation("challenge", "缺少登录验证，请重新输入用户名和密码。");
        }

        var (open, refusal) = await step.OpenAsync(request.Challenge, SecondFactorStep.Enrol, ct);
        if (open is null)
        {
            return refusal!;
        }

        var factor = open.Factor;
        if (factor is null)
        {
            factor = new SecondFactor(open.User.Id, time.GetUtcNow());
            db.SecondFactors.Add(factor);
        }

        var enrolment = secrets.StartEnrolment(factor, open.User);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(enrolment);
    }

    public static async Task<Results<Ok<EnrolledLoginResponse>, ProblemHttpResult>> ConfirmEnrolment(ChallengeEnrolmentConfirmRequest request,
        HttpContext http, SecondFactorSignIn step, AuthenticatorSecrets secrets, SignInSessions sessions, SignInEvents events, TimeProvider time,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Challenge))
        {
            return Problems.Validation("challenge", "缺少登录验证，请重新输入用户名和密码。");
        }

        if (string.IsNullOrWhiteSpace(request.Code))
        {
            return Problems.Validation("code", "请输入身份验证器上显示的 6 位验证码。");
        }

        var (open, refusal) = await step.OpenAsync(request.Challenge, SecondFactorStep.Enrol, ct);
        if (open is null)
        {
            return refusal!;
        }

        if (open.Factor is not { IsPending: true } factor)
        {
            return Problems.Create(StatusCodes.Status409Conflict, SecondFactorSignIn.WrongStepType, "No enrolment has been started.",
                "请先扫描二维码开始设置，再输入验证码。");
        }

        var (outcome, codes) = factor.ConfirmEnrolment(secrets.Unprotect(factor.ProtectedSecret!), request.Code, time.GetUtcNow());
        if (outcome != TotpOutcome.Accepted)
        {
            events.WrongSecondFactor(open.User, "wrong-enrolment-code");
            return await step.RefuseCodeAsync(open.User, SecondFactorSignIn.Explain(outcome), ct);
        }

        events.Enrolled(open.User);
        return await SignInAsync(open, http, sessions, time, ct) is { } login ? TypedResults.Ok(new EnrolledLoginResponse(login, codes)) : UsedMeanwhile();
    }

    /// <summary>Uses the challenge up and opens the session in one save; null when another request used the challenge first.</summary>
    private static async Task<LoginResponse?> SignInAsync(OpenChallenge open, HttpContext http, SignInSessions sessions, TimeProvider time, CancellationToken ct)
    {
        open.Challenge.Use(time.GetUtcNow());
        try
        {
            return await sessions.StartAsync(open.User, open.Challenge.UseCookie, http, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return null;
        }
    }

    private static ProblemHttpResult UsedMeanwhile() => SecondFactorSignIn.ChallengeRefused("此登录验证已经使用过，请重新输入用户名和密码。");
}
