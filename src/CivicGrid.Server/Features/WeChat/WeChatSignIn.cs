using System.Security.Cryptography;
using System.Text;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Auth;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.WeChat;

/// <summary>
/// Residents' sign-in by the official account's web authorisation (网页授权, OAuth 2.0 as WeChat documents it):
/// <see cref="Start"/> sends the browser to WeChat's authorisation page with a fresh <c>state</c> that is also set in an
/// HTTP-only cookie and stored (hashed) with its expiry; WeChat sends the browser back to <see cref="Callback"/> with a
/// <c>code</c>, which is accepted only with the same state in the cookie, unused and unexpired (marked used by a conditional
/// update first, so a replay fails even in a race); the code is exchanged once for the openid (and unionid), with
/// <c>snsapi_userinfo</c> the nickname is read too, and the resident is signed in: by openid, else by unionid (a new openid
/// is linked to that account), else a new resident account is made with the WeChat address for template messages, all in
/// one save. Any failure leaves nothing behind and answers a Chinese problem (JSON callers) or the phone page that explains it.
/// </summary>
public static class WeChatSignIn
{
    public const string StateCookie = "cg_wx_state";
    public const int MaxReturnPathLength = 300;

    public const string StateProblemType = "/problems/wechat-state";
    public const string CodeProblemType = "/problems/wechat-code";
    public const string DeniedProblemType = "/problems/wechat-denied";
    public const string ProviderProblemType = "/problems/wechat-error";
    public const string UnavailableProblemType = "/problems/wechat-unavailable";

