using System.Data.Common;
using System.Text.Json;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// Rewrites the stored values of every sealed column (<see cref="SealedColumns"/>) that are not under the vault's current
/// key: values under an older key after a rotation, and clear text written before a column was sealed (the migration
/// that seals a column leaves its rows as they were; the first start after it seals them). It reads the stored values
/// in SQL, not through the entities, so it sees which key each one is under; a table is walked once, in key order, in
/// batches of one transaction each, so an interrupted run resumes where a second run finds values still stale.
/// </summary>
public static class ColumnSealer
{
    /// <summary>The system setting that lists the fields whose older clear rows were sealed (<see cref="SealClearRowsOnceAsync"/>).</summary>
    public const string SealedFieldsSetting = "privacy.sealed-fields";

    private const int BatchSize = 500;

    /// <summary>Re-seals every stale stored value of every sealed column; returns how many rows were rewritten.</summary>
    public static async Task<int> ResealAsync(CivicGridDbContext db, FieldVault vault, CancellationToken ct)
    {
        var rewritten = 0;
        foreach (var table in Tables(db.Model))
        {
            rewritten += await ResealTableAsync(db, vault, table, ct);
        }

        return rewritten;
    }

    /// <summary>
    /// At start-up: when the model seals a field that the database has not yet been sealed for (a new version sealing a
    /// column that held clear text), seals the older rows once and records the fields, so later starts read one setting.
    /// </summary>
    public static async Task SealClearRowsOnceAsync(CivicGridDbContext db, FieldVault vault, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        var fields = Tables(db.Model).SelectMany(t => t.Columns.Select(c => c.Field)).Order(StringComparer.Ordinal).ToList();
        var setting = await db.SystemSettings.SingleOrDefaultAsync(s => s.Key == SealedFieldsSetting, ct);
        var done = setting is null ? [] : JsonSerializer.Deserialize<List<string>>(setting.Json) ?? [];
        if (fields.All(done.Contains))
        {
            return;
        }

        var rewritten = await ResealAsync(db, vault, ct);
        var json = JsonSerializer.Serialize(fields);
        if (setting is null)
        {
            db.SystemSettings.Add(new SystemSetting(SealedFieldsSetting, json, null, time.GetUtcNow()));
        }
        else
        {
            setting.Replace(json, null, time.GetUtcNow());
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        logger.LogInformation("Sealed personal data at rest: {Rows} row(s) rewritten under key {Key} ({Fields})", rewritten, vault.CurrentKeyId,
            string.Join(", ", fields.Except(done)));
    }

    /// <summary>A table with sealed columns: its key columns and, per sealed column, its field and blind index column.</summary>
    private sealed record SealedTable(string Name, string[] Keys, (string Column, string Field, string? Index, string? Kind)[] Columns);

    private static IEnumerable<SealedTable> Tables(IModel model)
    {
        foreach (var type in model.GetEntityTypes().OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var columns = SealedColumns.Of(type);
            if (columns.Count == 0 || type.GetTableName() is not { } name)
            {
                continue;
            }

            var store = StoreObjectIdentifier.Table(name, type.GetSchema());
            yield return new SealedTable(name, [.. type.FindPrimaryKey()!.Properties.Select(p => p.GetColumnName(store)!)],
                [.. columns.Select(c => (c.Sealed.GetColumnName(store)!, c.Field, c.Index?.GetColumnName(store), c.Kind))]);
        }
    }

    private static async Task<int> ResealTableAsync(CivicGridDbContext db, FieldVault vault, SealedTable table, CancellationToken ct)
    {
        var current = vault.CurrentKeyId;
        var keys = string.Join(", ", table.Keys.Select(Quote));
        var select = $"SELECT {keys}, {string.Join(", ", table.Columns.Select(c => Quote(c.Column)))} FROM {Quote(table.Name)}";
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var rewritten = 0;
            object[]? last = null;
            while (true)
            {
                var rows = new List<(object[] Key, string?[] Values)>();
                await using (var command = connection.CreateCommand())
                {
                    command.CommandText = last is null
                        ? $"{select} ORDER BY {keys} LIMIT {BatchSize}"
                        : $"{select} WHERE ({keys}) > ({string.Join(", ", table.Keys.Select((_, i) => $"@k{i}"))}) ORDER BY {keys} LIMIT {BatchSize}";
                    for (var i = 0; last is not null && i < last.Length; i++)
                    {
                        Add(command, $"@k{i}", last[i]);
                    }

                    await using var reader = await command.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct))
                    {
                        var key = new object[table.Keys.Length];
                        for (var i = 0; i < key.Length; i++)
                        {
                            key[i] = reader.GetValue(i);
                        }

                        var values = new string?[table.Columns.Length];
                        for (var i = 0; i < values.Length; i++)
                        {
                            values[i] = reader.IsDBNull(key.Length + i) ? null : reader.GetString(key.Length + i);
                        }

                        rows.Add((key, values));
                    }
                }

                if (rows.Count == 0)
                {
                    return rewritten;
                }

                last = rows[^1].Key;
                rewritten += await RewriteAsync(db, vault, table, current, rows, ct);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Rewrites the rows of a batch holding a stale value, in one transaction; returns how many.</summary>
    private static async Task<int> RewriteAsync(CivicGridDbContext db, FieldVault vault, SealedTable table, string current,
        List<(object[] Key, string?[] Values)> rows, CancellationToken ct)
    {
        static bool Stale(string? value, string current) => value is not null && (!FieldVault.IsSealed(value) || FieldVault.KeyIdOf(value) != current);
        var stale = rows.Where(r => r.Values.Any(v => Stale(v, current))).ToList();
        if (stale.Count == 0)
        {
            return 0;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var (key, values) in stale)
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = transaction.GetDbTransaction();
            var sets = new List<string>();
            for (var i = 0; i < values.Length; i++)
            {
                if (!Stale(values[i], current))
                {
                    continue;
                }

                var (column, field, index, kind) = table.Columns[i];
                var clear = vault.OpenStored(field, values[i]!);
                sets.Add($"{Quote(column)} = @v{i}");
                Add(command, $"@v{i}", vault.Seal(field, clear));
                if (index is not null)
                {
                    sets.Add($"{Quote(index)} = @x{i}");
                    Add(command, $"@x{i}", string.IsNullOrWhiteSpace(clear) ? DBNull.Value : vault.Index(kind!, clear));
                }
            }

            command.CommandText = $"UPDATE {Quote(table.Name)} SET {string.Join(", ", sets)} WHERE "
                + string.Join(" AND ", table.Keys.Select((k, i) => $"{Quote(k)} = @k{i}"));
            for (var i = 0; i < key.Length; i++)
            {
                Add(command, $"@k{i}", key[i]);
            }

            await command.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return stale.Count;
    }

    /// <summary>An identifier as both SQLite and PostgreSQL quote it (EF's names never hold a double quote).</summary>
    private static string Quote(string name) => $"\"{name}\"";

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
