using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Valid;

namespace CivicGrid.Domain.Geography.Topology;

/// <summary>
/// Checks that a set of grids forms a sound territorial tree (全域覆盖、边界清晰): valid boundaries, unique
/// well-formed codes, parents at the level above, territorial siblings that neither overlap nor leave gaps
/// in their parent, and every grid inside its parent. Dedicated grids lie over the tiling, so they are
/// only checked against their parent. Used by the import command, the admin endpoint and the console map.
/// </summary>
/// <remarks>
/// <para>
/// Areas are measured in m² on a local projection and weighed by <see cref="TopologyOptions"/>: noise is
/// dropped, slivers are warnings, larger defects errors. Each family of siblings is first measured as a
/// whole (one union, one intersection with the parent); only a family with more than noise is searched
/// pair by pair through an STR-tree over envelopes, and child by child against its prepared parent. The
/// demo subdistrict (~1,500 grids, 1,152 micro-grids) takes about half a second of CPU time.
/// </para>
/// <para>
/// The validator keeps no state between calls: one instance may serve concurrent requests.
/// </para>
/// <para>
/// A parent's gap check assumes all its territorial children are in the set. For a partial import, pass
/// the stored siblings too, or leave the stored parent out (its children then get a MissingParent warning
/// and are not checked against it). A grid whose boundary is invalid is reported for that alone; a parent
/// with an invalid territorial child is not checked for gaps, since the hole would be false.
/// </para>
/// </remarks>
public sealed class GridTopologyValidator
{
    /// <summary>Every location in a report is WGS-84 lon/lat.</summary>
    private readonly GeometryFactory _factory = new(new PrecisionModel(), 4326);

    /// <summary>
    /// Validates <paramref name="grids"/> as one set. Never throws for bad data: malformed geometry, codes
    /// and parents, and a geometric computation that fails, all become problems in the report.
    /// </summary>
    /// <param name="grids">The grids to check, in file order; may include stored grids the file relies on.</param>
    /// <param name="options">Thresholds for area defects; the defaults when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="grids"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="grids"/> contains a null entry.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A threshold in <paramref name="options"/> is negative or NaN.</exception>
    public TopologyReport Validate(IReadOnlyList<GridShape> grids, TopologyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(grids);
        options ??= new TopologyOptions();
        options.EnsureValid();
        if (grids.Any(grid => grid is null))
        {
            throw new ArgumentException("The grid set contains a null entry.", nameof(grids));
        }

        var run = new ValidationRun(grids, options, _factory);
        run.CheckBoundaries();
        run.CheckCodes();
        run.ResolveParents();
        run.CheckFamilies();
        return new TopologyReport(run.Problems);
    }

    /// <summary>One grid of the set and what the checks so far have learnt about it.</summary>
    private sealed class Node(GridShape shape, int ordinal)
    {
        private IPreparedGeometry? _prepared;

        public GridShape Shape { get; } = shape;

        /// <summary>Position in the input list; unique even when feature indexes are not.</summary>
        public int Ordinal { get; } = ordinal;

        public string Code { get; } = shape.Code ?? string.Empty;

        /// <summary>The boundary when it is a valid polygon or multipolygon in lon/lat; else null and the grid takes no part in geometric checks.</summary>
        public Geometry? Geometry { get; set; }

        /// <summary>False when the level or kind is not a defined value: the grid cannot be placed in the tree.</summary>
        public bool HasKnownRole { get; set; }

        /// <summary>The parent, set only when it is in the set at the right level.</summary>
        public Node? Parent { get; set; }

        public bool IsTerritorial => Shape.Kind == GridKind.Territorial;

        /// <summary>Prepared once and reused: a parent is tested against each of its children.</summary>
        public IPreparedGeometry Prepared => _prepared ??= PreparedGeometryFactory.Prepare(Geometry);
    }

    private sealed class ValidationRun
    {
        private readonly List<Node> _nodes;
        private readonly TopologyOptions _options;
        private readonly GeometryFactory _factory;
        private readonly Dictionary<string, Node> _byCode = new(StringComparer.Ordinal);

        public ValidationRun(IReadOnlyList<GridShape> grids, TopologyOptions options, GeometryFactory factory)
        {
            _nodes = grids.Select((shape, ordinal) => new Node(shape, ordinal)).ToList();
            _options = options;
            _factory = factory;
        }

        public List<TopologyProblem> Problems { get; } = [];

        public void CheckBoundaries()
        {
            foreach (var node in _nodes)
            {
                try
                {
                    node.Geometry = CheckBoundary(node);
                }
                catch (Exception exception) when (IsGeometryFailure(exception))
                {
                    Add(TopologySeverity.Error, TopologyProblemKind.InvalidGeometry, node, null, LocationOf(exception), null,
                        TopologyMessages.GeometryCheckFailed(node.Code, exception.Message));
                }
            }
        }

