using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Geography.Topology;
using NetTopologySuite.Geometries;

namespace CivicGrid.Domain.Tests.Topology;

/// <summary>
/// Builds small grid sets near Xi'an (108.95°E, 34.25°N). Shapes are given in metres east and north of that
/// origin and converted to WGS-84 lon/lat degrees, so the same metre value always gives the same degrees
/// and neighbouring rectangles share bit-identical edges.
/// </summary>
internal sealed class GridSetBuilder
{
    public const string Community = "610103099001";
    public const string Grid1 = "61010309900101";
    public const string Grid2 = "61010309900102";
    public const string Grid3 = "61010309900103";
    public const string Grid4 = "61010309900104";
    public const string Dedicated = "610103099001901";

    private const double OriginLon = 108.95;
    private const double OriginLat = 34.25;

    private static readonly double MetresPerDegreeLon = 111_320 * Math.Cos(OriginLat * Math.PI / 180);
    private const double MetresPerDegreeLat = 110_574;

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    private readonly List<GridShape> _grids = [];

    /// <summary>
    /// A 400 m × 300 m community (root of the set) split into four 200 m × 150 m 2nd-level grids:
    /// 01 south-west, 02 south-east, 03 north-west, 04 north-east.
    /// </summary>
    public static GridSetBuilder TiledCommunity() => new GridSetBuilder()
        .Add(Community, GridLevel.Community, GridKind.Territorial, null, Rectangle(0, 0, 400, 300))
        .Add(Grid1, GridLevel.Second, GridKind.Territorial, Community, Rectangle(0, 0, 200, 150))
        .Add(Grid2, GridLevel.Second, GridKind.Territorial, Community, Rectangle(200, 0, 400, 150))
        .Add(Grid3, GridLevel.Second, GridKind.Territorial, Community, Rectangle(0, 150, 200, 300))
        .Add(Grid4, GridLevel.Second, GridKind.Territorial, Community, Rectangle(200, 150, 400, 300));

    /// <summary>Adds a grid; its feature index is its position in the set.</summary>
    public GridSetBuilder Add(string code, GridLevel level, GridKind kind, string? parentCode, Geometry boundary)
    {
        _grids.Add(new GridShape(_grids.Count, code, $"测试网格{_grids.Count}", level, kind, parentCode, boundary));
        return this;
    }

    public GridSetBuilder AddDedicated(Geometry boundary) =>
        Add(Dedicated, GridLevel.Third, GridKind.Dedicated, Community, boundary);

    /// <summary>Replaces the boundary of the first grid with this code.</summary>
    public GridSetBuilder Redraw(string code, Geometry boundary) => Change(code, grid => grid with { Boundary = boundary });

    public GridSetBuilder Change(string code, Func<GridShape, GridShape> change)
    {
        var index = _grids.FindIndex(grid => grid.Code == code);
        _grids[index] = change(_grids[index]);
        return this;
    }

    public IReadOnlyList<GridShape> Build() => _grids.ToList();

    public TopologyReport Validate(TopologyOptions? options = null) => new GridTopologyValidator().Validate(Build(), options);

    /// <summary>The feature index of the first grid with this code.</summary>
    public int IndexOf(string code) => _grids.First(grid => grid.Code == code).Index;

    /// <summary>An axis-aligned rectangle given in metres from the origin.</summary>
    public static Polygon Rectangle(double west, double south, double east, double north) =>
        Ring((west, south), (east, south), (east, north), (west, north), (west, south));

    /// <summary>A polygon through the given points in metres; the ring is closed by the caller.</summary>
    public static Polygon Ring(params (double X, double Y)[] metres) =>
        Factory.CreatePolygon(metres.Select(p => At(p.X, p.Y)).ToArray());

    public static Point Point(double x, double y) => Factory.CreatePoint(At(x, y));

    public static Coordinate At(double x, double y) =>
        new(OriginLon + (x / MetresPerDegreeLon), OriginLat + (y / MetresPerDegreeLat));
}
