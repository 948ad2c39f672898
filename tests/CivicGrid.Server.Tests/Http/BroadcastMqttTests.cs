using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CivicGrid.Server.Features.Devices;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;
using static CivicGrid.Server.Tests.Infrastructure.HttpAnswers;
using static CivicGrid.Server.Tests.Infrastructure.TestDevices;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// A broadcast through a real Mosquitto broker to simulated speakers: MQTTnet clients that subscribe to their command
/// topic, verify the command's signature with their own secret (the documented scheme, written out in
/// <see cref="TestDevices.Sign"/>), and publish a signed acknowledgement — or, for the second speaker, never answer.
/// The server's <c>Broadcast:AckTimeout</c> is 1 s and <c>MaxAttempts</c> 2 here (<see cref="MqttApp"/>).
/// </summary>
public sealed class BroadcastMqttTests(MqttApp app) : IClassFixture<MqttApp>
{
    private readonly CaseScenario _scenario = new(app);

    [Fact]
    public async Task Broadcast_ReachesASimulatedSpeakerThatAcknowledges_AndASilentOneFailsAfterItsRetries()
    {
        var place = await _scenario.CertainPlaceAsync();
        var answering = await RegisterAsync(app, place, "speaker");
        var silent = await RegisterAsync(app, place, "speaker");
        await app.Services.GetRequiredService<DeviceMqttListener>().Subscribed.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await using var speaker = await SimulatedSpeaker.StartAsync(app.Broker, answering, acknowledge: true);
        await using var mute = await SimulatedSpeaker.StartAsync(app.Broker, silent, acknowledge: false);

        using var ops = await app.ClientForAsync("ops");
        var sent = await BodyAsync(await ops.PostAsJsonAsync("/api/broadcasts",
            new { text = "山洪预警：请沿河居民立即转移到高处。", gridCodes = new[] { place.ThirdCode }, repeat = 3, urgent = true }, Ct), HttpStatusCode.Created);
        var id = sent.GetProperty("summary").GetProperty("id").GetGuid();

        var log = await WaitForAsync(ops, id, deliveries => State(deliveries, answering.Code) == "acknowledged" && State(deliveries, silent.Code) == "failed");
        var acknowledged = log.Single(d => d.GetProperty("code").GetString() == answering.Code);
        Assert.Equal(1, acknowledged.GetProperty("attempts").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, acknowledged.GetProperty("acknowledgedAt").ValueKind);
        var failed = log.Single(d => d.GetProperty("code").GetString() == silent.Code);
        Assert.Equal(2, failed.GetProperty("attempts").GetInt32());
        Assert.Contains("未确认", failed.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(JsonValueKind.Null, failed.GetProperty("sentAt").ValueKind);

        // The speaker got one verified command with the text and the repeat count; the silent one got it twice (the retry).
        var command = Assert.Single(speaker.Commands);
        Assert.Equal("山洪预警：请沿河居民立即转移到高处。", command.GetProperty("text").GetString());
        Assert.Equal(3, command.GetProperty("repeat").GetInt32());
        Assert.Equal("urgent", command.GetProperty("priority").GetString());
        Assert.Equal(acknowledged.GetProperty("id").GetGuid(), command.GetProperty("command").GetGuid());
        Assert.Equal(2, mute.Commands.Count);
        Assert.Equal(0, speaker.BadSignatures + mute.BadSignatures);
    }

    private static string? State(IReadOnlyList<JsonElement> deliveries, string code) =>
        deliveries.SingleOrDefault(d => d.GetProperty("code").GetString() == code).GetProperty("state").GetString();

    private static async Task<IReadOnlyList<JsonElement>> WaitForAsync(HttpClient client, Guid id, Func<IReadOnlyList<JsonElement>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var deliveries = (await BodyAsync(await client.GetAsync($"/api/broadcasts/{id}", Ct), HttpStatusCode.OK)).GetProperty("deliveries").EnumerateArray().ToList();
            if (done(deliveries))
            {
                return deliveries;
            }

            Assert.True(DateTime.UtcNow < deadline, "The deliveries did not settle within 30 s: " + string.Join(", ", deliveries.Select(d => d.ToString())));
            await Task.Delay(200, Ct);
        }
    }

    /// <summary>A speaker on the broker: verifies each command it receives and, if told to, acknowledges it signed.</summary>
    private sealed class SimulatedSpeaker : IAsyncDisposable
    {
        private readonly IMqttClient _client;
        private readonly ConcurrentQueue<JsonElement> _commands = new();
        private int _badSignatures;

        private SimulatedSpeaker(IMqttClient client) => _client = client;

        public IReadOnlyList<JsonElement> Commands => [.. _commands];

        public int BadSignatures => _badSignatures;

        public static async Task<SimulatedSpeaker> StartAsync(MosquittoServer broker, TestDevice device, bool acknowledge)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            var speaker = new SimulatedSpeaker(client);
            client.ApplicationMessageReceivedAsync += e =>
            {
                var envelope = JsonDocument.Parse(e.ApplicationMessage.ConvertPayloadToString()).RootElement;
                var timestamp = envelope.GetProperty("timestamp").GetInt64();
                var nonce = envelope.GetProperty("nonce").GetString()!;
                var body = envelope.GetProperty("body").GetString()!;
                if (envelope.GetProperty("signature").GetString() != Sign(device.Secret, timestamp, nonce, body)
                    || Math.Abs(Now() - timestamp) > 300)
                {
                    Interlocked.Increment(ref speaker._badSignatures);
                    return Task.CompletedTask;
                }

                var command = JsonDocument.Parse(body).RootElement;
                speaker._commands.Enqueue(command);
                if (acknowledge)
                {
                    var ack = JsonSerializer.Serialize(new { command = command.GetProperty("command").GetGuid() });
                    var at = Now();
                    var once = NewNonce();
                    var payload = JsonSerializer.Serialize(new { timestamp = at, nonce = once, signature = Sign(device.Secret, at, once, ack), body = ack });
                    // Published off the receive loop: a QoS 1 publish waits for the broker's answer, which that loop reads.
                    _ = Task.Run(() => client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"civicgrid/devices/{device.Code}/ack")
                        .WithPayload(Encoding.UTF8.GetBytes(payload)).WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build()));
                }

                return Task.CompletedTask;
            };
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(broker.Host, broker.Port).WithClientId("speaker-" + device.Code).Build(), Ct);
            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter($"civicgrid/devices/{device.Code}/command", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
            return speaker;
        }

        public async ValueTask DisposeAsync()
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
            }

            _client.Dispose();
        }
    }
}
