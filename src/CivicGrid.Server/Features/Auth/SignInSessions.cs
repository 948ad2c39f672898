using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Auth;

/// <summary>
/// The last step of every way in (a password, a password and a second factor, a volunteer's trusted phone): records the
/// successful sign-in, opens the session, and sets the cookie if asked or else issues the bearer token for it.
/// </summary>
public sealed class SignInSessions(CivicGridDbContext db, TokenIssuer tokens, IOptions<AuthOptions> options, SecurityAudit audit, TimeProvider time,
    ILogger<SignInSessions> log)
{
    /// <summary>Signs <paramref name="user"/> in; on a <paramref name="device"/>, the session follows the device's rules and the cookie outlives the browser.</summary>
    public async Task<LoginResponse> StartAsync(UserAccount user, bool useCookie, HttpContext http, CancellationToken ct, TrustedDevice? device = null)
    {
        var now = time.GetUtcNow();
        var address = http.Connection.RemoteIpAddress?.ToString();
        user.RecordSuccessfulLogin(now);
        var session = device is null
            ? new UserSession(user.Id, useCookie ? "web" : "api", address, now, options.Value.SessionPolicy)
            : UserSession.OnTrustedDevice(device, address, now);
        db.Sessions.Add(session);
        audit.Record(db, SecurityEventKind.SignIn, SecuritySubject.User(user),
            device is not null ? $"受信任手机登录（{device.Label}）" : session.Channel == "web" ? "网页登录" : "接口登录",
            actorName: user.UserName, actorId: user.Id);
        await db.SaveChangesAsync(ct);

        var identity = CivicGridClaims.CreateIdentity(user, session.Id, AuthSetup.Scheme);
        if (useCookie)
        {
            // A password session's cookie ends with the browser; a trusted phone's persists and is renewed as the device is used.
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity),
                new AuthenticationProperties { IsPersistent = device is not null, ExpiresUtc = session.ExpiresAt, AllowRefresh = device is not null });
        }

        log.LogInformation("User {UserName} logged in ({Channel}) from {Address}", user.UserName, session.Channel, address);
        // A cookie sign-in gets no bearer token: a token in the answer would sit in the page's reach, where a script injected
        // into the page could read it and use it elsewhere; the HTTP-only cookie cannot be read.
        var token = useCookie ? null : tokens.Issue(identity, now, session.ExpiresAt);
        return new LoginResponse(token, token is null ? null : "Bearer", session.ExpiresAt, await AuthApi.DescribeAsync(user, db, ct), user.MustChangePassword);
    }
}
