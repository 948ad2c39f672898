namespace CivicGrid.Spatial;

/// <summary>Distances on the Earth, for WGS-84 longitude/latitude in degrees.</summary>
public static class Geodesy
{
    /// <summary>The IUGG mean Earth radius, 6,371,008.8 m, used by every spherical formula here.</summary>
    public const double MeanEarthRadiusMeters = 6_371_008.8;

    /// <summary>
    /// The great-circle distance in metres between two points given longitude first, latitude
    /// second, in degrees (haversine formula on a sphere of <see cref="MeanEarthRadiusMeters"/>).
    /// </summary>
    /// <remarks>
    /// The sphere differs from the WGS-84 ellipsoid by up to about 0.5 %, which is irrelevant for
    /// "how far is this case from that grid"; the haversine form stays accurate down to
    /// sub-millimetre separations, where the spherical law of cosines loses its digits.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A coordinate is NaN, infinite or out of range.</exception>
    public static double DistanceMeters(double lon1, double lat1, double lon2, double lat2)
    {
        GeographicArguments.ThrowIfInvalid(lon1, lat1, nameof(lon1), nameof(lat1));
        GeographicArguments.ThrowIfInvalid(lon2, lat2, nameof(lon2), nameof(lat2));

        var phi1 = DegreesToRadians(lat1);
        var phi2 = DegreesToRadians(lat2);
        var sinHalfDPhi = Math.Sin((phi2 - phi1) / 2);
        var sinHalfDLambda = Math.Sin(DegreesToRadians(lon2 - lon1) / 2);
        var h = sinHalfDPhi * sinHalfDPhi + Math.Cos(phi1) * Math.Cos(phi2) * sinHalfDLambda * sinHalfDLambda;

        // Rounding can push h a hair above 1 for antipodal points.
        return 2 * MeanEarthRadiusMeters * Math.Asin(Math.Sqrt(Math.Min(1, h)));
    }

    internal static double DegreesToRadians(double degrees) => degrees * Math.PI / 180;
}
