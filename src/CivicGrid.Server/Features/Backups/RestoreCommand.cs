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
/// Restores a backup made by <c>backup</c>: checks the manifest (format, provider, schema) and every file's SHA-256 before
/// writing anything, refuses a data directory or database that already holds data unless <c>--force</c>, then restores the
/// database, the photos and the keys, counts the main tables again and compares them with the manifest. Stop every server
/// on the target first.
/// </summary>
[OperatorCommand("restore", "--from <backup folder | file.tar> [--data-dir <fresh folder>] [--force]",
    "restore a backup into an empty data directory and database (stop the server first); --force overwrites")]
internal sealed class RestoreCommand(SecurityAudit audit, DataDirectory data, IOptions<DatabaseOptions> database, IOptions<BackupOptions> options)
    : IOperatorCommand
{
    public async Task<int> RunAsync(CommandContext context)
    {
        var from = context.Option("--from");
        if (string.IsNullOrWhiteSpace(from))
        {
            await context.Error.WriteLineAsync("Usage: restore --from <backup folder | file.tar> [--data-dir <fresh folder>] [--force]. Say which backup to restore.");
            return 2;
        }

        from = Path.GetFullPath(from);
        var unpacked = BackupFiles.IsTar(from) && File.Exists(from) ? await BackupFiles.UnpackAsync(from, CancellationToken.None) : null;
        try
        {
            return await RestoreAsync(context, unpacked ?? from, context.Option("--data-dir"), context.Flag("--force"), CancellationToken.None);
        }
        catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            await context.Error.WriteLineAsync($"Restore failed: {e.Message}");
            return 1;
        }
        finally
        {
            if (unpacked is not null)
            {
                Directory.Delete(unpacked, recursive: true);
            }
        }
    }

    private async Task<int> RestoreAsync(CommandContext context, string root, string? dataDirOption, bool force, CancellationToken ct)
    {
        var manifest = await ReadManifestAsync(root, ct);
        var db = context.Database;
        var provider = database.Value.Provider;
        var problems = manifest.ProblemsRestoringOn(provider.ToString(), [.. db.Database.GetMigrations()]).ToList();
        if (problems.Count == 0)
        {
            problems.AddRange(manifest.CompareFiles(await BackupFiles.InventoryAsync(root, ct)));
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await context.Error.WriteLineAsync($"REFUSED ({problem.Rule}): {problem.Message}");
            }

            await context.Error.WriteLineAsync("Nothing was restored.");
            return 1;
        }

        var connectionString = db.Database.GetConnectionString()!;
        var dataDir = Path.GetFullPath(dataDirOption ?? data.Path);
        var sqliteFile = provider != DatabaseProvider.Sqlite ? string.Empty
            : dataDirOption is null ? SqliteBackup.TargetFile(connectionString) : Path.Combine(dataDir, SqliteBackup.FileName);
        var occupied = await OccupiedAsync(provider, dataDir, sqliteFile, connectionString, ct);
        if (occupied is not null && !force)
        {
            await context.Error.WriteLineAsync($"REFUSED: {occupied} Restore into a fresh data directory (--data-dir) and an empty database, or add --force to overwrite them (stop every server on them first). Nothing was restored.");
            return 1;
        }

        var databaseFile = Path.Combine(root, BackupFiles.DatabaseFolder, provider == DatabaseProvider.Postgres ? PostgresBackup.FileName : SqliteBackup.FileName);
        if (provider == DatabaseProvider.Postgres)
        {
            await PostgresBackup.RestoreAsync(databaseFile, connectionString, options.Value.PostgresBinDirectory, clean: occupied is not null, ct);
        }
        else
        {
            await SqliteBackup.RestoreAsync(databaseFile, sqliteFile, ct);
        }

        BackupFiles.CreateOwnerOnlyDirectory(dataDir);
        var prefix = BackupFiles.DataFolder + "/";
        var files = manifest.Files.Where(f => f.Path.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        foreach (var file in files)
        {
            await BackupFiles.CopyOwnerOnlyAsync(Path.Combine(root, file.Path), Path.Combine(dataDir, file.Path[prefix.Length..]), ct);
        }

        var counts = provider == DatabaseProvider.Postgres
            ? await PostgresBackup.CountAsync(connectionString, ct)
            : await SqliteBackup.CountAsync(sqliteFile, ct);
        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Restored the {manifest.Provider} database of {manifest.CreatedAt:yyyy-MM-dd HH:mm:ss}Z and {files.Count} files (photos, keys) into {dataDir}."));
        await context.Out.WriteLineAsync($"  {"table",-16} {"backup",10} {"restored",10}");
        foreach (var (table, rows) in manifest.Counts)
        {
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {table,-16} {rows,10} {counts.GetValueOrDefault(table),10}"));
        }

        var differing = manifest.CountsDifferingFrom(counts);
        if (differing.Count > 0)
        {
            await context.Error.WriteLineAsync($"The restored counts differ from the backup's in {string.Join(", ", differing.Select(d => d.Table))}: the restore is incomplete. Restore again with --force, or use another backup.");
            return 1;
        }

        await RecordAsync(context, provider, sqliteFile, connectionString, manifest, ct);
        await context.Out.WriteLineAsync($"Start the server on it with CIVICGRID_DATA_DIR={dataDir}, then run `audit verify`.");
        return 0;
    }

    private static async Task<BackupManifest> ReadManifestAsync(string root, CancellationToken ct)
    {
        var path = Path.Combine(root, BackupManifest.FileName);
        if (!File.Exists(path))
        {
            throw new BackupException(Directory.Exists(root)
                ? $"{root} has no {BackupManifest.FileName}: it is not a finished CivicGrid backup (one cut off before its end has none). Use another backup."
                : $"There is no backup at {root}. Give the folder or .tar file that `backup --to` wrote.");
        }

        try
        {
            return JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(path, ct), BackupCommand.Json)
                ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new BackupException($"{path} is not a valid backup manifest ({e.Message}). The backup is damaged; use another one.");
        }
    }

    /// <summary>What already holds data at the target, or null when the data directory holds no file and the database is empty.</summary>
    private static async Task<string?> OccupiedAsync(DatabaseProvider provider, string dataDir, string sqliteFile, string connectionString, CancellationToken ct)
    {
        if (!BackupFiles.HoldsNoFile(dataDir))
        {
            return $"The data directory {dataDir} already holds files.";
        }

        if (provider == DatabaseProvider.Postgres)
        {
            return await PostgresBackup.HoldsDataAsync(connectionString, ct)
                ? $"The database \"{new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database}\" already holds tables."
                : null;
        }

        return SqliteBackup.HoldsData(sqliteFile) ? $"The database file {sqliteFile} already holds data." : null;
    }

    /// <summary>
    /// Records the restore in the restored database's security audit trail when it is the one this server is configured for
    /// (migrating it first when the backup's schema is older).
    /// </summary>
    private async Task RecordAsync(CommandContext context, DatabaseProvider provider, string sqliteFile, string connectionString, BackupManifest manifest,
        CancellationToken ct)
    {
        if (provider == DatabaseProvider.Sqlite && sqliteFile != SqliteBackup.TargetFile(connectionString))
        {
            await context.Out.WriteLineAsync("The restored database is not the one configured for this command, so the restore is not in its security audit trail.");
            return;
        }

        await context.MigrateAsync();
        audit.Record(context.Database, SecurityEventKind.BackupRestored, new SecuritySubject("backup", null, manifest.CreatedAt.ToString("O", CultureInfo.InvariantCulture), string.Empty),
            $"运维命令从 {manifest.CreatedAt:yyyy-MM-dd HH:mm:ss}Z 的备份恢复数据库、照片和密钥", actorName: $"operator:{Environment.UserName}");
        await context.Database.SaveChangesAsync(ct);
    }
}
