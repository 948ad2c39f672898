using System.Buffers;
using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using System.Text.Json;
using Microsoft.Extensions.Options;
using System.Security.Cryptography.X509Certificates;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Infrastructure;
using MQTTnet;

namespace CivicGrid.Server.Features.Devices;

/// <summary>
/// The envelope a device publishes on MQTT (3.1.1 has no headers): the signature fields of the webhook's headers, and
/// the body as the exact string that was signed.
/// </summary>
/// <param name="Timestamp">Unix seconds.</param>
/// <param name="Body">The alarm JSON (or anything, for a heartbeat) as signed, e.g. <c>{"type":"smoke"}</c>.</param>
public sealed record DeviceMqttEnvelope(long? Timestamp, string? Nonce, string? Signature, string? Body);

/// <summary>Where the MQTT listener stands, for the health check (<c>/health/ready</c>, check <c>device-mqtt</c>).</summary>
/// <param name="Enabled">A broker is configured (<c>Devices:Mqtt:Host</c>).</param>
/// <param name="Connected">Connected and subscribed now.</param>
/// <param name="Problem">Why the last attempt to connect failed, in words an operator can act on; null while connected.</param>
public sealed record DeviceMqttStatus(bool Enabled, bool Connected, string? Problem);

/// <summary>
/// Subscribes to <c>{prefix}/+/alarm</c>, <c>{prefix}/+/heartbeat</c> and <c>{prefix}/+/ack</c> (acknowledgements of commands) on
/// the configured broker and hands every message to <see cref="DeviceMessages"/>, the device code taken from the topic; its
/// connection also carries the commands <see cref="DeviceCommands"/> publishes. Off when <c>Devices:Mqtt:Host</c> is empty;
/// reconnects after the broker goes away. Refusals are logged (MQTT has no answer to send).
/// </summary>
public sealed class DeviceMqttListener(DeviceMessages messages, IOptions<DeviceOptions> options, IMeterFactory meters, DataDirectory dataDirectory,
    ILogger<DeviceMqttListener> logger) : BackgroundService
{
    /// <summary>The meter of device messages; <c>civicgrid.devices.mqtt.dropped</c> counts messages over a device's rate limit.</summary>
    public const string MeterName = "CivicGrid.Devices";

    /// <summary>Set once the first subscription is in place; tests wait for it before they publish.</summary>
    public Task Subscribed => _subscribed.Task;

    /// <summary>MQTT messages dropped on this instance because their device was over <c>Devices:MessagesPerMinute</c>.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Connected now, or why not.</summary>
    public DeviceMqttStatus Status => _status ?? new(options.Value.Mqtt.Enabled, false, null);

    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private volatile DeviceMqttStatus? _status;

    private volatile IMqttClient? _client;

    /// <summary>Publishes a message (QoS 1) on this instance's connection to the broker.</summary>
    /// <exception cref="DeviceCommandException">No broker is configured, the broker is not connected now, or it refused the message.</exception>
    public async Task PublishAsync(string topic, byte[] payload, CancellationToken ct)
    {
        if (!options.Value.Mqtt.Enabled)
        {
            throw new DeviceCommandException(DeviceCommands.NoBroker, permanent: true);
        }

        if (_client is not { IsConnected: true } client)
        {
            throw new DeviceCommandException($"MQTT 代理未连接（{Status.Problem ?? "正在连接"}），稍后重试。", permanent: false);
        }

        MqttClientPublishResult result;
        try
        {
            result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            throw new DeviceCommandException($"向 MQTT 代理发布失败：{e.Message}", permanent: false);
        }

        if (!result.IsSuccess)
        {
            throw new DeviceCommandException($"MQTT 代理拒收指令：{result.ReasonCode} {result.ReasonString}", permanent: false);
        }
    }

    private readonly Counter<long> _droppedCounter = meters.Create(MeterName).CreateCounter<long>("civicgrid.devices.mqtt.dropped", "{message}",
        "MQTT device messages dropped because the device exceeded its rate limit");

    // The same budget per device as the webhook's (Devices:MessagesPerMinute), counted before the signature is checked.
    private readonly PartitionedRateLimiter<string> _perDevice = PartitionedRateLimiter.Create<string, string>(device =>
        RateLimitPartition.GetFixedWindowLimiter(device, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.MessagesPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
        }));

    private long _dropped;

    /// <summary>
    /// The client's options from <c>Devices:Mqtt</c>: the broker, the credentials and, with <see cref="DeviceMqttOptions.UseTls"/>,
    /// TLS with the broker checked against the configured CA (else the system's roots) and the client certificate if any,
    /// their files read from the data directory.
    /// </summary>
    /// <exception cref="FileNotFoundException">A configured certificate or key file does not exist.</exception>
    public static MqttClientOptions ClientOptions(DeviceMqttOptions settings, DataDirectory dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(dataDirectory);
        var builder = new MqttClientOptionsBuilder().WithTcpServer(settings.Host, settings.Port)
            .WithClientId($"civicgrid-{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}").WithCleanSession()
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithReceiveMaximum((ushort)settings.MaxConcurrentMessages);
        if (!string.IsNullOrEmpty(settings.UserName))
        {
            builder = builder.WithCredentials(settings.UserName, settings.Password);
        }

        if (settings.UseTls)
        {
            string In(string path) => Path.IsPathRooted(path) ? path : dataDirectory.Combine(path);
            var ca = string.IsNullOrEmpty(settings.CaCertificatePath) ? null : X509CertificateLoader.LoadCertificateFromFile(In(settings.CaCertificatePath));
            var client = string.IsNullOrEmpty(settings.ClientCertificatePath) || string.IsNullOrEmpty(settings.ClientKeyPath) ? null
                : X509Certificate2.CreateFromPemFile(In(settings.ClientCertificatePath), In(settings.ClientKeyPath));
            builder = builder.WithTlsOptions(tls =>
            {
                tls.UseTls().WithSslProtocols(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13);
                if (ca is not null)
                {
                    tls.WithTrustChain([ca]);
                }

                if (client is not null)
                {
                    tls.WithClientCertificates([client]);
                }
            });
        }

        return builder.Build();
    }

    public override void Dispose()
    {
        _perDevice.Dispose();
        _slots.Dispose();
        base.Dispose();
    }

    private readonly SemaphoreSlim _slots = new(options.Value.Mqtt.MaxConcurrentMessages);
    private Task _lastAcknowledged = Task.CompletedTask;

    /// <summary>
    /// Starts handling a message and returns, so the client reads the next one while it runs (at most
    /// <see cref="DeviceMqttOptions.MaxConcurrentMessages"/> at once). Each message is acknowledged only once handled, and in
    /// the order received, as MQTT asks of QoS 1: a message in hand when the server dies was not acknowledged, and the broker
    /// sends it again (its nonce then tells a repeat of an alarm already stored).
    /// </summary>
    private async Task DispatchAsync(MqttApplicationMessageReceivedEventArgs e, CancellationToken ct)
    {
        e.AutoAcknowledge = false;
        await _slots.WaitAsync(ct);
        var topic = e.ApplicationMessage.Topic;
        var payload = e.ApplicationMessage.Payload.ToArray();
        var handled = Task.Run(async () =>
        {
            try
            {
                await ReceiveAsync(topic, payload, ct);
            }
            finally
            {
                _slots.Release();
            }
        }, CancellationToken.None);
        // The client raises its events one after another, so the chain is only ever extended from one place at a time.
        _lastAcknowledged = AcknowledgeInOrderAsync(_lastAcknowledged, handled, e, ct);
    }

    private async Task AcknowledgeInOrderAsync(Task previous, Task handled, MqttApplicationMessageReceivedEventArgs e, CancellationToken ct)
    {
        await previous;
        try
        {
            await handled;
            await e.AcknowledgeAsync(ct);
        }
        catch (Exception ex)
        {
            // Never faults the chain: the next message's acknowledgement waits for this one, not for its success.
            logger.LogWarning(ex, "MQTT message on {Topic} was not acknowledged; the broker sends it again", e.ApplicationMessage.Topic);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Mqtt;
        if (!settings.Enabled)
        {
            return;
        }

        using var client = new MqttClientFactory().CreateMqttClient();
        _client = client;
        client.ApplicationMessageReceivedAsync += e => DispatchAsync(e, stoppingToken);
        var clientOptions = ClientOptions(settings, dataDirectory);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!client.IsConnected)
                {
                    await client.ConnectAsync(clientOptions, stoppingToken);
                    await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                        .WithTopicFilter($"{settings.TopicPrefix}/+/alarm", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce)
                        .WithTopicFilter($"{settings.TopicPrefix}/+/heartbeat", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce)
                        .WithTopicFilter($"{settings.TopicPrefix}/+/ack", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build(), stoppingToken);
                    logger.LogInformation("Listening for device messages on {Scheme}://{Host}:{Port}/{Prefix}/+/…", settings.UseTls ? "mqtts" : "mqtt",
                        settings.Host, settings.Port, settings.TopicPrefix);
                    _status = new(true, true, null);
                    _subscribed.TrySetResult();
                }

                await Task.Delay(settings.ReconnectDelay, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                var problem = DescribeFailure(e, settings);
                _status = new(true, false, problem);
                logger.LogWarning(e, "MQTT broker {Host}:{Port}: {Problem}; trying again in {Delay}", settings.Host, settings.Port, problem, settings.ReconnectDelay);
                await Task.Delay(settings.ReconnectDelay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        _client = null;
        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }
    }

    /// <summary>
    /// Why connecting failed, for the log and the health check: a TLS handshake refused on our side (the broker's
    /// certificate does not chain to <c>Devices:Mqtt:CaCertificatePath</c>, or names another host) is told apart from a
    /// broker that cannot be reached, since only the first is fixed with certificates.
    /// </summary>
    internal static string DescribeFailure(Exception failure, DeviceMqttOptions settings)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(settings);
        for (var inner = failure; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException)
            {
                return $"TLS handshake failed: the broker's certificate is not trusted (it must chain to Devices:Mqtt:CaCertificatePath "
                    + $"and name {settings.Host}): {inner.Message}";
            }
        }

        return settings.UseTls
            ? $"not reachable over TLS (if the broker requires a client certificate, check Devices:Mqtt:ClientCertificatePath): {failure.Message}"
            : $"not reachable: {failure.Message}";
    }

    private async Task ReceiveAsync(string topic, byte[] payload, CancellationToken ct)
    {
        var prefix = options.Value.Mqtt.TopicPrefix + "/";
        var rest = topic.StartsWith(prefix, StringComparison.Ordinal) ? topic[prefix.Length..].Split('/') : [];
        if (rest is not [var deviceCode, "alarm" or "heartbeat" or "ack"])
        {
            return;
        }

        DeviceMqttEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<DeviceMqttEnvelope>(payload, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            envelope = null;
        }

        if (envelope?.Body is null)
        {
            logger.LogWarning("MQTT message on {Topic} is not a signed envelope; ignored", topic);
            return;
        }

        using (var lease = _perDevice.AttemptAcquire(deviceCode))
        {
            if (!lease.IsAcquired)
            {
                Interlocked.Increment(ref _dropped);
                _droppedCounter.Add(1, new KeyValuePair<string, object?>("kind", rest[1]));
                logger.LogWarning("MQTT {Kind} of device {Device} dropped: more than {Limit} messages a minute (Devices:MessagesPerMinute)", rest[1], deviceCode,
                    options.Value.MessagesPerMinute);
                return;
            }
        }

        var message = new SignedDeviceMessage(deviceCode, envelope.Timestamp, envelope.Nonce, envelope.Signature, System.Text.Encoding.UTF8.GetBytes(envelope.Body), IntakeDoor.Mqtt);
        try
        {
            var result = rest[1] switch
            {
                "alarm" => await messages.AlarmAsync(message, ct),
                "heartbeat" => await messages.HeartbeatAsync(message, ct),
                _ => await messages.AcknowledgeAsync(message, ct),
            };
            if (result.Refusal is { } refusal)
            {
                logger.LogWarning("MQTT {Kind} of device {Device} refused ({Refusal}): {Reason}", rest[1], deviceCode, refusal, result.Reason);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "MQTT {Kind} of device {Device} failed", rest[1], deviceCode);
        }
    }
}
