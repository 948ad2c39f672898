using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Accounts after they are created (issue 16): edit, deactivate (sessions end at once), reactivate, unlock, reset to a
/// one-time password that must be changed, one's own password, the role and scope rules, and the second administrator's
/// approval of administrator roles; on each provider.
/// </summary>
public abstract class AccountLifecycleTests(CivicGridApp app)
{
    private const string Community = "610103099001";
    private const string OtherCommunity = "610103099002";
    private const string Micro = "610103099001010101";
    private const string Third = "6101030990010101";
    private const string NewPassword = "Lanhua-Lu-77#";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SecurityAdmin_CreatesCommunityStaff_AtTheCommunity_ButTheRulesRefuseWrongLevelsAndMixes()
    {
        using var admin = await app.ClientForAsync("secadmin");

        var created = await CreateAsync(admin, ["community-staff"], Community);
        var atSubdistrict = await CreateAsync(admin, ["community-staff"], "610103099");
        var gridWorkerAtSubdistrict = await CreateAsync(admin, ["grid-worker"], "610103099");
        var residentAndStaff = await CreateAsync(admin, ["resident", "grid-worker"], Third);
        var staffEverywhere = await CreateAsync(admin, ["community-staff"], "");
        var adminAndStaff = await CreateAsync(admin, ["audit-admin", "community-staff"], Community);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("active", body.GetProperty("status").GetString());
        Assert.Equal(["社区工作人员"], body.GetProperty("roleNames").EnumerateArray().Select(r => r.GetString()));
        // The security admin typed the first password and knows it: the person changes it at the first sign-in.
        Assert.True(body.GetProperty("passwordChangeRequired").GetBoolean());
        using var anonymous = app.CreateClient();
        var firstSignIn = await anonymous.PostAsJsonAsync("/api/auth/login",
            new { userName = body.GetProperty("userName").GetString(), password = NewPassword, useCookie = false }, Ct);
        Assert.True((await firstSignIn.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("passwordChangeRequired").GetBoolean());
        await AssertProblemAsync(atSubdistrict, HttpStatusCode.BadRequest, "社区");
        await AssertProblemAsync(gridWorkerAtSubdistrict, HttpStatusCode.BadRequest, "网格员的管辖范围");
        await AssertProblemAsync(residentAndStaff, HttpStatusCode.BadRequest, "居民角色不能");
        await AssertProblemAsync(staffEverywhere, HttpStatusCode.BadRequest, "只有管理员");
        await AssertProblemAsync(adminAndStaff, HttpStatusCode.BadRequest, "三员分立");
    }

    [Fact]
    public async Task CommunityStaff_CreateVolunteersOnly_InTheirCommunity()
    {
        using var staff = await app.ClientForAsync("community01");

        var volunteer = await CreateAsync(staff, ["micro-grid-worker"], Micro);
        var gridWorker = await CreateAsync(staff, ["grid-worker"], Third);
        var elsewhere = await CreateAsync(staff, ["micro-grid-worker"], await MicroUnderAsync(OtherCommunity));

        Assert.Equal(HttpStatusCode.Created, volunteer.StatusCode);
        await AssertProblemAsync(gridWorker, HttpStatusCode.Forbidden, "微网格员");
        await AssertProblemAsync(elsewhere, HttpStatusCode.Forbidden, "管辖范围");
    }

    [Fact]
    public async Task Deactivate_EndsEverySessionAtOnce_TheTokenIs401_AndSignInIsRefused_UntilReactivated()
    {
        var user = await app.CreateUserAsync(CivicGridApp.UniqueName("leaver"), Micro, Role.MicroGridWorker);
        using var leaver = await app.ClientForAsync(user.UserName);
        using var admin = await app.ClientForAsync("secadmin");
        Assert.Equal(HttpStatusCode.OK, (await leaver.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct)).StatusCode);

        var deactivated = await admin.PostAsync(new Uri($"/api/users/{user.Id}/deactivate", UriKind.Relative), null, Ct);
        var afterwards = await leaver.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct);
        using var anonymous = app.CreateClient();
        var signIn = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = CivicGridApp.DemoPassword }, Ct);

        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        Assert.Equal("inactive", (await deactivated.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        var live = await app.WithDatabaseAsync(db => db.Sessions.IgnoreQueryFilters().CountAsync(s => s.UserId == user.Id && s.EndedAt == null, Ct));
        Assert.Equal(0, live);

        var reactivated = await admin.PostAsync(new Uri($"/api/users/{user.Id}/reactivate", UriKind.Relative), null, Ct);
        var again = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = CivicGridApp.DemoPassword }, Ct);
        Assert.Equal(HttpStatusCode.OK, reactivated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var kinds = await EventsAboutAsync(user.Id);
        Assert.Contains(SecurityEventKind.AccountDeactivated, kinds);
        Assert.Contains(SecurityEventKind.AccountReactivated, kinds);
    }

    [Fact]
    public async Task Deactivate_OneselfOrAnotherCommunitysVolunteer_IsRefused_AndAStaffMemberIsNotCommunityStaffsToManage()
    {
        using var staff = await app.ClientForAsync("community01");
        var me = await app.WithDatabaseAsync(db => db.Users.SingleAsync(u => u.UserName == "community01", Ct));
        var elsewhere = await app.CreateUserAsync(CivicGridApp.UniqueName("far"), await MicroUnderAsync(OtherCommunity), Role.MicroGridWorker);
        var worker = await app.CreateUserAsync(CivicGridApp.UniqueName("gw"), Third, Role.GridWorker);

        var self = await staff.PostAsync(new Uri($"/api/users/{me.Id}/deactivate", UriKind.Relative), null, Ct);
        var far = await staff.PostAsync(new Uri($"/api/users/{elsewhere.Id}/deactivate", UriKind.Relative), null, Ct);
        var staffMember = await staff.PostAsync(new Uri($"/api/users/{worker.Id}/deactivate", UriKind.Relative), null, Ct);

        await AssertProblemAsync(self, HttpStatusCode.Forbidden, "自己");
        await AssertProblemAsync(far, HttpStatusCode.NotFound, "管辖范围");
        await AssertProblemAsync(staffMember, HttpStatusCode.Forbidden, "微网格员");
        Assert.True(await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Id == worker.Id || u.Id == elsewhere.Id).AllAsync(u => u.IsActive, Ct)));
    }

    [Fact]
    public async Task ResetPassword_GivesAOneTimePassword_ThatOpensNothingButTheChange_ThenTheNewPasswordWorks()
    {
        var user = await app.CreateUserAsync(CivicGridApp.UniqueName("reset"), Community, Role.CommunityStaff);
        using var admin = await app.ClientForAsync("secadmin");

        var reset = await admin.PostAsync(new Uri($"/api/users/{user.Id}/reset-password", UriKind.Relative), null, Ct);
        var oneTime = (await reset.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("oneTimePassword").GetString()!;
        using var client = app.CreateClient();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = oneTime }, Ct);
        var body = await login.Content.ReadFromJsonAsync<JsonElement>(Ct);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("accessToken").GetString());
        var cases = await client.GetAsync(new Uri("/api/cases", UriKind.Relative), Ct);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me", Ct);
        var common = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = oneTime, newPassword = "P@ssw0rd2026" }, Ct);
        var changed = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = oneTime, newPassword = NewPassword }, Ct);
        var casesAfter = await client.GetAsync(new Uri("/api/cases", UriKind.Relative), Ct);
        using var fresh = app.CreateClient();
        var oldOneTime = await fresh.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = oneTime }, Ct);
        var withNew = await fresh.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = NewPassword }, Ct);

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.True(body.GetProperty("passwordChangeRequired").GetBoolean());
        Assert.True(me.GetProperty("passwordChangeRequired").GetBoolean());
        await AssertProblemAsync(cases, HttpStatusCode.Forbidden, "一次性密码", "/problems/password-change-required");
        await AssertProblemAsync(common, HttpStatusCode.BadRequest, "常见");
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, casesAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, oldOneTime.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withNew.StatusCode);
        Assert.False((await withNew.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("passwordChangeRequired").GetBoolean());
        var kinds = await EventsAboutAsync(user.Id);
        Assert.Contains(SecurityEventKind.PasswordReset, kinds);
        Assert.Contains(SecurityEventKind.PasswordChanged, kinds);
    }

    [Fact]
    public async Task ChangeOwnPassword_WithAWrongCurrentPassword_IsRefused_AndEndsNoSession()
    {
        var user = await app.CreateUserAsync(CivicGridApp.UniqueName("own"), Third, Role.GridWorker);
        using var client = await app.ClientForAsync(user.UserName);

        var wrong = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = "not-it", newPassword = NewPassword }, Ct);
        var same = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = CivicGridApp.DemoPassword, newPassword = CivicGridApp.DemoPassword }, Ct);
        var still = await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct);

        await AssertProblemAsync(wrong, HttpStatusCode.BadRequest, "当前密码不正确");
        await AssertProblemAsync(same, HttpStatusCode.BadRequest, "不能与当前密码相同");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task Unlock_LiftsALockoutOfTheNameEverywhere_AfterFailuresFromManyAddresses()
    {
        var user = await app.CreateUserAsync(CivicGridApp.UniqueName("locked"), Third, Role.GridLeader);
        using var anonymous = app.CreateClient();

        // 30 failures (Auth:AccountMaxFailedAttempts) spread over six addresses lock the name everywhere.
        for (var i = 0; i < 30; i++)
        {
            TestPeer.From(anonymous, $"198.51.100.{10 + (i / 5)}");
            await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = "wrong" }, Ct);
        }

        using var admin = await app.ClientForAsync("secadmin");
        var listed = await admin.GetFromJsonAsync<JsonElement>($"/api/users?status=locked&q={user.UserName}", Ct);
        var locked = await TestPeer.From(anonymous, "203.0.113.30").PostAsJsonAsync("/api/auth/login",
            new { userName = user.UserName, password = CivicGridApp.DemoPassword }, Ct);
        var unlocked = await admin.PostAsync(new Uri($"/api/users/{user.Id}/unlock", UriKind.Relative), null, Ct);
        var signIn = await TestPeer.From(anonymous, "198.51.100.10").PostAsJsonAsync("/api/auth/login",
            new { userName = user.UserName, password = CivicGridApp.DemoPassword }, Ct);

        Assert.Equal(user.UserName, Assert.Single(listed.EnumerateArray()).GetProperty("userName").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Equal("/problems/sign-in-throttled", (await locked.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var kinds = await EventsAboutAsync(user.Id);
        Assert.Contains(SecurityEventKind.LockedOut, kinds);
        Assert.Contains(SecurityEventKind.AccountUnlocked, kinds);
    }

    [Fact]
    public async Task Update_ChangesNameAndRoles_WithinTheRules_AndEndsTheSessionsThatCarriedTheOldRoles()
    {
        var user = await app.CreateUserAsync(CivicGridApp.UniqueName("promote"), Third, Role.GridWorker);
        using var promoted = await app.ClientForAsync(user.UserName);
        using var admin = await app.ClientForAsync("secadmin");

        var tooHigh = await admin.PutAsJsonAsync($"/api/users/{user.Id}", new { roles = new[] { "grid-worker" }, scopeCode = Community }, Ct);
        var updated = await admin.PutAsJsonAsync($"/api/users/{user.Id}", new { displayName = "王网格长", roles = new[] { "grid-leader", "grid-worker" } }, Ct);
        var oldSession = await promoted.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct);

        await AssertProblemAsync(tooHigh, HttpStatusCode.BadRequest, "网格员的管辖范围");
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var body = await updated.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("王网格长", body.GetProperty("displayName").GetString());
        Assert.Equal(["grid-leader", "grid-worker"], body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).Order());
        Assert.Equal(HttpStatusCode.Unauthorized, oldSession.StatusCode);
    }

    [Fact]
    public async Task AnAdministratorRole_WaitsForASecondAdministrator_TheAskerCannotApprove_TheOtherCan()
    {
        using var secadmin = await app.ClientForAsync("secadmin");
        using var sysadmin = await app.ClientForAsync("admin");
        var name = CivicGridApp.UniqueName("auditor");

        var created = await CreateAsync(secadmin, ["audit-admin"], "", name);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var grantId = body.GetProperty("pendingGrant").GetString();
        using var anonymous = app.CreateClient();
        var beforeApproval = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = name, password = NewPassword }, Ct);
        var pending = await sysadmin.GetFromJsonAsync<JsonElement>("/api/role-grants", Ct);
        var byAsker = await secadmin.PostAsJsonAsync($"/api/role-grants/{grantId}/approve", new { note = "自批" }, Ct);
        var bySecond = await sysadmin.PostAsJsonAsync($"/api/role-grants/{grantId}/approve", new { note = "经核实" }, Ct);
        var twice = await sysadmin.PostAsJsonAsync($"/api/role-grants/{grantId}/approve", new { }, Ct);
        var afterApproval = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = name, password = NewPassword }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.False(body.GetProperty("isActive").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, beforeApproval.StatusCode);
        Assert.Contains(pending.EnumerateArray(), g => g.GetProperty("id").GetString() == grantId && g.GetProperty("requestedByName").GetString() == "secadmin");
        await AssertProblemAsync(byAsker, HttpStatusCode.Forbidden, "另一名管理员");
        Assert.Equal(HttpStatusCode.OK, bySecond.StatusCode);
        Assert.Equal("active", (await bySecond.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
        await AssertProblemAsync(twice, HttpStatusCode.Conflict, "已处理");
        Assert.Equal(HttpStatusCode.OK, afterApproval.StatusCode);
        var id = Guid.Parse(body.GetProperty("id").GetString()!);
        var kinds = await EventsAboutAsync(id);
        Assert.Equal([SecurityEventKind.AccountCreated, SecurityEventKind.RoleGrantRequested, SecurityEventKind.RoleGrantApproved, SecurityEventKind.SignIn],
            kinds.Where(k => k != SecurityEventKind.SignInFailed));
    }

    [Fact]
    public async Task AnAdministratorRoleGrant_Rejected_LeavesTheAccountInactive()
    {
        using var secadmin = await app.ClientForAsync("secadmin");
        using var sysadmin = await app.ClientForAsync("admin");

        var created = await CreateAsync(secadmin, ["system-admin"], "");
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var rejected = await sysadmin.PostAsJsonAsync($"/api/role-grants/{body.GetProperty("pendingGrant").GetString()}/reject", new { note = "无此岗位" }, Ct);
        var history = await sysadmin.GetFromJsonAsync<JsonElement>("/api/role-grants?status=rejected", Ct);

        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal("inactive", (await rejected.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
        Assert.Contains(history.EnumerateArray(), g => g.GetProperty("note").GetString() == "无此岗位" && g.GetProperty("decidedByName").GetString() == "admin");
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("secadmin")]
    [InlineData("auditor")]
    public async Task Administrators_See_NoCaseContent(string administrator)
    {
        using var client = await app.ClientForAsync(administrator);
        var number = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().OrderBy(c => c.Number).Select(c => c.Number).FirstAsync(Ct));

        foreach (var path in new[]
        {
            "/api/cases", $"/api/cases/{number}", $"/api/cases/{number}/timeline", $"/api/cases/{number}/photos", "/api/cases/export.xlsx",
            "/api/cases/points", "/api/meetings", "/api/district-referrals", "/api/hotline/export.xlsx",
        })
        {
            var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{administrator} GET {path}: {response.StatusCode}");
        }

        var reveal = await client.PostAsJsonAsync($"/api/cases/{number}/personal-data", new { reason = "试" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, reveal.StatusCode);
    }

    private static async Task<HttpResponseMessage> CreateAsync(HttpClient client, string[] roles, string scopeCode, string? userName = null) =>
        await client.PostAsJsonAsync("/api/users", new
        {
            userName = userName ?? CivicGridApp.UniqueName("acct"),
            displayName = "账户测试",
            roles,
            scopeCode,
            password = NewPassword,
        }, Ct);

    private Task<string> MicroUnderAsync(string code) => app.WithDatabaseAsync(db => db.Grids.IgnoreQueryFilters()
        .Where(g => g.Code.StartsWith(code) && g.Level == Domain.Geography.GridLevel.Micro).OrderBy(g => g.Code).Select(g => g.Code).FirstAsync(Ct));

    private Task<List<SecurityEventKind>> EventsAboutAsync(Guid userId) => app.WithDatabaseAsync(db => db.Set<SecurityEvent>().IgnoreQueryFilters()
        .Where(e => e.SubjectId == userId.ToString()).OrderBy(e => e.Sequence).Select(e => e.Kind).ToListAsync(Ct));

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailPart, string? type = null)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {problem}");
        Assert.Contains(detailPart, problem.GetProperty("detail").GetString());
        if (type is not null)
        {
            Assert.Equal(type, problem.GetProperty("type").GetString());
        }
    }
}

public sealed class AccountLifecycleTestsOnSqlite(SqliteApp app) : AccountLifecycleTests(app), IClassFixture<SqliteApp>;

public sealed class AccountLifecycleTestsOnPostgres(PostgresApp app) : AccountLifecycleTests(app), IClassFixture<PostgresApp>;
