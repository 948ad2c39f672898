using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;

namespace CivicGrid.Server.Features.Backups;

/// <summary>
/// PostgreSQL's client programs (<c>pg_dump</c>, <c>pg_restore</c>) of at least the server's major version: pg_dump refuses a
/// newer server, and a dump restores with a pg_restore as new as the pg_dump that made it. Found in
/// <c>Backups:PostgresBinDirectory</c>, else Debian's <c>/usr/lib/postgresql/&lt;major&gt;/bin</c> (the server's major first,
/// then newer ones), else the PATH.
/// </summary>
internal sealed class PostgresTools(string binDirectory)
{
    public static async Task<PostgresTools> FindAsync(NpgsqlConnection connection, string? configured, CancellationToken ct)
    {
        var major = Convert.ToInt32(await BackupTables.ScalarAsync(connection, null, "SHOW server_version_num", ct), CultureInfo.InvariantCulture) / 10000;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(Path.Combine(configured, "pg_dump"))
                ? new PostgresTools(configured)
                : throw new BackupException($"Backups:PostgresBinDirectory is {configured}, but it holds no pg_dump. Point it at the bin folder of PostgreSQL {major} or newer.");
        }

        const string Debian = "/usr/lib/postgresql";
        var found = Directory.Exists(Debian)
            ? Directory.GetDirectories(Debian)
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0, Bin: Path.Combine(d, "bin")))
                .Where(d => d.Version >= major && File.Exists(Path.Combine(d.Bin, "pg_dump")) && File.Exists(Path.Combine(d.Bin, "pg_restore")))
                .OrderBy(d => d.Version).Select(d => d.Bin).FirstOrDefault()
            : null;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .FirstOrDefault(d => d.Length > 0 && File.Exists(Path.Combine(d, "pg_dump")));
        return new PostgresTools(found ?? onPath
            ?? throw new BackupException($"pg_dump and pg_restore of PostgreSQL {major} or newer were not found. Install them (Debian: apt-get install postgresql-client-{major}) or set Backups:PostgresBinDirectory to their folder."));
    }

    /// <summary>Runs a client program against the database of <paramref name="connectionString"/>; the password goes through the environment.</summary>
    public async Task RunAsync(string program, IReadOnlyList<string> arguments, string connectionString, CancellationToken ct)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Path.Combine(binDirectory, program))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add("--dbname=" + ConnectionInfo(settings));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (!string.IsNullOrEmpty(settings.Password))
        {
            start.Environment["PGPASSWORD"] = settings.Password;
        }

        using var process = Process.Start(start) ?? throw new BackupException($"Could not start {start.FileName}.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new BackupException($"{program} failed (exit {process.ExitCode}): {(await errors).Trim()} {(await output).Trim()}".Trim());
        }
    }

    /// <summary>libpq's key=value form of an Npgsql connection string (host, port, user, database, TLS), values quoted.</summary>
    private static string ConnectionInfo(NpgsqlConnectionStringBuilder settings)
    {
        var parts = new List<(string, string?)>
        {
            ("host", settings.Host), ("port", settings.Port.ToString(CultureInfo.InvariantCulture)), ("user", settings.Username), ("dbname", settings.Database),
            ("sslmode", settings.SslMode switch { SslMode.Disable => "disable", SslMode.Require => "require", SslMode.VerifyCA => "verify-ca", SslMode.VerifyFull => "verify-full", _ => "prefer" }),
        };
        var text = new StringBuilder();
        foreach (var (name, value) in parts.Where(p => !string.IsNullOrEmpty(p.Item2)))
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}='{value!.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}' ");
        }

        return text.ToString().TrimEnd();
    }
}
