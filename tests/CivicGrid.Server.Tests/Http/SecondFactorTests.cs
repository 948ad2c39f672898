using System.Net;
using System.Net.Http.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.TwoFactor;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CivicGrid.Server.Tests.Infrastructure.SignInKit;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Two-factor sign-in over real HTTP on each provider, with the second factor required as in production: enrolment at
/// sign-in and from the account page, sign-in with a code or a recovery code, refusals (wrong, replayed, expired or reused
/// challenge, lockout) and the security admin's reset.
/// </summary>
public abstract class SecondFactorTests(CivicGridApp app)
{
    private readonly SignInKit _kit = SignInKit.For(app);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Administrator_WithoutASecondFactor_MustEnrolAtSignIn_AndIsThenSignedIn()
    {
        var admin = await _kit.NewUserAsync("sysadmin", string.Empty, Role.SystemAdmin);
        var challenge = await _kit.ChallengeAsync(admin.UserName, "enrol");
        using var client = _kit.Anonymous();

        // Neither a code nor a session before the enrolment.
        await ProblemAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor", new { challenge, code = "123456" }, Ct),
            HttpStatusCode.Conflict, SecondFactorSignIn.WrongStepType);
        var enrolment = await JsonOkAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor/enrolment", new { challenge }, Ct));
        var secret = Base32.Decode(enrolment.GetProperty("secret").GetString()!);
        Assert.Equal($"otpauth://totp/CivicGrid:{admin.UserName}?secret={Base32.Encode(secret)}&issuer=CivicGrid&algorithm=SHA1&digits=6&period=30",
            enrolment.GetProperty("otpauthUri").GetString());
        Assert.StartsWith("data:image/svg+xml;base64,", enrolment.GetProperty("qrCode").GetString(), StringComparison.Ordinal);
        Assert.Equal(20, secret.Length);

