using Microsoft.EntityFrameworkCore;

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
        // The table names come from the EF model.
        var names = string.Join(", ", tables.Select(t => $"'{t}'"));
        var catalogue = postgres
            ? "SELECT indexname AS \"Name\", indexdef AS \"Definition\" FROM pg_indexes WHERE schemaname = current_schema() "
                + $"AND tablename IN ({names}) AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            : $"SELECT name AS \"Name\", sql AS \"Definition\" FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({names})";
        var indexes = await db.Database.SqlQueryRaw<IndexDefinition>(catalogue).ToListAsync(ct);
        foreach (var index in indexes)
        {
            await db.Database.ExecuteSqlRawAsync($"INSERT INTO {Store} (name, definition) VALUES ({{0}}, {{1}})", [index.Name, index.Definition], ct);
            // The name comes from the database's own catalogue.
            var drop = $"DROP INDEX \"{index.Name}\"";
            await db.Database.ExecuteSqlRawAsync(drop, ct);
        }

        await transaction.CommitAsync(ct);
        return [.. indexes.Select(i => i.Name)];
    }

    /// <summary>Builds every index a load dropped (this one's, or a killed one's), one transaction each.</summary>
    public static async Task RestoreAsync(CivicGridDbContext db, CancellationToken ct)
    {
        await db.Database.ExecuteSqlRawAsync(CreateStore, ct);
        var postgres = db.Database.IsNpgsql();
        var owed = await db.Database.SqlQueryRaw<IndexDefinition>($"SELECT name AS \"Name\", definition AS \"Definition\" FROM {Store} ORDER BY name").ToListAsync(ct);
        foreach (var index in owed)
        {
            await using var transaction = await db.Database.BeginOwnTransactionAsync(ct);
            if (!postgres)
            {
                // A sort of millions of keys: a large cache for this connection, and SQLite's sorter on helper threads.
                await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size=-524288", ct);
                await db.Database.ExecuteSqlRawAsync("PRAGMA threads=4", ct);
            }

            await db.Database.ExecuteSqlRawAsync(index.Definition, ct);
            await db.Database.ExecuteSqlRawAsync($"DELETE FROM {Store} WHERE name = {{0}}", [index.Name], ct);
            await transaction.CommitAsync(ct);
        }

        // Nothing left to build: the store goes, and a database that never had a load never shows it.
        await db.Database.ExecuteSqlRawAsync($"DROP TABLE {Store}", ct);
    }

    /// <summary>An index's name and the statement that creates it.</summary>
    private sealed class IndexDefinition
    {
        public required string Name { get; init; }

        public required string Definition { get; init; }
    }
}
