namespace CivicGrid.Spatial.Tests;

public class GeodesyTests
{
    private const double XianLon = 108.95;
    private const double XianLat = 34.25;

    // One degree of arc on the 6,371,008.8 m sphere: 6,371,008.8 × π / 180.
    private const double MetersPerDegree = 111_195.080_234;

    [Fact]
    public void DistanceMeters_OneDegreeAlongAMeridian_IsOneDegreeOfArc()
    {
        Assert.Equal(MetersPerDegree, Geodesy.DistanceMeters(XianLon, 34, XianLon, 35), 0.001);
    }

    [Fact]
    public void DistanceMeters_OneDegreeAlongTheSixtiethParallel_IsAboutHalfADegreeOfArc()
    {
        // A great circle is slightly shorter than the parallel it cuts across.
        Assert.Equal(MetersPerDegree / 2, Geodesy.DistanceMeters(10, 60, 11, 60), 5.0);
    }

    [Fact]
    public void DistanceMeters_AntipodalPoints_AreHalfTheCircumferenceApart()
    {
        Assert.Equal(Math.PI * Geodesy.MeanEarthRadiusMeters, Geodesy.DistanceMeters(XianLon, XianLat, XianLon - 180, -XianLat), 0.001);
    }

    [Fact]
    public void DistanceMeters_IsSymmetricAndZeroForOnePoint()
    {
        Assert.Equal(0, Geodesy.DistanceMeters(XianLon, XianLat, XianLon, XianLat));
        Assert.Equal(
            Geodesy.DistanceMeters(XianLon, XianLat, 116.397, 39.909),
            Geodesy.DistanceMeters(116.397, 39.909, XianLon, XianLat));
    }

    [Fact]
    public void DistanceMeters_ResolvesSubMillimetreSeparations()
    {
        // 1e-9° of latitude is 0.111 mm.
        Assert.Equal(MetersPerDegree * 1e-9, Geodesy.DistanceMeters(XianLon, XianLat, XianLon, XianLat + 1e-9), 1e-6);
    }

    [Theory]
    [InlineData(double.NaN, 0, 0, 0, "lon1")]
    [InlineData(0, 91, 0, 0, "lat1")]
    [InlineData(0, 0, 181, 0, "lon2")]
    [InlineData(0, 0, 0, double.NegativeInfinity, "lat2")]
    public void DistanceMeters_RejectsCoordinatesThatAreNotLonLatDegrees(double lon1, double lat1, double lon2, double lat2, string paramName)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Geodesy.DistanceMeters(lon1, lat1, lon2, lat2));

        Assert.Equal(paramName, error.ParamName);
    }

    [Fact]
    public void LocalProjection_PutsEastOnXAndNorthOnY()
    {
        var xian = new LocalProjection(XianLon, XianLat);

        var (northX, northY) = xian.Project(XianLon, XianLat + 0.01);
        var (eastX, eastY) = xian.Project(XianLon + 0.01, XianLat);

        Assert.Equal((0.0, 0.0), xian.Project(XianLon, XianLat));
        Assert.Equal(0, northX);
        Assert.Equal(MetersPerDegree * 0.01, northY, 1e-6);
        Assert.Equal(MetersPerDegree * 0.01 * Math.Cos(XianLat * Math.PI / 180), eastX, 1e-6);
        Assert.Equal(0, eastY);
    }

    [Fact]
    public void LocalProjection_UnprojectUndoesProject()
    {
        var xian = new LocalProjection(XianLon, XianLat);

        var (x, y) = xian.Project(109.1234567, 34.0123456);
        var (lon, lat) = xian.Unproject(x, y);

        Assert.Equal(109.1234567, lon, 1e-12);
        Assert.Equal(34.0123456, lat, 1e-12);
    }

    // The accuracy promised in LocalProjection's remarks, checked on a ring of points.
    [Theory]
    [InlineData(XianLon, XianLat)]
    [InlineData(126.63, 45.75)] // Harbin
    [InlineData(122.5, 53.0)] // Mohe, near China's northern tip
    [InlineData(109.5, 18.25)] // Sanya
    public void LocalProjection_DistancesFromTheOriginWithin20Km_AreWithinPointOnePercent(double originLon, double originLat)
    {
        var projection = new LocalProjection(originLon, originLat);

        foreach (var (x, y) in Ring(radiusMeters: 20_000))
        {
            var (lon, lat) = projection.Unproject(x, y);
            var onSphere = Geodesy.DistanceMeters(originLon, originLat, lon, lat);

            Assert.InRange(20_000 / onSphere - 1, -0.001, 0.001);
        }
    }

    [Fact]
    public void LocalProjection_DistancesBetweenPointsWithin8KmOfXian_AreWithinPointOnePercent()
    {
        var xian = new LocalProjection(XianLon, XianLat);
        var points = Ring(radiusMeters: 8_000).Concat(Ring(radiusMeters: 4_000)).ToList();

        foreach (var a in points)
        {
            foreach (var b in points)
            {
                var flat = Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
                if (flat < 100)
                {
                    continue;
                }

                var (lonA, latA) = xian.Unproject(a.X, a.Y);
                var (lonB, latB) = xian.Unproject(b.X, b.Y);
                Assert.InRange(flat / Geodesy.DistanceMeters(lonA, latA, lonB, latB) - 1, -0.001, 0.001);
            }
        }
    }

    [Fact]
    public void LocalProjection_Default_IsAWorkingProjectionAroundNullIsland()
    {
        var (x, y) = default(LocalProjection).Project(0.01, 0.01);

        Assert.Equal(MetersPerDegree * 0.01, x, 1e-6);
        Assert.Equal(MetersPerDegree * 0.01, y, 1e-6);
    }

    [Theory]
    [InlineData(0, 90)]
    [InlineData(0, -90)]
    [InlineData(double.NaN, 0)]
    [InlineData(181, 0)]
    public void LocalProjection_OriginAtAPoleOrOffTheGlobe_IsRejected(double lon, double lat)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LocalProjection(lon, lat));
    }

    [Fact]
    public void LocalProjection_UnprojectBeyondThePole_IsRejected()
    {
        var xian = new LocalProjection(XianLon, XianLat);

        Assert.Throws<ArgumentOutOfRangeException>(() => xian.Unproject(0, 7_000_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => xian.Unproject(double.NaN, 0));
    }

    /// <summary>72 points every 5° on a circle around the origin, in local metres.</summary>
    private static IEnumerable<(double X, double Y)> Ring(double radiusMeters) =>
        Enumerable.Range(0, 72).Select(i => i * Math.PI / 36)
            .Select(a => (radiusMeters * Math.Cos(a), radiusMeters * Math.Sin(a)));
}
