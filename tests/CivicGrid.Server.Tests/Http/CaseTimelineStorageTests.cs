using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Tests.Infrastructure;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The case workflow stored and read back: the hash-chained timeline survives the database on each
/// provider, a stale transition cannot overwrite a newer one, and <c>audit verify</c> finds a row
/// changed behind the application's back.
/// </summary>
public abstract class CaseTimelineStorageTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WorkedCase_ReadBackFromTheDatabase_HasAnIntactTimeline()
    {
        var number = await CreateWorkedCaseAsync();

        var stored = await app.WithDatabaseAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Number == number, Ct));

        Assert.Equal(CaseStatus.Handled, stored.Status);
        Assert.Equal(4, stored.Version);
        Assert.Equal(5, stored.Timeline.Count);
        Assert.Null(stored.VerifyTimeline());
        Assert.Equal(["report", "accept", "assign", "start-handling", "record-handled"], stored.Timeline.Select(e => e.Action));
        Assert.Single(stored.Timeline[^1].AttachmentIds);
    }

    [Fact]
    public async Task StaleTransition_CannotOverwriteANewerOne()
    {
        var number = await CreateWorkedCaseAsync(stopAfterAccept: true);
        await using var scopeA = app.Services.CreateAsyncScope();
        await using var scopeB = app.Services.CreateAsyncScope();
        var dbA = scopeA.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var dbB = scopeB.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var leader = await LeaderAsync(dbA);
        var first = await dbA.Cases.SingleAsync(c => c.Number == number, Ct);
        var second = await dbB.Cases.SingleAsync(c => c.Number == number, Ct);

        first.Assign(leader, first.Version, DateTimeOffset.UtcNow, CaseAssignee.User(leader.UserId, leader.DisplayName), DateTimeOffset.UtcNow.AddDays(1));
        await dbA.SaveChangesAsync(Ct);
        second.Park(leader, second.Version, DateTimeOffset.UtcNow, "等待管网施工", DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)));

        // Refused either by the Version token (a concurrency exception) or, when EF writes the new timeline
        // entry first, by its (case, sequence) key: both mean "someone moved this case on first".
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => dbB.SaveChangesAsync(Ct));
        var stored = await app.WithDatabaseAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Number == number, Ct));
        Assert.Equal(CaseStatus.Assigned, stored.Status);
        Assert.Null(stored.VerifyTimeline());
    }

    [Fact]
    public async Task AuditVerify_FindsATimelineRowChangedInTheDatabase()
    {
        var intact = await CreateWorkedCaseAsync();
        var tampered = await CreateWorkedCaseAsync();
        await app.WithDatabaseAsync(async db =>
        {
            var id = await db.Cases.Where(c => c.Number == tampered).Select(c => c.Id).SingleAsync(Ct);
            return await db.Database.ExecuteSqlAsync(
                $"UPDATE case_timeline SET \"Note\" = {"已处理（被篡改）"} WHERE \"CaseId\" = {id} AND \"Sequence\" = 3", Ct);
        });

        var report = await app.WithDatabaseAsync(db => new TimelineAudit(db).VerifyAsync(Ct));

        Assert.Contains(new BrokenTimeline(tampered, 3), report.Broken);
        Assert.DoesNotContain(report.Broken, b => b.CaseNumber == intact);
        Assert.True(report.CasesChecked >= 12_400, "every demo case is checked");
    }

    [Fact]
    public async Task DemoCases_AllHaveIntactTimelines()
    {
        var report = await app.WithDatabaseAsync(db => new TimelineAudit(db).VerifyAsync(Ct));

        // Other tests in this class tamper with cases they made themselves, numbered from 9.
        Assert.All(report.Broken, b => Assert.StartsWith("9", b.CaseNumber, StringComparison.Ordinal));
        Assert.True(report.EntriesChecked >= 2 * 12_400);
    }

    [Fact]
    public async Task TimelineApi_ShowsStaffEverythingAndTheResidentOnlyPlainPublicSteps()
    {
        var resident = await app.WithDatabaseAsync(db => db.Users.SingleAsync(u => u.UserName == "resident001", Ct));
        var number = await app.WithDatabaseAsync(db => db.Cases.Where(c => c.ReporterId == resident.Id).Select(c => c.Number).FirstAsync(Ct));
        using var staff = await app.ClientForAsync("district");
        using var owner = await app.ClientForAsync("resident001");

        var full = await staff.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/cases/{number}/timeline", Ct);
        var mine = await owner.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/cases/{number}/timeline", Ct);

        Assert.True(full.GetProperty("intact").GetBoolean());
        Assert.Contains(full.GetProperty("entries").EnumerateArray(), e => e.GetProperty("actorName").ValueKind == System.Text.Json.JsonValueKind.String);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, mine.GetProperty("intact").ValueKind);
        Assert.NotEmpty(mine.GetProperty("entries").EnumerateArray());
        Assert.All(mine.GetProperty("entries").EnumerateArray(), e =>
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Null, e.GetProperty("actorName").ValueKind);
            Assert.Equal(System.Text.Json.JsonValueKind.Null, e.GetProperty("note").ValueKind);
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", e.GetProperty("text").GetString()!);
        });
    }

    /// <summary>A green case in leader01's grid, worked to Handled (or only accepted), stored through the real context.</summary>
    private async Task<string> CreateWorkedCaseAsync(bool stopAfterAccept = false)
    {
        var number = "9" + Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var user = await db.Users.SingleAsync(u => u.UserName == "leader01", Ct);
        var leader = Actor.Of(user);
        var grid = await db.Grids.Where(g => g.ParentCode == user.ScopeCode).OrderBy(g => g.Code).FirstAsync(Ct);
        var point = grid.Boundary.InteriorPoint;
        var now = DateTimeOffset.UtcNow;
        var c = new Case(number, "E0101", "测试：暴露垃圾", "楼下垃圾无人清运", new Point(point.X, point.Y), grid.Code,
            CaseTier.Green, CaseChannel.GridPatrol, null, now.AddMinutes(-30), "测试上报人");
        c.Accept(leader, c.Version, now.AddMinutes(-20));
        if (!stopAfterAccept)
        {
            c.Assign(leader, c.Version, now.AddMinutes(-15), CaseAssignee.User(user.Id, user.DisplayName), now.AddDays(1));
            c.StartHandling(leader, c.Version, now.AddMinutes(-10));
            c.RecordHandled(leader, c.Version, now.AddMinutes(-5), "已清运", [Guid.NewGuid()]);
        }

        db.Cases.Add(c);
        await db.SaveChangesAsync(Ct);
        return number;
    }

    private static async Task<Actor> LeaderAsync(CivicGridDbContext db) =>
        Actor.Of(await db.Users.SingleAsync(u => u.UserName == "leader01", Ct));
}

public sealed class CaseTimelineStorageTestsOnSqlite(SqliteApp app) : CaseTimelineStorageTests(app), IClassFixture<SqliteApp>;

public sealed class CaseTimelineStorageTestsOnPostgres(PostgresApp app) : CaseTimelineStorageTests(app), IClassFixture<PostgresApp>;
