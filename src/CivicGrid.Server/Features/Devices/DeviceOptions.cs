using System.ComponentModel.DataAnnotations;
using CivicGrid.Server.Infrastructure.Jobs;

namespace CivicGrid.Server.Features.Devices;

/// <summary>The <c>Devices</c> section: how signed device messages are accepted, and the MQTT broker to listen on.</summary>
public sealed class DeviceOptions : IValidatableObject
{
    public const string Section = "Devices";

    /// <summary>How far a message's timestamp may lie from the server's clock, either way; nonces are kept this long.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan SignatureWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest message body accepted, in bytes.</summary>
    [Range(256, 1_048_576)]
    public int MaxBodyBytes { get; set; } = 16_384;

    /// <summary>
    /// Messages one device may send per minute (a fixed window), over HTTP and MQTT each; beyond it HTTP answers 429 with
    /// Retry-After and MQTT drops the message with a warning.
    /// </summary>
    [Range(1, 100_000)]
    public int MessagesPerMinute { get; set; } = 60;

    /// <summary>Webhook requests per minute per client address that do not name a device and carry a signature.</summary>
    [Range(1, 100_000)]
    public int UnsignedPerMinute { get; set; } = 30;

    /// <summary>
    /// How often a device's repeated alarms on one open case notify its assignee: the first repeat does, then at most one
    /// per this interval (the timeline records every repeat either way).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan RepeatAlarmNotifyInterval { get; set; } = TimeSpan.FromHours(1);

    public DeviceMqttOptions Mqtt { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(Mqtt, new ValidationContext(Mqtt), results, validateAllProperties: true);
        if (!Mqtt.UseTls && (Mqtt.CaCertificatePath ?? Mqtt.ClientCertificatePath ?? Mqtt.ClientKeyPath) is not null)
        {
            results.Add(new ValidationResult("certificate paths are set but UseTls is false; set UseTls=true or remove them.", ["UseTls"]));
        }

        if (string.IsNullOrEmpty(Mqtt.ClientCertificatePath) != string.IsNullOrEmpty(Mqtt.ClientKeyPath))
        {
            results.Add(new ValidationResult("ClientCertificatePath and ClientKeyPath go together.", ["ClientCertificatePath"]));
        }

        return results.Select(r => new ValidationResult($"Devices:Mqtt: {r.ErrorMessage}", [.. r.MemberNames.Select(m => $"Mqtt.{m}")]));
    }
}

/// <summary>
/// <c>Devices:Mqtt</c>: the broker devices publish to. Off while <see cref="Host"/> is empty, so a server without a
/// broker starts as usual.
/// </summary>
public sealed class DeviceMqttOptions
{
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>Topics are <c>{TopicPrefix}/{device code}/alarm</c> and <c>…/heartbeat</c>.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_\\-/]+$")]
    public string TopicPrefix { get; set; } = "civicgrid/devices";

    /// <summary>How long to wait before connecting again after the broker went away.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Connect over TLS (usually port 8883): the broker's certificate is checked against <see cref="CaCertificatePath"/>
    /// when set, else the system's roots. Device messages are signed either way, but TLS keeps the broker's password and
    /// the alarms themselves off the wire.
    /// </summary>
    public bool UseTls { get; set; }

    /// <summary>A PEM file of the CA that signed the broker's certificate, relative to the data directory (or absolute); TLS only.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>A PEM client certificate for brokers that want one (mutual TLS), relative to the data directory; with <see cref="ClientKeyPath"/>.</summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="ClientCertificatePath"/>, relative to the data directory.</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>
    /// Messages handled at once. Each is acknowledged (QoS 1) once handled, in the order received; the broker is asked to
    /// send no more unacknowledged ones than this (MQTT 5 Receive Maximum). One at a time made the rate the inverse of one
    /// alarm's service time, which is mostly waiting for the intake writer's shared commit.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrentMessages { get; set; } = 128;

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}

/// <summary><c>Jobs:DeviceHeartbeats</c>: raises a device-offline case after a silence, and prunes expired nonces.</summary>
public sealed class DeviceHeartbeatOptions : ScheduledJobOptions
{
    public const string Section = "DeviceHeartbeats";

    /// <summary>How long a device may stay silent (no heartbeat, no alarm) before it counts as offline.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Silence { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Devices reported offline per run at most; the rest wait for the next run.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    public DeviceHeartbeatOptions() => Interval = TimeSpan.FromMinutes(1);
}
