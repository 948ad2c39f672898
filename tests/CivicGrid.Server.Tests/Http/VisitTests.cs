using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Households;
using CivicGrid.Server.Features.Households;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Features.GridAffairs;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CivicGrid.Server.Tests.Infrastructure.HttpAnswers;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Door-knocking visits over real HTTP on each provider: recording one at a room of the register (idempotent), the phone's
/// distance from the building, a problem turned into a case at the building in the same call, the refusals (a room not in
/// the register, a bad outcome, too many problems, roles that do not knock), my week, the scope's visits, and who is behind.
/// </summary>
public abstract class VisitTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A household of the register in <paramref name="userName"/>'s scope, with its building's entrance.</summary>
    private Task<(Household Household, double Lon, double Lat)> HouseholdOfAsync(string userName) => app.WithDatabaseAsync(async db =>
    {
        var scope = await db.Users.IgnoreQueryFilters().Where(u => u.UserName == userName).Select(u => u.ScopeCode).SingleAsync(Ct);
        var household = await db.Households.IgnoreQueryFilters().Where(h => h.GridCode.StartsWith(scope) && h.Occupancy != Occupancy.Vacant)
            .OrderBy(h => h.BuildingCode).ThenBy(h => h.Room).FirstAsync(Ct);
        var building = await db.Buildings.IgnoreQueryFilters().SingleAsync(b => b.Code == household.BuildingCode, Ct);
        return (household, building.Location.X, building.Location.Y);
    });

    private static HttpRequestMessage Post(object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/visits") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add(IdempotencyFilter.HeaderName, key);
        }

        return request;
    }

    [Fact]
    public async Task Visit_AtARoomOfTheRegister_IsRecordedOnce_WithItsDistance_AndCountsInMyWeek()
    {
        var (household, lon, lat) = await HouseholdOfAsync("micro01");
        using var micro = await app.ClientForAsync("micro01");
        var before = await OkAsync(await micro.GetAsync("/api/visits/mine", Ct));
        var body = new
        {
            buildingCode = household.BuildingCode, unit = household.Unit, room = household.Room, outcome = "visited", lon = lon + 0.0002, lat, crs = "wgs84",
            accuracy = 10, notes = "老人身体尚好",
            findings = new[] { new { kind = "need", needKind = "repair", urgency = "urgent", text = "厨房水管漏水" } },
        };
        var key = Guid.NewGuid().ToString();
        var first = await OkAsync(await micro.SendAsync(Post(body, key), Ct), HttpStatusCode.Created);
        var replay = await micro.SendAsync(Post(body, key), Ct);
        Assert.Equal(first.GetProperty("id").GetString(), (await OkAsync(replay, HttpStatusCode.Created)).GetProperty("id").GetString());
        Assert.Equal(1, await app.WithDatabaseAsync(db => db.DoorVisits.IgnoreQueryFilters().CountAsync(v => v.Id == first.GetProperty("id").GetGuid(), Ct)));

        Assert.Equal(household.Id.ToString(), first.GetProperty("householdId").GetString());
        Assert.InRange(first.GetProperty("distanceMeters").GetDouble(), 10, 30);
        Assert.False(first.GetProperty("isFar").GetBoolean());
        var need = first.GetProperty("findings")[0];
        Assert.Equal("repair", need.GetProperty("needKind").GetString());
        Assert.Equal("urgent", need.GetProperty("urgency").GetString());

        var far = await OkAsync(await micro.SendAsync(Post(new { householdId = household.Id, outcome = "nobody-home", lon = lon + 0.01, lat, crs = "wgs84", accuracy = 20 }), Ct),
            HttpStatusCode.Created);
        Assert.True(far.GetProperty("isFar").GetBoolean());

        // The optional photo: attached once by the visitor, served without metadata to the scope, refused to anyone else.
        var visitId = first.GetProperty("id").GetString();
        Assert.False(first.GetProperty("hasPhoto").GetBoolean());
        using var leader = await app.ClientForAsync("leader01");
        await ProblemAsync(await leader.PostAsync($"/api/visits/{visitId}/photo", PhotoForm(), Ct), HttpStatusCode.NotFound);
        var withPhoto = await OkAsync(await micro.PostAsync($"/api/visits/{visitId}/photo", PhotoForm(), Ct));
        Assert.True(withPhoto.GetProperty("hasPhoto").GetBoolean());
        await ProblemAsync(await micro.PostAsync($"/api/visits/{visitId}/photo", PhotoForm(), Ct), HttpStatusCode.Conflict);
        var served = await leader.GetAsync($"/api/visits/{visitId}/photo", Ct);
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType?.MediaType);
        using var east = await app.ClientForAsync("ops-east");
        await ProblemAsync(await east.GetAsync($"/api/visits/{visitId}/photo", Ct), HttpStatusCode.NotFound);

        var mine = await OkAsync(await micro.GetAsync("/api/visits/mine", Ct));
        Assert.Equal(before.GetProperty("visits").GetInt32() + 2, mine.GetProperty("visits").GetInt32());
        Assert.Equal(before.GetProperty("counted").GetInt32() + 1, mine.GetProperty("counted").GetInt32());
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("minimum").ValueKind);
    }

    private static MultipartFormDataContent PhotoForm()
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Photos.TestPhotos.Jpeg(640, 480));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "photo", "visit.jpg");
        return form;
    }

    [Fact]
    public async Task EveryNeedFoundAtADoor_IsOnTheNeedsList_TheDemosToo()
    {
        var (found, listed) = await app.WithDatabaseAsync(async db =>
        {
            var visits = await db.DoorVisits.IgnoreQueryFilters().AsNoTracking().ToListAsync(Ct);
            var ids = visits.Select(v => v.Id.ToString()).ToHashSet();
            var needs = await db.Needs.IgnoreQueryFilters().AsNoTracking().Where(n => n.Source == Domain.GridAffairs.NeedSource.Visit).ToListAsync(Ct);
            return (visits.Sum(v => v.Findings.Count(f => f.Kind == FindingKind.Need)), needs.Count(n => n.SourceReference is { } r && ids.Contains(r)));
        });

        Assert.True(found > 0, "the demo's visits find needs");
        Assert.Equal(found, listed);
    }

    [Fact]
    public async Task Visit_ThatFindsAProblem_FilesACaseAtTheBuilding_InTheSameCall()
    {
        var (household, lon, lat) = await HouseholdOfAsync("leader01");
        using var leader = await app.ClientForAsync("leader01");
        var visit = await OkAsync(await leader.SendAsync(Post(new
        {
            householdId = household.Id, outcome = "visited", lon, lat, crs = "wgs84",
            findings = new object[]
            {
                new { kind = "problem", categoryCode = "C0102", text = "楼道灯不亮，老人夜间上下楼不便" },
                new { kind = "need", needKind = "elderly-care" },
            },
        }), Ct), HttpStatusCode.Created);
        var problem = visit.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "problem");
        var number = problem.GetProperty("caseNumber").GetString();
        Assert.False(string.IsNullOrEmpty(number));

        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().SingleAsync(c => c.Number == number, Ct));
        Assert.Equal(household.BuildingCode, stored.BuildingCode);
        Assert.Equal("C0102", stored.CategoryCode);
        Assert.Contains("楼道灯不亮", stored.Description, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync($"/api/cases/{number}", Ct)).StatusCode);
        var need = visit.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "need");
        Assert.Equal("养老服务", need.GetProperty("text").GetString());
        Assert.Equal("normal", need.GetProperty("urgency").GetString());

        // The need found at the door is on the needs list, sourced to the visit, placed at the building, named by the room;
        // the problem's case and the need were stored in the one save.
        var visitId = visit.GetProperty("id").GetString()!;
        var listed = await app.WithDatabaseAsync(db => db.Needs.IgnoreQueryFilters().Where(n => n.SourceReference == visitId).ToListAsync(Ct));
        var raised = Assert.Single(listed);
        Assert.Equal(Domain.GridAffairs.NeedSource.Visit, raised.Source);
        Assert.Equal(Domain.GridAffairs.ServiceKind.ElderlyCare, raised.Kind);
        Assert.Equal(household.BuildingCode, raised.BuildingCode);
        Assert.EndsWith($"{household.Unit}单元{household.Room}住户", raised.Requester, StringComparison.Ordinal);
        using var staff = await app.ClientForAsync("community01");
        var onList = await OkAsync(await staff.GetAsync($"/api/needs/{raised.Id}", Ct));
        Assert.Equal("visit", onList.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Visit_Refusals_AreChineseProblems_AndStoreNothing()
    {
        var (household, _, _) = await HouseholdOfAsync("micro01");
        using var micro = await app.ClientForAsync("micro01");
        var before = await app.WithDatabaseAsync(db => db.DoorVisits.IgnoreQueryFilters().CountAsync(Ct));

        var layout = await app.WithDatabaseAsync(async db =>
        {
            var b = await db.Buildings.IgnoreQueryFilters().SingleAsync(x => x.Code == household.BuildingCode, Ct);
            return BuildingRooms.Of(b.Floors, b.Households);
        });
        var noRoom = await ProblemAsync(await micro.SendAsync(Post(new { buildingCode = household.BuildingCode, unit = 1, room = $"{layout.Floors + 1}01", outcome = "visited" }), Ct),
            HttpStatusCode.UnprocessableEntity, HouseholdsApi.RoomType);
        Assert.Contains("层", noRoom.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var bad = await ProblemAsync(await micro.SendAsync(Post(new
        {
            householdId = household.Id, outcome = "maybe", visitedAt = DateTimeOffset.UtcNow.AddDays(2), lon = 200, lat = 34.2,
            findings = new object[]
            {
                new { kind = "problem", categoryCode = "C0102", text = "一" },
                new { kind = "problem", categoryCode = "C0102", text = "二" },
                new { kind = "need" },
            },
        }), Ct), HttpStatusCode.BadRequest);
        var errors = bad.GetProperty("errors");
        foreach (var field in new[] { "outcome", "visitedAt", "location", "findings", "findings[2].needKind" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field} missing in {errors}");
        }

        await ProblemAsync(await micro.SendAsync(Post(new { householdId = household.Id, outcome = "visited", lon = 108.96, lat = 34.24 }), Ct), HttpStatusCode.BadRequest);
        using var east = await app.ClientForAsync("ops-east");
        Assert.Equal(HttpStatusCode.Forbidden, (await east.SendAsync(Post(new { householdId = household.Id, outcome = "visited" }), Ct)).StatusCode);
        using var police = await app.ClientForAsync("police01");
        await ProblemAsync(await police.SendAsync(Post(new { householdId = Guid.NewGuid(), outcome = "visited" }), Ct), HttpStatusCode.NotFound);
        foreach (var user in new[] { "admin", "resident001", "property01", "ops" })
        {
            using var client = await app.ClientForAsync(user);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Post(new { householdId = household.Id, outcome = "visited" }), Ct)).StatusCode);
        }

        Assert.Equal(before, await app.WithDatabaseAsync(db => db.DoorVisits.IgnoreQueryFilters().CountAsync(Ct)));
    }

    [Fact]
    public async Task Week_ListsWhoIsBehind_AndALiaisonsVisitCatchesThemUp()
    {
        using var ops = await app.ClientForAsync("ops");
        var week = await OkAsync(await ops.GetAsync("/api/visits/week", Ct));
        Assert.Equal(1, week.GetProperty("minimum").GetInt32());
        var workers = week.GetProperty("workers").EnumerateArray().ToList();
        var behind = workers.Where(w => w.GetProperty("behind").GetBoolean()).ToList();
        Assert.Equal(week.GetProperty("behind").GetInt32(), behind.Count);
        Assert.NotEmpty(behind);
        Assert.All(behind, w => Assert.Equal("下沉人员", w.GetProperty("role").GetString()));
        Assert.All(behind, w => Assert.True(w.GetProperty("counted").GetInt32() < 1));
        Assert.Contains(workers, w => w.GetProperty("minimum").ValueKind == JsonValueKind.Null && w.GetProperty("visits").GetInt32() > 0);

        // A liaison behind knocks one door: no longer behind.
        var laggard = behind[0];
        var userName = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Id == laggard.GetProperty("userId").GetGuid()).Select(u => u.UserName).SingleAsync(Ct));
        using var liaison = await app.ClientForAsync(userName);
        var mineBefore = await OkAsync(await liaison.GetAsync("/api/visits/mine", Ct));
        Assert.True(mineBefore.GetProperty("behind").GetBoolean());
        var (household, _, _) = await HouseholdOfAsync("community01");
        await OkAsync(await liaison.SendAsync(Post(new { householdId = household.Id, outcome = "refused" }), Ct), HttpStatusCode.Created);
        Assert.False((await OkAsync(await liaison.GetAsync("/api/visits/mine", Ct))).GetProperty("behind").GetBoolean());
        var after = (await OkAsync(await ops.GetAsync("/api/visits/week", Ct))).GetProperty("workers").EnumerateArray()
            .Single(w => w.GetProperty("userId").GetString() == laggard.GetProperty("userId").GetString());
        Assert.False(after.GetProperty("behind").GetBoolean());

        // Last week is still there; a resident and administrators see no week.
        var lastWeek = VisitRules.WeekStart(DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8))).AddDays(-7);
        var last = await OkAsync(await ops.GetAsync($"/api/visits/week?week={lastWeek:yyyy-MM-dd}", Ct));
        Assert.Equal(lastWeek.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), last.GetProperty("weekStart").GetString());
        foreach (var user in new[] { "admin", "resident001", "micro01", "property01" })
        {
            using var client = await app.ClientForAsync(user);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/visits/week", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/visits", Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task List_ShowsTheScopesVisits_NewestFirst_AndNoneOfAnotherSubdistrict()
    {
        using var ops = await app.ClientForAsync("ops");
        var page = await OkAsync(await ops.GetAsync("/api/visits?pageSize=200", Ct));
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        var times = items.Select(i => i.GetProperty("visitedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
        Assert.All(items, i => Assert.StartsWith("610103099", i.GetProperty("buildingCode").GetString(), StringComparison.Ordinal));
        var visited = (await OkAsync(await ops.GetAsync("/api/visits?outcome=nobody-home", Ct))).GetProperty("items").EnumerateArray();
        Assert.All(visited, v => Assert.Equal("nobody-home", v.GetProperty("outcome").GetString()));
        await ProblemAsync(await ops.GetAsync("/api/visits?outcome=maybe", Ct), HttpStatusCode.BadRequest);
        await ProblemAsync(await ops.GetAsync("/api/visits?from=2026-12-01&to=2026-11-01", Ct), HttpStatusCode.BadRequest);

        using var east = await app.ClientForAsync("ops-east");
        var theirs = (await OkAsync(await east.GetAsync("/api/visits?pageSize=200", Ct))).GetProperty("items").EnumerateArray();
        Assert.All(theirs, i => Assert.StartsWith("610103098", i.GetProperty("buildingCode").GetString(), StringComparison.Ordinal));
    }
}

public sealed class VisitTestsOnSqlite(SqliteApp app) : VisitTests(app), IClassFixture<SqliteApp>;

public sealed class VisitTestsOnPostgres(PostgresApp app) : VisitTests(app), IClassFixture<PostgresApp>;
