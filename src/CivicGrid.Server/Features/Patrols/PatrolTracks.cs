using CivicGrid.Domain.Calendar;
using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Spatial.Indexing;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Patrols;

/// <summary>Reads patrols' points back from their batches and measures them: figures, time per grid, coverage.</summary>
public static class PatrolTracks
{
    /// <summary>The points of each patrol (scope filters apply), in time order per patrol.</summary>
    public static async Task<Dictionary<Guid, List<TrackPoint>>> LoadAsync(CivicGridDbContext db, IReadOnlyCollection<Guid> patrolIds, CancellationToken ct)
    {
        var points = patrolIds.ToDictionary(id => id, _ => new List<TrackPoint>());
        if (patrolIds.Count == 0)
        {
            return points;
        }

        foreach (var chunk in patrolIds.Chunk(500))
        {
            var batches = db.PatrolBatches.AsNoTracking().Where(b => chunk.Contains(b.PatrolId)).OrderBy(b => b.FirstAt)
                .Select(b => new { b.PatrolId, b.Points }).AsAsyncEnumerable();
            await foreach (var batch in batches.WithCancellation(ct))
            {
                TrackCodec.Decode(batch.Points, points[batch.PatrolId]);
            }
        }

        return points;
    }

    /// <summary>The finest territorial grid at a point, or null outside the territory.</summary>
    public static Func<double, double, string?> Locator(GridIndex index) => (lon, lat) =>
        index.Locate(lon, lat) is { Confidence: not LocateConfidence.Outside, Leaf: >= 0 } found ? index.CodeOf(found.Leaf) : null;

    /// <summary>A Beijing day as the UTC instants [start, end).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Bounds(DateOnly from, DateOnly to) =>
        (new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), WorkCalendar.BeijingOffset),
         new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), WorkCalendar.BeijingOffset));

    public static DateOnly BeijingDay(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(WorkCalendar.BeijingOffset).DateTime);

    /// <summary>
    /// Time and distance per finest grid for patrols in a period: the stored rows of ended patrols, measured live for the
    /// open ones. Scope filters apply (a grid outside the caller's subtree is not in the answer).
    /// </summary>
    /// <param name="subtree">Only the time on grids of this subtree, when given.</param>
    /// <param name="worker">Only this worker's patrols, when given.</param>
    public static async Task<List<PatrolGridVisit>> VisitsAsync(CivicGridDbContext db, GeographyIndex geography, PatrolRules rules,
        DateOnly from, DateOnly to, CancellationToken ct, string? subtree = null, Guid? worker = null)
    {
        var stored = db.PatrolGridVisits.AsNoTracking();
        if (subtree is null)
        {
            stored = stored.Where(v => v.Day >= from && v.Day <= to);
        }
        else
        {
            // Each day of the period by itself, so that the (day, grid) index seeks the subtree's codes within each day rather than
            // reading every row of the period.
            var days = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(from.AddDays).ToList();
            stored = stored.Where(v => days.Contains(v.Day)).InSubtree(v => v.GridCode, subtree);
        }

        var open = db.Patrols.AsNoTracking().Where(p => p.Status == PatrolStatus.Open && p.Day >= from && p.Day <= to);
        if (worker is { } id)
        {
            // Through the worker's patrols (their index), not the rows' worker column, which has none; the rows' own scope filter still applies.
            var patrols = db.Patrols.AsNoTracking().IgnoreQueryFilters().Where(p => p.WorkerId == id && p.Day >= from && p.Day <= to).Select(p => p.Id);
            stored = stored.Where(v => v.WorkerId == id && patrols.Contains(v.PatrolId));
            open = open.Where(p => p.WorkerId == id);
        }

        var visits = await stored.ToListAsync(ct);
        var measuring = await open.Select(p => new { p.Id, p.WorkerId, p.Day }).ToListAsync(ct);
        if (measuring.Count > 0)
        {
            visits.AddRange((await MeasureAllAsync(db, [.. measuring.Select(p => (p.Id, p.WorkerId, p.Day))], Locator((await geography.GetAsync(ct)).Index), rules, ct))
                .Where(v => subtree is null || v.GridCode.StartsWith(subtree, StringComparison.Ordinal)));
        }

        return visits;
    }

    /// <summary>
    /// The visit rows of many patrols' tracks, each measured on its own. The batches are read in patrol order, and each
    /// patrol is decoded and measured on the thread pool as soon as its last batch is read, so reading (one connection,
    /// one core) and measuring (the other cores) overlap rather than follow one another.
    /// </summary>
    public static async Task<List<PatrolGridVisit>> MeasureAllAsync(CivicGridDbContext db, IReadOnlyList<(Guid Id, Guid WorkerId, DateOnly Day)> patrols,
        Func<double, double, string?> locate, PatrolRules rules, CancellationToken ct)
    {
        var measured = new List<PatrolGridVisit>[patrols.Count];
        var position = new Dictionary<Guid, int>(patrols.Count);
        for (var i = 0; i < patrols.Count; i++)
        {
            position[patrols[i].Id] = i;
            measured[i] = [];
        }

        var work = new List<Task>(patrols.Count);
        void Measure(int i, List<byte[]> blobs) => work.Add(Task.Run(() =>
        {
            var points = new List<TrackPoint>(blobs.Sum(b => b.Length) / TrackCodec.PointSize);
            foreach (var blob in blobs)
            {
                TrackCodec.Decode(blob, points);
            }

            var (id, worker, day) = patrols[i];
            measured[i] = [.. PatrolTracks.Measure(id, worker, day, TrackFilter.Analyse(points, rules), locate, rules)];
        }, ct));

        foreach (var chunk in patrols.Select(p => p.Id).Chunk(500))
        {
            var batches = db.PatrolBatches.AsNoTracking().Where(b => chunk.Contains(b.PatrolId)).OrderBy(b => b.PatrolId).ThenBy(b => b.FirstAt)
                .Select(b => new { b.PatrolId, b.Points }).AsAsyncEnumerable();
            Guid? current = null;
            var blobs = new List<byte[]>();
            await foreach (var batch in batches.WithCancellation(ct))
            {
                if (batch.PatrolId != current)
                {
                    if (current is { } done)
                    {
                        Measure(position[done], blobs);
                        blobs = [];
                    }

                    current = batch.PatrolId;
                }

                blobs.Add(batch.Points);
            }

            if (current is { } last)
            {
                Measure(position[last], blobs);
            }
        }

        await Task.WhenAll(work);
        return [.. measured.SelectMany(v => v)];
    }

    /// <summary>The visit rows of one patrol's measured track.</summary>
    public static IEnumerable<PatrolGridVisit> Measure(Guid patrolId, Guid workerId, DateOnly day, TrackSummary summary,
        Func<double, double, string?> locate, PatrolRules rules) =>
        PatrolCoverage.TimePerGrid(summary.Segments, locate, rules).Select(g => new PatrolGridVisit
        {
            PatrolId = patrolId,
            WorkerId = workerId,
            Day = day,
            GridCode = g.GridCode,
            Seconds = Math.Round(g.Time.TotalSeconds),
            Meters = Math.Round(g.Meters, 1),
        });
}
