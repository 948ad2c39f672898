using CivicGrid.Spatial.CoordinateSystems;

namespace CivicGrid.Spatial.Indexing;

/// <summary>Where the true positions of simulated reports lie.</summary>
public enum SimulatedPointSet
{
    /// <summary>Uniform by area over the territory (inside some territorial leaf).</summary>
    Uniform,

    /// <summary>Uniform by area in the band of <see cref="RoutingSimulationOptions.BorderBandMeters"/> either
    /// side of a border between two subdistricts (and inside the territory): where the brief's misroutes happen.</summary>
    NearBorder,
}

/// <summary>How the actual position error of a simulated report relates to its stated accuracy a.</summary>
public enum PositionErrorModel
{
    /// <summary>Uniform in the disc of radius a: the error never exceeds the stated accuracy. The condition
    /// under which a certain answer must never be wrong.</summary>
    WithinStatedAccuracy,

    /// <summary>Circular 2D Gaussian with a as its 68 % radius, Android's definition of
    /// <c>Location.getAccuracy</c>; 32 % of errors exceed a.</summary>
    Gaussian68,
}

/// <summary>The level at which a routing answer is judged.</summary>
public enum RoutingLevel
{
    /// <summary>The finest territorial grid (the index's leaf).</summary>
    FinestGrid,

    /// <summary>The subdistrict (街道) containing the leaf: the level the brief complains about.</summary>
    Subdistrict,
}

/// <summary>
/// One way a server may turn a phone report into a locate call: which system the phone sent, which the
/// server assumed, and whether it passed the stated accuracy on.
/// </summary>
/// <param name="Name">Short label (A–F).</param>
/// <param name="Description">What the router does, for tables.</param>
/// <param name="SentIn">The system the phone sends its longitude/latitude in.</param>
/// <param name="TakenAs">The system the server assumes and converts from to WGS-84; wrong when it differs from <paramref name="SentIn"/>.</param>
/// <param name="UsesAccuracy">Whether the stated accuracy is passed to <see cref="GridIndex.Locate"/> (else 0, i.e. "exact").</param>
public sealed record SimulatedRouter(string Name, string Description, CoordinateSystem SentIn, CoordinateSystem TakenAs, bool UsesAccuracy)
{
    /// <summary>(A) GCJ-02 converted correctly, with the accuracy circle: what the server does.</summary>
    public static SimulatedRouter A { get; } = new("A", "GCJ-02 -> WGS-84, with accuracy", CoordinateSystem.Gcj02, CoordinateSystem.Gcj02, true);

    /// <summary>(B) GCJ-02 converted correctly, accuracy ignored.</summary>
    public static SimulatedRouter B { get; } = new("B", "GCJ-02 -> WGS-84, accuracy ignored", CoordinateSystem.Gcj02, CoordinateSystem.Gcj02, false);

    /// <summary>(C) GCJ-02 numbers taken as WGS-84, with the accuracy circle.</summary>
    public static SimulatedRouter C { get; } = new("C", "GCJ-02 taken as WGS-84, with accuracy", CoordinateSystem.Gcj02, CoordinateSystem.Wgs84, true);

    /// <summary>(D) GCJ-02 numbers taken as WGS-84, accuracy ignored.</summary>
    public static SimulatedRouter D { get; } = new("D", "GCJ-02 taken as WGS-84, accuracy ignored", CoordinateSystem.Gcj02, CoordinateSystem.Wgs84, false);

    /// <summary>(E) BD-09 numbers taken as GCJ-02 (only the GCJ-02 → WGS-84 step), with the accuracy circle.</summary>
    public static SimulatedRouter E { get; } = new("E", "BD-09 taken as GCJ-02, with accuracy", CoordinateSystem.Bd09, CoordinateSystem.Gcj02, true);

    /// <summary>(F) BD-09 converted correctly, with the accuracy circle.</summary>
    public static SimulatedRouter F { get; } = new("F", "BD-09 -> WGS-84, with accuracy", CoordinateSystem.Bd09, CoordinateSystem.Bd09, true);

    /// <summary>A to F, in that order.</summary>
    public static IReadOnlyList<SimulatedRouter> All { get; } = [A, B, C, D, E, F];
}

/// <summary>Parameters of a <see cref="RoutingSimulation"/> run; the same options give the same result.</summary>
public sealed record RoutingSimulationOptions
{
    /// <summary>Points in each point set (uniform and near the border).</summary>
    public int Points { get; init; } = 200_000;

