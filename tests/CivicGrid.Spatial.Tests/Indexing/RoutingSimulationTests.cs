using CivicGrid.Spatial.Indexing;

namespace CivicGrid.Spatial.Tests.Indexing;

/// <summary>
/// The simulation core of the bench's <c>routing</c> harness on a small sample: two subdistricts of a
/// jittered lattice in Xi'an, sharing a north–south border.
/// </summary>
public sealed class RoutingSimulationTests(ITestOutputHelper output)
{
    private static readonly Lazy<(RoutingSimulation Simulation, RoutingSimulationResult Result)> Shared = new(() =>
    {
        var simulation = RoutingSimulation.Build(TestTilings.TwoSubdistrictLattice(40, 30, seed: 7),
            [TestTilings.Subdistrict, TestTilings.NeighbourSubdistrict]);
        return (simulation, simulation.Run(new RoutingSimulationOptions { Points = 20_000, Seed = 2026, ExplainSample = 500 }));
    });

    [Fact]
    public void Harness_ErrorWithinStatedAccuracy_NeverMisroutesACertainAnswer()
    {
        var (simulation, result) = Shared.Value;
        Assert.Equal(2, simulation.SubdistrictCodes.Count);
        Assert.Equal(20_000, result.UniformPoints);
        Assert.Equal(20_000, result.NearBorderPoints);

        foreach (var set in new[] { SimulatedPointSet.Uniform, SimulatedPointSet.NearBorder })
        {
            foreach (var level in new[] { RoutingLevel.FinestGrid, RoutingLevel.Subdistrict })
            {
                var a = result.Get(PositionErrorModel.WithinStatedAccuracy, set, SimulatedRouter.A, level);
                output.WriteLine($"A, {set}, {level}: {a.Certain} certain, {a.CertainMisroutes} of them wrong; {a.AmbiguousRate:P2} ambiguous, {a.MisrouteRate:P2} misrouted");
                // Not vacuous: plenty of certain answers, and ambiguity where circles cross boundaries.
                Assert.True(a.Certain > 1_000, $"{set}, {level}: only {a.Certain} certain answers");
                Assert.True(a.Ambiguous > 0, $"{set}, {level}: no ambiguous answers");
                Assert.Equal(0, a.CertainMisroutes);
            }
        }

        // Taking GCJ-02 as WGS-84 moves every report about 470 m (435 m east, 170 m south in Xi'an): across a
        // north–south border that sends the reports from the western side into the other subdistrict.
        var c = result.Get(PositionErrorModel.WithinStatedAccuracy, SimulatedPointSet.NearBorder, SimulatedRouter.C, RoutingLevel.Subdistrict);
        output.WriteLine($"C, near border, subdistrict: {c.MisrouteRate:P2} misrouted, {c.CertainMisroutes} certain answers wrong");
        Assert.True(c.MisrouteRate > 0.3, $"router C misroutes only {c.MisrouteRate:P2} near the border");
        Assert.True(c.CertainMisroutes > 1_000, $"router C gives only {c.CertainMisroutes} wrong certain answers near the border");
    }

    [Fact]
    public void Run_SameSeed_GivesTheSameCounts()
    {
        var simulation = Shared.Value.Simulation;
        var options = new RoutingSimulationOptions { Points = 2_000, Seed = 5, ExplainSample = 50 };

        var first = simulation.Run(options);
        var second = simulation.Run(options);

        static object Key(RoutingTally t) => (t.Model, t.Set, t.Router.Name, t.Level, t.Misroutes, t.Certain, t.Ambiguous, t.Outside,
            t.CertainMisroutes, t.Explained, t.TrueAmongCandidates, t.TrueIsTopCandidate);
        Assert.Equal(first.Tallies.Select(Key), second.Tallies.Select(Key));
    }
}