        public void CheckCodes()
        {
            foreach (var node in _nodes)
            {
                if (!_byCode.TryAdd(node.Code, node))
                {
                    var first = _byCode[node.Code];
                    Add(TopologySeverity.Error, TopologyProblemKind.DuplicateCode, node, null, node.Geometry, null,
                        TopologyMessages.DuplicateCode(node.Code, first.Shape.Index, node.Shape.Index));
                }

                var shape = node.Shape;
                node.HasKnownRole = Enum.IsDefined(shape.Level) && Enum.IsDefined(shape.Kind);
                if (!node.HasKnownRole)
                {
                    Add(TopologySeverity.Error, TopologyProblemKind.BadCode, node, null, node.Geometry, null,
                        TopologyMessages.UnknownLevelOrKind(node.Code));
                }
                else if (GridCodes.Validate(node.Code, shape.Level, shape.Kind, shape.ParentCode) is { } rule)
                {
                    Add(TopologySeverity.Error, TopologyProblemKind.BadCode, node, null, node.Geometry, null,
                        TopologyMessages.BadCode(node.Code, shape.Level, shape.Kind, shape.ParentCode, rule));
                }
            }
        }

        public void ResolveParents()
        {
            foreach (var node in _nodes.Where(n => n.HasKnownRole && n.Shape.ParentCode is not null))
            {
                var parentCode = node.Shape.ParentCode!;
                if (!_byCode.TryGetValue(parentCode, out var parent))
                {
                    Add(TopologySeverity.Warning, TopologyProblemKind.MissingParent, node, parentCode, node.Geometry, null,
                        TopologyMessages.MissingParent(node.Code, parentCode));
                    continue;
                }

                // A parent of unknown level is already an error of its own; guessing here would only add noise.
                if (!parent.HasKnownRole)
                {
                    continue;
                }

                var shape = node.Shape;
                if (parent.Shape.Kind != GridKind.Territorial || parent.Shape.Level != GridCodes.ParentLevelOf(shape.Level, shape.Kind))
                {
                    Add(TopologySeverity.Error, TopologyProblemKind.ParentLevelMismatch, node, parentCode, node.Geometry, null,
                        TopologyMessages.ParentLevelMismatch(node.Code, shape.Level, shape.Kind, parentCode, parent.Shape.Level, parent.Shape.Kind));
                    continue;
                }

                node.Parent = parent;
            }
        }

        /// <summary>
        /// Checks each family of territorial siblings for overlaps, each parent for gaps and for children
        /// outside it, and each dedicated grid against its parent. Clean data is the common case and must be
        /// fast, so a family is first measured as a whole: the children's areas minus the area of their union
        /// is the total overlap; the parent minus the union, and the union minus the parent, the total gap and
        /// outside areas. Only a family whose total is more than noise is searched pair by pair or child by
        /// child; no part can be larger than the total, so nothing is missed.
        /// </summary>
        public void CheckFamilies()
        {
            // GroupBy keeps the order of first appearance, so the report is the same from run to run.
            var families = _nodes.Where(n => n.HasKnownRole && n.IsTerritorial).GroupBy(SiblingKey).Select(family => family.ToList());
            foreach (var family in families)
            {
                var union = CheckOverlaps(family);
                CheckAgainstParent(family, union);
            }

            foreach (var dedicated in _nodes.Where(n => !n.IsTerritorial && n.Geometry is not null && n.Parent?.Geometry is not null))
            {
                CheckInsideParent(dedicated);
            }
        }

        /// <returns>The union of the family's valid boundaries, for the parent checks; null when there is none or it failed.</returns>
        private Geometry? CheckOverlaps(List<Node> family)
        {
            var tiles = family.Where(n => n.Geometry is not null).ToList();
            if (tiles.Count <= 1)
            {
                return tiles.FirstOrDefault()?.Geometry;
            }

            var union = TryUnion(tiles, out _);
            if (union is not null)
            {
                var latitude = LocalMetres.CentreLatitude(union);
                var overlapTotal = tiles.Sum(tile => LocalMetres.Area(tile.Geometry!, latitude)) - LocalMetres.Area(union, latitude);
                if (overlapTotal <= _options.IgnoreBelowSquareMeters)
                {
                    return union;
                }
            }

            var index = new STRtree<Node>();
            foreach (var tile in tiles)
            {
                index.Insert(tile.Geometry!.EnvelopeInternal, tile);
            }

            index.Build();
            foreach (var tile in tiles)
            {
                foreach (var other in index.Query(tile.Geometry!.EnvelopeInternal))
                {
                    // Each pair once, in input order, so the report is the same from run to run.
                    if (other.Ordinal > tile.Ordinal)
                    {
                        CheckOverlap(tile, other);
                    }
                }
            }

            return union;
        }

