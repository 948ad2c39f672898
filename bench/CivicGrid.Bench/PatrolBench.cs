using System.Diagnostics;
using System.Security.Claims;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Spatial.Indexing;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Bench;

/// <summary>
/// Patrol tracks on SQLite (a fresh file, all migrations): ingest through the points endpoint's handler
/// (<see cref="PatrolsApi.AppendPoints"/>, one context and one transaction per batch, as a request) and a subdistrict's day
/// of coverage — every open patrol's points read from their batches, filtered and measured against the demo grids'
/// locator (<see cref="PatrolTracks.VisitsAsync"/>'s work without the host).
/// </summary>
internal static class PatrolBench
{
    public const string Usage = "patrols [--workers N] [--hours H]   (default 300 workers × 8 h, a point every 5 s)";

    public static async Task<int> RunAsync(string[] args)
    {
        var workers = Option(args, "--workers", 300);
        var hours = Option(args, "--hours", 8);
        var directory = Directory.CreateTempSubdirectory("civicgrid-patrol-bench-");
        try
        {
            var options = new DbContextOptionsBuilder<SqliteCivicGridDbContext>();
            SqliteCivicGridDbContext.Configure(options, $"Data Source={Path.Combine(directory.FullName, "bench.db")}", TimeSpan.FromSeconds(30));
            SqliteCivicGridDbContext Context() => new(options.Options, FixedScopeAccessor.System);
            await using (var db = Context())
            {
                await db.Database.MigrateAsync();
            }

            var grids = DemoSubdistrictGenerator.Generate(GridSet.DemoDate, GridSet.DemoSeed).Grids;
            var index = GridIndex.Build([.. grids.Select(g => new IndexedGrid(g.Code, g.ParentCode, g.Kind == GridKind.Dedicated, g.Boundary))]);
            var thirds = grids.Where(g => g is { Level: GridLevel.Third, Kind: GridKind.Territorial }).ToList();
            var start = new DateTimeOffset(2026, 12, 7, 0, 30, 0, TimeSpan.Zero);
            var time = new FixedTime(start.AddHours(hours + 1));
            var day = PatrolTracks.BeijingDay(start);
            var pointsPerWorker = hours * 3600 / 5;
            Console.WriteLine($"patrols: SQLite, {workers} workers × {hours} h × a point every 5 s = {workers * pointsPerWorker:N0} points; "
                + $".NET {Environment.Version}, {Environment.ProcessorCount} cores");

            var patrols = new List<Patrol>();
            await using (var db = Context())
            {
                for (var w = 0; w < workers; w++)
                {
                    patrols.Add(new Patrol(Guid.NewGuid(), $"网格员{w}", thirds[w % thirds.Count].Code, start, day));
                }

                db.Patrols.AddRange(patrols);
                await db.SaveChangesAsync();
            }

            var tracks = patrols.Select((p, w) => Walk(thirds[w % thirds.Count].Boundary.EnvelopeInternal, start, pointsPerWorker, new Random(w))).ToList();

            // Ingest through the handler: the first hour of every worker in batches of 10 (a phone online), then of 100 (backlogs).
            foreach (var size in new[] { 10, 100 })
            {
                var offset = size == 10 ? 0 : 720;
                var count = size == 10 ? 720 : 1400;
                var watch = Stopwatch.StartNew();
                var sent = 0;
                for (var w = 0; w < workers; w++)
                {
                    var caller = new ClaimsPrincipal(new ClaimsIdentity([new Claim(CivicGridClaims.UserId, patrols[w].WorkerId.ToString())], "bench"));
                    for (var b = offset; b < offset + count; b += size)
                    {
                        var batch = tracks[w].Skip(b).Take(size).Select(p => new TrackPointRequest(p.At, p.Lon, p.Lat, p.AccuracyMeters, null)).ToList();
                        await using var db = Context();
                        await PatrolsApi.AppendPoints(patrols[w].Id, new TrackBatchRequest($"b{size}-{b}", batch), caller, db, time, CancellationToken.None);
                        sent += batch.Count;
                    }
                }

                Console.WriteLine($"ingest, batches of {size,3}: {sent:N0} points in {watch.Elapsed.TotalSeconds:F2} s = {sent / watch.Elapsed.TotalSeconds:N0} points/s");
            }

            // The rest of the day straight into the table (not measured), so coverage reads a full day.
            await using (var db = Context())
            {
                for (var w = 0; w < workers; w++)
                {
                    foreach (var chunk in tracks[w].Skip(2120).Chunk(500))
                    {
                        db.PatrolBatches.Add(new PatrolBatch
                        {
                            PatrolId = patrols[w].Id, BatchId = $"rest-{chunk[0].At.ToUnixTimeSeconds()}", GridCode = patrols[w].GridCode,
                            FirstAt = chunk[0].At, LastAt = chunk[^1].At, Count = chunk.Length, Points = TrackCodec.Encode(chunk), ReceivedAt = chunk[^1].At,
                        });
                    }

                    if (w % 50 == 49)
                    {
                        await db.SaveChangesAsync();
                        db.ChangeTracker.Clear();
                    }
                }

                await db.SaveChangesAsync();
            }

            var rules = new PatrolRules();
            var locate = PatrolTracks.Locator(index);
            for (var round = 1; round <= 3; round++)
            {
                var watch = Stopwatch.StartNew();
                await using var db = Context();
                var ids = await db.Patrols.AsNoTracking().Where(p => p.Day == day).Select(p => p.Id).ToListAsync();
                var points = await PatrolTracks.LoadAsync(db, ids, CancellationToken.None);
                var read = watch.Elapsed;
                var total = points.Values.Sum(p => p.Count);
                var visits = PatrolTracks.MeasureAll([.. ids.Select(id => (id, Guid.Empty, day))], points, locate, rules);

                var walked = PatrolCoverage.AtLevel(visits.Select(v => v.GridCode), GridLevel.Micro).Count;
                Console.WriteLine($"coverage of the day, round {round}: {total:N0} points of {ids.Count} patrols in {watch.Elapsed.TotalSeconds:F2} s "
                    + $"(read {read.TotalSeconds:F2} s), {walked} micro-grids walked");
            }

            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    /// <summary>A walk at 1.2 m/s inside a grid's box, turning at its edges, a point every 5 s with a few metres of noise.</summary>
    private static List<TrackPoint> Walk(NetTopologySuite.Geometries.Envelope box, DateTimeOffset start, int count, Random random)
    {
        const double metersPerDegree = 111_195;
        var lon = box.Centre.X;
        var lat = box.Centre.Y;
        var heading = random.NextDouble() * 2 * Math.PI;
        var points = new List<TrackPoint>(count);
        for (var i = 0; i < count; i++)
        {
            if (random.NextDouble() < 0.02)
            {
                heading += Math.PI / 2 * (random.Next(2) * 2 - 1);
            }

            var nextLon = lon + (Math.Cos(heading) * 6 / (metersPerDegree * Math.Cos(lat * Math.PI / 180)));
            var nextLat = lat + (Math.Sin(heading) * 6 / metersPerDegree);
            if (!box.Contains(nextLon, nextLat))
            {
                heading += Math.PI;
                continue;
            }

            (lon, lat) = (nextLon, nextLat);
            points.Add(new TrackPoint(start.AddSeconds(i * 5), lon + ((random.NextDouble() - 0.5) * 3e-5), lat + ((random.NextDouble() - 0.5) * 3e-5), 5 + (random.NextDouble() * 10)));
        }

        while (points.Count < count)
        {
            points.Add(points[^1] with { At = start.AddSeconds(points.Count * 5) });
        }

        return points;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
