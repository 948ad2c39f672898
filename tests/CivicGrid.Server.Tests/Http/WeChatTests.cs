using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Features.WeChat;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The residents' WeChat end against <see cref="FakeWeChatServer"/>, which implements WeChat's documented endpoints and
/// refuses what WeChat refuses (wrong secret, a code used twice, an unknown or expired access token): sign-in by web
/// authorisation with its state checks, the JS-SDK signature, template messages through the outbox, and claiming reports
/// made anonymously before. Each test has its own fake and a server configured for it, on the class's database.
/// </summary>
public abstract class WeChatTests(CivicGridApp app) : IAsyncLifetime
{
    private const string AppId = "wx0123456789abcdef";
    private const string AppSecret = "fake-app-secret-0123456789abcdef";

    private FakeWeChatServer _fake = null!;
    private WebApplicationFactory<Program> _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeWeChatServer.StartAsync(AppId, AppSecret, ct: Ct);
        // The token and ticket cached by an earlier test came from that test's fake.
        await app.WithDatabaseAsync(db => db.WeChatCredentials.ExecuteDeleteAsync(Ct));
        _server = app.WithWebHostBuilder(b =>
        {
            b.UseSetting("WeChat:AppId", AppId);
            b.UseSetting("WeChat:AppSecret", AppSecret);
            b.UseSetting("WeChat:OAuthBaseUrl", _fake.Address.ToString());
            b.UseSetting("WeChat:ApiBaseUrl", _fake.Address.ToString());
            b.UseSetting("WeChat:PublicBaseUrl", "http://localhost");
            b.UseSetting("WeChat:RequestTimeout", "00:00:01");
            foreach (var step in new[] { "received", "accepted", "handled", "verify", "closed" })
            {
                b.UseSetting($"WeChat:Templates:{step}", "tpl-" + step);
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _fake.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task SignIn_ByOpenId_CreatesTheResidentOnce_ThenReusesTheAccount()
    {
        var openId = NewOpenId();
        using var browser = Browser();

        var start = await browser.GetAsync(new Uri("/api/wechat/sign-in?returnPath=/m/report", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.StartsWith($"{_fake.Address}connect/oauth2/authorize?appid={AppId}&redirect_uri=", authorize.ToString(), StringComparison.Ordinal);
        Assert.Contains("&response_type=code&scope=snsapi_base&state=", authorize.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("#wechat_redirect", authorize.ToString(), StringComparison.Ordinal);

        var first = await SignInAsync(browser, openId);
        Assert.Equal("/m/report", first.Location);
        var me = await HttpAnswers.OkAsync(await browser.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct));
        Assert.Equal(["resident"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var userId = me.GetProperty("id").GetGuid();

        using var again = Browser();
        var second = await SignInAsync(again, openId);
        var meAgain = await HttpAnswers.OkAsync(await again.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct));
        Assert.Equal(userId, meAgain.GetProperty("id").GetGuid());
        Assert.Equal("/m/report", second.Location);

        var (identities, address) = await app.WithDatabaseAsync(async db => (
            (await db.WeChatIdentities.IgnoreQueryFilters().Where(i => i.UserId == userId).ToListAsync(Ct)).Count,
            (await db.UserChannelAddresses.IgnoreQueryFilters().SingleAsync(a => a.UserId == userId && a.Channel == OutboxChannel.WeChat, Ct)).Address));
        Assert.Equal(1, identities);
        Assert.Equal(openId, address);
    }

    [Fact]
    public async Task SignIn_WithUserInfo_LinksASecondOpenIdByUnionId_AndKeepsTheNickname()
    {
        var unionId = "oUnion" + Guid.NewGuid().ToString("N")[..20];
        var (openA, openB) = (NewOpenId(), NewOpenId());
        _fake.AddPerson(openA, unionId, "王阿姨");
        _fake.AddPerson(openB, unionId, "王阿姨");
        using var first = Browser();
        using var second = Browser();

        await SignInAsync(first, openA, "snsapi_userinfo");
        await SignInAsync(second, openB, "snsapi_userinfo");

        var a = await HttpAnswers.OkAsync(await first.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct));
        var b = await HttpAnswers.OkAsync(await second.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct));
        Assert.Equal(a.GetProperty("id").GetGuid(), b.GetProperty("id").GetGuid());
        Assert.Equal("王阿姨", a.GetProperty("displayName").GetString());
        var identities = await app.WithDatabaseAsync(db => db.WeChatIdentities.IgnoreQueryFilters().Where(i => i.UserId == a.GetProperty("id").GetGuid()).ToListAsync(Ct));
        Assert.Equal(new[] { openA, openB }.Order(StringComparer.Ordinal), identities.Select(i => i.OpenId).Order(StringComparer.Ordinal));
        Assert.All(identities, i => Assert.Equal(unionId, i.UnionId));
    }

    [Fact]
    public async Task ForgedState_AndStateFromAnotherBrowser_AreRefused_AndNothingIsCreated()
    {
        var users = await CountUsersAsync();
        using var browser = Browser();
        var state = await StartAsync(browser);
        var code = _fake.IssueCode(NewOpenId());

        var forged = await CallbackAsync(browser, code, (state[0] == 'f' ? "e" : "f") + state[1..]);
        await HttpAnswers.ProblemAsync(forged, HttpStatusCode.BadRequest, WeChatSignIn.StateProblemType);

        // The right state, but in a browser that did not start the sign-in (no state cookie).
        using var other = Browser();
        var elsewhere = await CallbackAsync(other, code, state);
        var problem = await HttpAnswers.ProblemAsync(elsewhere, HttpStatusCode.BadRequest, WeChatSignIn.StateProblemType);
        Assert.Contains("重新进入", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(users, await CountUsersAsync());
    }

    [Fact]
    public async Task ReusedState_IsRefused_EvenWithItsCookie()
    {
        using var browser = Browser();
        var state = await StartAsync(browser);
        var signedIn = await CallbackAsync(browser, _fake.IssueCode(NewOpenId()), state, json: false);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        using var replay = Browser();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/wechat/callback?code={_fake.IssueCode(NewOpenId())}&state={state}");
        request.Headers.Add("Cookie", $"{WeChatSignIn.StateCookie}={state}");
        request.Headers.Add("Accept", "application/json");
        await HttpAnswers.ProblemAsync(await replay.SendAsync(request, Ct), HttpStatusCode.BadRequest, WeChatSignIn.StateProblemType);
    }

    [Fact]
    public async Task CodeUsedTwice_IsRefusedByWeChat_AndAnsweredInChinese()
    {
        var code = _fake.IssueCode(NewOpenId());
        using var first = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await CallbackAsync(first, code, await StartAsync(first), json: false)).StatusCode);
        var users = await CountUsersAsync();

        using var second = Browser();
        var again = await CallbackAsync(second, code, await StartAsync(second));
        var problem = await HttpAnswers.ProblemAsync(again, HttpStatusCode.BadRequest, WeChatSignIn.CodeProblemType);
        Assert.Contains("授权码", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(users, await CountUsersAsync());
    }

    [Fact]
    public async Task ProviderError_And_SlowProvider_AreClearProblems_AndCreateNothing()
    {
        var users = await CountUsersAsync();
        _fake.NextExchangeError = -1; // 系统繁忙
        using var browser = Browser();
        var error = await CallbackAsync(browser, _fake.IssueCode(NewOpenId()), await StartAsync(browser));
        var problem = await HttpAnswers.ProblemAsync(error, HttpStatusCode.BadGateway, WeChatSignIn.ProviderProblemType);
        Assert.Contains("微信错误码 -1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        _fake.Delay = TimeSpan.FromSeconds(3);
        using var slow = Browser();
        var timedOut = await CallbackAsync(slow, _fake.IssueCode(NewOpenId()), await StartAsync(slow));
        await HttpAnswers.ProblemAsync(timedOut, HttpStatusCode.GatewayTimeout, WeChatSignIn.UnavailableProblemType);

        // A browser (not asking for JSON) is sent to the phone page that explains it and offers the anonymous report.
        using var page = Browser();
        var shown = await CallbackAsync(page, _fake.IssueCode(NewOpenId()), await StartAsync(page), json: false);
        Assert.Equal(HttpStatusCode.Redirect, shown.StatusCode);
        Assert.StartsWith("/m/wechat?failed=timeout", shown.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(users, await CountUsersAsync());
    }

    [Fact]
    public async Task OutsideWeChatConfiguration_TheEndpointsSayItIsOff()
    {
        using var plain = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var status = await HttpAnswers.OkAsync(await plain.GetAsync(new Uri("/api/wechat/status", UriKind.Relative), Ct));
        Assert.False(status.GetProperty("enabled").GetBoolean());
        await HttpAnswers.ProblemAsync(await plain.GetAsync(new Uri("/api/wechat/sign-in", UriKind.Relative), Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task JsConfig_IsSignedWithTheTicket_AsWeChatDefinesIt_AndTheTicketIsFetchedOnce()
    {
        // The worked example of the JS-SDK document (附录1): the same inputs give its published signature.
        Assert.Equal("0f9de62fce790f9a083d5c99e95740ceb90c27ed", WeChatApi.Signature(
            "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg", "Wm3WZYTPz0wzccnW", 1414587457,
            "http://mp.weixin.qq.com?params=value"));

        using var browser = Browser();
        const string page = "http://localhost/m/report?from=menu";
        var config = await HttpAnswers.OkAsync(await browser.GetAsync(new Uri($"/api/wechat/js-config?url={Uri.EscapeDataString(page + "#top")}", UriKind.Relative), Ct));
        var ticket = Assert.Single(_fake.Tickets);
        var text = $"jsapi_ticket={ticket}&noncestr={config.GetProperty("nonceStr").GetString()}&timestamp={config.GetProperty("timestamp").GetInt64().ToString(CultureInfo.InvariantCulture)}&url={page}";
#pragma warning disable CA5350 // WeChat defines the signature with SHA-1.
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text))), config.GetProperty("signature").GetString());
#pragma warning restore CA5350
        Assert.Equal(AppId, config.GetProperty("appId").GetString());

        await HttpAnswers.OkAsync(await browser.GetAsync(new Uri($"/api/wechat/js-config?url={Uri.EscapeDataString(page)}", UriKind.Relative), Ct));
        Assert.Equal(1, _fake.TicketCalls);
        Assert.Equal(1, _fake.TokenCalls);

        var foreign = await browser.GetAsync(new Uri("/api/wechat/js-config?url=" + Uri.EscapeDataString("https://evil.example/m/report"), UriKind.Relative), Ct);
        await HttpAnswers.ProblemAsync(foreign, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TemplateMessages_ReachWeChatOncePerPublicStep_WithTheirTemplateAndALinkToTheCase()
    {
        var (userId, openId) = await SignedInResidentAsync();
        var crew = await CrewCases.CrewAsync(app, Ct);
        var now = DateTimeOffset.UtcNow.AddHours(-3);
        var subject = await CrewCases.CreateAsync(app, crew, now, reporterId: userId, steps: c => Walk(c, crew, userId, now));

        await DrainAsync();
        await DrainAsync();

        var sent = _fake.Sent.Where(m => m.ToUser == openId).ToList();
        Assert.Equal(["tpl-received", "tpl-accepted", "tpl-handled", "tpl-verify", "tpl-closed"], sent.Select(m => m.TemplateId).Order(StepOrder.Instance));
        Assert.All(sent, m =>
        {
            Assert.Equal($"http://localhost/m/mine/{subject.Number}", m.Url);
            Assert.Equal(subject.Number, m.Data["character_string1"]);
            Assert.False(string.IsNullOrEmpty(m.ClientMsgId));
        });
        Assert.Equal("已办结", sent.Single(m => m.TemplateId == "tpl-closed").Data["phrase2"]);

        // Each answer is recorded with WeChat's msgid; the steps without a template (assign, start-handling) are given up, not retried.
        var outbox = await app.WithDatabaseAsync(async db => (await db.OutboxMessages.Where(m => m.CaseNumber == subject.Number).ToListAsync(Ct))
            .Where(m => m.Recipient == openId).ToList());
        Assert.Equal(5, outbox.Count(m => m.State == OutboxState.Sent));
        Assert.All(outbox.Where(m => m.State == OutboxState.Failed), m => Assert.Contains("未配置", m.LastError, StringComparison.Ordinal));
        var recorded = await app.WithDatabaseAsync(db => db.WeChatTemplateDeliveries.Where(d => outbox.Select(m => m.MessageId).Contains(d.MessageId)).ToListAsync(Ct));
        Assert.Equal(sent.Select(m => m.MsgId).Order(), recorded.Select(d => d.MsgId!.Value).Order());

        // A retry of an accepted message (its lease lost, say) is not sent again.
        var sender = _server.Services.GetRequiredService<IWeChatTemplateSender>();
        var done = outbox.First(m => m.State == OutboxState.Sent);
        await sender.SendAsync(new WeChatTemplateMessage(done.MessageId, openId, done.TemplateCode, done.Parameters()), Ct);
        Assert.Equal(5, _fake.Sent.Count(m => m.ToUser == openId));
    }

    [Fact]
    public async Task ExpiredAccessToken_IsRefreshedOnce_AndTheMessageStillGoesOut()
    {
        var (userId, openId) = await SignedInResidentAsync();
        var crew = await CrewCases.CrewAsync(app, Ct);
        var now = DateTimeOffset.UtcNow.AddHours(-1);
        var subject = await CrewCases.CreateAsync(app, crew, now, reporterId: userId);
        await DrainAsync();
        var calls = _fake.TokenCalls;
        Assert.Single(_fake.Sent, m => m.ToUser == openId);

        _fake.ExpireAllTokens();
        await CrewCases.ChangeAsync(app, subject.Number, c => c.Accept(crew.Leader, c.Version, now.AddMinutes(5)));
        await DrainAsync();

        Assert.Equal(calls + 1, _fake.TokenCalls);
        Assert.Equal(["tpl-received", "tpl-accepted"], _fake.Sent.Where(m => m.ToUser == openId).Select(m => m.TemplateId));
        var version = await app.WithDatabaseAsync(db => db.WeChatCredentials.AsNoTracking().SingleAsync(c => c.Kind == WeChatCredential.AccessToken, Ct));
        Assert.Null(version.LeaseOwner);
    }

    [Fact]
    public async Task OptingOutOfWeChat_StopsTheMessages_AndARefusalIsRecordedNotRetried()
    {
        var (userId, openId, browser) = await SignedInResidentWithBrowserAsync();
        using var _ = browser;
        var crew = await CrewCases.CrewAsync(app, Ct);
        var now = DateTimeOffset.UtcNow.AddHours(-1);
        var subject = await CrewCases.CreateAsync(app, crew, now, reporterId: userId);

        // Turned off after the receipt was written: the outbox holds it back.
        var off = await browser.PutAsJsonAsync("/api/notifications/channels/wechat/opt-out", new { optedOut = true }, Ct);
        Assert.True((await HttpAnswers.OkAsync(off)).GetProperty("optedOut").GetBoolean());
        await CrewCases.ChangeAsync(app, subject.Number, c => c.Accept(crew.Leader, c.Version, now.AddMinutes(5)));
        await DrainAsync();
        Assert.DoesNotContain(_fake.Sent, m => m.ToUser == openId);
        var held = await app.WithDatabaseAsync(async db => (await db.OutboxMessages.Where(m => m.CaseNumber == subject.Number).ToListAsync(Ct)).Where(m => m.Recipient == openId).ToList());
        var receipt = Assert.Single(held);
        Assert.Equal(OutboxState.Failed, receipt.State);
        Assert.Contains("关闭", receipt.LastError, StringComparison.Ordinal);

        // On again; the resident has meanwhile refused the account's messages in WeChat: 43101 is recorded once, not retried.
        await HttpAnswers.OkAsync(await browser.PutAsJsonAsync("/api/notifications/channels/wechat/opt-out", new { optedOut = false }, Ct));
        _fake.Refused[openId] = true;
        await CrewCases.ChangeAsync(app, subject.Number, c => c.Assign(crew.Leader, c.Version, now.AddMinutes(6), CaseAssignee.User(crew.Worker.UserId, crew.Worker.DisplayName), now.AddDays(1)));
        await CrewCases.ChangeAsync(app, subject.Number, c => c.StartHandling(crew.Worker, c.Version, now.AddMinutes(7)));
        await CrewCases.ChangeAsync(app, subject.Number, c => c.RecordHandled(crew.Worker, c.Version, now.AddMinutes(8), "已清运", [Guid.NewGuid()]));
        await DrainAsync();
        await DrainAsync();
        var handled = await app.WithDatabaseAsync(async db => (await db.OutboxMessages.Where(m => m.CaseNumber == subject.Number).ToListAsync(Ct))
            .Single(m => m.Recipient == openId && m.Parameters().GetValueOrDefault("step") == "record-handled"));
        Assert.Equal(OutboxState.Failed, handled.State);
        Assert.Equal(1, handled.Attempts);
        Assert.Contains("43101", handled.LastError, StringComparison.Ordinal);
        var delivery = await app.WithDatabaseAsync(db => db.WeChatTemplateDeliveries.SingleAsync(d => d.MessageId == handled.MessageId, Ct));
        Assert.Equal(("refused", 43101), (delivery.Outcome, delivery.ErrCode));
    }

    [Fact]
    public async Task AResidentSignedInByWeChat_ClaimsTheReportsMadeAnonymouslyOnThePhone_ButNotOthers()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var point = await app.WithDatabaseAsync(async db => (await db.Grids.FirstAsync(g => g.Code == crew.MicroGridCode, Ct)).Boundary.InteriorPoint);
        using var anonymous = app.CreateClient();
        async Task<(string Number, string Token)> ReportAsync()
        {
            var created = await HttpAnswers.OkAsync(await anonymous.PostAsJsonAsync("/api/cases", new
            {
                categoryCode = "G0202", description = "想问居住证在哪里办理 " + Guid.NewGuid().ToString("N")[..6],
                lon = point.X.ToString(CultureInfo.InvariantCulture), lat = point.Y.ToString(CultureInfo.InvariantCulture), crs = "wgs84",
            }, Ct), HttpStatusCode.Created);
            return (created.GetProperty("number").GetString()!, created.GetProperty("followToken").GetString()!);
        }

        var mine = await ReportAsync();
        var someoneElses = await ReportAsync();
        var (userId, _, browser) = await SignedInResidentWithBrowserAsync();
        using var _ = browser;

        var claim = await HttpAnswers.OkAsync(await browser.PostAsJsonAsync("/api/wechat/claim-reports", new
        {
            reports = new[] { new { number = mine.Number, followToken = mine.Token }, new { number = someoneElses.Number, followToken = mine.Token } },
        }, Ct));
        Assert.Equal([mine.Number], claim.GetProperty("claimed").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal([someoneElses.Number], claim.GetProperty("notClaimed").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(userId, (await CrewCases.ReadAsync(app, mine.Number)).ReporterId);
        Assert.Null((await CrewCases.ReadAsync(app, someoneElses.Number)).ReporterId);

        // Claimed once: a second claim, by anyone, is refused. Staff may never claim a caller's report.
        var again = await HttpAnswers.OkAsync(await browser.PostAsJsonAsync("/api/wechat/claim-reports", new { reports = new[] { new { number = mine.Number, followToken = mine.Token } } }, Ct));
        Assert.Equal([mine.Number], again.GetProperty("notClaimed").EnumerateArray().Select(n => n.GetString()));
        using var staff = await app.ClientForAsync("leader01");
        var refused = await staff.PostAsJsonAsync("/api/wechat/claim-reports", new { reports = new[] { new { number = someoneElses.Number, followToken = someoneElses.Token } } }, Ct);
        await HttpAnswers.ProblemAsync(refused, HttpStatusCode.Forbidden);
    }

    /// <summary>The public steps of a green case up to its close, the resident rating it (their own act: no message about it).</summary>
    private static void Walk(Case c, CaseCrew crew, Guid resident, DateTimeOffset at)
    {
        c.Accept(crew.Leader, c.Version, at.AddMinutes(5));
        c.Assign(crew.Leader, c.Version, at.AddMinutes(6), CaseAssignee.User(crew.Worker.UserId, crew.Worker.DisplayName), at.AddDays(1));
        c.StartHandling(crew.Worker, c.Version, at.AddMinutes(7));
        c.RecordHandled(crew.Worker, c.Version, at.AddMinutes(30), "已清运", [Guid.NewGuid()]);
        c.Verify(crew.Leader, c.Version, at.AddMinutes(40), true, null);
        c.Evaluate(new Actor(resident, "居民", new HashSet<Role> { Role.Resident }, Scope.Nobody), c.Version, at.AddMinutes(50), 5, null);
        c.Close(crew.Leader, c.Version, at.AddMinutes(60));
    }

    private sealed class StepOrder : IComparer<string>
    {
        public static readonly StepOrder Instance = new();
        private static readonly string[] Order = ["tpl-received", "tpl-accepted", "tpl-handled", "tpl-verify", "tpl-closed"];

        public int Compare(string? x, string? y) => Array.IndexOf(Order, x).CompareTo(Array.IndexOf(Order, y));
    }

    private async Task DrainAsync()
    {
        var dispatcher = _server.Services.GetRequiredService<OutboxDispatcher>();
        OutboxRound round;
        do
        {
            round = await dispatcher.DispatchDueAsync(Ct);
        }
        while (round.Sent + round.Retrying + round.Failed > 0);
    }

    private async Task<(Guid UserId, string OpenId)> SignedInResidentAsync()
    {
        var (userId, openId, browser) = await SignedInResidentWithBrowserAsync();
        browser.Dispose();
        return (userId, openId);
    }

    private async Task<(Guid UserId, string OpenId, HttpClient Browser)> SignedInResidentWithBrowserAsync()
    {
        var openId = NewOpenId();
        var browser = Browser();
        await SignInAsync(browser, openId);
        var me = await HttpAnswers.OkAsync(await browser.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct));
        return (me.GetProperty("id").GetGuid(), openId, browser);
    }

    /// <summary>The whole round trip as a phone makes it: our start, WeChat's authorise page, our callback.</summary>
    private async Task<(HttpStatusCode Status, string? Location)> SignInAsync(HttpClient browser, string openId, string scope = "snsapi_base")
    {
        _fake.CurrentOpenId = openId;
        string code, state;
        if (scope != "snsapi_base")
        {
            state = await StartAsync(browser);
            code = _fake.IssueCode(openId, scope);
        }
        else
        {
            // Through the fake's authorise page, as a browser follows it.
            var start = await browser.GetAsync(new Uri("/api/wechat/sign-in?returnPath=/m/report", UriKind.Relative), Ct);
            using var wechat = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            var authorize = start.Headers.Location!.ToString();
            var back = await wechat.GetAsync(new Uri(authorize[..authorize.IndexOf('#', StringComparison.Ordinal)]), Ct);
            Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
            var query = System.Web.HttpUtility.ParseQueryString(back.Headers.Location!.Query);
            Assert.StartsWith("http://localhost/api/wechat/callback?", back.Headers.Location!.ToString(), StringComparison.Ordinal);
            code = query["code"]!;
            state = query["state"]!;
        }

        var answer = await CallbackAsync(browser, code, state, json: false);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        return (answer.StatusCode, answer.Headers.Location?.ToString());
    }

    /// <summary>Starts a sign-in in <paramref name="browser"/> (which keeps the state cookie); answers the state.</summary>
    private static async Task<string> StartAsync(HttpClient browser)
    {
        var start = await browser.GetAsync(new Uri("/api/wechat/sign-in?returnPath=/m/report", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!.ToString();
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(authorize[..authorize.IndexOf('#', StringComparison.Ordinal)]).Query);
        return query["state"]!;
    }

    private static async Task<HttpResponseMessage> CallbackAsync(HttpClient browser, string code, string state, bool json = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/wechat/callback?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state)}");
        if (json)
        {
            request.Headers.Add("Accept", "application/json");
        }

        return await browser.SendAsync(request, Ct);
    }

    private HttpClient Browser() => _server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private Task<int> CountUsersAsync() => app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().CountAsync(Ct));

    private static string NewOpenId() => "oTest" + Guid.NewGuid().ToString("N")[..23];
}

public sealed class WeChatTestsOnSqlite(SqliteApp app) : WeChatTests(app), IClassFixture<SqliteApp>;

public sealed class WeChatTestsOnPostgres(PostgresApp app) : WeChatTests(app), IClassFixture<PostgresApp>;
