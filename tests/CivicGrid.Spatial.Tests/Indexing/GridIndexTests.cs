using CivicGrid.Spatial.Indexing;
using NetTopologySuite.Geometries;

namespace CivicGrid.Spatial.Tests.Indexing;

public sealed class GridIndexTests(ITestOutputHelper output)
{
    // Above the index's micrometre safety margins, far below any accuracy that matters.
    private const double Tolerance = 1e-4;
    private static readonly double[] Accuracies = [0, 5, 30, 100];

    [Fact]
    public void Locate_OnJitteredLattice_AgreesWithExactGeometry()
    {
        var grids = TestTilings.JitteredLattice(40, 30, seed: 7);
        var index = GridIndex.Build(grids);
        var counts = AssertAgreesWithGroundTruth(index, grids, 100_000, seed: 11);
        Assert.True(counts[LocateConfidence.Certain] > 10_000);
        Assert.True(counts[LocateConfidence.Ambiguous] > 10_000);
        Assert.True(counts[LocateConfidence.Outside] > 1_000);
    }

    [Fact]
    public void Locate_OnVoronoiCellsWithHolesAndMultipolygons_AgreesWithExactGeometry()
    {
        var grids = TestTilings.VoronoiWithHolesAndMultipolygons(600, seed: 3);
        Assert.Contains(grids, g => g.Boundary is MultiPolygon);
        Assert.Contains(grids, g => g.Boundary is Polygon { NumInteriorRings: > 0 });
        var index = GridIndex.Build(grids);
        var counts = AssertAgreesWithGroundTruth(index, grids, 100_000, seed: 5);
        Assert.True(counts[LocateConfidence.Certain] > 10_000);
        Assert.True(counts[LocateConfidence.Ambiguous] > 10_000);
    }

    [Fact]
    public void Locate_WhenACellHoldsMoreLeavesThanMaskBits_StillAgreesWithExactGeometry()
    {
        var grids = TestTilings.JitteredLattice(60, 60, seed: 9, cellLon: 0.00005, cellLat: 0.00004);
        var index = GridIndex.Build(grids, new GridIndexOptions(MaxCells: 16));
        Assert.True(index.CellCount <= 16);
        AssertAgreesWithGroundTruth(index, grids, 20_000, seed: 2);
    }

    [Fact]
    public void Locate_WithZeroAccuracy_IsCertainForEveryInsidePoint()
    {
        var grids = TestTilings.JitteredLattice(20, 20, seed: 1);
        var index = GridIndex.Build(grids);
        var truth = new GroundTruth(index, grids);
        var random = new Random(4);
        for (var i = 0; i < 20_000; i++)
        {
            var lon = 108.95 + (random.NextDouble() * 20 * 0.0009);
            var lat = 34.23 + (random.NextDouble() * 20 * 0.0008);
            var result = index.Locate(lon, lat);
            Assert.Equal(LocateConfidence.Certain, result.Confidence);
            Assert.Contains(result.Leaf, truth.Covering(truth.Point(lon, lat)));
        }
    }

