using CivicGrid.Spatial.CoordinateSystems;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.OverlayNG;

namespace CivicGrid.Spatial.Indexing;

/// <summary>
/// Simulates phone reports over a grid set and routes them the right and the wrong way, to measure
/// how often a report lands in the wrong grid or subdistrict and how often the locator admits it is
/// unsure. Deterministic: the same grids and options give the same counts.
/// </summary>
/// <remarks>
/// <para>
/// Each simulated report has a true WGS-84 position, a stated accuracy a drawn log-uniformly from
/// <see cref="RoutingSimulationOptions.MinAccuracyMeters"/> to <see cref="RoutingSimulationOptions.MaxAccuracyMeters"/>
/// (5–100 m by default: density ∝ 1/a, median √(5·100) ≈ 22 m, so good outdoor fixes are common and
/// 100 m fixes rare), and an error in a uniform direction whose length follows the
/// <see cref="PositionErrorModel"/>. Both models use the same quantile u of the error length (a·√u
/// within the disc, σ·√(−2 ln(1 − u)) for the Gaussian), so the two scenarios differ only in the shape
/// of the error distribution, not in the draw.
/// </para>
/// <para>
/// The error is applied in the leaf index's own local projection (<see cref="GridIndex.Project"/>), the
/// metric in which <see cref="GridIndex.Locate"/> compares the accuracy with boundary distances; a
/// geodesic error of exactly a could otherwise reach a few centimetres beyond the circle the index
/// tests. The subdistrict index is built from the unions of the same leaves, so it has the same
/// extent and the same projection.
/// </para>
/// <para>
/// The noisy WGS-84 position is then sent as a phone sends it: converted to GCJ-02 (WeChat
/// <c>wx.getLocation</c> with <c>type: 'gcj02'</c>, AMap and Tencent SDKs), or on to BD-09 (Baidu SDK),
/// and each <see cref="SimulatedRouter"/> converts it back from the system it assumes. The correct
/// conversion returns the noisy position to within a millimetre (<see cref="ChinaCoordinates"/>), so
/// the true position is within a plus that of what the locator sees; a certain answer could only be
/// wrong for a true position in that sub-millimetre sliver beyond a boundary, which is negligible.
/// </para>
/// </remarks>
public sealed class RoutingSimulation
{
    // Probes this far either side of a subdistrict ring's segment decide whether the segment is a
    // border between two subdistricts; far below any grid's width, far above coordinate rounding.
    private const double BorderProbeMeters = 0.5;

    // 68 % of a circular 2D Gaussian lies within σ·√(−2 ln 0.32) ≈ 1.5096 σ of its centre.
    private static readonly double Gaussian68RadiusInSigmas = Math.Sqrt(-2 * Math.Log(1 - 0.68));

    private readonly int[] _leafIdentity;
    private readonly int[] _leafGroup;
    private readonly int[] _subdistrictGroup;
    private readonly Geometry[] _subdistrictBoundaries;
    private readonly Envelope _extent;
    private readonly BorderSegments _border;

    private RoutingSimulation(GridIndex leaves, GridIndex subdistricts, int[] leafGroup, int[] subdistrictGroup, Geometry[] subdistrictBoundaries,
        IReadOnlyList<string> groupCodes, Envelope extent)
    {
        Leaves = leaves;
        Subdistricts = subdistricts;
        _leafIdentity = [.. Enumerable.Range(0, leaves.Count)];
        _leafGroup = leafGroup;
        _subdistrictGroup = subdistrictGroup;
        _subdistrictBoundaries = subdistrictBoundaries;
        SubdistrictCodes = groupCodes;
        _extent = extent;
        _border = BorderSegments.Find(this);
    }

    /// <summary>The locator over the territorial leaves (finest grids).</summary>
    public GridIndex Leaves { get; }

    /// <summary>A locator whose leaves are the subdistricts, each the union of its leaves.</summary>
    public GridIndex Subdistricts { get; }

    /// <summary>Codes of the subdistricts found, in the order their first leaf appears.</summary>
    public IReadOnlyList<string> SubdistrictCodes { get; }

    /// <summary>Length in metres of the borders between two subdistricts (each border counted once).</summary>
    public double BorderLengthMeters => _border.TotalLength;

