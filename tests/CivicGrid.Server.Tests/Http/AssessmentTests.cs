using System.Net;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Assessment;
using CivicGrid.Server.Features.Calendar;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;
using static CivicGrid.Server.Tests.Infrastructure.HttpAnswers;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Five-star results over real HTTP on each provider: a micro-grid's March 2024 holds three hand-walked cases whose
/// answers are known (one handled on time, one late, one never handled), so the scorecard's lines and the pinned
/// on-time-handling evidence can be checked number by number; scope, refusals and administrators.
/// </summary>
public abstract class AssessmentTests(CivicGridApp app)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private readonly CaseScenario _scenario = new(app);
    private readonly TestCases _cases = new(app);

    private static DateTimeOffset March(int day, int hour, int minute = 0) => new DateTimeOffset(2024, 3, day, hour, minute, 0, Beijing).ToUniversalTime();

    /// <summary>
    /// A (found on patrol): accepted in 30 min, due the 6th, handled the 5th, 5 stars, closed. B (a resident's): accepted
    /// after 4 h, due the 12th, handled the 14th, 2 stars, closed. C (a resident's): accepted, due the 22nd, never handled.
    /// </summary>
    private async Task<(DemoPlace Place, string A, string B, string C)> MarchOfThreeAsync()
    {
        var place = await _scenario.CertainPlaceAsync();
        var owner = TestCases.OwnerOf(place.GridCode, CaseTier.Green);
        var handler = Actor.Of(await app.CreateUserAsync(CivicGridApp.UniqueName("handler"), place.ThirdCode, Role.GridWorker));
        var worker = CaseAssignee.User(handler.UserId, handler.DisplayName);
        void Walk(Case c, DateTimeOffset accepted, DateTimeOffset due, DateTimeOffset? handled, int? rating, DateTimeOffset? closed)
        {
            c.Accept(owner, c.Version, accepted);
            c.Assign(owner, c.Version, accepted.AddMinutes(5), worker, due);
            c.StartHandling(handler, c.Version, accepted.AddMinutes(10));
            if (handled is not { } at)
            {
                return;
            }

            c.RecordHandled(handler, c.Version, at, "已处理", [Guid.NewGuid()]);
            c.Verify(owner, c.Version, at.AddHours(1), true, null);
            if (rating is { } stars)
            {
                c.Evaluate(new Actor(c.ReporterId!.Value, "居民", new HashSet<Role> { Role.Resident }, Scope.Nobody), c.Version, at.AddHours(2), stars, null);
            }

            c.Close(owner, c.Version, closed!.Value);
        }

        var resident = (await app.CreateUserAsync(CivicGridApp.UniqueName("resident"), place.GridCode, Role.Resident)).Id;
        var a = await _cases.AddAsync(place.GridCode, "甲", c => Walk(c, March(4, 9, 30), March(6, 18), March(5, 10), null, March(7, 9)),
            channel: CaseChannel.GridPatrol, reportedAt: March(4, 9));
        var b = await _cases.AddAsync(place.GridCode, "乙", c => Walk(c, March(11, 13), March(12, 18), March(14, 10), 2, March(15, 9)),
            channel: CaseChannel.ResidentApp, reporterId: resident, reportedAt: March(11, 9), category: "E0102");
        var c = await _cases.AddAsync(place.GridCode, "丙", c => Walk(c, March(20, 9, 30), March(22, 18), null, null, null),
            channel: CaseChannel.ResidentApp, reporterId: resident, reportedAt: March(20, 9), category: "E0103");
        return (place, a.Number, b.Number, c.Number);
    }

    [Fact]
    public async Task Results_ScoreAGridFromItsCases_AndTheEvidenceListsExactlyThem()
    {
        var (place, a, b, c) = await MarchOfThreeAsync();
        var grid = place.GridCode;
        var leader = await app.ClientForAsync(place.LeaderUserName);

        var results = await BodyAsync(await leader.GetAsync("/api/assessment/results?period=2024-03&subject=grid&level=micro", Ct), HttpStatusCode.OK);
        Assert.Equal("2024-03", results.GetProperty("period").GetString());
        Assert.Equal("2024年3月", results.GetProperty("label").GetString());
        Assert.True(results.GetProperty("provisional").GetBoolean());
        Assert.True(results.GetProperty("periodEnded").GetBoolean());
        var mine = results.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("code").GetString() == grid);
        var lines = mine.GetProperty("indicators").EnumerateArray().ToDictionary(l => l.GetProperty("code").GetString()!);

        void Ratio(string code, int numerator, int denominator)
        {
            Assert.Equal(numerator, lines[code].GetProperty("numerator").GetDouble());
            Assert.Equal(denominator, lines[code].GetProperty("denominator").GetDouble());
            Assert.Equal(Math.Round((double)numerator / denominator, 4), lines[code].GetProperty("value").GetDouble());
        }

        Ratio("on-time-handling", 1, 3);
        Ratio("overdue-rate", 2, 3);
        Ratio("closure-rate", 2, 3);
        Ratio("satisfaction", 0, 1);
        Assert.False(lines.ContainsKey("lowest-level")); // judged from the 2nd- and 3rd-level grids up, not for a micro-grid
        Ratio("self-found", 1, 3);
        Ratio("on-time-acceptance", 2, 3);
        // Every indicator of a micro-grid comes from cases, so it is rated: 9.369 of 38 points (self-found 2.3333, on-time
        // acceptance 0.9524, closure 2.0833, no rework 4; on-time handling, overdue and satisfaction nothing) = 24.66 → 1 star.
        Assert.Empty(mine.GetProperty("missing").EnumerateArray());
        Assert.Equal(24.66, mine.GetProperty("score").GetDouble());
        Assert.Equal(1, mine.GetProperty("stars").GetInt32());

        // Its third-level grid counts every indicator of the catalogue (each has a source now); those with nothing to count in
        // March 2024 say why and weigh nothing, and with too little of the weight applying the grid is not rated.
        var thirds = await BodyAsync(await leader.GetAsync("/api/assessment/results?period=2024-03&level=grid-3", Ct), HttpStatusCode.OK);
        var third = thirds.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("code").GetString() == place.ThirdCode);
        var thirdLines = third.GetProperty("indicators").EnumerateArray().ToDictionary(l => l.GetProperty("code").GetString()!);
        Assert.Equal(2, thirdLines["lowest-level"].GetProperty("numerator").GetDouble());
        Assert.Empty(third.GetProperty("missing").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, thirdLines["needs-met"].GetProperty("value").ValueKind);
        Assert.Equal(0, thirdLines["needs-met"].GetProperty("weight").GetDouble());
        // The council did not evaluate March 2024: its score is computed as absent, with the reason, and weighs nothing.
        Assert.Equal(JsonValueKind.Null, thirdLines["council-score"].GetProperty("value").ValueKind);
        Assert.Contains("议事会", thirdLines["council-score"].GetProperty("reason").GetString());
        Assert.DoesNotContain("council-score", third.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        var score = third.GetProperty("score").GetDouble();
        var stars = third.GetProperty("stars");
        Assert.True(stars.ValueKind == JsonValueKind.Null || stars.GetInt32() == (score >= 90 ? 5 : score >= 80 ? 4 : score >= 70 ? 3 : score >= 60 ? 2 : 1));

        var evidence = await BodyAsync(await leader.GetAsync($"/api/assessment/results/{grid}/indicators/on-time-handling/evidence?period=2024-03", Ct),
            HttpStatusCode.OK);
        Assert.Equal("按时处置率", evidence.GetProperty("name").GetString());
        var items = evidence.GetProperty("evidence").EnumerateArray().ToDictionary(e => e.GetProperty("reference").GetString()!, e => e);
        Assert.Equal(new[] { a, b, c }.Order(), items.Keys.Order());
        Assert.True(items[a].GetProperty("onTime").GetBoolean());
        Assert.False(items[b].GetProperty("onTime").GetBoolean());
        Assert.Equal("办结超期 40 小时", items[b].GetProperty("note").GetString());
        Assert.False(items[c].GetProperty("onTime").GetBoolean());
        Assert.Equal(1, evidence.GetProperty("numerator").GetDouble());
        Assert.Equal(3, evidence.GetProperty("denominator").GetDouble());
    }

    [Fact]
    public async Task Facts_AreReadWithTheFirstScreeningDecisionAndTheAcceptanceDeadline()
    {
        var (place, a, b, c) = await MarchOfThreeAsync();
        var calendar = await app.Services.GetRequiredService<WorkCalendarProvider>().GetAsync(Ct);

        var facts = await app.WithDatabaseAsync(db => CaseFactsReader.ReadAsync(db, calendar, new AssessmentOptions(), March(1, 0), new DateTimeOffset(2024, 4, 1, 0, 0, 0, Beijing), Ct, place.GridCode));

        var byNumber = facts.ToDictionary(f => f.Facts.Number, f => f.Facts);
        Assert.Equal(new[] { a, b, c }.Order(), byNumber.Keys.Order());
        Assert.Equal(March(4, 9, 30), byNumber[a].AcceptedAt);
        Assert.Equal(calendar.AddWorkingHours(March(11, 9), 2), byNumber[b].AcceptDueAt);
        Assert.True(byNumber[b].AcceptedAt > byNumber[b].AcceptDueAt);
        Assert.Equal(March(14, 10), byNumber[b].HandledAt);
        Assert.Equal(2, byNumber[b].Rating);
        Assert.Null(byNumber[c].HandledAt);
        Assert.Equal(March(22, 18), byNumber[c].DueAt);
        Assert.All(facts, f => Assert.Equal(place.GridCode, f.GridCode));
    }

    [Fact]
    public async Task Facts_OfASubtree_AreExactlyItsCases_ReadThroughTheCodeRange()
    {
        var (place, a, b, c) = await MarchOfThreeAsync();
        var calendar = await app.Services.GetRequiredService<WorkCalendarProvider>().GetAsync(Ct);
        Task<List<SubjectCase>> Read(string? prefix) => app.WithDatabaseAsync(db =>
            CaseFactsReader.ReadAsync(db, calendar, new AssessmentOptions(), March(1, 0), new DateTimeOffset(2024, 4, 1, 0, 0, 0, Beijing), Ct, prefix));

        var third = await Read(place.ThirdCode);
        var everything = await Read(null);

        Assert.Subset(third.Select(f => f.Facts.Number).ToHashSet(), new HashSet<string> { a, b, c });
        Assert.Equal(everything.Where(f => f.GridCode.StartsWith(place.ThirdCode, StringComparison.Ordinal)).Select(f => f.Facts.Number).Order(),
            third.Select(f => f.Facts.Number).Order());
        // The neighbouring grid of the same parent shares every digit of the code but its own two: none of these cases.
        var neighbour = place.ThirdCode[..^2] + (place.ThirdCode.EndsWith("01", StringComparison.Ordinal) ? "02" : "01");
        Assert.DoesNotContain(await Read(neighbour), f => f.Facts.Number == a || f.Facts.Number == b || f.Facts.Number == c);
        Assert.All(await Read(neighbour), f => Assert.StartsWith(neighbour, f.GridCode));
    }

    [Fact]
    public async Task Catalogue_PublishesTheTwentySevenIndicators()
    {
        var place = await _scenario.CertainPlaceAsync();
        var leader = await app.ClientForAsync(place.LeaderUserName);

        var catalogue = await BodyAsync(await leader.GetAsync("/api/assessment/catalogue", Ct), HttpStatusCode.OK);

        Assert.Equal(27, catalogue.GetProperty("indicators").GetArrayLength());
        var onTime = catalogue.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("code").GetString() == "on-time-handling");
        Assert.Equal("按时处置率", onTime.GetProperty("name").GetString());
        Assert.Equal("governance", onTime.GetProperty("group").GetString());
        Assert.True(onTime.GetProperty("computed").GetBoolean());
        Assert.Equal([60.0, 70, 80, 90], catalogue.GetProperty("starThresholds").EnumerateArray().Select(t => t.GetDouble()));
    }

    [Fact]
    public async Task Scope_AGridOutsideTheCallersSubtreeIsNotFound_AndItIsNotListed()
    {
        var place = await _scenario.CertainPlaceAsync();
        var other = await _scenario.CertainPlaceAsync();
        Assert.NotEqual(place.ThirdCode, other.ThirdCode);
        var leader = await app.ClientForAsync(place.LeaderUserName);

        var results = await BodyAsync(await leader.GetAsync("/api/assessment/results?period=2024-03&level=grid-3", Ct), HttpStatusCode.OK);
        Assert.Equal([place.ThirdCode], results.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("code").GetString()));
        var outside = await leader.GetAsync($"/api/assessment/results/{other.ThirdCode}/indicators/on-time-handling/evidence?period=2024-03", Ct);
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
    }

    [Theory]
    [InlineData("/api/assessment/results?period=2024-13", "period")]
    [InlineData("/api/assessment/results?period=2099-Q1", "period")]
    [InlineData("/api/assessment/results?level=community", "level")]
    [InlineData("/api/assessment/results?subject=person", "subject")]
    public async Task BadQueries_AreRefusedInChinese(string path, string field)
    {
        var place = await _scenario.CertainPlaceAsync();
        var leader = await app.ClientForAsync(place.LeaderUserName);

        var problem = await ProblemAsync(await leader.GetAsync(path, Ct), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages));
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", messages[0].GetString()!);
    }

    [Fact]
    public async Task Evidence_OfAnUnknownIndicator_OrOneNotAssessedAtThatLevel_IsRefused()
    {
        var place = await _scenario.CertainPlaceAsync();
        var leader = await app.ClientForAsync(place.LeaderUserName);

        Assert.Equal(HttpStatusCode.NotFound,
            (await leader.GetAsync($"/api/assessment/results/{place.ThirdCode}/indicators/no-such/evidence?period=2024-03", Ct)).StatusCode);
        // The share solved at the lowest level is a territorial grid's indicator, not a micro-grid's.
        var problem = await ProblemAsync(
            await leader.GetAsync($"/api/assessment/results/{place.GridCode}/indicators/lowest-level/evidence?period=2024-03", Ct),
            HttpStatusCode.UnprocessableEntity);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem.GetProperty("detail").GetString()!);
    }

    [Theory]
    [InlineData(Role.SystemAdmin)]
    [InlineData(Role.PropertyStaff)]
    [InlineData(Role.Resident)]
    public async Task Administrators_PropertyStaffAndResidents_AreRefused(Role role)
    {
        var place = await _scenario.CertainPlaceAsync();
        var name = CivicGridApp.UniqueName("outsider");
        await app.CreateUserAsync(name, role == Role.SystemAdmin ? string.Empty : place.ThirdCode, role);
        var client = await app.ClientForAsync(name);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/assessment/results?period=2024-03", Ct)).StatusCode);
    }
}

