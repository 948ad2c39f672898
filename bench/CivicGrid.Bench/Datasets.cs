using CivicGrid.Domain.Geography;
using CivicGrid.Server.Demo;
using CivicGrid.Spatial.Indexing;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace CivicGrid.Bench;

/// <summary>
/// One set of polygons with our index, the NTS baseline and 100,000 query points drawn uniformly
/// inside the territory (rejection sampling over the extent), all deterministic.
/// </summary>
public sealed class Dataset
{
    public const int PointCount = 100_000;

    private static readonly Lazy<Dataset> LazyDemo = new(() => new Dataset("demo", Demo()));
    private static readonly Lazy<Dataset> LazyCity = new(() => new Dataset("city100k", SyntheticCity.Generate()));

    private Dataset(string name, List<IndexedGrid> grids)
    {
        Name = name;
        Grids = grids;
        Index = GridIndex.Build(grids);
        var byCode = grids.ToDictionary(g => g.Code, StringComparer.Ordinal);
        Leaves = [.. Enumerable.Range(0, Index.Count).Select(i => byCode[Index.CodeOf(i)])];
        NtsTree = NtsLocator.Build(Leaves);
        var extent = new Envelope();
        foreach (var leaf in Leaves)
        {
            extent.ExpandToInclude(leaf.Boundary.EnvelopeInternal);
        }

        var random = new Random(17);
        Lons = new double[PointCount];
        Lats = new double[PointCount];
        var n = 0;
        while (n < PointCount)
        {
            var lon = extent.MinX + (random.NextDouble() * extent.Width);
            var lat = extent.MinY + (random.NextDouble() * extent.Height);
            if (NtsTree.Locate(lon, lat) >= 0)
            {
                Lons[n] = lon;
                Lats[n] = lat;
                n++;
            }
        }
    }

    public static Dataset DemoGrids => LazyDemo.Value;

    public static Dataset City => LazyCity.Value;

    public string Name { get; }

    public List<IndexedGrid> Grids { get; }

    public IndexedGrid[] Leaves { get; }

    public GridIndex Index { get; }

    public NtsLocator NtsTree { get; }

    public double[] Lons { get; }

    public double[] Lats { get; }

    public static Dataset ByName(string name) => name == "demo" ? DemoGrids : City;

    public static List<IndexedGrid> Demo() =>
        [.. DemoSubdistrictGenerator.Generate(new DateOnly(2026, 1, 1)).Grids.Select(g => new IndexedGrid(g.Code, g.ParentCode, g.Kind == GridKind.Dedicated, g.Boundary))];
}

/// <summary>The usual NTS locator: an STRtree of the leaves' envelopes, each with an IndexedPointInAreaLocator.</summary>
public sealed class NtsLocator
{
    private readonly STRtree<(int Leaf, IndexedPointInAreaLocator Locator)> _tree;

    private NtsLocator(STRtree<(int, IndexedPointInAreaLocator)> tree) => _tree = tree;

    public static NtsLocator Build(IReadOnlyList<IndexedGrid> leaves)
    {
        var tree = new STRtree<(int, IndexedPointInAreaLocator)>();
        for (var i = 0; i < leaves.Count; i++)
        {
            tree.Insert(leaves[i].Boundary.EnvelopeInternal, (i, new IndexedPointInAreaLocator(leaves[i].Boundary)));
        }

        tree.Build();
        return new NtsLocator(tree);
    }

    /// <summary>The leaf containing the point, or -1.</summary>
    public int Locate(double lon, double lat)
    {
        var coordinate = new Coordinate(lon, lat);
        foreach (var (leaf, locator) in _tree.Query(new Envelope(coordinate)))
        {
            if (locator.Locate(coordinate) != Location.Exterior)
            {
                return leaf;
            }
        }

        return -1;
    }
}
