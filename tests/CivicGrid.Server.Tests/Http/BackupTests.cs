using System.Text.Json;
using System.Text.Json.Nodes;
using CivicGrid.Domain.Backups;
using CivicGrid.Server.Commands;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The <c>backup</c> and <c>restore</c> operator commands in the server's own process, on each provider: what a backup holds
/// (manifest, counts of the snapshot, hashes, owner-only modes, the security event), and every refusal of a restore before it
/// writes anything: a target that holds data, a file whose hash changed, a backup of the other provider, an unfinished backup.
/// The restore drill itself (a real server under load, a restore into a fresh directory and database) is <c>RestoreDrillTests</c>.
/// </summary>
public abstract class BackupTests(CivicGridApp app) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("civicgrid-backup-test-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Directory.Delete(_work, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Backup_WritesAManifestWithTheSnapshotsCountsAndEveryFilesHash_OwnerOnly_AndRecordsIt()
    {
        var to = Path.Combine(_work, "backup");
        var cases = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().LongCountAsync(Ct));

        var (code, output, error) = await RunAsync("backup", "--to", to);

        Assert.True(code == 0, error);
        Assert.Contains("WARNING: this backup holds the keys", output, StringComparison.Ordinal);
        var manifest = ReadManifest(to);
        Assert.Equal(app.Provider.ToString(), manifest.Provider);
        Assert.Equal(cases, manifest.Counts["cases"]);
        Assert.True(manifest.Counts["residents"] > 0, "The demo's residents are in the backup.");
        Assert.Contains(manifest.Files, f => f.Path.StartsWith("data/keys/residents/", StringComparison.Ordinal));
        Assert.Contains(manifest.Files, f => f.Path.StartsWith("database/civicgrid.", StringComparison.Ordinal));
        Assert.DoesNotContain(manifest.Files, f => f.Path.StartsWith("data/civicgrid.db", StringComparison.Ordinal));
        var latest = await app.WithDatabaseAsync(async db => (await db.Database.GetAppliedMigrationsAsync(Ct)).Last());
        Assert.Equal(latest, manifest.SchemaMigration);
        foreach (var file in manifest.Files)
        {
            var path = Path.Combine(to, file.Path);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ModeOf(path));
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(path, Ct))));
        }

        Assert.All(Directory.EnumerateDirectories(to, "*", SearchOption.AllDirectories).Append(to),
            d => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, ModeOf(d)));
        var recorded = await app.WithDatabaseAsync(db => db.Set<SecurityEvent>().IgnoreQueryFilters()
            .Where(e => e.Kind == SecurityEventKind.BackupMade).OrderByDescending(e => e.Sequence).FirstAsync(Ct));
        Assert.StartsWith("operator:", recorded.ActorName, StringComparison.Ordinal);
        Assert.Contains(to, recorded.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_RefusesAFolderThatHoldsFiles_AndAMissingTarget()
    {
        var to = Path.Combine(_work, "taken");
        Directory.CreateDirectory(to);
        await File.WriteAllTextAsync(Path.Combine(to, "other.txt"), "x", Ct);

        var (code, _, error) = await RunAsync("backup", "--to", to);
        var (usage, _, usageError) = await RunAsync("backup");

        Assert.Equal(1, code);
        Assert.Contains("already holds files", error, StringComparison.Ordinal);
        Assert.Equal(["other.txt"], Directory.EnumerateFileSystemEntries(to).Select(Path.GetFileName));
        Assert.Equal(2, usage);
        Assert.Contains("Usage: backup --to", usageError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_OntoTheServersOwnDataAndDatabase_IsRefusedWithoutForce()
    {
        var to = Path.Combine(_work, "whole.tar");
        Assert.Equal(0, (await RunAsync("backup", "--to", to)).Code);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ModeOf(to));
        var cases = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().LongCountAsync(Ct));

        var (code, _, error) = await RunAsync("restore", "--from", to);

        Assert.Equal(1, code);
        Assert.Contains("REFUSED: The data directory", error, StringComparison.Ordinal);
        Assert.Contains("--force", error, StringComparison.Ordinal);
        Assert.Equal(cases, await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().LongCountAsync(Ct)));
    }

    [Fact]
    public async Task Restore_OfATar_WithForce_OverwritesAFolderHoldingFiles_AndPrintsEqualCounts()
    {
        // On PostgreSQL the restore's database is the running server's own; a fresh one is the drill's (RestoreDrillTests).
        Assert.SkipUnless(app.Provider == Server.Infrastructure.Persistence.DatabaseProvider.Sqlite, "SQLite restores into the --data-dir given.");
        var from = Path.Combine(_work, "forced.tar");
        Assert.Equal(0, (await RunAsync("backup", "--to", from)).Code);
        var target = Path.Combine(_work, "occupied");
        Directory.CreateDirectory(target);
        await File.WriteAllTextAsync(Path.Combine(target, "stray.txt"), "x", Ct);

        var (refused, _, refusal) = await RunAsync("restore", "--from", from, "--data-dir", target);
        var (code, output, error) = await RunAsync("restore", "--from", from, "--data-dir", target, "--force");

        Assert.Equal(1, refused);
        Assert.Contains($"The data directory {target} already holds files.", refusal, StringComparison.Ordinal);
        Assert.True(code == 0, error);
        var cases = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().LongCountAsync(Ct));
        Assert.Matches($@"\n  cases +{cases} +{cases}\n", output.ReplaceLineEndings("\n"));
        Assert.True(File.Exists(Path.Combine(target, "civicgrid.db")));
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(target, "keys", "residents")));
        Assert.Contains("not in its security audit trail", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_OfAFileWhoseHashChanged_IsRefused_AndNothingIsWritten()
    {
        var from = Path.Combine(_work, "tampered");
        Assert.Equal(0, (await RunAsync("backup", "--to", from)).Code);
        var key = ReadManifest(from).Files.First(f => f.Path.StartsWith("data/keys/residents/", StringComparison.Ordinal)).Path;
        await File.AppendAllTextAsync(Path.Combine(from, key), "x", Ct);
        var fresh = Path.Combine(_work, "fresh");

        var (code, _, error) = await RunAsync("restore", "--from", from, "--data-dir", fresh);

        Assert.Equal(1, code);
        Assert.Contains($"REFUSED ({BackupManifest.ChangedFile}): '{key}' does not match the manifest", error, StringComparison.Ordinal);
        Assert.Contains("Nothing was restored.", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(fresh) && Directory.EnumerateFiles(fresh, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task Restore_OfTheOtherProvidersBackup_IsRefused()
    {
        var from = Path.Combine(_work, "other-provider");
        Assert.Equal(0, (await RunAsync("backup", "--to", from)).Code);
        var manifestPath = Path.Combine(from, BackupManifest.FileName);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath, Ct))!;
        var other = app.Provider == Server.Infrastructure.Persistence.DatabaseProvider.Sqlite ? "Postgres" : "Sqlite";
        manifest["provider"] = other;
        await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString(), Ct);

        var (code, _, error) = await RunAsync("restore", "--from", from, "--data-dir", Path.Combine(_work, "fresh"));

        Assert.Equal(1, code);
        Assert.Contains($"REFUSED ({BackupManifest.WrongProvider}): The backup is of a {other} database but this server is configured for {app.Provider}",
            error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_OfAFolderWithoutManifest_SaysItIsNotAFinishedBackup()
    {
        var from = Path.Combine(_work, "unfinished");
        Directory.CreateDirectory(Path.Combine(from, "database"));

        var (code, _, error) = await RunAsync("restore", "--from", from, "--data-dir", Path.Combine(_work, "fresh"));
        var (usage, _, _) = await RunAsync("restore");

        Assert.Equal(1, code);
        Assert.Contains("has no manifest.json: it is not a finished CivicGrid backup", error, StringComparison.Ordinal);
        Assert.Equal(2, usage);
    }

    /// <summary>The file's Unix mode; on Windows, the owner-only modes these tests expect (Windows has none to check).</summary>
    private static UnixFileMode ModeOf(string path) =>
        OperatingSystem.IsWindows() ? (File.Exists(path) ? OwnerOnlyFile : OwnerOnlyFile | UnixFileMode.UserExecute) : File.GetUnixFileMode(path);

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static BackupManifest ReadManifest(string folder) =>
        JsonSerializer.Deserialize<BackupManifest>(File.ReadAllText(Path.Combine(folder, BackupManifest.FileName)), JsonSerializerOptions.Web)!;

    private async Task<(int Code, string Output, string Error)> RunAsync(string command, params string[] options)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await OperatorCommands.RunAsync([command], options, app.Services, output, error);
        return (code, output.ToString(), error.ToString());
    }
}

public sealed class BackupTestsOnSqlite(SqliteApp app) : BackupTests(app), IClassFixture<SqliteApp>;

public sealed class BackupTestsOnPostgres(PostgresApp app) : BackupTests(app), IClassFixture<PostgresApp>;
