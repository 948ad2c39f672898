using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CivicGrid.Server.Tests.Infrastructure;

/// <summary>
/// The seeded demo of one provider, made once per test run (an assembly fixture): the real server is started once on an
/// empty database, migrates it and loads the demo subdistrict, and is stopped again. What it leaves (the database and the
/// data directory with its keys) is never used by a test; every test class copies it (<see cref="SqliteApp"/>,
/// <see cref="PostgresApp"/>) and works on the copy. The copies start with the same rows, keys and demo day, so the
/// server on a copy neither migrates nor seeds.
/// </summary>
public abstract class DemoTemplate : IAsyncLifetime
{
    private TemplateServer? _seeder;

    public abstract DatabaseProvider Provider { get; }

    /// <summary>The data directory the template was seeded in (its keys, and on SQLite its database file).</summary>
    protected string DataDirectory => _seeder?.DataDirectory ?? throw new InvalidOperationException("The template is not initialized.");

    /// <summary>The connection string of the template database, or null for the SQLite file in the data directory.</summary>
    protected abstract string? TemplateConnectionString { get; }

    public virtual async ValueTask InitializeAsync()
    {
        _seeder = new TemplateServer(Provider, TemplateConnectionString);
        await _seeder.InitializeAsync();
        // Stopping the server closes what it had open, so the template can be copied whole.
        await _seeder.DisposeAsync();
        await CloseAsync();
    }

    /// <summary>Makes the template complete and unused after its server stopped.</summary>
    protected abstract Task CloseAsync();

    /// <summary>Copies the template's data directory (keys, and on SQLite the database file) into <paramref name="dataDirectory"/>.</summary>
    public void CopyTo(string dataDirectory)
    {
        foreach (var file in Directory.EnumerateFiles(DataDirectory, "*", SearchOption.AllDirectories))
        {
            // Checkpointed and closed (CloseAsync): nothing of the database is left in its log.
            if (file.EndsWith("-wal", StringComparison.Ordinal) || file.EndsWith("-shm", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(dataDirectory, Path.GetRelativePath(DataDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_seeder is not null && Directory.Exists(_seeder.DataDirectory))
        {
            Directory.Delete(_seeder.DataDirectory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The server that seeds the template; it keeps its data directory for the copies.</summary>
    private sealed class TemplateServer(DatabaseProvider provider, string? connectionString) : CivicGridApp
    {
        public override DatabaseProvider Provider => provider;

        protected override string? ConnectionString => connectionString;

        protected override bool DeleteDataDirectory => false;

        protected override bool StartsOnACopy => false;
    }
}

/// <summary>
/// The seeded SQLite demo database file of the run, checkpointed into a single file (no write-ahead log) and closed; each
/// <see cref="SqliteApp"/> copies it.
/// </summary>
public sealed class SqliteTemplate : DemoTemplate
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override string? TemplateConnectionString => null;

    protected override async Task CloseAsync()
    {
        var connectionString = CivicGridApp.SqliteConnectionString(DataDirectory);
        await using (var pooled = new SqliteConnection(connectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        // Everything in the log goes into the database file and the log is emptied, so the file alone is the database.
        await using var connection = new SqliteConnection(connectionString.Replace("Pooling=True", "Pooling=False", StringComparison.Ordinal));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        if (reader.GetInt32(0) != 0)
        {
            throw new InvalidOperationException("The SQLite template could not be checkpointed: a connection is still open.");
        }
    }
}

/// <summary>
/// The PostgreSQL/PostGIS cluster of the run (one, started here and stopped at the end) with the seeded demo in a template
/// database that nothing stays connected to; each <see cref="PostgresApp"/> gets a database of its own created from it
/// (<c>CREATE DATABASE … TEMPLATE</c>) and dropped at the end.
/// </summary>
public sealed class PostgresTemplate : DemoTemplate
{
    private const string TemplateDatabase = "civicgrid_template";

    public PostgresServer Server { get; } = new();

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override string? TemplateConnectionString => Server.ConnectionString(TemplateDatabase);

    public override async ValueTask InitializeAsync()
    {
        await Server.InitializeAsync();
        await Server.CreateDatabaseAsync(TemplateDatabase);
        await base.InitializeAsync();
    }

    protected override async Task CloseAsync()
    {
        // CREATE DATABASE … TEMPLATE refuses while anyone is connected to the template: the seeding server's pool goes.
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{TemplateDatabase}' AND pid <> pg_backend_pid()");
    }

    /// <summary>Creates <paramref name="database"/> as a copy of the template.</summary>
    public Task CloneAsync(string database) =>
        // A file copy: the template is large and the cluster runs without fsync, so copying files beats logging every page.
        AdminAsync($"CREATE DATABASE \"{database}\" TEMPLATE \"{TemplateDatabase}\" STRATEGY FILE_COPY");

    /// <summary>Drops a copy once its server stopped.</summary>
    public async Task DropAsync(string database)
    {
        await using (var pooled = new NpgsqlConnection(Server.ConnectionString(database)))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await AdminAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Server.DisposeAsync();
    }

    private async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
