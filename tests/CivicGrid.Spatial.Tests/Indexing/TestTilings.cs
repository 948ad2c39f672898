using CivicGrid.Spatial.Indexing;
using NetTopologySuite.Geometries;
using NetTopologySuite.Triangulate;

namespace CivicGrid.Spatial.Tests.Indexing;

/// <summary>Synthetic tilings in WGS-84 around Xi'an's old city, with codes in the shape of ADR 0003.</summary>
internal static class TestTilings
{
    public const string District = "610103";
    public const string Subdistrict = "610103099";
    public const string NeighbourSubdistrict = "610103098";

    public static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>
    /// A lattice of jittered shared vertices; cell (i, j) is a 2nd-level grid of community i / 10, so
    /// neighbours share bit-identical edges as in the demo data.
    /// </summary>
    public static List<IndexedGrid> JitteredLattice(int columns, int rows, int seed, double lon0 = 108.95, double lat0 = 34.23, double cellLon = 0.0009, double cellLat = 0.0008)
    {
        var random = new Random(seed);
        var vertices = new Coordinate[columns + 1, rows + 1];
        for (var i = 0; i <= columns; i++)
        {
            for (var j = 0; j <= rows; j++)
            {
                var jitterLon = i == 0 || i == columns ? 0 : (random.NextDouble() - 0.5) * 0.6 * cellLon;
                var jitterLat = j == 0 || j == rows ? 0 : (random.NextDouble() - 0.5) * 0.6 * cellLat;
                vertices[i, j] = new Coordinate(lon0 + (i * cellLon) + jitterLon, lat0 + (j * cellLat) + jitterLat);
            }
        }

        var extent = Factory.ToGeometry(new Envelope(lon0, lon0 + (columns * cellLon), lat0, lat0 + (rows * cellLat)));
        var grids = new List<IndexedGrid>
        {
            new(District, null, false, extent),
            new(Subdistrict, District, false, extent),
        };
        var communities = (columns + 9) / 10;
        for (var c = 0; c < communities; c++)
        {
            grids.Add(new IndexedGrid(CommunityCode(c), Subdistrict, false, extent));
        }

        var counters = new int[communities];
        for (var j = 0; j < rows; j++)
        {
            for (var i = 0; i < columns; i++)
            {
                var community = i / 10;
                var number = ++counters[community];
                var ring = new[] { vertices[i, j], vertices[i + 1, j], vertices[i + 1, j + 1], vertices[i, j + 1], vertices[i, j] };
                grids.Add(new IndexedGrid(CommunityCode(community) + number.ToString("D4", System.Globalization.CultureInfo.InvariantCulture), CommunityCode(community), false, Factory.CreatePolygon(ring)));
            }
        }

        return grids;
    }

    /// <summary>
    /// Two subdistricts side by side: <see cref="JitteredLattice"/> with its western half of communities in
    /// <see cref="Subdistrict"/> and its eastern half moved, codes and all, to <see cref="NeighbourSubdistrict"/>.
    /// They share a north–south border of jittered edges, across the roughly eastward GCJ-02 shift of Xi'an.
    /// </summary>
    public static List<IndexedGrid> TwoSubdistrictLattice(int columns, int rows, int seed)
    {
        var lattice = JitteredLattice(columns, rows, seed);
        var westernCommunities = (columns + 9) / 10 / 2;
        string Move(string code) => NeighbourSubdistrict + code[Subdistrict.Length..];
        bool IsEastern(string code) => code.Length > Subdistrict.Length
            && int.Parse(code.AsSpan(Subdistrict.Length, 3), System.Globalization.CultureInfo.InvariantCulture) > westernCommunities;

        var grids = new List<IndexedGrid>();
        foreach (var grid in lattice)
        {
            grids.Add(IsEastern(grid.Code) ? grid with { Code = Move(grid.Code), ParentCode = grid.ParentCode == Subdistrict ? NeighbourSubdistrict : Move(grid.ParentCode!) } : grid);
            if (grid.Code == Subdistrict)
            {
                grids.Add(grid with { Code = NeighbourSubdistrict });
            }
        }

        return grids;
    }

    /// <summary>
    /// Voronoi cells of random sites clipped to an envelope, with two far-apart cells merged into one
    /// multipolygon leaf and one cell given a hole that is itself a leaf.
    /// </summary>
    public static List<IndexedGrid> VoronoiWithHolesAndMultipolygons(int sites, int seed)
    {
        var random = new Random(seed);
        var envelope = new Envelope(108.90, 108.96, 34.20, 34.25);
        var coordinates = new List<Coordinate>();
        for (var i = 0; i < sites; i++)
        {
            coordinates.Add(new Coordinate(envelope.MinX + (random.NextDouble() * envelope.Width), envelope.MinY + (random.NextDouble() * envelope.Height)));
        }

        var builder = new VoronoiDiagramBuilder { ClipEnvelope = envelope };
        builder.SetSites(coordinates);
        var diagram = builder.GetDiagram(Factory);
        var cells = new List<Geometry>();
        for (var i = 0; i < diagram.NumGeometries; i++)
        {
            cells.Add(diagram.GetGeometryN(i));
        }

        // Merge the first cell with the one whose centroid is farthest from it.
        var first = cells[0];
        var farthest = 1;
        for (var i = 2; i < cells.Count; i++)
        {
            if (cells[i].Centroid.Distance(first.Centroid) > cells[farthest].Centroid.Distance(first.Centroid))
            {
                farthest = i;
            }
        }

        var merged = Factory.CreateMultiPolygon([(Polygon)first, (Polygon)cells[farthest]]);
        var holed = cells[cells.Count / 2];
        var centre = holed.InteriorPoint.Coordinate;
        Polygon hole;
        var half = Math.Min(holed.EnvelopeInternal.Width, holed.EnvelopeInternal.Height) / 6;
        do
        {
            hole = (Polygon)Factory.ToGeometry(new Envelope(centre.X - half, centre.X + half, centre.Y - half, centre.Y + half));
            half /= 2;
        }
        while (!holed.Contains(hole));

        var withHole = Factory.CreatePolygon(((Polygon)holed).Shell, [Factory.CreateLinearRing(hole.Shell.CoordinateSequence)]);
        var grids = new List<IndexedGrid> { new(District, null, false, Factory.ToGeometry(envelope)) };
        var number = 0;
        string Next() => District + "099" + (++number).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        grids.Add(new IndexedGrid(Next(), District, false, merged));
        grids.Add(new IndexedGrid(Next(), District, false, withHole));
        grids.Add(new IndexedGrid(Next(), District, false, hole));
        for (var i = 1; i < cells.Count; i++)
        {
            if (i != farthest && cells[i] != holed)
            {
                grids.Add(new IndexedGrid(Next(), District, false, cells[i]));
            }
        }

        return grids;
    }

    /// <summary>A polygon in WGS-84 from a rectangle given in metres east and north of (lon0, lat0).</summary>
    public static Polygon RectangleMeters(double lon0, double lat0, double x0, double y0, double x1, double y1)
    {
        var metersPerDegreeLat = GridIndex.EarthRadiusMeters * Math.PI / 180;
        var metersPerDegreeLon = metersPerDegreeLat * Math.Cos(lat0 * Math.PI / 180);
        return (Polygon)Factory.ToGeometry(new Envelope(lon0 + (x0 / metersPerDegreeLon), lon0 + (x1 / metersPerDegreeLon), lat0 + (y0 / metersPerDegreeLat), lat0 + (y1 / metersPerDegreeLat)));
    }

    private static string CommunityCode(int community) => Subdistrict + (community + 1).ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
}
