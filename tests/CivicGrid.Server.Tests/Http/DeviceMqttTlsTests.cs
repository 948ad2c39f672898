using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Devices;
using CivicGrid.Server.Infrastructure;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MQTTnet;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;
using static CivicGrid.Server.Tests.Infrastructure.TestDevices;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// A throw-away PKI made in the test (no files checked in): a CA that signs the broker and our client, and a second CA
/// that nobody configured. PEM files in a temporary directory, removed at the end.
/// </summary>
public sealed class TestPki : IDisposable
{
    private readonly DateTimeOffset _from = DateTimeOffset.UtcNow.AddDays(-1);
    private readonly DateTimeOffset _until = DateTimeOffset.UtcNow.AddDays(30);

    public TestPki()
    {
        Directory.CreateDirectory(Folder);
        using var ca = Authority("CivicGrid Test Device CA");
        using var stranger = Authority("Someone Else's CA");
        Write("ca.pem", ca.ExportCertificatePem());
        Issue(ca, "broker", server: true);
        Issue(ca, "civicgrid", server: false);
        Issue(stranger, "foreign-broker", server: true);
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "civicgrid-pki-" + Guid.NewGuid().ToString("N")[..8]);

    public string File(string name) => Path.Combine(Folder, name);

    /// <summary>The Mosquitto listener with the broker's certificate from our CA, or from the stranger's; client certificates required.</summary>
    public MosquittoTls Broker(bool foreign) =>
        new(File("ca.pem"), File(foreign ? "foreign-broker.pem" : "broker.pem"), File(foreign ? "foreign-broker.key" : "broker.key"), true);

    /// <summary><c>Devices:Mqtt</c> for a TLS broker at 127.0.0.1, trusting our CA, with our client certificate.</summary>
    public DeviceMqttOptions Client(int port, bool withCertificate = true) => new()
    {
        Host = "127.0.0.1", Port = port, UseTls = true, CaCertificatePath = File("ca.pem"),
        ClientCertificatePath = withCertificate ? File("civicgrid.pem") : null, ClientKeyPath = withCertificate ? File("civicgrid.key") : null,
    };

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    private X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(_from, _until);
    }

    /// <summary>A leaf certificate signed by <paramref name="ca"/>: a server's names 127.0.0.1 and localhost.</summary>
    private void Issue(X509Certificate2 ca, string name, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var certificate = request.Create(ca, _from, _until, serial);
        Write(name + ".pem", certificate.ExportCertificatePem());
        Write(name + ".key", key.ExportPkcs8PrivateKeyPem());
    }

    private void Write(string name, string pem) => System.IO.File.WriteAllText(File(name), pem + "\n");
}

/// <summary>Keeps the warnings of one logger category, for tests that assert what an operator would read.</summary>
public sealed class CollectedLogs(string category) : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => categoryName == category ? new Collector(Lines) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Collector(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue(formatter(state, exception));
            }
        }
    }
}

/// <summary>
/// The server on a copy of the SQLite demo listening over mutual TLS to a Mosquitto broker that requires client certificates;
/// <paramref name="foreign"/> gives the broker a certificate from a CA the server was not told to trust.
/// </summary>
public abstract class MqttTlsApp(SqliteTemplate template, bool foreign) : CivicGridApp
{
    public TestPki Pki { get; } = new();

    public MosquittoServer Broker { get; private set; } = null!;

    public CollectedLogs Logs { get; } = new(typeof(DeviceMqttListener).FullName!);

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override string? ConnectionString => null;

    protected override Task PrepareDatabaseAsync()
    {
        template.CopyTo(DataDirectory);
        return Task.CompletedTask;
    }

