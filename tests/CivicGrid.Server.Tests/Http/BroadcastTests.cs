using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Broadcast;
using CivicGrid.Server.Features.Devices;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;
using static CivicGrid.Server.Tests.Infrastructure.HttpAnswers;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Emergency broadcast over real HTTP on each provider: the audience of picked grids and of a drawn area, sending (all
/// deliveries stored at once), a worker's 收到, bad input refused with nothing stored, and who may send and see what. These
/// servers have no MQTT broker, so a speaker's delivery fails at once with the reason rather than waiting.
/// </summary>
public abstract class BroadcastTests(CivicGridApp app)
{
    private readonly CaseScenario _scenario = new(app);

    [Fact]
    public async Task Send_ToPickedGrids_ReachesTheirSpeakersAndWorkers_TheWorkerAcknowledges_AndTheSpeakerFailsWithoutABroker()
    {
        var place = await _scenario.CertainPlaceAsync();
        var speaker = await TestDevices.RegisterAsync(app, place, "speaker");
        var (worker, workerName) = await WorkerAtAsync(place.ThirdCode);
        using var ops = await app.ClientForAsync("ops");

        var preview = await BodyAsync(await ops.PostAsJsonAsync("/api/broadcasts/preview", new { gridCodes = new[] { place.ThirdCode } }, Ct), HttpStatusCode.OK);
        Assert.Contains(preview.GetProperty("speakers").EnumerateArray(), s => s.GetProperty("code").GetString() == speaker.Code);
        Assert.Contains(preview.GetProperty("workers").EnumerateArray(), w => w.GetProperty("code").GetString() == workerName);
        Assert.Equal(200, preview.GetProperty("maxText").GetInt32());
        Assert.Equal(place.ThirdCode, Assert.Single(preview.GetProperty("grids").EnumerateArray()).GetProperty("code").GetString());

        var sent = await BodyAsync(await ops.PostAsJsonAsync("/api/broadcasts",
            new { text = "暴雨橙色预警：请远离河道和地下通道。", gridCodes = new[] { place.ThirdCode }, repeat = 2, urgent = true }, Ct), HttpStatusCode.Created);
        var id = sent.GetProperty("summary").GetProperty("id").GetGuid();
        var deliveries = sent.GetProperty("deliveries").EnumerateArray().ToList();
        Assert.Equal(preview.GetProperty("speakers").GetArrayLength() + preview.GetProperty("workers").GetArrayLength(), deliveries.Count);
        Assert.Contains(deliveries, d => d.GetProperty("code").GetString() == speaker.Code && d.GetProperty("kind").GetString() == "speaker");
        var mine = Assert.Single(deliveries, d => d.GetProperty("code").GetString() == workerName);
        Assert.Equal("sent", mine.GetProperty("state").GetString());

        // The worker has an in-app message and the broadcast on their list; 收到 records the time, once.
        Assert.Equal(1, await app.WithDatabaseAsync(db => db.Notifications.IgnoreQueryFilters()
            .CountAsync(n => n.SourceKey == $"broadcast:{id}" && n.Kind == "emergency-broadcast" && n.ReadAt == null
                && db.Users.IgnoreQueryFilters().Any(u => u.Id == n.UserId && u.UserName == workerName), Ct)));
        var list = await BodyAsync(await worker.GetAsync("/api/broadcasts/mine", Ct), HttpStatusCode.OK);
        var received = Assert.Single(list.EnumerateArray());
        Assert.Equal(id, received.GetProperty("id").GetGuid());
        Assert.Equal(JsonValueKind.Null, received.GetProperty("acknowledgedAt").ValueKind);
        var acknowledged = await BodyAsync(await worker.PostAsync($"/api/broadcasts/{id}/ack", null, Ct), HttpStatusCode.OK);
        var at = acknowledged.GetProperty("acknowledgedAt").GetDateTimeOffset();
        var again = await BodyAsync(await worker.PostAsync($"/api/broadcasts/{id}/ack", null, Ct), HttpStatusCode.OK);
        Assert.Equal(at, again.GetProperty("acknowledgedAt").GetDateTimeOffset());

        // The log: the worker acknowledged; the speaker failed at once, saying why, not left pending.
        var log = await WaitForAsync(ops, id, b => b.GetProperty("deliveries").EnumerateArray()
            .Any(d => d.GetProperty("code").GetString() == speaker.Code && d.GetProperty("state").GetString() == "failed"));
        var worked = log.GetProperty("deliveries").EnumerateArray().ToList();
        Assert.Equal("acknowledged", worked.Single(d => d.GetProperty("code").GetString() == workerName).GetProperty("state").GetString());
        var failed = worked.Single(d => d.GetProperty("code").GetString() == speaker.Code);
        Assert.Contains("未配置 MQTT", failed.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, failed.GetProperty("attempts").GetInt32());
        Assert.Equal("测试用户", worked.Single(d => d.GetProperty("code").GetString() == workerName).GetProperty("name").GetString());

        var summary = Assert.Single((await BodyAsync(await ops.GetAsync("/api/broadcasts", Ct), HttpStatusCode.OK)).GetProperty("items").EnumerateArray(),
            b => b.GetProperty("id").GetGuid() == id);
        Assert.True(summary.GetProperty("acknowledged").GetInt32() >= 1);
        Assert.True(summary.GetProperty("failed").GetInt32() >= 1);
        Assert.False(string.IsNullOrEmpty(summary.GetProperty("senderName").GetString()));
    }

    [Fact]
    public async Task Preview_OfADrawnArea_HasTheSpeakersInsideIt_TheWorkersOfItsGrids_AndLeavesRetiredSpeakersOut()
    {
        var place = await _scenario.CertainPlaceAsync();
        var inside = await TestDevices.RegisterAsync(app, place, "speaker");
        var retired = await TestDevices.RegisterAsync(app, place, "speaker");
        using var ops = await app.ClientForAsync("ops");
        await BodyAsync(await ops.PostAsJsonAsync($"/api/devices/{retired.Code}/retire", new { reason = "音柱进水损坏" }, Ct), HttpStatusCode.OK);
        var (_, workerName) = await WorkerAtAsync(place.ThirdCode);

        var area = Square(place.Lon, place.Lat, 0.0002);
        var preview = await BodyAsync(await ops.PostAsJsonAsync("/api/broadcasts/preview", new { area }, Ct), HttpStatusCode.OK);
        Assert.Contains(preview.GetProperty("grids").EnumerateArray(), g => g.GetProperty("code").GetString() == place.ThirdCode);
        Assert.Contains(preview.GetProperty("speakers").EnumerateArray(), s => s.GetProperty("code").GetString() == inside.Code);
        Assert.DoesNotContain(preview.GetProperty("speakers").EnumerateArray(), s => s.GetProperty("code").GetString() == retired.Code);
        Assert.Contains(preview.GetProperty("retiredSpeakers").EnumerateArray(), s => s.GetProperty("code").GetString() == retired.Code);
        Assert.Contains(preview.GetProperty("workers").EnumerateArray(), w => w.GetProperty("code").GetString() == workerName);

        var sent = await BodyAsync(await ops.PostAsJsonAsync("/api/broadcasts", new { text = "燃气泄漏，请立即撤离。", area }, Ct), HttpStatusCode.Created);
        var codes = sent.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("code").GetString()).ToList();
        Assert.Contains(inside.Code, codes);
        Assert.DoesNotContain(retired.Code, codes);
        Assert.Equal(5, sent.GetProperty("area").GetArrayLength());
    }

    [Fact]
    public async Task BadInput_IsRefusedInChinese_AndNothingIsStored()
    {
        var place = await _scenario.CertainPlaceAsync();
        using var ops = await app.ClientForAsync("ops");
        var grids = new[] { place.ThirdCode };
        var before = await app.WithDatabaseAsync(db => db.Broadcasts.IgnoreQueryFilters().CountAsync(Ct));

        await ProblemAsync(await ops.PostAsJsonAsync("/api/broadcasts", new { text = "  ", gridCodes = grids }, Ct), HttpStatusCode.BadRequest, "/problems/validation");
        var tooLong = await ProblemAsync(await ops.PostAsJsonAsync("/api/broadcasts", new { text = new string('雨', 201), gridCodes = grids }, Ct),
            HttpStatusCode.BadRequest, "/problems/validation");
        Assert.Contains("200", tooLong.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await ops.PostAsJsonAsync("/api/broadcasts", new { text = "测试", gridCodes = grids, repeat = 9 }, Ct), HttpStatusCode.BadRequest,
            "/problems/validation");
        await ProblemAsync(await ops.PostAsJsonAsync("/api/broadcasts", new { text = "测试" }, Ct), HttpStatusCode.BadRequest, "/problems/validation");
        await ProblemAsync(await ops.PostAsJsonAsync("/api/broadcasts", new { text = "测试", gridCodes = grids, area = Square(place.Lon, place.Lat, 0.001) }, Ct),
            HttpStatusCode.BadRequest, "/problems/validation");
        var bowTie = new[] { new[] { place.Lon, place.Lat }, [place.Lon + 0.001, place.Lat + 0.001], [place.Lon + 0.001, place.Lat], [place.Lon, place.Lat + 0.001] };
        await ProblemAsync(await ops.PostAsJsonAsync("/api/broadcasts", new { text = "测试", area = bowTie }, Ct), HttpStatusCode.BadRequest, "/problems/validation");

        // Far from every grid: an empty area; a grid that does not exist: refused by name.
        await ProblemAsync(await ops.PostAsJsonAsync("/api/broadcasts", new { text = "测试", area = Square(100.0, 30.0, 0.01) }, Ct),
            HttpStatusCode.UnprocessableEntity, "/problems/broadcast-empty-area");
        await ProblemAsync(await ops.PostAsJsonAsync("/api/broadcasts/preview", new { area = Square(100.0, 30.0, 0.01) }, Ct),
            HttpStatusCode.UnprocessableEntity, "/problems/broadcast-empty-area");
        await ProblemAsync(await ops.PostAsJsonAsync("/api/broadcasts", new { text = "测试", gridCodes = new[] { "610103099999999999" } }, Ct),
            HttpStatusCode.UnprocessableEntity, "/problems/broadcast-grids");

        Assert.Equal(before, await app.WithDatabaseAsync(db => db.Broadcasts.IgnoreQueryFilters().CountAsync(Ct)));
    }

    [Fact]
    public async Task OnlyTheOperationsCentreSends_TheDistrictReadsTheLog_AndAWorkerSeesOnlyTheirOwnBroadcasts()
    {
        var place = await _scenario.CertainPlaceAsync();
        var other = await _scenario.CertainPlaceAsync();
        var (receiver, _) = await WorkerAtAsync(place.ThirdCode);
        var (bystander, _) = await WorkerAtAsync(other.ThirdCode);
        using var ops = await app.ClientForAsync("ops");
        var body = new { text = "停水通知：明早 8 点至 12 点检修。", gridCodes = new[] { place.ThirdCode } };

        await ProblemAsync(await receiver.PostAsJsonAsync("/api/broadcasts", body, Ct), HttpStatusCode.Forbidden);
        await ProblemAsync(await receiver.PostAsJsonAsync("/api/broadcasts/preview", body, Ct), HttpStatusCode.Forbidden);
        await ProblemAsync(await receiver.GetAsync("/api/broadcasts", Ct), HttpStatusCode.Forbidden);
        using (var admin = await app.ClientForAsync("admin"))
        {
            await ProblemAsync(await admin.PostAsJsonAsync("/api/broadcasts", body, Ct), HttpStatusCode.Forbidden);
        }

        // The other subdistrict's operations centre cannot target our grids.
        using (var east = await app.ClientForAsync("ops-east"))
        {
            await ProblemAsync(await east.PostAsJsonAsync("/api/broadcasts", body, Ct), HttpStatusCode.UnprocessableEntity, "/problems/broadcast-grids");
        }

        var id = (await BodyAsync(await ops.PostAsJsonAsync("/api/broadcasts", body, Ct), HttpStatusCode.Created)).GetProperty("summary").GetProperty("id").GetGuid();
        using (var district = await app.ClientForAsync("district"))
        {
            Assert.Contains((await BodyAsync(await district.GetAsync("/api/broadcasts", Ct), HttpStatusCode.OK)).GetProperty("items").EnumerateArray(), b => b.GetProperty("id").GetGuid() == id);
            await BodyAsync(await district.GetAsync($"/api/broadcasts/{id}", Ct), HttpStatusCode.OK);
            await ProblemAsync(await district.PostAsJsonAsync("/api/broadcasts", body, Ct), HttpStatusCode.Forbidden);
        }

        using (var east = await app.ClientForAsync("ops-east"))
        {
            Assert.DoesNotContain((await BodyAsync(await east.GetAsync("/api/broadcasts", Ct), HttpStatusCode.OK)).GetProperty("items").EnumerateArray(), b => b.GetProperty("id").GetGuid() == id);
            await ProblemAsync(await east.GetAsync($"/api/broadcasts/{id}", Ct), HttpStatusCode.NotFound, "/problems/not-found");
        }

        Assert.Contains((await BodyAsync(await receiver.GetAsync("/api/broadcasts/mine", Ct), HttpStatusCode.OK)).EnumerateArray(), b => b.GetProperty("id").GetGuid() == id);
        Assert.DoesNotContain((await BodyAsync(await bystander.GetAsync("/api/broadcasts/mine", Ct), HttpStatusCode.OK)).EnumerateArray(),
            b => b.GetProperty("id").GetGuid() == id);
        await ProblemAsync(await bystander.PostAsync($"/api/broadcasts/{id}/ack", null, Ct), HttpStatusCode.NotFound, "/problems/not-found");
        await ProblemAsync(await ops.PostAsync($"/api/broadcasts/{id}/ack", null, Ct), HttpStatusCode.NotFound, "/problems/not-found");
    }

    private async Task<(HttpClient Client, string UserName)> WorkerAtAsync(string thirdCode)
    {
        var name = CivicGridApp.UniqueName("bcast");
        await app.CreateUserAsync(name, thirdCode, Role.GridWorker);
        return (await app.ClientForAsync(name), name);
    }

    /// <summary>A square ring of half-side <paramref name="half"/> degrees around a point, closed.</summary>
    public static double[][] Square(double lon, double lat, double half) =>
        [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half]];

    private static async Task<JsonElement> WaitForAsync(HttpClient client, Guid id, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var body = await BodyAsync(await client.GetAsync($"/api/broadcasts/{id}", Ct), HttpStatusCode.OK);
            if (done(body) || DateTime.UtcNow > deadline)
            {
                return body;
            }

            await Task.Delay(100, Ct);
        }
    }
}

public sealed class BroadcastTestsOnSqlite(SqliteApp app) : BroadcastTests(app), IClassFixture<SqliteApp>;

public sealed class BroadcastTestsOnPostgres(PostgresApp app) : BroadcastTests(app), IClassFixture<PostgresApp>;
