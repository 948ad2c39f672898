using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CivicGrid.Testing;

/// <summary>
/// A throw-away Mosquitto MQTT broker for the test run: Debian's <c>mosquitto</c> binary (scripts/install-test-deps.sh
/// installs it when missing) with a minimal configuration in a temporary directory, listening on a free loopback port,
/// anonymous, without persistence; stopped and removed at the end.
/// </summary>
public sealed class MosquittoServer : IAsyncDisposable
{
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
        await File.WriteAllTextAsync(config, $"""
            listener {Port} 127.0.0.1
            allow_anonymous true
            persistence false
            log_dest stderr

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
