using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CivicGrid.Server.Features.Devices;
using CivicGrid.Server.Infrastructure;
using MQTTnet;

namespace CivicGrid.Server.Tests.Unit;

/// <summary>
/// Security review (issue 21): MQTT had no TLS option. <c>Devices:Mqtt:UseTls</c> with a CA and a client certificate from
/// the data directory is applied to the client's options; paths without TLS, or half a client certificate, are refused.
/// </summary>
public sealed class DeviceMqttTlsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("civicgrid-mqtt-tls-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ClientOptions_WithTls_TrustTheConfiguredCa_AndPresentTheClientCertificate()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "keys", "mqtt"));
        using var caKey = RSA.Create(2048);
        using var ca = new CertificateRequest("CN=CivicGrid test broker CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(Path.Combine(_directory, "keys", "mqtt", "ca.crt"), ca.ExportCertificatePem());
        using var clientKey = RSA.Create(2048);
        using var client = new CertificateRequest("CN=civicgrid-server", clientKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(Path.Combine(_directory, "keys", "mqtt", "client.crt"), client.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_directory, "keys", "mqtt", "client.key"), clientKey.ExportPkcs8PrivateKeyPem());
        var settings = new DeviceMqttOptions
        {
            Host = "127.0.0.1", Port = 8883, UseTls = true, CaCertificatePath = "keys/mqtt/ca.crt",
            ClientCertificatePath = "keys/mqtt/client.crt", ClientKeyPath = "keys/mqtt/client.key",
        };

        var options = DeviceMqttListener.ClientOptions(settings, new DataDirectory(_directory));

        var tls = ((MqttClientTcpOptions)options.ChannelOptions).TlsOptions;
        Assert.True(tls.UseTls);
        Assert.Equal(ca.Thumbprint, Assert.Single(tls.TrustChain).Thumbprint);
        Assert.NotNull(tls.ClientCertificatesProvider);
        Assert.Equal(client.Thumbprint, Assert.Single(tls.ClientCertificatesProvider.GetCertificates().Cast<X509Certificate>()).GetCertHashString());
    }

    [Fact]
    public void ClientOptions_WithoutTls_ArePlainTcp()
    {
        var options = DeviceMqttListener.ClientOptions(new DeviceMqttOptions { Host = "127.0.0.1" }, new DataDirectory(_directory));

        Assert.False(((MqttClientTcpOptions)options.ChannelOptions).TlsOptions.UseTls);
    }

    [Theory]
    [InlineData(false, "keys/mqtt/ca.crt", null, null)]
    [InlineData(true, null, "keys/mqtt/client.crt", null)]
    public void Settings_WithCertificatesButNoTls_OrHalfAClientCertificate_AreRefused(bool useTls, string? ca, string? certificate, string? key)
    {
        var options = new DeviceOptions { Mqtt = new DeviceMqttOptions { Host = "broker", UseTls = useTls, CaCertificatePath = ca, ClientCertificatePath = certificate, ClientKeyPath = key } };

        var results = options.Validate(new ValidationContext(options)).ToList();

        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.StartsWith("Devices:Mqtt:", r.ErrorMessage, StringComparison.Ordinal));
    }
}
