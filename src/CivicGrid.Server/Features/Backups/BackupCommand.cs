using System.Globalization;
using System.Text.Json;
using CivicGrid.Domain.Backups;
using CivicGrid.Server.Commands;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Infrastructure;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Backups;

/// <summary>
/// Makes one self-describing backup while the server serves: the database at one instant (SQLite's online backup API, or
/// <c>pg_dump</c> of an exported snapshot), then every file of the data directory (photos, keys, anything else), then the
/// manifest. Photos are written before their case commits and keys before a row is sealed with them, so copying the files
/// after the snapshot finds every photo and key the snapshot refers to.
/// </summary>
[OperatorCommand("backup", "--to <new folder | file.tar>",
    "back up the database, photos and keys while the server runs; the backup holds the keys: store it protected")]
internal sealed class BackupCommand(SecurityAudit audit, DataDirectory data, IOptions<DatabaseOptions> database, IOptions<BackupOptions> options,
    TimeProvider time) : IOperatorCommand
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<int> RunAsync(CommandContext context)
    {
        var to = context.Option("--to");
        if (string.IsNullOrWhiteSpace(to))
        {
            await context.Error.WriteLineAsync("Usage: backup --to <new folder | file.tar>. Say where the backup goes, outside the data directory.");
            return 2;
        }

        to = Path.GetFullPath(to);
        var tar = BackupFiles.IsTar(to);
        var problem = TargetProblem(to, tar);
        if (problem is not null)
        {
            await context.Error.WriteLineAsync(problem);
            return 1;
        }

        var folder = tar ? $"{to}.partial-{Guid.NewGuid().ToString("N")[..8]}" : to;
        var ct = CancellationToken.None;
        try
        {
            BackupFiles.CreateOwnerOnlyDirectory(folder);
            var db = context.Database;
            audit.Record(db, SecurityEventKind.BackupMade, new SecuritySubject("backup", null, Path.GetFileName(to), string.Empty),
                $"运维命令备份数据库、照片和密钥到 {to}", actorName: $"operator:{Environment.UserName}");
            await db.SaveChangesAsync(ct);

            var databaseFolder = Path.Combine(folder, BackupFiles.DatabaseFolder);
            BackupFiles.CreateOwnerOnlyDirectory(databaseFolder);
            var connectionString = db.Database.GetConnectionString()!;
            var provider = database.Value.Provider;
            var snapshot = provider == DatabaseProvider.Postgres
                ? await PostgresBackup.SnapshotAsync(connectionString, databaseFolder, options.Value.PostgresBinDirectory, ct)
                : await SqliteBackup.SnapshotAsync(connectionString, databaseFolder, ct);
            var takenAt = time.GetUtcNow();

            // After the snapshot, so every photo and key it refers to is already on disk.
            var copied = await CopyDataFilesAsync(provider == DatabaseProvider.Sqlite ? SqliteBackup.TargetFile(connectionString) : null,
                Path.Combine(folder, BackupFiles.DataFolder), ct);

            var manifest = new BackupManifest(BackupManifest.CurrentFormatVersion, provider.ToString(), snapshot.SchemaMigration, takenAt, snapshot.Counts,
                BackupFiles.Listing(await BackupFiles.InventoryAsync(folder, ct)));
            var manifestPath = Path.Combine(folder, BackupManifest.FileName);
            await File.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(manifest, Json), ct);
            BackupFiles.MakeOwnerOnly(manifestPath);
            if (tar)
            {
                await BackupFiles.PackAsync(folder, to, ct);
            }

            await ReportAsync(context.Out, to, manifest, copied);
            return 0;
        }
        catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            await context.Error.WriteLineAsync($"Backup failed, nothing was kept: {e.Message}");
            return 1;
        }
    }

    private string? TargetProblem(string to, bool tar)
    {
        if (to.StartsWith(data.Path + Path.DirectorySeparatorChar, StringComparison.Ordinal) || to == data.Path)
        {
            return $"{to} is inside the data directory {data.Path}. Put the backup elsewhere (another disk is best).";
        }

        if (tar && File.Exists(to))
        {
            return $"{to} already exists. Choose a new file name: a backup never overwrites another.";
        }

        return !tar && !BackupFiles.HoldsNoFile(to)
            ? $"{to} already holds files. Choose a new or empty folder: a backup never overwrites another."
            : null;
    }

    /// <summary>Copies every file of the data directory but the live SQLite database and unfinished writes; returns how many.</summary>
    private async Task<int> CopyDataFilesAsync(string? sqliteFile, string target, CancellationToken ct)
    {
        string[] skipped = sqliteFile is null ? [] : [sqliteFile, sqliteFile + "-wal", sqliteFile + "-shm", sqliteFile + "-journal"];
        var copied = 0;
        BackupFiles.CreateOwnerOnlyDirectory(target);
        foreach (var file in Directory.EnumerateFiles(data.Path, "*", SearchOption.AllDirectories))
        {
            if (skipped.Contains(file, StringComparer.Ordinal) || file.EndsWith(".tmp", StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                await BackupFiles.CopyOwnerOnlyAsync(file, Path.Combine(target, Path.GetRelativePath(data.Path, file)), ct);
                copied++;
            }
            catch (FileNotFoundException)
            {
                // Removed since it was listed (a photo of a report that failed): the snapshot cannot refer to it.
            }
        }

        return copied;
    }

    private static async Task ReportAsync(TextWriter @out, string to, BackupManifest manifest, int dataFiles)
    {
        await @out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Backup written to {to}: {manifest.Provider} database at {manifest.CreatedAt:yyyy-MM-dd HH:mm:ss}Z (schema {manifest.SchemaMigration}), {dataFiles} files of the data directory (photos, keys), {manifest.Files.Count} files in all, each with its SHA-256 in {BackupManifest.FileName}."));
        foreach (var (table, rows) in manifest.Counts)
        {
            await @out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {table,-16} {rows,10}"));
        }

        await @out.WriteLineAsync(
            "WARNING: this backup holds the keys (sign-in, data protection, residents' personal data): whoever has it can read every resident's identity. Store it encrypted or on media only operators can reach; it is readable by its owner only (0600/0700).");
    }
}
