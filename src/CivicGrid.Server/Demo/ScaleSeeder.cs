using System.Diagnostics;
using System.Threading.Channels;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Organisations;
using CivicGrid.Server.Features.Cases.Duplicates;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Features.Dashboard;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Demo;

/// <summary>What <see cref="ScaleSeeder.SeedAsync"/> wrote.</summary>
/// <param name="RollupTime">Of <paramref name="Elapsed"/>, the time the roll-ups and counters took at the end.</param>
/// <param name="GenerationTime">The generator's own time (making the cases and counting their roll-ups), beside the writes.</param>
/// <param name="WaitTime">The time the writes waited for the generator.</param>
/// <param name="IndexesRebuilt">How many secondary indexes were taken off for the load and built again, and the time the building took.</param>
public sealed record ScaleSeedResult(long Cases, int Grids, int Categories, int CountRows, int OpenRows, TimeSpan Elapsed, TimeSpan RollupTime,
    TimeSpan GenerationTime, TimeSpan WaitTime, int IndexesRebuilt, TimeSpan IndexTime)
{
    public double CasesPerSecond => Cases / Math.Max(Elapsed.TotalSeconds, 0.001);
}

/// <summary>
/// Adds years of generated cases (<see cref="ScaleCaseGenerator"/>) to a database that already has its grids and
/// catalogue: for benchmarks of the dashboards and lists at production size (<c>seed scale</c>). Cases go in chunks with
/// <see cref="BulkRows"/> while the next chunk is generated on the other core; their numbers continue each day's
/// <c>case_number_counters</c>; the dashboards' roll-ups get exactly what was written (counted in memory with
/// <see cref="CaseContribution"/> and merged with the stored rows at the end), so <c>rollups verify</c> matches. A large
/// load takes the secondary indexes of the cases and their timelines off and builds them again at the end
/// (<see cref="BulkLoadIndexes"/>).
/// </summary>
/// <remarks>
/// Each chunk commits on its own: an interrupted run leaves the cases written so far without their roll-ups and counters;
/// <c>rollups rebuild</c> recounts them, and the next intake of such a day would collide with a seeded number until the
/// counters are fixed, so an interrupted run is best thrown away with its database.
/// </remarks>
public sealed class ScaleSeeder(CivicGridDbContext db, TimeProvider time)
{
    /// <summary>Cases per chunk: large enough for the database to write fast, small enough that memory stays bounded.</summary>
    public const int ChunkSize = 20_000;

    /// <summary>
    /// From this many cases, and at least as many as the table has, the secondary indexes of the cases and their timelines are
    /// taken off for the load and built again after it (<see cref="BulkLoadIndexes"/>).
    /// </summary>
    public long RebuildIndexesFrom { get; init; } = 200_000;

    /// <summary>A day's numbers have five digits.</summary>
    private const int MaxPerDay = 99_999;


    /// <summary>Why the database cannot take the cases, or null when it can.</summary>
    public async Task<string?> RefusalAsync(long cases, int years, CancellationToken ct)
    {
        if (cases < 1 || years < 1 || years > 20)
        {
            return "--cases must be at least 1 and --years between 1 and 20.";
        }

        if (!await db.Grids.IgnoreQueryFilters().AnyAsync(g => g.Level == GridLevel.Micro, ct))
        {
            return "The database has no micro-grids: load the grids first (`seed demo` in Development, or `POST /api/grids/import`), then run `seed scale`.";
        }

        return !await db.CaseCategories.IgnoreQueryFilters().AnyAsync(c => c.IsActive, ct) ? "The database has no active case categories." : null;
    }