    /// <summary>
    /// Builds the two locators. A leaf's subdistrict is the nearest ancestor (or itself) whose code is in
    /// <paramref name="subdistrictCodes"/>; a leaf without one is grouped under the root of its chain.
    /// </summary>
    /// <param name="grids">The territorial tree (and dedicated grids, which are ignored), WGS-84 longitude/latitude in degrees.</param>
    /// <param name="subdistrictCodes">Codes of the grids at subdistrict level.</param>
    public static RoutingSimulation Build(IReadOnlyList<IndexedGrid> grids, IReadOnlyCollection<string> subdistrictCodes)
    {
        ArgumentNullException.ThrowIfNull(grids);
        ArgumentNullException.ThrowIfNull(subdistrictCodes);
        var leaves = GridIndex.Build(grids);
        if (leaves.Count == 0)
        {
            throw new ArgumentException("The grid set has no territorial leaves.", nameof(grids));
        }

        var isSubdistrict = new HashSet<string>(subdistrictCodes, StringComparer.Ordinal);
        var byCode = new Dictionary<string, IndexedGrid>(StringComparer.Ordinal);
        foreach (var grid in grids)
        {
            byCode.TryAdd(grid.Code, grid);
        }

        var groupCodes = new List<string>();
        var groupOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var members = new List<List<Geometry>>();
        var leafGroup = new int[leaves.Count];
        var extent = new Envelope();
        for (var leaf = 0; leaf < leaves.Count; leaf++)
        {
            var chain = leaves.ChainOf(leaf);
            var code = chain[0];
            for (var i = chain.Count - 1; i >= 0; i--)
            {
                if (isSubdistrict.Contains(chain[i]))
                {
                    code = chain[i];
                    break;
                }
            }

            if (!groupOf.TryGetValue(code, out var group))
            {
                group = groupCodes.Count;
                groupOf.Add(code, group);
                groupCodes.Add(code);
                members.Add([]);
            }

            leafGroup[leaf] = group;
            var boundary = byCode[leaves.CodeOf(leaf)].Boundary;
            if (boundary is { IsEmpty: false })
            {
                members[group].Add(boundary);
                extent.ExpandToInclude(boundary.EnvelopeInternal);
            }
        }

        var subdistrictGrids = new List<IndexedGrid>(groupCodes.Count);
        for (var group = 0; group < groupCodes.Count; group++)
        {
            var union = members[group].Count == 0 ? Polygon.Empty : OverlayNGRobust.Union(members[group]);
            subdistrictGrids.Add(new IndexedGrid(groupCodes[group], null, false, union));
        }

        // The same cell size as the leaf index: with its default cells per leaf the few large subdistrict
        // polygons would get huge cells full of edges, and every locate would scan them.
        var options = GridIndexOptions.Default with { CellsPerLeaf = GridIndexOptions.Default.CellsPerLeaf * leaves.Count / groupCodes.Count };
        var subdistricts = GridIndex.Build(subdistrictGrids, options);
        var subdistrictGroup = new int[subdistricts.Count];
        var subdistrictBoundaries = new Geometry[subdistricts.Count];
        for (var k = 0; k < subdistricts.Count; k++)
        {
            subdistrictGroup[k] = groupOf[subdistricts.CodeOf(k)];
            subdistrictBoundaries[k] = subdistrictGrids[subdistrictGroup[k]].Boundary;
        }

        return new RoutingSimulation(leaves, subdistricts, leafGroup, subdistrictGroup, subdistrictBoundaries, groupCodes, extent);
    }