    /// <summary>Seed of the random generator; everything drawn depends on it alone.</summary>
    public int Seed { get; init; } = 2026;

    /// <summary>Smallest stated accuracy, metres. Accuracies are log-uniform between this and <see cref="MaxAccuracyMeters"/>.</summary>
    public double MinAccuracyMeters { get; init; } = 5;

    /// <summary>Largest stated accuracy, metres.</summary>
    public double MaxAccuracyMeters { get; init; } = 100;

    /// <summary>Half-width, metres, of the band around subdistrict borders where the near-border set lies.</summary>
    public double BorderBandMeters { get; init; } = 30;

    /// <summary>How many ambiguous answers per tally are explained (<see cref="GridIndex.Explain"/>), the first in
    /// point order; Explain samples the accuracy circle and is much slower than Locate.</summary>
    public int ExplainSample { get; init; } = 5_000;
}

/// <summary>Counts of one router's answers for one error model, point set and level.</summary>
public sealed class RoutingTally
{
    internal RoutingTally(PositionErrorModel model, SimulatedPointSet set, SimulatedRouter router, RoutingLevel level)
    {
        Model = model;
        Set = set;
        Router = router;
        Level = level;
    }

    public PositionErrorModel Model { get; }

    public SimulatedPointSet Set { get; }

    public SimulatedRouter Router { get; }

    public RoutingLevel Level { get; }

    /// <summary>Reports routed.</summary>
    public int Points { get; internal set; }

    /// <summary>Answers naming another grid than the true one at this level, Outside answers included.</summary>
    public int Misroutes { get; internal set; }

    public int Certain { get; internal set; }

    public int Ambiguous { get; internal set; }

    public int Outside { get; internal set; }

    /// <summary>Certain answers naming another grid than the true one: what must never happen when the
    /// error is within the stated accuracy.</summary>
    public int CertainMisroutes { get; internal set; }

    /// <summary>Ambiguous answers passed to <see cref="GridIndex.Explain"/> (at most <see cref="RoutingSimulationOptions.ExplainSample"/>).</summary>
    public int Explained { get; internal set; }

    /// <summary>Explained answers whose candidates include the true grid.</summary>
    public int TrueAmongCandidates { get; internal set; }

    /// <summary>Explained answers whose first candidate (largest share of the circle) is the true grid.</summary>
    public int TrueIsTopCandidate { get; internal set; }

    public double MisrouteRate => Rate(Misroutes, Points);

    public double CertainRate => Rate(Certain, Points);

    public double AmbiguousRate => Rate(Ambiguous, Points);

    public double OutsideRate => Rate(Outside, Points);

    /// <summary>Share of certain answers that are wrong.</summary>
    public double CertainMisrouteRate => Rate(CertainMisroutes, Certain);

    public double TrueAmongCandidatesRate => Rate(TrueAmongCandidates, Explained);

    public double TrueIsTopCandidateRate => Rate(TrueIsTopCandidate, Explained);

    private static double Rate(int count, int total) => total == 0 ? double.NaN : (double)count / total;
}

/// <summary>The outcome of <see cref="RoutingSimulation.Run"/>: one tally per error model, point set, router and level.</summary>
public sealed class RoutingSimulationResult
{
    private readonly Dictionary<(PositionErrorModel, SimulatedPointSet, string, RoutingLevel), RoutingTally> _byKey;

    internal RoutingSimulationResult(RoutingSimulationOptions options, int uniformPoints, int nearBorderPoints, IReadOnlyList<RoutingTally> tallies)
    {
        Options = options;
        UniformPoints = uniformPoints;
        NearBorderPoints = nearBorderPoints;
        Tallies = tallies;
        _byKey = tallies.ToDictionary(t => (t.Model, t.Set, t.Router.Name, t.Level));
    }

    public RoutingSimulationOptions Options { get; }

    /// <summary>Points drawn uniformly over the territory.</summary>
    public int UniformPoints { get; }

    /// <summary>Points drawn near subdistrict borders; 0 when the grid set has no such border.</summary>
    public int NearBorderPoints { get; }

    public IReadOnlyList<RoutingTally> Tallies { get; }

    public RoutingTally Get(PositionErrorModel model, SimulatedPointSet set, SimulatedRouter router, RoutingLevel level)
    {
        ArgumentNullException.ThrowIfNull(router);
        return _byKey[(model, set, router.Name, level)];
    }
}
