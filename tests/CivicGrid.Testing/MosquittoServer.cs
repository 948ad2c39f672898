using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CivicGrid.Testing;

/// <summary>
/// A throw-away Mosquitto MQTT broker for the test run: Debian's <c>mosquitto</c> binary (scripts/install-test-deps.sh
/// installs it when missing) with a minimal configuration in a temporary directory, listening on a free loopback port,
/// anonymous, without persistence; stopped and removed at the end. With <see cref="Tls"/> the listener speaks TLS only.
/// </summary>
public sealed class MosquittoServer : IAsyncDisposable
{
    /// <summary>A TLS listener instead of plain TCP: PEM files of the CA that signs clients, the broker's certificate and key.</summary>
    public MosquittoTls? Tls { get; init; }

    private Process? _process;
    private string _directory = string.Empty;

    public string Host { get; } = "127.0.0.1";

    public int Port { get; private set; }

    /// <summary>Writes the configuration, starts the broker and waits until it accepts connections.</summary>
    public async ValueTask InitializeAsync()
    {
        var binary = FindBinary();
        _directory = Path.Combine(Path.GetTempPath(), "civicgrid-mqtt-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        Port = FreePorts.Next();
        var config = Path.Combine(_directory, "mosquitto.conf");
        var tls = Tls is { } t
            ? $"""
                cafile {t.CaFile}
                certfile {t.CertificateFile}
                keyfile {t.KeyFile}
                require_certificate {(t.RequireClientCertificate ? "true" : "false")}

                """
            : string.Empty;
        await File.WriteAllTextAsync(config, $"""
            listener {Port} 127.0.0.1
            allow_anonymous true
            persistence false
            log_dest stderr
            {tls}
            """);
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode} before it accepted connections.");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string FindBinary()
    {
        var configured = Environment.GetEnvironmentVariable("CIVICGRID_MOSQUITTO");
        foreach (var candidate in new[] { configured, "/usr/sbin/mosquitto", "/usr/bin/mosquitto" })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("mosquitto was not found: run the tests with scripts/test.sh, which installs Debian's mosquitto package, or set CIVICGRID_MOSQUITTO.");
    }
}

/// <summary>A TLS listener's files (PEM) for <see cref="MosquittoServer.Tls"/>.</summary>
/// <param name="CaFile">The CA whose certificates the broker accepts from clients.</param>
/// <param name="CertificateFile">The broker's certificate.</param>
/// <param name="KeyFile">The broker's private key.</param>
/// <param name="RequireClientCertificate">Refuse clients without a certificate signed by <paramref name="CaFile"/> (mutual TLS).</param>
public sealed record MosquittoTls(string CaFile, string CertificateFile, string KeyFile, bool RequireClientCertificate);