    public override async ValueTask InitializeAsync()
    {
        Broker = new MosquittoServer { Tls = Pki.Broker(foreign) };
        await Broker.InitializeAsync();
        await base.InitializeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var client = Pki.Client(Broker.Port);
        builder.UseSetting("Devices:Mqtt:Host", client.Host);
        builder.UseSetting("Devices:Mqtt:Port", client.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Devices:Mqtt:UseTls", "true");
        builder.UseSetting("Devices:Mqtt:CaCertificatePath", client.CaCertificatePath);
        builder.UseSetting("Devices:Mqtt:ClientCertificatePath", client.ClientCertificatePath);
        builder.UseSetting("Devices:Mqtt:ClientKeyPath", client.ClientKeyPath);
        builder.UseSetting("Devices:Mqtt:ReconnectDelay", "00:00:01");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Broker.DisposeAsync();
        Pki.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class MqttTrustedTlsApp(SqliteTemplate template) : MqttTlsApp(template, foreign: false);

public sealed class MqttForeignTlsApp(SqliteTemplate template) : MqttTlsApp(template, foreign: true);

/// <summary>ADR 0026's MQTT over TLS, against a real broker: a signed alarm over mutual TLS opens a case.</summary>
public sealed class DeviceMqttTlsTests(MqttTrustedTlsApp app) : IClassFixture<MqttTrustedTlsApp>
{
    private readonly CaseScenario _scenario = new(app);

    [Fact]
    public async Task SignedAlarm_OverMutualTls_OpensACase_AndTheHealthCheckSaysSubscribed()
    {
        var place = await _scenario.CertainPlaceAsync();
        var device = await RegisterAsync(app, place);
        var listener = app.Services.GetRequiredService<DeviceMqttListener>();
        await listener.Subscribed.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var data = app.Services.GetRequiredService<DataDirectory>();
        using var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(DeviceMqttListener.ClientOptions(app.Pki.Client(app.Broker.Port), data), Ct);

        await MqttTls.PublishAsync(publisher, device, """{"type":"smoke","message":"烟雾浓度超标（TLS）"}""");
        var number = await MqttTls.WaitForAsync(() => MqttTls.CaseOfAsync(app, device), TimeSpan.FromSeconds(30));

        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == number, Ct));
        Assert.Equal(CaseChannel.Sensor, stored.Channel);
        Assert.Equal("E0403", stored.CategoryCode);
        Assert.Equal(place.GridCode, stored.GridCode);
        Assert.True(listener.Status.Connected);
        var health = await MqttTls.HealthAsync(app);
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheBroker_RefusesAClientWithoutACertificate_SoTheClientCertificateIsWhatLetsUsIn()
    {
        var data = app.Services.GetRequiredService<DataDirectory>();
        using var anonymous = new MqttClientFactory().CreateMqttClient();

        await Assert.ThrowsAnyAsync<Exception>(() => anonymous.ConnectAsync(
            DeviceMqttListener.ClientOptions(app.Pki.Client(app.Broker.Port, withCertificate: false), data), Ct));
        Assert.False(anonymous.IsConnected);
    }
}

/// <summary>
/// A broker whose certificate comes from a CA the server was not told to trust (a man in the middle, or a broker replaced
/// without telling us): the server never subscribes, an alarm published there opens no case, and the log and
/// <c>/health/ready</c> say why.
/// </summary>
public sealed class DeviceMqttForeignBrokerTests(MqttForeignTlsApp app) : IClassFixture<MqttForeignTlsApp>
{
    private readonly CaseScenario _scenario = new(app);

    [Fact]
    public async Task ABrokerCertificateFromAnotherCa_IsRefused_NoCaseIsOpened_AndTheLogAndHealthSayWhy()
    {
        var place = await _scenario.CertainPlaceAsync();
        var device = await RegisterAsync(app, place);
        var listener = app.Services.GetRequiredService<DeviceMqttListener>();
        var problem = await MqttTls.WaitForAsync(() => Task.FromResult(listener.Status.Problem), TimeSpan.FromSeconds(30));

        // Someone who does trust that broker publishes a genuine alarm on it: it never reaches us.
        using var publisher = new MqttClientFactory().CreateMqttClient();
        var trustingTheStranger = new MqttClientOptionsBuilder().WithTcpServer(app.Broker.Host, app.Broker.Port)
            .WithTlsOptions(tls => tls.UseTls().WithCertificateValidationHandler(_ => true).WithClientCertificates(
                [X509Certificate2.CreateFromPemFile(app.Pki.File("civicgrid.pem"), app.Pki.File("civicgrid.key"))]))
            .Build();
        await publisher.ConnectAsync(trustingTheStranger, Ct);
        await MqttTls.PublishAsync(publisher, device, """{"type":"smoke","message":"不应被受理"}""");
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);

        Assert.Null(await MqttTls.CaseOfAsync(app, device));
        Assert.False(listener.Subscribed.IsCompleted);
        Assert.False(listener.Status.Connected);
        Assert.Contains("certificate is not trusted", problem, StringComparison.Ordinal);
        Assert.Contains("CaCertificatePath", problem, StringComparison.Ordinal);
        Assert.Contains(app.Logs.Lines, line => line.Contains("TLS handshake failed", StringComparison.Ordinal));
        var health = await MqttTls.HealthAsync(app);
        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        var check = health.GetProperty("checks").GetProperty("device-mqtt");
        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        Assert.Contains("certificate is not trusted", check.GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>What both TLS test classes do with a broker and the server.</summary>
internal static class MqttTls
{
    public static async Task PublishAsync(IMqttClient client, TestDevice device, string body)
    {
        var timestamp = Now();
        var nonce = NewNonce();
        var payload = JsonSerializer.Serialize(new { timestamp, nonce, signature = Sign(device.Secret, timestamp, nonce, body), body });
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"civicgrid/devices/{device.Code}/alarm").WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
    }

    /// <summary>The number of the case the device's alarm opened; null while there is none.</summary>
    public static Task<string?> CaseOfAsync(CivicGridApp app, TestDevice device) => app.WithDatabaseAsync(db => db.DeviceCases
        .Where(c => c.DeviceId == db.Set<Device>().IgnoreQueryFilters().Single(d => d.Code == device.Code).Id).Select(c => c.CaseNumber).FirstOrDefaultAsync(Ct));

    public static async Task<JsonElement> HealthAsync(CivicGridApp app)
    {
        using var client = app.CreateClient();
        return await client.GetFromJsonAsync<JsonElement>("/health/ready", Ct);
    }

    public static async Task<string> WaitForAsync(Func<Task<string?>> probe, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"Nothing arrived within {within.TotalSeconds} seconds.");
    }
}
