using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Server.Tests.Infrastructure;

/// <summary>A clock the tests move: the real time plus an offset (TOTP steps, challenge and code expiry, device idle rules).</summary>
public sealed class TestClock : TimeProvider
{
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + _offset;

    public void Advance(TimeSpan by) => _offset += by;
}

/// <summary>An authenticator enrolled by a test: its secret, and the recovery codes it was given.</summary>
public sealed record TestAuthenticator(byte[] Secret, IReadOnlyList<string> RecoveryCodes)
{
    /// <summary>The code the app shows at <paramref name="at"/>.</summary>
    public string CodeAt(DateTimeOffset at) => Totp.CodeAt(Secret, at);
}

/// <summary>
/// Signing in on a server that requires the second factor (<c>Auth:SecondFactor=required</c>, as in production) with the
/// class's database and a <see cref="TestClock"/>: password, then code, enrolment with a code computed here.
/// </summary>
public sealed class SignInKit
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CivicGridApp, SignInKit> Kits = [];

    /// <summary>The kit of a class's app: one required-second-factor server, clock and set of signed-in users per test class.</summary>
    public static SignInKit For(CivicGridApp app) => Kits.GetValue(app, a => new SignInKit(a));

    private SignInKit(CivicGridApp app)
    {
        App = app;
        Server = app.WithWebHostBuilder(b =>
        {
            b.UseSetting("Auth:SecondFactor", "required");
            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
        });
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public CivicGridApp App { get; }

    public WebApplicationFactory<Program> Server { get; }

    public TestClock Clock { get; } = new();

    private readonly Dictionary<string, (string Token, TestAuthenticator? Authenticator)> _signedIn = [];

    public HttpClient Anonymous() => Server.CreateClient();

    public HttpClient WithToken(string token)
    {
        var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The password step: the response (200 session or 202 challenge).</summary>
    public async Task<HttpResponseMessage> PasswordAsync(string userName, string password = CivicGridApp.DemoPassword, bool useCookie = false)
    {
        using var client = Anonymous();
        return await client.PostAsJsonAsync("/api/auth/login", new { userName, password, useCookie }, Ct);
    }

    /// <summary>The challenge of a password step that asked for <paramref name="step"/> (verify or enrol).</summary>
    public async Task<string> ChallengeAsync(string userName, string step)
    {
        using var response = await PasswordAsync(userName);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(step, body.GetProperty("step").GetString());
        return body.GetProperty("challenge").GetString()!;
    }

    /// <summary>Enrols <paramref name="userName"/> at sign-in (they must enrol) and answers the token and the authenticator.</summary>
    public async Task<(string Token, TestAuthenticator Authenticator)> EnrolAtSignInAsync(string userName)
    {
        var challenge = await ChallengeAsync(userName, "enrol");
        using var client = Anonymous();
        var enrolment = await JsonOkAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor/enrolment", new { challenge }, Ct));
        var secret = Base32.Decode(enrolment.GetProperty("secret").GetString()!);
        var confirmed = await JsonOkAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor/enrolment/confirm",
            new { challenge, code = Totp.CodeAt(secret, Clock.GetUtcNow()) }, Ct));
        var codes = confirmed.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        return (confirmed.GetProperty("login").GetProperty("accessToken").GetString()!, new TestAuthenticator(secret, codes));
    }

    /// <summary>Signs an enrolled user in with the next code of their authenticator (the clock moves a step, so the code is fresh).</summary>
    public async Task<string> SignInWithCodeAsync(string userName, TestAuthenticator authenticator)
    {
        Clock.Advance(TimeSpan.FromSeconds(Totp.StepSeconds));
        var challenge = await ChallengeAsync(userName, "verify");
        using var client = Anonymous();
        var login = await JsonOkAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor",
            new { challenge, code = authenticator.CodeAt(Clock.GetUtcNow()) }, Ct));
        return login.GetProperty("accessToken").GetString()!;
    }

    /// <summary>
    /// A bearer token of <paramref name="userName"/>, signing in as the server requires: with the password alone, or
    /// enrolling an authenticator the first time and giving its next code later (kept per kit; a session the clock
    /// ended is replaced).
    /// </summary>
    public async Task<string> TokenForAsync(string userName)
    {
        if (_signedIn.TryGetValue(userName, out var known))
        {
            using var client = WithToken(known.Token);
            using var me = await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct);
            if (me.IsSuccessStatusCode)
            {
                return known.Token;
            }

            var token = known.Authenticator is null
                ? (await JsonOkAsync(await PasswordAsync(userName))).GetProperty("accessToken").GetString()!
                : await SignInWithCodeAsync(userName, known.Authenticator);
            _signedIn[userName] = (token, known.Authenticator);
            return token;
        }

        using var password = await PasswordAsync(userName);
        if (password.StatusCode == HttpStatusCode.OK)
        {
            var token = (await JsonOkAsync(password)).GetProperty("accessToken").GetString()!;
            _signedIn[userName] = (token, null);
            return token;
        }

        var (enrolled, authenticator) = await EnrolAtSignInAsync(userName);
        _signedIn[userName] = (enrolled, authenticator);
        return enrolled;
    }

    public async Task<HttpClient> ClientForAsync(string userName) => WithToken(await TokenForAsync(userName));

    /// <summary>A new account of <paramref name="roles"/> (password <see cref="CivicGridApp.DemoPassword"/>).</summary>
    public async Task<UserAccount> NewUserAsync(string prefix, string scopeCode, params Role[] roles) =>
        await App.CreateUserAsync(CivicGridApp.UniqueName(prefix), scopeCode, roles);

    public static async Task<JsonElement> JsonOkAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    /// <summary>The problem of a refused request: its status, type and a Chinese detail.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
            var problem = JsonDocument.Parse(text).RootElement.Clone();
            Assert.Equal(type, problem.GetProperty("type").GetString());
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem.GetProperty("detail").GetString()!);
            return problem;
        }
    }
}
