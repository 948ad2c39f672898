using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// Writes a change set made only of new rows with one INSERT statement per table, built once per table and model, parsed
/// once per batch and executed for each row, instead of EF's update pipeline, which generates the SQL of every row again
/// (and SQLite then parses each one). For the intake writer, whose group-commit batches are dozens of cases with their
/// timelines and notifications (ADR 0015 weighs it).
/// </summary>
/// <remarks>
/// Columns, table names, value converters and parameter types all come from the EF model and the provider's type
/// mappings (the same <see cref="RelationalTypeMapping.CreateParameter"/> EF uses), so the rows are the ones
/// <c>SaveChanges</c> would write. Anything this does not cover (a modified or deleted row, a store-generated key, a
/// table shared by several entity types, inheritance, complex properties, rows of one table referring to each other)
/// makes <see cref="TryPlan"/> refuse, and the caller saves through EF instead.
/// </remarks>
internal static class AddedRowsInserter
{
    private static readonly ConcurrentDictionary<IEntityType, TableInsert?> Inserts = new();
    private static readonly ConcurrentDictionary<IEntityType, TableInsert?> BulkInserts = new();

    /// <summary>The rows to insert, grouped by table, principals before their dependents.</summary>
    internal sealed class Plan(List<(TableInsert Table, List<EntityEntry> Rows)> tables)
    {
        public List<(TableInsert Table, List<EntityEntry> Rows)> Tables { get; } = tables;
    }

    /// <summary>One table's INSERT: the columns, in order, with the type mapping that turns each value into a parameter.</summary>
    internal sealed class TableInsert(string sql, IProperty[] properties, RelationalTypeMapping[] mappings, string[] parameterNames)
    {
        public string Sql { get; } = sql;

        public IProperty[] Properties { get; } = properties;

        public RelationalTypeMapping[] Mappings { get; } = mappings;

        public string[] ParameterNames { get; } = parameterNames;
    }

    /// <summary>
    /// Plans the insert of every tracked entry, or returns null when the change set is not only new rows of plain tables
    /// (see the remarks) and must go through EF.
    /// </summary>
    public static Plan? TryPlan(DbContext db)
    {
        var byType = new Dictionary<IEntityType, List<EntityEntry>>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State == EntityState.Unchanged || entry.State == EntityState.Detached)
            {
                continue;
            }

            if (entry.State != EntityState.Added || HasTemporaryValue(entry))
            {
                return null;
            }

            if (!byType.TryGetValue(entry.Metadata, out var rows))
            {
                rows = [];
                byType.Add(entry.Metadata, rows);
            }

