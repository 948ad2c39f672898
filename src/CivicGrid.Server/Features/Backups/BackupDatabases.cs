using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CivicGrid.Server.Features.Backups;

/// <summary>A backup or restore that cannot go on: the message says what is wrong and what to do (exit code 1).</summary>
public sealed class BackupException(string message) : Exception(message);

/// <summary>What a snapshot of the database records in the manifest.</summary>
internal sealed record DatabaseSnapshot(string File, string SchemaMigration, Dictionary<string, long> Counts);

/// <summary>The main tables whose rows a backup counts at its snapshot and a restore counts again.</summary>
internal static class BackupTables
{
    public static readonly string[] Main =
        ["cases", "case_timeline", "case_photos", "grids", "users", "households", "residents", "patrols", "door_visits", "security_events"];

    /// <summary>Counts <see cref="Main"/> and reads the last applied migration, inside <paramref name="transaction"/> when given.</summary>
    public static async Task<(string Migration, Dictionary<string, long> Counts)> ReadAsync(DbConnection connection, DbTransaction? transaction,
        CancellationToken ct)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in Main)
        {
            counts[table] = Convert.ToInt64(await ScalarAsync(connection, transaction, $"SELECT COUNT(*) FROM \"{table}\"", ct),
                System.Globalization.CultureInfo.InvariantCulture);
        }

        var migration = await ScalarAsync(connection, transaction, "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY \"MigrationId\" DESC LIMIT 1", ct) as string
            ?? throw new BackupException("The database has no applied migration: it is empty. Nothing to back up.");
        return (migration, counts);
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }
}

/// <summary>
/// SQLite: the online backup API copies the database page by page from one read transaction, so the copy is the database
/// at one instant while writers go on (WAL: readers and the writer do not block each other). The copy keeps the source's
/// WAL mode (the server opens it as it opens its own); its last connection closes with the log folded in and removed, so
/// the backup is one self-contained file.
/// </summary>
internal static class SqliteBackup
{
    public const string FileName = "civicgrid.db";

    public static async Task<DatabaseSnapshot> SnapshotAsync(string connectionString, string folder, CancellationToken ct)
    {
        var source = new SqliteConnectionStringBuilder(connectionString) { Pooling = false, Mode = SqliteOpenMode.ReadWrite };
        if (!File.Exists(source.DataSource))
        {
            throw new BackupException($"There is no SQLite database at {source.DataSource}: nothing to back up. Point CIVICGRID_DATA_DIR (or Database:ConnectionString) at the server's data.");
        }

        var target = Path.Combine(folder, FileName);
        await using (var from = new SqliteConnection(source.ToString()))
        {
            await from.OpenAsync(ct);
            await BackupTables.ScalarAsync(from, null, "PRAGMA busy_timeout=30000", ct);
            await using var to = new SqliteConnection(Unpooled(target));
            await to.OpenAsync(ct);
            from.BackupDatabase(to);
        }

        BackupFiles.MakeOwnerOnly(target);
        await using var copy = new SqliteConnection(Unpooled(target));
        await copy.OpenAsync(ct);
        var (migration, counts) = await BackupTables.ReadAsync(copy, null, ct);
        return new DatabaseSnapshot(target, migration, counts);
    }

    /// <summary>The database file a restore writes: the configured one, or <c>civicgrid.db</c> in a data directory given to the command.</summary>
    public static string TargetFile(string connectionString) => Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);

    /// <summary>True when the target holds a database (a non-empty file).</summary>
    public static bool HoldsData(string targetFile) => File.Exists(targetFile) && new FileInfo(targetFile).Length > 0;

    public static async Task RestoreAsync(string backupFile, string targetFile, CancellationToken ct)
    {
        SqliteConnection.ClearAllPools();
        foreach (var leftover in (string[])[targetFile, targetFile + "-wal", targetFile + "-shm", targetFile + "-journal"])
        {
            File.Delete(leftover);
        }

        await BackupFiles.CopyOwnerOnlyAsync(backupFile, targetFile, ct);
    }

    public static async Task<Dictionary<string, long>> CountAsync(string targetFile, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(Unpooled(targetFile));
        await connection.OpenAsync(ct);
        return (await BackupTables.ReadAsync(connection, null, ct)).Counts;
    }

    private static string Unpooled(string file) => new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();
}

/// <summary>
/// PostgreSQL: a repeatable-read transaction exports its snapshot; the row counts are read in it and <c>pg_dump -Fc</c>
/// dumps that same snapshot (<c>--snapshot</c>), so the counts in the manifest are exactly the dump's while writers go on.
/// A restore runs <c>pg_restore</c> in one transaction into the configured database, which must exist and be empty
/// (or, with <c>--force</c>, is cleaned first).
/// </summary>
internal static class PostgresBackup
{
    public const string FileName = "civicgrid.dump";

    public static async Task<DatabaseSnapshot> SnapshotAsync(string connectionString, string folder, string? binDirectory, CancellationToken ct)
    {
        var target = Path.Combine(folder, FileName);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var tools = await PostgresTools.FindAsync(connection, binDirectory, ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var snapshot = (string)(await BackupTables.ScalarAsync(connection, transaction, "SELECT pg_export_snapshot()", ct))!;
        var (migration, counts) = await BackupTables.ReadAsync(connection, transaction, ct);
        await tools.RunAsync("pg_dump", ["-Fc", "--no-owner", "--no-privileges", $"--snapshot={snapshot}", "-f", target], connectionString, ct);
        await transaction.CommitAsync(ct);
        BackupFiles.MakeOwnerOnly(target);
        return new DatabaseSnapshot(target, migration, counts);
    }

    /// <summary>True when the database holds any table that no extension made (PostGIS's <c>spatial_ref_sys</c> does not count).</summary>
    public static async Task<bool> HoldsDataAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = await OpenTargetAsync(connectionString, ct);
        var tables = await BackupTables.ScalarAsync(connection, null, """
            SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            """, ct);
        return Convert.ToInt64(tables, System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    public static async Task RestoreAsync(string dumpFile, string connectionString, string? binDirectory, bool clean, CancellationToken ct)
    {
        PostgresTools tools;
        await using (var connection = await OpenTargetAsync(connectionString, ct))
        {
            tools = await PostgresTools.FindAsync(connection, binDirectory, ct);
        }

        NpgsqlConnection.ClearAllPools();
        string[] options = ["--no-owner", "--no-privileges", "--no-comments", "--single-transaction", "--exit-on-error", .. clean ? (string[])["--clean", "--if-exists"] : []];
        await tools.RunAsync("pg_restore", [.. options, dumpFile], connectionString, ct);
    }

    public static async Task<Dictionary<string, long>> CountAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = await OpenTargetAsync(connectionString, ct);
        return (await BackupTables.ReadAsync(connection, null, ct)).Counts;
    }

    private static async Task<NpgsqlConnection> OpenTargetAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            await connection.DisposeAsync();
            var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
            throw new BackupException($"The database \"{database}\" does not exist. Create it empty (createdb -O <owner> {database}) and run restore again.");
        }
    }
}
