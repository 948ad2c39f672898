using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Server.Tests.Photos;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CivicGrid.Server.Tests.Infrastructure.HttpAnswers;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The resident council over real HTTP on each provider: community staff put five residents on the council, ask them to
/// evaluate a 3rd-level grid this month, each signs in on a phone with a one-time code and taps stars; progress shows the
/// tally, the grid's council score is their trimmed mean with evidence naming nobody, and the grid's own people read
/// neither the scores nor the progress. The server here keeps this month's evaluation open (90 days before its end).
/// </summary>
public abstract class CouncilTests(CivicGridApp app)
{
    private static int _nextGrid;
    private static int _nextPhone = Random.Shared.Next(1_000_000);
    private WebApplicationFactory<Program>? _server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private WebApplicationFactory<Program> Server => _server ??= app.WithWebHostBuilder(b => b.UseSetting("Council:OpensDaysBeforeEnd", "90"));

    private static string ThisMonth => AssessmentPeriod.Containing(PeriodKind.Month, DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8))).ToString();

    private async Task<HttpClient> AsAsync(string userName) => WithToken(await app.LoginAsync(userName));

    private HttpClient WithToken(string token)
    {
        var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static string NextPhone() => $"139{Interlocked.Increment(ref _nextPhone) % 100_000_000:D8}";

    /// <summary>A 3rd-level grid of community01's community (a different one per call), one of its micro-grids and its leader.</summary>
    private async Task<(string Community, string Third, string Micro, string Leader)> GridAsync()
    {
        var community = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.UserName == DemoAccounts.CommunityStaff)
            .Select(u => u.ScopeCode).SingleAsync(Ct));
        var snapshot = await app.Services.GetRequiredService<GeographyIndex>().GetAsync(Ct);
        var thirds = snapshot.Grids.Values.Where(g => g is { Level: GridLevel.Third, Kind: GridKind.Territorial } && g.Code.StartsWith(community, StringComparison.Ordinal))
            .OrderBy(g => g.Code, StringComparer.Ordinal).ToList();
        var third = thirds[Interlocked.Increment(ref _nextGrid) % thirds.Count].Code;
        var micro = snapshot.Grids.Values.Where(g => g.ParentCode == third).OrderBy(g => g.Code, StringComparer.Ordinal).First().Code;
        var leader = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.ScopeCode == third && u.Roles.Contains(Role.GridLeader))
            .OrderBy(u => u.UserName).Select(u => u.UserName).FirstAsync(Ct));
        return (community, third, micro, leader);
    }

    private static async Task<JsonElement> AddMemberAsync(HttpClient staff, string name, string gridCode, string? termFrom = null) =>
        await BodyAsync(await staff.PostAsJsonAsync("/api/council/members",
            new { name, phone = NextPhone(), kind = "courtyard-head", gridCode, termFrom }, Ct), HttpStatusCode.Created);

    /// <summary>Signs a member's phone in with a one-time code issued by community staff (the volunteers' QR sign-in).</summary>
    private async Task<HttpClient> PhoneOfAsync(HttpClient staff, JsonElement member)
    {
        var issued = await OkAsync(await staff.PostAsync($"/api/volunteers/{member.GetProperty("userId").GetGuid()}/sign-in-codes", null, Ct),
            HttpStatusCode.Created);
        var url = issued.GetProperty("url").GetString()!;
        var code = url[(url.IndexOf("#code=", StringComparison.Ordinal) + 6)..];
        using var anonymous = Server.CreateClient();
        var login = await OkAsync(await anonymous.PostAsJsonAsync("/api/auth/trusted-device", new { code, useCookie = false }, Ct));
        return WithToken(login.GetProperty("accessToken").GetString()!);
    }

    private static object Stars(int environment, int mediation, int service) => new { environment, mediation, service };

    private static JsonElement AssignmentFor(JsonElement page, string grid, string period) => page.GetProperty("assignments").EnumerateArray()
        .Single(a => a.GetProperty("gridCode").GetString() == grid && a.GetProperty("period").GetString() == period);

    [Fact]
    public async Task FiveMembers_ScoreAGridOnTheirPhones_ProgressAndTheCouncilScoreShowTheTally_NamingNobody()
    {
        var (_, third, micro, leaderName) = await GridAsync();
        var staff = await AsAsync(DemoAccounts.CommunityStaff);
        var month = ThisMonth;
        int[][] given = [[5, 5, 5], [4, 4, 5], [4, 4, 4], [3, 3, 4], [2, 2, 1]];
        var phones = new List<HttpClient>();
        for (var i = 0; i < given.Length; i++)
        {
            var member = await AddMemberAsync(staff, $"议事测试{i}", micro);
            Assert.Equal(micro, member.GetProperty("homeGridCode").GetString());
            Assert.Matches(@"^1\d{2}\*{4}\d{4}$", member.GetProperty("phone").GetString()!);
            Assert.True(member.GetProperty("serving").GetBoolean());
            var assigned = await OkAsync(await staff.PostAsJsonAsync("/api/council/assignments",
                new { period = month, memberId = member.GetProperty("id").GetGuid(), gridCodes = new[] { third } }, Ct));
            Assert.False(assigned[0].GetProperty("scored").GetBoolean());
            phones.Add(await PhoneOfAsync(staff, member));
        }

        var before = await OkAsync(await staff.GetAsync($"/api/council/progress?period={month}&gridCode={third}", Ct));
        Assert.True(before.GetProperty("open").GetBoolean());
        Assert.Equal((5, 0, false), (before.GetProperty("grids")[0].GetProperty("assigned").GetInt32(), before.GetProperty("grids")[0].GetProperty("scored").GetInt32(),
            before.GetProperty("grids")[0].GetProperty("quorate").GetBoolean()));

        for (var i = 0; i < given.Length; i++)
        {
            var page = await OkAsync(await phones[i].GetAsync("/api/council/evaluation", Ct));
            Assert.Equal($"议事测试{i}", page.GetProperty("memberName").GetString());
            Assert.Equal(["环境整治", "矛盾化解", "服务态度"], page.GetProperty("aspects").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
            var mine = AssignmentFor(page, third, month);
            Assert.Equal(JsonValueKind.Null, mine.GetProperty("submittedAt").ValueKind);
            var id = mine.GetProperty("assignmentId").GetGuid();
            var sent = await OkAsync(await phones[i].PostAsJsonAsync($"/api/council/evaluation/{id}",
                new { stars = Stars(given[i][0], given[i][1], given[i][2]), phrases = new[] { "有事找得到人" } }, Ct));
            Assert.Equal(given[i][2], sent.GetProperty("stars").GetProperty("service").GetInt32());
        }

        // The first member changes their mind while the evaluation is open: the change replaces the score (4 stars now).
        var firstId = AssignmentFor(await OkAsync(await phones[0].GetAsync("/api/council/evaluation", Ct)), third, month).GetProperty("assignmentId").GetGuid();
        await OkAsync(await phones[0].PostAsJsonAsync($"/api/council/evaluation/{firstId}", new { stars = Stars(4, 4, 4), phrases = new[] { "网格员常来走访" } }, Ct));
        var again = AssignmentFor(await OkAsync(await phones[0].GetAsync("/api/council/evaluation", Ct)), third, month);
        Assert.Equal(["网格员常来走访"], again.GetProperty("phrases").EnumerateArray().Select(p => p.GetString()));

        // Overall scores 4, 4, 4, 3, 2: five reach the quorum, none trimmed (⌊5 × 0.1⌋ = 0), mean 3.4.
        var progress = await OkAsync(await staff.GetAsync($"/api/council/progress?period={month}&gridCode={third}", Ct));
        var grid = progress.GetProperty("grids")[0];
        Assert.Equal((5, 5, true, 3.4), (grid.GetProperty("assigned").GetInt32(), grid.GetProperty("scored").GetInt32(), grid.GetProperty("quorate").GetBoolean(),
            grid.GetProperty("score").GetDouble()));
        Assert.Equal(("有事找得到人", 4), (grid.GetProperty("phrases")[0].GetProperty("phrase").GetString(), grid.GetProperty("phrases")[0].GetProperty("count").GetInt32()));
        var listed = await OkAsync(await staff.GetAsync($"/api/council/assignments?period={month}&gridCode={third}", Ct));
        Assert.All(listed.EnumerateArray(), a => Assert.True(a.GetProperty("scored").GetBoolean()));
        Assert.All(listed.EnumerateArray(), a => Assert.False(a.TryGetProperty("stars", out _)));

        var results = await OkAsync(await staff.GetAsync($"/api/assessment/results?period={month}&level=grid-3", Ct));
        var line = results.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("code").GetString() == third)
            .GetProperty("indicators").EnumerateArray().Single(l => l.GetProperty("code").GetString() == "council-score");
        Assert.Equal(3.4, line.GetProperty("value").GetDouble());
        Assert.True(line.GetProperty("weight").GetDouble() > 0);

        // The grid's leader reads the evidence of their own grid: one line per score, no name, no time.
        var leader = await AsAsync(leaderName);
        var evidence = await OkAsync(await leader.GetAsync($"/api/assessment/results/{third}/indicators/council-score/evidence?period={month}", Ct));
        Assert.Equal(["评议 1 / 5", "评议 2 / 5", "评议 3 / 5", "评议 4 / 5", "评议 5 / 5"],
            evidence.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("reference").GetString()));
        Assert.Equal(["4 星", "4 星", "4 星", "3 星", "2 星"], evidence.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("note").GetString()));
        Assert.DoesNotContain("议事测试", evidence.GetRawText(), StringComparison.Ordinal);

        // …but neither the progress nor who was asked: the grid's own people are the ones evaluated.
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync($"/api/council/progress?period={month}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync($"/api/council/assignments?period={month}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await leader.GetAsync("/api/council/evaluation", Ct)).StatusCode);

        // A scored assignment cannot be withdrawn; one member cannot submit on another's assignment.
        await ProblemAsync(await staff.DeleteAsync($"/api/council/assignments/{firstId}", Ct), HttpStatusCode.Conflict);
        await ProblemAsync(await phones[1].PostAsJsonAsync($"/api/council/evaluation/{firstId}", new { stars = Stars(1, 1, 1) }, Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Demo_HasACouncilOfEighty_WhoseScoresOfTheLastCompleteQuarterGiveTheGridsACouncilScore()
    {
        var ops = await AsAsync(DemoAccounts.Operator);
        var quarter = AssessmentPeriod.LastComplete(PeriodKind.Quarter, DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8))).ToString();

        var members = await OkAsync(await ops.GetAsync("/api/council/members?status=all", Ct));
        var progress = await OkAsync(await ops.GetAsync($"/api/council/progress?period={quarter}", Ct));
        var results = await OkAsync(await ops.GetAsync($"/api/assessment/results?period={quarter}&level=grid-3", Ct));

        Assert.InRange(members.EnumerateArray().Count(m => m.GetProperty("name").GetString()!.StartsWith("议事测试", StringComparison.Ordinal) is false), 75, 85);
        Assert.True(progress.GetProperty("scored").GetInt32() > progress.GetProperty("assigned").GetInt32() * 0.8);
        var scores = results.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("indicators").EnumerateArray()
            .Single(l => l.GetProperty("code").GetString() == "council-score").GetProperty("value")).ToList();
        Assert.True(scores.Count(v => v.ValueKind == JsonValueKind.Number) >= scores.Count * 0.8, "most grids reach the council's quorum");
        Assert.True(scores.Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble()).Distinct().Count() > 3, "grids stand differently");
        var member = await app.LoginAsync(DemoCouncil.WellKnownMember);
        Assert.Equal(HttpStatusCode.OK, (await WithToken(member).GetAsync("/api/council/evaluation", Ct)).StatusCode);
    }

    [Fact]
    public async Task AssignByCompound_GivesEachServingMemberTheThirdLevelGridOfTheirHome_Once()
    {
        var (community, third, micro, _) = await GridAsync();
        var staff = await AsAsync(DemoAccounts.CommunityStaff);
        var member = await AddMemberAsync(staff, "议事测试院长", micro);
        const string period = "2027-Q1";

        var first = await OkAsync(await staff.PostAsJsonAsync("/api/council/assignments/by-compound", new { period, communityCode = community }, Ct));
        var second = await OkAsync(await staff.PostAsJsonAsync("/api/council/assignments/by-compound", new { period, communityCode = community }, Ct));

        var mine = first.GetProperty("assignments").EnumerateArray().Single(a => a.GetProperty("memberId").GetGuid() == member.GetProperty("id").GetGuid());
        Assert.Equal(third, mine.GetProperty("gridCode").GetString());
        Assert.Equal(0, second.GetProperty("created").GetInt32());
        Assert.True(second.GetProperty("alreadyAssigned").GetInt32() >= 1);
        Assert.All(first.GetProperty("assignments").EnumerateArray(), a => Assert.StartsWith(community, a.GetProperty("gridCode").GetString(), StringComparison.Ordinal));

        // Not yet scored: it may be withdrawn.
        Assert.Equal(HttpStatusCode.NoContent, (await staff.DeleteAsync($"/api/council/assignments/{mine.GetProperty("id").GetGuid()}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Refusals_AreProblemsInChinese_NamingTheRule()
    {
        var (_, third, micro, _) = await GridAsync();
        var staff = await AsAsync(DemoAccounts.CommunityStaff);

        var bad = await ProblemAsync(await staff.PostAsJsonAsync("/api/council/members", new { name = "", phone = "123", kind = "mayor" }, Ct),
            HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("name", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("phone", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("kind", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("compoundCode", out _));

        var phone = NextPhone();
        await BodyAsync(await staff.PostAsJsonAsync("/api/council/members", new { name = "议事测试重号", phone, kind = "peoples-deputy", gridCode = micro }, Ct),
            HttpStatusCode.Created);
        await ProblemAsync(await staff.PostAsJsonAsync("/api/council/members", new { name = "议事测试重号二", phone, kind = "peoples-deputy", gridCode = micro }, Ct),
            HttpStatusCode.Conflict);

        // A term that starts in 2025 covers the past; January 2025's evaluation closed long ago.
        var member = await AddMemberAsync(staff, "议事测试老成员", micro, "2025-01-01");
        var old = await OkAsync(await staff.PostAsJsonAsync("/api/council/assignments",
            new { period = "2025-01", memberId = member.GetProperty("id").GetGuid(), gridCodes = new[] { third } }, Ct));
        var current = await OkAsync(await staff.PostAsJsonAsync("/api/council/assignments",
            new { period = ThisMonth, memberId = member.GetProperty("id").GetGuid(), gridCodes = new[] { third } }, Ct));
        var phoneClient = await PhoneOfAsync(staff, member);
        var page = await OkAsync(await phoneClient.GetAsync("/api/council/evaluation", Ct));
        Assert.DoesNotContain(page.GetProperty("assignments").EnumerateArray(), a => a.GetProperty("period").GetString() == "2025-01");
        var closed = await ProblemAsync(await phoneClient.PostAsJsonAsync($"/api/council/evaluation/{old[0].GetProperty("id").GetGuid()}",
            new { stars = Stars(3, 3, 3) }, Ct), HttpStatusCode.UnprocessableEntity, "/problems/council-rule");
        Assert.Equal(CouncilRuleException.EvaluationClosed, closed.GetProperty("rule").GetString());
        var openId = current[0].GetProperty("id").GetGuid();
        var missing = await ProblemAsync(await phoneClient.PostAsJsonAsync($"/api/council/evaluation/{openId}",
            new { stars = new { environment = 3, mediation = 4 } }, Ct), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(CouncilRuleException.MissingAspect, missing.GetProperty("rule").GetString());
        var phrase = await ProblemAsync(await phoneClient.PostAsJsonAsync($"/api/council/evaluation/{openId}",
            new { stars = Stars(3, 3, 3), phrases = new[] { "自己写的话" } }, Ct), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(CouncilRuleException.UnknownPhrase, phrase.GetProperty("rule").GetString());

        // A term that does not cover the period; a grid that is not 2nd or 3rd level.
        var newcomer = await AddMemberAsync(staff, "议事测试新成员", micro);
        var uncovered = await ProblemAsync(await staff.PostAsJsonAsync("/api/council/assignments",
            new { period = "2025-01", memberId = newcomer.GetProperty("id").GetGuid(), gridCodes = new[] { third } }, Ct), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(CouncilRuleException.TermNotCovering, uncovered.GetProperty("rule").GetString());
        await ProblemAsync(await staff.PostAsJsonAsync("/api/council/assignments",
            new { period = ThisMonth, memberId = newcomer.GetProperty("id").GetGuid(), gridCodes = new[] { micro } }, Ct), HttpStatusCode.BadRequest);
        await ProblemAsync(await staff.GetAsync("/api/council/progress?period=2026-13", Ct), HttpStatusCode.BadRequest);

        // Ending the term needs a reason; then the member's phone account is closed at once.
        await ProblemAsync(await staff.PostAsJsonAsync($"/api/council/members/{member.GetProperty("id").GetGuid()}/end-term", new { }, Ct), HttpStatusCode.BadRequest);
        var ended = await OkAsync(await staff.PostAsJsonAsync($"/api/council/members/{member.GetProperty("id").GetGuid()}/end-term", new { reason = "搬离本社区" }, Ct));
        Assert.False(ended.GetProperty("serving").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await phoneClient.GetAsync("/api/council/evaluation", Ct)).StatusCode);
        await ProblemAsync(await staff.PostAsJsonAsync($"/api/council/members/{member.GetProperty("id").GetGuid()}/end-term", new { reason = "再次" }, Ct),
            HttpStatusCode.UnprocessableEntity);
        var endedList = await OkAsync(await staff.GetAsync("/api/council/members?status=ended", Ct));
        Assert.Contains(endedList.EnumerateArray(), m => m.GetProperty("id").GetGuid() == member.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Scope_OtherCommunitiesAndSubdistrictsSeeNoMembers_AndTheEvaluatedAndAdministratorsAreRefused()
    {
        var (_, _, micro, leader) = await GridAsync();
        var staff = await AsAsync(DemoAccounts.CommunityStaff);
        var member = await AddMemberAsync(staff, "议事测试范围", micro);
        var id = member.GetProperty("id").GetGuid();

        var ops = await OkAsync(await (await AsAsync(DemoAccounts.Operator)).GetAsync("/api/council/members", Ct));
        Assert.Contains(ops.EnumerateArray(), m => m.GetProperty("id").GetGuid() == id);
        var east = await OkAsync(await (await AsAsync(DemoAccounts.NeighbourOperator)).GetAsync("/api/council/members", Ct));
        Assert.DoesNotContain(east.EnumerateArray(), m => m.GetProperty("id").GetGuid() == id);
        var ownCommunity = micro[..GridCodes.CommunityLength];
        var otherCommunity = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters()
            .Where(u => u.Roles.Contains(Role.CommunityStaff) && u.ScopeCode != ownCommunity && u.ScopeCode.StartsWith("610103099"))
            .OrderBy(u => u.UserName).Select(u => u.UserName).FirstAsync(Ct));
        var neighbour = await AsAsync(otherCommunity);
        Assert.DoesNotContain((await OkAsync(await neighbour.GetAsync("/api/council/members", Ct))).EnumerateArray(), m => m.GetProperty("id").GetGuid() == id);
        await ProblemAsync(await neighbour.PostAsJsonAsync($"/api/council/members/{id}/end-term", new { reason = "越权" }, Ct), HttpStatusCode.NotFound);
        await ProblemAsync(await neighbour.PostAsJsonAsync("/api/council/members", new { name = "议事测试越权", phone = NextPhone(), kind = "cppcc-member", gridCode = micro }, Ct),
            HttpStatusCode.Forbidden);

        foreach (var user in new[] { leader, DemoAccounts.GridWorker, DemoAccounts.MicroGridWorker, DemoAccounts.Admin, DemoAccounts.SecurityAdmin,
            DemoAccounts.AuditAdmin, DemoAccounts.Resident, DemoAccounts.PropertyStaff })
        {
            var client = await AsAsync(user);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/council/members", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/council/progress", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/council/evaluation", Ct)).StatusCode);
        }

        // The district reads, but does not keep, the council.
        var district = await AsAsync(DemoAccounts.DistrictViewer);
        Assert.Equal(HttpStatusCode.OK, (await district.GetAsync("/api/council/progress", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await district.PostAsJsonAsync("/api/council/assignments/by-compound", new { period = ThisMonth }, Ct)).StatusCode);
    }

    [Fact]
    public async Task BranchActivities_CountForTheGridOnceTheyHaveEvidence_AndAreReadInScope()
    {
        var (_, third, micro, leaderName) = await GridAsync();
        var staff = await AsAsync(DemoAccounts.CommunityStaff);
        var month = ThisMonth;
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var bad = await ProblemAsync(await staff.PostAsJsonAsync("/api/branch-activities", new { gridCode = micro, heldOn = "2099-01-01", title = "" }, Ct),
            HttpStatusCode.BadRequest);
        Assert.Equal(3, bad.GetProperty("errors").EnumerateObject().Count());
        var activity = await BodyAsync(await staff.PostAsJsonAsync("/api/branch-activities",
            new { gridCode = third, heldOn = today, title = "主题党日：学习新修订的居委会组织法", participants = 18 }, Ct), HttpStatusCode.Created);
        Assert.False(activity.GetProperty("counts").GetBoolean());
        var id = activity.GetProperty("id").GetGuid();

        async Task<JsonElement> LineAsync() => (await OkAsync(await staff.GetAsync($"/api/assessment/results?period={month}&level=grid-3", Ct)))
            .GetProperty("results").EnumerateArray().Single(r => r.GetProperty("code").GetString() == third)
            .GetProperty("indicators").EnumerateArray().Single(l => l.GetProperty("code").GetString() == "branch-activities");
        var without = await LineAsync();

        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(TestPhotos.Jpeg(400, 300)), "photo", "sign-in-sheet.jpg");
        var withPhoto = await OkAsync(await staff.PostAsync($"/api/branch-activities/{id}/photos", form, Ct));
        Assert.True(withPhoto.GetProperty("counts").GetBoolean());
        var photoId = withPhoto.GetProperty("photoIds")[0].GetGuid();
        Assert.Equal("image/jpeg", (await staff.GetAsync($"/api/branch-activities/{id}/photos/{photoId}", Ct)).Content.Headers.ContentType?.MediaType);

        var with = await LineAsync();
        Assert.Equal(without.GetProperty("value").GetDouble() + 1, with.GetProperty("value").GetDouble());
        var evidence = await OkAsync(await staff.GetAsync($"/api/assessment/results/{third}/indicators/branch-activities/evidence?period={month}", Ct));
        var item = evidence.GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("reference").GetString() == $"{today} 主题党日：学习新修订的居委会组织法");
        Assert.True(item.GetProperty("counted").GetBoolean());
        Assert.Equal("1 份佐证材料，18 人参加", item.GetProperty("note").GetString());

        // The grid's leader reads their branch's activities; a worker, another subdistrict and the administrators do not.
        var leader = await AsAsync(leaderName);
        Assert.Contains((await OkAsync(await leader.GetAsync($"/api/branch-activities?period={month}", Ct))).EnumerateArray(), a => a.GetProperty("id").GetGuid() == id);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync("/api/branch-activities", new { gridCode = third, heldOn = today, title = "越权" }, Ct)).StatusCode);
        var east = await AsAsync(DemoAccounts.NeighbourOperator);
        Assert.DoesNotContain((await OkAsync(await east.GetAsync("/api/branch-activities", Ct))).EnumerateArray(), a => a.GetProperty("id").GetGuid() == id);
        Assert.Equal(HttpStatusCode.NotFound, (await east.GetAsync($"/api/branch-activities/{id}/photos/{photoId}", Ct)).StatusCode);
        using var outsideForm = new MultipartFormDataContent();
        outsideForm.Add(new ByteArrayContent(TestPhotos.Jpeg(400, 300)), "photo", "x.jpg");
        await ProblemAsync(await east.PostAsync($"/api/branch-activities/{id}/photos", outsideForm, Ct), HttpStatusCode.NotFound);
        foreach (var user in new[] { DemoAccounts.GridWorker, DemoAccounts.Admin, DemoAccounts.Resident })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await (await AsAsync(user)).GetAsync("/api/branch-activities", Ct)).StatusCode);
        }
    }
}

public sealed class CouncilTestsOnSqlite(SqliteApp app) : CouncilTests(app), IClassFixture<SqliteApp>;

public sealed class CouncilTestsOnPostgres(PostgresApp app) : CouncilTests(app), IClassFixture<PostgresApp>;
