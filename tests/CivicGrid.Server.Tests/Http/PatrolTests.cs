using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Server.Tests.Photos;
using Microsoft.EntityFrameworkCore;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;
using static CivicGrid.Server.Tests.Infrastructure.HttpAnswers;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// "110" patrols over real HTTP on each provider: a worker starts, sends batches (a repeat stored once, bad batches refused
/// with nothing stored), reports a case on the way, ends; the grid leader reads the track, coverage and the worker's day;
/// another subdistrict, field staff and administrators do not.
/// </summary>
public abstract class PatrolTests(CivicGridApp app)
{
    private const double MetersPerDegreeLat = 111_195;
    private readonly CaseScenario _scenario = new(app);

    [Fact]
    public async Task Walk_StartBatchesReportEnd_IsMeasured_AndTheLeaderSeesTrackCoverageDayAndCase()
    {
        var place = await _scenario.CertainPlaceAsync();
        var (worker, workerName) = await WorkerAtAsync(place.ThirdCode);

        var started = await worker.PostAsync("/api/patrols", null, Ct);
        var patrol = await BodyAsync(started, HttpStatusCode.Created);
        var id = patrol.GetProperty("id").GetGuid();
        Assert.Equal("open", patrol.GetProperty("status").GetString());
        var again = await BodyAsync(await worker.PostAsync("/api/patrols", null, Ct), HttpStatusCode.OK);
        Assert.Equal(id, again.GetProperty("id").GetGuid());

        var batch = Batch("b-1", place, DateTimeOffset.UtcNow.AddMinutes(-4), 40);
        var first = await BodyAsync(await worker.PostAsJsonAsync($"/api/patrols/{id}/points", batch, Ct), HttpStatusCode.OK);
        Assert.Equal(40, first.GetProperty("accepted").GetInt32());
        Assert.False(first.GetProperty("repeated").GetBoolean());
        var repeated = await BodyAsync(await worker.PostAsJsonAsync($"/api/patrols/{id}/points", batch, Ct), HttpStatusCode.OK);
        Assert.True(repeated.GetProperty("repeated").GetBoolean());
        Assert.Equal(40, repeated.GetProperty("pointCount").GetInt32());
        Assert.Equal(1, await app.WithDatabaseAsync(db => db.PatrolBatches.IgnoreQueryFilters().CountAsync(b => b.PatrolId == id, Ct)));

        var day = await BodyAsync(await worker.GetAsync("/api/patrols/days/mine", Ct), HttpStatusCode.OK);
        Assert.Equal(id, day.GetProperty("openPatrolId").GetGuid());
        Assert.InRange(day.GetProperty("walkedMeters").GetDouble(), 200, 240);
        Assert.Equal(10_000, day.GetProperty("stepGoal").GetInt32());
        Assert.False(day.GetProperty("goalMet").GetBoolean());
        Assert.Contains(day.GetProperty("grids").EnumerateArray(), g => g.GetProperty("code").GetString() == place.GridCode);

        var report = await ReportAsync(worker, ReportFields(place.Lon, place.Lat), [TestPhotos.Jpeg(200, 150)]);
        Assert.True(report.IsSuccessStatusCode, await report.Content.ReadAsStringAsync(Ct));
        var number = (await JsonAsync(report)).GetProperty("number").GetString()!;

        var ended = await BodyAsync(await worker.PostAsync($"/api/patrols/{id}/end", null, Ct), HttpStatusCode.OK);
        Assert.Equal("closed", ended.GetProperty("status").GetString());
        Assert.InRange(ended.GetProperty("walkedMeters").GetDouble(), 200, 240);
        var expectedSteps = ended.GetProperty("walkedMeters").GetDouble() / 0.7;
        Assert.InRange(ended.GetProperty("steps").GetInt32(), expectedSteps - 2, expectedSteps + 1);
        Assert.Equal([number], ended.GetProperty("caseNumbers").EnumerateArray().Select(n => n.GetString()));
        var track = await app.WithDatabaseAsync(db => db.Patrols.IgnoreQueryFilters().Where(p => p.Id == id).Select(p => p.Track).SingleAsync(Ct));
        Assert.Equal(40, track!.NumPoints);
        var mine = await worker.GetFromJsonAsync<JsonElement>("/api/patrols/mine", Ct);
        Assert.Contains(mine.EnumerateArray(), p => p.GetProperty("id").GetGuid() == id);

        using var leader = await app.ClientForAsync(place.LeaderUserName);
        var tracks = await BodyAsync(await leader.GetAsync("/api/patrols/tracks", Ct), HttpStatusCode.OK);
        Assert.Equal("FeatureCollection", tracks.GetProperty("type").GetString());
        var feature = tracks.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("properties").GetProperty("id").GetGuid() == id);
        Assert.Equal("LineString", feature.GetProperty("geometry").GetProperty("type").GetString());
        // A straight walk simplifies to its two ends.
        Assert.Equal(2, feature.GetProperty("geometry").GetProperty("coordinates").GetArrayLength());
        Assert.Equal(workerName, feature.GetProperty("properties").GetProperty("workerName").GetString());