    /// <summary>
    /// 302 to WeChat's authorisation page; <paramref name="returnPath"/> is the phone page to come back to (a path under /m/).
    /// 404 when the official account is not configured.
    /// </summary>
    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> Start(string? returnPath, HttpContext http, CivicGridDbContext db,
        IOptions<WeChatOptions> options, TimeProvider time, CancellationToken ct)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return NotConfigured();
        }

        var back = SafeReturnPath(returnPath);
        var state = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = time.GetUtcNow();
        db.WeChatSignInStates.Add(new WeChatSignInState(Hash(state), back, settings.Scope, now, now + settings.StateLifetime));
        await db.WeChatSignInStates.Where(s => s.ExpiresAt < now.AddDays(-1)).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);

        http.Response.Cookies.Append(StateCookie, state, new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/api/wechat",
            MaxAge = settings.StateLifetime,
        });
        var redirect = new Uri(PublicRoot(http, settings), "api/wechat/callback").ToString();
        var authorize = $"{settings.OAuthBaseUrl.ToString().TrimEnd('/')}/connect/oauth2/authorize?appid={Uri.EscapeDataString(settings.AppId!)}"
            + $"&redirect_uri={Uri.EscapeDataString(redirect)}&response_type=code&scope={settings.Scope}&state={state}#wechat_redirect";
        return TypedResults.Redirect(authorize);
    }

    /// <summary>Where WeChat sends the browser back: checks the state, exchanges the code, signs the resident in, returns to the page.</summary>
    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> Callback(string? code, string? state, HttpContext http, CivicGridDbContext db,
        WeChatApiClient api, SignInSessions sessions, IOptions<WeChatOptions> options, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return NotConfigured();
        }

        var log = loggers.CreateLogger(typeof(WeChatSignIn));
        var cookie = http.Request.Cookies[StateCookie];
        http.Response.Cookies.Delete(StateCookie, new CookieOptions { Path = "/api/wechat" });
        if (string.IsNullOrEmpty(state) || string.IsNullOrEmpty(cookie)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(cookie)))
        {
            log.LogWarning("WeChat callback refused: the state is missing or not this browser's");
            return Fail(http, "state", null);
        }

        var now = time.GetUtcNow();
        var hash = Hash(state);
        var used = await db.WeChatSignInStates.Where(s => s.StateHash == hash && s.UsedAt == null && s.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.UsedAt, now), ct);
        if (used != 1)
        {
            log.LogWarning("WeChat callback refused: the state is unknown, used or expired");
            return Fail(http, "state", null);
        }

        var started = await db.WeChatSignInStates.AsNoTracking().SingleAsync(s => s.StateHash == hash, ct);
        if (string.IsNullOrEmpty(code))
        {
            // snsapi_userinfo: the resident declined on WeChat's page (WeChat comes back without a code).
            return Fail(http, "denied", started.ReturnPath);
        }

        WeChatUserInfo who;
        try
        {
            var exchanged = await api.ExchangeCodeAsync(code, ct);
            who = new WeChatUserInfo(exchanged.OpenId, exchanged.UnionId, null);
            if (exchanged.Scope.Contains("snsapi_userinfo", StringComparison.Ordinal))
            {
                var info = await api.FetchUserInfoAsync(exchanged.AccessToken, exchanged.OpenId, ct);
                who = new WeChatUserInfo(exchanged.OpenId, info.UnionId ?? exchanged.UnionId, info.Nickname);
            }
        }
        catch (WeChatApiException e)
        {
            log.LogWarning("WeChat refused the sign-in: {ErrCode} {ErrMsg}", e.ErrCode, e.ErrMsg);
            return Fail(http, e.ErrCode is 40029 or 40163 ? "code" : "error", started.ReturnPath, e.ErrCode);
        }
        catch (WeChatUnavailableException e)
        {
            log.LogWarning(e, "WeChat sign-in failed: {Reason}", e.Message);
            return Fail(http, "timeout", started.ReturnPath);
        }

        var user = await FindOrCreateAsync(db, settings.AppId!, who, time.GetUtcNow(), ct);
        if (user is null)
        {
            return Fail(http, "inactive", started.ReturnPath);
        }

        await sessions.StartAsync(user, useCookie: true, http, ct);
        log.LogInformation("Resident {UserName} signed in by WeChat", user.UserName);
        return TypedResults.Redirect(started.ReturnPath);
    }

    /// <summary>
    /// The account of a WeChat identity: by openid, else by unionid (this openid is linked to it), else a new resident
    /// account with the openid as its WeChat address; saved at once, in one save. Null for a deactivated account.
    /// </summary>
    public static async Task<UserAccount?> FindOrCreateAsync(CivicGridDbContext db, string appId, WeChatUserInfo who, DateTimeOffset now, CancellationToken ct)
    {
        var openIndex = db.BlindIndex(WeChatIdentityConfiguration.OpenIdKind, who.OpenId);
        var identities = await db.WeChatIdentities.IgnoreQueryFilters()
            .Where(i => i.AppId == appId && EF.Property<string>(i, WeChatIdentityConfiguration.OpenIdIndexProperty) == openIndex).ToListAsync(ct);
        var identity = identities.SingleOrDefault(i => string.Equals(i.OpenId, who.OpenId, StringComparison.Ordinal));
        if (identity is null && who.UnionId is not null)
        {
            var unionIndex = db.BlindIndex(WeChatIdentityConfiguration.UnionIdKind, who.UnionId);
            var linked = (await db.WeChatIdentities.IgnoreQueryFilters()
                    .Where(i => EF.Property<string>(i, WeChatIdentityConfiguration.UnionIdIndexProperty) == unionIndex).ToListAsync(ct))
                .FirstOrDefault(i => string.Equals(i.UnionId, who.UnionId, StringComparison.Ordinal));
            if (linked is not null)
            {
                identity = new WeChatIdentity(linked.UserId, appId, who.OpenId, who.UnionId, now);
                db.WeChatIdentities.Add(identity);
            }
        }

        UserAccount? user;
        if (identity is null)
        {
            user = new UserAccount($"wx-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}", Nickname(who.Nickname), [Role.Resident], string.Empty, now);
            db.Users.Add(user);
            identity = new WeChatIdentity(user.Id, appId, who.OpenId, who.UnionId, now);
            db.WeChatIdentities.Add(identity);
        }
        else
        {
            identity.SignedIn(who.UnionId, now);
            user = await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Id == identity.UserId, ct);
            if (!user.IsActive)
            {
                return null;
            }
        }

        // Template messages go to the openid of this official account (the resident's own opt-out is kept).
        var address = await db.UserChannelAddresses.IgnoreQueryFilters().SingleOrDefaultAsync(a => a.UserId == user.Id && a.Channel == OutboxChannel.WeChat, ct);
        if (address is null)
        {
            db.UserChannelAddresses.Add(new UserChannelAddress(user.Id, OutboxChannel.WeChat, who.OpenId, now));
        }
        else if (address.Address != who.OpenId)
        {
            address.ChangeTo(who.OpenId, now);
        }

        await db.SaveChangesAsync(ct);
        return user;
    }

    /// <summary>The reasons a sign-in fails, as the phone page and a JSON caller are told.</summary>
    public static (int Status, string Type, string Title, string Detail) Describe(string reason, int? errCode = null) => reason switch
    {
        "state" => (400, StateProblemType, "The sign-in request is unknown, used, expired or not this browser's.",
            "微信登录请求已失效（可能已使用、已过期，或不是在本手机上发起的），请关闭页面后从公众号菜单重新进入。"),
        "code" => (400, CodeProblemType, "WeChat refused the authorisation code (invalid or used).",
            "微信授权码无效或已使用，请关闭页面后从公众号菜单重新进入。"),
        "denied" => (400, DeniedProblemType, "The resident did not authorise.",
            "您没有同意微信授权。您仍可不登录直接反映问题，用查询码跟进办理情况。"),
        "inactive" => (403, Problems.ForbiddenType, "The account is deactivated.", "您的账户已停用，请联系社区工作人员。"),
        "timeout" => (504, UnavailableProblemType, "WeChat did not answer in time.",
            "微信服务器暂时没有响应，请稍后再试；您也可以先不登录直接反映问题。"),
        _ => (502, ProviderProblemType, "WeChat refused the sign-in.",
            $"微信登录暂时不可用（微信错误码 {errCode}），请稍后再试；您也可以先不登录直接反映问题。"),
    };

    private static Results<RedirectHttpResult, ProblemHttpResult> Fail(HttpContext http, string reason, string? returnPath, int? errCode = null)
    {
        if (WantsJson(http))
        {
            var (status, type, title, detail) = Describe(reason, errCode);
            return Problems.Create(status, type, title, detail, new Dictionary<string, object?> { ["reason"] = reason });
        }

        // A browser comes back to the phone page, which explains in Chinese and offers the anonymous report.
        var page = $"/m/wechat?failed={reason}" + (errCode is { } n ? $"&errcode={n}" : string.Empty)
            + (returnPath is null ? string.Empty : $"&next={Uri.EscapeDataString(returnPath)}");
        return TypedResults.Redirect(page);
    }

    private static bool WantsJson(HttpContext http) =>
        http.Request.Headers.Accept.Any(a => a is not null && (a.Contains("application/json", StringComparison.OrdinalIgnoreCase)
            || a.Contains("application/problem+json", StringComparison.OrdinalIgnoreCase)));

    internal static ProblemHttpResult NotConfigured() => Problems.NotFound("本平台未接入微信公众号，请直接在页面上反映问题。");

    /// <summary>A local phone page path, or /m/report: never another site (no open redirect).</summary>
    public static string SafeReturnPath(string? path) =>
        path is { Length: > 2 and <= MaxReturnPathLength } && path.StartsWith("/m/", StringComparison.Ordinal) && !path.Contains("//", StringComparison.Ordinal)
            && !path.Contains('\\', StringComparison.Ordinal) && path.All(c => c > ' ' && c < 127)
            ? path
            : "/m/report";

    /// <summary>This server as residents reach it: <see cref="WeChatOptions.PublicBaseUrl"/>, else the request's own origin.</summary>
    internal static Uri PublicRoot(HttpContext http, WeChatOptions settings)
    {
        var root = settings.PublicBaseUrl?.ToString() ?? $"{http.Request.Scheme}://{http.Request.Host}";
        return new Uri(root.TrimEnd('/') + "/");
    }

    private static string Nickname(string? nickname) =>
        string.IsNullOrWhiteSpace(nickname) ? "微信用户" : nickname.Trim().Length > 40 ? nickname.Trim()[..40] : nickname.Trim();

    private static string Hash(string state) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)));
}
