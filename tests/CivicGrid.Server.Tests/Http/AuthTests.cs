using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Tests.Http;

/// <summary>Login, tokens and cookies, lockout and session limits, on each provider.</summary>
public abstract class AuthTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Login_AsAdmin_AnswersABearerTokenThatOpensTheApi()
    {
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = "admin", password = CivicGridApp.DemoPassword }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("accessToken").GetString());
        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer", body.GetProperty("tokenType").GetString());
        Assert.Equal("admin", me.GetProperty("userName").GetString());
        Assert.Contains("system-admin", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(string.Empty, me.GetProperty("scopeCode").GetString());
    }

    [Fact]
    public async Task Login_WithCookie_SignsTheBrowserIn()
    {
        using var client = app.CreateClient(new() { HandleCookies = true });

        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = "leader01", password = CivicGridApp.DemoPassword, useCookie = true }, Ct);
        var me = await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("civicgrid.session=", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Login_WithWrongPassword_Answers401InChinese()
    {
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = "ops", password = "wrong-password" }, Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("/problems/invalid-credentials", problem.GetProperty("type").GetString());
        Assert.Equal("用户名或密码错误。", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Login_WithUnknownUser_AnswersTheSameAsAWrongPassword()
    {
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = "nobody-here", password = "whatever" }, Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("/problems/invalid-credentials", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Login_WithMissingFields_NamesEachField()
    {
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = "" }, Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("/problems/validation", problem.GetProperty("type").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("userName", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task Login_FiveFailuresFromOneAddress_ThrottleThatAddressEvenForTheRightPassword_TheRealUserStillSignsInFromTheirs()
    {
        var user = await app.CreateUserAsync(CivicGridApp.UniqueName("lock"), "610103099", Role.SubdistrictOperator);
        using var attacker = TestPeer.From(app.CreateClient(), "198.51.100.66");
        using var owner = TestPeer.From(app.CreateClient(), "203.0.113.20");

        for (var i = 0; i < 4; i++)
        {
            var failed = await attacker.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = "wrong" }, Ct);
            Assert.Equal("/problems/invalid-credentials", (await failed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("type").GetString());
        }

        var fifth = await attacker.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = "wrong" }, Ct);
        var right = await attacker.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = CivicGridApp.DemoPassword }, Ct);
        var problem = await right.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var fromOwner = await owner.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = CivicGridApp.DemoPassword }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, fifth.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Equal("/problems/sign-in-throttled", problem.GetProperty("type").GetString());
        Assert.Equal("尝试次数过多，请 15 分钟后再试。", problem.GetProperty("detail").GetString());
        Assert.Equal("900", right.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.OK, fromOwner.StatusCode);
        var events = await app.WithDatabaseAsync(db => db.SecurityEvents.IgnoreQueryFilters().Where(e => e.SubjectId == user.Id.ToString())
            .Select(e => new { e.Kind, e.ClientAddress }).ToListAsync(Ct));
        Assert.Contains(events, e => e.Kind == SecurityEventKind.LockedOut && e.ClientAddress == "198.51.100.66");
        Assert.Contains(events, e => e.Kind == SecurityEventKind.SignIn && e.ClientAddress == "203.0.113.20");
    }

    [Fact]
    public async Task Login_ThrottledAnswers_AreTheSameForAnExistingAndAnUnknownName_And423IsNeverAnswered()
    {
        var user = await app.CreateUserAsync(CivicGridApp.UniqueName("real"), "610103099", Role.SubdistrictOperator);
        var unknown = CivicGridApp.UniqueName("ghost");
        using var client = TestPeer.From(app.CreateClient(), "198.51.100.67");

        async Task<List<(HttpStatusCode, string?, string?)>> TryAsync(string name)
        {
            var answers = new List<(HttpStatusCode, string?, string?)>();
            for (var i = 0; i < 7; i++)
            {
                var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = name, password = "wrong-" + i }, Ct);
                var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
                answers.Add((response.StatusCode, body.GetProperty("type").GetString(), body.GetProperty("detail").GetString()));
            }

            return answers;
        }

        var real = await TryAsync(user.UserName);
        var ghost = await TryAsync(unknown);

        Assert.Equal(real, ghost);
        Assert.All(real, a => Assert.Equal(HttpStatusCode.Unauthorized, a.Item1));
        Assert.Equal(4, real.Count(a => a.Item2 == "/problems/invalid-credentials"));
        Assert.Equal(3, real.Count(a => a.Item2 == "/problems/sign-in-throttled"));
    }

    [Fact]
    public async Task Logout_EndsTheSessionForItsToken()
    {
        var user = await app.CreateUserAsync(CivicGridApp.UniqueName("logout"), "610103099", Role.SubdistrictOperator);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.LoginAsync(user.UserName));

        var before = await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct);
        var logout = await client.PostAsync(new Uri("/api/auth/logout", UriKind.Relative), null, Ct);
        var after = await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Session_IdleLongerThanTheLimit_IsRefused()
    {
        var user = await app.CreateUserAsync(CivicGridApp.UniqueName("idle"), "610103099", Role.SubdistrictOperator);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.LoginAsync(user.UserName));
        var before = await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct);

        var longAgo = DateTimeOffset.UtcNow.AddMinutes(-31);
        await app.WithDatabaseAsync(db => db.Sessions.IgnoreQueryFilters().Where(s => s.UserId == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, longAgo), Ct));
        var after = await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Session_UsedAgainAfterAFewMinutes_RecordsTheActivity_SoItDoesNotLapseWhileInUse()
    {
        var user = await app.CreateUserAsync(CivicGridApp.UniqueName("busy"), "610103099", Role.SubdistrictOperator);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.LoginAsync(user.UserName));
        var fewMinutesAgo = DateTimeOffset.UtcNow.AddMinutes(-5);
        await app.WithDatabaseAsync(db => db.Sessions.IgnoreQueryFilters().Where(s => s.UserId == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, fewMinutesAgo), Ct));

        var used = await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct);
        var lastSeen = await app.WithDatabaseAsync(db => db.Sessions.IgnoreQueryFilters().Where(s => s.UserId == user.Id).Select(s => s.LastSeenAt).SingleAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.InRange(lastSeen, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Session_OfADeactivatedUser_IsRefused()
    {
        var user = await app.CreateUserAsync(CivicGridApp.UniqueName("gone"), "610103099", Role.SubdistrictOperator);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.LoginAsync(user.UserName));

        await app.WithDatabaseAsync(db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.IsActive, false), Ct));
        var after = await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Token_WithAForgedSignature_IsRefused()
    {
        var token = await app.LoginAsync("admin");
        var forged = token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA");
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);

        var response = await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Passwords_AreStoredAsIdentityHashes()
    {
        var hash = await app.WithDatabaseAsync(db => db.Users.Where(u => u.UserName == "admin").Select(u => u.PasswordHash).SingleAsync(Ct));

        Assert.DoesNotContain(CivicGridApp.DemoPassword, hash, StringComparison.Ordinal);
        Assert.Equal(0x01, Convert.FromBase64String(hash)[0]); // ASP.NET Core Identity v3 format (PBKDF2)
    }
}

public sealed class AuthTestsOnSqlite(SqliteApp app) : AuthTests(app), IClassFixture<SqliteApp>;

public sealed class AuthTestsOnPostgres(PostgresApp app) : AuthTests(app), IClassFixture<PostgresApp>;
