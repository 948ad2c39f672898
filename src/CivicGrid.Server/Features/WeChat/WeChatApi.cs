using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Cases;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.WeChat;

/// <param name="Enabled">True when the official account is configured: inside WeChat the phone pages sign in by WeChat.</param>
/// <param name="JsSdkScriptUrl">The JS-SDK script to load inside WeChat; null when not configured.</param>
public sealed record WeChatStatusResponse(bool Enabled, string? JsSdkScriptUrl);

/// <summary>What <c>wx.config</c> takes (JS-SDK 步骤三); <c>jsApiList</c> is the page's own.</summary>
public sealed record WeChatJsConfigResponse(string AppId, long Timestamp, string NonceStr, string Signature);

/// <param name="Number">The case number shown when it was reported.</param>
/// <param name="FollowToken">The follow token this browser kept for it.</param>
public sealed record ClaimedReportRequest(string? Number, string? FollowToken);

public sealed record ClaimReportsRequest(IReadOnlyList<ClaimedReportRequest>? Reports);

/// <param name="Claimed">The numbers now in the caller's account.</param>
/// <param name="NotClaimed">The numbers whose token did not match, or that belong to an account already.</param>
public sealed record ClaimReportsResponse(IReadOnlyList<string> Claimed, IReadOnlyList<string> NotClaimed);

/// <summary>The residents' WeChat end: sign-in by web authorisation, the JS-SDK configuration, claiming earlier anonymous reports.</summary>
public static class WeChatApi
{
    public const int MaxClaims = 50;

    public static RouteGroupBuilder MapWeChatApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/wechat").WithTags("WeChat");
        group.MapGet("/status", Status).AllowAnonymous().WithName("GetWeChatStatus")
            .WithSummary("Whether the official account is configured, and the JS-SDK script to load inside WeChat.");
        group.MapGet("/sign-in", WeChatSignIn.Start).AllowAnonymous().WithName("StartWeChatSignIn")
            .WithSummary("Sends the browser to WeChat's web authorisation page (state bound to this browser by a cookie).");
        group.MapGet("/callback", WeChatSignIn.Callback).AllowAnonymous().WithName("WeChatSignInCallback")
            .WithSummary("WeChat's redirect back: checks the state, exchanges the code once, signs the resident in and returns to the page.");
        group.MapGet("/js-config", JsConfig).AllowAnonymous().WithName("GetWeChatJsConfig")
            .WithSummary("The JS-SDK wx.config signature for a page URL of this site (SHA-1 over jsapi_ticket, noncestr, timestamp, url).");
        group.MapPost("/claim-reports", Claim).WithName("ClaimAnonymousReports")
            .WithSummary("A signed-in resident takes the reports they made anonymously on this phone (number and follow token) into their account.");
        return group;
    }

    public static Ok<WeChatStatusResponse> Status(IOptions<WeChatOptions> options) =>
        TypedResults.Ok(options.Value.Enabled
            ? new WeChatStatusResponse(true, options.Value.JsSdkScriptUrl.ToString())
            : new WeChatStatusResponse(false, null));

    /// <param name="url">The page's full URL as the browser has it; the part after # is dropped before signing.</param>
    public static async Task<Results<Ok<WeChatJsConfigResponse>, ProblemHttpResult>> JsConfig(string? url, HttpContext http, WeChatCredentials credentials,
        IOptions<WeChatOptions> options, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return WeChatSignIn.NotConfigured();
        }

        var page = url?.Split('#', 2)[0] ?? string.Empty;
        var root = WeChatSignIn.PublicRoot(http, settings);
        if (!Uri.TryCreate(page, UriKind.Absolute, out var parsed) || !string.Equals(parsed.Authority, root.Authority, StringComparison.OrdinalIgnoreCase)
            || parsed.Scheme != root.Scheme || page.Length > 1000)
        {
            return Problems.Validation("url", "只能为本平台的页面地址生成微信接口签名。");
        }

        string ticket;
        try
        {
            ticket = await credentials.JsApiTicketAsync(ct);
        }
        catch (Exception e) when (e is WeChatApiException or WeChatUnavailableException)
        {
            loggers.CreateLogger(typeof(WeChatApi)).LogWarning(e, "No JS-SDK ticket from WeChat");
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, WeChatSignIn.UnavailableProblemType, "WeChat's JS-SDK ticket is not available.",
                "暂时无法使用微信定位和选图，请用页面上的地图选点和相册按钮。");
        }

        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        return TypedResults.Ok(new WeChatJsConfigResponse(settings.AppId!, timestamp, nonce, Signature(ticket, nonce, timestamp, page)));
    }

    /// <summary>
    /// The JS-SDK signature (附录1-JS-SDK使用权限签名算法): SHA-1, lower-case hex, of
    /// <c>jsapi_ticket=…&amp;noncestr=…&amp;timestamp=…&amp;url=…</c> (the keys in ASCII order, values as they are, the URL without #…).
    /// </summary>
    public static string Signature(string ticket, string nonceStr, long timestamp, string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = $"jsapi_ticket={ticket}&noncestr={nonceStr}&timestamp={timestamp.ToString(CultureInfo.InvariantCulture)}&url={url.Split('#', 2)[0]}";
#pragma warning disable CA5350 // SHA-1 is what WeChat's JS-SDK signature is defined with; it signs nothing of ours.
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5350
    }

    public static async Task<Results<Ok<ClaimReportsResponse>, ProblemHttpResult>> Claim(ClaimReportsRequest? request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        var reports = request?.Reports ?? [];
        if (reports.Count is 0 or > MaxClaims)
        {
            return Problems.Validation("reports", $"请提供 1 到 {MaxClaims} 条此前匿名提交的问题（编号和查询码）。");
        }

        var userId = caller.GetUserId();
        var user = await db.Users.IgnoreQueryFilters().SingleOrDefaultAsync(u => u.Id == userId, ct);
        // Only a resident takes a report in: a staff member holding a caller's follow token must not become its reporter.
        if (user is null || !user.Roles.All(r => r == Role.Resident))
        {
            return Problems.Forbidden("只有居民账户可以认领此前匿名反映的问题。");
        }

        var actor = Actor.Of(user);
        var claimed = new List<string>();
        var refused = new List<string>();
        foreach (var report in reports.Where(r => !string.IsNullOrWhiteSpace(r.Number)).DistinctBy(r => r.Number))
        {
            var number = report.Number!.Trim();
            var hash = string.IsNullOrWhiteSpace(report.FollowToken) || report.FollowToken.Length > 64
                ? null
                : await db.Cases.IgnoreQueryFilters().Where(c => c.Number == number && c.ReporterId == null)
                    .Select(c => EF.Property<string?>(c, CaseConfiguration.FollowTokenHashProperty)).SingleOrDefaultAsync(ct);
            if (hash is null || !CaseIntake.FollowTokenMatches(hash, report.FollowToken))
            {
                refused.Add(number);
                continue;
            }

            var subject = await db.Cases.IgnoreQueryFilters().SingleAsync(c => c.Number == number, ct);
            try
            {
                subject.ClaimReport(actor, time.GetUtcNow());
                await db.SaveChangesAsync(ct);
                claimed.Add(number);
            }
            catch (Exception e) when (e is CaseRuleException or DbUpdateException)
            {
                db.ChangeTracker.Clear();
                refused.Add(number);
            }
        }

        return TypedResults.Ok(new ClaimReportsResponse(claimed, refused));
    }
}
