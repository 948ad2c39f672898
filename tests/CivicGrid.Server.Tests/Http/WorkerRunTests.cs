using System.Net;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Features.Assessment;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;
using static CivicGrid.Server.Tests.Infrastructure.HttpAnswers;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Grid workers' results stored as runs over real HTTP on each provider, like grids': the subdistrict computes its workers'
/// run, every community with workers reviews and approves its part, the subdistrict publishes; the result is then frozen (a
/// patrol filed afterwards changes nothing, and verify names it), ranked in the subdistrict, readable with its stored
/// evidence, and open to the worker's own appeal, whose acceptance moves the stars and shows on the figure as a correction.
/// Scope: a worker reads and appeals only their own; the community and the leader read their workers; the neighbouring
/// subdistrict does not find them. Each test uses its own quarters of 2021.
/// </summary>
public abstract class WorkerRunTests(CivicGridApp app)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private readonly CaseScenario _scenario = new(app);

    private async Task<HttpClient> StaffAsync(string scopeCode, params Role[] roles) =>
        await app.ClientForAsync((await app.CreateUserAsync(CivicGridApp.UniqueName("wrun"), scopeCode, roles)).UserName);

    private static async Task<JsonElement> PostOkAsync(HttpClient client, string path, object body) =>
        await BodyAsync(await PostAsync(client, path, body), HttpStatusCode.OK);

    private static object Meeting(string title) => new
    {
        title, heldAt = DateTimeOffset.UtcNow.AddHours(-1), place = "社区议事厅", participants = new[] { "王主任", "李委员" }, summary = "审议网格人员暂定结果。",
    };

    private static JsonElement Line(JsonElement result, string indicator) =>
        result.GetProperty("indicators").EnumerateArray().Single(l => l.GetProperty("code").GetString() == indicator);

    private static JsonElement Mine(JsonElement results, Guid id) =>
        results.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("code").GetString() == id.ToString("D"));

    /// <summary>A patrol of <paramref name="worker"/> on a day of 2021 that met the step goal.</summary>
    private async Task WalkAsync(UserAccount worker, string gridCode, DateOnly day) => await app.WithDatabaseAsync(async db =>
    {
        var start = new DateTimeOffset(day.Year, day.Month, day.Day, 9, 0, 0, Beijing).ToUniversalTime();
        var patrol = new Patrol(worker.Id, worker.DisplayName, gridCode, start, day);
        patrol.End(start.AddHours(2), new TrackSummary([], [], 0, 8_400, 0, TimeSpan.FromHours(2), 12_000, true));
        db.Patrols.Add(patrol);
        await db.SaveChangesAsync(Ct);
        return 0;
    });

    /// <summary>The subdistrict's workers' run of a quarter, computed and published the way people do it.</summary>
    private async Task<string> PublishWorkersAsync(HttpClient ops, string period)
    {
        var run = await PostOkAsync(ops, "/api/assessment/runs", new { period, subject = "worker" });
        Assert.Equal(("worker", "worker", "provisional"), (run.GetProperty("subject").GetString(), run.GetProperty("level").GetString(),
            run.GetProperty("status").GetString()));
        var id = run.GetProperty("id").GetString()!;
        foreach (var community in run.GetProperty("communities").EnumerateArray().Select(c => c.GetProperty("code").GetString()!))
        {
            var staff = await StaffAsync(community, Role.CommunityStaff);
            await PostOkAsync(staff, $"/api/assessment/runs/{id}/reviews", Meeting("社区网格人员评议会"));
            await PostOkAsync(staff, $"/api/assessment/runs/{id}/approve", new { });
        }

        await PostOkAsync(ops, $"/api/assessment/runs/{id}/reviews", Meeting("街道网格人员评议会"));
        await PostOkAsync(ops, $"/api/assessment/runs/{id}/approve", new { });
        Assert.Equal("published", (await PostOkAsync(ops, $"/api/assessment/runs/{id}/publish", new { })).GetProperty("status").GetString());
        return id;
    }

    [Fact]
    public async Task AWorkersRun_IsPublishedFrozenAndRanked_TheirAppealAcceptedMovesTheStars_AndTheEvidenceShowsTheCorrection()
    {
        var place = await _scenario.CertainPlaceAsync();
        var subdistrict = place.ThirdCode[..GridCodes.SubdistrictLength];
        var community = place.ThirdCode[..GridCodes.CommunityLength];
        var worker = await app.CreateUserAsync(CivicGridApp.UniqueName("walker"), place.ThirdCode, Role.GridWorker);
        await WalkAsync(worker, place.ThirdCode, new DateOnly(2021, 1, 5));
        using var me = await app.ClientForAsync(worker.UserName);
        const string results = "/api/assessment/results?period=2021-Q1&subject=worker";

        var provisional = await BodyAsync(await me.GetAsync(results, Ct), HttpStatusCode.OK);
        Assert.True(provisional.GetProperty("provisional").GetBoolean());
        Assert.Equal(JsonValueKind.Null, provisional.GetProperty("appealsUntil").ValueKind);
        Assert.Equal(1, Line(Mine(provisional, worker.Id), "patrol-goal-days").GetProperty("numerator").GetDouble());

        var ops = await StaffAsync(subdistrict, Role.SubdistrictOperator);
        var runId = await PublishWorkersAsync(ops, "2021-Q1");
        var run = await BodyAsync(await ops.GetAsync($"/api/assessment/runs/{runId}", Ct), HttpStatusCode.OK);
        Assert.Contains(run.GetProperty("communities").EnumerateArray(), c => c.GetProperty("code").GetString() == community);
        var listed = await BodyAsync(await ops.GetAsync("/api/assessment/runs?period=2021-Q1", Ct), HttpStatusCode.OK);
        Assert.Contains(listed.EnumerateArray(), r => r.GetProperty("id").GetString() == runId && r.GetProperty("level").GetString() == "worker");

        // Published: the stored figures, ranked in the subdistrict, with the appeal window; a worker reads only their own line.
        var published = await BodyAsync(await me.GetAsync(results, Ct), HttpStatusCode.OK);
        Assert.False(published.GetProperty("provisional").GetBoolean());
        Assert.True(published.GetProperty("appealsUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(9));
        var mine = Assert.Single(published.GetProperty("results").EnumerateArray());
        Assert.Equal((worker.Id.ToString("D"), worker.DisplayName, place.ThirdCode, "grid-3"), (mine.GetProperty("code").GetString(),
            mine.GetProperty("name").GetString(), mine.GetProperty("gridCode").GetString(), mine.GetProperty("level").GetString()));
        Assert.Equal(["grid-worker"], mine.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var goal = Line(mine, "patrol-goal-days");
        Assert.Equal(1, goal.GetProperty("numerator").GetDouble());
        Assert.False(goal.GetProperty("adjusted").GetBoolean());
        var scoreBefore = mine.GetProperty("score").GetDouble();
        var storedRows = await BodyAsync(await me.GetAsync($"/api/assessment/runs/{runId}/results", Ct), HttpStatusCode.OK);
        Assert.Equal(worker.Id.ToString("D"), Assert.Single(storedRows.EnumerateArray()).GetProperty("code").GetString());

        // Frozen: a patrol filed afterwards does not move the published figure; verify names it.
        await WalkAsync(worker, place.ThirdCode, new DateOnly(2021, 1, 6));
        Assert.Equal(1, Line(Mine(await BodyAsync(await me.GetAsync(results, Ct), HttpStatusCode.OK), worker.Id), "patrol-goal-days")
            .GetProperty("numerator").GetDouble());
        var check = await PostOkAsync(ops, $"/api/assessment/runs/{runId}/verify", new { });
        Assert.False(check.GetProperty("same").GetBoolean());
        Assert.Contains(check.GetProperty("changes").EnumerateArray(), c => c.GetProperty("subject").GetString() == worker.Id.ToString("D")
            && c.GetProperty("indicator").GetString() == "patrol-goal-days");

        // The community reads its workers by name, the neighbouring subdistrict does not find them, the district reads them masked.
        var staff = await StaffAsync(community, Role.CommunityStaff);
        Assert.Equal(worker.DisplayName, Mine(await BodyAsync(await staff.GetAsync(results, Ct), HttpStatusCode.OK), worker.Id).GetProperty("name").GetString());
        using var east = await app.ClientForAsync(DemoAccounts.NeighbourOperator);
        Assert.DoesNotContain((await BodyAsync(await east.GetAsync(results, Ct), HttpStatusCode.OK)).GetProperty("results").EnumerateArray(),
            r => r.GetProperty("code").GetString() == worker.Id.ToString("D"));
        using var district = await app.ClientForAsync(DemoAccounts.DistrictViewer);
        Assert.NotEqual(worker.DisplayName, Mine(await BodyAsync(await district.GetAsync(results, Ct), HttpStatusCode.OK), worker.Id).GetProperty("name").GetString());

        // The worker appeals their own figure; a colleague may not appeal it, nor see it; the leader sees it.
        var colleague = await app.CreateUserAsync(CivicGridApp.UniqueName("colleague"), place.ThirdCode, Role.GridWorker);
        using var colleagueClient = await app.ClientForAsync(colleague.UserName);
        var filing = new
        {
            period = "2021-Q1", kind = "worker", subject = worker.Id.ToString("D"), indicator = "patrol-goal-days", reason = "数据有误：纸质巡查记录未上传。",
            evidence = "纸质巡查记录",
        };
        var notMine = await ProblemAsync(await PostAsync(colleagueClient, "/api/assessment/appeals", filing), HttpStatusCode.Forbidden);
        Assert.Contains("本人", notMine.GetProperty("detail").GetString());
        var filed = await BodyAsync(await PostAsync(me, "/api/assessment/appeals", filing), HttpStatusCode.Created);
        var appealId = filed.GetProperty("id").GetString();
        Assert.Equal(("pending", runId, worker.DisplayName, 1.0), (filed.GetProperty("status").GetString(), filed.GetProperty("runId").GetString(),
            filed.GetProperty("subjectName").GetString(), filed.GetProperty("numerator").GetDouble()));
        Assert.DoesNotContain((await BodyAsync(await colleagueClient.GetAsync("/api/assessment/appeals", Ct), HttpStatusCode.OK)).EnumerateArray(),
            a => a.GetProperty("id").GetString() == appealId);
        Assert.Equal(HttpStatusCode.NotFound, (await colleagueClient.GetAsync($"/api/assessment/appeals/{appealId}", Ct)).StatusCode);
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        Assert.Contains((await BodyAsync(await leader.GetAsync("/api/assessment/appeals", Ct), HttpStatusCode.OK)).EnumerateArray(),
            a => a.GetProperty("id").GetString() == appealId);

        // The community's staff accept it: the stored figure and the score move, the evidence shows who, when, why and before → after.
        var queue = await BodyAsync(await staff.GetAsync("/api/assessment/appeals?status=pending&period=2021-Q1", Ct), HttpStatusCode.OK);
        Assert.Equal(["accept", "refuse"], queue.EnumerateArray().Single(a => a.GetProperty("id").GetString() == appealId)
            .GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        var denominator = goal.GetProperty("denominator").GetDouble();
        var accepted = await PostOkAsync(staff, $"/api/assessment/appeals/{appealId}/accept",
            new { numerator = denominator, denominator, reason = "核实纸质记录，本季度每天巡查均达标。" });
        Assert.Equal("accepted", accepted.GetProperty("status").GetString());
        var correction = accepted.GetProperty("correction");
        Assert.True(correction.GetProperty("scoreAfter").GetDouble() > scoreBefore);

        var after = Assert.Single((await BodyAsync(await me.GetAsync(results, Ct), HttpStatusCode.OK)).GetProperty("results").EnumerateArray());
        Assert.Equal(correction.GetProperty("scoreAfter").GetDouble(), after.GetProperty("score").GetDouble());
        Assert.Equal(denominator, Line(after, "patrol-goal-days").GetProperty("numerator").GetDouble());
        Assert.True(Line(after, "patrol-goal-days").GetProperty("adjusted").GetBoolean());
        var evidence = await BodyAsync(await me.GetAsync($"/api/assessment/workers/{worker.Id}/indicators/patrol-goal-days/evidence?period=2021-Q1", Ct),
            HttpStatusCode.OK);
        Assert.Equal((denominator, place.ThirdCode, worker.DisplayName), (evidence.GetProperty("numerator").GetDouble(), evidence.GetProperty("gridCode").GetString(),
            evidence.GetProperty("workerName").GetString()));
        Assert.Equal(1, evidence.GetProperty("evidence").EnumerateArray().Count(e => e.GetProperty("counted").GetBoolean())); // the records as computed
        var shown = Assert.Single(evidence.GetProperty("corrections").EnumerateArray());
        Assert.Equal((1.0, denominator, "测试用户", appealId), (shown.GetProperty("numeratorBefore").GetDouble(), shown.GetProperty("numerator").GetDouble(),
            shown.GetProperty("byName").GetString(), shown.GetProperty("appealId").GetString()));
        Assert.Contains("纸质记录", shown.GetProperty("reason").GetString());
        var history = await BodyAsync(await ops.GetAsync($"/api/assessment/runs/{runId}", Ct), HttpStatusCode.OK);
        Assert.Equal("correct-on-appeal", history.GetProperty("history").EnumerateArray().Last().GetProperty("action").GetString());

        // The person's history across periods (for renewal): their own, and their community's; not a colleague's.
        var periods = await BodyAsync(await me.GetAsync($"/api/assessment/history/{worker.Id}", Ct), HttpStatusCode.OK);
        Assert.Equal(("worker", worker.DisplayName), (periods.GetProperty("level").GetString(), periods.GetProperty("name").GetString()));
        var quarter = Assert.Single(periods.GetProperty("periods").EnumerateArray());
        Assert.Equal(("2021-Q1", after.GetProperty("score").GetDouble()), (quarter.GetProperty("period").GetString(), quarter.GetProperty("score").GetDouble()));
        Assert.Contains("纸质记录", Assert.Single(quarter.GetProperty("corrections").EnumerateArray()).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/api/assessment/history/{worker.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await colleagueClient.GetAsync($"/api/assessment/history/{worker.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await east.GetAsync($"/api/assessment/history/{worker.Id}", Ct)).StatusCode);

        // The 1 July list of grid workers draws from the published workers' quarters and names the ones not yet published.
        var awards = await BodyAsync(await ops.GetAsync("/api/assessment/awards?kind=july-first&year=2021&level=worker", Ct), HttpStatusCode.OK);
        Assert.Equal(("worker", "“七一”年度优秀网格员"), (awards.GetProperty("level").GetString(), awards.GetProperty("name").GetString()));
        Assert.Equal(3, Assert.Single(awards.GetProperty("lists").EnumerateArray()).GetProperty("missingPeriods").GetArrayLength());
    }

    [Fact]
    public async Task OnlyOneWorkersRun_PerSubdistrictAndPeriod_CanBeStored()
    {
        // Two first computations at once each find no run and each add one; the database keeps only the first, as it does for
        // a level of grids (a workers' run has no level, and NULLs never collide in the level's unique index).
        var place = await _scenario.CertainPlaceAsync();
        var subdistrict = place.ThirdCode[..GridCodes.SubdistrictLength];
        var period = AssessmentPeriod.Parse("2021-Q4");
        AssessmentRun Run() => AssessmentRun.Start(Guid.CreateVersion7(), subdistrict, period, "worker", null,
            new AssessmentRun.Computation(1, new string('0', 64), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, true, []), null, "测试");
        await app.WithDatabaseAsync(async db =>
        {
            db.AssessmentRuns.Add(Run());
            await db.SaveChangesAsync(Ct);
            return 0;
        });
        await Assert.ThrowsAsync<DbUpdateException>(() => app.WithDatabaseAsync(async db =>
        {
            db.AssessmentRuns.Add(Run());
            await db.SaveChangesAsync(Ct);
            return 0;
        }));
    }

    [Fact]
    public async Task Refusals_AreProblemsInChinese()
    {
        var place = await _scenario.CertainPlaceAsync();
        var subdistrict = place.ThirdCode[..GridCodes.SubdistrictLength];
        var worker = await app.CreateUserAsync(CivicGridApp.UniqueName("walker"), place.ThirdCode, Role.GridWorker);
        using var me = await app.ClientForAsync(worker.UserName);
        var ops = await StaffAsync(subdistrict, Role.SubdistrictOperator);
        var staff = await StaffAsync(place.ThirdCode[..GridCodes.CommunityLength], Role.CommunityStaff);
        object Filing(string subject) => new { period = "2021-Q2", kind = "worker", subject, indicator = "patrol-goal-days", reason = "少计了一天。" };

        var wrong = await ProblemAsync(await PostAsync(ops, "/api/assessment/runs", new { period = "2021-Q2", subject = "people" }), HttpStatusCode.BadRequest);
        Assert.Contains("worker", wrong.GetProperty("errors").GetProperty("subject")[0].GetString());
        Assert.Contains("城运中心", (await ProblemAsync(await PostAsync(staff, "/api/assessment/runs", new { period = "2021-Q2", subject = "worker" }),
            HttpStatusCode.Forbidden)).GetProperty("detail").GetString());

        var none = await ProblemAsync(await PostAsync(me, "/api/assessment/appeals", Filing(worker.Id.ToString("D"))), HttpStatusCode.UnprocessableEntity,
            "/problems/appeal-rule");
        Assert.Equal("not-published", none.GetProperty("rule").GetString());
        var run = await PostOkAsync(ops, "/api/assessment/runs", new { period = "2021-Q2", subject = "worker" });
        var early = await ProblemAsync(await PostAsync(me, "/api/assessment/appeals", Filing(worker.Id.ToString("D"))), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("尚未公布", early.GetProperty("detail").GetString());
        Assert.Contains("本人", (await ProblemAsync(await PostAsync(staff, "/api/assessment/appeals", Filing(worker.Id.ToString("D"))), HttpStatusCode.Forbidden))
            .GetProperty("detail").GetString());
        Assert.Contains("本人", (await ProblemAsync(await PostAsync(me, "/api/assessment/appeals", Filing(place.LeaderId.ToString("D"))), HttpStatusCode.Forbidden))
            .GetProperty("detail").GetString());

        // The council evaluates grids, not people: a workers' run goes straight to the communities' reviews.
        var id = run.GetProperty("id").GetString();
        Assert.DoesNotContain("open-council", run.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        var council = await ProblemAsync(await PostAsync(ops, $"/api/assessment/runs/{id}/open-council", new { }), HttpStatusCode.UnprocessableEntity,
            "/problems/assessment-run-rule");
        Assert.Equal("council-for-grids", council.GetProperty("rule").GetString());
        Assert.Contains("议事会", council.GetProperty("detail").GetString());

        // A review's adjustment must name a worker of the community under review.
        var review = await ProblemAsync(await PostAsync(staff, $"/api/assessment/runs/{id}/reviews", new
        {
            title = "社区评议会", heldAt = DateTimeOffset.UtcNow.AddHours(-1), place = "议事厅", participants = new[] { "王主任" },
            adjustments = new[] { new { subject = place.ThirdCode, indicator = "patrol-goal-days", numerator = 1, denominator = 2, reason = "核实" } },
        }), HttpStatusCode.BadRequest);
        Assert.Contains("考核对象", review.GetProperty("errors").GetProperty("adjustments[0]")[0].GetString());
        var line = Line((await BodyAsync(await staff.GetAsync($"/api/assessment/runs/{id}/results", Ct), HttpStatusCode.OK)).EnumerateArray()
            .Single(r => r.GetProperty("code").GetString() == worker.Id.ToString("D")), "patrol-goal-days");
        var reviewed = await PostOkAsync(staff, $"/api/assessment/runs/{id}/reviews", new
        {
            title = "社区评议会", heldAt = DateTimeOffset.UtcNow.AddHours(-1), place = "议事厅", participants = new[] { "王主任" },
            adjustments = new[]
            {
                new { subject = worker.Id.ToString("D"), indicator = "patrol-goal-days", numerator = 1.0, denominator = line.GetProperty("denominator").GetDouble(), reason = "补录一天纸质巡查" },
            },
        });
        var adjustment = Assert.Single(reviewed.GetProperty("adjustments").EnumerateArray());
        Assert.Equal((worker.Id.ToString("D"), 0.0, 1.0), (adjustment.GetProperty("subject").GetString(), adjustment.GetProperty("numeratorBefore").GetDouble(),
            adjustment.GetProperty("numerator").GetDouble()));
        var colleague = await app.CreateUserAsync(CivicGridApp.UniqueName("colleague"), place.ThirdCode, Role.GridWorker);
        using var colleagueClient = await app.ClientForAsync(colleague.UserName);
        Assert.Empty((await BodyAsync(await colleagueClient.GetAsync($"/api/assessment/runs/{id}", Ct), HttpStatusCode.OK)).GetProperty("adjustments").EnumerateArray());
        Assert.Single((await BodyAsync(await me.GetAsync($"/api/assessment/runs/{id}", Ct), HttpStatusCode.OK)).GetProperty("adjustments").EnumerateArray());
    }
}

public sealed class WorkerRunTestsOnSqlite(SqliteApp app) : WorkerRunTests(app), IClassFixture<SqliteApp>;

public sealed class WorkerRunTestsOnPostgres(PostgresApp app) : WorkerRunTests(app), IClassFixture<PostgresApp>;
