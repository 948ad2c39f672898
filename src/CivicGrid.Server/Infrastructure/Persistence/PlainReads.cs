using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// Plain ADO.NET reads on a pooled connection, for the few checks that run on nearly every intake request and nearly always
/// find nothing (is this idempotency key stored? has this device an open case?): without a service scope, a context and
/// EF's query pipeline, which together cost a report on SQLite 0.5–0.7 ms of CPU, more than the rest of it (measured,
/// bench/README.md). Anything that finds something goes on through EF.
/// </summary>
/// <remarks>
/// One SQL text serves both databases: parameters are written <c>$1</c>, <c>$2</c>… (a named parameter to SQLite, a
/// positional one to PostgreSQL); values are bound as EF stores them (<see cref="AsStored"/>), a <see cref="bool"/> column
/// reads as a condition on both.
/// </remarks>
public sealed class PlainReads(IServiceScopeFactory scopes)
{
    /// <summary>The database's connection string and kind, read once from a context.</summary>
    private sealed record Database(string ConnectionString, bool Postgres);

    private Database? _database;

    /// <summary>
    /// A value as EF stores it, for SQL written by hand: on SQLite a <see cref="Guid"/> is upper-case text and a
    /// <see cref="DateTimeOffset"/> Unix milliseconds (<c>SqliteCivicGridDbContext</c>'s conventions); PostgreSQL takes
    /// both as they are (a time stamp in UTC).
    /// </summary>
    public static object AsStored(object value, DatabaseProvider provider) => (value, provider) switch
    {
        (Guid id, DatabaseProvider.Sqlite) => id.ToString("D").ToUpperInvariant(),
        (DateTimeOffset at, DatabaseProvider.Sqlite) => at.ToUnixTimeMilliseconds(),
        (DateTimeOffset at, _) => at.ToUniversalTime(),
        _ => value,
    };

    /// <summary>Runs <paramref name="sql"/> with <paramref name="parameters"/> and hands its reader to <paramref name="read"/>.</summary>
    public async Task<T> ReadAsync<T>(string sql, IReadOnlyList<object> parameters, Func<DbDataReader, CancellationToken, Task<T>> read,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(read);
        var database = _database;
        if (database is null)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            var postgres = db.Database.IsNpgsql();
            var connectionString = db.Database.GetConnectionString()!;
            if (postgres)
            {
                // A pool of their own that keeps its sessions as they are between reads: no DISCARD ALL round trip (a transaction
                // of its own) after each, and the few statements prepared once per connection instead of planned each time.
                connectionString = new NpgsqlConnectionStringBuilder(connectionString)
                {
                    NoResetOnClose = true, MaxAutoPrepare = 16, AutoPrepareMinUsages = 2,
                }.ConnectionString;
            }

            _database = database = new Database(connectionString, postgres);
        }

        await using DbConnection connection = database.Postgres
            ? new NpgsqlConnection(database.ConnectionString)
            : new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = database.Postgres ? string.Empty : $"${i + 1}";
            parameter.Value = AsStored(parameters[i], database.Postgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite);
            command.Parameters.Add(parameter);
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        return await read(reader, ct);
    }

    /// <summary>True when <paramref name="sql"/> returns a row.</summary>
    public Task<bool> AnyAsync(string sql, IReadOnlyList<object> parameters, CancellationToken ct) =>
        ReadAsync(sql, parameters, (reader, token) => reader.ReadAsync(token), ct);
}
