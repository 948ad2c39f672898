using CivicGrid.Spatial.Indexing;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace CivicGrid.Spatial.Tests.Indexing;

/// <summary>Exact answers from NTS on the leaves projected with the index's own projection.</summary>
internal sealed class GroundTruth
{
    private readonly STRtree<int> _tree = new();
    private readonly GeometryFactory _factory = new();

    public GroundTruth(GridIndex index, IReadOnlyList<IndexedGrid> grids)
    {
        Index = index;
        var byCode = new Dictionary<string, IndexedGrid>();
        foreach (var grid in grids)
        {
            byCode.TryAdd(grid.Code, grid);
        }

        Leaves = new Geometry[index.Count];
        Boundaries = new Geometry[index.Count];
        for (var leaf = 0; leaf < index.Count; leaf++)
        {
            Leaves[leaf] = Project(byCode[index.CodeOf(leaf)].Boundary);
            Boundaries[leaf] = Leaves[leaf].Boundary;
            if (!Leaves[leaf].IsEmpty)
            {
                _tree.Insert(Leaves[leaf].EnvelopeInternal, leaf);
            }
        }

        _tree.Build();
    }

    public GridIndex Index { get; }

    /// <summary>Leaves in local metres.</summary>
    public Geometry[] Leaves { get; }

    public Geometry[] Boundaries { get; }

    public Point Point(double lon, double lat)
    {
        var (x, y) = Index.Project(lon, lat);
        return _factory.CreatePoint(new Coordinate(x, y));
    }

    public List<int> Covering(Point point)
    {
        var covering = new List<int>();
        foreach (var leaf in _tree.Query(point.EnvelopeInternal))
        {
            if (Leaves[leaf].Covers(point))
            {
                covering.Add(leaf);
            }
        }

        return covering;
    }

    public double DistanceToBoundary(int leaf, Point point) => Boundaries[leaf].Distance(point);

    private Geometry Project(Geometry geometry) => geometry switch
    {
        Polygon polygon => _factory.CreatePolygon(Ring(polygon.Shell), [.. polygon.Holes.Select(Ring)]),
        GeometryCollection collection => _factory.CreateMultiPolygon([.. Enumerable.Range(0, collection.NumGeometries).Select(i => collection.GetGeometryN(i)).OfType<Polygon>().Select(p => (Polygon)Project(p))]),
        _ => _factory.CreatePolygon(),
    };

    private LinearRing Ring(LineString ring) =>
        _factory.CreateLinearRing([.. ring.Coordinates.Select(c => Index.Project(c.X, c.Y)).Select(p => new Coordinate(p.X, p.Y))]);
}
