using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace CivicGrid.Server.Demo;

/// <summary>What the demo's week of patrols writes: the patrols (ended), their batches and time per grid.</summary>
public sealed record DemoPatrolWeek(IReadOnlyList<Patrol> Patrols, IReadOnlyList<PatrolBatch> Batches, IReadOnlyList<PatrolGridVisit> Visits);

/// <summary>
/// A deterministic week of "110" patrols before the anchor date for the grid leaders of the main subdistrict: each walks the
/// streets of their grid (east–west streets a third of the grid apart, joined at the ends, back and forth) at a walking
/// pace with a point every 30 s (a phone saving its battery) and a few metres of GPS noise. Most days reach 10,000 steps, some fall short, some are
/// missed, and every sixth grid is not walked at all, so the coverage page has grids nobody walked. Every third leader's
/// phone counts steps (sent with the points, so their patrols show the phone's count), and now and then a leader rides
/// a bus home at the end (a vehicle stretch, not counted). These extras draw from their own random stream so the walks
/// themselves stay as they were.
/// <para>Before that week, back to the start of the last complete quarter (the one the five stars are shown for), the working
/// days as the figures read them: each leader's patrols with their steps, distance and time per micro-grid, but no stored track
/// (a summary scaled from the leader's usual walk). Not the whole year: some 50,000 patrol rows with their grid visits would
/// add a minute to the first start. A strong grid's leader walks more days and reaches the step goal more often (see
/// <see cref="DemoDataset.GridQuality"/>).</para>
/// </summary>
public static class DemoPatrols
{
    private const double Speed = 1.15;
    private const int PointSeconds = 30;
    private const double MetersPerDegreeLat = 111_195;

    /// <summary>Days before the anchor with full tracks.</summary>
    private const int TrackedDays = 7;


    public static DemoPatrolWeek Build(DemoDataset data, DateOnly today, int seed)
    {
        var rules = new PatrolRules();
        var micros = data.Grids.Where(g => g is { Level: GridLevel.Micro, Kind: GridKind.Territorial })
            .GroupBy(g => g.ParentCode!).ToDictionary(g => g.Key, g => g.Select(m => (m.Code, Shape: PreparedGeometryFactory.Prepare(m.Boundary))).ToList());
        var thirds = data.Grids.Where(g => g is { Level: GridLevel.Third, Kind: GridKind.Territorial }
            && g.Code.StartsWith(DemoSubdistrictGenerator.SubdistrictCode, StringComparison.Ordinal)).ToDictionary(g => g.Code);
        var leaders = data.Users.Where(u => u.Roles.Contains(Role.GridLeader) && thirds.ContainsKey(u.ScopeCode))
            .OrderBy(u => u.UserName, StringComparer.Ordinal).ToList();
        var patrols = new List<Patrol>();
        var batches = new List<PatrolBatch>();
        var visits = new List<PatrolGridVisit>();
        for (var k = 0; k < leaders.Count; k++)
        {
            var leader = leaders[k];
            var grid = thirds[leader.ScopeCode];
            var inside = micros.GetValueOrDefault(grid.Code) ?? [];
            string? Locate(double lon, double lat)
            {
                var point = new Point(lon, lat);
                return inside.FirstOrDefault(m => m.Shape.Contains(point)).Code;
            }

            var quality = data.GridQuality.GetValueOrDefault(grid.Code, 0.6);
            var history = new Random(Stable(seed, k, 3));
            var usual = TrackFilter.Analyse(Walk(grid.Boundary.EnvelopeInternal, DateTimeOffset.UnixEpoch, 7_600, history), rules);
            var usualVisits = PatrolTracks.Measure(Guid.Empty, leader.Id, today, usual, Locate, rules).ToList();
            Summaries(leader, grid.Code, today, quality, usual, usualVisits, history, patrols, visits);
            if (k % 6 == 5)
            {
                continue; // this grid is not walked this week
            }

            var random = new Random(Stable(seed, k, 0));
            for (var back = TrackedDays; back >= 1; back--)
            {
                var roll = random.NextDouble();
                if (roll < 0.12)
                {
                    continue; // a day off
                }

                var day = today.AddDays(-back);
                var meters = roll < 0.3 ? 2_500 + (random.NextDouble() * 3_000) : 7_000 + (random.NextDouble() * 1_800);
                var start = new DateTimeOffset(day.ToDateTime(new TimeOnly(8, 30 + random.Next(0, 30))), TimeSpan.FromHours(8)).ToUniversalTime();
                var points = Walk(grid.Boundary.EnvelopeInternal, start, meters, random);
                var extras = new Random(Stable(seed, k, back + 100));
                if (k % 3 == 1)
                {
                    points = WithPhoneSteps(points, 0.62 + (extras.NextDouble() * 0.1));
                }

                if (extras.NextDouble() < 0.15)
                {
                    points = WithBusRideHome(points);
                }

                var patrol = new Patrol(leader.Id, leader.DisplayName, leader.ScopeCode, start, day);
                patrol.Accept(points);
                var summary = TrackFilter.Analyse(points, rules);
                patrol.End(points[^1].At.AddMinutes(1), summary);
                patrols.Add(patrol);
                var n = 0;
                foreach (var chunk in points.Chunk(120))
                {
                    batches.Add(new PatrolBatch
                    {
                        PatrolId = patrol.Id, BatchId = $"demo-{++n}", GridCode = patrol.GridCode, FirstAt = chunk[0].At, LastAt = chunk[^1].At,
                        Count = chunk.Length, Points = TrackCodec.Encode(chunk), ReceivedAt = chunk[^1].At,
                    });
                }

                visits.AddRange(PatrolTracks.Measure(patrol.Id, leader.Id, day, summary, Locate, rules));
            }
        }

        return new DemoPatrolWeek(patrols, batches, visits);
    }

