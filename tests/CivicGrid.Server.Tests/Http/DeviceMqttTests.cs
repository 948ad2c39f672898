using System.Text;
using System.Text.Json;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Devices;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MQTTnet;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;
using static CivicGrid.Server.Tests.Infrastructure.TestDevices;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The server on a copy of the SQLite demo (<see cref="SqliteTemplate"/>) listening to a real Mosquitto broker that this
/// fixture starts on a free port and stops.
/// </summary>
public sealed class MqttApp(SqliteTemplate template) : CivicGridApp
{
    public MosquittoServer Broker { get; } = new();

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override string? ConnectionString => null;

    protected override Task PrepareDatabaseAsync()
    {
        template.CopyTo(DataDirectory);
        return Task.CompletedTask;
    }

    public override async ValueTask InitializeAsync()
    {
        await Broker.InitializeAsync();
        await base.InitializeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Devices:Mqtt:Host", Broker.Host);
        builder.UseSetting("Devices:Mqtt:Port", Broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Devices:Mqtt:ReconnectDelay", "00:00:01");
        builder.UseSetting("Devices:MessagesPerMinute", DeviceMqttTests.MessagesPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Broadcast commands to speakers that never answer give up within seconds (BroadcastMqttTests).
        builder.UseSetting("Broadcast:AckTimeout", "00:00:01");
        builder.UseSetting("Broadcast:MaxAttempts", "2");
        builder.UseSetting("Broadcast:PollInterval", "00:00:00.200");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Broker.DisposeAsync();
    }
}

/// <summary>Alarms and heartbeats published to a real MQTT broker reach the same pipeline as the webhook.</summary>
public sealed class DeviceMqttTests(MqttApp app) : IClassFixture<MqttApp>
{
    /// <summary>The MQTT server's <c>Devices:MessagesPerMinute</c>: above what the first test's device sends.</summary>
    public const int MessagesPerMinute = 8;

    private readonly CaseScenario _scenario = new(app);

    [Fact]
    public async Task AlarmPublishedOnMqtt_OpensOneCase_ARepeatAddsToIt_AndAForgeryIsIgnored()
    {
        var place = await _scenario.CertainPlaceAsync();
        var device = await RegisterAsync(app, place);
        await app.Services.GetRequiredService<DeviceMqttListener>().Subscribed.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        using var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(app.Broker.Host, app.Broker.Port).WithClientId("test-" + device.Code).Build(), Ct);

        await PublishAsync(publisher, $"civicgrid/devices/{device.Code}/alarm", Envelope(device, """{"type":"smoke","message":"烟雾浓度超标"}"""));
        var number = await WaitForAsync(async () => await app.WithDatabaseAsync(db => db.DeviceCases
            .Where(c => c.DeviceId == db.Set<Device>().IgnoreQueryFilters().Single(d => d.Code == device.Code).Id).Select(c => c.CaseNumber).FirstOrDefaultAsync(Ct)));
        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == number, Ct));
        Assert.Equal(CaseChannel.Sensor, stored.Channel);
        Assert.Equal("E0403", stored.CategoryCode);
        Assert.Equal(place.GridCode, stored.GridCode);

        // A forged message and a replay are ignored; a genuine repeat adds to the open case.
        await PublishAsync(publisher, $"civicgrid/devices/{device.Code}/alarm",
            Envelope(device with { Secret = "forged" }, """{"type":"smoke"}"""));
        var first = Envelope(device, """{"type":"smoke","message":"再次报警"}""");
        await PublishAsync(publisher, $"civicgrid/devices/{device.Code}/alarm", first);
        await PublishAsync(publisher, $"civicgrid/devices/{device.Code}/alarm", first);
        await PublishAsync(publisher, $"civicgrid/devices/{device.Code}/heartbeat", Envelope(device, "{}"));
        await WaitForAsync(async () => (await app.WithDatabaseAsync(db => db.Devices.IgnoreQueryFilters().AsNoTracking()
            .SingleAsync(d => d.Code == device.Code, Ct))).LastHeartbeatAt is { } beat && beat > stored.ReportedAt.AddMilliseconds(1) ? "beat" : null);
        await Task.Delay(500, Ct);

        var after = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == number, Ct));
        Assert.Equal(["report", "repeat-alarm"], after.Timeline.Select(e => e.Action));
        Assert.Equal(1, await app.WithDatabaseAsync(db => db.DeviceCases.CountAsync(c => c.DeviceId == db.Set<Device>().IgnoreQueryFilters().Single(d => d.Code == device.Code).Id, Ct)));
    }

    [Fact]
    public async Task MessagesOverADevicesLimit_AreDropped_CountedAndLogged_AndOtherDevicesGoOn()
    {
        var place = await _scenario.CertainPlaceAsync();
        var busy = await RegisterAsync(app, place, "water-level-sensor");
        var quiet = await RegisterAsync(app, place, "water-level-sensor");
        var listener = app.Services.GetRequiredService<DeviceMqttListener>();
        await listener.Subscribed.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var droppedBefore = listener.Dropped;
        using var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(app.Broker.Host, app.Broker.Port).WithClientId("test-" + busy.Code).Build(), Ct);

        for (var i = 0; i < MessagesPerMinute + 3; i++)
        {
            await PublishAsync(publisher, $"civicgrid/devices/{busy.Code}/heartbeat", Envelope(busy, "{}"));
        }

        await PublishAsync(publisher, $"civicgrid/devices/{quiet.Code}/heartbeat", Envelope(quiet, "{}"));
        await WaitForAsync(async () => listener.Dropped - droppedBefore >= 3
            && (await app.WithDatabaseAsync(db => db.Devices.IgnoreQueryFilters().AsNoTracking().SingleAsync(d => d.Code == quiet.Code, Ct))).LastHeartbeatAt is not null
            ? "done" : null);
        await Task.Delay(300, Ct);

        Assert.Equal(3, listener.Dropped - droppedBefore);
        Assert.NotNull((await app.WithDatabaseAsync(db => db.Devices.IgnoreQueryFilters().AsNoTracking().SingleAsync(d => d.Code == busy.Code, Ct))).LastHeartbeatAt);
    }

    private static string Envelope(TestDevice device, string body)
    {
        var timestamp = Now();
        var nonce = NewNonce();
        return JsonSerializer.Serialize(new { timestamp, nonce, signature = Sign(device.Secret, timestamp, nonce, body), body });
    }

    private static async Task PublishAsync(IMqttClient client, string topic, string payload) =>
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);

    private static async Task<string> WaitForAsync(Func<Task<string?>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException("The MQTT message did not arrive within 30 seconds.");
    }
}
