using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CivicGrid.Testing;

/// <summary>
/// The built server (<c>CivicGrid.Server.dll</c>) as a real child process on a free loopback port, for tests that must
/// kill it the way a power cut or the kernel's OOM killer would (<see cref="KillAsync"/> sends SIGKILL: no shutdown code runs)
/// and start it again on the same data.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The server's process id, e.g. to read its CPU time from <c>/proc/&lt;pid&gt;/stat</c>.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The last lines the server wrote, for a failure message.</summary>
    public string LogTail
    {
        get
        {
            lock (_log)
            {
                var text = _log.ToString();
                return text.Length > 4000 ? text[^4000..] : text;
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="serverDll"/> with <paramref name="environment"/> added to this process's environment and
    /// waits until <c>/health/ready</c> answers 200.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string serverDll, IReadOnlyDictionary<string, string> environment, TimeSpan readyWithin,
        CancellationToken ct)
    {
        var port = FreePorts.Next();
        var address = new Uri($"http://127.0.0.1:{port}");
        var directory = Path.GetDirectoryName(serverDll)!;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory,
        };
        start.ArgumentList.Add(serverDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(directory);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        var server = new ServerProcess(process, address);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + readyWithin;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {process.ExitCode} before it was ready:\n{server.LogTail}");
            }

            try
            {
                using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
                if (ready.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // Busy starting.
            }

            if (DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new TimeoutException($"The server was not ready within {readyWithin}:\n{server.LogTail}");
            }

            await Task.Delay(200, ct);
        }
    }

    /// <summary>SIGKILL, then waits until the process is gone: nothing of the server's shutdown runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
            if (_log.Length > 64_000)
            {
                _log.Remove(0, _log.Length - 32_000);
            }
        }
    }
}