        var coverage = await BodyAsync(await leader.GetAsync("/api/patrols/coverage?level=micro", Ct), HttpStatusCode.OK);
        var grids = coverage.GetProperty("grids").EnumerateArray().ToList();
        Assert.All(grids, g => Assert.StartsWith(place.ThirdCode, g.GetProperty("code").GetString()));
        Assert.True(grids.Single(g => g.GetProperty("code").GetString() == place.GridCode).GetProperty("walked").GetBoolean());
        Assert.Equal(grids.Count(g => !g.GetProperty("walked").GetBoolean()), coverage.GetProperty("notWalked").GetArrayLength());
        var third = await BodyAsync(await leader.GetAsync("/api/patrols/coverage?level=grid-3", Ct), HttpStatusCode.OK);
        Assert.True(third.GetProperty("grids").EnumerateArray().Single(g => g.GetProperty("code").GetString() == place.ThirdCode).GetProperty("walked").GetBoolean());

        var days = await BodyAsync(await leader.GetAsync("/api/patrols/days", Ct), HttpStatusCode.OK);
        var row = days.EnumerateArray().Single(d => d.GetProperty("workerName").GetString() == workerName);
        Assert.Equal(1, row.GetProperty("patrols").GetInt32());
        Assert.False(row.GetProperty("goalMet").GetBoolean());
        Assert.Equal(1, row.GetProperty("gridsWalked").GetInt32());
        Assert.Equal([id], row.GetProperty("patrolIds").EnumerateArray().Select(p => p.GetGuid()));

