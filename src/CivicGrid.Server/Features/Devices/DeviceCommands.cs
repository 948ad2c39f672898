using System.Text;
using System.Text.Json;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Devices;

/// <summary>
/// Takes a device's verified acknowledgement of a command (<c>{prefix}/{code}/ack</c>); implemented by the feature that
/// sent the command (emergency broadcast). Runs inside the transaction that stores the acknowledgement's nonce.
/// </summary>
public interface IDeviceCommandAcks
{
    /// <summary>Records the acknowledgement in <paramref name="db"/>; false when this device was sent no command with this id.</summary>
    Task<bool> AcknowledgeAsync(CivicGridDbContext db, Guid deviceId, Guid commandId, DateTimeOffset at, CancellationToken ct);
}

/// <summary>The body of a device's acknowledgement: the id of the command it carried out.</summary>
public sealed record DeviceAckBody(Guid? Command);

/// <summary>A command could not be handed to the broker.</summary>
/// <param name="chineseMessage">Why, for the operator (stored with the delivery).</param>
/// <param name="permanent">True when trying again cannot help (no broker configured, device retired).</param>
public sealed class DeviceCommandException(string chineseMessage, bool permanent) : Exception(chineseMessage)
{
    /// <summary>True when trying again cannot help (no broker configured, device retired).</summary>
    public bool Permanent { get; } = permanent;
}

/// <summary>
/// Sends commands to devices over MQTT: the body signed with the device's own secret in the envelope devices use
/// (<see cref="DeviceMqttEnvelope"/>: Unix-seconds timestamp, a fresh nonce, <see cref="DeviceSignature"/> over
/// <c>timestamp\nnonce\nbody</c>), published with QoS 1 to <c>{TopicPrefix}/{code}/command</c>. The device verifies it
/// with the same secret and answers on <c>…/ack</c> (<see cref="IDeviceCommandAcks"/>). See docs/adr/0032-emergency-broadcast.md.
/// </summary>
public sealed class DeviceCommands(DeviceDirectory directory, DeviceMessages messages, DeviceMqttListener listener, IOptions<DeviceOptions> options,
    TimeProvider time)
{
    /// <summary>The reason given when no broker is configured: a command would wait forever.</summary>
    public const string NoBroker = "未配置 MQTT 代理（Devices:Mqtt:Host），无法向音柱下发指令。";

    /// <summary>The topic a device receives its commands on.</summary>
    public string CommandTopic(string deviceCode) => $"{options.Value.Mqtt.TopicPrefix}/{deviceCode}/command";

    /// <summary>Signs <paramref name="body"/> for the device and publishes it.</summary>
    /// <exception cref="DeviceCommandException">No broker is configured or connected, the device is not active, or the broker refused the message.</exception>
    public async Task SendAsync(string deviceCode, string body, CancellationToken ct)
    {
        if (!options.Value.Mqtt.Enabled)
        {
            throw new DeviceCommandException(NoBroker, permanent: true);
        }

        var device = await directory.FindActiveAsync(deviceCode, ct) ?? throw new DeviceCommandException($"设备 {deviceCode} 未登记或已停用。", permanent: true);
        await listener.PublishAsync(CommandTopic(deviceCode), Seal(messages.SecretOf(device), body, time.GetUtcNow()), ct);
    }

    /// <summary>The signed envelope of a command body, as published.</summary>
    public static byte[] Seal(string secret, string body, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(body);
        var timestamp = at.ToUnixTimeSeconds();
        var nonce = Guid.NewGuid().ToString("N");
        var signature = DeviceSignature.Compute(secret, timestamp, nonce, Encoding.UTF8.GetBytes(body));
        return JsonSerializer.SerializeToUtf8Bytes(new DeviceMqttEnvelope(timestamp, nonce, signature, body), JsonSerializerOptions.Web);
    }
}
