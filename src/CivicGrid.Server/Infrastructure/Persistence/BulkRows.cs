using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// Writes generated rows fast, past EF's change tracker, update pipeline, save hooks and interceptors: the demo's year of
/// cases and the benchmarks' datasets. The table, columns, value converters and parameter types come from the EF model
/// through <see cref="AddedRowsInserter"/>, the values straight from the entities' properties (an owned or dependent
/// collection — a case's timeline, a roster member's assignments — follows its owner, with the owner's key in its shadow key;
/// a dependent's store-generated number key is left to the database), and the rows go in as prepared inserts on SQLite
/// (through its C API when <see cref="SqliteRowInsert"/> can bind every column) or one binary COPY per table on PostgreSQL,
/// in the context's current transaction when it has one, else in one of their own.
/// </summary>
/// <remarks>
/// Only for generated records of the past: nothing reacts to these rows (no notifications, no outbox messages, no caches),
/// which is the point for history and wrong for anything a person is meant to be told about.
/// </remarks>
internal static class BulkRows
{
    private static readonly ConcurrentDictionary<IEntityType, Table> Tables = new();
    private static long PreparingTicks;
    private static long InsertingTicks;
    private static readonly ConcurrentDictionary<string, bool> ThroughAdoNet = new(StringComparer.Ordinal);

    /// <summary>Where the writing time went so far in this process: reading the values, the database.</summary>
    public static string Timings =>
        $"reading values {TimeSpan.FromTicks(PreparingTicks).TotalSeconds:F1} s, inserting {TimeSpan.FromTicks(InsertingTicks).TotalSeconds:F1} s"
        + (ThroughAdoNet.IsEmpty ? "" : $" (through ADO.NET: {string.Join(", ", ThroughAdoNet.Keys.Order(StringComparer.Ordinal))})");

    /// <summary>One table's insert, how to read a row's values for it, and the collections whose rows follow each row.</summary>
    private sealed record Table(AddedRowsInserter.TableInsert Insert, IClrPropertyGetter?[] Getters, bool[] OwnerKey, int KeyIndex,
        List<(IEntityType Type, IClrCollectionAccessor Items)> Children)
    {
        public object?[] Values(object entity, object? ownerKey, Func<object, IProperty, object?>? shadow)
        {
            var values = new object?[Getters.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Getters[i] is { } getter ? getter.GetClrValue(entity) : OwnerKey[i] ? ownerKey : shadow?.Invoke(entity, Insert.Properties[i]);
            }

            return values;
        }
    }

    /// <summary>Writes <paramref name="rows"/> (principals before their dependents, in the order given) in one go; shadow columns other than blind indexes stay null.</summary>
    /// <returns>The number of rows written, dependents included.</returns>
    public static Task<int> WriteAsync(CivicGridDbContext db, IEnumerable<object> rows, CancellationToken ct = default) => WriteAsync(db, rows, null, ct);

    /// <summary>Writes <paramref name="rows"/> (principals before their dependents, in the order given) in one go.</summary>
    /// <param name="shadow">
    /// The value of a shadow property that is not a key to the owner (which a save interceptor would otherwise have set, e.g.
    /// <see cref="Features.Cases.Duplicates.CaseLocationColumns.ValueOf"/>); null leaves such columns null.
    /// </param>
    /// <returns>The number of rows written, dependents included.</returns>
    /// <exception cref="InvalidOperationException">An entity type <see cref="AddedRowsInserter"/> cannot write as plain inserts.</exception>
    public static async Task<int> WriteAsync(CivicGridDbContext db, IEnumerable<object> rows, Func<object, IProperty, object?>? shadow, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        // A blind index beside a sealed column is computed here, as the save path would (SealedColumns.IndexChanges).
        object? Shadow(object entity, IProperty property) => SealedColumns.IndexFor(db.Vault, entity, property) ?? shadow?.Invoke(entity, property);
        var order = new List<Table>();
        var values = new Dictionary<Table, List<object?[]>>();
        void Collect(Table table, object entity, object? ownerKey)
        {
            if (!values.TryGetValue(table, out var list))
            {
                values[table] = list = [];
                order.Add(table);
            }

            var row = table.Values(entity, ownerKey, Shadow);
            list.Add(row);
            foreach (var (type, items) in table.Children)
            {
                if (items.GetOrCreate(entity, forMaterialization: false) is IEnumerable children)
                {
                    foreach (var item in children)
                    {
                        Collect(TableOf(db, type), item, row[table.KeyIndex]);
                    }
                }
            }
        }

        foreach (var row in rows)
        {
            Collect(TableOf(db, db.Model.FindEntityType(row.GetType()) ?? throw new InvalidOperationException($"{row.GetType().Name} is not in the model.")),
                row, null);
        }

        Interlocked.Add(ref PreparingTicks, watch.Elapsed.Ticks);
        watch.Restart();
        var written = db.Database.IsNpgsql() ? await CopyAsync(db, order, values, ct) : await InsertAsync(db, order, values, ct);
        Interlocked.Add(ref InsertingTicks, watch.Elapsed.Ticks);
        return written;
    }