        var wrong = Totp.CodeAt(secret, _kit.Clock.GetUtcNow().AddMinutes(5));
        await ProblemAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor/enrolment/confirm", new { challenge, code = wrong }, Ct),
            HttpStatusCode.Unauthorized, SecondFactorSignIn.WrongCodeType);
        var confirmed = await JsonOkAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor/enrolment/confirm",
            new { challenge, code = Totp.CodeAt(secret, _kit.Clock.GetUtcNow()) }, Ct));

        var codes = confirmed.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(10, codes.Distinct().Count());
        using var signedIn = _kit.WithToken(confirmed.GetProperty("login").GetProperty("accessToken").GetString()!);
        var me = await JsonOkAsync(await signedIn.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct));
        Assert.Equal(admin.UserName, me.GetProperty("userName").GetString());

        // The challenge was used up; the secret is stored encrypted and the recovery codes hashed.
        await ProblemAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor/enrolment/confirm",
            new { challenge, code = Totp.CodeAt(secret, _kit.Clock.GetUtcNow().AddSeconds(30)) }, Ct), HttpStatusCode.Unauthorized, SecondFactorSignIn.ChallengeType);
        var stored = await app.WithDatabaseAsync(db => db.SecondFactors.IgnoreQueryFilters().Include(f => f.RecoveryCodes).SingleAsync(f => f.UserId == admin.Id, Ct));
        Assert.True(stored.IsEnrolled);
        Assert.DoesNotContain(Base32.Encode(secret), stored.ProtectedSecret!, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(secret), stored.ProtectedSecret!, StringComparison.Ordinal);
        Assert.All(stored.RecoveryCodes, c => Assert.DoesNotContain(c.CodeHash, codes));
    }

    [Fact]
    public async Task EnrolledUser_SignsInWithTheCurrentCode_AndTheSameCodeCannotBeUsedAgain()
    {
        var worker = await _kit.NewUserAsync("secops", "610103099", Role.SubdistrictOperator);
        var (_, authenticator) = await _kit.EnrolAtSignInAsync(worker.UserName);
        _kit.Clock.Advance(TimeSpan.FromSeconds(Totp.StepSeconds));
        var code = authenticator.CodeAt(_kit.Clock.GetUtcNow());
        using var client = _kit.Anonymous();

        var first = await JsonOkAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor",
            new { challenge = await _kit.ChallengeAsync(worker.UserName, "verify"), code }, Ct));
        var replay = await ProblemAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor",
            new { challenge = await _kit.ChallengeAsync(worker.UserName, "verify"), code }, Ct), HttpStatusCode.Unauthorized, SecondFactorSignIn.WrongCodeType);

        Assert.False(string.IsNullOrEmpty(first.GetProperty("accessToken").GetString()));
        Assert.Contains("已经用过", replay.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongCodes_CountTowardsTheAccountsLockout()
    {
        var user = await _kit.NewUserAsync("lockme", "610103099", Role.CommunityStaff);
        var (_, authenticator) = await _kit.EnrolAtSignInAsync(user.UserName);
        var wrong = authenticator.CodeAt(_kit.Clock.GetUtcNow().AddMinutes(10));
        using var client = _kit.Anonymous();

        for (var i = 1; i < 5; i++)
        {
            await ProblemAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor",
                new { challenge = await _kit.ChallengeAsync(user.UserName, "verify"), code = wrong }, Ct), HttpStatusCode.Unauthorized, SecondFactorSignIn.WrongCodeType);
        }

        var challenge = await _kit.ChallengeAsync(user.UserName, "verify");
        var fifth = await ProblemAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor", new { challenge, code = wrong }, Ct),
            (HttpStatusCode)423, "/problems/account-locked");
        _kit.Clock.Advance(TimeSpan.FromSeconds(Totp.StepSeconds));
        var right = authenticator.CodeAt(_kit.Clock.GetUtcNow());

        // Locked: neither the open challenge with the right code nor the right password gets in.
        await ProblemAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor", new { challenge, code = right }, Ct), (HttpStatusCode)423, "/problems/account-locked");
        // The password step answers a locked account as any throttled sign-in: 401, never 423 (which would tell it exists).
        await ProblemAsync(await _kit.PasswordAsync(user.UserName), HttpStatusCode.Unauthorized, "/problems/sign-in-throttled");
        Assert.Contains("锁定", fifth.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var failures = await app.WithDatabaseAsync(db => db.SecurityEvents.IgnoreQueryFilters().Where(e => e.SubjectId == user.Id.ToString())
            .Select(e => e.Kind).ToListAsync(Ct));
        Assert.Equal(5, failures.Count(k => k == SecurityEventKind.SecondFactorFailed));
        Assert.Contains(SecurityEventKind.LockedOut, failures);
    }

    [Fact]
    public async Task RecoveryCode_SignsInOnce()
    {
        var user = await _kit.NewUserAsync("recover", "610103099", Role.DistrictViewer);
        var (_, authenticator) = await _kit.EnrolAtSignInAsync(user.UserName);
        var code = authenticator.RecoveryCodes[4];
        using var client = _kit.Anonymous();

        var first = await JsonOkAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor",
            new { challenge = await _kit.ChallengeAsync(user.UserName, "verify"), recoveryCode = code.ToLowerInvariant() }, Ct));
        await ProblemAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor",
            new { challenge = await _kit.ChallengeAsync(user.UserName, "verify"), recoveryCode = code }, Ct), HttpStatusCode.Unauthorized, SecondFactorSignIn.WrongCodeType);
        using var signedIn = _kit.WithToken(first.GetProperty("accessToken").GetString()!);
        var security = await JsonOkAsync(await signedIn.GetAsync(new Uri("/api/account/security", UriKind.Relative), Ct));

        Assert.Equal(9, security.GetProperty("secondFactor").GetProperty("recoveryCodesLeft").GetInt32());
        Assert.True(security.GetProperty("secondFactor").GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task Challenge_ExpiredOrIncomplete_IsRefusedInChinese()
    {
        var user = await _kit.NewUserAsync("slow", "610103099", Role.CommunityStaff);
        var (_, authenticator) = await _kit.EnrolAtSignInAsync(user.UserName);
        var challenge = await _kit.ChallengeAsync(user.UserName, "verify");
        using var client = _kit.Anonymous();

        await ProblemAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor", new { challenge }, Ct), HttpStatusCode.BadRequest, "/problems/validation");
        await ProblemAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor", new { challenge = "not-a-challenge", code = "123456" }, Ct),
            HttpStatusCode.Unauthorized, SecondFactorSignIn.ChallengeType);
        _kit.Clock.Advance(TimeSpan.FromMinutes(6));
        var expired = await ProblemAsync(await client.PostAsJsonAsync("/api/auth/login/second-factor",
            new { challenge, code = authenticator.CodeAt(_kit.Clock.GetUtcNow()) }, Ct), HttpStatusCode.Unauthorized, SecondFactorSignIn.ChallengeType);

        Assert.Contains("过期", expired.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RoleWithoutTheRequirement_SignsInWithThePasswordAlone()
    {
        using var response = await _kit.PasswordAsync(DemoAccounts.GridLeader);

        var body = await JsonOkAsync(response);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("accessToken").GetString()));
    }

    [Fact]
    public async Task AccountPage_EnrolsAnOptionalUser_WhoThenGivesACode_AndMayRegenerateRecoveryCodes()
    {
        var user = await _kit.NewUserAsync("optional", "610103099", Role.GridWorker);
        using var password = await _kit.PasswordAsync(user.UserName);
        using var client = _kit.WithToken((await JsonOkAsync(password)).GetProperty("accessToken").GetString()!);
        var before = await JsonOkAsync(await client.GetAsync(new Uri("/api/account/security", UriKind.Relative), Ct));
        Assert.False(before.GetProperty("secondFactor").GetProperty("required").GetBoolean());

        var enrolment = await JsonOkAsync(await client.PostAsync(new Uri("/api/account/second-factor/enrolment", UriKind.Relative), null, Ct));
        var secret = Base32.Decode(enrolment.GetProperty("secret").GetString()!);
        await ProblemAsync(await client.PostAsJsonAsync("/api/account/second-factor/enrolment/confirm", new { code = "000000" }, Ct),
            HttpStatusCode.BadRequest, "/problems/validation");
        var confirmed = await JsonOkAsync(await client.PostAsJsonAsync("/api/account/second-factor/enrolment/confirm",
            new { code = Totp.CodeAt(secret, _kit.Clock.GetUtcNow()) }, Ct));
        var authenticator = new TestAuthenticator(secret, [.. confirmed.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!)]);
        await ProblemAsync(await client.PostAsync(new Uri("/api/account/second-factor/enrolment", UriKind.Relative), null, Ct), HttpStatusCode.Conflict, "/problems/conflict");

        _kit.Clock.Advance(TimeSpan.FromSeconds(Totp.StepSeconds));
        var fresh = await JsonOkAsync(await client.PostAsJsonAsync("/api/account/second-factor/recovery-codes",
            new { code = authenticator.CodeAt(_kit.Clock.GetUtcNow()) }, Ct));
        var token = await _kit.SignInWithCodeAsync(user.UserName, authenticator);

        Assert.Equal(10, fresh.GetProperty("recoveryCodes").GetArrayLength());
        Assert.DoesNotContain(authenticator.RecoveryCodes[0], fresh.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()));
        Assert.False(string.IsNullOrEmpty(token));
        using var old = _kit.Anonymous();
        await ProblemAsync(await old.PostAsJsonAsync("/api/auth/login/second-factor",
            new { challenge = await _kit.ChallengeAsync(user.UserName, "verify"), recoveryCode = authenticator.RecoveryCodes[0] }, Ct),
            HttpStatusCode.Unauthorized, SecondFactorSignIn.WrongCodeType);
    }

    [Fact]
    public async Task Reset_BySecurityAdmin_MakesTheUserEnrolAgain_AndOnlyTheSecurityAdminMayDoIt()
    {
        var user = await _kit.NewUserAsync("lostphone", "610103099", Role.GridWorker);
        using var password = await _kit.PasswordAsync(user.UserName);
        using (var own = _kit.WithToken((await JsonOkAsync(password)).GetProperty("accessToken").GetString()!))
        {
            var enrolment = await JsonOkAsync(await own.PostAsync(new Uri("/api/account/second-factor/enrolment", UriKind.Relative), null, Ct));
            await JsonOkAsync(await own.PostAsJsonAsync("/api/account/second-factor/enrolment/confirm",
                new { code = Totp.CodeAt(Base32.Decode(enrolment.GetProperty("secret").GetString()!), _kit.Clock.GetUtcNow()) }, Ct));
        }

        var (adminToken, _) = await _kit.EnrolAtSignInAsync(DemoAccounts.SecurityAdmin);
        using var admin = _kit.WithToken(adminToken);
        var (staffToken, _) = await _kit.EnrolAtSignInAsync(DemoAccounts.CommunityStaff);
        using var staff = _kit.WithToken(staffToken);
        var adminId = (await JsonOkAsync(await admin.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct))).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsync(new Uri($"/api/users/{user.Id}/second-factor/reset", UriKind.Relative), null, Ct)).StatusCode);
        await ProblemAsync(await admin.PostAsync(new Uri($"/api/users/{adminId}/second-factor/reset", UriKind.Relative), null, Ct),
            HttpStatusCode.Forbidden, "/problems/forbidden");
        await ProblemAsync(await admin.PostAsync(new Uri($"/api/users/{Guid.NewGuid()}/second-factor/reset", UriKind.Relative), null, Ct),
            HttpStatusCode.NotFound, "/problems/not-found");
        var reset = await JsonOkAsync(await admin.PostAsync(new Uri($"/api/users/{user.Id}/second-factor/reset", UriKind.Relative), null, Ct));
        var status = await JsonOkAsync(await admin.GetAsync(new Uri($"/api/users/{user.Id}/second-factor", UriKind.Relative), Ct));

        Assert.False(reset.GetProperty("enrolled").GetBoolean());
        Assert.True(status.GetProperty("mustEnrol").GetBoolean());
        // A grid worker needs no second factor by role, but after the reset enrols again at the next sign-in.
        var (token, _) = await _kit.EnrolAtSignInAsync(user.UserName);
        Assert.False(string.IsNullOrEmpty(token));

        // The security audit trail has the reset (by the admin) and both enrolments of the user.
        var kinds = await app.WithDatabaseAsync(db => db.SecurityEvents.IgnoreQueryFilters().Where(e => e.SubjectId == user.Id.ToString())
            .Select(e => new { e.Kind, e.ActorId }).ToListAsync(Ct));
        Assert.Contains(kinds, e => e.Kind == SecurityEventKind.SecondFactorReset && e.ActorId == adminId);
        Assert.Equal(2, kinds.Count(e => e.Kind == SecurityEventKind.SecondFactorEnrolled));
    }
}

public sealed class SecondFactorTestsOnSqlite(SqliteApp app) : SecondFactorTests(app), IClassFixture<SqliteApp>;

public sealed class SecondFactorTestsOnPostgres(PostgresApp app) : SecondFactorTests(app), IClassFixture<PostgresApp>;