/// <summary>Which subtree a computation reads: the code its subjects share, from a community's down.</summary>
public sealed class CaseSubtreeTests
{
    private static AssessmentSubject Grid(string code) => new(code, code, null, []);

    [Fact]
    public void SubtreeOf_OneGrid_IsItsCode() => Assert.Equal("6101130010010101", AssessmentScope.SubtreeOf([Grid("6101130010010101")]));

    [Fact]
    public void SubtreeOf_TheGridsOfACommunity_IsTheirSharedCode() =>
        Assert.Equal("6101130010010", AssessmentScope.SubtreeOf([Grid("6101130010010101"), Grid("6101130010010204"), Grid("6101130010010301")]));

    [Fact]
    public void SubtreeOf_GridsOfSeveralCommunities_OrNone_ReadsEverything()
    {
        Assert.Null(AssessmentScope.SubtreeOf([Grid("6101130010010101"), Grid("6101130010020101")]));
        Assert.Null(AssessmentScope.SubtreeOf([]));
    }
}

public sealed class AssessmentTestsOnSqlite(SqliteApp app) : AssessmentTests(app), IClassFixture<SqliteApp>;

public sealed class AssessmentTestsOnPostgres(PostgresApp app) : AssessmentTests(app), IClassFixture<PostgresApp>;