    private static async Task<int> InsertAsync(CivicGridDbContext db, List<Table> tables, Dictionary<Table, List<object?[]>> values, CancellationToken ct)
    {
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await using (own)
        {
            var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
            // A large page cache while loading keeps the indexes' pages in memory; the server's own setting is applied again
            // whenever the pooled connection is next opened (SqliteCivicGridDbContext's connection interceptor).
            await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size=-262144", ct);
            var count = 0;
            foreach (var table in tables)
            {
                var insert = table.Insert;
                if (SqliteRowInsert.Supports(insert))
                {
                    using var prepared = new SqliteRowInsert((SqliteConnection)transaction.Connection!, insert);
                    foreach (var row in values[table])
                    {
                        prepared.Insert(row);
                    }

                    count += values[table].Count;
                    continue;
                }

                ThroughAdoNet.TryAdd(insert.Sql[..insert.Sql.IndexOf('(', StringComparison.Ordinal)].Trim(), true);
                await using var command = transaction.Connection!.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = insert.Sql;
                foreach (var row in values[table])
                {
                    command.Parameters.Clear();
                    for (var i = 0; i < row.Length; i++)
                    {
                        command.Parameters.Add(insert.Mappings[i].CreateParameter(command, insert.ParameterNames[i], row[i], insert.Properties[i].IsNullable));
                    }

                    count += command.ExecuteNonQuery();
                }
            }

            if (own is not null)
            {
                await own.CommitAsync(ct);
            }

            return count;
        }
    }

    private static async Task<int> CopyAsync(CivicGridDbContext db, List<Table> tables, Dictionary<Table, List<object?[]>> values, CancellationToken ct)
    {
        // In the context's transaction, if any: COPY runs on the connection, whose open transaction it joins.
        await db.Database.OpenConnectionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var count = 0;
        foreach (var table in tables)
        {
            var insert = table.Insert;
            // INSERT INTO "t" ("a", "b") VALUES ($1, $2)  →  COPY "t" ("a", "b") FROM STDIN (FORMAT BINARY)
            var target = insert.Sql["INSERT INTO ".Length..insert.Sql.IndexOf(" VALUES (", StringComparison.Ordinal)];
            var types = insert.Mappings.Select(m => m.StoreType.Split('(')[0]).ToArray();
            await using var writer = await connection.BeginBinaryImportAsync($"COPY {target} FROM STDIN (FORMAT BINARY)", ct);
            // Synchronous writes: the importer buffers, and an awaited call per value costs more than the value.
            foreach (var row in values[table])
            {
                writer.StartRow();
                for (var i = 0; i < row.Length; i++)
                {
                    var value = row[i];
                    if (value is not null && insert.Mappings[i].Converter is { } converter)
                    {
                        value = converter.ConvertToProvider(value);
                    }

                    if (value is null)
                    {
                        writer.WriteNull();
                    }
                    else
                    {
                        writer.Write(value is DateTimeOffset at ? at.ToUniversalTime() : value, types[i]);
                    }
                }
            }

            await writer.CompleteAsync(ct);
            count += values[table].Count;
        }

        return count;
    }

    /// <summary>An entity type's table, planned from the model once per model (each provider has its own).</summary>
    private static Table TableOf(CivicGridDbContext db, IEntityType type) => Tables.GetOrAdd(type, t =>
    {
        var insert = AddedRowsInserter.BulkInsertOf(db, t)
            ?? throw new InvalidOperationException($"{t.DisplayName()} cannot be written as plain inserts.");
        var children = t.GetNavigations().Where(n => n.IsCollection && !n.IsOnDependent)
            .Select(n => (n.TargetEntityType, n.GetCollectionAccessor()!)).ToList();
        var key = Array.FindIndex(insert.Properties, p => p.IsPrimaryKey());
        if (children.Count > 0 && key < 0)
        {
            throw new InvalidOperationException($"{t.DisplayName()}'s key is generated by the database, so its dependents cannot be written with it.");
        }

        return new Table(insert, [.. insert.Properties.Select(p => p.IsShadowProperty() ? null : p.GetGetter())],
            [.. insert.Properties.Select(p => p.IsShadowProperty() && p.IsForeignKey())], key, children);
    });
}