    /// <summary>Draws the points, routes them with every <see cref="SimulatedRouter"/> under both error models and counts.</summary>
    public RoutingSimulationResult Run(RoutingSimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Points);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MinAccuracyMeters);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAccuracyMeters, options.MinAccuracyMeters);
        ArgumentOutOfRangeException.ThrowIfNegative(options.BorderBandMeters);

        var random = new Random(options.Seed);
        var sets = new (SimulatedPointSet Set, TruePoint[] Points)[]
        {
            (SimulatedPointSet.Uniform, DrawUniform(random, options.Points)),
            (SimulatedPointSet.NearBorder, _border.TotalLength > 0 ? DrawNearBorder(random, options.Points, options.BorderBandMeters) : []),
        };
        var draws = sets.Select(s => DrawErrors(random, s.Points.Length, options)).ToArray();

        var tallies = new List<RoutingTally>();
        foreach (var model in new[] { PositionErrorModel.WithinStatedAccuracy, PositionErrorModel.Gaussian68 })
        {
            for (var s = 0; s < sets.Length; s++)
            {
                var batch = SimulatedRouter.All
                    .Select(router => new[] { new RoutingTally(model, sets[s].Set, router, RoutingLevel.FinestGrid), new RoutingTally(model, sets[s].Set, router, RoutingLevel.Subdistrict) })
                    .ToArray();
                Route(model, sets[s].Points, draws[s], batch, options.ExplainSample);
                tallies.AddRange(batch.SelectMany(b => b));
            }
        }

        return new RoutingSimulationResult(options, sets[0].Points.Length, sets[1].Points.Length, tallies);
    }

    private void Route(PositionErrorModel model, TruePoint[] points, ErrorDraw[] draws, RoutingTally[][] tallies, int explainSample)
    {
        var routers = SimulatedRouter.All;
        for (var i = 0; i < points.Length; i++)
        {
            var point = points[i];
            var draw = draws[i];
            var length = model == PositionErrorModel.WithinStatedAccuracy
                ? draw.Accuracy * Math.Sqrt(draw.Quantile)
                : draw.Accuracy / Gaussian68RadiusInSigmas * Math.Sqrt(-2 * Math.Log(1 - draw.Quantile));
            var (x, y) = Leaves.Project(point.Lon, point.Lat);
            var (lon, lat) = Leaves.Unproject(x + (length * Math.Cos(draw.Direction)), y + (length * Math.Sin(draw.Direction)));
            var gcj = ChinaCoordinates.Wgs84ToGcj02(lon, lat);
            var bd = ChinaCoordinates.Gcj02ToBd09(gcj.Lon, gcj.Lat);
            for (var r = 0; r < routers.Count; r++)
            {
                var router = routers[r];
                var sent = router.SentIn == CoordinateSystem.Bd09 ? bd : gcj;
                var received = ChinaCoordinates.ToWgs84(sent.Lon, sent.Lat, router.TakenAs);
                var accuracy = router.UsesAccuracy ? draw.Accuracy : 0;
                Count(tallies[r][0], Leaves, received, accuracy, point.Leaf, _leafIdentity, explainSample);
                Count(tallies[r][1], Subdistricts, received, accuracy, point.Group, _subdistrictGroup, explainSample);
            }
        }
    }

    /// <summary>Routes one report with one locator and counts the answer; <paramref name="map"/> turns the
    /// locator's leaf into the grid judged at this level (the leaf itself, or its subdistrict).</summary>
    private static void Count(RoutingTally tally, GridIndex index, (double Lon, double Lat) at, double accuracy, int truth, int[] map, int explainSample)
    {
        tally.Points++;
        var located = index.Locate(at.Lon, at.Lat, accuracy);
        var wrong = located.Confidence == LocateConfidence.Outside || map[located.Leaf] != truth;
        if (wrong)
        {
            tally.Misroutes++;
        }

        switch (located.Confidence)
        {
            case LocateConfidence.Certain:
                tally.Certain++;
                if (wrong)
                {
                    tally.CertainMisroutes++;
                }

                break;
            case LocateConfidence.Outside:
                tally.Outside++;
                break;
            default:
                tally.Ambiguous++;
                if (tally.Explained < explainSample)
                {
                    var candidates = index.Explain(at.Lon, at.Lat, accuracy).Candidates;
                    tally.Explained++;
                    if (candidates.Count > 0 && map[candidates[0].Leaf] == truth)
                    {
                        tally.TrueIsTopCandidate++;
                    }

                    foreach (var candidate in candidates)
                    {
                        if (map[candidate.Leaf] == truth)
                        {
                            tally.TrueAmongCandidates++;
                            break;
                        }
                    }
                }

                break;
        }
    }

    private TruePoint[] DrawUniform(Random random, int count)
    {
        var points = new TruePoint[count];
        var attempts = 0L;
        var maxAttempts = (1000L * count) + 1000;
        for (var n = 0; n < count;)
        {
            if (++attempts > maxAttempts)
            {
                throw new InvalidOperationException("The territory covers too little of its extent to draw points in it.");
            }

            var lon = _extent.MinX + (random.NextDouble() * _extent.Width);
            var lat = _extent.MinY + (random.NextDouble() * _extent.Height);
            if (TryTrue(lon, lat, out var point))
            {
                points[n++] = point;
            }
        }

        return points;
    }

    private TruePoint[] DrawNearBorder(Random random, int count, double band)
    {
        var points = new TruePoint[count];
        var attempts = 0L;
        var maxAttempts = (1000L * count) + 1000;
        for (var n = 0; n < count;)
        {
            if (++attempts > maxAttempts)
            {
                throw new InvalidOperationException("Too few points near the subdistrict borders lie in the territory.");
            }

            // A point of the border chosen by length, moved across it by a uniform offset: uniform by
            // area in the band, apart from where the bands of two segments overlap at a bend.
            var (x, y, nx, ny) = _border.PointAt(random.NextDouble(), random.NextDouble());
            var offset = ((2 * random.NextDouble()) - 1) * band;
            var (lon, lat) = Leaves.Unproject(x + (offset * nx), y + (offset * ny));
            if (TryTrue(lon, lat, out var point))
            {
                points[n++] = point;
            }
        }

        return points;
    }

    private bool TryTrue(double lon, double lat, out TruePoint point)
    {
        var located = Leaves.Locate(lon, lat, 0);
        point = located.Leaf >= 0 ? new TruePoint(lon, lat, located.Leaf, _leafGroup[located.Leaf]) : default;
        return located.Leaf >= 0;
    }

    private static ErrorDraw[] DrawErrors(Random random, int count, RoutingSimulationOptions options)
    {
        var draws = new ErrorDraw[count];
        var ratio = options.MaxAccuracyMeters / options.MinAccuracyMeters;
        for (var i = 0; i < count; i++)
        {
            var accuracy = options.MinAccuracyMeters * Math.Pow(ratio, random.NextDouble());
            draws[i] = new ErrorDraw(accuracy, 2 * Math.PI * random.NextDouble(), random.NextDouble());
        }

        return draws;
    }

    /// <summary>A true position (WGS-84 degrees), its leaf and its subdistrict (group index).</summary>
    private readonly record struct TruePoint(double Lon, double Lat, int Leaf, int Group);

    /// <summary>Stated accuracy (metres), error direction (radians from east) and quantile 0 ≤ u &lt; 1 of the error length.</summary>
    private readonly record struct ErrorDraw(double Accuracy, double Direction, double Quantile);

    /// <summary>The subdistrict (group index) at a point of the leaf projection, metres; -1 outside.</summary>
    private int GroupAt(double x, double y)
    {
        var (lon, lat) = Leaves.Unproject(x, y);
        var located = Subdistricts.Locate(lon, lat, 0);
        return located.Leaf >= 0 ? _subdistrictGroup[located.Leaf] : -1;
    }

    /// <summary>
    /// The borders between two subdistricts as segments in the leaf index's projection (metres), each
    /// border once, with cumulative lengths for drawing a point uniformly along them.
    /// </summary>
    private sealed class BorderSegments
    {
        private readonly List<double> _xy = [];
        private readonly List<double> _cumulative = [];

        public double TotalLength => _cumulative.Count == 0 ? 0 : _cumulative[^1];

        public static BorderSegments Find(RoutingSimulation simulation)
        {
            var border = new BorderSegments();
            var index = simulation.Subdistricts;
            for (var k = 0; k < index.Count; k++)
            {
                var own = simulation._subdistrictGroup[k];
                foreach (var ring in Rings(simulation, k))
                {
                    border.AddShared(simulation, ring, own);
                }
            }

            return border;
        }

        /// <summary>A point on the border at fraction <paramref name="along"/> of the total length, jittered
        /// within its segment by <paramref name="within"/>, with the segment's unit normal.</summary>
        public (double X, double Y, double NormalX, double NormalY) PointAt(double along, double within)
        {
            var target = along * TotalLength;
            var s = _cumulative.BinarySearch(target);
            s = s < 0 ? Math.Min(~s, _cumulative.Count - 1) : s;
            var ax = _xy[4 * s];
            var ay = _xy[(4 * s) + 1];
            var dx = _xy[(4 * s) + 2] - ax;
            var dy = _xy[(4 * s) + 3] - ay;
            var length = Math.Sqrt((dx * dx) + (dy * dy));
            return (ax + (within * dx), ay + (within * dy), -dy / length, dx / length);
        }

        private static IEnumerable<LineString> Rings(RoutingSimulation simulation, int k)
        {
            // The subdistrict index keeps no geometry; its leaf k is the union built for the group.
            var boundary = simulation._subdistrictBoundaries[k];
            for (var p = 0; p < boundary.NumGeometries; p++)
            {
                if (boundary.GetGeometryN(p) is Polygon polygon)
                {
                    yield return polygon.Shell;
                    foreach (var hole in polygon.Holes)
                    {
                        yield return hole;
                    }
                }
            }
        }

        private void AddShared(RoutingSimulation simulation, LineString ring, int own)
        {
            var leaves = simulation.Leaves;
            var sequence = ring.CoordinateSequence;
            for (var i = 0; i + 1 < sequence.Count; i++)
            {
                var (ax, ay) = leaves.Project(sequence.GetX(i), sequence.GetY(i));
                var (bx, by) = leaves.Project(sequence.GetX(i + 1), sequence.GetY(i + 1));
                var dx = bx - ax;
                var dy = by - ay;
                var length = Math.Sqrt((dx * dx) + (dy * dy));
                // Segments shorter than the probes are too short to probe and too short to matter.
                if (length < 2 * BorderProbeMeters)
                {
                    continue;
                }

                var mx = (ax + bx) / 2;
                var my = (ay + by) / 2;
                var nx = -dy / length * BorderProbeMeters;
                var ny = dx / length * BorderProbeMeters;
                var left = simulation.GroupAt(mx + nx, my + ny);
                var right = simulation.GroupAt(mx - nx, my - ny);
                // Both sides are subdistricts and differ; the one with the smaller index keeps the
                // segment, so a border shared by two rings is counted once.
                if (left >= 0 && right >= 0 && left != right && Math.Min(left, right) == own)
                {
                    _xy.AddRange([ax, ay, bx, by]);
                    _cumulative.Add(TotalLength + length);
                }
            }
        }
    }
}
