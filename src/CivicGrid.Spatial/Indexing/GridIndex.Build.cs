using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace CivicGrid.Spatial.Indexing;

public sealed partial class GridIndex
{
    /// <summary>Builds the index with <see cref="GridIndexOptions.Default"/>.</summary>
    /// <inheritdoc cref="Build(IReadOnlyList{IndexedGrid}, GridIndexOptions)"/>
    public static GridIndex Build(IReadOnlyList<IndexedGrid> grids) => Build(grids, GridIndexOptions.Default);

    /// <summary>
    /// Builds the index. The territorial leaves are the non-dedicated grids that no non-dedicated grid
    /// names as its parent, numbered in input order; they should tile the territory, but slivers,
    /// gaps, overlaps, empty or invalid shapes are accepted (see <see cref="LocateConfidence"/>).
    /// </summary>
    /// <param name="grids">The territorial tree and dedicated grids; codes are unique (the first of a duplicate wins for chains).</param>
    /// <param name="options">Raster tuning.</param>
    public static GridIndex Build(IReadOnlyList<IndexedGrid> grids, GridIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(grids);
        ArgumentNullException.ThrowIfNull(options);
        var index = new GridIndex();
        var totalArea = index.BuildLeaves(grids);
        index.BuildDedicated(grids);
        new RasterBuilder(index, options, totalArea).Build();
        index.EstimatedBytes = index.Measure();
        return index;
    }

    private double BuildLeaves(IReadOnlyList<IndexedGrid> grids)
    {
        var parents = new HashSet<string>(StringComparer.Ordinal);
        var byCode = new Dictionary<string, IndexedGrid>(StringComparer.Ordinal);
        foreach (var grid in grids)
        {
            ArgumentNullException.ThrowIfNull(grid);
            byCode.TryAdd(grid.Code, grid);
            if (!grid.IsDedicated && grid.ParentCode is not null)
            {
                parents.Add(grid.ParentCode);
            }
        }

        var leaves = new List<IndexedGrid>();
        var extent = new Envelope();
        foreach (var grid in grids)
        {
            if (!grid.IsDedicated && !parents.Contains(grid.Code))
            {
                leaves.Add(grid);
                if (grid.Boundary is { IsEmpty: false })
                {
                    extent.ExpandToInclude(grid.Boundary.EnvelopeInternal);
                }
            }
        }

        _lon0 = extent.IsNull ? 0 : extent.Centre.X;
        _lat0 = extent.IsNull ? 0 : extent.Centre.Y;
        _metersPerDegreeLat = EarthRadiusMeters * Math.PI / 180;
        _metersPerDegreeLon = _metersPerDegreeLat * Math.Cos(_lat0 * Math.PI / 180);

        var xy = new List<double>();
        var edgeLeaf = new List<int>();
        _codes = new string[leaves.Count];
        _chains = new string[leaves.Count][];
        _leafVertexStart = new int[leaves.Count + 1];
        _leafBox = new double[leaves.Count * 4];
        var totalArea = 0.0;
        for (var leaf = 0; leaf < leaves.Count; leaf++)
        {
            _codes[leaf] = leaves[leaf].Code;
            _chains[leaf] = ChainFor(leaves[leaf], byCode);
            _leafVertexStart[leaf] = edgeLeaf.Count;
            if (leaves[leaf].Boundary is { } boundary)
            {
                totalArea += AddPolygons(boundary, leaf, xy, edgeLeaf);
            }

            var box = new Envelope();
            for (var v = _leafVertexStart[leaf]; v < edgeLeaf.Count; v++)
            {
                box.ExpandToInclude(xy[2 * v], xy[(2 * v) + 1]);
            }

            // An empty leaf gets an inverted box that no point falls in.
            _leafBox[4 * leaf] = box.IsNull ? double.PositiveInfinity : box.MinX;
            _leafBox[(4 * leaf) + 1] = box.IsNull ? double.PositiveInfinity : box.MinY;
            _leafBox[(4 * leaf) + 2] = box.IsNull ? double.NegativeInfinity : box.MaxX;
            _leafBox[(4 * leaf) + 3] = box.IsNull ? double.NegativeInfinity : box.MaxY;
        }

        _leafVertexStart[leaves.Count] = edgeLeaf.Count;
        _xy = [.. xy];
        _edgeLeaf = [.. edgeLeaf];
        return totalArea;
    }

