using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Domain.Households;
using CivicGrid.Domain.Organisations;
using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.GridAffairs;
using CivicGrid.Server.Features.Households;
using CivicGrid.Server.Features.Organisations;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Masking = CivicGrid.Server.Infrastructure.Privacy.Masking;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The field-work figures over real HTTP on each provider: a month of hand-built records (March 2025, before anything the demo
/// generates) whose totals per micro-grid, 3rd-level and 2nd-level grid and per person are checked by hand; the period
/// shorthands and every refusal; the scope of each role and the masking of names; the Excel exports in the audit trail.
/// </summary>
public abstract class FieldWorkTests(CivicGridApp app)
{
    private const string March = "period=2025-03";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<JsonElement> OkAsync(HttpResponseMessage response) => HttpAnswers.OkAsync(response);

    private sealed record Place(string Second, string Third, string OtherThird, string MicroA, string MicroB, string OtherMicro, Guid Worker, Guid Volunteer,
        Guid Liaison);

    /// <summary>worker01's 2nd-level grid, its first 3rd-level grid with two of its micro-grids, a sibling 3rd-level grid with one micro-grid; the accounts who walk and knock.</summary>
    private Task<Place> PlaceAsync() => app.WithDatabaseAsync(async db =>
    {
        var users = await db.Users.IgnoreQueryFilters().Where(u => u.UserName == DemoAccounts.GridWorker || u.UserName == DemoAccounts.MicroGridWorker
            || u.UserName == DemoAccounts.DepartmentLiaison).ToDictionaryAsync(u => u.UserName, Ct);
        var second = users[DemoAccounts.GridWorker].ScopeCode[..14];
        var grids = await db.Grids.IgnoreQueryFilters().Where(g => g.Code.StartsWith(second) && g.Kind == Domain.Geography.GridKind.Territorial)
            .Select(g => g.Code).OrderBy(c => c).ToListAsync(Ct);
        var third = grids.First(c => c.Length == 16);
        var micro = grids.Where(c => c.Length == 18 && c.StartsWith(third, StringComparison.Ordinal)).ToList();
        var otherThird = grids.First(c => c.Length == 16 && c != third);
        var otherMicro = grids.First(c => c.Length == 18 && c.StartsWith(otherThird, StringComparison.Ordinal));
        return new Place(second, third, otherThird, micro[0], micro[1], otherMicro, users[DemoAccounts.GridWorker].Id, users[DemoAccounts.MicroGridWorker].Id,
            users[DemoAccounts.DepartmentLiaison].Id);
    });

    private static async Task<Dictionary<string, JsonElement>> RowsAsync(HttpClient client, string level, string query = March) =>
        (await OkAsync(await client.GetAsync($"/api/field-work/figures/grids?{query}&level={level}", Ct))).GetProperty("grids").EnumerateArray()
            .ToDictionary(g => g.GetProperty("code").GetString()!);

    private static async Task<Dictionary<Guid, JsonElement>> PeopleAsync(HttpClient client, string query = March) =>
        (await OkAsync(await client.GetAsync($"/api/field-work/figures/people?{query}", Ct))).GetProperty("people").EnumerateArray()
            .ToDictionary(p => p.GetProperty("workerId").GetGuid());

    /// <summary>A figure of a row, read by its path (<c>doorKnocks.counted</c>).</summary>
    private static double Figure(JsonElement row, string path)
    {
        foreach (var part in path.Split('.'))
        {
            row = row.GetProperty(part);
        }

        return row.GetDouble();
    }

    private static void AssertGrew(JsonElement before, JsonElement after, string path, double by) =>
        Assert.True(Math.Abs(Figure(after, path) - Figure(before, path) - by) < 0.01, $"{path}: {Figure(before, path)} → {Figure(after, path)}, expected +{by}");

    private static DateTimeOffset At(int month, int day, int hour = 10) => new DateTimeOffset(2025, month, day, hour, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime();

    /// <summary>
    /// March 2025 by hand: worker01 patrols twice on 3 March (12,000 + 500 steps, one goal day) through micro-grid A (600 s,
    /// 500 m) and the sibling grid's micro-grid (300 s, 200 m), so the day counts in A's grids where they walked longest;
    /// micro01 patrols on 4 March from micro-grid B (3,000 steps) through B (100 s, 80 m); a patrol of 28 February is outside. The liaison police01 serves the
    /// 3rd-level grid from 1 to 16 March (weeks of 24 Feb, 3 Mar, 10 Mar) and knocks three doors on 5 March (visited, refused,
    /// nobody home: two count, the week of 3 March meets the minimum of 1). Needs on micro-grid A: one from a door-knock raised
    /// and met in March, one from staff raised in March and open, one from a case raised in February and met in March. A
    /// project on the 3rd-level grid completed on 15 March (20 beneficiaries); one running on the sibling's micro-grid (5); one
    /// cancelled. Claims on the 3rd-level grid: one with a done fulfilment (kept), one with a not-done one and one with none
    /// (lapsed). A council of 18 March in a compound of the grid with a follow-up to a need and one to a case.
    /// </summary>
    private async Task SeedMarchAsync(Place p)
    {
        await app.WithDatabaseAsync(async db =>
        {
            var rules = new PatrolRules();
            Patrol Walk(Guid worker, string name, string grid, DateOnly day, int steps, double meters, params (string Grid, double Seconds, double Meters)[] visits)
            {
                var patrol = new Patrol(worker, name, grid, At(day.Month, day.Day), day);
                patrol.End(At(day.Month, day.Day, 12), new TrackSummary([], [], 0, meters, 0, TimeSpan.FromSeconds(visits.Sum(v => v.Seconds)), steps, true));
                db.Patrols.Add(patrol);
                db.PatrolGridVisits.AddRange(visits.Select(v => new PatrolGridVisit
                {
                    PatrolId = patrol.Id, WorkerId = worker, Day = day, GridCode = v.Grid, Seconds = v.Seconds, Meters = v.Meters,
                }));
                return patrol;
            }

            Walk(p.Worker, "网格员一", p.Third, new DateOnly(2025, 3, 3), 12_000, 8_000, (p.MicroA, 600, 500), (p.OtherMicro, 300, 200));
            Walk(p.Worker, "网格员一", p.Third, new DateOnly(2025, 3, 3), 500, 350);
            Walk(p.Volunteer, "微网格员一", p.MicroB, new DateOnly(2025, 3, 4), 3_000, 2_100, (p.MicroB, 100, 80));
            Walk(p.Worker, "网格员一", p.Third, new DateOnly(2025, 2, 28), 15_000, 10_000, (p.MicroA, 50, 40));

            var liaison = await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Id == p.Liaison, Ct);
            var department = await db.Organisations.IgnoreQueryFilters().SingleAsync(o => o.Id == liaison.OrganisationId, Ct);
            var attachment = LiaisonAttachment.Attach(liaison, department, new ScopeNode(p.Third, Domain.Geography.GridLevel.Third, Domain.Geography.GridKind.Territorial),
                new DateOnly(2025, 3, 1), null, At(3, 1));
            attachment.End(new DateOnly(2025, 3, 16));
            db.LiaisonAttachments.Add(attachment);
            var household = await db.Households.IgnoreQueryFilters().Where(h => h.GridCode.StartsWith(p.Third)).OrderBy(h => h.Id).FirstAsync(Ct);
            foreach (var outcome in new[] { VisitOutcome.Visited, VisitOutcome.Refused, VisitOutcome.NobodyHome })
            {
                db.DoorVisits.Add(new DoorVisit(household, p.Liaison, liaison.DisplayName, At(3, 5), new DateOnly(2025, 3, 3), outcome, null, null, null, null, false, null, []));
            }

            Need Raise(NeedSource source, DateTimeOffset at) =>
                new(ServiceKind.Repair, NeedUrgency.Normal, "楼道灯坏了", "3单元住户", p.MicroA, null, null, null, null, source, null, p.Worker, at);
            var fromDoor = Raise(NeedSource.Visit, At(3, 10));
            fromDoor.Meet("已修好", At(3, 20));
            var fromCase = Raise(NeedSource.Case, At(2, 10));
            fromCase.Meet("已修好", At(3, 12));
            db.Needs.AddRange(fromDoor, Raise(NeedSource.Staff, At(3, 10)), fromCase);

            var done = new Project("楼道亮灯", ProjectKind.Governance, "楼道照明", [p.Third], [], new DateOnly(2025, 1, 1), null, null, At(1, 1));
            done.Start(new DateOnly(2025, 1, 1));
            done.Complete(new DateOnly(2025, 3, 15), 6, 20);
            var running = new Project("银龄帮办", ProjectKind.PublicService, "上门维修", [p.OtherMicro], [], new DateOnly(2025, 3, 1), null, null, At(3, 1));
            running.Start(new DateOnly(2025, 3, 1));
            running.Count(2, 5);
            var cancelled = new Project("取消的项目", ProjectKind.PublicService, "取消", [p.Third], [], new DateOnly(2025, 3, 1), null, null, At(3, 1));
            cancelled.Cancel(new DateOnly(2025, 3, 2));
            db.GridProjects.AddRange(done, running, cancelled);

            Claim Affair(string reference) => Claim.ForAffair(ClaimTarget.CaseCategory, reference, "楼道堆物", p.Third, ClaimerKind.PublicUnit, Guid.NewGuid(),
                "驻街单位甲", new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), "先行处置", At(1, 1));
            var kept = Affair("A");
            kept.Fulfil(new DateOnly(2025, 3, 8), "清理三处", "社区");
            var notDone = Affair("B");
            notDone.Fulfil(new DateOnly(2025, 3, 9), "人员未到", "社区", done: false);
            db.Claims.AddRange(kept, notDone, Affair("C"));

            var compound = await db.Compounds.IgnoreQueryFilters().Where(c => c.GridCode.StartsWith(p.Third)).OrderBy(c => c.Code).FirstAsync(Ct);
            var council = new CourtyardCouncil(compound.Code, compound.Name, compound.GridCode, new DateOnly(2025, 3, 18), new DateOnly(2025, 3, 18), "活动室",
                [new CouncilParticipant(CouncilRole.Resident, "王秀兰")], ["楼道照明"], [], p.Worker, At(3, 18));
            council.FollowUp("安装扶手", FollowUpKind.Need, Guid.NewGuid());
            council.FollowUp("疏通下水道", FollowUpKind.Case, null, "C-1");
            db.CourtyardCouncils.Add(council);
            return await db.SaveChangesAsync(Ct);
        });
    }

    [Fact]
    public async Task March_RollsUpFromMicroGridsToTheSecondLevel_AndPerPerson_AsCountedByHand()
    {
        var p = await PlaceAsync();
        using var staff = await app.ClientForAsync(DemoAccounts.CommunityStaff);
        var (micro0, third0, second0, people0) = (await RowsAsync(staff, "micro"), await RowsAsync(staff, "grid-3"), await RowsAsync(staff, "grid-2"), await PeopleAsync(staff));
        await SeedMarchAsync(p);
        var (micro, third, second, people) = (await RowsAsync(staff, "micro"), await RowsAsync(staff, "grid-3"), await RowsAsync(staff, "grid-2"), await PeopleAsync(staff));

        var t = (third0[p.Third], third[p.Third]);
        AssertGrew(t.Item1, t.Item2, "workerDays", 2);
        AssertGrew(t.Item1, t.Item2, "goalDays", 1);
        AssertGrew(t.Item1, t.Item2, "steps", 15_500);
        AssertGrew(t.Item1, t.Item2, "walkedMeters", 580);
        AssertGrew(t.Item1, t.Item2, "walkedSeconds", 700);
        AssertGrew(t.Item1, t.Item2, "microGridsWalked", 2);
        AssertGrew(t.Item1, t.Item2, "doorKnocks.total", 3);
        AssertGrew(t.Item1, t.Item2, "doorKnocks.counted", 2);
        AssertGrew(t.Item1, t.Item2, "doorKnocks.nobodyHome", 1);
        AssertGrew(t.Item1, t.Item2, "liaisonWeeks", 3);
        AssertGrew(t.Item1, t.Item2, "liaisonWeeksMet", 1);
        AssertGrew(t.Item1, t.Item2, "needsRaised", 2);
        AssertGrew(t.Item1, t.Item2, "needsMet", 2);
        AssertGrew(t.Item1, t.Item2, "projectsActive", 1);
        AssertGrew(t.Item1, t.Item2, "projectsDelivered", 1);
        AssertGrew(t.Item1, t.Item2, "projectBeneficiaries", 20);
        AssertGrew(t.Item1, t.Item2, "claimsActive", 3);
        AssertGrew(t.Item1, t.Item2, "claimsKept", 1);
        AssertGrew(t.Item1, t.Item2, "claimsLapsed", 2);
        AssertGrew(t.Item1, t.Item2, "councilsHeld", 1);
        AssertGrew(t.Item1, t.Item2, "followUpsToNeeds", 1);
        AssertGrew(t.Item1, t.Item2, "followUpsToCases", 1);
        var bySource = t.Item2.GetProperty("needsBySource").EnumerateArray().ToDictionary(s => s.GetProperty("source").GetString()!);
        var bySource0 = t.Item1.GetProperty("needsBySource").EnumerateArray().ToDictionary(s => s.GetProperty("source").GetString()!);
        AssertGrew(bySource0["visit"], bySource["visit"], "raised", 1);
        AssertGrew(bySource0["visit"], bySource["visit"], "met", 1);
        AssertGrew(bySource0["case"], bySource["case"], "raised", 0);
        AssertGrew(bySource0["case"], bySource["case"], "met", 1);
        AssertGrew(bySource0["staff"], bySource["staff"], "raised", 1);

        // The sibling 3rd-level grid: walked through by worker01 (shorter than in the first), the running project; no worker days.
        AssertGrew(third0[p.OtherThird], third[p.OtherThird], "walkedMeters", 200);
        AssertGrew(third0[p.OtherThird], third[p.OtherThird], "workerDays", 0);
        AssertGrew(third0[p.OtherThird], third[p.OtherThird], "projectsActive", 1);
        AssertGrew(third0[p.OtherThird], third[p.OtherThird], "projectBeneficiaries", 5);

        // The 2nd-level grid counts everything under it.
        var s = (second0[p.Second], second[p.Second]);
        AssertGrew(s.Item1, s.Item2, "workerDays", 2);
        AssertGrew(s.Item1, s.Item2, "steps", 15_500);
        AssertGrew(s.Item1, s.Item2, "walkedMeters", 780);
        AssertGrew(s.Item1, s.Item2, "walkedSeconds", 1_000);
        AssertGrew(s.Item1, s.Item2, "microGridsWalked", 3);
        AssertGrew(s.Item1, s.Item2, "projectsActive", 2);
        AssertGrew(s.Item1, s.Item2, "projectBeneficiaries", 25);
        AssertGrew(s.Item1, s.Item2, "claimsActive", 3);
        AssertGrew(s.Item1, s.Item2, "doorKnocks.total", 3);
        Assert.True(second[p.Second].GetProperty("coverageShare").GetDouble() > 0);

        // Micro-grids: each day counts where its worker walked longest; a walked micro-grid's share is 1.
        AssertGrew(micro0[p.MicroB], micro[p.MicroB], "workerDays", 1);
        AssertGrew(micro0[p.MicroB], micro[p.MicroB], "steps", 3_000);
        AssertGrew(micro0[p.MicroA], micro[p.MicroA], "workerDays", 1);
        AssertGrew(micro0[p.MicroA], micro[p.MicroA], "steps", 12_500);
        AssertGrew(micro0[p.OtherMicro], micro[p.OtherMicro], "workerDays", 0);
        AssertGrew(micro0[p.MicroA], micro[p.MicroA], "walkedMeters", 500);
        AssertGrew(micro0[p.MicroA], micro[p.MicroA], "needsRaised", 2);
        Assert.Equal((true, 1.0), (micro[p.MicroA].GetProperty("walked").GetBoolean(), micro[p.MicroA].GetProperty("coverageShare").GetDouble()));

        // Per person.
        var w = (people0[p.Worker], people[p.Worker]);
        AssertGrew(w.Item1, w.Item2, "patrolDays", 1);
        AssertGrew(w.Item1, w.Item2, "goalDays", 1);
        AssertGrew(w.Item1, w.Item2, "steps", 12_500);
        AssertGrew(w.Item1, w.Item2, "walkedMeters", 8_350);
        AssertGrew(w.Item1, w.Item2, "walkedSeconds", 900);
        AssertGrew(w.Item1, w.Item2, "gridsWalked", 2);
        AssertGrew(w.Item1, w.Item2, "needsRecorded", 2);
        AssertGrew(w.Item1, w.Item2, "needsMet", 2);
        AssertGrew(w.Item1, w.Item2, "councilsRecorded", 1);
        Assert.Equal("grid-worker", people[p.Worker].GetProperty("kind").GetString());
        var v = (people0[p.Volunteer], people[p.Volunteer]);
        AssertGrew(v.Item1, v.Item2, "patrolDays", 1);
        AssertGrew(v.Item1, v.Item2, "goalDays", 0);
        AssertGrew(v.Item1, v.Item2, "steps", 3_000);
        var liaison = people[p.Liaison];
        Assert.Equal(("department-liaison", 3, 1, 3, 2), (liaison.GetProperty("kind").GetString(), liaison.GetProperty("weeks").GetInt32(),
            liaison.GetProperty("weeksMet").GetInt32(), liaison.GetProperty("doorKnocks").GetProperty("total").GetInt32(),
            liaison.GetProperty("doorKnocks").GetProperty("counted").GetInt32()));
        Assert.Equal(JsonValueKind.Null, people[p.Worker].GetProperty("weeks").ValueKind);

        // The claimers of the period, kept and lapsed.
        var claimer = (await OkAsync(await staff.GetAsync($"/api/field-work/figures/people?{March}", Ct))).GetProperty("claimers").EnumerateArray()
            .Where(c => c.GetProperty("name").GetString() == "驻街单位甲").ToList();
        Assert.Equal(3, claimer.Count);
        Assert.Equal(1, claimer.Sum(c => c.GetProperty("claimsKept").GetInt32()));

        // Explicit dates give the same as the shorthand; a grid filter keeps the people of that grid.
        var byDates = await RowsAsync(staff, "grid-3", "from=2025-03-01&to=2025-03-31");
        Assert.Equal(third[p.Third].GetProperty("steps").GetInt32(), byDates[p.Third].GetProperty("steps").GetInt32());
        var inThird = await PeopleAsync(staff, $"{March}&grid={p.Third}");
        Assert.Contains(p.Liaison, inThird.Keys);
        Assert.DoesNotContain(p.Worker, inThird.Keys);
        Assert.All(inThird.Values, x => Assert.StartsWith(p.Third, x.GetProperty("gridCode").GetString(), StringComparison.Ordinal));
        Assert.Contains(p.Worker, (await PeopleAsync(staff, $"{March}&grid={p.Second}")).Keys);
    }

    [Fact]
    public async Task Periods_LevelsAndGrids_ThatDoNotRead_AreRefusedInChinese()
    {
        using var staff = await app.ClientForAsync(DemoAccounts.CommunityStaff);
        foreach (var query in new[] { "period=2025-13", "period=2025-Q5", "period=march", "period=2025-03&from=2025-03-01", "from=2025-01-01&to=2026-03-01",
                     "from=2025-03-10&to=2025-03-01", "level=house", "grid=999999999999" })
        {
            var problem = await HttpAnswers.ProblemAsync(await staff.GetAsync($"/api/field-work/figures/grids?{query}", Ct), HttpStatusCode.BadRequest);
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem.GetProperty("detail").GetString() ?? string.Join(' ', problem.GetProperty("errors").EnumerateObject()
                .SelectMany(e => e.Value.EnumerateArray()).Select(m => m.GetString())));
        }

        await HttpAnswers.ProblemAsync(await staff.GetAsync("/api/field-work/figures/people?period=2025-99", Ct), HttpStatusCode.BadRequest);
        var quarter = await OkAsync(await staff.GetAsync("/api/field-work/figures/grids?period=2025-Q4&level=grid-2", Ct));
        Assert.Equal(("2025-10-01", "2025-12-31", "grid-2"), (quarter.GetProperty("from").GetString(), quarter.GetProperty("to").GetString(),
            quarter.GetProperty("level").GetString()));
        var year = await OkAsync(await staff.GetAsync("/api/field-work/figures/people?period=2024", Ct));
        Assert.Equal(("2024-01-01", "2024-12-31"), (year.GetProperty("from").GetString(), year.GetProperty("to").GetString()));
    }

    [Fact]
    public async Task EachRole_SeesItsSubtree_VolunteersWorkersAndAdministratorsAreRefused_AndNamesAreMaskedForTheDistrict()
    {
        var p = await PlaceAsync();
        using var staff = await app.ClientForAsync(DemoAccounts.CommunityStaff);
        var community = (await OkAsync(await staff.GetAsync("/api/field-work/figures/grids?level=grid-3", Ct))).GetProperty("grids").EnumerateArray().ToList();
        Assert.NotEmpty(community);
        Assert.All(community, g => Assert.StartsWith("610103099001", g.GetProperty("code").GetString(), StringComparison.Ordinal));

        using var neighbour = await app.ClientForAsync("community02");
        Assert.All((await OkAsync(await neighbour.GetAsync("/api/field-work/figures/grids?level=micro", Ct))).GetProperty("grids").EnumerateArray(),
            g => Assert.DoesNotContain("610103099001", g.GetProperty("code").GetString()![..12], StringComparison.Ordinal));
        await HttpAnswers.ProblemAsync(await neighbour.GetAsync($"/api/field-work/figures/people?grid={p.Third}", Ct), HttpStatusCode.Forbidden);

        using var leader = await app.ClientForAsync(DemoAccounts.GridLeader);
        var leaderScope = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.UserName == DemoAccounts.GridLeader).Select(u => u.ScopeCode).SingleAsync(Ct));
        Assert.All((await OkAsync(await leader.GetAsync("/api/field-work/figures/grids?level=micro", Ct))).GetProperty("grids").EnumerateArray(),
            g => Assert.StartsWith(leaderScope, g.GetProperty("code").GetString(), StringComparison.Ordinal));
        var leaderPeople = await OkAsync(await leader.GetAsync("/api/field-work/figures/people", Ct));
        Assert.False(leaderPeople.GetProperty("namesMasked").GetBoolean());
        Assert.All(leaderPeople.GetProperty("people").EnumerateArray(), x => Assert.StartsWith(leaderScope, x.GetProperty("gridCode").GetString(), StringComparison.Ordinal));

        var names = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Id == p.Worker).Select(u => u.DisplayName).SingleAsync(Ct));
        var full = await PeopleAsync(staff);
        Assert.Equal(names, full[p.Worker].GetProperty("name").GetString());
        using var district = await app.ClientForAsync(DemoAccounts.DistrictViewer);
        var masked = await OkAsync(await district.GetAsync("/api/field-work/figures/people", Ct));
        Assert.True(masked.GetProperty("namesMasked").GetBoolean());
        var row = masked.GetProperty("people").EnumerateArray().Single(x => x.GetProperty("workerId").GetGuid() == p.Worker);
        Assert.Equal(Masking.PersonName(names), row.GetProperty("name").GetString());
        Assert.NotEqual(names, row.GetProperty("name").GetString());

        foreach (var user in new[] { DemoAccounts.MicroGridWorker, DemoAccounts.GridWorker, DemoAccounts.PropertyStaff, DemoAccounts.Resident, DemoAccounts.Admin,
                     DemoAccounts.SecurityAdmin, DemoAccounts.AuditAdmin })
        {
            using var client = await app.ClientForAsync(user);
            foreach (var route in new[] { "grids", "grids/export.xlsx", "people", "people/export.xlsx" })
            {
                Assert.True(HttpStatusCode.Forbidden == (await client.GetAsync($"/api/field-work/figures/{route}", Ct)).StatusCode, $"{user} {route}");
            }
        }
    }

    [Fact]
    public async Task Exports_AreMasked_AndAudited()
    {
        var p = await PlaceAsync();
        using var staff = await app.ClientForAsync(DemoAccounts.CommunityStaff);
        var before = await app.WithDatabaseAsync(db => db.SecurityEvents.IgnoreQueryFilters().CountAsync(e => e.Kind == SecurityEventKind.Exported, Ct));
        var grids = await staff.GetAsync("/api/field-work/figures/grids/export.xlsx?level=grid-3", Ct);
        Assert.Equal(HttpStatusCode.OK, grids.StatusCode);
        var rows = (await grids.Content.ReadAsStreamAsync(Ct)).Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Contains(rows, r => (string)r["网格编码"] == p.Third);
        var people = await staff.GetAsync("/api/field-work/figures/people/export.xlsx", Ct);
        Assert.Equal(HttpStatusCode.OK, people.StatusCode);
        var names = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Id == p.Worker).Select(u => u.DisplayName).SingleAsync(Ct));
        var sheet = (await people.Content.ReadAsStreamAsync(Ct)).Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.DoesNotContain(sheet, r => (string)r["姓名"] == names);
        Assert.Contains(sheet, r => (string)r["姓名"] == Masking.PersonName(names));
        Assert.Equal(before + 2, await app.WithDatabaseAsync(db => db.SecurityEvents.IgnoreQueryFilters().CountAsync(e => e.Kind == SecurityEventKind.Exported, Ct)));
    }
}

public sealed class FieldWorkTestsOnSqlite(SqliteApp app) : FieldWorkTests(app), IClassFixture<SqliteApp>;

public sealed class FieldWorkTestsOnPostgres(PostgresApp app) : FieldWorkTests(app), IClassFixture<PostgresApp>;
