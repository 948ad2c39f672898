using System.Globalization;
using System.Text;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace CivicGrid.Server.Features.Dashboard;

/// <summary>
/// Keeps the roll-ups in step with the cases a save writes, in that save's transaction (one is begun for a save that
/// has none): each new, changed or deleted case moves its contribution (<see cref="CaseContribution"/>), and the sum of
/// the moves is applied as one upsert per table. A save that fails or rolls back takes its roll-up changes with it.
/// </summary>
public sealed class CaseRollupHook : ISaveHook
{
    public bool NeedsTransaction(CivicGridDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.ChangeTracker.Entries<Case>().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);
    }

    public async ValueTask<Action<bool>?> SavingAsync(CivicGridDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var delta = new RollupDelta();
        foreach (var entry in db.ChangeTracker.Entries<Case>())
        {
            switch (entry.State)
            {
                case EntityState.Added:
                    delta.Move(null, Facts(entry.CurrentValues));
                    break;
                case EntityState.Modified:
                    delta.Move(Facts(entry.OriginalValues), Facts(entry.CurrentValues));
                    break;
                case EntityState.Deleted:
                    delta.Move(Facts(entry.OriginalValues), null);
                    break;
            }
        }

        delta.Compact();
        if (!delta.IsEmpty)
        {
            await RollupWriter.ApplyAsync(db, delta, ct);
        }

        return null;
    }

    private static CaseFacts Facts(PropertyValues v) => new(
        (string)v[nameof(Case.GridCode)]!, (string)v[nameof(Case.CategoryCode)]!, (CaseChannel)v[nameof(Case.Channel)]!, (CaseTier)v[nameof(Case.Tier)]!,
        (CaseStatus)v[nameof(Case.Status)]!, (DateTimeOffset)v[nameof(Case.ReportedAt)]!, (DateTimeOffset?)v[nameof(Case.ClosedAt)],
        (DateTimeOffset?)v[nameof(Case.HandledAt)], (DateTimeOffset?)v[nameof(Case.DueAt)], (Guid?)v[nameof(Case.AssigneeDepartmentId)],
        (DateTimeOffset?)v[nameof(Case.SupervisionDueAt)]);
}

/// <summary>Applies a <see cref="RollupDelta"/> with plain SQL that both databases run (INSERT … ON CONFLICT DO UPDATE).</summary>
public static class RollupWriter
{
    private const int RowsPerStatement = 400;
    private const int BulkRowsPerWrite = 100_000;

    private const string CountKeyColumns = "\"Period\", \"ScopeCode\", \"Start\", \"Channel\", \"Tier\"";
    private const string BreakdownKeyColumns = "\"Dimension\", \"ScopeCode\", \"Start\", \"Member\"";
    private const string OpenKeyColumns = "\"ScopeCode\", \"Tier\", \"Status\", \"Supervised\", \"DueHour\"";

    private static readonly string[] Measures = ["Reported", "ReportedNowClosed", "Closed", "ClosedWithDeadline", "ClosedOnTime"];

    /// <summary>The primary keys' orders (ordinal, as both databases compare the codes).</summary>
    private static readonly Comparison<KeyValuePair<CountKey, CountMeasures>> CountOrder = static (a, b) =>
    {
        var c = ((int)a.Key.Period).CompareTo((int)b.Key.Period);
        c = c != 0 ? c : string.CompareOrdinal(a.Key.ScopeCode, b.Key.ScopeCode);
        c = c != 0 ? c : a.Key.Start.CompareTo(b.Key.Start);
        c = c != 0 ? c : ((int)a.Key.Channel).CompareTo((int)b.Key.Channel);
        return c != 0 ? c : ((int)a.Key.Tier).CompareTo((int)b.Key.Tier);
    };

