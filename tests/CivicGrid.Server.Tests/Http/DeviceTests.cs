using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Devices;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;
using static CivicGrid.Server.Tests.Infrastructure.HttpAnswers;
using static CivicGrid.Server.Tests.Infrastructure.TestDevices;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Sensors and cameras over real HTTP on each provider: the registry, the signed webhook (good alarms, repeats, refusals
/// of bad signatures, stale timestamps, replays, unknown devices and malformed bodies), heartbeats and the silence check.
/// </summary>
public abstract class DeviceTests(CivicGridApp app)
{
    private readonly CaseScenario _scenario = new(app);

    [Fact]
    public async Task SignedAlarm_OpensOneSensorCase_InTheDevicesGrid_WithTheMappedCategory()
    {
        var place = await _scenario.CertainPlaceAsync();
        var device = await RegisterAsync(app, place);
        Assert.Equal(place.GridCode, device.GridCode);
        using var client = app.CreateClient();

        var response = await client.SendAsync(Alarm(device, "smoke", "烟雾浓度 0.15 dB/m"), Ct);

        var body = await BodyAsync(response, HttpStatusCode.Created);
        Assert.Equal("E0403", body.GetProperty("categoryCode").GetString());
        Assert.False(body.GetProperty("repeated").GetBoolean());
        var number = body.GetProperty("caseNumber").GetString()!;
        var stored = await CaseAsync(number);
        Assert.Equal(CaseChannel.Sensor, stored.Channel);
        Assert.Equal(place.GridCode, stored.GridCode);
        Assert.Equal("E0403", stored.CategoryCode);
        Assert.Equal(1, await CasesOfAsync(device));

        // The grid leader sees it in the grid, and the device's registry entry shows it alive.
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync($"/api/cases/{number}", Ct)).StatusCode);
        var registered = await JsonAsync(await leader.GetAsync($"/api/devices/{device.Code}", Ct));
        Assert.True(registered.GetProperty("online").GetBoolean());
        Assert.False(registered.TryGetProperty("secret", out _));
    }

    [Fact]
    public async Task RepeatedAlarm_WhileTheCaseIsOpen_AddsToThatCase_AndAfterItIsClosed_OpensANewOne()
    {
        var place = await _scenario.CertainPlaceAsync();
        var device = await RegisterAsync(app, place, "manhole-cover-sensor");
        using var client = app.CreateClient();
        var first = (await BodyAsync(await client.SendAsync(Alarm(device, "manhole-tilt", "倾角 18°"), Ct), HttpStatusCode.Created))
            .GetProperty("caseNumber").GetString()!;

        var again = await BodyAsync(await client.SendAsync(Alarm(device, "manhole-tilt", "倾角 25°"), Ct), HttpStatusCode.OK);
        Assert.Equal(first, again.GetProperty("caseNumber").GetString());
        Assert.True(again.GetProperty("repeated").GetBoolean());
        Assert.Equal(1, await CasesOfAsync(device));
        var stored = await CaseAsync(first);
        Assert.Equal(["report", "repeat-alarm"], stored.Timeline.Select(e => e.Action));
        Assert.Equal("倾角 25°", stored.Timeline[1].Note);
        Assert.Null(stored.VerifyTimeline());

        // Another alarm type of the same device is another matter.
        var other = await BodyAsync(await client.SendAsync(Alarm(device, "water-level"), Ct), HttpStatusCode.Created);
        Assert.NotEqual(first, other.GetProperty("caseNumber").GetString());

        // Once the grid closes the case (here: rejects it as a false alarm), the next alarm opens a new case.
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        var rejected = await leader.PostAsJsonAsync($"/api/cases/{first}/reject", new { expectedVersion = stored.Version, reason = "现场核实为误报" }, Ct);
        Assert.True(rejected.IsSuccessStatusCode, await rejected.Content.ReadAsStringAsync(Ct));
        var after = await BodyAsync(await client.SendAsync(Alarm(device, "manhole-tilt"), Ct), HttpStatusCode.Created);
        Assert.NotEqual(first, after.GetProperty("caseNumber").GetString());
        Assert.Equal(3, await CasesOfAsync(device));
    }

    [Fact]
    public async Task RepeatedAlarms_TellTheAssigneeOnce_NotOnEveryRepeat()
    {
        var place = await _scenario.CertainPlaceAsync();
        var device = await RegisterAsync(app, place);
        var worker = await app.CreateUserAsync(CivicGridApp.UniqueName("worker"), place.GridCode, Domain.Accounts.Role.GridWorker);
        using var client = app.CreateClient();
        var number = (await BodyAsync(await client.SendAsync(Alarm(device, "smoke", "烟雾浓度超标"), Ct), HttpStatusCode.Created))
            .GetProperty("caseNumber").GetString()!;
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        var version = (await CaseAsync(number)).Version;
        version = await ActAsync(leader, number, "accept", new { expectedVersion = version });
        await ActAsync(leader, number, "assign", new { expectedVersion = version, userId = worker.Id });

        for (var i = 0; i < 4; i++)
        {
            await BodyAsync(await client.SendAsync(Alarm(device, "smoke", $"烟雾浓度 0.{i + 2} dB/m"), Ct), HttpStatusCode.OK);
        }

        // Four repeats on the timeline; the first is news (within the hour the others are not), in the assignee's inbox once.
        var stored = await CaseAsync(number);
        var repeats = stored.Timeline.Where(e => e.Action == "repeat-alarm").ToList();
        Assert.Equal(4, repeats.Count);
        Assert.Equal([true, false, false, false], repeats.Select(e => e.Details.GetValueOrDefault("notify") == "true"));
        var told = await app.WithDatabaseAsync(db => db.Notifications.AsNoTracking()
            .Where(n => n.CaseNumber == number && n.Kind == NotificationKinds.CaseRepeatAlarm).ToListAsync(Ct));
        var notice = Assert.Single(told);
        Assert.Equal(worker.Id, notice.UserId);
        Assert.Contains(device.Code, notice.Body, StringComparison.Ordinal);
        Assert.Contains("烟雾浓度 0.2 dB/m", notice.Body, StringComparison.Ordinal);

        using var inbox = await app.ClientForAsync(worker.UserName);
        var listed = await JsonAsync(await inbox.GetAsync("/api/notifications", Ct));
        Assert.Single(listed.GetProperty("items").EnumerateArray(), n => n.GetProperty("kind").GetString() == NotificationKinds.CaseRepeatAlarm);
    }

    [Fact]
    public async Task TwoInstances_OpeningACaseForTheSameAlarmAtOnce_TheLoserAddsARepeatToTheWinnersCase()
    {
        var device = await RegisterAsync(app, await _scenario.CertainPlaceAsync());
        // Two pipelines with their own per-device locks, as on two server instances sharing the database.
        var first = ActivatorUtilities.CreateInstance<DeviceMessages>(app.Services);
        var second = ActivatorUtilities.CreateInstance<DeviceMessages>(app.Services);
        DeviceMessageResult? won = null;
        // Deterministically: the first has found no open case; before it opens one, the second opens it.
        first.BeforeOpeningCase = async (_, _) => won = await RaiseOnItsOwnAsync(second, device, "第二实例");

        var lost = await RaiseOnItsOwnAsync(first, device, "第一实例");

        Assert.NotNull(won?.Alarm);
        Assert.False(won.Alarm.Repeated);
        Assert.NotNull(lost.Alarm);
        Assert.True(lost.Alarm.Repeated);
        Assert.Equal(won.Alarm.CaseNumber, lost.Alarm.CaseNumber);
        Assert.Equal(1, await CasesOfAsync(device));
        var stored = await CaseAsync(won.Alarm.CaseNumber);
        Assert.Equal(["report", "repeat-alarm"], stored.Timeline.Select(e => e.Action));
        Assert.Equal("第一实例", stored.Timeline[1].Note);
    }

    [Fact]
    public async Task ManyInstances_AlarmingAtOnce_OpenOneCase()
    {
        var device = await RegisterAsync(app, await _scenario.CertainPlaceAsync());
        var instances = Enumerable.Range(0, 4).Select(_ => ActivatorUtilities.CreateInstance<DeviceMessages>(app.Services)).ToList();
        using var start = new SemaphoreSlim(0);

        var alarms = instances.Select((instance, i) => Task.Run(async () =>
        {
            await start.WaitAsync(Ct);
            return await RaiseOnItsOwnAsync(instance, device, $"实例 {i}");
        }, Ct)).ToList();
        start.Release(instances.Count);
        var results = await Task.WhenAll(alarms);

        Assert.All(results, r => Assert.NotNull(r.Alarm));
        Assert.Single(results, r => !r.Alarm!.Repeated);
        Assert.Single(results.Select(r => r.Alarm!.CaseNumber).Distinct());
        Assert.Equal(1, await CasesOfAsync(device));
        Assert.Equal(3, (await CaseAsync(results[0].Alarm!.CaseNumber)).Timeline.Count(e => e.Action == "repeat-alarm"));
    }

    [Fact]
    public async Task ALinkStillMarkedOpen_WhoseCaseIsFinal_IsClosed_AndTheNextAlarmOpensANewCase()
    {
        // A case made final by a save that did not close its link (stored before links were closed in the save).
        var device = await RegisterAsync(app, await _scenario.CertainPlaceAsync());
        using var client = app.CreateClient();
        var number = (await BodyAsync(await client.SendAsync(Alarm(device, "smoke"), Ct), HttpStatusCode.Created)).GetProperty("caseNumber").GetString()!;
        await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => c.Number == number)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, CaseStatus.Closed), Ct));
        Assert.True((await app.WithDatabaseAsync(db => db.DeviceCases.AsNoTracking().SingleAsync(l => l.CaseNumber == number, Ct))).IsOpen);

        var next = await BodyAsync(await client.SendAsync(Alarm(device, "smoke"), Ct), HttpStatusCode.Created);

        Assert.NotEqual(number, next.GetProperty("caseNumber").GetString());
        Assert.False((await app.WithDatabaseAsync(db => db.DeviceCases.AsNoTracking().SingleAsync(l => l.CaseNumber == number, Ct))).IsOpen);
        Assert.Equal(2, await CasesOfAsync(device));
    }

    [Fact]
    public async Task TheDatabase_RefusesASecondOpenLinkForTheSameDeviceAndAlarmType_AndClosesTheLinkWithTheCase()
    {
        var place = await _scenario.CertainPlaceAsync();
        var device = await RegisterAsync(app, place);
        using var client = app.CreateClient();
        var number = (await BodyAsync(await client.SendAsync(Alarm(device, "smoke"), Ct), HttpStatusCode.Created)).GetProperty("caseNumber").GetString()!;
        var link = await app.WithDatabaseAsync(db => db.DeviceCases.AsNoTracking().SingleAsync(l => l.CaseNumber == number, Ct));
        Assert.True(link.IsOpen);

        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => app.WithDatabaseAsync(async db =>
        {
            db.DeviceCases.Add(new DeviceCase(link.DeviceId, "smoke", link.CaseId, number, DateTimeOffset.UtcNow));
            return await db.SaveChangesAsync(Ct);
        }));
        Assert.True(DeviceCaseLinks.IsOpenLinkConflict(refused));

        // Rejecting the case closes its link in the same save; then another open link (the next alarm's case) is allowed.
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        await ActAsync(leader, number, "reject", new { expectedVersion = (await CaseAsync(number)).Version, reason = "误报" });
        Assert.False((await app.WithDatabaseAsync(db => db.DeviceCases.AsNoTracking().SingleAsync(l => l.CaseNumber == number, Ct))).IsOpen);
        var next = await BodyAsync(await client.SendAsync(Alarm(device, "smoke"), Ct), HttpStatusCode.Created);
        Assert.NotEqual(number, next.GetProperty("caseNumber").GetString());
    }

    [Fact]
    public async Task Alarm_WithAWrongSignature_IsRefused401_AndOpensNothing()
    {
        var device = await RegisterAsync(app, await _scenario.CertainPlaceAsync());
        using var client = app.CreateClient();
        const string body = """{"type":"smoke"}""";
        var timestamp = Now();
        var nonce = NewNonce();

        var forged = await client.SendAsync(Signed("/api/device-webhook/alarms", device, body, timestamp, nonce, Sign("not-the-secret", timestamp, nonce, body)), Ct);
        await ProblemAsync(forged, HttpStatusCode.Unauthorized, "/problems/device-signature");

        // A valid signature over another body does not cover this one.
        var tampered = await client.SendAsync(Signed("/api/device-webhook/alarms", device, """{"type":"water-level"}""", timestamp, NewNonce(),
            Sign(device.Secret, timestamp, nonce, body)), Ct);
        await ProblemAsync(tampered, HttpStatusCode.Unauthorized, "/problems/device-signature");

        using var unsigned = new HttpRequestMessage(HttpMethod.Post, "/api/device-webhook/alarms") { Content = new StringContent(body) };
        await ProblemAsync(await client.SendAsync(unsigned, Ct), HttpStatusCode.Unauthorized, "/problems/device-signature");
        Assert.Equal(0, await CasesOfAsync(device));
    }

    [Fact]
    public async Task Alarm_FromAnUnknownDevice_IsRefused401()
    {
        var stranger = new TestDevice("NO-SUCH-DEVICE", "whatever", string.Empty);
        using var client = app.CreateClient();

        await ProblemAsync(await client.SendAsync(Alarm(stranger, "smoke"), Ct), HttpStatusCode.Unauthorized, "/problems/device-signature");
    }

    /// <summary>
    /// Security review (issue 21): the timestamp was checked before the signature, so an unsigned request with a stale
    /// timestamp answered "timestamp" for a registered device and "signature" for an unknown one, telling which device
    /// codes exist. Now the signature comes first: the same answer for both.
    /// </summary>
    [Fact]
    public async Task UnsignedAlarm_WithAStaleTimestamp_GetsTheSameAnswerForAKnownAndAnUnknownDevice()
    {
        var device = await RegisterAsync(app, await _scenario.CertainPlaceAsync());
        var stranger = new TestDevice("NO-SUCH-DEVICE-2", "whatever", string.Empty);
        using var client = app.CreateClient();
        const string body = """{"type":"smoke"}""";
        var stale = Now() - 3_600;
        var unsigned = "sha256=" + new string('0', 64);

        var known = await ProblemAsync(await client.SendAsync(Signed("/api/device-webhook/alarms", device, body, stale, signature: unsigned), Ct),
            HttpStatusCode.Unauthorized, "/problems/device-signature");
        var unknown = await ProblemAsync(await client.SendAsync(Signed("/api/device-webhook/alarms", stranger, body, stale, signature: unsigned), Ct),
            HttpStatusCode.Unauthorized, "/problems/device-signature");

        Assert.Equal(known.GetProperty("detail").GetString(), unknown.GetProperty("detail").GetString());
        Assert.Equal(0, await CasesOfAsync(device));
    }

    [Fact]
    public async Task Alarm_WithAStaleOrFutureTimestamp_IsRefused401()
    {
        var device = await RegisterAsync(app, await _scenario.CertainPlaceAsync());
        using var client = app.CreateClient();
        const string body = """{"type":"smoke"}""";

        await ProblemAsync(await client.SendAsync(Signed("/api/device-webhook/alarms", device, body, Now() - 301), Ct),
            HttpStatusCode.Unauthorized, "/problems/device-timestamp");
        await ProblemAsync(await client.SendAsync(Signed("/api/device-webhook/alarms", device, body, Now() + 301), Ct),
            HttpStatusCode.Unauthorized, "/problems/device-timestamp");
        Assert.Equal(0, await CasesOfAsync(device));
    }

    [Fact]
    public async Task ReplayedAlarm_IsRefused401_AndAddsNothing()
    {
        var device = await RegisterAsync(app, await _scenario.CertainPlaceAsync());
        using var client = app.CreateClient();
        const string body = """{"type":"smoke","message":"烟雾报警"}""";
        var timestamp = Now();
        var nonce = NewNonce();

        await BodyAsync(await client.SendAsync(Signed("/api/device-webhook/alarms", device, body, timestamp, nonce), Ct), HttpStatusCode.Created);
        var replay = await client.SendAsync(Signed("/api/device-webhook/alarms", device, body, timestamp, nonce), Ct);

        await ProblemAsync(replay, HttpStatusCode.Unauthorized, "/problems/device-replay");
        var number = await app.WithDatabaseAsync(db => db.DeviceCases.Where(c => c.DeviceId == db.Set<Device>().IgnoreQueryFilters().Single(d => d.Code == device.Code).Id)
            .Select(c => c.CaseNumber).SingleAsync(Ct));
        Assert.Single((await CaseAsync(number)).Timeline);
    }

    [Fact]
    public async Task AlarmWhoseNonceIsStoredMeanwhile_OpensNoCase_AndIsAReplay()
    {
        var device = await RegisterAsync(app, await _scenario.CertainPlaceAsync());
        using var client = app.CreateClient();
        var timestamp = Now();
        var nonce = NewNonce();
        // What another instance did with the same message a moment ago (its nonce is stored with its effect, in one transaction).
        await app.WithDatabaseAsync(async db =>
        {
            var id = await db.Set<Device>().IgnoreQueryFilters().Where(d => d.Code == device.Code).Select(d => d.Id).SingleAsync(Ct);
            db.DeviceNonces.Add(new DeviceNonce(id, nonce, DateTimeOffset.UtcNow.AddMinutes(5)));
            return await db.SaveChangesAsync(Ct);
        });

        var replay = await client.SendAsync(Signed("/api/device-webhook/alarms", device, """{"type":"smoke"}""", timestamp, nonce), Ct);

        // The intake writer's save of the new case failed on the nonce's key: no case, and the answer says why.
        await ProblemAsync(replay, HttpStatusCode.Unauthorized, "/problems/device-replay");
        Assert.Equal(0, await CasesOfAsync(device));
    }

    [Theory]
    [InlineData("{\"type\":")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"message\":\"没有类型\"}")]
    [InlineData("{\"type\":\"no-such-alarm-type\"}")]
    public async Task SignedButMalformedAlarm_IsRefused400(string body)
    {
        var device = await RegisterAsync(app, await _scenario.CertainPlaceAsync());
        using var client = app.CreateClient();

        await ProblemAsync(await client.SendAsync(Signed("/api/device-webhook/alarms", device, body), Ct), HttpStatusCode.BadRequest, "/problems/validation");
        Assert.Equal(0, await CasesOfAsync(device));
    }

    [Fact]
    public async Task Webhook_PastADevicesMessagesPerMinute_Answers429WithRetryAfter_AndOtherDevicesGoOn()
    {
        var place = await _scenario.CertainPlaceAsync();
        var busy = await RegisterAsync(app, place, "water-level-sensor");
        var quiet = await RegisterAsync(app, place, "water-level-sensor");
        var limit = app.Services.GetRequiredService<IOptions<DeviceOptions>>().Value.MessagesPerMinute;
        using var client = app.CreateClient();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < limit; i++)
        {
            using var beat = await client.SendAsync(Signed("/api/device-webhook/heartbeats", busy, "{}"), Ct);
            answers.Add(beat.StatusCode);
        }

        using var refused = await client.SendAsync(Signed("/api/device-webhook/heartbeats", busy, "{}"), Ct);
        using var alarm = await client.SendAsync(Alarm(busy, "water-level"), Ct);
        using var other = await client.SendAsync(Signed("/api/device-webhook/heartbeats", quiet, "{}"), Ct);

        // The whole minute's budget is accepted; then every message of that device (a valid signature too) is refused,
        // before its signature is even checked, and nothing is stored; another device is not affected.
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NoContent, a));
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        await ProblemAsync(refused, HttpStatusCode.TooManyRequests, "/problems/too-many-requests");
        Assert.Equal(HttpStatusCode.TooManyRequests, alarm.StatusCode);
        Assert.Equal(0, await CasesOfAsync(busy));
        Assert.Equal(HttpStatusCode.NoContent, other.StatusCode);
    }

    [Fact]
    public async Task Webhook_UnsignedRequests_AreLimitedPerClientAddress()
    {
        // A server of its own (same database): in a test server every client has the same (no) address, and the shared
        // server's other tests must keep their budget.
        await using var server = app.WithWebHostBuilder(b => b.UseSetting("Devices:UnsignedPerMinute", "3"));
        using var client = server.CreateClient();
        var device = await RegisterAsync(app, await _scenario.CertainPlaceAsync(), "water-level-sensor");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostAsync(new Uri("/api/device-webhook/alarms", UriKind.Relative), new StringContent("""{"type":"smoke"}"""), Ct);
            answers.Add(response.StatusCode);
        }

        using var refused = await client.PostAsync(new Uri("/api/device-webhook/heartbeats", UriKind.Relative), new StringContent("{}"), Ct);
        using var signed = await client.SendAsync(Signed("/api/device-webhook/heartbeats", device, "{}"), Ct);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a));
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        await ProblemAsync(refused, HttpStatusCode.TooManyRequests, "/problems/too-many-requests");
        Assert.Equal(HttpStatusCode.NoContent, signed.StatusCode);
    }

    [Fact]
    public async Task Heartbeat_UpdatesTheLastHeartbeat()
    {
        var device = await RegisterAsync(app, await _scenario.CertainPlaceAsync(), "water-level-sensor");
        using var client = app.CreateClient();
        Assert.Null((await DeviceAsync(device)).LastHeartbeatAt);

        var response = await client.SendAsync(Signed("/api/device-webhook/heartbeats", device, "{}"), Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var beat = (await DeviceAsync(device)).LastHeartbeatAt;
        Assert.NotNull(beat);
        Assert.True((DateTimeOffset.UtcNow - beat.Value).Duration() < TimeSpan.FromMinutes(1));
        await ProblemAsync(await client.SendAsync(Signed("/api/device-webhook/heartbeats", device, "{}", signature: "sha256=" + new string('0', 64)), Ct),
            HttpStatusCode.Unauthorized, "/problems/device-signature");
    }

    [Fact]
    public async Task Alarms_RecordTheHeartbeat_InTheBatchThatOpensTheCase_AndInTheRepeat()
    {
        var device = await RegisterAsync(app, await _scenario.CertainPlaceAsync());
        using var client = app.CreateClient();
        Assert.Null((await DeviceAsync(device)).LastHeartbeatAt);

        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Alarm(device, "smoke"), Ct)).StatusCode);
        var opened = (await DeviceAsync(device)).LastHeartbeatAt;
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Alarm(device, "smoke"), Ct)).StatusCode);
        var repeated = (await DeviceAsync(device)).LastHeartbeatAt;

        Assert.NotNull(opened);
        Assert.True((DateTimeOffset.UtcNow - opened.Value).Duration() < TimeSpan.FromMinutes(1));
        Assert.NotNull(repeated);
        Assert.True(repeated >= opened);
    }

    [Fact]
    public async Task SilenceCheck_RaisesExactlyOneDeviceOfflineCase_UntilTheNextHeartbeat()
    {
        var place = await _scenario.CertainPlaceAsync();
        var device = await RegisterAsync(app, place, "camera");
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Signed("/api/device-webhook/heartbeats", device, "{}"), Ct)).StatusCode);
        var later = DateTimeOffset.UtcNow.AddHours(2);

        await RunSilenceCheckAsync(later);
        await RunSilenceCheckAsync(later.AddMinutes(5));

        var offline = await app.WithDatabaseAsync(db => db.DeviceCases.Where(c => c.AlarmType == DeviceAlarmType.Offline)
            .Join(db.Devices.IgnoreQueryFilters().Where(d => d.Code == device.Code), c => c.DeviceId, d => d.Id, (c, _) => c.CaseNumber).ToListAsync(Ct));
        var number = Assert.Single(offline);
        var stored = await CaseAsync(number);
        Assert.Equal("C0103", stored.CategoryCode);
        Assert.Equal(place.GridCode, stored.GridCode);
        Assert.Single(stored.Timeline);

        // A heartbeat ends the silence; the device answers online again and its next silence is a new one.
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Signed("/api/device-webhook/heartbeats", device, "{}"), Ct)).StatusCode);
        Assert.Null((await DeviceAsync(device)).OfflineReportedAt);
    }

    [Fact]
    public async Task Registry_AnswersOnlyTheCallersScope_AndOnlyOperatorsRegister()
    {
        var place = await _scenario.CertainPlaceAsync();
        var device = await RegisterAsync(app, place);

        using var neighbour = await app.ClientForAsync("ops-east");
        Assert.Equal(HttpStatusCode.NotFound, (await neighbour.GetAsync($"/api/devices/{device.Code}", Ct)).StatusCode);
        var listed = await JsonAsync(await neighbour.GetAsync("/api/devices", Ct));
        Assert.DoesNotContain(listed.EnumerateArray(), d => d.GetProperty("code").GetString() == device.Code);
        var elsewhere = await neighbour.PostAsJsonAsync("/api/devices",
            new { code = "T-" + Guid.NewGuid().ToString("N")[..12], kind = "camera", name = "路口摄像头", model = "DS-2CD", owner = "城管", lon = place.Lon, lat = place.Lat }, Ct);
        await ProblemAsync(elsewhere, HttpStatusCode.Forbidden, "/problems/forbidden");

        using var leader = await app.ClientForAsync(place.LeaderUserName);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync("/api/devices", new { code = "X" }, Ct)).StatusCode);
        var duplicate = await (await app.ClientForAsync("ops")).PostAsJsonAsync("/api/devices",
            new { code = device.Code, kind = "camera", name = "路口摄像头", model = "DS-2CD", owner = "城管", lon = place.Lon, lat = place.Lat }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        // A new secret replaces the old one at once, though the device's old secret was in use (and so held in memory).
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Signed("/api/device-webhook/heartbeats", device, "{}"), Ct)).StatusCode);
        var renewed = await JsonAsync(await (await app.ClientForAsync("admin")).PostAsync(new Uri($"/api/devices/{device.Code}/secret", UriKind.Relative), null, Ct));
        var fresh = device with { Secret = renewed.GetProperty("secret").GetString()! };
        await ProblemAsync(await client.SendAsync(Signed("/api/device-webhook/heartbeats", device, "{}"), Ct), HttpStatusCode.Unauthorized, "/problems/device-signature");
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Signed("/api/device-webhook/heartbeats", fresh, "{}"), Ct)).StatusCode);
    }

    [Fact]
    public async Task SecretReplacedOnAnotherInstance_WorksHereAtOnce_AndTheOldOneStops()
    {
        var device = await RegisterAsync(app, await _scenario.CertainPlaceAsync());
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Signed("/api/device-webhook/heartbeats", device, "{}"), Ct)).StatusCode);

        // Another instance stores a new secret: this one still holds the old one.
        var secret = DeviceSignature.NewSecret();
        var protectedSecret = app.Services.GetRequiredService<DeviceMessages>().Protect(secret);
        await app.WithDatabaseAsync(db => db.Devices.IgnoreQueryFilters().Where(d => d.Code == device.Code)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.ProtectedSecret, protectedSecret), Ct));
        var fresh = device with { Secret = secret };

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Signed("/api/device-webhook/heartbeats", fresh, "{}"), Ct)).StatusCode);
        await ProblemAsync(await client.SendAsync(Signed("/api/device-webhook/heartbeats", device, "{}"), Ct), HttpStatusCode.Unauthorized,
            "/problems/device-signature");
    }

    [Fact]
    public async Task RetiredDevice_IsRefusedLikeAnUnknownOne_RaisesNoOfflineCase_AndStaysListedWithWhoWhenWhy()
    {
        var place = await _scenario.CertainPlaceAsync();
        var device = await RegisterAsync(app, place);
        using var ops = await app.ClientForAsync("ops");
        using var client = app.CreateClient();
        // In use before it is retired, so this instance holds it in memory.
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Signed("/api/device-webhook/heartbeats", device, "{}"), Ct)).StatusCode);

        await ProblemAsync(await ops.PostAsJsonAsync($"/api/devices/{device.Code}/retire", new { reason = "  " }, Ct), HttpStatusCode.BadRequest,
            "/problems/validation");
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync($"/api/devices/{device.Code}/retire", new { reason = "拆除" }, Ct)).StatusCode);
        using var neighbour = await app.ClientForAsync("ops-east");
        await ProblemAsync(await neighbour.PostAsJsonAsync($"/api/devices/{device.Code}/retire", new { reason = "拆除" }, Ct), HttpStatusCode.NotFound,
            "/problems/not-found");
        Assert.True((await DeviceAsync(device)).IsActive);

        var retired = await BodyAsync(await ops.PostAsJsonAsync($"/api/devices/{device.Code}/retire", new { reason = "楼道改造，烟感已拆除" }, Ct), HttpStatusCode.OK);

        Assert.False(retired.GetProperty("isActive").GetBoolean());
        Assert.False(retired.GetProperty("online").GetBoolean());
        Assert.Equal("楼道改造，烟感已拆除", retired.GetProperty("retiredReason").GetString());
        Assert.False(string.IsNullOrWhiteSpace(retired.GetProperty("retiredBy").GetString()));
        var stored = await DeviceAsync(device);
        var opsId = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.UserName == "ops").Select(u => u.Id).SingleAsync(Ct));
        Assert.Equal(opsId, stored.RetiredBy);
        Assert.True((DateTimeOffset.UtcNow - stored.RetiredAt!.Value).Duration() < TimeSpan.FromMinutes(1));

        // Its messages get the unknown device's 401; its silence opens nothing; it stays listed as retired; a second retirement and a new secret are refused.
        await ProblemAsync(await client.SendAsync(Alarm(device, "smoke"), Ct), HttpStatusCode.Unauthorized, "/problems/device-signature");
        await ProblemAsync(await client.SendAsync(Signed("/api/device-webhook/heartbeats", device, "{}"), Ct), HttpStatusCode.Unauthorized,
            "/problems/device-signature");
        await RunSilenceCheckAsync(DateTimeOffset.UtcNow.AddHours(2));
        Assert.Equal(0, await CasesOfAsync(device));
        var listed = (await JsonAsync(await leader.GetAsync("/api/devices", Ct))).EnumerateArray().Single(d => d.GetProperty("code").GetString() == device.Code);
        Assert.False(listed.GetProperty("isActive").GetBoolean());
        Assert.Equal("楼道改造，烟感已拆除", listed.GetProperty("retiredReason").GetString());
        await ProblemAsync(await ops.PostAsJsonAsync($"/api/devices/{device.Code}/retire", new { reason = "再次停用" }, Ct), HttpStatusCode.Conflict,
            "/problems/conflict");
        await ProblemAsync(await ops.PostAsync(new Uri($"/api/devices/{device.Code}/secret", UriKind.Relative), null, Ct), HttpStatusCode.Conflict,
            "/problems/conflict");
        Assert.Equal(stored.RetiredAt, (await DeviceAsync(device)).RetiredAt);
    }

    [Fact]
    public async Task AlarmType_RemappedByTheSystemAdmin_OpensItsNewCategory_AndOnlyAnActiveCategoryIsAccepted()
    {
        var code = "t-" + Guid.NewGuid().ToString("N")[..12];
        using var admin = await app.ClientForAsync("admin");
        using var ops = await app.ClientForAsync("ops");

        var listed = await JsonAsync(await ops.GetAsync("/api/devices/alarm-types", Ct));
        var offline = listed.EnumerateArray().Single(t => t.GetProperty("code").GetString() == DeviceAlarmType.Offline);
        Assert.Equal("C0103", offline.GetProperty("categoryCode").GetString());
        Assert.True(offline.GetProperty("categoryActive").GetBoolean());

        Assert.Equal(HttpStatusCode.Forbidden, (await ops.PutAsJsonAsync($"/api/devices/alarm-types/{code}", new { name = "高空抛物", categoryCode = "E0101" }, Ct)).StatusCode);
        await ProblemAsync(await admin.PutAsJsonAsync($"/api/devices/alarm-types/{code}", new { name = "高空抛物", categoryCode = "Z9999" }, Ct),
            HttpStatusCode.UnprocessableEntity, "/problems/alarm-type-category");
        await ProblemAsync(await admin.PutAsJsonAsync($"/api/devices/alarm-types/{code}", new { name = "", categoryCode = "E0101" }, Ct),
            HttpStatusCode.BadRequest, "/problems/validation");
        await ProblemAsync(await admin.PutAsJsonAsync("/api/devices/alarm-types/Not_Kebab", new { name = "x", categoryCode = "E0101" }, Ct),
            HttpStatusCode.BadRequest, "/problems/validation");
        await ProblemAsync(await admin.PutAsJsonAsync($"/api/devices/alarm-types/{DeviceAlarmType.Offline}", new { name = "设备离线", categoryCode = "" }, Ct),
            HttpStatusCode.BadRequest, "/problems/validation");
        Assert.DoesNotContain((await JsonAsync(await ops.GetAsync("/api/devices/alarm-types", Ct))).EnumerateArray(), t => t.GetProperty("code").GetString() == code);

        var created = await BodyAsync(await admin.PutAsJsonAsync($"/api/devices/alarm-types/{code}", new { name = "视频识别：高空抛物", categoryCode = "E0101" }, Ct),
            HttpStatusCode.OK);
        Assert.Equal("E0101", created.GetProperty("categoryCode").GetString());
        var device = await RegisterAsync(app, await _scenario.CertainPlaceAsync(), "camera");
        using var client = app.CreateClient();
        var first = await BodyAsync(await client.SendAsync(Alarm(device, code), Ct), HttpStatusCode.Created);
        Assert.Equal("E0101", first.GetProperty("categoryCode").GetString());

        var remapped = await BodyAsync(await admin.PutAsJsonAsync($"/api/devices/alarm-types/{code}", new { name = "视频识别：高空抛物", categoryCode = "E0503" }, Ct),
            HttpStatusCode.OK);
        Assert.Equal("E0503", remapped.GetProperty("categoryCode").GetString());
        Assert.NotNull(remapped.GetProperty("updatedAt").GetString());
        var adminId = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.UserName == "admin").Select(u => u.Id).SingleAsync(Ct));
        Assert.Equal(adminId, await app.WithDatabaseAsync(db => db.DeviceAlarmTypes.Where(t => t.Code == code).Select(t => t.UpdatedBy).SingleAsync(Ct)));
    }

    private async Task RunSilenceCheckAsync(DateTimeOffset now)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DeviceHeartbeatJob>().RunAsync(now, Ct);
    }

    private Task<Device> DeviceAsync(TestDevice device) =>
        app.WithDatabaseAsync(db => db.Devices.IgnoreQueryFilters().AsNoTracking().SingleAsync(d => d.Code == device.Code, Ct));

    private Task<Case> CaseAsync(string number) =>
        app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == number, Ct));

    /// <summary>An alarm raised by <paramref name="instance"/> in a scope of its own, as the webhook does after the signature.</summary>
    private async Task<DeviceMessageResult> RaiseOnItsOwnAsync(DeviceMessages instance, TestDevice device, string text)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGrid.Server.Infrastructure.Persistence.CivicGridDbContext>();
        var registered = await db.Devices.IgnoreQueryFilters().SingleAsync(d => d.Code == device.Code, Ct);
        return await instance.RaiseAsync(db, DeviceCard.Of(registered), "smoke", text, CivicGrid.Server.Features.Cases.Intake.IntakeDoor.Webhook, Ct);
    }

    private Task<int> CasesOfAsync(TestDevice device) =>
        app.WithDatabaseAsync(db => db.DeviceCases.CountAsync(c => c.DeviceId == db.Set<Device>().IgnoreQueryFilters().Single(d => d.Code == device.Code).Id, Ct));

}

public sealed class DeviceTestsOnSqlite(SqliteApp app) : DeviceTests(app), IClassFixture<SqliteApp>;

public sealed class DeviceTestsOnPostgres(PostgresApp app) : DeviceTests(app), IClassFixture<PostgresApp>;
