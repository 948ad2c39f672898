using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Auth;
using CivicGrid.Server.Features.TrustedDevices;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CivicGrid.Server.Tests.Infrastructure.SignInKit;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Volunteers signed in by a one-time QR code over real HTTP on each provider (second factor required for the staff, as in
/// production): issuing only for volunteers in the staff member's scope, single use, expiry, and trusted-device sessions
/// that follow the device's rules and end at once when it is revoked or the volunteer deactivated.
/// </summary>
public abstract class TrustedDeviceTests(CivicGridApp app)
{
    private readonly SignInKit _kit = SignInKit.For(app);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignInCode_ForAVolunteerInScope_SignsThePhoneInOnce_AsATrustedDevice()
    {
        using var staff = await _kit.ClientForAsync(DemoAccounts.CommunityStaff);
        var volunteer = await FirstVolunteerAsync(staff);
        var issued = await JsonOkAsync(await staff.PostAsync(new Uri($"/api/volunteers/{volunteer.Id}/sign-in-codes", UriKind.Relative), null, Ct));
        var url = issued.GetProperty("url").GetString()!;
        Assert.Contains("/m/sign-in#code=", url, StringComparison.Ordinal);
        Assert.StartsWith("data:image/svg+xml;base64,", issued.GetProperty("qrCode").GetString(), StringComparison.Ordinal);
        var code = url[(url.IndexOf("#code=", StringComparison.Ordinal) + 6)..];

        using var phone = _kit.Anonymous();
        phone.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Linux; Android 10; M2006C3LC) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0");
        using var signIn = await phone.PostAsJsonAsync("/api/auth/trusted-device", new { code, useCookie = true }, Ct);
        Assert.Contains(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("civicgrid.session=", StringComparison.Ordinal) && c.Contains("expires=", StringComparison.OrdinalIgnoreCase));
        var login = await JsonOkAsync(signIn);
        var again = await ProblemAsync(await phone.PostAsJsonAsync("/api/auth/trusted-device", new { code }, Ct), HttpStatusCode.Unauthorized, VolunteerSignInApi.SignInCodeType);

        Assert.Equal(volunteer.UserName, login.GetProperty("user").GetProperty("userName").GetString());
        Assert.Contains("用过", again.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // A cookie sign-in answers no bearer token: the phone goes on with its HTTP-only cookie alone.
        Assert.Equal(JsonValueKind.Null, login.GetProperty("accessToken").ValueKind);
        using var volunteerClient = _kit.Anonymous();
        volunteerClient.DefaultRequestHeaders.Add("Cookie",
            signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("civicgrid.session=", StringComparison.Ordinal)).Split(';')[0]);
        var security = await JsonOkAsync(await volunteerClient.GetAsync(new Uri("/api/account/security", UriKind.Relative), Ct));
        var device = security.GetProperty("trustedDevices").EnumerateArray().Single(d => d.GetProperty("id").GetGuid() == security.GetProperty("currentDeviceId").GetGuid());
        Assert.Equal("Android 手机 · 微信", device.GetProperty("label").GetString());
        Assert.Equal("active", device.GetProperty("state").GetString());

        // Community staff see the phone on the volunteer; only the hash of the code was stored.
        var listed = (await VolunteersAsync(staff)).Single(v => v.GetProperty("id").GetGuid() == volunteer.Id);
        Assert.Contains(listed.GetProperty("devices").EnumerateArray(), d => d.GetProperty("id").GetGuid() == device.GetProperty("id").GetGuid());
        Assert.False(await app.WithDatabaseAsync(db => db.SignInCodes.IgnoreQueryFilters().AnyAsync(c => c.TokenHash == code, Ct)));
    }

    [Fact]
    public async Task NewVolunteer_SignedInByCode_IsNotHeldAtThePasswordChange_ThatTheFirstPasswordSignInMustMake()
    {
        using var staff = await _kit.ClientForAsync(DemoAccounts.CommunityStaff);
        var scope = (await JsonOkAsync(await staff.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct))).GetProperty("scopeCode").GetString()!;
        var micro = await app.WithDatabaseAsync(db => db.Grids.IgnoreQueryFilters()
            .Where(g => g.Code.StartsWith(scope) && g.Level == Domain.Geography.GridLevel.Micro).OrderBy(g => g.Code).Select(g => g.Code).FirstAsync(Ct));
        var userName = CivicGridApp.UniqueName("newvol");
        var created = await JsonOkAsync(await staff.PostAsJsonAsync("/api/users",
            new { userName, displayName = "新志愿者", roles = new[] { "micro-grid-worker" }, scopeCode = micro, password = "Lanhua-Lu-77#" }, Ct));
        Assert.True(created.GetProperty("passwordChangeRequired").GetBoolean());

        var code = CodeOf(await JsonOkAsync(await staff.PostAsync(new Uri($"/api/volunteers/{created.GetProperty("id").GetGuid()}/sign-in-codes", UriKind.Relative), null, Ct)));
        using var phone = _kit.Anonymous();
        var login = await JsonOkAsync(await phone.PostAsJsonAsync("/api/auth/trusted-device", new { code, useCookie = false }, Ct));
        using var onPhone = _kit.WithToken(login.GetProperty("accessToken").GetString()!);
        using var withPassword = _kit.Anonymous();
        var passwordLogin = await JsonOkAsync(await withPassword.PostAsJsonAsync("/api/auth/login", new { userName, password = "Lanhua-Lu-77#", useCookie = false }, Ct));
        using var onDesk = _kit.WithToken(passwordLogin.GetProperty("accessToken").GetString()!);

        // The phone typed no password, so it has none to change; the password sign-in must change the one staff chose.
        Assert.Equal(HttpStatusCode.OK, (await onPhone.GetAsync(new Uri("/api/briefings/inbox", UriKind.Relative), Ct)).StatusCode);
        await ProblemAsync(await onDesk.GetAsync(new Uri("/api/briefings/inbox", UriKind.Relative), Ct), HttpStatusCode.Forbidden, "/problems/password-change-required");
    }

    [Fact]
    public async Task SignInCode_Expired_OrUnknown_IsRefusedInChinese()
    {
        using var staff = await _kit.ClientForAsync(DemoAccounts.CommunityStaff);
        var volunteer = await FirstVolunteerAsync(staff);
        var code = CodeOf(await JsonOkAsync(await staff.PostAsync(new Uri($"/api/volunteers/{volunteer.Id}/sign-in-codes", UriKind.Relative), null, Ct)));
        using var phone = _kit.Anonymous();

        await ProblemAsync(await phone.PostAsJsonAsync("/api/auth/trusted-device", new { code = "made-up" }, Ct), HttpStatusCode.Unauthorized, VolunteerSignInApi.SignInCodeType);
        await ProblemAsync(await phone.PostAsJsonAsync("/api/auth/trusted-device", new { code = "" }, Ct), HttpStatusCode.BadRequest, "/problems/validation");
        _kit.Clock.Advance(TimeSpan.FromMinutes(6));
        var expired = await ProblemAsync(await phone.PostAsJsonAsync("/api/auth/trusted-device", new { code }, Ct), HttpStatusCode.Unauthorized, VolunteerSignInApi.SignInCodeType);

        Assert.Contains("过期", expired.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInCode_IsIssuedOnlyByCommunityStaff_ForVolunteersInTheirScope()
    {
        using var staff = await _kit.ClientForAsync(DemoAccounts.CommunityStaff);
        var me = await JsonOkAsync(await staff.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct));
        var scope = me.GetProperty("scopeCode").GetString()!;
        var volunteers = await VolunteersAsync(staff);
        Assert.NotEmpty(volunteers);
        Assert.All(volunteers, v => Assert.StartsWith(scope, v.GetProperty("scopeCode").GetString(), StringComparison.Ordinal));

        // A volunteer of another community is not found; a micro-grid worker who is also a grid worker is staff-grade.
        var elsewhere = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters()
            .Where(u => u.Roles.Contains(Role.MicroGridWorker) && !u.ScopeCode.StartsWith(scope)).Select(u => u.Id).FirstAsync(Ct));
        var staffGrade = await _kit.NewUserAsync("microstaff", volunteers[0].GetProperty("scopeCode").GetString()!, Role.MicroGridWorker, Role.GridWorker);
        await ProblemAsync(await staff.PostAsync(new Uri($"/api/volunteers/{elsewhere}/sign-in-codes", UriKind.Relative), null, Ct), HttpStatusCode.NotFound, "/problems/not-found");
        await ProblemAsync(await staff.PostAsync(new Uri($"/api/volunteers/{staffGrade.Id}/sign-in-codes", UriKind.Relative), null, Ct),
            HttpStatusCode.UnprocessableEntity, VolunteerSignInApi.NotAVolunteerType);
        Assert.DoesNotContain(volunteers, v => v.GetProperty("id").GetGuid() == staffGrade.Id);

        // Other roles may not issue codes at all.
        using var leader = await _kit.ClientForAsync(DemoAccounts.GridLeader);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsync(new Uri($"/api/volunteers/{volunteers[0].GetProperty("id").GetGuid()}/sign-in-codes", UriKind.Relative), null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync(new Uri("/api/volunteers", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task StaffGradeAccount_CannotRedeemACode_EvenOneIssuedBeforeItGainedARole()
    {
        using var staff = await _kit.ClientForAsync(DemoAccounts.CommunityStaff);
        var volunteer = await FirstVolunteerAsync(staff);
        var promoted = await _kit.NewUserAsync("promoted", volunteer.ScopeCode, Role.MicroGridWorker);
        var code = CodeOf(await JsonOkAsync(await staff.PostAsync(new Uri($"/api/volunteers/{promoted.Id}/sign-in-codes", UriKind.Relative), null, Ct)));
        await app.WithDatabaseAsync(async db =>
        {
            var user = await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Id == promoted.Id, Ct);
            user.Roles.Add(Role.GridLeader);
            db.Entry(user).Property(u => u.Roles).IsModified = true;
            return await db.SaveChangesAsync(Ct);
        });
        using var phone = _kit.Anonymous();

        await ProblemAsync(await phone.PostAsJsonAsync("/api/auth/trusted-device", new { code }, Ct), HttpStatusCode.UnprocessableEntity, VolunteerSignInApi.NotAVolunteerType);
    }

    [Fact]
    public async Task RevokedDevice_IsRefusedAtOnce_AsIsADeactivatedVolunteer()
    {
        using var staff = await _kit.ClientForAsync(DemoAccounts.CommunityStaff);
        var volunteer = await FirstVolunteerAsync(staff);
        var (token, deviceId) = await SignInPhoneAsync(staff, volunteer.Id);
        using var phone = _kit.WithToken(token);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await staff.PostAsync(new Uri($"/api/volunteers/{volunteer.Id}/devices/{deviceId}/revoke", UriKind.Relative), null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct)).StatusCode);
        var listed = (await VolunteersAsync(staff)).Single(v => v.GetProperty("id").GetGuid() == volunteer.Id).GetProperty("devices").EnumerateArray()
            .Single(d => d.GetProperty("id").GetGuid() == deviceId);
        Assert.Equal("revoked", listed.GetProperty("state").GetString());
        var recorded = await app.WithDatabaseAsync(db => db.SecurityEvents.IgnoreQueryFilters()
            .Where(e => e.SubjectId == volunteer.Id.ToString() || e.SubjectId == deviceId.ToString()).Select(e => e.Kind).ToListAsync(Ct));
        Assert.Contains(SecurityEventKind.SignInCodeIssued, recorded);
        Assert.Contains(SecurityEventKind.TrustedDeviceSignedIn, recorded);
        Assert.Contains(SecurityEventKind.TrustedDeviceRevoked, recorded);

        // A second phone of the same volunteer ends the moment the account is deactivated.
        var (second, _) = await SignInPhoneAsync(staff, volunteer.Id);
        using var secondPhone = _kit.WithToken(second);
        Assert.Equal(HttpStatusCode.OK, (await secondPhone.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct)).StatusCode);
        await app.WithDatabaseAsync(async db =>
        {
            (await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Id == volunteer.Id, Ct)).Deactivate(DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync(Ct);
        });
        Assert.Equal(HttpStatusCode.Unauthorized, (await secondPhone.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task RevokingADeviceOfAVolunteerOutsideTheScope_IsNotFound()
    {
        using var staff = await _kit.ClientForAsync(DemoAccounts.CommunityStaff);
        var volunteer = await FirstVolunteerAsync(staff);
        var (token, deviceId) = await SignInPhoneAsync(staff, volunteer.Id);
        var other = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters()
            .Where(u => u.Roles.Contains(Role.CommunityStaff) && u.UserName != DemoAccounts.CommunityStaff).Select(u => u.UserName).FirstAsync(Ct));
        using var otherStaff = await _kit.ClientForAsync(other);

        await ProblemAsync(await otherStaff.PostAsync(new Uri($"/api/volunteers/{volunteer.Id}/devices/{deviceId}/revoke", UriKind.Relative), null, Ct),
            HttpStatusCode.NotFound, "/problems/not-found");
        using var phone = _kit.WithToken(token);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task TrustedDeviceSession_OutlivesAPasswordSession_ButNotTheDevicesIdleRule()
    {
        using var staff = await _kit.ClientForAsync(DemoAccounts.CommunityStaff);
        var volunteer = await FirstVolunteerAsync(staff);
        var (token, _) = await SignInPhoneAsync(staff, volunteer.Id);
        using var phone = _kit.WithToken(token);

        // A password session ends after 30 idle minutes and 12 hours at most; the phone's goes on while it is used.
        for (var day = 0; day < 3; day++)
        {
            _kit.Clock.Advance(TimeSpan.FromHours(20));
            Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct)).StatusCode);
        }

        _kit.Clock.Advance(TimeSpan.FromDays(31));
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct)).StatusCode);
    }

    private async Task<(string Token, Guid DeviceId)> SignInPhoneAsync(HttpClient staff, Guid volunteerId)
    {
        var code = CodeOf(await JsonOkAsync(await staff.PostAsync(new Uri($"/api/volunteers/{volunteerId}/sign-in-codes", UriKind.Relative), null, Ct)));
        using var phone = _kit.Anonymous();
        var login = await JsonOkAsync(await phone.PostAsJsonAsync("/api/auth/trusted-device", new { code, useCookie = false }, Ct));
        var token = login.GetProperty("accessToken").GetString()!;
        using var signedIn = _kit.WithToken(token);
        var security = await JsonOkAsync(await signedIn.GetAsync(new Uri("/api/account/security", UriKind.Relative), Ct));
        return (token, security.GetProperty("currentDeviceId").GetGuid());
    }

    private static string CodeOf(JsonElement issued)
    {
        var url = issued.GetProperty("url").GetString()!;
        return url[(url.IndexOf("#code=", StringComparison.Ordinal) + 6)..];
    }

    private static async Task<List<JsonElement>> VolunteersAsync(HttpClient staff) =>
        [.. (await JsonOkAsync(await staff.GetAsync(new Uri("/api/volunteers", UriKind.Relative), Ct))).EnumerateArray()];

    private async Task<UserAccount> FirstVolunteerAsync(HttpClient staff)
    {
        var active = (await VolunteersAsync(staff)).Where(v => v.GetProperty("isActive").GetBoolean()).Select(v => v.GetProperty("id").GetGuid()).ToList();
        return await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => active.Contains(u.Id)).OrderBy(u => u.UserName).FirstAsync(Ct));
    }
}

public sealed class TrustedDeviceTestsOnSqlite(SqliteApp app) : TrustedDeviceTests(app), IClassFixture<SqliteApp>;

public sealed class TrustedDeviceTestsOnPostgres(PostgresApp app) : TrustedDeviceTests(app), IClassFixture<PostgresApp>;