    private static readonly Comparison<KeyValuePair<BreakdownKey, CountMeasures>> BreakdownOrder = static (a, b) =>
    {
        var c = ((int)a.Key.Dimension).CompareTo((int)b.Key.Dimension);
        c = c != 0 ? c : string.CompareOrdinal(a.Key.ScopeCode, b.Key.ScopeCode);
        c = c != 0 ? c : a.Key.Start.CompareTo(b.Key.Start);
        return c != 0 ? c : string.CompareOrdinal(a.Key.Member, b.Key.Member);
    };

    private static readonly Comparison<KeyValuePair<OpenKey, int>> OpenOrder = static (a, b) =>
    {
        var c = string.CompareOrdinal(a.Key.ScopeCode, b.Key.ScopeCode);
        c = c != 0 ? c : ((int)a.Key.Tier).CompareTo((int)b.Key.Tier);
        c = c != 0 ? c : ((int)a.Key.Status).CompareTo((int)b.Key.Status);
        c = c != 0 ? c : a.Key.Supervised.CompareTo(b.Key.Supervised);
        return c != 0 ? c : a.Key.DueHour.CompareTo(b.Key.DueHour);
    };

    public static async Task ApplyAsync(CivicGridDbContext db, RollupDelta delta, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(delta);
        // In key order, so that two transactions upserting the same rows take their locks in the same order.
        await UpsertAllAsync(db, "case_count_rollups", CountKeyColumns, Measures, Sorted(delta.Counts, CountOrder),
            p => [(int)p.Key.Period, p.Key.ScopeCode, p.Key.Start, (int)p.Key.Channel, (int)p.Key.Tier, .. MeasuresOf(p.Value)],
            p => p.Value.Reported < 0 || p.Value.Closed < 0, "\"Reported\" = 0 AND \"Closed\" = 0", ct);
        await UpsertAllAsync(db, "case_breakdown_rollups", BreakdownKeyColumns, Measures, Sorted(delta.Breakdowns, BreakdownOrder),
            p => [(int)p.Key.Dimension, p.Key.ScopeCode, p.Key.Start, p.Key.Member, .. MeasuresOf(p.Value)],
            p => p.Value.Reported < 0 || p.Value.Closed < 0, "\"Reported\" = 0 AND \"Closed\" = 0", ct);
        await UpsertAllAsync(db, "case_open_counts", OpenKeyColumns, ["Count"], Sorted(delta.Open, OpenOrder),
            p => [p.Key.ScopeCode, (int)p.Key.Tier, (int)p.Key.Status, p.Key.Supervised, p.Key.DueHour, p.Value],
            p => p.Value < 0, "\"Count\" = 0", ct);
    }

    /// <summary>
    /// Writes a whole recount into empty tables with the bulk path (prepared inserts on SQLite, binary COPY on
    /// PostgreSQL): a rebuild and <c>seed scale</c>, where an upsert per row would take minutes. In primary-key order, so
    /// the key's index grows at its end instead of being rewritten page by page at random (millions of rows at scale).
    /// </summary>
    public static async Task InsertAsync(CivicGridDbContext db, RollupDelta recount, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(recount);
        foreach (var rows in Sorted(recount.Counts, CountOrder).Chunk(BulkRowsPerWrite))
        {
            await BulkRows.WriteAsync(db, rows.Select(p => new CaseCountRollup
            {
                ScopeCode = p.Key.ScopeCode, Period = p.Key.Period, Start = p.Key.Start, Channel = p.Key.Channel, Tier = p.Key.Tier, Reported = p.Value.Reported,
                ReportedNowClosed = p.Value.ReportedNowClosed, Closed = p.Value.Closed, ClosedWithDeadline = p.Value.ClosedWithDeadline,
                ClosedOnTime = p.Value.ClosedOnTime,
            }), ct);
        }

        foreach (var rows in Sorted(recount.Breakdowns, BreakdownOrder).Chunk(BulkRowsPerWrite))
        {
            await BulkRows.WriteAsync(db, rows.Select(p => new CaseBreakdownRollup
            {
                Dimension = p.Key.Dimension, ScopeCode = p.Key.ScopeCode, Start = p.Key.Start, Member = p.Key.Member, Reported = p.Value.Reported,
                ReportedNowClosed = p.Value.ReportedNowClosed, Closed = p.Value.Closed, ClosedWithDeadline = p.Value.ClosedWithDeadline,
                ClosedOnTime = p.Value.ClosedOnTime,
            }), ct);
        }

        foreach (var rows in Sorted(recount.Open, OpenOrder).Chunk(BulkRowsPerWrite))
        {
            await BulkRows.WriteAsync(db, rows.Select(p => new CaseOpenCount
            {
                ScopeCode = p.Key.ScopeCode, Tier = p.Key.Tier, Status = p.Key.Status, Supervised = p.Key.Supervised, DueHour = p.Key.DueHour, Count = p.Value,
            }), ct);
        }
    }

