using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// One table's INSERT (<see cref="AddedRowsInserter.TableInsert"/>) prepared once on a SQLite connection and executed per
/// row through SQLite's C API: values bound by position with their own type, no parameter objects, no data reader. For
/// millions of generated rows (<see cref="BulkRows"/>), where Microsoft.Data.Sqlite's per-row work (a parameter object
/// per value, a name lookup per binding, a reader per execution) cost more than SQLite's own insert.
/// </summary>
/// <remarks>
/// The values are turned into provider values by the EF model's own converters, then bound as Microsoft.Data.Sqlite would
/// bind them; only for provider types whose binding is unambiguous (integers, booleans, floating point, text, blobs, and
/// GUIDs and dates stored as TEXT, which Microsoft.Data.Sqlite writes as upper-case GUIDs and yyyy-MM-dd). <see cref="Supports"/> says whether a table has
/// only such columns; a table with another type (a time stamp stored as text, a decimal) goes through ADO.NET instead.
/// The statement runs in whatever transaction the connection has open.
/// </remarks>
internal sealed class SqliteRowInsert : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;
    private readonly AddedRowsInserter.TableInsert _insert;
    private readonly int[] _positions;

    public SqliteRowInsert(SqliteConnection connection, AddedRowsInserter.TableInsert insert)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(insert);
        _database = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        _insert = insert;
        Check(raw.sqlite3_prepare_v2(_database, insert.Sql, out _statement));
        _positions = [.. insert.ParameterNames.Select(name => raw.sqlite3_bind_parameter_index(_statement, name))];
        if (_positions.Any(p => p <= 0))
        {
            _statement.Dispose();
            throw new InvalidOperationException($"The INSERT does not name every parameter: {insert.Sql}");
        }
    }

    /// <summary>Whether every column's provider value has a binding this class makes exactly as Microsoft.Data.Sqlite would.</summary>
    public static bool Supports(AddedRowsInserter.TableInsert insert)
    {
        ArgumentNullException.ThrowIfNull(insert);
        return insert.Mappings.All(Bindable);
    }

    private static bool Bindable(RelationalTypeMapping mapping)
    {
        var type = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) || type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte)
            || type == typeof(bool) || type == typeof(double) || type == typeof(float) || type == typeof(byte[])
            || ((type == typeof(Guid) || type == typeof(DateOnly)) && string.Equals(mapping.StoreType, "TEXT", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Inserts one row (the table's columns in order, model values before conversion).</summary>
    /// <exception cref="SqliteException">SQLite refused the row (a constraint), as Microsoft.Data.Sqlite reports it.</exception>
    public void Insert(object?[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        for (var i = 0; i < row.Length; i++)
        {
            var value = row[i];
            if (value is not null && _insert.Mappings[i].Converter is { } converter)
            {
                value = converter.ConvertToProvider(value);
            }

            var position = _positions[i];
            var rc = value switch
            {
                null or DBNull => raw.sqlite3_bind_null(_statement, position),
                string text => raw.sqlite3_bind_text(_statement, position, text),
                long number => raw.sqlite3_bind_int64(_statement, position, number),
                int number => raw.sqlite3_bind_int64(_statement, position, number),
                short number => raw.sqlite3_bind_int64(_statement, position, number),
                byte number => raw.sqlite3_bind_int64(_statement, position, number),
                bool flag => raw.sqlite3_bind_int64(_statement, position, flag ? 1 : 0),
                double real => raw.sqlite3_bind_double(_statement, position, real),
                float real => raw.sqlite3_bind_double(_statement, position, real),
                byte[] blob => raw.sqlite3_bind_blob(_statement, position, blob),
                Guid id => raw.sqlite3_bind_text(_statement, position, id.ToString().ToUpperInvariant()),
                DateOnly day => raw.sqlite3_bind_text(_statement, position, day.ToString(@"yyyy\-MM\-dd", CultureInfo.InvariantCulture)),
                _ => throw new InvalidOperationException($"{_insert.Properties[i].Name}: no binding for {value.GetType().Name}."),
            };
            Check(rc);
        }

        var step = raw.sqlite3_step(_statement);
        // Reset before reporting, so the statement is reusable and SQLite's message is the step's.
        raw.sqlite3_reset(_statement);
        if (step != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(step, _database);
            throw new InvalidOperationException($"SQLite answered {step} to an INSERT.");
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _database);
        }
    }
}
