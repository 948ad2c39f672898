using System.Net;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Assessment;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;
using static CivicGrid.Server.Tests.Infrastructure.HttpAnswers;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Assessment runs over real HTTP on each provider: a subdistrict's third-level grids computed for a month of 2023 (each
/// test its own month, so runs never meet), taken through the council step, every community's review with a correction,
/// the subdistrict's review and publication; the frozen result, the verification that names a case filed afterwards,
/// every refusal, the catalogue versions and the period-end job.
/// </summary>
public abstract class AssessmentRunTests(CivicGridApp app)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private readonly CaseScenario _scenario = new(app);
    private readonly TestCases _cases = new(app);

    private static DateTimeOffset On(int month, int day, int hour) => new DateTimeOffset(2023, month, day, hour, 0, 0, Beijing).ToUniversalTime();

    /// <summary>A case of a micro-grid accepted on the 3rd, due the 5th, handled late on the 8th.</summary>
    private Task<Case> LateCaseAsync(string gridCode, int month, string title = "晚办")
    {
        var owner = TestCases.OwnerOf(gridCode, CaseTier.Green);
        return _cases.AddAsync(gridCode, title, c =>
        {
            c.Accept(owner, c.Version, On(month, 3, 10));
            c.Assign(owner, c.Version, On(month, 3, 11), CaseAssignee.User(owner.UserId, owner.DisplayName), On(month, 5, 18));
            c.StartHandling(owner, c.Version, On(month, 3, 12));
            c.RecordHandled(owner, c.Version, On(month, 8, 10), "已处理", [Guid.NewGuid()]);
        }, reportedAt: On(month, 3, 9));
    }

    private async Task<HttpClient> StaffAsync(string scopeCode, Role role) =>
        await app.ClientForAsync((await app.CreateUserAsync(CivicGridApp.UniqueName(role.ToString().ToLowerInvariant()), scopeCode, role)).UserName);

    private static async Task<JsonElement> PostOkAsync(HttpClient client, string path, object body) =>
        await BodyAsync(await PostAsync(client, path, body), HttpStatusCode.OK);

    private static object Review(string title, params object[] adjustments) => new
    {
        title, heldAt = DateTimeOffset.UtcNow.AddHours(-1), place = "社区议事厅", participants = new[] { "王主任", "李委员", "居民代表张阿姨" },
        summary = "逐项审议暂定结果。", adjustments,
    };

    private static string Rule(JsonElement problem) => problem.GetProperty("rule").GetString()!;

    [Fact]
    public async Task ARun_IsComputed_Deliberated_Published_Frozen_AndVerified()
    {
        var place = await _scenario.CertainPlaceAsync();
        var subdistrict = place.ThirdCode[..GridCodes.SubdistrictLength];
        var late = await LateCaseAsync(place.GridCode, 5);
        var ops = await StaffAsync(subdistrict, Role.SubdistrictOperator);

        var run = await PostOkAsync(ops, "/api/assessment/runs", new { period = "2023-05", level = "grid-3" });
        var id = run.GetProperty("id").GetString();
        Assert.Equal("provisional", run.GetProperty("status").GetString());
        Assert.True(run.GetProperty("periodEnded").GetBoolean());
        Assert.Equal(64, run.GetProperty("inputDigest").GetString()!.Length);
        Assert.Equal(1, run.GetProperty("catalogueVersion").GetInt32());
        Assert.Equal(["compute", "open-council", "verify"], run.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        var communities = run.GetProperty("communities").EnumerateArray().Select(c => c.GetProperty("code").GetString()!).ToList();
        Assert.Contains(place.ThirdCode[..GridCodes.CommunityLength], communities);

        var stored = await BodyAsync(await ops.GetAsync($"/api/assessment/runs/{id}/results", Ct), HttpStatusCode.OK);
        var mine = stored.EnumerateArray().Single(r => r.GetProperty("code").GetString() == place.ThirdCode);
        var onTime = mine.GetProperty("indicators").EnumerateArray().Single(l => l.GetProperty("code").GetString() == "on-time-handling");
        Assert.Equal((0.0, 1.0), (onTime.GetProperty("numerator").GetDouble(), onTime.GetProperty("denominator").GetDouble()));
        var scoreBefore = mine.GetProperty("score").GetDouble();

        // The council's step: nobody reviews while it scores.
        Assert.Equal("council-open", (await PostOkAsync(ops, $"/api/assessment/runs/{id}/open-council", new { })).GetProperty("status").GetString());
        var community = place.ThirdCode[..GridCodes.CommunityLength];
        var staff = await StaffAsync(community, Role.CommunityStaff);
        var early = await ProblemAsync(await PostAsync(staff, $"/api/assessment/runs/{id}/reviews", Review("太早")), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("review-not-open", Rule(early));
        Assert.Contains("议事会评议尚在进行", early.GetProperty("detail").GetString());
        Assert.Equal("council-closed", (await PostOkAsync(ops, $"/api/assessment/runs/{id}/close-council", new { })).GetProperty("status").GetString());

        // Each community reviews its grids; the place's community corrects one indicator with a reason.
        var reviewed = await BodyAsync(await PostAsync(staff, $"/api/assessment/runs/{id}/reviews", Review("五月评议会",
            new { subject = place.ThirdCode, indicator = "on-time-handling", numerator = 1, denominator = 1, reason = "经核实，超期系全区停电所致，不计超期。" })),
            HttpStatusCode.OK);
        var adjustment = reviewed.GetProperty("adjustments").EnumerateArray().Single();
        Assert.Equal(scoreBefore, adjustment.GetProperty("scoreBefore").GetDouble());
        Assert.True(adjustment.GetProperty("scoreAfter").GetDouble() > scoreBefore);
        Assert.Equal(0, adjustment.GetProperty("numeratorBefore").GetDouble());
        Assert.Contains("approve", reviewed.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        var approved = await PostOkAsync(staff, $"/api/assessment/runs/{id}/approve", new { });
        Assert.Equal("council-closed", approved.GetProperty("status").GetString());
        // Community staff see every community the run waits for by its name, not only their own.
        Assert.All(approved.GetProperty("communities").EnumerateArray(), c => Assert.NotEqual(c.GetProperty("code").GetString(), c.GetProperty("name").GetString()));
        var communityName = approved.GetProperty("communities").EnumerateArray().Single(c => c.GetProperty("code").GetString() == community).GetProperty("name").GetString();
        Assert.Contains(approved.GetProperty("history").EnumerateArray(), h => h.GetProperty("note").GetString() == $"{communityName}审议通过");
        foreach (var other in communities.Where(c => c != community))
        {
            var colleague = await StaffAsync(other, Role.CommunityStaff);
            await PostOkAsync(colleague, $"/api/assessment/runs/{id}/reviews", Review("评议会"));
            await PostOkAsync(colleague, $"/api/assessment/runs/{id}/approve", new { });
        }

        var afterCommunities = await BodyAsync(await ops.GetAsync($"/api/assessment/runs/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal("community-reviewed", afterCommunities.GetProperty("status").GetString());
        Assert.All(afterCommunities.GetProperty("communities").EnumerateArray(), c => Assert.True(c.GetProperty("approved").GetBoolean()));
        var tooSoon = await ProblemAsync(await PostAsync(ops, $"/api/assessment/runs/{id}/publish", new { }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("publish-after-approval", Rule(tooSoon));

        await PostOkAsync(ops, $"/api/assessment/runs/{id}/reviews", Review("街道评议会"));
        Assert.Equal("subdistrict-approved", (await PostOkAsync(ops, $"/api/assessment/runs/{id}/approve", new { })).GetProperty("status").GetString());
        var published = await PostOkAsync(ops, $"/api/assessment/runs/{id}/publish", new { });
        Assert.Equal("published", published.GetProperty("status").GetString());
        Assert.Equal(["verify"], published.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        var history = published.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal("publish", history[^1].GetProperty("action").GetString());
        Assert.Contains(history, h => h.GetProperty("action").GetString() == "adjust" && h.GetProperty("note").GetString()!.Contains("停电"));

        // Published: the stored, corrected numbers, not a recomputation.
        async Task<JsonElement> OnTimeLineAsync()
        {
            var results = await BodyAsync(await ops.GetAsync("/api/assessment/results?period=2023-05&subject=grid&level=grid-3", Ct), HttpStatusCode.OK);
            Assert.False(results.GetProperty("provisional").GetBoolean());
            return results.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("code").GetString() == place.ThirdCode)
                .GetProperty("indicators").EnumerateArray().Single(l => l.GetProperty("code").GetString() == "on-time-handling");
        }

        Assert.Equal((1.0, 1.0), ((await OnTimeLineAsync()).GetProperty("numerator").GetDouble(), (await OnTimeLineAsync()).GetProperty("denominator").GetDouble()));
        var evidence = await BodyAsync(await ops.GetAsync($"/api/assessment/results/{place.ThirdCode}/indicators/on-time-handling/evidence?period=2023-05", Ct),
            HttpStatusCode.OK);
        Assert.Equal([late.Number], evidence.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("reference").GetString()));

        var same = await PostOkAsync(ops, $"/api/assessment/runs/{id}/verify", new { });
        Assert.True(same.GetProperty("same").GetBoolean());
        Assert.Empty(same.GetProperty("changes").EnumerateArray());

        // A case filed afterwards into the month: the published numbers stay; the verification names it.
        var afterwards = await LateCaseAsync(place.GridCode, 5, "补录");
        Assert.Equal(1.0, (await OnTimeLineAsync()).GetProperty("denominator").GetDouble());
        var changed = await PostOkAsync(ops, $"/api/assessment/runs/{id}/verify", new { });
        Assert.False(changed.GetProperty("same").GetBoolean());
        Assert.NotEqual(changed.GetProperty("storedDigest").GetString(), changed.GetProperty("currentDigest").GetString());
        var named = changed.GetProperty("changes").EnumerateArray()
            .Single(c => c.GetProperty("subject").GetString() == place.ThirdCode && c.GetProperty("indicator").GetString() == "on-time-handling");
        Assert.Equal((afterwards.Number, "added"), (named.GetProperty("reference").GetString(), named.GetProperty("kind").GetString()));
        Assert.Equal("按时处置率", named.GetProperty("indicatorName").GetString());

        var again = await ProblemAsync(await PostAsync(ops, "/api/assessment/runs", new { period = "2023-05", level = "grid-3" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("recompute-after-review", Rule(again));
        Assert.Contains("已公布", again.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Refusals_AreProblemsInChinese_AndRunsAreScoped()
    {
        var place = await _scenario.CertainPlaceAsync();
        var subdistrict = place.ThirdCode[..GridCodes.SubdistrictLength];
        var community = place.ThirdCode[..GridCodes.CommunityLength];
        var ops = await StaffAsync(subdistrict, Role.SubdistrictOperator);
        var staff = await StaffAsync(community, Role.CommunityStaff);

        var notOps = await ProblemAsync(await PostAsync(staff, "/api/assessment/runs", new { period = "2023-06" }), HttpStatusCode.Forbidden);
        Assert.Contains("街道城运中心", notOps.GetProperty("detail").GetString());
        var bad = await ProblemAsync(await PostAsync(ops, "/api/assessment/runs", new { period = "2023-13", level = "community" }), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("period", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("level", out _));

        var run = await PostOkAsync(ops, "/api/assessment/runs", new { period = "2023-06", level = "grid-3" });
        var id = run.GetProperty("id").GetString();
        Assert.Equal(1, run.GetProperty("history").GetArrayLength());
        var recomputed = await PostOkAsync(ops, "/api/assessment/runs", new { period = "2023-06", level = "grid-3" });
        Assert.Equal(id, recomputed.GetProperty("id").GetString());
        Assert.Equal(2, recomputed.GetProperty("history").GetArrayLength());

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(staff, $"/api/assessment/runs/{id}/open-council", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(staff, $"/api/assessment/runs/{id}/publish", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(staff, $"/api/assessment/runs/{id}/verify", new { })).StatusCode);
        var noMeeting = await ProblemAsync(await PostAsync(staff, $"/api/assessment/runs/{id}/approve", new { }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("community-meeting-first", Rule(noMeeting));
        var council = await ProblemAsync(await PostAsync(ops, $"/api/assessment/runs/{id}/close-council", new { }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("council-close-when-open", Rule(council));

        var wrong = await ProblemAsync(await PostAsync(staff, $"/api/assessment/runs/{id}/reviews", Review("评议",
            new { subject = place.ThirdCode, indicator = "on-time-handling", numerator = 3, denominator = 1, reason = "试" },
            new { subject = place.ThirdCode, indicator = "closure-rate", numerator = 1, denominator = 1, reason = "" })), HttpStatusCode.BadRequest);
        Assert.Contains("分子", wrong.GetProperty("errors").GetProperty("adjustments[0]")[0].GetString());
        Assert.Contains("理由", wrong.GetProperty("errors").GetProperty("adjustments[1]")[0].GetString());
        var missing = await ProblemAsync(await PostAsync(staff, $"/api/assessment/runs/{id}/reviews", new { title = "评议" }), HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("participants", out _));
        var subdistrictFirst = await ProblemAsync(await PostAsync(ops, $"/api/assessment/runs/{id}/reviews", Review("街道")), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("各社区", subdistrictFirst.GetProperty("detail").GetString());

        // Scope: the neighbouring subdistrict sees nothing; a grid leader sees the run and only their grid, and may do nothing.
        var neighbour = await app.ClientForAsync("ops-east");
        Assert.Equal(HttpStatusCode.NotFound, (await neighbour.GetAsync($"/api/assessment/runs/{id}", Ct)).StatusCode);
        Assert.DoesNotContain((await BodyAsync(await neighbour.GetAsync("/api/assessment/runs?period=2023-06", Ct), HttpStatusCode.OK)).EnumerateArray(),
            r => r.GetProperty("id").GetString() == id);
        var leader = await app.ClientForAsync(place.LeaderUserName);
        var seen = await BodyAsync(await leader.GetAsync($"/api/assessment/runs/{id}", Ct), HttpStatusCode.OK);
        Assert.Empty(seen.GetProperty("allowedActions").EnumerateArray());
        var leaderResults = await BodyAsync(await leader.GetAsync($"/api/assessment/runs/{id}/results", Ct), HttpStatusCode.OK);
        Assert.Equal([place.ThirdCode], leaderResults.EnumerateArray().Select(r => r.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await ops.GetAsync($"/api/assessment/runs/{Guid.NewGuid()}", Ct)).StatusCode);

        // A month not yet ended is provisional and cannot be deliberated.
        var month = DateTimeOffset.UtcNow.ToOffset(Beijing);
        var current = await PostOkAsync(ops, "/api/assessment/runs", new { period = $"{month:yyyy-MM}", level = "micro" });
        Assert.False(current.GetProperty("periodEnded").GetBoolean());
        Assert.Contains("暂定", current.GetProperty("nextStep").GetString());
        var open = await ProblemAsync(await PostAsync(staff, $"/api/assessment/runs/{current.GetProperty("id").GetString()}/reviews", Review("评议")),
            HttpStatusCode.UnprocessableEntity);
        Assert.Contains("尚未结束", open.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task CatalogueVersions_AreAddedBySubdistrictOperators_FromALaterPeriod_WithWhatChanged()
    {
        var place = await _scenario.CertainPlaceAsync();
        var ops = await StaffAsync(place.ThirdCode[..GridCodes.SubdistrictLength], Role.SubdistrictOperator);
        var staff = await StaffAsync(place.ThirdCode[..GridCodes.CommunityLength], Role.CommunityStaff);

        var first = await BodyAsync(await staff.GetAsync("/api/assessment/catalogue/versions", Ct), HttpStatusCode.OK);
        Assert.Equal(1, first[0].GetProperty("version").GetInt32());
        Assert.True(first[0].GetProperty("inForce").GetBoolean());

        var change = new { effectiveFrom = "2030-01", indicators = new[] { new { code = "on-time-handling", weight = 10, target = 0.95 } }, note = "加大按时处置权重" };
        Assert.Contains("街道城运中心",
            (await ProblemAsync(await PostAsync(staff, "/api/assessment/catalogue/versions", change), HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
        var tooEarly = await ProblemAsync(await PostAsync(ops, "/api/assessment/catalogue/versions", change with { effectiveFrom = "2026-01" }),
            HttpStatusCode.UnprocessableEntity, "/problems/catalogue-version-rule");
        Assert.Contains("晚于现行版本", tooEarly.GetProperty("detail").GetString());
        var negative = await ProblemAsync(await PostAsync(ops, "/api/assessment/catalogue/versions",
            new { effectiveFrom = "2030-01", indicators = new[] { new { code = "on-time-handling", weight = -1 } } }), HttpStatusCode.BadRequest);
        Assert.Contains("权重", negative.GetProperty("errors").GetProperty("catalogue")[0].GetString());
        var unknown = await ProblemAsync(await PostAsync(ops, "/api/assessment/catalogue/versions",
            new { effectiveFrom = "2030-01", indicators = new[] { new { code = "no-such", weight = 1 } } }), HttpStatusCode.BadRequest);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("indicators", out _));
        var nothing = await ProblemAsync(await PostAsync(ops, "/api/assessment/catalogue/versions", new { effectiveFrom = "2030-01" }), HttpStatusCode.BadRequest);
        Assert.Contains("没有任何不同", nothing.GetProperty("detail").GetString());

        var added = await BodyAsync(await PostAsync(ops, "/api/assessment/catalogue/versions", change), HttpStatusCode.Created);
        Assert.Equal(2, added.GetProperty("summary").GetProperty("version").GetInt32());
        Assert.False(added.GetProperty("summary").GetProperty("inForce").GetBoolean());
        Assert.Equal(["按时处置率：权重 8 → 10", "按时处置率：目标值 0.9 → 0.95"],
            added.GetProperty("summary").GetProperty("changes").EnumerateArray().Select(c => c.GetString()));

        var versions = await BodyAsync(await ops.GetAsync("/api/assessment/catalogue/versions", Ct), HttpStatusCode.OK);
        Assert.Equal([1, 2], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal("加大按时处置权重", versions[1].GetProperty("note").GetString());
        var second = await BodyAsync(await ops.GetAsync("/api/assessment/catalogue/versions/2", Ct), HttpStatusCode.OK);
        Assert.Equal(10, second.GetProperty("catalogue").GetProperty("indicators").EnumerateArray()
            .Single(i => i.GetProperty("code").GetString() == "on-time-handling").GetProperty("weight").GetDouble());
        Assert.Equal(HttpStatusCode.NotFound, (await ops.GetAsync("/api/assessment/catalogue/versions/99", Ct)).StatusCode);
        Assert.Equal(1, (await BodyAsync(await ops.GetAsync("/api/assessment/catalogue", Ct), HttpStatusCode.OK)).GetProperty("version").GetInt32());

        var (before, after) = await app.WithDatabaseAsync(async db => (
            await AssessmentCatalogues.ForAsync(db, AssessmentPeriod.Month(2029, 12), Ct), await AssessmentCatalogues.ForAsync(db, AssessmentPeriod.Quarter(2030, 1), Ct)));
        Assert.Equal((1, 2), (before.Version, after.Version));
        Assert.Equal(10, after.Find("on-time-handling")!.Weight);
    }

    [Theory]
    [InlineData(Role.SystemAdmin)]
    [InlineData(Role.SecurityAdmin)]
    [InlineData(Role.PropertyStaff)]
    [InlineData(Role.Resident)]
    public async Task Administrators_PropertyStaffAndResidents_AreRefused(Role role)
    {
        var place = await _scenario.CertainPlaceAsync();
        var client = await StaffAsync(role is Role.SystemAdmin or Role.SecurityAdmin ? string.Empty : place.ThirdCode, role);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/assessment/runs", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/assessment/catalogue/versions", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, "/api/assessment/runs", new { period = "2023-04" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, $"/api/assessment/runs/{Guid.NewGuid()}/verify", new { })).StatusCode);
    }

    [Fact]
    public async Task Demo_PublishesARun_WithACorrection_AndRecomputingItGivesTheSameDigest()
    {
        var ops = await app.ClientForAsync("ops");
        var summary = (await BodyAsync(await ops.GetAsync("/api/assessment/runs", Ct), HttpStatusCode.OK)).EnumerateArray()
            .Single(r => r.GetProperty("level").GetString() == "grid-3" && r.GetProperty("status").GetString() == "published"
                && !r.GetProperty("period").GetString()!.StartsWith("2023", StringComparison.Ordinal)); // the other tests' months
        var period = summary.GetProperty("period").GetString();

        var results = await BodyAsync(await ops.GetAsync($"/api/assessment/results?period={period}&level=grid-3", Ct), HttpStatusCode.OK);
        Assert.False(results.GetProperty("provisional").GetBoolean());
        var run = await BodyAsync(await ops.GetAsync($"/api/assessment/runs/{summary.GetProperty("id").GetString()}", Ct), HttpStatusCode.OK);
        Assert.Equal("published", run.GetProperty("status").GetString());
        Assert.Contains(run.GetProperty("reviews").EnumerateArray(), r => r.GetProperty("stage").GetString() == "subdistrict");
        var correction = Assert.Single(run.GetProperty("adjustments").EnumerateArray());
        Assert.Equal(correction.GetProperty("numeratorBefore").GetDouble() + 1, correction.GetProperty("numerator").GetDouble());
        Assert.True(correction.GetProperty("scoreAfter").GetDouble() >= correction.GetProperty("scoreBefore").GetDouble());
        Assert.Contains("审议", correction.GetProperty("reason").GetString());

        var check = await PostOkAsync(ops, $"/api/assessment/runs/{summary.GetProperty("id").GetString()}/verify", new { });
        Assert.True(check.GetProperty("same").GetBoolean(), check.GetRawText());
    }

    [Fact]
    public async Task PeriodCloseJob_ComputesEveryEndedPeriodOnce()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var job = new AssessmentPeriodCloseJob(db, scope.ServiceProvider.GetRequiredService<AssessmentRuns>(),
            Options.Create(new AssessmentPeriodCloseOptions { Kinds = [PeriodKind.Month] }));
        var now = new DateTimeOffset(2023, 8, 2, 3, 0, 0, TimeSpan.Zero);

        var computed = await job.RunAsync(now, Ct);

        var subdistricts = await db.Grids.IgnoreQueryFilters().CountAsync(g => g.Level == GridLevel.Subdistrict, Ct);
        Assert.Equal(subdistricts * 4, computed);
        var runs = await db.AssessmentRuns.IgnoreQueryFilters().AsNoTracking().Where(r => r.Period == "2023-07").ToListAsync(Ct);
        Assert.Equal(subdistricts * 4, runs.Count);
        Assert.Equal(subdistricts, runs.Count(r => r.Subject == "worker" && r.Level == null));
        Assert.All(runs, r => Assert.True(r.PeriodEnded && r.Status == RunStatus.Provisional && r.History.Single().ByName.StartsWith("系统")));
        Assert.Equal(0, await job.RunAsync(now.AddHours(3), Ct));
    }
}

public sealed class AssessmentRunTestsOnSqlite(SqliteApp app) : AssessmentRunTests(app), IClassFixture<SqliteApp>;

public sealed class AssessmentRunTestsOnPostgres(PostgresApp app) : AssessmentRunTests(app), IClassFixture<PostgresApp>;