    [Fact]
    public void Explain_WhenAmbiguous_SharesSumToOneAndMatchExactIntersections()
    {
        var grids = TestTilings.VoronoiWithHolesAndMultipolygons(300, seed: 8);
        var index = GridIndex.Build(grids);
        var truth = new GroundTruth(index, grids);
        var random = new Random(6);
        const double Accuracy = 40;
        var explained = 0;
        var worst = 0.0;
        while (explained < 300)
        {
            var lon = 108.905 + (random.NextDouble() * 0.05);
            var lat = 34.205 + (random.NextDouble() * 0.04);
            var point = truth.Point(lon, lat);
            var detail = index.Explain(lon, lat, Accuracy);
            if (detail.Confidence != LocateConfidence.Ambiguous)
            {
                continue;
            }

            explained++;
            Assert.Equal(index.Locate(lon, lat, Accuracy).Leaf, detail.Leaf);
            Assert.Contains(detail.Leaf, truth.Covering(point));
            Assert.InRange(detail.DistanceToBoundaryMeters!.Value, truth.DistanceToBoundary(detail.Leaf, point) - Tolerance, truth.DistanceToBoundary(detail.Leaf, point) + Tolerance);
            Assert.InRange(detail.Candidates.Sum(c => c.Share), 1 - 1e-9, 1 + 1e-9);
            Assert.Contains(detail.Candidates, c => c.Leaf == detail.Leaf);
            for (var i = 1; i < detail.Candidates.Count; i++)
            {
                Assert.True(detail.Candidates[i - 1].Share >= detail.Candidates[i].Share);
            }

            var circle = point.Buffer(Accuracy, 64);
            for (var leaf = 0; leaf < index.Count; leaf++)
            {
                var touches = truth.Leaves[leaf].Distance(point) <= Accuracy - Tolerance;
                var candidate = detail.Candidates.FirstOrDefault(c => c.Leaf == leaf);
                if (touches)
                {
                    Assert.NotNull(candidate);
                    var exact = truth.Leaves[leaf].Intersection(circle).Area / circle.Area;
                    worst = Math.Max(worst, Math.Abs(exact - candidate.Share));
                    Assert.InRange(candidate.DistanceMeters, truth.Leaves[leaf].Distance(point) - Tolerance, truth.Leaves[leaf].Distance(point) + Tolerance);
                }
            }
        }

        output.WriteLine($"Largest share error against exact intersection: {worst:P2}");
        Assert.True(worst < 0.02, $"share error {worst:P2}");
    }

    [Fact]
    public void Explain_WhenOutside_ListsUpToThreeNearestLeaves()
    {
        var grids = TestTilings.JitteredLattice(10, 10, seed: 2);
        var index = GridIndex.Build(grids);
        var truth = new GroundTruth(index, grids);
        var (lon, lat) = index.Unproject(index.Project(108.95, 34.235).X - 150, index.Project(108.95, 34.235).Y);
        var detail = index.Explain(lon, lat, 10);
        Assert.Equal(LocateConfidence.Outside, detail.Confidence);
        Assert.Equal(-1, detail.Leaf);
        Assert.Empty(detail.Chain);
        Assert.InRange(detail.Candidates.Count, 1, 3);
        var point = truth.Point(lon, lat);
        var nearest = Enumerable.Range(0, index.Count).Min(leaf => truth.Leaves[leaf].Distance(point));
        Assert.InRange(detail.Candidates[0].DistanceMeters, nearest - Tolerance, nearest + Tolerance);
        Assert.InRange(nearest, 149, 151);

        var far = index.Explain(100, 10, 10);
        Assert.Equal(LocateConfidence.Outside, far.Confidence);
        Assert.Empty(far.Candidates);
    }

