using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Auth;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.TrustedDevices;

/// <param name="Devices">The volunteer's trusted phones, newest first (revoked and expired ones too, for the record).</param>
public sealed record VolunteerSummary(Guid Id, string UserName, string DisplayName, string ScopeCode, string? ScopeName, bool IsActive,
    DateTimeOffset? LastLoginAt, IReadOnlyList<TrustedDeviceSummary> Devices);

/// <param name="Url">The phone page that signs the volunteer in (the code is in its fragment, so it reaches no server log).</param>
/// <param name="QrCode">The URL as a QR code: a data: URI of an SVG image, to show large on the screen.</param>
/// <param name="ExpiresAt">The code works once, until then.</param>
public sealed record SignInCodeResponse(Guid VolunteerId, string VolunteerName, string Url, string QrCode, DateTimeOffset ExpiresAt);

/// <param name="Code">The code from the scanned sign-in URL.</param>
/// <param name="UseCookie">Sign the phone's browser in with a persistent cookie (the phone pages do).</param>
public sealed record TrustedDeviceSignInRequest(string? Code, bool UseCookie = true);

/// <summary>
/// Signing field volunteers in without a password: community staff issue a one-time sign-in code (a QR code) for a
/// micro-grid volunteer of their scope; the volunteer's phone redeems it and becomes a trusted device that stays signed
/// in under its own rules until revoked. Staff-grade roles can never sign in this way.
/// </summary>
public static class VolunteerSignInApi
{
    public const string SignInCodeType = "/problems/sign-in-code";
    public const string NotAVolunteerType = "/problems/not-a-volunteer";

    /// <summary>The phone page a sign-in code opens (under the phone pages' base <c>/m/</c>).</summary>
    public const string LandingPath = "/m/sign-in";

    public static void MapVolunteerSignInApi(this IEndpointRouteBuilder routes)
    {
        var staff = routes.MapGroup("/api/volunteers").WithTags("Volunteer sign-in")
            .RequireAuthorization(p => p.RequireRole(Role.CommunityStaff.ToClaimValue()));
        staff.MapGet("/", ListVolunteers).WithName("ListVolunteers")
            .WithSummary("Micro-grid volunteers in the caller's scope with their trusted devices (community staff).");
        staff.MapPost("/{id:guid}/sign-in-codes", IssueSignInCode).WithName("IssueSignInCode")
            .WithSummary("A one-time sign-in code for a volunteer's phone: URL and QR code, valid a few minutes (community staff, in scope).");
        staff.MapPost("/{id:guid}/devices/{deviceId:guid}/revoke", RevokeDevice).WithName("RevokeVolunteerDevice")
            .WithSummary("End a volunteer's trusted device: its sessions are refused at once (community staff, in scope).");

        routes.MapPost("/api/auth/trusted-device", SignIn).WithTags("Auth").AllowAnonymous().RequireRateLimiting(AuthApi.LoginRateLimit)
            .WithName("SignInTrustedDevice")
            .WithSummary("Redeem a volunteer's sign-in code: the phone becomes a trusted device and is signed in (no password).");
    }

    public static async Task<Ok<List<VolunteerSummary>>> ListVolunteers(CivicGridDbContext db, IOptions<TrustedDeviceOptions> options, TimeProvider time,
        CancellationToken ct)
    {
        var candidates = await db.Users.AsNoTracking().Where(u => u.Roles.Contains(Role.MicroGridWorker)).OrderBy(u => u.ScopeCode).ThenBy(u => u.UserName)
            .Take(2000).ToListAsync(ct);
        var volunteers = candidates.Where(u => Roles.MaySignInByCode(u.Roles)).ToList();
        var ids = volunteers.Select(u => u.Id).ToList();
        var devices = (await db.TrustedDevices.AsNoTracking().Where(d => ids.Contains(d.UserId)).OrderByDescending(d => d.CreatedAt).ToListAsync(ct))
            .ToLookup(d => d.UserId);
        var codes = volunteers.Select(u => u.ScopeCode).Distinct().ToList();
        var names = await db.Grids.AsNoTracking().Where(g => codes.Contains(g.Code)).ToDictionaryAsync(g => g.Code, g => g.Name, ct);
        var now = time.GetUtcNow();
        return TypedResults.Ok(volunteers.Select(u => new VolunteerSummary(u.Id, u.UserName, u.DisplayName, u.ScopeCode, names.GetValueOrDefault(u.ScopeCode),
            u.IsActive, u.LastLoginAt, [.. devices[u.Id].Select(d => TrustedDeviceSummary.Of(d, now, options.Value.Policy))])).ToList());
    }