        private void CheckAgainstParent(List<Node> family, Geometry? familyUnion)
        {
            // Siblings share the parent code, so every child whose parent was accepted has the same parent.
            var children = family.Where(n => n.Parent is not null).ToList();
            var parent = children.FirstOrDefault()?.Parent;
            var valid = children.Where(n => n.Geometry is not null).ToList();
            if (parent?.Geometry is null || valid.Count == 0)
            {
                return;
            }

            // With an invalid child the hole where it should be would be reported as a false gap.
            var checkGaps = valid.Count == children.Count;
            Exception? failure = null;
            var covered = valid.Count == family.Count(n => n.Geometry is not null)
                ? familyUnion
                : valid.Count == 1 ? valid[0].Geometry : TryUnion(valid, out failure);
            if (covered is null)
            {
                if (checkGaps)
                {
                    Add(TopologySeverity.Error, TopologyProblemKind.Gap, parent, null, LocationOf(failure), null,
                        TopologyMessages.GapCheckFailed(parent.Code, failure?.Message ?? "the union of the child grids failed"));
                }

                valid.ForEach(CheckInsideParent);
                return;
            }

            double gapTotal, outsideTotal;
            try
            {
                var latitude = LocalMetres.CentreLatitude(parent.Geometry);
                var inside = LocalMetres.Area(OverlayNGRobust.Overlay(parent.Geometry, covered, SpatialFunction.Intersection), latitude);
                gapTotal = LocalMetres.Area(parent.Geometry, latitude) - inside;
                outsideTotal = LocalMetres.Area(covered, latitude) - inside;
            }
            catch (Exception exception) when (IsGeometryFailure(exception))
            {
                // Measuring the family failed: look at every part, where failures are reported per grid.
                (gapTotal, outsideTotal) = (double.PositiveInfinity, double.PositiveInfinity);
            }

            if (checkGaps && gapTotal > _options.IgnoreBelowSquareMeters)
            {
                CheckGaps(parent, covered);
            }

            if (outsideTotal > _options.IgnoreBelowSquareMeters)
            {
                valid.ForEach(CheckInsideParent);
            }
        }

        /// <summary>Reports each part of the parent covered by none of its territorial children.</summary>
        private void CheckGaps(Node parent, Geometry covered)
        {
            try
            {
                var gaps = OverlayNGRobust.Overlay(parent.Geometry, covered, SpatialFunction.Difference);
                foreach (var (part, area, severity) in Defects(gaps))
                {
                    Add(severity, TopologyProblemKind.Gap, parent, null, part, area, TopologyMessages.Gap(parent.Code, area, severity));
                }
            }
            catch (Exception exception) when (IsGeometryFailure(exception))
            {
                Add(TopologySeverity.Error, TopologyProblemKind.Gap, parent, null, LocationOf(exception), null,
                    TopologyMessages.GapCheckFailed(parent.Code, exception.Message));
            }
        }

        /// <summary>Reports each part of the child outside its parent.</summary>
        private void CheckInsideParent(Node child)
        {
            var parent = child.Parent!;
            try
            {
                if (parent.Prepared.Covers(child.Geometry))
                {
                    return;
                }

                var outside = OverlayNGRobust.Overlay(child.Geometry, parent.Geometry, SpatialFunction.Difference);
                foreach (var (part, area, severity) in Defects(outside))
                {
                    Add(severity, TopologyProblemKind.OutsideParent, child, parent.Code, part, area,
                        TopologyMessages.OutsideParent(child.Code, parent.Code, area, severity));
                }
            }
            catch (Exception exception) when (IsGeometryFailure(exception))
            {
                Add(TopologySeverity.Error, TopologyProblemKind.OutsideParent, child, parent.Code, LocationOf(exception), null,
                    TopologyMessages.OutsideCheckFailed(child.Code, parent.Code, exception.Message));
            }
        }

        /// <summary>
        /// OverlayNGRobust.Union runs UnaryUnionOp (a cascaded polygon union) with OverlayNG's snapping
        /// fallbacks, which real survey vertices need. Null when even those fail.
        /// </summary>
        private static Geometry? TryUnion(List<Node> nodes, out Exception? failure)
        {
            failure = null;
            try
            {
                return OverlayNGRobust.Union(nodes.Select(node => node.Geometry!).ToList());
            }
            catch (Exception exception) when (IsGeometryFailure(exception))
            {
                failure = exception;
                return null;
            }
        }

