using System.Net;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Domain.Households;
using CivicGrid.Domain.Patrols;
using CivicGrid.Domain.Roster;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Features.GridAffairs;
using CivicGrid.Server.Features.Households;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Features.Roster;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CivicGrid.Server.Tests.Infrastructure.HttpAnswers;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The field-work, team and worker indicators over real HTTP on each provider. A new grid worker's March 2025 is built by
/// hand in the 3rd-level grid of micro01 in the demo (patrols, walks, door-knocks, needs, a council, projects, claims, a course and a work
/// ID, a case handled and one found), so the worker's scorecard is known exactly; the grid's figures are checked as what the
/// hand-built records added to them (the demo may hold records of its own there). Scope: a grid worker reads only themself,
/// their leader reads them, another grid's leader does not find them.
/// </summary>
public abstract class WorkerAssessmentTests(CivicGridApp app)
{
    private const string Period = "period=2025-03";
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private readonly CaseScenario _scenario = new(app);
    private readonly TestCases _cases = new(app);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateTimeOffset At(int month, int day, int hour = 10) => new DateTimeOffset(2025, month, day, hour, 0, 0, Beijing).ToUniversalTime();

    private static DateOnly March(int day) => new(2025, 3, day);

    private sealed record Built(DemoPlace Place, UserAccount Worker, string WorkerName, IReadOnlyList<string> MicroGrids, string HandledCase, string FoundCase);

