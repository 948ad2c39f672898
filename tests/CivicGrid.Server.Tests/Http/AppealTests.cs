using System.Net;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Assessment;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;
using static CivicGrid.Server.Tests.Infrastructure.HttpAnswers;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Appeals, rankings and award lists over real HTTP on each provider, on runs published through the runs API as people do
/// it (compute → every community's review and approval → the subdistrict's → publish), each test on its own quarters of
/// 2020–2022: a grid leader appeals one indicator, community staff accept it with a correction that moves the stored score
/// and is kept in the run's and the grid's history, the digest still verifies; every refusal in Chinese; the award lists
/// and ranks on hand-set published standings; the Excel exports recorded in the security trail.
/// </summary>
public abstract class AppealTests(CivicGridApp app)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private readonly CaseScenario _scenario = new(app);
    private readonly TestCases _cases = new(app);

    private async Task<HttpClient> StaffAsync(string scopeCode, params Role[] roles) =>
        await app.ClientForAsync((await app.CreateUserAsync(CivicGridApp.UniqueName("appeal"), scopeCode, roles)).UserName);

    private static async Task<JsonElement> PostOkAsync(HttpClient client, string path, object body) =>
        await BodyAsync(await PostAsync(client, path, body), HttpStatusCode.OK);

    private static object Meeting(string title) => new
    {
        title, heldAt = DateTimeOffset.UtcNow.AddHours(-1), place = "社区议事厅", participants = new[] { "王主任", "李委员" }, summary = "审议暂定结果。",
    };

    private static string Rule(JsonElement problem) => problem.GetProperty("rule").GetString()!;

    /// <summary>The subdistrict's run of a quarter, published the way people do it (or the one already published).</summary>
    private async Task<string> PublishedRunAsync(HttpClient ops, string period, string level = "grid-3")
    {
        var runs = await BodyAsync(await ops.GetAsync($"/api/assessment/runs?period={period}", Ct), HttpStatusCode.OK);
        if (runs.EnumerateArray().FirstOrDefault(r => r.GetProperty("level").GetString() == level && r.GetProperty("status").GetString() == "published")
            is { ValueKind: JsonValueKind.Object } done)
        {
            return done.GetProperty("id").GetString()!;
        }

        var run = await PostOkAsync(ops, "/api/assessment/runs", new { period, level });
        var id = run.GetProperty("id").GetString()!;
        foreach (var community in run.GetProperty("communities").EnumerateArray().Select(c => c.GetProperty("code").GetString()!))
        {
            var staff = await StaffAsync(community, Role.CommunityStaff);
            await PostOkAsync(staff, $"/api/assessment/runs/{id}/reviews", Meeting("社区评议会"));
            await PostOkAsync(staff, $"/api/assessment/runs/{id}/approve", new { });
        }

        await PostOkAsync(ops, $"/api/assessment/runs/{id}/reviews", Meeting("街道评议会"));
        await PostOkAsync(ops, $"/api/assessment/runs/{id}/approve", new { });
        Assert.Equal("published", (await PostOkAsync(ops, $"/api/assessment/runs/{id}/publish", new { })).GetProperty("status").GetString());
        return id;
    }

    /// <summary>A green case of the micro-grid, accepted on the 3rd of a month, due the 5th, handled late on the 8th.</summary>
    private Task<Case> LateCaseAsync(string gridCode, int year, int month)
    {
        DateTimeOffset On(int day, int hour) => new DateTimeOffset(year, month, day, hour, 0, 0, Beijing).ToUniversalTime();
        var owner = TestCases.OwnerOf(gridCode, CaseTier.Green);
        return _cases.AddAsync(gridCode, "晚办", c =>
        {
            c.Accept(owner, c.Version, On(3, 10));
            c.Assign(owner, c.Version, On(3, 11), CaseAssignee.User(owner.UserId, owner.DisplayName), On(5, 18));
            c.StartHandling(owner, c.Version, On(3, 12));
            c.RecordHandled(owner, c.Version, On(8, 10), "已处理", [Guid.NewGuid()]);
        }, reportedAt: On(3, 9));
    }

    private static int? Stars(JsonElement stars) => stars.ValueKind == JsonValueKind.Null ? null : stars.GetInt32();

    private static JsonElement Line(JsonElement result, string indicator) =>
        result.GetProperty("indicators").EnumerateArray().Single(l => l.GetProperty("code").GetString() == indicator);

    [Fact]
    public async Task ALeaderAppeals_StaffAcceptWithACorrection_TheStoredScoreMoves_AndTheHistoriesSayWhy()
    {
        var place = await _scenario.CertainPlaceAsync();
        var community = place.ThirdCode[..GridCodes.CommunityLength];
        await LateCaseAsync(place.GridCode, 2020, 2);
        var ops = await StaffAsync(place.ThirdCode[..GridCodes.SubdistrictLength], Role.SubdistrictOperator);
        var runId = await PublishedRunAsync(ops, "2020-Q1");
        var leader = await app.ClientForAsync(place.LeaderUserName);

        var before = (await BodyAsync(await leader.GetAsync("/api/assessment/results?period=2020-Q1&level=grid-3", Ct), HttpStatusCode.OK));
        Assert.False(before.GetProperty("provisional").GetBoolean());
        Assert.True(before.GetProperty("appealsUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(9));
        var mine = before.GetProperty("results").EnumerateArray().Single();
        var scoreBefore = mine.GetProperty("score").GetDouble();
        Assert.Equal((0.0, 1.0), (Line(mine, "on-time-handling").GetProperty("numerator").GetDouble(), Line(mine, "on-time-handling").GetProperty("denominator").GetDouble()));

        var filed = await BodyAsync(await PostAsync(leader, "/api/assessment/appeals", new
        {
            period = "2020-Q1", subject = place.ThirdCode, indicator = "on-time-handling", reason = "超期系全区停电所致，应按时计。", evidence = "停电通知（街道 2 月 4 日）",
        }), HttpStatusCode.Created);
        var id = filed.GetProperty("id").GetString();
        Assert.Equal(("pending", runId, "按时处置率", 0.0, 1.0), (filed.GetProperty("status").GetString(), filed.GetProperty("runId").GetString(),
            filed.GetProperty("indicatorName").GetString(), filed.GetProperty("numerator").GetDouble(), filed.GetProperty("denominator").GetDouble()));
        Assert.Empty(filed.GetProperty("allowedActions").EnumerateArray());
        var twice = await ProblemAsync(await PostAsync(leader, "/api/assessment/appeals", new
        {
            period = "2020-Q1", subject = place.ThirdCode, indicator = "on-time-handling", reason = "再申诉一次",
        }), HttpStatusCode.Conflict);
        Assert.Contains("正在复核", twice.GetProperty("detail").GetString());

        // The queue: the community's staff may decide; the neighbouring subdistrict does not see it; the leader may not decide.
        var staff = await StaffAsync(community, Role.CommunityStaff);
        var queue = await BodyAsync(await staff.GetAsync("/api/assessment/appeals?status=pending", Ct), HttpStatusCode.OK);
        Assert.Equal(["accept", "refuse"], queue.EnumerateArray().Single(a => a.GetProperty("id").GetString() == id)
            .GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        var east = await app.ClientForAsync("ops-east");
        Assert.DoesNotContain((await BodyAsync(await east.GetAsync("/api/assessment/appeals", Ct), HttpStatusCode.OK)).EnumerateArray(),
            a => a.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.NotFound, (await east.GetAsync($"/api/assessment/appeals/{id}", Ct)).StatusCode);
        var self = await ProblemAsync(await PostAsync(leader, $"/api/assessment/appeals/{id}/accept", new { numerator = 1, denominator = 1, reason = "自己改" }),
            HttpStatusCode.Forbidden);
        Assert.Contains("社区", self.GetProperty("detail").GetString());

        var tooMany = await ProblemAsync(await PostAsync(staff, $"/api/assessment/appeals/{id}/accept", new { numerator = 3, denominator = 1, reason = "核实" }),
            HttpStatusCode.BadRequest);
        Assert.Contains("分子", tooMany.GetProperty("errors").GetProperty("numerator")[0].GetString());
        var same = await ProblemAsync(await PostAsync(staff, $"/api/assessment/appeals/{id}/accept", new { numerator = 0, denominator = 1, reason = "核实" }),
            HttpStatusCode.UnprocessableEntity, "/problems/appeal-rule");
        Assert.Contains("不予采纳", same.GetProperty("detail").GetString());
        var noReason = await ProblemAsync(await PostAsync(staff, $"/api/assessment/appeals/{id}/accept", new { numerator = 1, denominator = 1 }),
            HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));

        var accepted = await PostOkAsync(staff, $"/api/assessment/appeals/{id}/accept", new { numerator = 1, denominator = 1, reason = "经核实停电属实，按时计。" });
        Assert.Equal(("accepted", "经核实停电属实，按时计。", 1.0), (accepted.GetProperty("status").GetString(), accepted.GetProperty("decision").GetString(),
            accepted.GetProperty("correctedNumerator").GetDouble()));
        var correction = accepted.GetProperty("correction");
        Assert.Equal(scoreBefore, correction.GetProperty("scoreBefore").GetDouble());
        Assert.True(correction.GetProperty("scoreAfter").GetDouble() > scoreBefore);
        Assert.Equal(id, correction.GetProperty("appealId").GetString());
        Assert.Equal(JsonValueKind.Null, correction.GetProperty("reviewId").ValueKind);
        Assert.Empty(accepted.GetProperty("allowedActions").EnumerateArray());
        var again = await ProblemAsync(await PostAsync(ops, $"/api/assessment/appeals/{id}/refuse", new { reason = "不同意" }), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("不能再改", again.GetProperty("detail").GetString());

        // The published result now carries the correction; the run stays published, its history says who and why, the digest still verifies.
        var after = (await BodyAsync(await leader.GetAsync("/api/assessment/results?period=2020-Q1&level=grid-3", Ct), HttpStatusCode.OK))
            .GetProperty("results").EnumerateArray().Single();
        Assert.Equal(correction.GetProperty("scoreAfter").GetDouble(), after.GetProperty("score").GetDouble());
        Assert.Equal(Stars(correction.GetProperty("starsAfter")), Stars(after.GetProperty("stars")));
        Assert.Equal(1.0, Line(after, "on-time-handling").GetProperty("numerator").GetDouble());
        var run = await BodyAsync(await ops.GetAsync($"/api/assessment/runs/{runId}", Ct), HttpStatusCode.OK);
        Assert.Equal("published", run.GetProperty("status").GetString());
        var entry = run.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(("correct-on-appeal", "测试用户"), (entry.GetProperty("action").GetString(), entry.GetProperty("byName").GetString()));
        Assert.Contains("停电属实", entry.GetProperty("note").GetString());
        Assert.True((await PostOkAsync(ops, $"/api/assessment/runs/{runId}/verify", new { })).GetProperty("same").GetBoolean());

        var history = await BodyAsync(await leader.GetAsync($"/api/assessment/history/{place.ThirdCode}", Ct), HttpStatusCode.OK);
        var quarter = history.GetProperty("periods").EnumerateArray().Single(p => p.GetProperty("period").GetString() == "2020-Q1");
        Assert.Equal(after.GetProperty("score").GetDouble(), quarter.GetProperty("score").GetDouble());
        Assert.Contains("停电属实", quarter.GetProperty("corrections").EnumerateArray().Single().GetProperty("reason").GetString());
        var mineNow = await BodyAsync(await leader.GetAsync("/api/assessment/appeals", Ct), HttpStatusCode.OK);
        Assert.Equal("accepted", mineNow.EnumerateArray().Single(a => a.GetProperty("id").GetString() == id).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Refusals_AreProblemsInChinese_AndARefusalIsKeptWithItsReason()
    {
        var place = await _scenario.CertainPlaceAsync();
        var subdistrict = place.ThirdCode[..GridCodes.SubdistrictLength];
        var community = place.ThirdCode[..GridCodes.CommunityLength];
        var ops = await StaffAsync(subdistrict, Role.SubdistrictOperator);
        var staff = await StaffAsync(community, Role.CommunityStaff);
        var leader = await app.ClientForAsync(place.LeaderUserName);
        object Filing(string period, string subject) => new { period, subject, indicator = "closure-rate", reason = "有两件已结案未计入。" };

        await PostOkAsync(ops, "/api/assessment/runs", new { period = "2020-Q2", level = "grid-3" });
        var unpublished = await ProblemAsync(await PostAsync(leader, "/api/assessment/appeals", Filing("2020-Q2", place.ThirdCode)),
            HttpStatusCode.UnprocessableEntity, "/problems/appeal-rule");
        Assert.Equal("not-published", Rule(unpublished));
        Assert.Contains("尚未公布", unpublished.GetProperty("detail").GetString());
        Assert.Contains("网格员或网格长",
            (await ProblemAsync(await PostAsync(staff, "/api/assessment/appeals", Filing("2020-Q3", place.ThirdCode)), HttpStatusCode.Forbidden))
            .GetProperty("detail").GetString());
        var empty = await ProblemAsync(await PostAsync(leader, "/api/assessment/appeals", new { period = "2020-13" }), HttpStatusCode.BadRequest);
        Assert.All(new[] { "period", "subject", "indicator", "reason" }, f => Assert.True(empty.GetProperty("errors").TryGetProperty(f, out _), f));
        var other = await app.WithDatabaseAsync(db => db.Grids.IgnoreQueryFilters().Where(g => g.Level == GridLevel.Third && g.Code.StartsWith(community)
            && g.Code != place.ThirdCode).Select(g => g.Code).FirstAsync(Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(leader, "/api/assessment/appeals", Filing("2020-Q3", other))).StatusCode);

        await PublishedRunAsync(ops, "2020-Q3");
        var unknown = await ProblemAsync(await PostAsync(leader, "/api/assessment/appeals", new
        {
            period = "2020-Q3", subject = place.ThirdCode, indicator = "no-such", reason = "?",
        }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("indicator-not-in-result", Rule(unknown));

        // Someone who is both a grid's leader and a reviewer may file, but not review their own appeal.
        var both = await StaffAsync(subdistrict, Role.GridLeader, Role.SubdistrictOperator);
        var own = await BodyAsync(await PostAsync(both, "/api/assessment/appeals", new
        {
            period = "2020-Q3", subject = other, indicator = "closure-rate", reason = "本网格结案数有误。",
        }), HttpStatusCode.Created);
        var selfReview = await ProblemAsync(await PostAsync(both, $"/api/assessment/appeals/{own.GetProperty("id").GetString()}/refuse", new { reason = "驳回" }),
            HttpStatusCode.UnprocessableEntity);
        Assert.Contains("不能复核自己", selfReview.GetProperty("detail").GetString());

        var filed = await BodyAsync(await PostAsync(leader, "/api/assessment/appeals", Filing("2020-Q3", place.ThirdCode)), HttpStatusCode.Created);
        var id = filed.GetProperty("id").GetString();
        var bare = await ProblemAsync(await PostAsync(staff, $"/api/assessment/appeals/{id}/refuse", new { }), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("须写明理由", bare.GetProperty("detail").GetString());
        var refused = await PostOkAsync(staff, $"/api/assessment/appeals/{id}/refuse", new { reason = "两件案件结案于 10 月 2 日，属下一季度。" });
        Assert.Equal(("refused", "测试用户"), (refused.GetProperty("status").GetString(), refused.GetProperty("decidedByName").GetString()));
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("correction").ValueKind);
        var seen = await BodyAsync(await leader.GetAsync($"/api/assessment/appeals/{id}", Ct), HttpStatusCode.OK);
        Assert.Contains("下一季度", seen.GetProperty("decision").GetString());
        Assert.Contains((await BodyAsync(await leader.GetAsync("/api/assessment/appeals?status=refused&period=2020-Q3", Ct), HttpStatusCode.OK)).EnumerateArray(),
            a => a.GetProperty("id").GetString() == id);
        Assert.True((await ProblemAsync(await leader.GetAsync("/api/assessment/appeals?status=maybe", Ct), HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("status", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync($"/api/assessment/appeals/{Guid.NewGuid()}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await leader.GetAsync("/api/assessment/history/610103098001001", Ct)).StatusCode);
    }

    [Fact]
    public async Task AwardLists_RanksAndExports_ComeFromPublishedRuns_ByTheConfiguredRules()
    {
        var place = await _scenario.CertainPlaceAsync();
        var subdistrict = place.ThirdCode[..GridCodes.SubdistrictLength];
        var ops = await StaffAsync(subdistrict, Role.SubdistrictOperator);
        string[] quarters = ["2021-Q3", "2021-Q4", "2022-Q1", "2022-Q2"];
        var runIds = new List<string>();
        foreach (var quarter in quarters)
        {
            runIds.Add(await PublishedRunAsync(ops, quarter));
        }

        // Hand-set published standings (the indicator sources are tested elsewhere): the place's grid first with 95, two
        // grids sharing 90, one with 85 (4 stars), one with 70 (3 stars), the rest 60 (2 stars).
        var others = await app.WithDatabaseAsync(async db =>
        {
            var guids = runIds.Select(Guid.Parse).ToList();
            var subjects = await db.RunSubjects.IgnoreQueryFilters().Where(s => guids.Contains(s.RunId)).ToListAsync(Ct);
            var codes = subjects.Select(s => s.Code).Where(c => c != place.ThirdCode).Distinct().Order(StringComparer.Ordinal).ToList();
            foreach (var s in subjects)
            {
                var i = codes.IndexOf(s.Code);
                (s.Score, s.Stars) = s.Code == place.ThirdCode ? (95, 5) : i is 0 or 1 ? (90, 5) : i == 2 ? (85, 4) : i == 3 ? (70, 3) : (60, 2);
            }

            await db.SaveChangesAsync(Ct);
            return codes;
        });

        var quarterly = await BodyAsync(await ops.GetAsync("/api/assessment/awards?period=2022-Q2&level=grid-3", Ct), HttpStatusCode.OK);
        Assert.Equal(("quarter", "季度优秀三级网格", 3, 4), (quarterly.GetProperty("kind").GetString(), quarterly.GetProperty("name").GetString(),
            quarterly.GetProperty("top").GetInt32(), quarterly.GetProperty("minimumStars").GetInt32()));
        var list = quarterly.GetProperty("lists").EnumerateArray().Single();
        Assert.Equal(subdistrict, list.GetProperty("subdistrictCode").GetString());
        Assert.Equal([(1, place.ThirdCode), (2, others[0]), (2, others[1])],
            list.GetProperty("winners").EnumerateArray().Select(w => (w.GetProperty("place").GetInt32(), w.GetProperty("code").GetString())));

        var annual = await BodyAsync(await ops.GetAsync("/api/assessment/awards?kind=july-first&year=2022&level=grid-3", Ct), HttpStatusCode.OK);
        Assert.Equal(quarters, annual.GetProperty("periods").EnumerateArray().Select(p => p.GetString()));
        var annualList = annual.GetProperty("lists").EnumerateArray().Single();
        Assert.Empty(annualList.GetProperty("missingPeriods").EnumerateArray());
        Assert.Equal([place.ThirdCode, others[0], others[1]], annualList.GetProperty("winners").EnumerateArray().Select(w => w.GetProperty("code").GetString()));
        Assert.Contains("“七一”", annual.GetProperty("name").GetString());
        var none = await ProblemAsync(await ops.GetAsync("/api/assessment/awards?kind=july-first&year=2023", Ct), HttpStatusCode.UnprocessableEntity,
            "/problems/awards-not-published");
        Assert.Contains("尚未公布", none.GetProperty("detail").GetString());
        var bad = await ProblemAsync(await ops.GetAsync("/api/assessment/awards?period=2022-05&kind=yearly&level=community", Ct), HttpStatusCode.BadRequest);
        Assert.All(new[] { "period", "kind", "level" }, f => Assert.True(bad.GetProperty("errors").TryGetProperty(f, out _), f));

        // The leader's grid is first of the whole subdistrict, though the leader sees only that grid.
        var leader = await app.ClientForAsync(place.LeaderUserName);
        var results = await BodyAsync(await leader.GetAsync("/api/assessment/results?period=2022-Q2&level=grid-3", Ct), HttpStatusCode.OK);
        Assert.Equal(1, results.GetProperty("results").EnumerateArray().Single().GetProperty("rank").GetInt32());
        var staffResults = await BodyAsync(await ops.GetAsync("/api/assessment/results?period=2022-Q2&level=grid-3", Ct), HttpStatusCode.OK);
        Assert.Equal(2, staffResults.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("code").GetString() == others[1]).GetProperty("rank").GetInt32());
        var history = await BodyAsync(await leader.GetAsync($"/api/assessment/history/{place.ThirdCode}", Ct), HttpStatusCode.OK);
        Assert.Equal(["2022-Q2", "2022-Q1", "2021-Q4", "2021-Q3"], history.GetProperty("periods").EnumerateArray().Select(p => p.GetProperty("period").GetString())
            .Where(quarters.Contains));
        Assert.All(history.GetProperty("periods").EnumerateArray().Where(p => quarters.Contains(p.GetProperty("period").GetString())),
            p => Assert.Equal((5, 95.0, 1), (p.GetProperty("stars").GetInt32(), p.GetProperty("score").GetDouble(), p.GetProperty("rank").GetInt32())));

        // An undecided appeal holds the grid back from the list: the others move up and it is named as waiting.
        await BodyAsync(await PostAsync(leader, "/api/assessment/appeals", new
        {
            period = "2022-Q2", subject = place.ThirdCode, indicator = "closure-rate", reason = "结案数有误。",
        }), HttpStatusCode.Created);
        var waiting = (await BodyAsync(await ops.GetAsync("/api/assessment/awards?period=2022-Q2&level=grid-3", Ct), HttpStatusCode.OK))
            .GetProperty("lists")[0];
        Assert.Equal([(1, others[0]), (1, others[1]), (3, others[2])],
            waiting.GetProperty("winners").EnumerateArray().Select(w => (w.GetProperty("place").GetInt32(), w.GetProperty("code").GetString())));
        Assert.Single(waiting.GetProperty("waiting").EnumerateArray());

        // Exports: the ranking table and the award list, each recorded in the security trail; a grid leader may not export.
        var exported = await app.WithDatabaseAsync(db => db.SecurityEvents.IgnoreQueryFilters().CountAsync(e => e.Kind == SecurityEventKind.Exported, Ct));
        var table = await ops.GetAsync($"/api/assessment/runs/{runIds[^1]}/export.xlsx", Ct);
        Assert.Equal(HttpStatusCode.OK, table.StatusCode);
        await using (var stream = await table.Content.ReadAsStreamAsync(Ct))
        {
            var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
            Assert.Equal(["排名", "网格", "网格编码", "星级", "得分"], rows[0].Keys.Take(5));
            Assert.Contains("按时处置率·数值（%）", rows[0].Keys);
            Assert.Contains("按时处置率·得分", rows[0].Keys);
            Assert.Equal((1.0, place.ThirdCode), (Convert.ToDouble(rows[0]["排名"]), rows[0]["网格编码"]));
        }

        var awardsFile = await ops.GetAsync("/api/assessment/awards/export.xlsx?period=2022-Q2&level=grid-3", Ct);
        Assert.Equal(HttpStatusCode.OK, awardsFile.StatusCode);
        await using (var stream = await awardsFile.Content.ReadAsStreamAsync(Ct))
        {
            var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
            Assert.Equal(3, rows.Count);
            Assert.Equal("季度优秀三级网格", rows[0]["评优名称"]);
        }

        Assert.Equal(exported + 2, await app.WithDatabaseAsync(db => db.SecurityEvents.IgnoreQueryFilters().CountAsync(e => e.Kind == SecurityEventKind.Exported, Ct)));
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync($"/api/assessment/runs/{runIds[^1]}/export.xlsx", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync("/api/assessment/awards/export.xlsx?period=2022-Q2", Ct)).StatusCode);
        var provisional = await PostOkAsync(ops, "/api/assessment/runs", new { period = "2021-Q2", level = "micro" });
        var notYet = await ProblemAsync(await ops.GetAsync($"/api/assessment/runs/{provisional.GetProperty("id").GetString()}/export.xlsx", Ct),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal("export-after-publication", Rule(notYet));
    }

    [Theory]
    [InlineData(Role.SystemAdmin)]
    [InlineData(Role.AuditAdmin)]
    [InlineData(Role.PropertyStaff)]
    [InlineData(Role.Resident)]
    public async Task Administrators_PropertyStaffAndResidents_AreRefused(Role role)
    {
        var place = await _scenario.CertainPlaceAsync();
        var client = await StaffAsync(role is Role.SystemAdmin or Role.AuditAdmin ? string.Empty : place.ThirdCode, role);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/assessment/appeals", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, "/api/assessment/appeals", new { period = "2020-Q1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/assessment/awards?period=2020-Q1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/assessment/history/{place.ThirdCode}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/assessment/awards/export.xlsx", Ct)).StatusCode);
    }
}

public sealed class AppealTestsOnSqlite(SqliteApp app) : AppealTests(app), IClassFixture<SqliteApp>;

public sealed class AppealTestsOnPostgres(PostgresApp app) : AppealTests(app), IClassFixture<PostgresApp>;
