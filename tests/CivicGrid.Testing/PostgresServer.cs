using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CivicGrid.Testing;

/// <summary>
/// A throw-away PostgreSQL server with PostGIS for the test run: initdb and pg_ctl in a temporary
/// directory, on a free loopback port, removed at the end. As root it runs the server as the
/// <c>postgres</c> user, since PostgreSQL refuses to run as root. Binaries come from Debian's
/// postgresql and postgresql-15-postgis-3 packages, which scripts/test.sh installs when missing.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private string _directory = string.Empty;
    private string _binDirectory = string.Empty;
    private int _port;

    /// <summary>
    /// Keep PostgreSQL's durability defaults (fsync, synchronous_commit, full_page_writes on), so a commit is on disk as
    /// with SQLite's synchronous=FULL: for load benchmarks. Off (the default) for tests, which only need a throw-away database.
    /// </summary>
    public bool Durable { get; init; }

    /// <summary>
    /// A directory that keeps the cluster after the run (stopped, not deleted) and is started again when it already holds
    /// one: for benchmarks whose dataset takes minutes to make. Null (the default): a fresh temporary cluster, deleted after.
    /// </summary>
    public string? KeepIn { get; init; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Pooling=false";

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={_port};Username=postgres;Database={database};Include Error Detail=true";

    /// <summary>Creates the cluster and starts the server; call once before use.</summary>
    public async ValueTask InitializeAsync()
    {
        _binDirectory = FindBinaries();
        _directory = KeepIn ?? Path.Combine(Path.GetTempPath(), "civicgrid-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        var data = Path.Combine(_directory, "data");
        var existing = Directory.Exists(data);
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", ["postgres:postgres", _directory], asPostgres: false);
        }

        if (!existing)
        {
            await RunAsync(Path.Combine(_binDirectory, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
        }

        _port = FreePorts.Next();
        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"),
        [
            "-D", data, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60", "start",
            "-o", $"-p {_port} -k {_directory} -c listen_addresses=127.0.0.1 -c max_connections=200 "
                + (Durable ? "-c shared_buffers=256MB" : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"),
        ]);

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version(), (SELECT default_version FROM pg_available_extensions WHERE name = 'postgis')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        if (reader.IsDBNull(1))
        {
            throw new InvalidOperationException("PostGIS is not installed for this PostgreSQL server: install postgresql-15-postgis-3 (scripts/test.sh does).");
        }

        Version = $"{reader.GetString(0).Split(',')[0]}, PostGIS {reader.GetString(1)}";
    }

    /// <summary>Server and PostGIS versions, for the test output.</summary>
    public string Version { get; private set; } = string.Empty;

    public async Task CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_port != 0)
        {
            NpgsqlConnection.ClearAllPools();
            await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-m", KeepIn is null ? "immediate" : "fast", "-w", "stop"]);
        }

        if (KeepIn is null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("CIVICGRID_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).ToList()
            : [];
        return candidates.FirstOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL server binaries were not found under /usr/lib/postgresql: run the tests with scripts/test.sh, which installs postgresql and postgis, or set CIVICGRID_PG_BIN.");
    }

    private static async Task RunAsync(string file, string[] arguments, bool asPostgres = true)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgres && Environment.IsPrivilegedProcess)
        {
            start.FileName = "runuser";
            foreach (var a in (string[])["-u", "postgres", "--", file, .. arguments])
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = file;
            foreach (var a in arguments)
            {
                start.ArgumentList.Add(a);
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        // pg_ctl start leaves the server holding the output pipes; read what there is without waiting for their end.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr} {await stdout}");
        }
    }
}