        /// <summary>The boundary when it can take part in geometric checks, else null after reporting why.</summary>
        private Geometry? CheckBoundary(Node node)
        {
            var boundary = node.Shape.Boundary;
            if (boundary is null || boundary.IsEmpty)
            {
                Add(TopologySeverity.Error, TopologyProblemKind.EmptyGeometry, node, null, null, null, TopologyMessages.EmptyGeometry(node.Code));
                return null;
            }

            var isLonLat = IsLonLat(boundary);
            if (boundary is not (Polygon or MultiPolygon))
            {
                Add(TopologySeverity.Error, TopologyProblemKind.InvalidGeometry, node, null, isLonLat ? boundary : null, null,
                    TopologyMessages.NotPolygonal(node.Code, boundary));
                return null;
            }

            if (!isLonLat)
            {
                Add(TopologySeverity.Error, TopologyProblemKind.InvalidGeometry, node, null, null, null, TopologyMessages.NotLonLat(node.Code));
                return null;
            }

            if (new IsValidOp(boundary).ValidationError is { } error)
            {
                var location = error.Coordinate is { } at ? _factory.CreatePoint(new Coordinate(at.X, at.Y)) : null;
                Add(TopologySeverity.Error, TopologyProblemKind.InvalidGeometry, node, null, location, null,
                    TopologyMessages.InvalidBoundary(node.Code, error));
                return null;
            }

            return boundary;
        }

        private void CheckOverlap(Node tile, Node other)
        {
            try
            {
                if (!tile.Prepared.Intersects(other.Geometry))
                {
                    return;
                }

                // Neighbours in a tiling share edges, so most intersections are lines and yield no defect.
                var shared = OverlayNGRobust.Overlay(tile.Geometry, other.Geometry, SpatialFunction.Intersection);
                var defects = Defects(shared);
                if (defects.Count == 0)
                {
                    return;
                }

                // One problem per pair: people fix an overlap by redrawing the edge between two grids.
                var area = defects.Sum(defect => defect.Area);
                var severity = defects.Max(defect => defect.Severity);
                Geometry location = defects.Count == 1
                    ? defects[0].Part
                    : _factory.CreateMultiPolygon(defects.Select(defect => defect.Part).ToArray());
                Add(severity, TopologyProblemKind.Overlap, tile, other.Code, location, area,
                    TopologyMessages.Overlap(tile.Code, tile.Shape.Index, other.Code, other.Shape.Index, area, severity));
            }
            catch (Exception exception) when (IsGeometryFailure(exception))
            {
                Add(TopologySeverity.Error, TopologyProblemKind.Overlap, tile, other.Code, LocationOf(exception), null,
                    TopologyMessages.OverlapCheckFailed(tile.Code, other.Code, exception.Message));
            }
        }

        /// <summary>The polygon parts of an overlay result that are not noise, each weighed by the options.</summary>
        private List<(Polygon Part, double Area, TopologySeverity Severity)> Defects(Geometry result)
        {
            var defects = new List<(Polygon, double, TopologySeverity)>();
            foreach (var part in PolygonExtracter.GetPolygons(result).Cast<Polygon>())
            {
                var area = LocalMetres.Area(part);
                if (_options.Classify(area, LocalMetres.Perimeter(part)) is { } severity)
                {
                    part.SRID = _factory.SRID;
                    defects.Add((part, area, severity));
                }
            }

            return defects;
        }

        /// <summary>Territorial grids are siblings, which together tile an area, under one parent code, or as roots of one level.</summary>
        private static (string? ParentCode, GridLevel? RootLevel) SiblingKey(Node node) =>
            node.Shape.ParentCode is { } parentCode ? (parentCode, null) : (null, node.Shape.Level);

        private static bool IsLonLat(Geometry geometry) => geometry.Coordinates.All(c =>
            double.IsFinite(c.X) && double.IsFinite(c.Y) && c.X is >= -180 and <= 180 && c.Y is >= -90 and <= 90);

        /// <summary>
        /// Failures NTS raises on geometry it cannot handle. They become problems of the grid being checked
        /// rather than failing the whole report; anything else is a bug and is let through.
        /// </summary>
        private static bool IsGeometryFailure(Exception exception) =>
            exception is TopologyException or ArgumentException or InvalidOperationException;

        private Point? LocationOf(Exception? exception) =>
            exception is TopologyException { Coordinate: { } at } && double.IsFinite(at.X) && double.IsFinite(at.Y)
                ? _factory.CreatePoint(new Coordinate(at.X, at.Y))
                : null;

        private void Add(TopologySeverity severity, TopologyProblemKind kind, Node node, string? otherCode, Geometry? location,
            double? area, (string Zh, string En) message) =>
            Problems.Add(new TopologyProblem(severity, kind, node.Shape.Index, node.Code, otherCode, location, area, message.Zh, message.En));
    }
}
