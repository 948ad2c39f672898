namespace CivicGrid.Spatial;

/// <summary>The one check every longitude/latitude entry point makes.</summary>
internal static class GeographicArguments
{
    public static bool IsValid(double lon, double lat) =>
        double.IsFinite(lon) && double.IsFinite(lat) && Math.Abs(lon) <= 180 && Math.Abs(lat) <= 90;

    public static void ThrowIfInvalid(double lon, double lat, string lonParamName = "lon", string latParamName = "lat")
    {
        if (!double.IsFinite(lon) || Math.Abs(lon) > 180)
        {
            throw new ArgumentOutOfRangeException(lonParamName, lon, "Longitude must be a finite number of degrees in [-180, 180].");
        }

        if (!double.IsFinite(lat) || Math.Abs(lat) > 90)
        {
            throw new ArgumentOutOfRangeException(latParamName, lat, "Latitude must be a finite number of degrees in [-90, 90].");
        }
    }
}