        var export = await leader.GetAsync("/api/patrols/days/export.xlsx", Ct);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export.Content.Headers.ContentType?.MediaType);
        var bytes = await export.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal((byte)'P', bytes[0]);
    }

    [Fact]
    public async Task BadBatches_AreRefusedInChinese_AndStoreNothing()
    {
        var place = await _scenario.CertainPlaceAsync();
        var (worker, _) = await WorkerAtAsync(place.ThirdCode);
        var id = (await BodyAsync(await worker.PostAsync("/api/patrols", null, Ct), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var now = DateTimeOffset.UtcNow;

        await ProblemAsync(await worker.PostAsJsonAsync($"/api/patrols/{Guid.NewGuid()}/points", Batch("x", place, now, 3), Ct), HttpStatusCode.NotFound, "/problems/not-found");
        await ProblemAsync(await worker.PostAsJsonAsync($"/api/patrols/{id}/points", Batch("", place, now, 3), Ct), HttpStatusCode.BadRequest, "/problems/validation");
        await ProblemAsync(await worker.PostAsJsonAsync($"/api/patrols/{id}/points", new { batchId = "empty", points = Array.Empty<object>() }, Ct),
            HttpStatusCode.BadRequest, "/problems/validation");
        var impossible = new { batchId = "bad-coords", points = new[] { new { at = now, lon = place.Lon, lat = place.Lat }, new { at = now, lon = 200.0, lat = 95.0 } } };
        await ProblemAsync(await worker.PostAsJsonAsync($"/api/patrols/{id}/points", impossible, Ct), HttpStatusCode.BadRequest, "/problems/validation");
        await ProblemAsync(await worker.PostAsJsonAsync($"/api/patrols/{id}/points", Batch("future", place, now.AddHours(1), 3), Ct),
            HttpStatusCode.UnprocessableEntity, "/problems/track-time");
        await ProblemAsync(await worker.PostAsJsonAsync($"/api/patrols/{id}/points", Batch("past", place, now.AddDays(-2), 3), Ct),
            HttpStatusCode.UnprocessableEntity, "/problems/track-time");
        Assert.Equal(0, await app.WithDatabaseAsync(db => db.PatrolBatches.IgnoreQueryFilters().CountAsync(b => b.PatrolId == id, Ct)));

        // Another worker's patrol is not theirs to feed or end.
        var (other, _) = await WorkerAtAsync(place.ThirdCode);
        await ProblemAsync(await other.PostAsJsonAsync($"/api/patrols/{id}/points", Batch("theirs", place, now, 3), Ct), HttpStatusCode.NotFound, "/problems/not-found");
        await ProblemAsync(await other.PostAsync($"/api/patrols/{id}/end", null, Ct), HttpStatusCode.NotFound, "/problems/not-found");

        await BodyAsync(await worker.PostAsync($"/api/patrols/{id}/end", null, Ct), HttpStatusCode.OK);
        await ProblemAsync(await worker.PostAsync($"/api/patrols/{id}/end", null, Ct), HttpStatusCode.Conflict, "/problems/patrol-closed");
        await ProblemAsync(await worker.PostAsJsonAsync($"/api/patrols/{id}/points", Batch("late", place, now, 3), Ct), HttpStatusCode.Conflict, "/problems/patrol-closed");
        Assert.Equal(0, await app.WithDatabaseAsync(db => db.PatrolBatches.IgnoreQueryFilters().CountAsync(b => b.PatrolId == id, Ct)));

        using var leader = await app.ClientForAsync(place.LeaderUserName);
        await ProblemAsync(await leader.GetAsync("/api/patrols/coverage?level=community&from=2026-13-01", Ct), HttpStatusCode.BadRequest, "/problems/validation");
        await ProblemAsync(await leader.GetAsync("/api/patrols/days?from=2026-01-01&to=2026-12-31", Ct), HttpStatusCode.BadRequest, "/problems/validation");
        await ProblemAsync(await worker.GetAsync("/api/patrols/days/mine?date=yesterday", Ct), HttpStatusCode.BadRequest, "/problems/validation");
        await ProblemAsync(await leader.GetAsync("/api/patrols/tracks?tolerance=500", Ct), HttpStatusCode.BadRequest, "/problems/validation");
    }

    [Fact]
    public async Task Scope_WorkersSeeTheirOwn_SupervisorsTheirScope_AdministratorsNothing()
    {
        var place = await _scenario.CertainPlaceAsync();
        var (worker, workerName) = await WorkerAtAsync(place.ThirdCode);
        var id = (await BodyAsync(await worker.PostAsync("/api/patrols", null, Ct), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await BodyAsync(await worker.PostAsJsonAsync($"/api/patrols/{id}/points", Batch("s-1", place, DateTimeOffset.UtcNow.AddMinutes(-2), 10), Ct), HttpStatusCode.OK);

        // A second worker of the same grid sees only their own patrols and day, and no scope-wide reads.
        var (colleague, _) = await WorkerAtAsync(place.ThirdCode);
        Assert.Empty((await colleague.GetFromJsonAsync<JsonElement>("/api/patrols/mine", Ct)).EnumerateArray());
        Assert.Empty((await colleague.GetFromJsonAsync<JsonElement>("/api/patrols/days/mine", Ct)).GetProperty("patrols").EnumerateArray());
        foreach (var path in new[] { "/api/patrols/tracks", "/api/patrols/coverage", "/api/patrols/days", "/api/patrols/days/export.xlsx" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await colleague.GetAsync(path, Ct)).StatusCode);
        }

        // The community and the operations centre of the subdistrict see the open patrol's track; the other subdistrict does not.
        foreach (var user in new[] { "ops", "district" })
        {
            using var client = await app.ClientForAsync(user);
            var tracks = await BodyAsync(await client.GetAsync("/api/patrols/tracks", Ct), HttpStatusCode.OK);
            Assert.Contains(tracks.GetProperty("features").EnumerateArray(), f => f.GetProperty("properties").GetProperty("id").GetGuid() == id);
        }

        using var east = await app.ClientForAsync("ops-east");
        var eastTracks = await BodyAsync(await east.GetAsync("/api/patrols/tracks", Ct), HttpStatusCode.OK);
        Assert.DoesNotContain(eastTracks.GetProperty("features").EnumerateArray(), f => f.GetProperty("properties").GetProperty("id").GetGuid() == id);
        Assert.DoesNotContain((await BodyAsync(await east.GetAsync("/api/patrols/days", Ct), HttpStatusCode.OK)).EnumerateArray(),
            d => d.GetProperty("workerName").GetString() == workerName);
        Assert.All((await BodyAsync(await east.GetAsync("/api/patrols/coverage", Ct), HttpStatusCode.OK)).GetProperty("grids").EnumerateArray(),
            g => Assert.StartsWith("610103098", g.GetProperty("code").GetString()));

        foreach (var user in new[] { "admin", "secadmin", "auditor", "resident001", "property01", "police01" })
        {
            using var client = await app.ClientForAsync(user);
            foreach (var path in new[] { "/api/patrols/tracks", "/api/patrols/coverage", "/api/patrols/days", "/api/patrols/mine", "/api/patrols/days/mine" })
            {
                var response = await client.GetAsync(path, Ct);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{user} {path}: {(int)response.StatusCode}");
            }

            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/patrols", null, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/patrols/{id}/end", null, Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task APatrolLeftOpenYesterday_IsEndedAtItsLastPoint_WhenTheWorkerStartsToday()
    {
        var place = await _scenario.CertainPlaceAsync();
        var name = CivicGridApp.UniqueName("walker");
        var user = await app.CreateUserAsync(name, place.ThirdCode, Role.GridWorker);
        using var worker = await app.ClientForAsync(name);
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1);
        var stale = new Domain.Patrols.Patrol(user.Id, user.DisplayName, place.ThirdCode, yesterday, PatrolTracks.BeijingDay(yesterday));
        await app.WithDatabaseAsync(async db => { db.Patrols.Add(stale); await db.SaveChangesAsync(Ct); return 0; });

        var today = await BodyAsync(await worker.PostAsync("/api/patrols", null, Ct), HttpStatusCode.Created);

        Assert.NotEqual(stale.Id, today.GetProperty("id").GetGuid());
        var ended = await app.WithDatabaseAsync(db => db.Patrols.IgnoreQueryFilters().AsNoTracking().SingleAsync(p => p.Id == stale.Id, Ct));
        Assert.Equal(Domain.Patrols.PatrolStatus.Closed, ended.Status);
        Assert.Equal(ended.StartedAt, ended.EndedAt); // no points: it ends where it started, not now
        Assert.Equal(1, await app.WithDatabaseAsync(db => db.Patrols.IgnoreQueryFilters().CountAsync(p => p.WorkerId == user.Id && p.Status == Domain.Patrols.PatrolStatus.Open, Ct)));
    }

    [Fact]
    public async Task OnePatrol_ShowsStretchesGridsAndCases_ToTheWalkerAndSupervisorsInScope_AndNobodyElse()
    {
        var place = await _scenario.CertainPlaceAsync();
        var (worker, workerName) = await WorkerAtAsync(place.ThirdCode);
        var id = (await BodyAsync(await worker.PostAsync("/api/patrols", null, Ct), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        // 20 points on foot, then 8 points at 8 m/s (a bus for 40 s), then 10 more on foot.
        var from = DateTimeOffset.UtcNow.AddMinutes(-5);
        var points = new List<object>();
        double north = 0;
        for (var i = 0; i < 38; i++)
        {
            north += i is >= 20 and < 28 ? 40 : 5.5;
            points.Add(new { at = from.AddSeconds(i * 5), lon = place.Lon, lat = place.Lat + (north / MetersPerDegreeLat), accuracy = 8.0, steps = i * 7 });
        }

        await BodyAsync(await worker.PostAsJsonAsync($"/api/patrols/{id}/points", new { batchId = "one", points }, Ct), HttpStatusCode.OK);

        // Open: measured from the points so far.
        var open = await BodyAsync(await worker.GetAsync($"/api/patrols/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal("open", open.GetProperty("patrol").GetProperty("status").GetString());
        Assert.Equal(["walked", "vehicle", "walked"], open.GetProperty("stretches").EnumerateArray().Select(s => s.GetProperty("kind").GetString()));

        var report = await ReportAsync(worker, ReportFields(place.Lon, place.Lat), [TestPhotos.Jpeg(200, 150)]);
        var number = (await JsonAsync(report)).GetProperty("number").GetString()!;
        await BodyAsync(await worker.PostAsync($"/api/patrols/{id}/end", null, Ct), HttpStatusCode.OK);

        var mine = await BodyAsync(await worker.GetAsync($"/api/patrols/{id}", Ct), HttpStatusCode.OK);
        var patrol = mine.GetProperty("patrol");
        Assert.Equal("closed", patrol.GetProperty("status").GetString());
        Assert.True(patrol.GetProperty("stepsFromPhone").GetBoolean());
        Assert.Equal(37 * 7, patrol.GetProperty("steps").GetInt32());
        Assert.InRange(patrol.GetProperty("vehicleMeters").GetDouble(), 300, 330);
        Assert.NotEqual(workerName, patrol.GetProperty("workerName").GetString());
        Assert.Contains("*", patrol.GetProperty("workerName").GetString());
        var stretches = mine.GetProperty("stretches").EnumerateArray().ToList();
        Assert.Equal(["walked", "vehicle", "walked"], stretches.Select(s => s.GetProperty("kind").GetString()));
        Assert.Equal(patrol.GetProperty("walkedMeters").GetDouble(),
            stretches.Where(s => s.GetProperty("kind").GetString() == "walked").Sum(s => s.GetProperty("meters").GetDouble()), 0);
        Assert.Equal(38, stretches.Sum(s => s.GetProperty("coordinates").GetArrayLength()) - (stretches.Count - 1));
        var grids = mine.GetProperty("grids").EnumerateArray().ToList();
        var grid = grids.Single(g => g.GetProperty("code").GetString() == place.GridCode);
        Assert.NotEqual(place.GridCode, grid.GetProperty("name").GetString());
        Assert.True(grid.GetProperty("seconds").GetDouble() > 0);
        Assert.Equal(grids.OrderByDescending(g => g.GetProperty("seconds").GetDouble()).Select(g => g.GetProperty("code").GetString()),
            grids.Select(g => g.GetProperty("code").GetString()));
        var reported = Assert.Single(mine.GetProperty("cases").EnumerateArray());
        Assert.Equal(number, reported.GetProperty("number").GetString());
        Assert.False(string.IsNullOrEmpty(mine.GetProperty("gridName").GetString()));

        // The grid leader and the subdistrict's operations centre see it; a colleague and another subdistrict find nothing.
        foreach (var user in new[] { place.LeaderUserName, "ops", "district" })
        {
            using var client = await app.ClientForAsync(user);
            var seen = await BodyAsync(await client.GetAsync($"/api/patrols/{id}", Ct), HttpStatusCode.OK);
            Assert.Equal(number, seen.GetProperty("cases")[0].GetProperty("number").GetString());
            Assert.Equal("vehicle", seen.GetProperty("stretches")[1].GetProperty("kind").GetString());
        }

        var (colleague, _) = await WorkerAtAsync(place.ThirdCode);
        var hidden = await ProblemAsync(await colleague.GetAsync($"/api/patrols/{id}", Ct), HttpStatusCode.NotFound, "/problems/not-found");
        Assert.Contains("巡查", hidden.GetProperty("detail").GetString());
        using var east = await app.ClientForAsync("ops-east");
        await ProblemAsync(await east.GetAsync($"/api/patrols/{id}", Ct), HttpStatusCode.NotFound, "/problems/not-found");
        await ProblemAsync(await worker.GetAsync($"/api/patrols/{Guid.NewGuid()}", Ct), HttpStatusCode.NotFound, "/problems/not-found");
        foreach (var user in new[] { "admin", "secadmin", "auditor", "resident001", "property01", "police01" })
        {
            using var client = await app.ClientForAsync(user);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/patrols/{id}", Ct)).StatusCode);
        }
    }

    private async Task<(HttpClient Client, string Name)> WorkerAtAsync(string thirdCode)
    {
        var name = CivicGridApp.UniqueName("walker");
        var user = await app.CreateUserAsync(name, thirdCode, Role.GridWorker);
        return (await app.ClientForAsync(name), user.DisplayName);
    }

    /// <summary>A walk north from the place at 1.1 m/s, a point every 5 s with 8 m accuracy.</summary>
    private static object Batch(string batchId, DemoPlace place, DateTimeOffset from, int count) => new
    {
        batchId,
        points = Enumerable.Range(0, count).Select(i => new
        {
            at = from.AddSeconds(i * 5),
            lon = place.Lon,
            lat = place.Lat + (i * 5 * 1.1 / MetersPerDegreeLat),
            accuracy = 8.0,
        }).ToArray(),
    };

}

public sealed class PatrolTestsOnSqlite(SqliteApp app) : PatrolTests(app), IClassFixture<SqliteApp>;

public sealed class PatrolTestsOnPostgres(PostgresApp app) : PatrolTests(app), IClassFixture<PostgresApp>;