    public static async Task<Results<Created<SignInCodeResponse>, ProblemHttpResult>> IssueSignInCode(Guid id, ClaimsPrincipal principal, HttpContext http,
        CivicGridDbContext db, IOptions<TrustedDeviceOptions> options, SignInEvents events, TimeProvider time, CancellationToken ct)
    {
        // The scope filter on accounts: a volunteer outside the caller's subtree is not found.
        var volunteer = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct);
        if (volunteer is null)
        {
            return Problems.NotFound("找不到该志愿者，或不在您的管辖范围内。");
        }

        if (!Roles.MaySignInByCode(volunteer.Roles))
        {
            return NotAVolunteer();
        }

        if (!volunteer.IsActive)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, NotAVolunteerType, "The account is deactivated.", "该账户已停用，不能生成登录二维码。");
        }

        var now = time.GetUtcNow();
        var (token, hash) = OneTimeToken.New();
        var code = new SignInCode(volunteer.Id, principal.GetUserId()!.Value, hash, now, options.Value.SignInCodeLifetime);
        db.SignInCodes.Add(code);
        events.SignInCodeIssued(volunteer, principal.Identity?.Name ?? string.Empty, code.ExpiresAt);
        await db.SaveChangesAsync(ct);

        var origin = string.IsNullOrEmpty(options.Value.PublicUrl)
            ? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}"
            : options.Value.PublicUrl.TrimEnd('/');
        var url = $"{origin}{LandingPath}#code={token}";
        return TypedResults.Created((string?)null, new SignInCodeResponse(volunteer.Id, volunteer.DisplayName, url, QrCodes.DataUri(url), code.ExpiresAt));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeDevice(Guid id, Guid deviceId, ClaimsPrincipal principal, CivicGridDbContext db,
        SignInEvents events, TimeProvider time, CancellationToken ct)
    {
        var device = await db.TrustedDevices.SingleOrDefaultAsync(d => d.Id == deviceId && d.UserId == id, ct);
        if (device is null || !await db.Users.AnyAsync(u => u.Id == id, ct))
        {
            return Problems.NotFound("找不到这台设备，或它不属于您管辖范围内的志愿者。");
        }

        device.Revoke(principal.GetUserId()!.Value, time.GetUtcNow());
        events.TrustedDeviceRevoked(device, principal.Identity?.Name ?? string.Empty);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> SignIn(TrustedDeviceSignInRequest request, HttpContext http,
        CivicGridDbContext db, SignInSessions sessions, IOptions<TrustedDeviceOptions> options, SignInEvents events, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Code))
        {
            return Problems.Validation("code", "缺少登录码，请重新扫描社区工作人员出示的二维码。");
        }

        var hash = OneTimeToken.Hash(request.Code.Trim());
        var grant = await db.SignInCodes.IgnoreQueryFilters().SingleOrDefaultAsync(c => c.TokenHash == hash, ct);
        var now = time.GetUtcNow();
        var refusal = grant?.StateAt(now) switch
        {
            null => ("unknown", "这个登录二维码无效，请社区工作人员重新生成。"),
            GrantState.Used => ("used", "这个登录二维码已经用过了，每个二维码只能用一次。请社区工作人员重新生成。"),
            GrantState.Expired => ("expired", "这个登录二维码已过期，请社区工作人员重新生成。"),
            _ => default((string Reason, string Detail)?),
        };
        var user = grant is null ? null : await db.Users.IgnoreQueryFilters().SingleOrDefaultAsync(u => u.Id == grant.UserId, ct);
        if (refusal is { } refused)
        {
            await events.SignInCodeRefusedAsync(refused.Reason, user, ct);
            return CodeRefused(refused.Detail);
        }

        if (user is null || !user.IsActive || !Roles.MaySignInByCode(user.Roles))
        {
            await events.SignInCodeRefusedAsync("not-a-volunteer", user, ct);
            return NotAVolunteer();
        }

        grant!.Use(now);
        var device = new TrustedDevice(user.Id, user.ScopeCode, TrustedDeviceSummary.LabelFrom(http.Request.Headers.UserAgent), now, options.Value.Policy);
        db.TrustedDevices.Add(device);
        events.TrustedDeviceSignedIn(user, device);
        LoginResponse login;
        try
        {
            login = await sessions.StartAsync(user, request.UseCookie, http, ct, device);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CodeRefused("这个登录二维码已经用过了，每个二维码只能用一次。请社区工作人员重新生成。");
        }

        return TypedResults.Ok(login);
    }

    private static ProblemHttpResult CodeRefused(string detail) =>
        Problems.Create(StatusCodes.Status401Unauthorized, SignInCodeType, "The sign-in code is unknown, used or expired.", detail);

    private static ProblemHttpResult NotAVolunteer() => Problems.Create(StatusCodes.Status422UnprocessableEntity, NotAVolunteerType,
        "Only micro-grid volunteers and council members sign in by code.", "只有微网格志愿者和居民议事会成员可以扫码登录；工作人员请使用用户名、密码和两步验证登录。");
}