    /// <summary>Writes <paramref name="cases"/> cases reported over the last <paramref name="years"/> years up to now.</summary>
    /// <param name="progress">Told after every chunk: cases written so far, and the elapsed time.</param>
    /// <exception cref="InvalidOperationException">A day would need more than 99,999 numbers (more years spread them).</exception>
    public async Task<ScaleSeedResult> SeedAsync(long cases, int seed, int years, Action<long, TimeSpan>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var grids = await GridsAsync(seed, ct);
        var categories = (await db.CaseCategories.IgnoreQueryFilters().AsNoTracking().Where(c => c.IsActive).ToListAsync(ct))
            .OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
        var departments = (await db.Organisations.IgnoreQueryFilters().AsNoTracking()
                .Where(o => o.Kind == OrganisationKind.Department && o.RetiredAt == null).Select(o => new { o.Id, o.Code, o.Name }).ToListAsync(ct))
            .OrderBy(o => o.Code, StringComparer.Ordinal).Select(o => new ScaleDepartment(o.Id, o.Code, o.Name)).ToList();
        var counters = await db.CaseNumberCounters.AsNoTracking().ToDictionaryAsync(c => c.Day, c => c.Last, StringComparer.Ordinal, ct);

        var generator = new ScaleCaseGenerator(seed, grids, categories, departments, now);
        var first = today.AddYears(-years).AddDays(1);
        var perDay = generator.CasesPerDay(first, today, cases);
        var lastByDay = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var d = 0; d < perDay.Length; d++)
        {
            var key = first.AddDays(d).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
            var last = counters.GetValueOrDefault(key) + perDay[d];
            if (last > MaxPerDay)
            {
                throw new InvalidOperationException($"{key} would need case number {last}, beyond a day's five digits: spread the cases over more --years.");
            }

            if (perDay[d] > 0)
            {
                lastByDay[key] = last;
            }
        }

        // Generation (one core) runs ahead of the writes (the other core and the database) by at most two chunks.
        var chunks = Channel.CreateBounded<List<Case>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var delta = new RollupDelta();
        var generating = new Stopwatch();
        var waiting = new Stopwatch();
        var producer = Task.Run(async () =>
        {
            try
            {
                generating.Start();
                var chunk = new List<Case>(ChunkSize + MaxPerDay);
                for (var d = 0; d < perDay.Length; d++)
                {
                    var day = first.AddDays(d);
                    var key = day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
                    foreach (var item in generator.Day(day, perDay[d], counters.GetValueOrDefault(key) + 1))
                    {
                        delta.Move(null, FactsOf(item));
                        chunk.Add(item);
                    }

                    if (chunk.Count >= ChunkSize)
                    {
                        generating.Stop();
                        await chunks.Writer.WriteAsync(chunk, ct);
                        generating.Start();
                        chunk = new List<Case>(ChunkSize + MaxPerDay);
                    }
                }

                generating.Stop();
                if (chunk.Count > 0)
                {
                    await chunks.Writer.WriteAsync(chunk, ct);
                }

                chunks.Writer.Complete();
            }
            catch (Exception e)
            {
                chunks.Writer.Complete(e);
                throw;
            }
        }, ct);

        long written = 0;
        string[] tables = [TableOf(typeof(Case)), TableOf(typeof(CaseTimelineEntry))];
        var dropped = cases >= RebuildIndexesFrom && cases >= await db.Cases.IgnoreQueryFilters().LongCountAsync(ct)
            ? await BulkLoadIndexes.DropAsync(db, tables, ct)
            : [];
        var indexTime = new Stopwatch();
        try
        {
            if (dropped.Count == 0)
            {
                // Mends a killed load's database first.
                await BulkLoadIndexes.RestoreAsync(db, ct);
            }

            waiting.Start();
            await foreach (var chunk in chunks.Reader.ReadAllAsync(ct))
            {
                waiting.Stop();
                await BulkRows.WriteAsync(db, chunk, CaseLocationColumns.ValueOf, ct);
                written += chunk.Count;
                progress?.Invoke(written, clock.Elapsed);
                waiting.Start();
            }

            waiting.Stop();
            await producer;
        }
        finally
        {
            // Also after a failed load: the cases written so far stay, with their indexes.
            indexTime.Start();
            await BulkLoadIndexes.RestoreAsync(db, CancellationToken.None);
            indexTime.Stop();
        }