    /// <summary>The working days since the last complete quarter began, before the week with tracks, as summaries scaled from the leader's usual walk.</summary>
    private static void Summaries(UserAccount leader, string gridCode, DateOnly today, double quality, TrackSummary usual,
        List<PatrolGridVisit> usualVisits, Random random, List<Patrol> patrols, List<PatrolGridVisit> visits)
    {
        var calendar = Domain.Calendar.ChineseHolidays.Default;
        var quarter = new DateOnly(today.Year, (((today.Month - 1) / 3) * 3) + 1, 1);
        var historyDays = today.DayNumber - quarter.AddMonths(-3).DayNumber;
        for (var back = historyDays; back > TrackedDays; back--)
        {
            var day = today.AddDays(-back);
            var roll = random.NextDouble();
            if (!calendar.IsWorkingDay(day) || roll > 0.6 + (0.35 * quality))
            {
                continue;
            }

            // Most walks reach the goal; short ones are more common where the grid is weak.
            var meters = random.NextDouble() < 0.45 * (1 - quality) + 0.05
                ? 2_500 + (random.NextDouble() * 3_500)
                : 7_000 + (random.NextDouble() * 1_800);
            var share = meters / usual.WalkedMeters;
            var start = new DateTimeOffset(day.ToDateTime(new TimeOnly(8, 30 + random.Next(0, 30))), TimeSpan.FromHours(8)).ToUniversalTime();
            var walked = TimeSpan.FromSeconds(usual.WalkedTime.TotalSeconds * share);
            var summary = new TrackSummary([], [], 0, meters, 0, walked, (int)(usual.Steps * share), usual.StepsFromPhone);
            var patrol = new Patrol(leader.Id, leader.DisplayName, gridCode, start, day);
            patrol.End(start + walked + TimeSpan.FromMinutes(1), summary);
            patrols.Add(patrol);
            visits.AddRange(usualVisits.Select(v => new PatrolGridVisit
            {
                PatrolId = patrol.Id, WorkerId = leader.Id, Day = day, GridCode = v.GridCode,
                Seconds = Math.Round(v.Seconds * share), Meters = Math.Round(v.Meters * share, 1),
            }));
        }
    }

