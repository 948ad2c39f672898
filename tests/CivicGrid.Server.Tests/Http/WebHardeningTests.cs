using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Commands;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The web and sign-in findings of the security review (issue 21) on the demo server: the protective headers on every
/// answer, no bearer token in a cookie sign-in's answer, and roles read from the account as stored now, not from the
/// cookie or token.
/// </summary>
public abstract class WebHardeningTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/health/live", HttpStatusCode.OK)]
    [InlineData("/api/cases", HttpStatusCode.Unauthorized)]
    [InlineData("/openapi/v1.json", HttpStatusCode.OK)]
    public async Task EveryAnswer_CarriesNosniff_AReferrerPolicy_AndACspThatForbidsFraming(string path, HttpStatusCode status)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        Assert.Equal(status, response.StatusCode);
        AssertHardened(response);
    }

    [Fact]
    public async Task AnAnswerWrittenByTheExceptionHandler_CarriesTheHeadersToo()
    {
        using var client = app.CreateClient();

        using var response = await client.PostAsync(new Uri("/api/auth/login", UriKind.Relative),
            new StringContent("{\"userName\": ", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertHardened(response);
    }

    private static void AssertHardened(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_SendsNoHsts()
    {
        using var client = app.CreateClient(new() { BaseAddress = new Uri("https://civicgrid.example") });

        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative), Ct);

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task CookieSignIn_AnswersNoBearerToken_WhileAnApiSignInStillGetsOne()
    {
        using var browser = app.CreateClient(new() { HandleCookies = true });
        using var machine = app.CreateClient();

        using var cookie = await browser.PostAsJsonAsync("/api/auth/login", new { userName = "leader01", password = CivicGridApp.DemoPassword, useCookie = true }, Ct);
        var cookieBody = await cookie.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var me = await browser.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct);
        using var api = await machine.PostAsJsonAsync("/api/auth/login", new { userName = "leader01", password = CivicGridApp.DemoPassword }, Ct);
        var apiBody = await api.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, cookie.StatusCode);
        Assert.Equal(JsonValueKind.Null, cookieBody.GetProperty("accessToken").ValueKind);
        Assert.Equal(JsonValueKind.Null, cookieBody.GetProperty("tokenType").ValueKind);
        Assert.Equal("leader01", cookieBody.GetProperty("user").GetProperty("userName").GetString());
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("Bearer", apiBody.GetProperty("tokenType").GetString());
        Assert.False(string.IsNullOrEmpty(apiBody.GetProperty("accessToken").GetString()));
    }

    [Fact]
    public async Task ARoleTakenAway_TakesEffectOnTheNextRequest_ForATokenAndACookieAlike()
    {
        var user = await app.CreateUserAsync(CivicGridApp.UniqueName("demoted"), "610103099", Role.SubdistrictOperator);
        using var withToken = app.CreateClient();
        withToken.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.LoginAsync(user.UserName));
        using var withCookie = app.CreateClient(new() { HandleCookies = true });
        using var signIn = await withCookie.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = CivicGridApp.DemoPassword, useCookie = true }, Ct);
        using var tokenBefore = await withToken.GetAsync(new Uri("/api/devices", UriKind.Relative), Ct);
        using var cookieBefore = await withCookie.GetAsync(new Uri("/api/devices", UriKind.Relative), Ct);

        await app.WithDatabaseAsync(async db =>
        {
            var stored = await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Id == user.Id, Ct);
            stored.Assign([Role.Resident], "610103099");
            return await db.SaveChangesAsync(Ct);
        });
        using var tokenAfter = await withToken.GetAsync(new Uri("/api/devices", UriKind.Relative), Ct);
        using var cookieAfter = await withCookie.GetAsync(new Uri("/api/devices", UriKind.Relative), Ct);
        var me = await withToken.GetFromJsonAsync<JsonElement>("/api/auth/me", Ct);

        Assert.Equal(HttpStatusCode.OK, tokenBefore.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cookieBefore.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, tokenAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, cookieAfter.StatusCode);
        Assert.Equal(["resident"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task AScopeMoved_TakesEffectOnTheNextRequest()
    {
        var user = await app.CreateUserAsync(CivicGridApp.UniqueName("moved"), "610103099", Role.SubdistrictOperator);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.LoginAsync(user.UserName));
        using var before = await client.GetAsync(new Uri("/api/grids/610103099002", UriKind.Relative), Ct);

        await app.WithDatabaseAsync(async db =>
        {
            var stored = await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Id == user.Id, Ct);
            stored.Assign([Role.SubdistrictOperator], "610103099001");
            return await db.SaveChangesAsync(Ct);
        });
        using var after = await client.GetAsync(new Uri("/api/grids/610103099002", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }
}

/// <summary>The same findings where they depend on Production: HSTS, the Secure cookie, forwarded headers, the demo refused.</summary>
public abstract class WebHardeningProductionTests(EmptyDatabases databases) : ProductionTestBase(databases)
{
    private const string Password = "Strong#Pass2026";

    private static readonly Dictionary<string, string> BehindProxy = new()
    {
        ["ReverseProxy:KnownProxies:0"] = "10.0.0.5",
        ["Auth:SecondFactor"] = "optional",
    };

    [Fact]
    public async Task Production_SendsHstsOverHttps_AndTheSessionCookieIsSecureEvenOverPlainHttp()
    {
        var server = await StartAsync(new Dictionary<string, string> { ["Auth:SecondFactor"] = "optional" });
        Assert.Equal(0, await OperatorCommands.RunAsync(["users", "create-admin"], ["boss", "--password", Password], server.Services));
        using var https = server.CreateClient(new() { BaseAddress = new Uri("https://civicgrid.example") });
        using var plain = server.CreateClient(new() { BaseAddress = new Uri("http://civicgrid.example"), HandleCookies = false });

        using var secured = await https.GetAsync(new Uri("/health/live", UriKind.Relative), Ct);
        using var login = await plain.PostAsJsonAsync("/api/auth/login", new { userName = "boss", password = Password, useCookie = true }, Ct);

        Assert.StartsWith("max-age=31536000", secured.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("civicgrid.session=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ForwardedFor_FromAConfiguredProxy_IsTheClientsAddress_FromAnyoneElseItIsIgnored()
    {
        var server = await StartAsync(BehindProxy);
        using var viaProxy = TestPeer.From(server.CreateClient(), "10.0.0.5");
        viaProxy.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        using var direct = TestPeer.From(server.CreateClient(), "192.0.2.77");
        direct.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.10");

        await viaProxy.PostAsJsonAsync("/api/auth/login", new { userName = "proxied", password = "wrong" }, Ct);
        await direct.PostAsJsonAsync("/api/auth/login", new { userName = "spoofer", password = "wrong" }, Ct);
        var addresses = await AddressesOfFailedSignInsAsync(server);

        Assert.Equal("203.0.113.9", addresses["proxied"]);
        Assert.Equal("192.0.2.77", addresses["spoofer"]);
    }

    [Fact]
    public async Task ForwardedFor_WithNoProxyConfigured_IsIgnored_EvenFromTheLoopback()
    {
        var server = await StartAsync();
        using var client = TestPeer.From(server.CreateClient(), "127.0.0.1");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.11");

        await client.PostAsJsonAsync("/api/auth/login", new { userName = "someone", password = "wrong" }, Ct);
        var addresses = await AddressesOfFailedSignInsAsync(server);

        Assert.Equal("127.0.0.1", addresses["someone"]);
    }

    [Fact]
    public async Task DemoEnabled_InProduction_RefusesToStart_NamingDevelopment()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(new Dictionary<string, string> { ["Demo:Enabled"] = "true" }));

        Assert.Contains("only in the Development environment (this is Production)", failure.ToString(), StringComparison.Ordinal);
    }

    private static Task<Dictionary<string, string?>> AddressesOfFailedSignInsAsync(ProductionServer server) =>
        WithDatabaseAsync(server, db => db.SecurityEvents.IgnoreQueryFilters().Where(e => e.Kind == SecurityEventKind.SignInFailed)
            .ToDictionaryAsync(e => e.ActorName, e => e.ClientAddress, Ct));
}

public sealed class WebHardeningTestsOnSqlite(SqliteApp app) : WebHardeningTests(app), IClassFixture<SqliteApp>;

public sealed class WebHardeningTestsOnPostgres(PostgresApp app) : WebHardeningTests(app), IClassFixture<PostgresApp>;

[Collection("Console")]
public sealed class WebHardeningProductionTestsOnSqlite(EmptySqliteDatabases databases) : WebHardeningProductionTests(databases), IClassFixture<EmptySqliteDatabases>;

[Collection("Console")]
public sealed class WebHardeningProductionTestsOnPostgres(EmptyPostgresDatabases databases) : WebHardeningProductionTests(databases), IClassFixture<EmptyPostgresDatabases>;
