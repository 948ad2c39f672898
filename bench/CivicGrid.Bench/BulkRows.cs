using System.Collections;
using System.Data.Common;
using System.Diagnostics;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace CivicGrid.Bench;

/// <summary>
/// Writes generated rows fast, past EF's change tracker, update pipeline, save hooks and interceptors. The table, columns,
/// value converters and parameter types come from the EF model through <see cref="AddedRowsInserter"/> (planned once per
/// entity type from one sample row), the values straight from the entities' properties (an owned or dependent collection —
/// a case's timeline, a roster member's assignments — follows its owner, with the owner's key in its shadow key), and the rows
/// go in as one transaction of prepared inserts on SQLite or one binary COPY per table on PostgreSQL. Only for generated
/// datasets: nothing reacts to these rows (no notifications, no caches).
/// </summary>
internal static class BulkRows
{
    private static readonly Dictionary<Type, Shape> Shapes = [];
    private static TimeSpan Preparing;
    private static TimeSpan Inserting;

    /// <summary>Where the writing time went so far: reading the values, the database.</summary>
    public static string Timings => $"reading values {Preparing.TotalSeconds:F1} s, inserting {Inserting.TotalSeconds:F1} s";

    /// <summary>One table's insert and how to read a row's values for it.</summary>
    private sealed record Table(AddedRowsInserter.TableInsert Insert, IClrPropertyGetter?[] Getters, bool[] OwnerKey, List<(Table? Child, IClrCollectionAccessor Items)> Children)
    {
        public object?[] Values(object entity, object? ownerKey)
        {
            var values = new object?[Getters.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Getters[i] is { } getter ? getter.GetClrValue(entity) : OwnerKey[i] ? ownerKey : null;
            }

            return values;
        }
    }

    private sealed record Shape(Table Root, List<Table> Tables);

    /// <summary>Writes <paramref name="rows"/> (principals before their dependents, in the order given) in one go.</summary>
    public static async Task<int> WriteAsync(CivicGridDbContext db, IEnumerable<object> rows, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        var tables = new List<Table>();
        var values = new Dictionary<Table, List<object?[]>>();
        void Collect(Table table, object entity, object? ownerKey)
        {
            if (!values.TryGetValue(table, out var list))
            {
                values[table] = list = [];
                tables.Add(table);
            }

            var row = table.Values(entity, ownerKey);
            list.Add(row);
            foreach (var (child, items) in table.Children)
            {
                if (items.GetOrCreate(entity, forMaterialization: false) is IEnumerable children && children.Cast<object>().Any())
                {
                    if (child is null)
                    {
                        throw new InvalidOperationException($"The sample {entity.GetType().Name} had none of the rows this one has; plan from a fuller sample.");
                    }

                    var key = row[Array.FindIndex(table.Insert.Properties, p => p.IsPrimaryKey())];
                    foreach (var item in children)
                    {
                        Collect(child, item, key);
                    }
                }
            }
        }

        foreach (var row in rows)
        {
            Collect(ShapeOf(db, row).Root, row, null);
        }

        Preparing += watch.Elapsed;
        watch.Restart();
        var written = db.Database.IsNpgsql() ? await CopyAsync(db, tables, values, ct) : await InsertAsync(db, tables, values, ct);
        Inserting += watch.Elapsed;
        return written;
    }

    private static async Task<int> InsertAsync(CivicGridDbContext db, List<Table> tables, Dictionary<Table, List<object?[]>> values, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var connection = db.Database.GetDbConnection();
        // A large page cache while loading keeps the indexes' pages in memory; the server's own setting is applied again
        // whenever the pooled connection is next opened (SqliteCivicGridDbContext's connection interceptor).
        await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size=-262144", ct);
        var count = 0;
        foreach (var table in tables)
        {
            var insert = table.Insert;
            await using var command = connection.CreateCommand();
            command.Transaction = transaction.GetDbTransaction();
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

        await transaction.CommitAsync(ct);
        return count;
    }

    private static async Task<int> CopyAsync(CivicGridDbContext db, List<Table> tables, Dictionary<Table, List<object?[]>> values, CancellationToken ct)
    {
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

    /// <summary>The tables of an entity type and its dependent collections, planned by the server's inserter from this sample row.</summary>
    private static Shape ShapeOf(CivicGridDbContext db, object sample)
    {
        if (Shapes.TryGetValue(sample.GetType(), out var shape))
        {
            return shape;
        }

        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.Add(sample);
        var plan = AddedRowsInserter.TryPlan(db) ?? throw new InvalidOperationException($"{sample.GetType().Name} cannot be written as plain inserts.");
        db.ChangeTracker.Clear();
        var inserts = plan.Tables.ToDictionary(t => t.Rows[0].Metadata, t => t.Table);
        var all = new List<Table>();
        Table Build(IEntityType type)
        {
            var insert = inserts.GetValueOrDefault(type)
                ?? throw new InvalidOperationException($"The sample {sample.GetType().Name} has no {type.DisplayName()} to plan its insert from.");
            var children = type.GetNavigations().Where(n => n.IsCollection && !n.IsOnDependent)
                .Select(n => (inserts.ContainsKey(n.TargetEntityType) ? Build(n.TargetEntityType) : null, n.GetCollectionAccessor()!)).ToList();
            var table = new Table(insert, [.. insert.Properties.Select(p => p.IsShadowProperty() ? null : p.GetGetter())],
                [.. insert.Properties.Select(p => p.IsShadowProperty() && p.IsForeignKey())], children);
            all.Add(table);
            return table;
        }

        var root = Build(db.Model.FindEntityType(sample.GetType())!);
        Shapes[sample.GetType()] = shape = new Shape(root, all);
        return shape;
    }
}
