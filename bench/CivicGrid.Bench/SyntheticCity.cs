using System.Globalization;
using CivicGrid.Spatial.Indexing;
using NetTopologySuite.Geometries;

namespace CivicGrid.Bench;

/// <summary>
/// A deterministic synthetic city of 100,000 grids: a 400 × 250 lattice of jittered shared vertices
/// over 40 km × 40 km around Xi'an (cells of about 100 m × 160 m), so neighbours share edges exactly.
/// </summary>
public static class SyntheticCity
{
    public const int Columns = 400;
    public const int Rows = 250;
    public const string DistrictCode = "610100";

    public static List<IndexedGrid> Generate(int seed = 2026)
    {
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        const double Lat0 = 34.08;
        const double Lon0 = 108.72;
        var metersPerDegreeLat = GridIndex.EarthRadiusMeters * Math.PI / 180;
        var metersPerDegreeLon = metersPerDegreeLat * Math.Cos((Lat0 + 0.18) * Math.PI / 180);
        var cellLon = 40_000.0 / Columns / metersPerDegreeLon;
        var cellLat = 40_000.0 / Rows / metersPerDegreeLat;
        var random = new Random(seed);
        var vertices = new Coordinate[Columns + 1, Rows + 1];
        for (var i = 0; i <= Columns; i++)
        {
            for (var j = 0; j <= Rows; j++)
            {
                var jitterLon = i == 0 || i == Columns ? 0 : (random.NextDouble() - 0.5) * 0.5 * cellLon;
                var jitterLat = j == 0 || j == Rows ? 0 : (random.NextDouble() - 0.5) * 0.5 * cellLat;
                vertices[i, j] = new Coordinate(Lon0 + (i * cellLon) + jitterLon, Lat0 + (j * cellLat) + jitterLat);
            }
        }

        var extent = factory.ToGeometry(new Envelope(Lon0, Lon0 + (Columns * cellLon), Lat0, Lat0 + (Rows * cellLat)));
        var grids = new List<IndexedGrid>(Columns * Rows + 1) { new(DistrictCode, null, false, extent) };
        for (var j = 0; j < Rows; j++)
        {
            for (var i = 0; i < Columns; i++)
            {
                var ring = new[] { vertices[i, j], vertices[i + 1, j], vertices[i + 1, j + 1], vertices[i, j + 1], vertices[i, j] };
                var code = DistrictCode + ((j * Columns) + i).ToString("D6", CultureInfo.InvariantCulture);
                grids.Add(new IndexedGrid(code, DistrictCode, false, factory.CreatePolygon(ring)));
            }
        }

        return grids;
    }
}
