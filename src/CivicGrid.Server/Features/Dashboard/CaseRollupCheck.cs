using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Dashboard;

/// <summary>A difference between a stored roll-up row and the recount.</summary>
public sealed record RollupMismatch(string Table, string Key, string Stored, string Recounted);

/// <summary>The outcome of <see cref="CaseRollupCheck.CompareAsync"/>.</summary>
public sealed record RollupReport(long CasesCounted, int CountRows, int OpenRows, IReadOnlyList<RollupMismatch> Mismatches)
{
    public bool Matches => Mismatches.Count == 0;
}

/// <summary>
/// Recounts the roll-ups from every case (a full read of the cases table, streamed) and compares them with the stored
/// rows (<c>rollups verify</c>), or replaces the stored rows with the recount (<c>rollups rebuild</c>, and after bulk
/// loads that write cases without the save pipeline: the demo, <c>seed scale</c>).
/// </summary>
public sealed class CaseRollupCheck(CivicGridDbContext db)
{
    public async Task<RollupReport> CompareAsync(CancellationToken ct, int maxMismatches = 50)
    {
        var (cases, recount) = await RecountAsync(ct);
        var storedCounts = await db.CaseCountRollups.IgnoreQueryFilters().AsNoTracking().ToListAsync(ct);
        var storedOpen = await db.CaseOpenCounts.IgnoreQueryFilters().AsNoTracking().ToListAsync(ct);
        var mismatches = new List<RollupMismatch>();

        var counts = storedCounts.ToDictionary(r => new CountKey(r.ScopeCode, r.Period, r.Start, r.Channel, r.Tier),
            r => new CountMeasures(r.Reported, r.ReportedNowClosed, r.Closed, r.ClosedWithDeadline, r.ClosedOnTime));
        foreach (var key in counts.Keys.Union(recount.Counts.Keys))
        {
            var stored = counts.GetValueOrDefault(key);
            var expected = recount.Counts.GetValueOrDefault(key);
            if (stored != expected && mismatches.Count < maxMismatches)
            {
                mismatches.Add(new("case_count_rollups", key.ToString(), stored.ToString(), expected.ToString()));
            }
        }

        var open = storedOpen.Where(r => r.Count != 0)
            .ToDictionary(r => new OpenKey(r.ScopeCode, r.Tier, r.Status, r.Supervised, r.DueHour), r => r.Count);
        foreach (var key in open.Keys.Union(recount.Open.Keys))
        {
            var stored = open.GetValueOrDefault(key);
            var expected = recount.Open.GetValueOrDefault(key);
            if (stored != expected && mismatches.Count < maxMismatches)
            {
                mismatches.Add(new("case_open_counts", key.ToString(), stored.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    expected.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        var storedBreakdowns = await db.CaseBreakdownRollups.IgnoreQueryFilters().AsNoTracking().ToListAsync(ct);
        var breakdowns = storedBreakdowns.ToDictionary(r => new BreakdownKey(r.Dimension, r.ScopeCode, r.Start, r.Member),
            r => new CountMeasures(r.Reported, r.ReportedNowClosed, r.Closed, r.ClosedWithDeadline, r.ClosedOnTime));
        foreach (var key in breakdowns.Keys.Union(recount.Breakdowns.Keys))
        {
            var stored = breakdowns.GetValueOrDefault(key);
            var expected = recount.Breakdowns.GetValueOrDefault(key);
            if (stored != expected && mismatches.Count < maxMismatches)
            {
                mismatches.Add(new("case_breakdown_rollups", key.ToString(), stored.ToString(), expected.ToString()));
            }
        }

        return new RollupReport(cases, storedCounts.Count, storedOpen.Count, mismatches);
    }

    /// <summary>Replaces every roll-up row with the recount, in one transaction. Returns the cases counted.</summary>
    public async Task<long> RebuildAsync(CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginOwnTransactionAsync(ct);
        await db.CaseCountRollups.IgnoreQueryFilters().ExecuteDeleteAsync(ct);
        await db.CaseOpenCounts.IgnoreQueryFilters().ExecuteDeleteAsync(ct);
        await db.CaseBreakdownRollups.IgnoreQueryFilters().ExecuteDeleteAsync(ct);
        var (cases, recount) = await RecountAsync(ct);
        await RollupWriter.InsertAsync(db, recount, ct);
        await transaction.CommitAsync(ct);
        return cases;
    }

    private async Task<(long Cases, RollupDelta Recount)> RecountAsync(CancellationToken ct)
    {
        var recount = new RollupDelta();
        long cases = 0;
        var rows = db.Cases.IgnoreQueryFilters().AsNoTracking().Select(c => new CaseFacts(c.GridCode, c.CategoryCode, c.Channel, c.Tier, c.Status, c.ReportedAt,
            c.ClosedAt, c.HandledAt, c.DueAt, c.AssigneeDepartmentId, c.SupervisionDueAt)).AsAsyncEnumerable();
        await foreach (var facts in rows.WithCancellation(ct))
        {
            recount.Move(null, facts);
            cases++;
        }

        recount.Compact();
        return (cases, recount);
    }
}
