using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;

namespace CivicGrid.Domain.Geography.Topology;

/// <summary>
/// Measures WGS-84 lon/lat geometries in metres on a local equirectangular projection around the
/// geometry's centroid: x = Δlon · cos(lat₀) · 111,320 m, y = Δlat · 110,574 m. Within a subdistrict
/// (a few kilometres) this is accurate to well under 1 %, which is all a topology report needs.
/// </summary>
internal static class LocalMetres
{
    private const double MetresPerDegreeLongitudeAtEquator = 111_320;
    private const double MetresPerDegreeLatitude = 110_574;

    /// <summary>Area in m². The projection is linear, so the area in square degrees scales by one factor.</summary>
    public static double Area(Geometry geometry) =>
        geometry.IsEmpty ? 0 : Area(geometry, CentreLatitude(geometry));

    /// <summary>
    /// Area in m² on the projection around <paramref name="latitude"/> (degrees). Areas that are added or
    /// subtracted must share one projection, or the difference is the change of scale, not of shape.
    /// </summary>
    public static double Area(Geometry geometry, double latitude) =>
        geometry.Area * MetresPerDegreeLongitudeAt(latitude) * MetresPerDegreeLatitude;

    /// <summary>Latitude of the centroid in degrees; the envelope's centre when the centroid is undefined.</summary>
    public static double CentreLatitude(Geometry geometry)
    {
        var centroid = geometry.Centroid;
        return centroid.IsEmpty || !double.IsFinite(centroid.Y) ? geometry.EnvelopeInternal.Centre.Y : centroid.Y;
    }

    /// <summary>Length of all rings and lines in metres (the perimeter of a polygon, holes included).</summary>
    public static double Perimeter(Geometry geometry)
    {
        if (geometry.IsEmpty)
        {
            return 0;
        }

        var kx = MetresPerDegreeLongitudeAt(CentreLatitude(geometry));
        var length = 0.0;
        foreach (var line in LinearComponentExtracter.GetLines(geometry).Cast<LineString>())
        {
            var sequence = line.CoordinateSequence;
            for (var i = 1; i < sequence.Count; i++)
            {
                var dx = (sequence.GetX(i) - sequence.GetX(i - 1)) * kx;
                var dy = (sequence.GetY(i) - sequence.GetY(i - 1)) * MetresPerDegreeLatitude;
                length += Math.Sqrt((dx * dx) + (dy * dy));
            }
        }

        return length;
    }

    private static double MetresPerDegreeLongitudeAt(double latitude) =>
        Math.Cos(latitude * Math.PI / 180) * MetresPerDegreeLongitudeAtEquator;
}