            rows.Add(entry);
        }

        var tables = new List<(TableInsert, List<EntityEntry>)>(byType.Count);
        var placed = new HashSet<IEntityType>();
        var visiting = new HashSet<IEntityType>();

        // Principals first, so that foreign keys checked at once (SQLite's foreign_keys=ON) find their rows.
        bool Place(IEntityType type)
        {
            if (placed.Contains(type))
            {
                return true;
            }

            if (!visiting.Add(type))
            {
                return false;
            }

            foreach (var key in type.GetForeignKeys())
            {
                var principal = key.PrincipalEntityType;
                if (principal == type || (byType.ContainsKey(principal) && !Place(principal)))
                {
                    return false;
                }
            }

            var insert = Inserts.GetOrAdd(type, t => Build(t, db.Database.IsNpgsql(), db.GetService<ISqlGenerationHelper>(), generatedKey: false));
            if (insert is null)
            {
                return false;
            }

            visiting.Remove(type);
            placed.Add(type);
            tables.Add((insert, byType[type]));
            return true;
        }

        foreach (var type in byType.Keys)
        {
            if (!Place(type))
            {
                return null;
            }
        }

        return new Plan(tables);
    }

    /// <summary>
    /// The INSERT of one entity type for <see cref="BulkRows"/>, or null when the type is not a plain table (see the remarks).
    /// Unlike <see cref="TryPlan"/>'s, a store-generated number key (a case's mediations) is left out for the database to
    /// number, since bulk rows never read their keys back.
    /// </summary>
    public static TableInsert? BulkInsertOf(DbContext db, IEntityType type) =>
        BulkInserts.GetOrAdd(type, t => Build(t, db.Database.IsNpgsql(), db.GetService<ISqlGenerationHelper>(), generatedKey: true));

    private static bool HasTemporaryValue(EntityEntry entry)
    {
        foreach (var property in entry.Metadata.GetProperties())
        {
            if (property.ValueGenerated != ValueGenerated.Never && entry.Property(property).IsTemporary)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Inserts the planned rows in the context's current transaction: on PostgreSQL as one batch (one round trip), on
    /// SQLite (in-process) one prepared statement per table executed row by row. Does not accept the changes.
    /// </summary>
    /// <returns>The number of rows written.</returns>
    /// <exception cref="DbUpdateException">The database refused a row (a constraint), with its error inside, as EF reports it.</exception>
    /// <param name="synchronous">Blocking database calls; the returned task is then complete.</param>
    public static async Task<int> InsertAsync(DbContext db, Plan plan, bool synchronous, CancellationToken ct)
    {
        try
        {
            return await InsertRowsAsync(db, plan, synchronous, ct);
        }
        catch (DbException e)
        {
            throw new DbUpdateException("An error occurred while saving the entity changes. See the inner exception for details.", e,
                [.. plan.Tables.SelectMany(t => t.Rows)]);
        }
    }

    private static async Task<int> InsertRowsAsync(DbContext db, Plan plan, bool synchronous, CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("AddedRowsInserter writes inside the context's transaction.");
        var connection = transaction.Connection ?? throw new InvalidOperationException("The transaction has no connection.");
        var written = 0;
        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            await using var factory = connection.CreateCommand();
            foreach (var (table, rows) in plan.Tables)
            {
                foreach (var row in rows)
                {
                    var command = batch.CreateBatchCommand();
                    command.CommandText = table.Sql;
                    Bind(factory, command.Parameters, table, row);
                    batch.BatchCommands.Add(command);
                }
            }

            // Prepared on the server once per pooled connection and statement (Npgsql keeps them across uses of the
            // connection): PostgreSQL then neither parses nor plans the rows' INSERTs again.
            if (synchronous)
            {
                batch.Prepare();
                batch.ExecuteNonQuery();
            }
            else
            {
                await batch.PrepareAsync(ct);
                await batch.ExecuteNonQueryAsync(ct);
            }

            foreach (var command in batch.BatchCommands)
            {
                Check(command.RecordsAffected);
                written += command.RecordsAffected;
            }

            return written;
        }

        foreach (var (table, rows) in plan.Tables)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = table.Sql;
            foreach (var row in rows)
            {
                command.Parameters.Clear();
                Bind(command, command.Parameters, table, row);
                var affected = synchronous ? command.ExecuteNonQuery() : await command.ExecuteNonQueryAsync(ct);
                Check(affected);
                written += affected;
            }
        }

        return written;
    }

    private static void Check(int affected)
    {
        if (affected != 1)
        {
            throw new DbUpdateException($"An insert wrote {affected} rows instead of 1.");
        }
    }

    private static void Bind(DbCommand factory, DbParameterCollection parameters, TableInsert table, EntityEntry row)
    {
        var values = row.CurrentValues;
        for (var i = 0; i < table.Properties.Length; i++)
        {
            var property = table.Properties[i];
            parameters.Add(table.Mappings[i].CreateParameter(factory, table.ParameterNames[i], values[property], property.IsNullable));
        }
    }

    /// <param name="generatedKey">Leave a store-generated number key out (the database numbers the row).</param>
    private static TableInsert? Build(IEntityType type, bool positional, ISqlGenerationHelper sql, bool generatedKey)
    {
        if (type.BaseType is not null || type.GetDirectlyDerivedTypes().Any() || type.GetComplexProperties().Any())
        {
            return null;
        }

        var mappings = type.GetTableMappings().ToList();
        if (mappings.Count != 1 || mappings[0].Table.EntityTypeMappings.Count() != 1)
        {
            return null;
        }

        var table = mappings[0].Table;
        var store = StoreObjectIdentifier.Table(table.Name, table.Schema);
        var properties = new List<IProperty>();
        var types = new List<RelationalTypeMapping>();
        var names = new List<string>();
        var columns = new StringBuilder();
        var values = new StringBuilder();
        foreach (var property in type.GetProperties())
        {
            var column = property.GetColumnName(store);
            if (column is null)
            {
                continue;
            }

            if (generatedKey && IsStoreNumbered(property))
            {
                continue;
            }

            // A value the database supplies (a default, a computed column, a row version) is left out by EF and read back;
            // only keys may be generated, and those the client generated (a key still holding a temporary value is
            // refused row by row in TryPlan).
            if ((property.ValueGenerated != ValueGenerated.Never && !property.IsPrimaryKey())
                || property.GetDefaultValueSql() is not null || property.GetComputedColumnSql() is not null || property.TryGetDefaultValue(out _))
            {
                return null;
            }

            var name = $"p{properties.Count}";
            properties.Add(property);
            types.Add(property.GetRelationalTypeMapping());
            names.Add(positional ? string.Empty : sql.GenerateParameterName(name));
            columns.Append(columns.Length == 0 ? string.Empty : ", ").Append(sql.DelimitIdentifier(column));
            values.Append(values.Length == 0 ? string.Empty : ", ").Append(positional ? $"${properties.Count}" : sql.GenerateParameterNamePlaceholder(name));
        }

        return properties.Count == 0 ? null : new TableInsert($"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({columns}) VALUES ({values})",
            [.. properties], [.. types], [.. names]);
    }

    private static bool IsStoreNumbered(IProperty property) =>
        property.IsPrimaryKey() && !property.IsForeignKey() && property.ValueGenerated == ValueGenerated.OnAdd
        && (property.ClrType == typeof(int) || property.ClrType == typeof(long));
}