    private static string[] ChainFor(IndexedGrid leaf, Dictionary<string, IndexedGrid> byCode)
    {
        var chain = new List<string> { leaf.Code };
        var parent = leaf.ParentCode;
        // The depth limit guards against a cycle in bad data; real trees are six levels deep.
        while (parent is not null && chain.Count < 32)
        {
            chain.Add(parent);
            parent = byCode.TryGetValue(parent, out var grid) ? grid.ParentCode : null;
        }

        chain.Reverse();
        return [.. chain];
    }

    /// <summary>Appends every ring of the polygonal parts, projected and closed; returns the area in m².</summary>
    private double AddPolygons(Geometry geometry, int leaf, List<double> xy, List<int> edgeLeaf)
    {
        var area = 0.0;
        if (geometry is Polygon polygon)
        {
            area += Math.Abs(AddRing(polygon.Shell, leaf, xy, edgeLeaf));
            foreach (var hole in polygon.Holes)
            {
                area -= Math.Abs(AddRing(hole, leaf, xy, edgeLeaf));
            }
        }
        else if (geometry is GeometryCollection collection)
        {
            for (var i = 0; i < collection.NumGeometries; i++)
            {
                area += AddPolygons(collection.GetGeometryN(i), leaf, xy, edgeLeaf);
            }
        }

        return Math.Max(0, area);
    }

    private double AddRing(LineString? ring, int leaf, List<double> xy, List<int> edgeLeaf)
    {
        var sequence = ring?.CoordinateSequence;
        if (sequence is null || sequence.Count < 2)
        {
            return 0;
        }

        var first = edgeLeaf.Count;
        for (var i = 0; i < sequence.Count; i++)
        {
            var (x, y) = Project(sequence.GetX(i), sequence.GetY(i));
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                continue;
            }

            xy.Add(x);
            xy.Add(y);
            edgeLeaf.Add(leaf);
        }

        if (edgeLeaf.Count - first < 2)
        {
            edgeLeaf.RemoveRange(first, edgeLeaf.Count - first);
            xy.RemoveRange(2 * first, xy.Count - (2 * first));
            return 0;
        }

        if (xy[2 * first] != xy[^2] || xy[(2 * first) + 1] != xy[^1])
        {
            xy.Add(xy[2 * first]);
            xy.Add(xy[(2 * first) + 1]);
            edgeLeaf.Add(leaf);
        }

        edgeLeaf[^1] = -1;
        var twiceArea = 0.0;
        for (var v = first; v < edgeLeaf.Count - 1; v++)
        {
            twiceArea += (xy[2 * v] * xy[(2 * v) + 3]) - (xy[(2 * v) + 2] * xy[(2 * v) + 1]);
        }

        return twiceArea / 2;
    }

    private void BuildDedicated(IReadOnlyList<IndexedGrid> grids)
    {
        var codes = new List<string>();
        var locators = new List<IndexedPointInAreaLocator>();
        var tree = new STRtree<int>();
        foreach (var grid in grids)
        {
            if (grid.IsDedicated && grid.Boundary is { IsEmpty: false } boundary)
            {
                tree.Insert(boundary.EnvelopeInternal, codes.Count);
                codes.Add(grid.Code);
                locators.Add(new IndexedPointInAreaLocator(boundary));
            }
        }

        tree.Build();
        _dedicatedCodes = [.. codes];
        _dedicatedLocators = [.. locators];
        _dedicatedTree = tree;
    }

    private long Measure()
    {
        const long ArrayHeader = 24;
        long bytes = 0;
        bytes += ArrayHeader + (8L * _xy.Length);
        bytes += ArrayHeader + (4L * _edgeLeaf.Length);
        bytes += ArrayHeader + (4L * _leafVertexStart.Length);
        bytes += ArrayHeader + (8L * _leafBox.Length);
        bytes += ArrayHeader + (8L * _cells.Length);
        bytes += ArrayHeader + (24L * _edgeCells.Length);
        bytes += ArrayHeader + (4L * _entryStart.Length);
        bytes += ArrayHeader + (4L * _entries.Length);
        bytes += ArrayHeader + (4L * _candidateStart.Length);
        bytes += ArrayHeader + (4L * _candidates.Length);
        bytes += ArrayHeader + (8L * _codes.Length);
        foreach (var code in _codes)
        {
            bytes += 22 + (2L * code.Length);
        }

        // Chains share the code strings of the input; count the arrays only.
        bytes += ArrayHeader + (8L * _chains.Length);
        foreach (var chain in _chains)
        {
            bytes += ArrayHeader + (8L * chain.Length);
        }

        return bytes;
    }
}