    /// <summary>A seed from the demo's seed and a position, the same in every process (<see cref="HashCode"/> is not).</summary>
    private static int Stable(int seed, int k, int n) => unchecked((seed * 7_919) + (k * 104_729) + (n * 1_299_709));

    /// <summary>The pedometer's count since the start on every point, for a stride of <paramref name="stride"/> metres.</summary>
    private static List<TrackPoint> WithPhoneSteps(List<TrackPoint> points, double stride)
    {
        var meters = 0.0;
        return [.. points.Select((p, i) =>
        {
            if (i > 0)
            {
                meters += Geodesy.DistanceMeters(points[i - 1].Lon, points[i - 1].Lat, p.Lon, p.Lat);
            }

            return p with { Steps = (int)(meters / stride) };
        })];
    }

    /// <summary>Three minutes on a bus heading east at about 8 m/s after the last point walked.</summary>
    private static List<TrackPoint> WithBusRideHome(List<TrackPoint> points)
    {
        var last = points[^1];
        var metersPerDegreeLon = MetersPerDegreeLat * Math.Cos(last.Lat * Math.PI / 180);
        return [.. points, .. Enumerable.Range(1, 6).Select(i => last with
        {
            At = last.At.AddSeconds(i * PointSeconds),
            Lon = Math.Round(last.Lon + (i * PointSeconds * 8.0 / metersPerDegreeLon), 7),
        })];
    }

    /// <summary>Back and forth along three east–west streets of the grid (inset from its edges), until the distance is walked.</summary>
    private static List<TrackPoint> Walk(Envelope box, DateTimeOffset start, double meters, Random random)
    {
        var metersPerDegreeLon = MetersPerDegreeLat * Math.Cos(box.Centre.Y * Math.PI / 180);
        var insetX = box.Width * 0.08;
        var insetY = box.Height * 0.12;
        var streets = Enumerable.Range(0, 3).Select(i => box.MinY + insetY + ((box.Height - (2 * insetY)) * i / 2)).ToArray();
        var corners = new List<Coordinate>();
        for (var i = 0; i < streets.Length; i++)
        {
            var (from, to) = i % 2 == 0 ? (box.MinX + insetX, box.MaxX - insetX) : (box.MaxX - insetX, box.MinX + insetX);
            corners.Add(new Coordinate(from, streets[i]));
            corners.Add(new Coordinate(to, streets[i]));
        }

        var points = new List<TrackPoint>();
        var step = Speed * PointSeconds;
        var walked = 0.0;
        var at = start;
        var leg = 0;
        var forward = true;
        var position = corners[0];
        while (walked < meters)
        {
            var next = corners[leg + (forward ? 1 : -1)];
            var dx = (next.X - position.X) * metersPerDegreeLon;
            var dy = (next.Y - position.Y) * MetersPerDegreeLat;
            var length = Math.Sqrt((dx * dx) + (dy * dy));
            if (length < step)
            {
                position = next;
                leg += forward ? 1 : -1;
                if (leg == corners.Count - 1 || leg == 0)
                {
                    forward = !forward;
                }

                continue;
            }

            position = new Coordinate(position.X + (dx / length * step / metersPerDegreeLon), position.Y + (dy / length * step / MetersPerDegreeLat));
            walked += step;
            at = at.AddSeconds(PointSeconds);
            var noiseX = (random.NextDouble() - 0.5) * 4 / metersPerDegreeLon;
            var noiseY = (random.NextDouble() - 0.5) * 4 / MetersPerDegreeLat;
            points.Add(new TrackPoint(at, Math.Round(position.X + noiseX, 7), Math.Round(position.Y + noiseY, 7), 5 + (random.NextDouble() * 15)));
        }

        return points;
    }
}