    [Fact]
    public void ChainOf_FollowsParentCodesFromTheRoot()
    {
        var grids = TestTilings.JitteredLattice(25, 4, seed: 3);
        var index = GridIndex.Build(grids);
        Assert.Equal(100, index.Count);
        var byCode = grids.ToDictionary(g => g.Code);
        for (var leaf = 0; leaf < index.Count; leaf++)
        {
            var chain = index.ChainOf(leaf);
            Assert.Equal(index.CodeOf(leaf), chain[^1]);
            Assert.Equal(TestTilings.District, chain[0]);
            Assert.Equal(4, chain.Count);
            for (var i = 1; i < chain.Count; i++)
            {
                Assert.Equal(chain[i - 1], byCode[chain[i]].ParentCode);
                Assert.StartsWith(chain[i - 1], chain[i], StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Explain_ListsDedicatedGridsCoveringThePoint_AndLeavesThemOutOfTheTiling()
    {
        var grids = TestTilings.JitteredLattice(10, 10, seed: 4);
        var community = grids.First(g => g.Code.Length == 12).Code;
        var dedicated = TestTilings.RectangleMeters(108.95, 34.23, 100, 100, 300, 200);
        grids.Add(new IndexedGrid(community + "901", community, true, dedicated));
        var index = GridIndex.Build(grids);
        Assert.Equal(100, index.Count);
        Assert.Equal(1, index.DedicatedCount);
        var inside = dedicated.Centroid;
        Assert.Equal([community + "901"], index.Explain(inside.X, inside.Y, 0).DedicatedCodes);
        Assert.Empty(index.Explain(108.9501, 34.2301, 0).DedicatedCodes);
    }

    [Fact]
    public void Build_WithSliverOverlapGapAndBrokenShapes_LocatesTheGapAsOutside()
    {
        const double Lon0 = 108.95;
        const double Lat0 = 34.23;
        var grids = new List<IndexedGrid>
        {
            new("A", null, false, TestTilings.RectangleMeters(Lon0, Lat0, 0, 0, 100, 100)),
            // A 0.5 m gap between A and B.
            new("B", null, false, TestTilings.RectangleMeters(Lon0, Lat0, 100.5, 0, 200, 100)),
            // C overlaps A and B by a 0.3 m sliver.
            new("C", null, false, TestTilings.RectangleMeters(Lon0, Lat0, 0, 99.7, 200, 200)),
            new("Empty", null, false, TestTilings.Factory.CreatePolygon()),
            new("Bowtie", null, false, TestTilings.Factory.CreatePolygon([new(Lon0 + 0.01, Lat0), new(Lon0 + 0.011, Lat0 + 0.001), new(Lon0 + 0.011, Lat0), new(Lon0 + 0.01, Lat0 + 0.001), new(Lon0 + 0.01, Lat0)])),
            new("Line", null, false, TestTilings.Factory.CreatePolygon([new(Lon0 - 0.01, Lat0), new(Lon0 - 0.009, Lat0), new(Lon0 - 0.01, Lat0)])),
        };
        var index = GridIndex.Build(grids);
        Assert.Equal(6, index.Count);

        var toLonLat = GridIndexTestsExtensions.MetersToLonLat(Lon0, Lat0);
        var (gapLon, gapLat) = toLonLat(100.25, 50);
        Assert.Equal(LocateConfidence.Outside, index.Locate(gapLon, gapLat).Confidence);
        Assert.Equal(LocateConfidence.Outside, index.Locate(gapLon, gapLat, 30).Confidence);
        Assert.Equal(LocateConfidence.Outside, index.Explain(gapLon, gapLat, 30).Confidence);

        var (overlapLon, overlapLat) = toLonLat(50, 99.85);
        var overlap = index.Locate(overlapLon, overlapLat, 30);
        Assert.Equal(LocateConfidence.Ambiguous, overlap.Confidence);
        Assert.Contains(index.CodeOf(overlap.Leaf), new[] { "A", "C" });

        var (aLon, aLat) = toLonLat(50, 40);
        var inA = index.Locate(aLon, aLat, 30);
        Assert.Equal(LocateConfidence.Certain, inA.Confidence);
        Assert.Equal("A", index.CodeOf(inA.Leaf));
        Assert.Equal(LocateConfidence.Ambiguous, index.Locate(aLon, aLat, 45).Confidence);

        var truth = new GroundTruth(index, grids);
        var random = new Random(12);
        for (var i = 0; i < 20_000; i++)
        {
            var (lon, lat) = toLonLat((random.NextDouble() * 260) - 30, (random.NextDouble() * 260) - 30);
            var result = index.Locate(lon, lat, 10);
            var point = truth.Point(lon, lat);
            var covering = truth.Covering(point).Where(l => index.CodeOf(l) is "A" or "B" or "C").ToList();
            if (result.Confidence == LocateConfidence.Outside)
            {
                Assert.True(covering.Count == 0 || covering.Min(l => truth.DistanceToBoundary(l, point)) < Tolerance);
            }
            else
            {
                Assert.Contains(result.Leaf, covering);
            }

            if (result.Confidence == LocateConfidence.Certain)
            {
                Assert.Single(covering);
                Assert.True(truth.DistanceToBoundary(result.Leaf, point) > 10);
            }
        }
    }

    [Fact]
    public void Build_WithNoLeaves_LocatesEverythingOutside()
    {
        var index = GridIndex.Build([]);
        Assert.Equal(0, index.Count);
        Assert.Equal(LocateConfidence.Outside, index.Locate(108.95, 34.23, 10).Confidence);
        Assert.Equal(LocateConfidence.Outside, index.Explain(108.95, 34.23, 10).Confidence);
        Assert.Equal(LocateConfidence.Outside, index.Locate(double.NaN, 34.23).Confidence);
    }

    /// <summary>
    /// Checks every answer against NTS: outside points are Outside, inside points never are; Certain names
    /// a covering leaf farther than the accuracy from its boundary, with a clearance that is a lower bound;
    /// Ambiguous names a covering leaf within the accuracy of its boundary; accuracy 0 is always Certain.
    /// </summary>
    private Dictionary<LocateConfidence, int> AssertAgreesWithGroundTruth(GridIndex index, List<IndexedGrid> grids, int points, int seed)
    {
        var truth = new GroundTruth(index, grids);
        var extent = new Envelope();
        foreach (var leaf in truth.Leaves)
        {
            extent.ExpandToInclude(leaf.EnvelopeInternal);
        }

        extent.ExpandBy(extent.Width * 0.03, extent.Height * 0.03);
        var random = new Random(seed);
        var counts = new Dictionary<LocateConfidence, int> { [LocateConfidence.Certain] = 0, [LocateConfidence.Ambiguous] = 0, [LocateConfidence.Outside] = 0 };
        for (var i = 0; i < points; i++)
        {
            var (lon, lat) = index.Unproject(extent.MinX + (random.NextDouble() * extent.Width), extent.MinY + (random.NextDouble() * extent.Height));
            var accuracy = Accuracies[i % Accuracies.Length];
            var result = index.Locate(lon, lat, accuracy);
            counts[result.Confidence]++;
            var point = truth.Point(lon, lat);
            var covering = truth.Covering(point);
            if (covering.Count == 0)
            {
                Assert.Equal(LocateConfidence.Outside, result.Confidence);
                continue;
            }

            var nearestBoundary = covering.Min(leaf => truth.DistanceToBoundary(leaf, point));
            if (result.Confidence == LocateConfidence.Outside)
            {
                Assert.True(nearestBoundary < Tolerance, $"inside point ({lon}, {lat}) located outside, {nearestBoundary} m from the boundary");
                continue;
            }

            Assert.Contains(result.Leaf, covering);
            var distance = truth.DistanceToBoundary(result.Leaf, point);
            Assert.True(result.BoundaryClearanceMeters <= distance + Tolerance, $"clearance {result.BoundaryClearanceMeters} > distance {distance}");
            if (result.Confidence == LocateConfidence.Certain)
            {
                Assert.True(accuracy == 0 || distance > accuracy, $"certain at {distance} m from the boundary with accuracy {accuracy}");
            }
            else
            {
                Assert.True(accuracy > 0, "accuracy 0 gave an ambiguous answer");
                Assert.True(distance <= accuracy + Tolerance, $"ambiguous at {distance} m from the boundary with accuracy {accuracy}");
            }
        }

        output.WriteLine($"{index.Count} leaves, {index.CellCount} cells of {index.CellSizeMeters:F1} m, {index.EdgeCellCount} edge cells, {index.EstimatedBytes / 1024.0:F0} KiB: "
            + string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")));
        return counts;
    }
}

internal static class GridIndexTestsExtensions
{
    public static Func<double, double, (double Lon, double Lat)> MetersToLonLat(double lon0, double lat0)
    {
        var metersPerDegreeLat = GridIndex.EarthRadiusMeters * Math.PI / 180;
        var metersPerDegreeLon = metersPerDegreeLat * Math.Cos(lat0 * Math.PI / 180);
        return (x, y) => (lon0 + (x / metersPerDegreeLon), lat0 + (y / metersPerDegreeLat));
    }
}