    private static KeyValuePair<TKey, TValue>[] Sorted<TKey, TValue>(Dictionary<TKey, TValue> rows, Comparison<KeyValuePair<TKey, TValue>> order)
        where TKey : notnull
    {
        var sorted = rows.ToArray();
        Array.Sort(sorted, order);
        return sorted;
    }

    private static object[] MeasuresOf(CountMeasures m) => [m.Reported, m.ReportedNowClosed, m.Closed, m.ClosedWithDeadline, m.ClosedOnTime];

    /// <summary>
    /// Upserts the rows <paramref name="rows"/> in statements of <see cref="RowsPerStatement"/>, then deletes those a
    /// negative change (<paramref name="shrank"/>) may have left at zero (<paramref name="empty"/>).
    /// </summary>
    private static async Task UpsertAllAsync<T>(CivicGridDbContext db, string table, string keyColumns, string[] measures, T[] rows,
        Func<T, object[]> valuesOf, Func<T, bool> shrank, string empty, CancellationToken ct)
    {
        var keyLength = keyColumns.Count(c => c == ',') + 1;
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            var values = chunk.Select(valuesOf).ToList();
            await UpsertAsync(db, table, keyColumns, measures, values, ct);
            var shrunk = chunk.Select((p, i) => (Row: p, Key: values[i][..keyLength])).Where(x => shrank(x.Row)).Select(x => x.Key).ToList();
            await DeleteEmptyAsync(db, table, keyColumns, empty, shrunk, ct);
        }
    }

    private static Task<int> UpsertAsync(CivicGridDbContext db, string table, string keyColumns, string[] measures, List<object[]> rows, CancellationToken ct)
    {
        var sql = new StringBuilder().Append(CultureInfo.InvariantCulture, $"INSERT INTO {table} ({keyColumns}, {string.Join(", ", measures.Select(m => $"\"{m}\""))}) VALUES ");
        var parameters = new List<object>();
        AppendRows(sql, parameters, rows);
        sql.Append(CultureInfo.InvariantCulture, $" ON CONFLICT ({keyColumns}) DO UPDATE SET ");
        sql.AppendJoin(", ", measures.Select(m => $"\"{m}\" = {table}.\"{m}\" + excluded.\"{m}\""));
        return db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, ct);
    }

    /// <summary>Deletes the rows among <paramref name="keys"/> that the delta left empty, so that rows of the past do not pile up as zeros.</summary>
    private static Task DeleteEmptyAsync(CivicGridDbContext db, string table, string keyColumns, string empty, List<object[]> keys, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return Task.CompletedTask;
        }

        var sql = new StringBuilder().Append(CultureInfo.InvariantCulture, $"DELETE FROM {table} WHERE {empty} AND ({keyColumns}) IN (VALUES ");
        var parameters = new List<object>();
        AppendRows(sql, parameters, keys);
        sql.Append(')');
        return db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, ct);
    }

    private static void AppendRows(StringBuilder sql, List<object> parameters, List<object[]> rows)
    {
        for (var r = 0; r < rows.Count; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < rows[r].Length; c++)
            {
                sql.Append(CultureInfo.InvariantCulture, $"{(c == 0 ? string.Empty : ", ")}{{{parameters.Count}}}");
                parameters.Add(rows[r][c]);
            }

            sql.Append(')');
        }
    }
}
