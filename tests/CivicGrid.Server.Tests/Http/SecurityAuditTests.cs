using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The security audit trail (issue 16, MLPS level 3 "security audit"): what is recorded, that the database refuses to
/// change it, that the hash chain finds an entry changed or removed behind the application's back, and that only the
/// audit administrator reads and exports it; on each provider.
/// </summary>
public abstract class SecurityAuditTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignIns_Failures_AndAPersonalDataReveal_AreRecorded_WithActorAddressAndOutcome()
    {
        using var anonymous = app.CreateClient();
        var before = await LastSequenceAsync();

        await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = "community01", password = "wrong-one" }, Ct);
        await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = "nobody-here", password = "wrong-one" }, Ct);
        await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = "ops", password = CivicGridApp.DemoPassword }, Ct);
        using var staff = await app.ClientForAsync("ops");
        var number = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => c.GridCode.StartsWith("610103099")).OrderBy(c => c.Number)
            .Select(c => c.Number).FirstAsync(Ct));
        var reveal = await staff.PostAsJsonAsync($"/api/cases/{number}/personal-data", new { reason = "电话回访" }, Ct);

        var events = await app.WithDatabaseAsync(db => db.Set<SecurityEvent>().IgnoreQueryFilters().Where(e => e.Sequence > before).OrderBy(e => e.Sequence).ToListAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, reveal.StatusCode);
        var wrongPassword = Assert.Single(events, e => e.Kind == SecurityEventKind.SignInFailed && e.ActorName == "community01");
        Assert.Equal(SecurityOutcome.Failure, wrongPassword.Outcome);
        Assert.Equal("密码错误", wrongPassword.Detail);
        Assert.Contains(events, e => e.Kind == SecurityEventKind.SignInFailed && e.ActorName == "nobody-here" && e.Detail == "用户名不存在");
        Assert.Contains(events, e => e.Kind == SecurityEventKind.SignIn && e.ActorName == "ops");
        var revealed = Assert.Single(events, e => e.Kind == SecurityEventKind.PersonalDataRevealed);
        Assert.Equal(number, revealed.SubjectId);
        Assert.Contains("电话回访", revealed.Detail);
        Assert.DoesNotContain(events, e => e.Detail.Contains("wrong-one", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheTrail_IsAChainWithoutGaps_AndTheDatabaseRefusesToChangeOrDeleteAnEntry()
    {
        using var anonymous = app.CreateClient();
        await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = "leader01", password = "wrong-two" }, Ct);
        await app.ClientForAsync("leader01");

        var update = await Record.ExceptionAsync(() => app.WithDatabaseAsync(db =>
            db.Database.ExecuteSqlRawAsync("UPDATE security_events SET \"Detail\" = 'nothing happened'", Ct)));
        var delete = await Record.ExceptionAsync(() => app.WithDatabaseAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM security_events", Ct)));
        var report = await app.WithDatabaseAsync(db => new SecurityChainVerifier(db).VerifyAsync(Ct));

        Assert.NotNull(update);
        Assert.Contains("append-only", update.ToString(), StringComparison.Ordinal);
        Assert.NotNull(delete);
        Assert.True(report.IsIntact, report.Problem);
        Assert.True(report.EntriesChecked >= 2);
    }

    [Fact]
    public async Task TheAuditAdmin_ReadsFiltersExportsAndVerifies_NobodyElseMay()
    {
        using var anonymous = app.CreateClient();
        await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = "property01", password = "wrong-four" }, Ct);
        using var auditor = await app.ClientForAsync("auditor");

        var page = await auditor.GetFromJsonAsync<JsonElement>("/api/security-events?kind=sign-in-failed&actor=property01", Ct);
        var badKind = await auditor.GetAsync(new Uri("/api/security-events?kind=sneaking", UriKind.Relative), Ct);
        var export = await auditor.GetAsync(new Uri("/api/security-events/export?kind=sign-in-failed", UriKind.Relative), Ct);
        var verify = await auditor.PostAsync(new Uri("/api/security-events/verify", UriKind.Relative), null, Ct);
        var exported = await app.WithDatabaseAsync(db => db.Set<SecurityEvent>().IgnoreQueryFilters().AnyAsync(e => e.Kind == SecurityEventKind.Exported
            && e.ActorName == "auditor", Ct));

        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("sign-in-failed", item.GetProperty("kind").GetString());
        Assert.Equal("登录失败", item.GetProperty("kindName").GetString());
        Assert.Equal("failure", item.GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var rows = await CaseQueryTests.ExcelRows(export);
        Assert.Contains(rows.Items, r => r["操作人"] == "property01" && r["事件"] == "登录失败");
        Assert.True(exported);
        Assert.True((await verify.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("intact").GetBoolean());

        foreach (var other in new[] { "admin", "secadmin", "ops", "community01" })
        {
            using var client = await app.ClientForAsync(other);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(new Uri("/api/security-events", UriKind.Relative), Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task AnApiKeyIssued_AndACalendarChange_AreRecorded()
    {
        using var admin = await app.ClientForAsync("admin");
        var before = await LastSequenceAsync();

        var key = await admin.PostAsJsonAsync("/api/admin/apikeys", new { name = "审计测试伙伴" }, Ct);
        var calendar = await admin.PutAsJsonAsync("/api/calendar", new { workingPeriods = Array.Empty<string>() }, Ct);

        var events = await app.WithDatabaseAsync(db => db.Set<SecurityEvent>().IgnoreQueryFilters().Where(e => e.Sequence > before).ToListAsync(Ct));
        Assert.True(key.IsSuccessStatusCode);
        var issued = Assert.Single(events, e => e.Kind == SecurityEventKind.ApiKeyIssued);
        Assert.Equal(SecurityOutcome.Success, issued.Outcome);
        Assert.Equal("admin", issued.ActorName);
        var secret = (await key.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString()!;
        Assert.DoesNotContain(secret, issued.Detail, StringComparison.Ordinal); // the key itself is never in the trail
        var refused = Assert.Single(events, e => e.Kind == SecurityEventKind.CalendarChanged);
        Assert.Equal(SecurityOutcome.Failure, refused.Outcome);
        Assert.Contains("HTTP 400", refused.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOrganisationChange_IsOneEntryThatNamesIt_AndARefusedOneIsRecordedToo()
    {
        using var admin = await app.ClientForAsync("admin");
        var name = CivicGridApp.UniqueName("审计测试执法中队");
        var before = await LastSequenceAsync();

        var created = await admin.PostAsJsonAsync("/api/organisations", new { kind = "department", name, scopeCode = "610103099" }, Ct);
        var refused = await admin.PostAsJsonAsync("/api/organisations", new { kind = "department", name = "无范围", scopeCode = "999999999" }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False(refused.IsSuccessStatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid().ToString();
        var events = await app.WithDatabaseAsync(db => db.Set<SecurityEvent>().IgnoreQueryFilters()
            .Where(e => e.Sequence > before && e.Kind == SecurityEventKind.OrganisationChanged).OrderBy(e => e.Sequence).ToListAsync(Ct));
        // One entry for the creation (the handler's, with names; the endpoint's generic one is not added), one for the refusal.
        var made = Assert.Single(events, e => e.Outcome == SecurityOutcome.Success);
        Assert.Equal(id, made.SubjectId);
        Assert.Equal(name, made.SubjectName);
        Assert.StartsWith($"新建部门“{name}”（编码 dept-610103099-", made.Detail, StringComparison.Ordinal);
        Assert.EndsWith("），服务范围：示范街道", made.Detail, StringComparison.Ordinal);
        Assert.Equal("admin", made.ActorName);
        var failed = Assert.Single(events, e => e.Outcome != SecurityOutcome.Success);
        Assert.Contains("POST /api/organisations", failed.Detail, StringComparison.Ordinal);
    }

    private Task<long> LastSequenceAsync() => app.WithDatabaseAsync(async db =>
        await db.Set<SecurityEvent>().IgnoreQueryFilters().Select(e => (long?)e.Sequence).MaxAsync(Ct) ?? 0L);
}

/// <summary>Tampering with the trail, on a database of its own (the chain stays broken afterwards).</summary>
public abstract class SecurityAuditTamperTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnEntryChangedBehindTheApplicationsBack_BreaksTheChain_AndAuditVerifyExits1()
    {
        // This class's database is its own: dropping the guard and editing a row is what someone with the owner's rights could do.
        using var anonymous = app.CreateClient();
        await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = "worker01", password = "wrong-three" }, Ct);
        await app.ClientForAsync("worker01");
        var target = await app.WithDatabaseAsync(db => db.Set<SecurityEvent>().IgnoreQueryFilters().Where(e => e.ActorName == "worker01")
            .OrderBy(e => e.Sequence).Select(e => e.Sequence).FirstAsync(Ct));

        var dropGuard = app.Provider == DatabaseProvider.Postgres
            ? "DROP TRIGGER security_events_no_update ON security_events"
            : "DROP TRIGGER security_events_no_update";
        await app.WithDatabaseAsync(async db =>
        {
            await db.Database.ExecuteSqlRawAsync(dropGuard, Ct);
            return await db.Database.ExecuteSqlAsync($"UPDATE security_events SET \"Outcome\" = 1, \"Detail\" = '登录' WHERE \"Sequence\" = {target}", Ct);
        });
        var report = await app.WithDatabaseAsync(db => new SecurityChainVerifier(db).VerifyAsync(Ct));
        var output = new StringWriter();
        var code = await CivicGrid.Server.Commands.OperatorCommands.RunAsync(["audit", "verify"], [], app.Services, output);

        Assert.False(report.IsIntact);
        Assert.Equal(target, report.BrokenAtSequence);
        Assert.Equal(1, code);
        Assert.Contains($"BROKEN security audit trail at entry {target}", output.ToString(), StringComparison.Ordinal);
    }
}

public sealed class SecurityAuditTamperTestsOnSqlite(SqliteApp app) : SecurityAuditTamperTests(app), IClassFixture<SqliteApp>;

public sealed class SecurityAuditTamperTestsOnPostgres(PostgresApp app) : SecurityAuditTamperTests(app), IClassFixture<PostgresApp>;

public sealed class SecurityAuditTestsOnSqlite(SqliteApp app) : SecurityAuditTests(app), IClassFixture<SqliteApp>;

public sealed class SecurityAuditTestsOnPostgres(PostgresApp app) : SecurityAuditTests(app), IClassFixture<PostgresApp>;
