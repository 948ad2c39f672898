using System.Diagnostics;
using System.Globalization;
using System.Text;
using CivicGrid.Spatial.Indexing;

namespace CivicGrid.Bench;

/// <summary>
/// The <c>routing</c> mode: simulates phone reports with GPS noise over a grid set, routes them with the
/// right and the wrong coordinate system, with and without the accuracy circle
/// (<see cref="RoutingSimulation"/>), and prints misroute, ambiguous and outside rates and the misroutes
/// among certain answers side by side. Exits non-zero when router A misroutes a certain answer although
/// every error lies within the stated accuracy, which the locator guarantees never happens.
/// </summary>
public static class RoutingQualityHarness
{
    public const string Usage = "dotnet run -c Release --project bench/CivicGrid.Bench -- routing [--points N] [--seed S] [--grids file.geojson]";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <param name="args">The arguments after <c>routing</c>.</param>
    /// <returns>0 when the self-check holds, 1 when it fails, 2 for bad arguments.</returns>
    public static int Run(IReadOnlyList<string> args)
    {
        var options = new RoutingSimulationOptions();
        string? gridsPath = null;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--points" when int.TryParse(value, NumberStyles.None, Invariant, out var points) && points > 0:
                    options = options with { Points = points };
                    i++;
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.AllowLeadingSign, Invariant, out var seed):
                    options = options with { Seed = seed };
                    i++;
                    break;
                case "--grids" when value is not null:
                    gridsPath = value;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}'");
                    Console.Error.WriteLine("usage: " + Usage);
                    return 2;
            }
        }

        var total = Stopwatch.StartNew();
        GridSet gridSet;
        try
        {
            gridSet = gridsPath is null ? GridSet.Demo() : GridSet.ReadGeoJson(gridsPath);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"cannot read the grid set: {e.Message}");
            return 2;
        }

        var simulation = RoutingSimulation.Build(gridSet.Grids, gridSet.SubdistrictCodes);
        var buildSeconds = total.Elapsed.TotalSeconds;
        var run = Stopwatch.StartNew();
        var result = simulation.Run(options);
        var runSeconds = run.Elapsed.TotalSeconds;

        Console.Write(Report(gridSet, simulation, result));
        Console.WriteLine($"Elapsed: {total.Elapsed.TotalSeconds.ToString("F1", Invariant)} s " +
            $"(grids and indexes {buildSeconds.ToString("F1", Invariant)} s, simulation {runSeconds.ToString("F1", Invariant)} s), " +
            $"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
        return SelfCheck(result) ? 0 : 1;
    }

    /// <summary>The run parameters and one table per scenario, point set and level.</summary>
    public static string Report(GridSet gridSet, RoutingSimulation simulation, RoutingSimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(gridSet);
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(result);
        var options = result.Options;
        var text = new StringBuilder();
        var median = Math.Sqrt(options.MinAccuracyMeters * options.MaxAccuracyMeters);
        text.AppendLine(Invariant, $"Routing quality harness, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine(Invariant, $"Grid set:  {gridSet.Name}: {N(simulation.Leaves.Count)} finest grids, {N(simulation.SubdistrictCodes.Count)} subdistricts ({string.Join(", ", simulation.SubdistrictCodes)}), {N(simulation.BorderLengthMeters)} m of border between subdistricts");
        text.AppendLine(Invariant, $"Points:    {N(result.UniformPoints)} uniform over the territory + {N(result.NearBorderPoints)} within {N(options.BorderBandMeters)} m of a subdistrict border; seed {options.Seed}");
        text.AppendLine(Invariant, $"Accuracy:  stated a log-uniform in {N(options.MinAccuracyMeters)}-{N(options.MaxAccuracyMeters)} m (density ~ 1/a, median {median.ToString("F1", Invariant)} m); error direction uniform");
        text.AppendLine("Error:     scenario 1 uniform in the disc of radius a (never beyond a);");
        text.AppendLine("           scenario 2 circular Gaussian with a as its 68 % radius (Android getAccuracy), 32 % beyond a");
        text.AppendLine("Sent as:   GCJ-02 (WeChat wx.getLocation type gcj02, AMap, Tencent) for A-D; BD-09 (Baidu SDK) for E-F");
        text.AppendLine("Misroute:  the answer's grid (Certain or Ambiguous) is not the true one at that level, or the answer is Outside;");
        text.AppendLine("           Wrong certain: misroutes among Certain answers (count, and share of the Certain answers)");
        text.AppendLine(Invariant, $"Explain:   first {N(options.ExplainSample)} ambiguous answers of each row; share whose candidates include the true grid, and whose top candidate is it");
        text.AppendLine("Routers:");
        foreach (var router in SimulatedRouter.All)
        {
            text.AppendLine(Invariant, $"  {router.Name}  {router.Description}");
        }

        foreach (var (model, title) in new[]
        {
            (PositionErrorModel.WithinStatedAccuracy, "Scenario 1: error within the stated accuracy (uniform in the disc of radius a)"),
            (PositionErrorModel.Gaussian68, "Scenario 2: realistic error (2D Gaussian, a = 68 % radius)"),
        })
        {
            text.AppendLine();
            text.AppendLine(title);
            foreach (var (set, points, setName) in new[]
            {
                (SimulatedPointSet.Uniform, result.UniformPoints, "uniform points"),
                (SimulatedPointSet.NearBorder, result.NearBorderPoints, $"points within {N(options.BorderBandMeters)} m of a subdistrict border"),
            })
            {
                if (points == 0)
                {
                    text.AppendLine(Invariant, $"  ({setName}: none, the grid set has no border between two subdistricts)");
                    continue;
                }

                foreach (var (level, levelName) in new[] { (RoutingLevel.FinestGrid, "finest grid"), (RoutingLevel.Subdistrict, "subdistrict") })
                {
                    text.AppendLine();
                    text.AppendLine(Invariant, $"  {N(points)} {setName}, judged at {levelName} level");
                    text.AppendLine("  Router  Misroute  Ambiguous   Outside   Certain  Wrong certain  % of certain  Explained  True in cands  True top");
                    foreach (var router in SimulatedRouter.All)
                    {
                        var t = result.Get(model, set, router, level);
                        text.AppendLine(Invariant,
                            $"  {router.Name,-6}{P(t.MisrouteRate),10}{P(t.AmbiguousRate),11}{P(t.OutsideRate),10}{P(t.CertainRate),10}{N(t.CertainMisroutes),15}{P(t.CertainMisrouteRate, 3),14}{N(t.Explained),11}{P(t.TrueAmongCandidatesRate),15}{P(t.TrueIsTopCandidateRate),10}");
                    }
                }
            }
        }

        text.AppendLine();
        return text.ToString();
    }

    /// <summary>Router A under scenario 1 must not misroute a single certain answer, at either level, in either set.</summary>
    private static bool SelfCheck(RoutingSimulationResult result)
    {
        var failures = result.Tallies
            .Where(t => t.Model == PositionErrorModel.WithinStatedAccuracy && t.Router == SimulatedRouter.A && t.CertainMisroutes > 0)
            .ToList();
        var certain = result.Tallies
            .Where(t => t.Model == PositionErrorModel.WithinStatedAccuracy && t.Router == SimulatedRouter.A)
            .Sum(t => (long)t.Certain);
        if (failures.Count == 0)
        {
            Console.WriteLine($"Self-check PASSED: router A, scenario 1 (error within the stated accuracy): 0 misroutes among {N(certain)} certain answers (both point sets, both levels).");
            return true;
        }

        foreach (var t in failures)
        {
            Console.WriteLine($"FAILED: router A, scenario 1, {t.Set}, {t.Level}: {N(t.CertainMisroutes)} misroutes among {N(t.Certain)} certain answers; a certain answer must never be wrong when the error is within the stated accuracy.");
        }

        return false;
    }

    private static string N(double value) => value.ToString("N0", Invariant);

    private static string P(double rate, int decimals = 2) =>
        double.IsNaN(rate) ? "-" : (rate * 100).ToString("F" + decimals.ToString(Invariant), Invariant) + " %";
}
