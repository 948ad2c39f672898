using System.Text;
using System.Text.Json;
using CivicGrid.Server.Features.Broadcast;
using CivicGrid.Server.Features.Devices;
using CivicGrid.Server.Tests.Infrastructure;

namespace CivicGrid.Server.Tests.Unit;

/// <summary>The signed command envelope a speaker receives, checked against the documented scheme; and who a broadcast reaches.</summary>
public class BroadcastCommandTests
{
    private const string Secret = "speaker-secret-0123456789abcdef0123456789abc";
    private static readonly DateTimeOffset At = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Seal_SignsTimestampNonceAndBody_TheWayTheDeviceChecksIt()
    {
        const string body = """{"command":"0193a1b2-0000-7000-8000-000000000001","text":"请远离河道"}""";

        var envelope = JsonSerializer.Deserialize<DeviceMqttEnvelope>(DeviceCommands.Seal(Secret, body, At), JsonSerializerOptions.Web)!;

        Assert.Equal(At.ToUnixTimeSeconds(), envelope.Timestamp);
        Assert.Equal(body, envelope.Body);
        Assert.False(string.IsNullOrEmpty(envelope.Nonce));
        Assert.Equal(TestDevices.Sign(Secret, envelope.Timestamp!.Value, envelope.Nonce!, body), envelope.Signature);
        Assert.True(DeviceSignature.Matches(Secret, envelope.Timestamp.Value, envelope.Nonce!, Encoding.UTF8.GetBytes(body), envelope.Signature));
    }

    [Fact]
    public void Seal_IsRefusedByTheDevice_WhenTamperedOrSignedWithAnotherSecret()
    {
        var envelope = JsonSerializer.Deserialize<DeviceMqttEnvelope>(DeviceCommands.Seal(Secret, """{"text":"撤离"}""", At), JsonSerializerOptions.Web)!;

        Assert.False(DeviceSignature.Matches(Secret, envelope.Timestamp!.Value, envelope.Nonce!, Encoding.UTF8.GetBytes("""{"text":"返回"}"""), envelope.Signature));
        Assert.False(DeviceSignature.Matches(Secret, envelope.Timestamp.Value + 1, envelope.Nonce!, Encoding.UTF8.GetBytes(envelope.Body!), envelope.Signature));
        Assert.False(DeviceSignature.Matches("another-secret", envelope.Timestamp.Value, envelope.Nonce!, Encoding.UTF8.GetBytes(envelope.Body!), envelope.Signature));
    }

    [Fact]
    public void Seal_UsesAFreshNonceEachTime_SoARetryIsNotAReplay()
    {
        var first = JsonSerializer.Deserialize<DeviceMqttEnvelope>(DeviceCommands.Seal(Secret, "{}", At), JsonSerializerOptions.Web)!;
        var second = JsonSerializer.Deserialize<DeviceMqttEnvelope>(DeviceCommands.Seal(Secret, "{}", At), JsonSerializerOptions.Web)!;

        Assert.NotEqual(first.Nonce, second.Nonce);
    }

    private static SpeakerTarget Speaker(string code) => new(Guid.NewGuid(), code, "广场音柱", "610103099001001001", 108.95, 34.25);

    [Fact]
    public void Judge_WhenOnlyRetiredSpeakersAndNoWorkers_RefusesAsRetired()
    {
        var (audience, refusal) = BroadcastTargets.Judge(new BroadcastAudience(["6101030990010010"], [], [Speaker("SPK-1")], []));

        Assert.Null(audience);
        Assert.Equal("/problems/broadcast-retired-speakers", refusal!.Type);
        Assert.Contains("停用", refusal.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_WhenNobodyIsThere_RefusesAsNoRecipients()
    {
        var (_, refusal) = BroadcastTargets.Judge(new BroadcastAudience(["6101030990010010"], [], [], []));

        Assert.Equal("/problems/broadcast-no-recipients", refusal!.Type);
    }

    [Fact]
    public void Judge_WhenAWorkerIsThere_SendsEvenIfEverySpeakerIsRetired()
    {
        var (audience, refusal) = BroadcastTargets.Judge(new BroadcastAudience(["6101030990010010"], [], [Speaker("SPK-1")],
            [new WorkerTarget(Guid.NewGuid(), "worker01", "张三", "6101030990010010")]));

        Assert.Null(refusal);
        Assert.Single(audience!.Workers);
    }

    [Fact]
    public void AreaOf_RefusesSelfCrossingAndTooFewCorners_AndClosesTheRing()
    {
        Assert.Null(BroadcastTargets.AreaOf([[108.95, 34.25], [108.96, 34.25]]));
        Assert.Null(BroadcastTargets.AreaOf([[108.95, 34.25], [108.96, 34.26], [108.96, 34.25], [108.95, 34.26]]));
        Assert.Null(BroadcastTargets.AreaOf([[200, 34.25], [108.96, 34.25], [108.96, 34.26]]));
        var area = BroadcastTargets.AreaOf([[108.95, 34.25], [108.96, 34.25], [108.96, 34.26]]);
        Assert.NotNull(area);
        Assert.Equal(4, area.NumPoints);
    }
}