        var casesWritten = clock.Elapsed;
        var (countRows, openRows) = await FinishAsync(delta, lastByDay, ct);
        return new ScaleSeedResult(written, grids.Count, categories.Count, countRows, openRows, clock.Elapsed, clock.Elapsed - casesWritten, generating.Elapsed,
            waiting.Elapsed, dropped.Count, indexTime.Elapsed);
    }

    /// <summary>The roll-ups (stored rows plus what was written) and the day counters, in one transaction.</summary>
    private async Task<(int CountRows, int OpenRows)> FinishAsync(RollupDelta delta, Dictionary<string, int> lastByDay, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginOwnTransactionAsync(ct);
        await foreach (var r in db.CaseCountRollups.IgnoreQueryFilters().AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
        {
            var key = new CountKey(r.ScopeCode, r.Period, r.Start, r.Channel, r.Tier);
            delta.Counts[key] = delta.Counts.GetValueOrDefault(key) + new CountMeasures(r.Reported, r.ReportedNowClosed, r.Closed, r.ClosedWithDeadline, r.ClosedOnTime);
        }

        await foreach (var r in db.CaseOpenCounts.IgnoreQueryFilters().AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
        {
            var key = new OpenKey(r.ScopeCode, r.Tier, r.Status, r.Supervised, r.DueHour);
            delta.Open[key] = delta.Open.GetValueOrDefault(key) + r.Count;
        }

        await foreach (var r in db.CaseBreakdownRollups.IgnoreQueryFilters().AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
        {
            var key = new BreakdownKey(r.Dimension, r.ScopeCode, r.Start, r.Member);
            delta.Breakdowns[key] = delta.Breakdowns.GetValueOrDefault(key) + new CountMeasures(r.Reported, r.ReportedNowClosed, r.Closed, r.ClosedWithDeadline, r.ClosedOnTime);
        }

        delta.Compact();
        await db.CaseCountRollups.IgnoreQueryFilters().ExecuteDeleteAsync(ct);
        await db.CaseOpenCounts.IgnoreQueryFilters().ExecuteDeleteAsync(ct);
        await db.CaseBreakdownRollups.IgnoreQueryFilters().ExecuteDeleteAsync(ct);
        await RollupWriter.InsertAsync(db, delta, ct);

        // Intake numbers each day's next case after the seeded ones.
        var stored = await db.CaseNumberCounters.Where(c => lastByDay.Keys.Contains(c.Day)).ToDictionaryAsync(c => c.Day, StringComparer.Ordinal, ct);
        foreach (var (day, last) in lastByDay)
        {
            if (stored.TryGetValue(day, out var counter))
            {
                counter.Last = last;
            }
            else
            {
                db.CaseNumberCounters.Add(new CaseNumberCounter { Day = day, Last = last });
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return (delta.Counts.Count, delta.Open.Count);
    }

    /// <summary>The micro-grids, each with points strictly inside it to place cases at.</summary>
    private async Task<List<ScaleGrid>> GridsAsync(int seed, CancellationToken ct)
    {
        var grids = await db.Grids.IgnoreQueryFilters().AsNoTracking().Where(g => g.Level == GridLevel.Micro)
            .Select(g => new { g.Code, g.Name, g.Boundary }).ToListAsync(ct);
        var random = new Random(seed);
        return [.. grids.OrderBy(g => g.Code, StringComparer.Ordinal).Select(g =>
        {
            var envelope = g.Boundary.EnvelopeInternal;
            var prepared = NetTopologySuite.Geometries.Prepared.PreparedGeometryFactory.Prepare(g.Boundary);
            var points = new List<Coordinate>();
            for (var attempt = 0; attempt < 400 && points.Count < 16; attempt++)
            {
                var c = new Coordinate(envelope.MinX + (random.NextDouble() * envelope.Width), envelope.MinY + (random.NextDouble() * envelope.Height));
                if (prepared.Contains(new Point(c)))
                {
                    points.Add(c);
                }
            }

            if (points.Count == 0)
            {
                points.Add(g.Boundary.InteriorPoint.Coordinate);
            }

            return new ScaleGrid(g.Code, g.Name, [.. points]);
        })];
    }

    private string TableOf(Type type) =>
        db.Model.FindEntityType(type)?.GetTableName() ?? throw new InvalidOperationException($"{type.Name} has no table.");

    private static CaseFacts FactsOf(Case c) => new(c.GridCode, c.CategoryCode, c.Channel, c.Tier, c.Status, c.ReportedAt, c.ClosedAt, c.HandledAt,
        c.DueAt, c.AssigneeDepartmentId, c.SupervisionDueAt);
}
