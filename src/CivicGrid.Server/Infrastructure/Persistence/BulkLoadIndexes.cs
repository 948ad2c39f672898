using System.Data;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// Takes the secondary indexes off tables for a bulk load of millions of rows and builds them again afterwards, which is
/// several times faster than keeping them: each index is then sorted once instead of updated row by row at random places,
/// and on SQLite those updates stop fitting in the page cache after a few million cases.
/// </summary>
/// <remarks>
/// Crash-safe: the definitions are written to the table <c>bulk_load_dropped_indexes</c> in the same transaction that
/// drops them (both databases make DDL transactional), and each index is built again in the transaction that deletes its
/// definition; the table goes when it is empty. A load killed in between leaves the definitions behind, and <see cref="RestoreAsync"/> (which
/// <see cref="DropAsync"/> calls first) builds them before anything else. Primary keys and the indexes that back
/// constraints stay; unique indexes are built again and so check the loaded rows.
/// </remarks>
internal static class BulkLoadIndexes
{
    private const string Store = "bulk_load_dropped_indexes";
    private const string CreateStore = $"CREATE TABLE IF NOT EXISTS {Store} (name VARCHAR(200) NOT NULL PRIMARY KEY, definition TEXT NOT NULL)";

    /// <summary>Drops the secondary indexes of <paramref name="tables"/>, keeping their definitions; restores a killed load's first.</summary>
    /// <returns>The indexes dropped, by name.</returns>
    public static async Task<IReadOnlyList<string>> DropAsync(CivicGridDbContext db, IReadOnlyCollection<string> tables, CancellationToken ct)
    {
        await RestoreAsync(db, ct);
        var postgres = db.Database.IsNpgsql();
        await using var transaction = await db.Database.BeginOwnTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync(CreateStore, ct);
        var indexes = await QueryAsync(db, postgres
            ? "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY(@tables) "
                + "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            : $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({string.Join(", ", tables.Select(t => $"'{t}'"))})",
            postgres ? tables.ToArray() : null, ct);
        foreach (var (name, definition) in indexes)
        {
            await db.Database.ExecuteSqlRawAsync($"INSERT INTO {Store} (name, definition) VALUES ({{0}}, {{1}})", [name, definition], ct);
            // The name comes from the database's own catalogue.
            var drop = $"DROP INDEX \"{name}\"";
            await db.Database.ExecuteSqlRawAsync(drop, ct);
        }

        await transaction.CommitAsync(ct);
        return [.. indexes.Select(i => i.Name)];
    }

    /// <summary>Builds every index a load dropped (this one's, or a killed one's), one transaction each.</summary>
    /// <param name="progress">Told each index's name and how long it took.</param>
    public static async Task RestoreAsync(CivicGridDbContext db, CancellationToken ct, Action<string, TimeSpan>? progress = null)
    {
        await db.Database.ExecuteSqlRawAsync(CreateStore, ct);
        var postgres = db.Database.IsNpgsql();
        foreach (var (name, definition) in await QueryAsync(db, $"SELECT name, definition FROM {Store} ORDER BY name", null, ct))
        {
            var watch = Stopwatch.StartNew();
            await using var transaction = await db.Database.BeginOwnTransactionAsync(ct);
            if (!postgres)
            {
                // A sort of millions of keys: a large cache for this connection, and SQLite's sorter on both cores.
                await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size=-524288", ct);
                await db.Database.ExecuteSqlRawAsync("PRAGMA threads=4", ct);
            }

            await db.Database.ExecuteSqlRawAsync(definition, ct);
            await db.Database.ExecuteSqlRawAsync($"DELETE FROM {Store} WHERE name = {{0}}", [name], ct);
            await transaction.CommitAsync(ct);
            progress?.Invoke(name, watch.Elapsed);
        }

        // Nothing left to build: the store goes, and a database that never had a load never shows it.
        await db.Database.ExecuteSqlRawAsync($"DROP TABLE {Store}", ct);
    }

    private static async Task<List<(string Name, string Definition)>> QueryAsync(CivicGridDbContext db, string sql, string[]? tables, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(ct);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = sql;
            if (tables is not null)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "tables";
                parameter.Value = tables;
                command.Parameters.Add(parameter);
            }

            var rows = new List<(string, string)>();
            await using DbDataReader reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }

            return rows;
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
