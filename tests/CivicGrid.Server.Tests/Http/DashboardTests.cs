using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Dashboard;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The dashboards' roll-ups on each provider: kept in the transaction of every case change (intake's writer, the
/// workflow's saves), equal to a full recount after reports, closures, colour changes, transfers, merges, reopenings,
/// parking and supervision, untouched by a save that fails; and the summary they answer, scoped to the caller.
/// </summary>
public abstract class DashboardTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rollups_MatchAFullRecount_AfterEveryKindOfCaseChange_AndTheSummaryMovesWithThem()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var (point, sibling) = await app.WithDatabaseAsync(async db =>
        {
            var grid = await db.Grids.SingleAsync(g => g.Code == crew.MicroGridCode, Ct);
            var other = await db.Grids.Where(g => g.ParentCode == grid.ParentCode && g.Code != grid.Code).OrderBy(g => g.Code).Select(g => g.Code).FirstAsync(Ct);
            return (grid.Boundary.InteriorPoint, other);
        });
        using var leader = await app.ClientForAsync("leader01");
        var before = await SummaryAsync(leader, crew.MicroGridCode);

        // Two reports through the intake writer (anonymous, the resident's door).
        using var anonymous = app.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            var response = await CaseScenario.ReportAsync(anonymous, new Dictionary<string, string>
            {
                ["categoryCode"] = "G0202", ["description"] = $"看板测试上报 {i}", ["crs"] = "wgs84",
                ["lon"] = point.X.ToString("F7", CultureInfo.InvariantCulture), ["lat"] = point.Y.ToString("F7", CultureInfo.InvariantCulture),
            });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        // Through the workflow's saves, each change a save of its own: closed on time; escalated then transferred; merged;
        // reopened; parked; supervised.
        var now = DateTimeOffset.UtcNow;
        var closed = await CrewCases.CreateAsync(app, crew, now.AddHours(-6), categoryCode: "G0202");
        await CrewCases.ChangeAsync(app, closed.Number, c =>
        {
            c.Accept(crew.Leader, c.Version, now.AddHours(-5));
            c.Assign(crew.Leader, c.Version, now.AddHours(-5), CaseAssignee.User(crew.Worker.UserId, crew.Worker.DisplayName), now.AddHours(2));
        });
        await CrewCases.ChangeAsync(app, closed.Number, c =>
        {
            c.StartHandling(crew.Worker, c.Version, now.AddHours(-4));
            c.RecordHandled(crew.Worker, c.Version, now.AddHours(-3), "已答复", [Guid.NewGuid()]);
            c.Verify(crew.Leader, c.Version, now.AddHours(-2), true, null);
            c.Close(crew.Leader, c.Version, now.AddHours(-1));
        });
        var moved = await CrewCases.CreateAsync(app, crew, now.AddHours(-6), steps: c => c.Accept(crew.Leader, c.Version, now.AddHours(-5)));
        await CrewCases.ChangeAsync(app, moved.Number, c => c.Transfer(crew.Leader, c.Version, now.AddHours(-4), sibling, "位置在相邻网格"));
        await CrewCases.ChangeAsync(app, moved.Number, c => c.Escalate(crew.Leader, c.Version, now.AddHours(-3), "需社区协调", automatic: false));
        var duplicate = await CrewCases.CreateAsync(app, crew, now.AddHours(-2));
        await CrewCases.ChangeAsync(app, duplicate.Number, c => c.MergeInto(crew.Leader, c.Version, now.AddHours(-1), closed.Number));
        var reopened = await CrewCases.CreateAsync(app, crew, now.AddHours(-6), steps: c =>
        {
            c.Accept(crew.Leader, c.Version, now.AddHours(-5));
            c.Assign(crew.Leader, c.Version, now.AddHours(-5), CaseAssignee.User(crew.Worker.UserId, crew.Worker.DisplayName), now.AddHours(-1));
            c.StartHandling(crew.Worker, c.Version, now.AddHours(-4));
            c.RecordHandled(crew.Worker, c.Version, now.AddHours(-3), "已清运", [Guid.NewGuid()]);
        });
        await CrewCases.ChangeAsync(app, reopened.Number, c => c.Reopen(crew.Leader, c.Version, now.AddMinutes(-30), "现场仍有垃圾"));
        var parked = await CrewCases.CreateAsync(app, crew, now.AddHours(-3), steps: c => c.Accept(crew.Leader, c.Version, now.AddHours(-2)));
        await CrewCases.ChangeAsync(app, parked.Number, c =>
            c.Park(crew.Leader, c.Version, now.AddHours(-1), "等待管线改造", DateOnly.FromDateTime(now.AddDays(30).UtcDateTime)));
        await CrewCases.ChangeAsync(app, reopened.Number, c => c.Supervise(Actor.System, c.Version, now.AddMinutes(-10), "请尽快办结", now.AddHours(4)));

        var report = await CompareAsync();
        Assert.True(report.Matches, string.Join("\n", report.Mismatches.Select(m => $"{m.Table} {m.Key}: {m.Stored} ≠ {m.Recounted}")));

        var after = await SummaryAsync(leader, crew.MicroGridCode);
        // Reported here: 2 reports, the closed, the merged, the reopened and the parked case (the transferred one left).
        Assert.Equal(Reported(before) + 6, Reported(after));
        Assert.Equal(Flow(before, "closed") + 1, Flow(after, "closed"));
        Assert.Equal(Flow(before, "closedOnTime") + 1, Flow(after, "closedOnTime"));
        // The closed case was also reported in the period: the cohort's closure rate (结案率) counts it.
        Assert.Equal(Flow(before, "reportedNowClosed") + 1, Flow(after, "reportedNowClosed"));
        Assert.Equal(SolvedAt(before, "green") + 1, SolvedAt(after, "green"));
        // Open now: the 2 reports, the reopened (overdue: due an hour ago, in handling, supervised) and the parked case.
        Assert.Equal(Now(before, "open") + 4, Now(after, "open"));
        Assert.Equal(Now(before, "overdue") + 1, Now(after, "overdue"));
        Assert.Equal(Now(before, "supervised") + 1, Now(after, "supervised"));
        Assert.Equal(Now(before, "parked") + 1, Now(after, "parked"));
        var siblingSummary = await SummaryAsync(leader, sibling);
        Assert.True(siblingSummary.GetProperty("now").GetProperty("byTier").GetProperty("yellow").GetInt32() >= 1);
    }

    [Fact]
    public async Task AFailedSave_LeavesTheRollupsAsTheyWere()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var subject = await CrewCases.CreateAsync(app, crew, DateTimeOffset.UtcNow.AddHours(-1));
        await using var first = app.Services.CreateAsyncScope();
        await using var second = app.Services.CreateAsyncScope();
        var one = first.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var other = second.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var mine = await one.Cases.SingleAsync(c => c.Number == subject.Number, Ct);
        var theirs = await other.Cases.SingleAsync(c => c.Number == subject.Number, Ct);
        theirs.Escalate(crew.Leader, theirs.Version, DateTimeOffset.UtcNow, "抢先升级", automatic: false);
        await other.SaveChangesAsync(Ct);

        // The stale copy's change (another status) fails (its timeline entry's number is taken): its roll-up moves go with it.
        mine.Reject(crew.Leader, mine.Version, DateTimeOffset.UtcNow, "不属于受理范围");
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => one.SaveChangesAsync(Ct));

        var report = await CompareAsync();
        Assert.True(report.Matches, string.Join("\n", report.Mismatches.Select(m => $"{m.Table} {m.Key}: {m.Stored} ≠ {m.Recounted}")));
    }

    [Fact]
    public async Task Rebuild_ReplacesRollupsThatDrifted_WithTheRecount()
    {
        await app.WithDatabaseAsync(db => db.CaseCountRollups.IgnoreQueryFilters().Where(r => r.Period == RollupPeriod.Month)
            .OrderBy(r => r.Start).Take(1).ExecuteUpdateAsync(s => s.SetProperty(r => r.Reported, r => r.Reported + 5), Ct));
        var drifted = await CompareAsync();
        Assert.Contains(drifted.Mismatches, m => m.Table == "case_count_rollups");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<CaseRollupCheck>().RebuildAsync(Ct) > 0);
        }

        Assert.True((await CompareAsync()).Matches);
    }

    [Fact]
    public async Task Summary_IsTheCallersScope_AndRefusesAGridOutsideIt_ABadPeriod_AResidentAndAnAdministrator()
    {
        using var ops = await app.ClientForAsync("ops");
        using var community = await app.ClientForAsync("community01");
        var whole = await SummaryAsync(ops, null);
        var own = await SummaryAsync(community, null);
        Assert.True(Reported(whole) > Reported(own) && Reported(own) > 0);
        Assert.Equal(30, whole.GetProperty("trend").GetArrayLength());
        Assert.InRange(whole.GetProperty("period").GetProperty("closureRate").GetDouble(), 0.0, 1.0);
        Assert.False(string.IsNullOrEmpty(own.GetProperty("scopeName").GetString()));

        var outside = await community.GetAsync(new Uri($"/api/dashboard/summary?grid={Uri.EscapeDataString(await OtherCommunityAsync(own.GetProperty("scopeCode").GetString()!))}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        var unknown = await ops.GetAsync(new Uri($"/api/dashboard/summary?grid={own.GetProperty("scopeCode").GetString()}99", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("没有编码为", await unknown.Content.ReadAsStringAsync(Ct));
        var backwards = await ops.GetAsync(new Uri("/api/dashboard/summary?from=2026-12-01&to=2026-11-01", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Contains("统计期间", await backwards.Content.ReadAsStringAsync(Ct));
        foreach (var user in new[] { "resident001", "admin" })
        {
            using var client = await app.ClientForAsync(user);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(new Uri("/api/dashboard/summary", UriKind.Relative), Ct)).StatusCode);
        }

        // A year at once: whole months from the month rows, the ends from the day rows, the same totals as the days.
        var year = await (await ops.GetAsync(new Uri("/api/dashboard/summary?from=2025-12-15&to=2026-12-06", UriKind.Relative), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var scope = whole.GetProperty("scopeCode").GetString()!;
        var days = await app.WithDatabaseAsync(db => db.CaseCountRollups.IgnoreQueryFilters()
            .Where(r => r.Period == RollupPeriod.Day && r.Start >= 20251215 && r.Start <= 20261206 && r.ScopeCode == scope).SumAsync(r => r.Reported, Ct));
        Assert.Equal(days, Reported(year));
    }

    [Fact]
    public async Task Breakdowns_ByCategoryAndByDepartment_AddUpToWhatTheCasesSay_AndRefuseABadDimensionOrMonth()
    {
        using var ops = await app.ClientForAsync("ops");
        var scope = (await SummaryAsync(ops, null)).GetProperty("scopeCode").GetString()!;
        var from = new DateTimeOffset(2025, 12, 31, 16, 0, 0, TimeSpan.Zero); // 1 January 2026 in Beijing
        var to = new DateTimeOffset(2026, 12, 31, 16, 0, 0, TimeSpan.Zero);
        var byCategory = await BreakdownAsync(ops, "dimension=category&from=2026-01&to=2026-12");
        var reported = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters()
            .Where(c => c.GridCode.StartsWith(scope) && c.ReportedAt >= from && c.ReportedAt < to)
            .GroupBy(c => c.CategoryCode).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(Ct));
        Assert.NotEmpty(reported);
        Assert.Equal(reported.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Count}"),
            byCategory.GetProperty("lines").EnumerateArray().Where(l => l.GetProperty("reported").GetInt32() != 0)
                .Select(l => $"{l.GetProperty("key").GetString()} {l.GetProperty("reported").GetInt32()}").OrderBy(x => x, StringComparer.Ordinal));
        Assert.All(byCategory.GetProperty("lines").EnumerateArray(), l => Assert.False(string.IsNullOrEmpty(l.GetProperty("name").GetString())));

        var byDepartment = await BreakdownAsync(ops, "dimension=department&from=2026-01&to=2026-12");
        var closed = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters()
            .Where(c => c.GridCode.StartsWith(scope) && c.Status == CaseStatus.Closed && c.ClosedAt >= from && c.ClosedAt < to && c.AssigneeDepartmentId != null)
            .GroupBy(c => c.AssigneeDepartmentId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(Ct));
        Assert.Equal(closed.Select(c => $"{c.Key!.Value:N} {c.Count}").OrderBy(x => x, StringComparer.Ordinal),
            byDepartment.GetProperty("lines").EnumerateArray().Select(l => $"{l.GetProperty("key").GetString()} {l.GetProperty("closed").GetInt32()}")
                .OrderBy(x => x, StringComparer.Ordinal));

        using var community = await app.ClientForAsync("community01");
        var own = (await SummaryAsync(community, null)).GetProperty("scopeCode").GetString()!;
        var outside = await community.GetAsync(new Uri($"/api/dashboard/breakdown?dimension=category&grid={await OtherCommunityAsync(own)}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        foreach (var bad in new[] { "dimension=colour", "dimension=category&from=2026-13", "dimension=category&from=2026-12&to=2026-01" })
        {
            var response = await ops.GetAsync(new Uri($"/api/dashboard/breakdown?{bad}", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task TheMonthlyReport_IsAWorkbookOfTheScopesMonth_WhoseFiguresAreTheSummarys()
    {
        using var ops = await app.ClientForAsync("ops");
        var response = await ops.GetAsync(new Uri("/api/dashboard/report.xlsx?month=2026-11", UriKind.Relative), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        Assert.Contains("月度报表", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName ?? string.Empty);
        await using var workbook = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(["总体情况", "按渠道", "按事件类别", "按职能部门", "按下级网格"], MiniExcelLibs.MiniExcel.GetSheetNames(workbook));
        var overall = MiniExcelLibs.MiniExcel.Query(workbook, useHeaderRow: true, sheetName: "总体情况").Cast<IDictionary<string, object?>>()
            .ToDictionary(r => (string)r["项目"]!, r => Convert.ToString(r["数值"], CultureInfo.InvariantCulture));
        var november = await (await ops.GetAsync(new Uri("/api/dashboard/summary?from=2026-11-01&to=2026-11-30", UriKind.Relative), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(Reported(november).ToString(CultureInfo.InvariantCulture), overall["上报案件（件）"]);
        Assert.Equal(Flow(november, "closed").ToString(CultureInfo.InvariantCulture), overall["本月办结（件）"]);
        Assert.Equal("2026年11月", overall["统计月份"]);
        // One line per community of the subdistrict, whose reports add up to the subdistrict's.
        var grids = MiniExcelLibs.MiniExcel.Query(workbook, useHeaderRow: true, sheetName: "按下级网格").Cast<IDictionary<string, object?>>().ToList();
        Assert.True(grids.Count > 1);
        Assert.Equal(Reported(november), grids.Sum(g => Convert.ToInt32(g["上报（件）"], CultureInfo.InvariantCulture)));

        var bad = await ops.GetAsync(new Uri("/api/dashboard/report.xlsx?month=11-2026", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var resident = await app.ClientForAsync("resident001");
        Assert.Equal(HttpStatusCode.Forbidden, (await resident.GetAsync(new Uri("/api/dashboard/report.xlsx", UriKind.Relative), Ct)).StatusCode);
    }

    private static async Task<JsonElement> BreakdownAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync(new Uri($"/api/dashboard/breakdown?{query}", UriKind.Relative), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Fact]
    public async Task TheMapsGridCounts_FromTheRollups_AreEveryGridsOwnCases_AsACountOfTheCasesGives()
    {
        foreach (var user in new[] { "ops", "community01" })
        {
            using var client = await app.ClientForAsync(user);
            var answered = await (await client.GetAsync(new Uri("/api/cases/grid-counts", UriKind.Relative), Ct)).Content.ReadFromJsonAsync<List<JsonElement>>(Ct);
            var scope = (await SummaryAsync(client, null)).GetProperty("scopeCode").GetString()!;
            var counted = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => c.GridCode.StartsWith(scope))
                .GroupBy(c => c.GridCode)
                .Select(g => new { g.Key, Total = g.Count(), Open = g.Count(c => c.Status != CaseStatus.Closed && c.Status != CaseStatus.Rejected && c.Status != CaseStatus.Merged) })
                .ToListAsync(Ct));
            Assert.Equal(
                counted.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Total} {c.Open}"),
                answered!.Select(a => $"{a.GetProperty("gridCode").GetString()} {a.GetProperty("total").GetInt32()} {a.GetProperty("open").GetInt32()}"));
        }
    }

    private async Task<RollupReport> CompareAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CaseRollupCheck>().CompareAsync(Ct);
    }

    private Task<string> OtherCommunityAsync(string own) =>
        app.WithDatabaseAsync(db => db.Grids.Where(g => g.Code.Length == own.Length && g.Code != own).OrderBy(g => g.Code).Select(g => g.Code).FirstAsync(Ct));

    private static async Task<JsonElement> SummaryAsync(HttpClient client, string? grid)
    {
        var response = await client.GetAsync(new Uri("/api/dashboard/summary" + (grid is null ? string.Empty : $"?grid={grid}"), UriKind.Relative), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static int Reported(JsonElement s) => s.GetProperty("period").GetProperty("reported").GetInt32();

    private static int Flow(JsonElement s, string name) => s.GetProperty("period").GetProperty(name).GetInt32();

    private static int SolvedAt(JsonElement s, string tier) => s.GetProperty("solvedAt").GetProperty(tier).GetInt32();

    private static int Now(JsonElement s, string name) => s.GetProperty("now").GetProperty(name).GetInt32();
}

public sealed class DashboardTestsOnSqlite(SqliteApp app) : DashboardTests(app), IClassFixture<SqliteApp>;

public sealed class DashboardTestsOnPostgres(PostgresApp app) : DashboardTests(app), IClassFixture<PostgresApp>;