    /// <summary>
    /// The worker (no other field role in the demo's sense: a fresh account on the place's 3rd-level grid, on the roster from
    /// 1 January): patrols on 3 March (12,000 steps, walked micro-grid A), 4 March (8,210, A) and Saturday 8 March (15,000, B);
    /// knocks three doors on 5 March (visited, nobody home, refused); records a need met on 20 March and one left open; passes
    /// a course on 12 March; holds a work ID for 2025. In the grid: a council of 18 March with a follow-up that became the met
    /// need and one kept as a note; a project completed on 15 March and one planned to end on 20 March still running; a claim
    /// kept and one lapsed. A case assigned to the worker is handled on time; a case they found is accepted.
    /// </summary>
    /// <summary>The 3rd-level grid of micro01's micro-grid (the demo surveyed its households) with its leader; the micro-grid for cases.</summary>
    private async Task<DemoPlace> HouseholdPlaceAsync()
    {
        var micro = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.UserName == DemoAccounts.MicroGridWorker)
            .Select(u => u.ScopeCode).SingleAsync(Ct));
        var third = micro[..GridCodes.ThirdLength];
        var (leaderName, leaderId) = await _scenario.LeaderOfAsync(third);
        return new DemoPlace(0, 0, micro, third, leaderName, leaderId);
    }

    private async Task<Built> BuildAsync(DemoPlace? at = null)
    {
        var place = at ?? await HouseholdPlaceAsync();
        var worker = await app.CreateUserAsync(CivicGridApp.UniqueName("walker"), place.ThirdCode, Role.GridWorker);
        var micro = await app.WithDatabaseAsync(db => db.Grids.IgnoreQueryFilters().Where(g => g.ParentCode == place.ThirdCode
            && g.Level == GridLevel.Micro && g.Kind == GridKind.Territorial).OrderBy(g => g.Code).Select(g => g.Code).ToListAsync(Ct));
        await app.WithDatabaseAsync(async db =>
        {
            void Walk(DateOnly day, int steps, string grid)
            {
                var patrol = new Patrol(worker.Id, worker.DisplayName, place.ThirdCode, At(day.Month, day.Day, 9), day);
                patrol.End(At(day.Month, day.Day, 11), new TrackSummary([], [], 0, steps * 0.7, 0, TimeSpan.FromHours(2), steps, true));
                db.Patrols.Add(patrol);
                db.PatrolGridVisits.Add(new PatrolGridVisit { PatrolId = patrol.Id, WorkerId = worker.Id, Day = day, GridCode = grid, Seconds = 3600, Meters = 500 });
            }

            Walk(March(3), 12_000, micro[0]);
            Walk(March(4), 8_210, micro[0]);
            Walk(March(8), 15_000, micro[^1]);

            var household = await db.Households.IgnoreQueryFilters().Where(h => h.GridCode.StartsWith(place.ThirdCode)).OrderBy(h => h.Id).FirstAsync(Ct);
            foreach (var outcome in new[] { VisitOutcome.Visited, VisitOutcome.NobodyHome, VisitOutcome.Refused })
            {
                db.DoorVisits.Add(new DoorVisit(household, worker.Id, worker.DisplayName, At(3, 5), March(3), outcome, null, null, null, null, false, null, []));
            }

            Need Raise(string what) => new(ServiceKind.Repair, NeedUrgency.Normal, what, "3单元住户", place.ThirdCode, null, null, null, null, NeedSource.Visit,
                null, worker.Id, At(3, 10));
            var met = Raise("楼道扶手松动");
            met.Meet("已加固", At(3, 20));
            db.Needs.AddRange(met, Raise("单元门禁失灵"));

            var compound = await db.Compounds.IgnoreQueryFilters().Where(c => c.GridCode.StartsWith(place.ThirdCode)).OrderBy(c => c.Code).FirstAsync(Ct);
            var council = new CourtyardCouncil(compound.Code, compound.Name, compound.GridCode, March(18), March(18), "活动室",
                [new CouncilParticipant(CouncilRole.Resident, "王秀兰")], ["楼道扶手"], [], worker.Id, At(3, 18));
            council.FollowUp("加固扶手", FollowUpKind.Need, met.Id);
            council.FollowUp("下月再议停车", FollowUpKind.Note);
            db.CourtyardCouncils.Add(council);

            var done = new Project("楼道亮灯", ProjectKind.Governance, "楼道照明", [place.ThirdCode], [], new DateOnly(2025, 1, 1), null, null, At(1, 1));
            done.Start(new DateOnly(2025, 1, 1));
            done.Complete(March(15), 6, 20);
            var late = new Project("银龄帮办", ProjectKind.PublicService, "上门维修", [place.ThirdCode], [], new DateOnly(2025, 2, 1), March(20), null, At(2, 1));
            late.Start(new DateOnly(2025, 2, 1));
            db.GridProjects.AddRange(done, late);

            Claim Affair(string name) => Claim.ForAffair(ClaimTarget.CaseCategory, "E0104", name, place.ThirdCode, ClaimerKind.PublicUnit, Guid.NewGuid(),
                "驻街单位甲", new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), "先行处置", At(1, 1));
            var kept = Affair("楼道堆物（认领甲）");
            kept.Fulfil(March(8), "清理三处", "社区");
            db.Claims.AddRange(kept, Affair("楼道堆物（认领乙）"));

            var member = new RosterMember(MemberKind.FullTimeWorker, "测试用户", "139" + Random.Shared.Next(10_000_000, 99_999_999), AgeBand.From40To59,
                place.ThirdCode[..GridCodes.CommunityLength], new DateOnly(2025, 1, 1)) { UserId = worker.Id };
            member.Assign(place.ThirdCode, GridLevel.Third, new DateOnly(2025, 1, 1));
            db.RosterMembers.Add(member);
            var course = new Course(CourseKind.PlatformUse, "平台使用入门", 2, 60, true, place.ThirdCode[..GridCodes.CommunityLength]);
            var session = new TrainingSession(course.Id, March(12), "社区会议室", "李老师", course.ScopeCode);
            db.Courses.Add(course);
            db.TrainingSessions.Add(session);
            db.Attendances.Add(new Attendance(session.Id, member.Id, member.CommunityCode, true, 90));
            db.WorkIds.Add(new WorkId(member.Id, member.CommunityCode, "T" + Guid.NewGuid().ToString("N")[..12], new DateOnly(2025, 1, 1),
                new DateOnly(2025, 12, 31), Guid.NewGuid(), At(1, 2)));
            return await db.SaveChangesAsync(Ct);
        });

        var owner = TestCases.OwnerOf(place.GridCode, CaseTier.Green);
        var handler = Actor.Of(worker);
        var handled = await _cases.AddAsync(place.GridCode, "楼道堆物", c =>
        {
            c.Accept(owner, c.Version, At(3, 6, 9));
            c.Assign(owner, c.Version, At(3, 6, 9).AddMinutes(5), CaseAssignee.User(worker.Id, worker.DisplayName), At(3, 7, 18));
            c.StartHandling(handler, c.Version, At(3, 6, 10));
            c.RecordHandled(handler, c.Version, At(3, 7, 9), "已清理", [Guid.NewGuid()]);
        }, reportedAt: At(3, 6, 8), channel: CaseChannel.ResidentApp);
        var found = await _cases.AddAsync(place.GridCode, "井盖破损", c => c.Accept(owner, c.Version, At(3, 11, 10)), reportedAt: At(3, 11, 9),
            channel: CaseChannel.GridPatrol, reporterId: worker.Id, category: "C0101");
        return new Built(place, worker, worker.DisplayName, micro, handled.Number, found.Number);
    }

    private static Dictionary<string, JsonElement> Lines(JsonElement result) =>
        result.GetProperty("indicators").EnumerateArray().ToDictionary(l => l.GetProperty("code").GetString()!);

    private static void AssertRatio(Dictionary<string, JsonElement> lines, string code, double numerator, double denominator)
    {
        Assert.Equal(numerator, lines[code].GetProperty("numerator").GetDouble());
        Assert.Equal(denominator, lines[code].GetProperty("denominator").GetDouble());
    }

    [Fact]
    public async Task AWorkersMarch_IsScoredFromTheirOwnRecords_AsCountedByHand()
    {
        var built = await BuildAsync();
        using var self = await app.ClientForAsync(built.Worker.UserName);

        var results = await OkAsync(await self.GetAsync($"/api/assessment/results?{Period}&subject=worker", Ct));

        Assert.Equal("worker", results.GetProperty("subject").GetString());
        var mine = Assert.Single(results.GetProperty("results").EnumerateArray()); // a grid worker reads only their own line
        Assert.Equal(built.Worker.Id.ToString("D"), mine.GetProperty("code").GetString());
        Assert.Equal(built.Place.ThirdCode, mine.GetProperty("gridCode").GetString());
        Assert.Equal("grid-3", mine.GetProperty("level").GetString());
        Assert.Equal(["grid-worker"], mine.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var lines = Lines(mine);
        // March 2025 has 21 working days (no holiday), all on duty; only 3 March reached 10,000 steps (8 March is a Saturday).
        AssertRatio(lines, "patrol-goal-days", 1, 21);
        // 6 weeks touch March (24 Feb … 31 Mar) × the grid's micro-grids; walked: A in the week of 3 March, B in the same week (8 March).
        AssertRatio(lines, "patrol-coverage", built.MicroGrids.Count == 1 ? 1 : 2, 6 * built.MicroGrids.Count);
        Assert.Equal(3, lines["door-knocks"].GetProperty("value").GetDouble());
        AssertRatio(lines, "needs-met", 1, 2);
        AssertRatio(lines, "training-done", 1, 1);
        AssertRatio(lines, "work-id-valid", 1, 1);
        AssertRatio(lines, "on-time-handling", 1, 1);
        Assert.Equal(1, lines["self-found-cases"].GetProperty("value").GetDouble());
        Assert.False(lines.ContainsKey("door-knock-weeks")); // a liaison's indicator
        Assert.False(lines.ContainsKey("lowest-level")); // a grid's indicator
        // Briefings were sent to nobody in March: the rate has no denominator, weighs nothing and says why.
        Assert.Equal(JsonValueKind.Null, lines["briefings-read"].GetProperty("value").ValueKind);
        Assert.Equal(0, lines["briefings-read"].GetProperty("weight").GetDouble());
        // Every indicator of a grid worker has a source; the council (whose score is their grid's) did not evaluate March 2025,
        // so that one says why and weighs nothing.
        Assert.Empty(mine.GetProperty("missing").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, lines["council-score"].GetProperty("value").ValueKind);
        Assert.Equal(0, lines["council-score"].GetProperty("weight").GetDouble());
    }

    [Fact]
    public async Task AWorkersEvidence_ListsTheirWorkingDays_AndTheirCases()
    {
        var built = await BuildAsync();
        using var self = await app.ClientForAsync(built.Worker.UserName);
        var id = built.Worker.Id;

        var goal = await OkAsync(await self.GetAsync($"/api/assessment/workers/{id}/indicators/patrol-goal-days/evidence?{Period}", Ct));

        Assert.Equal(id.ToString("D"), goal.GetProperty("workerId").GetString());
        Assert.Equal(built.Place.ThirdCode, goal.GetProperty("gridCode").GetString());
        var items = goal.GetProperty("evidence").EnumerateArray().ToDictionary(e => e.GetProperty("reference").GetString()!);
        Assert.Equal(21, items.Count);
        Assert.True(items[$"2025-03-03 · {built.WorkerName}"].GetProperty("counted").GetBoolean());
        Assert.Equal("步数 8,210，未达 10,000 的目标", items[$"2025-03-04 · {built.WorkerName}"].GetProperty("note").GetString());
        Assert.Equal("当日没有巡查记录", items[$"2025-03-05 · {built.WorkerName}"].GetProperty("note").GetString());
        Assert.DoesNotContain($"2025-03-08 · {built.WorkerName}", items.Keys);

        var handling = await OkAsync(await self.GetAsync($"/api/assessment/workers/{id}/indicators/on-time-handling/evidence?{Period}", Ct));
        var handled = Assert.Single(handling.GetProperty("evidence").EnumerateArray());
        Assert.Equal(built.HandledCase, handled.GetProperty("reference").GetString());
        Assert.True(handled.GetProperty("onTime").GetBoolean());
        var found = await OkAsync(await self.GetAsync($"/api/assessment/workers/{id}/indicators/self-found-cases/evidence?{Period}", Ct));
        Assert.Equal([built.FoundCase], found.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("reference").GetString()));

        var training = await OkAsync(await self.GetAsync($"/api/assessment/workers/{id}/indicators/training-done/evidence?{Period}", Ct));
        var course = Assert.Single(training.GetProperty("evidence").EnumerateArray());
        Assert.Equal("测试用户 · 《平台使用入门》", course.GetProperty("reference").GetString());
        Assert.Equal("2025-03-12 参训，成绩 90 分（及格 60 分）", course.GetProperty("note").GetString());
    }

    [Fact]
    public async Task AGridsFieldIndicators_GrowByExactlyTheHandBuiltRecords()
    {
        var place = await HouseholdPlaceAsync();
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        async Task<Dictionary<string, JsonElement>> GridAsync() => Lines((await OkAsync(await leader.GetAsync($"/api/assessment/results?{Period}&level=grid-3", Ct)))
            .GetProperty("results").EnumerateArray().Single(r => r.GetProperty("code").GetString() == place.ThirdCode));
        var before = await GridAsync();

        var built = await BuildAsync(place);
        var after = await GridAsync();

        void Grew(string code, double numerator, double? denominator)
        {
            Assert.Equal(numerator, after[code].GetProperty("numerator").GetDouble() - before[code].GetProperty("numerator").GetDouble());
            if (denominator is { } d)
            {
                Assert.Equal(d, after[code].GetProperty("denominator").GetDouble() - before[code].GetProperty("denominator").GetDouble());
            }
        }

        Grew("door-knocks", 3, null);
        Grew("councils-held", 1, null);
        Grew("council-follow-ups", 1, 2); // the need met on 20 March; the note never counts
        Grew("needs-met", 1, 2);
        Grew("projects-delivered", 1, 2); // completed on 15 March; planned for 20 March and still running
        Grew("claims-kept", 1, 2);
        Grew("patrol-goal-days", 1, 21); // the new worker's 21 working days, one of them reaching the goal
        Grew("mediation-success", 0, 0);

        var evidence = await OkAsync(await leader.GetAsync($"/api/assessment/results/{place.ThirdCode}/indicators/council-follow-ups/evidence?{Period}", Ct));
        var items = evidence.GetProperty("evidence").EnumerateArray().ToList();
        Assert.Contains(items, e => e.GetProperty("reference").GetString()!.EndsWith("加固扶手", StringComparison.Ordinal)
            && e.GetProperty("counted").GetBoolean() && e.GetProperty("note").GetString() == "已转为需求，2025-03-20 已满足");
        Assert.Contains(items, e => e.GetProperty("note").GetString() == "仅记入会议记录，未转为需求或案件");

        // The worker appears among their leader's people, with their grid.
        var people = await OkAsync(await leader.GetAsync($"/api/assessment/results?{Period}&subject=worker", Ct));
        var line = people.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("code").GetString() == built.Worker.Id.ToString("D"));
        Assert.Equal(place.ThirdCode, line.GetProperty("gridCode").GetString());
        Assert.Equal(built.WorkerName, line.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Scope_AGridWorkerReadsOnlyThemself_TheirLeaderReadsThem_AnotherGridsLeaderFindsNobody()
    {
        var built = await BuildAsync();
        var colleague = await app.CreateUserAsync(CivicGridApp.UniqueName("colleague"), built.Place.ThirdCode, Role.GridWorker);
        var other = await _scenario.CertainPlaceAsync();
        if (other.ThirdCode == built.Place.ThirdCode)
        {
            other = await _scenario.CertainPlaceAsync();
        }

        var path = $"/api/assessment/workers/{built.Worker.Id}/indicators/door-knocks/evidence?{Period}";

        using var colleagueClient = await app.ClientForAsync(colleague.UserName);
        var refused = await ProblemAsync(await colleagueClient.GetAsync(path, Ct), HttpStatusCode.Forbidden);
        Assert.Equal("网格员只能查看本人的考核结果和明细。", refused.GetProperty("detail").GetString());

        using var leader = await app.ClientForAsync(built.Place.LeaderUserName);
        var knocks = await OkAsync(await leader.GetAsync(path, Ct));
        Assert.Equal(3, knocks.GetProperty("evidence").GetArrayLength());
        Assert.All(knocks.GetProperty("evidence").EnumerateArray(), e => Assert.EndsWith($" · {built.WorkerName}", e.GetProperty("reference").GetString()));

        using var otherLeader = await app.ClientForAsync(other.LeaderUserName);
        var missing = await ProblemAsync(await otherLeader.GetAsync(path, Ct), HttpStatusCode.NotFound);
        Assert.Contains("不在您的管辖范围内", missing.GetProperty("detail").GetString());
        var theirs = await OkAsync(await otherLeader.GetAsync($"/api/assessment/results?{Period}&subject=worker", Ct));
        Assert.DoesNotContain(theirs.GetProperty("results").EnumerateArray(), r => r.GetProperty("code").GetString() == built.Worker.Id.ToString("D"));
    }

    [Fact]
    public async Task AVolunteerAndALiaison_ReadTheirOwnScorecard_ButNoGridsResults()
    {
        var place = await _scenario.CertainPlaceAsync();
        var volunteer = await app.CreateUserAsync(CivicGridApp.UniqueName("vol"), place.ThirdCode, Role.MicroGridWorker);
        var liaison = await app.CreateUserAsync(CivicGridApp.UniqueName("liaison"), place.ThirdCode, Role.DepartmentLiaison);

        foreach (var person in new[] { volunteer, liaison })
        {
            using var client = await app.ClientForAsync(person.UserName);
            var mine = await OkAsync(await client.GetAsync($"/api/assessment/results?{Period}&subject=worker", Ct));
            // The volunteer is assessed (a micro-grid worker's account in the grid); the liaison only once a department attaches
            // them to a grid, so their list may be empty, but never holds anyone else.
            Assert.All(mine.GetProperty("results").EnumerateArray(), r => Assert.Equal(person.Id.ToString("D"), r.GetProperty("code").GetString()));
            if (person == volunteer)
            {
                Assert.Single(mine.GetProperty("results").EnumerateArray());
            }

            var grids = await ProblemAsync(await client.GetAsync($"/api/assessment/results?{Period}&subject=grid", Ct), HttpStatusCode.Forbidden);
            Assert.Contains("本人的考核结果", grids.GetProperty("detail").GetString());
            await ProblemAsync(await client.GetAsync($"/api/assessment/results/{place.ThirdCode}/indicators/on-time-handling/evidence?{Period}", Ct),
                HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task WorkerEvidence_OfAGridOnlyOrUnknownIndicator_IsRefusedInChinese()
    {
        var built = await BuildAsync();
        using var self = await app.ClientForAsync(built.Worker.UserName);

        var notMine = await ProblemAsync(
            await self.GetAsync($"/api/assessment/workers/{built.Worker.Id}/indicators/lowest-level/evidence?{Period}", Ct), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("“就地解决率”不考核网格员。", notMine.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound,
            (await self.GetAsync($"/api/assessment/workers/{built.Worker.Id}/indicators/no-such/evidence?{Period}", Ct)).StatusCode);
        var badPeriod = await ProblemAsync(
            await self.GetAsync($"/api/assessment/workers/{built.Worker.Id}/indicators/door-knocks/evidence?period=2025-13", Ct), HttpStatusCode.BadRequest);
        Assert.True(badPeriod.GetProperty("errors").TryGetProperty("period", out _));
    }
}

public sealed class WorkerAssessmentTestsOnSqlite(SqliteApp app) : WorkerAssessmentTests(app), IClassFixture<SqliteApp>;

public sealed class WorkerAssessmentTestsOnPostgres(PostgresApp app) : WorkerAssessmentTests(app), IClassFixture<PostgresApp>;
