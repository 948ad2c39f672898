using System.Diagnostics;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Features.Cases.Duplicates;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicGrid.Bench;

/// <summary>
/// The duplicate search's in-memory index (<see cref="OpenCaseIndex"/>) as the load bench (bench/load) fills it: open
/// cases piled on one point per demo micro-grid, searched at those same points with the finder's 100 m box, a 7-day
/// window, a two-code category family and the 100 most recent kept. Single-threaded, Stopwatch; prints microseconds per
/// search and per case closed (a close takes the case out of its cell).
/// </summary>
internal static class DuplicateSearchBench
{
    public const string Usage = "duplicates [--cases N[,N…]]   (default 10000,30000,100000)";

    private static readonly string[] Categories = ["G0101", "G0102", "G0201", "G0202", "G0301", "G0302"];

    public static int Run(string[] args)
    {
        var sizes = args.Length == 2 && args[0] == "--cases"
            ? args[1].Split(',').Select(int.Parse).ToArray()
            : [10_000, 30_000, 100_000];

        // One point per micro-grid: the mean of its outer ring, as run-load.sh picks them.
        var points = DemoSubdistrictGenerator.Generate(GridSet.DemoDate, GridSet.DemoSeed).Grids
            .Where(g => g.Level == GridLevel.Micro)
            .Select(g => g.Boundary.Coordinates)
            .Select(c => (Lon: c.Average(p => p.X), Lat: c.Average(p => p.Y)))
            .ToArray();
        Console.WriteLine($"duplicate search: {points.Length} demo micro-grid points, {Categories.Length} categories, family of 2, "
            + $"box ±{new DuplicateOptions().RadiusMeters}m, limit {DuplicateFinder.MaxRowsRead}; .NET {Environment.Version}, {Environment.ProcessorCount} cores");
        // Warm-up: one pass of the smallest size first, so no row of the table pays for the JIT's tiers.
        Measure(points, 10_000);
        Console.WriteLine("| open cases | search µs (median of 5 × 20,000) | matches kept | close µs/case |");
        Console.WriteLine("|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            var (search, kept, close) = Measure(points, size);
            Console.WriteLine($"| {size:N0} | {search:F2} | {kept:F1} | {close:F2} |");
        }

        return 0;
    }

    private static (double SearchMicros, double Kept, double CloseMicros) Measure((double Lon, double Lat)[] points, int size)
    {
        var index = new OpenCaseIndex(NullLogger<OpenCaseIndex>.Instance);
        var now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        var random = new Random(2026);
        for (var i = 0; i < size; i++)
        {
            var (lon, lat) = points[random.Next(points.Length)];
            index.Apply(new OpenCase($"C{i:D8}", Categories[random.Next(Categories.Length)], CaseStatus.Assigned,
                now.AddSeconds(i - size), lon, lat, Version: 1));
        }

        HashSet<string> family = ["G0101", "G0102"];
        var defaults = new DuplicateOptions();
        const int searches = 20_000;
        var rounds = new List<double>();
        double kept = 0;
        for (var round = 0; round < 6; round++)
        {
            long found = 0;
            var watch = Stopwatch.StartNew();
            for (var k = 0; k < searches; k++)
            {
                var (lon, lat) = points[random.Next(points.Length)];
                var box = DuplicateFinder.BoxAround(lon, lat, defaults.RadiusMeters);
                found += index.Search(box.MinLon, box.MinLat, box.MaxLon, box.MaxLat, now - defaults.Window, now, family, DuplicateFinder.MaxRowsRead).Count;
            }

            if (round > 0)
            {
                // The first round warms up the JIT.
                rounds.Add(watch.Elapsed.TotalMicroseconds / searches);
                kept = found / (double)searches;
            }
        }

        // Close a tenth of the cases, in random order.
        var closing = Enumerable.Range(0, size).Where(_ => random.Next(10) == 0).ToArray();
        var close = Stopwatch.StartNew();
        foreach (var i in closing)
        {
            index.Apply(new OpenCase($"C{i:D8}", "G0101", CaseStatus.Closed, now.AddSeconds(i - size), 0, 0, Version: 2));
        }

        var closeMicros = close.Elapsed.TotalMicroseconds / Math.Max(1, closing.Length);
        rounds.Sort();
        return (rounds[rounds.Count / 2], kept, closeMicros);
    }
}
