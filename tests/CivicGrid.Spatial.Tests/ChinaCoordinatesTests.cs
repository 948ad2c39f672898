using CivicGrid.Spatial.CoordinateSystems;

namespace CivicGrid.Spatial.Tests;

public class ChinaCoordinatesTests
{
    private const double XianLon = 108.95;
    private const double XianLat = 34.25;

    // googollee/eviltransform, go/transform_test.go and csharp/EvilTransformUnitTest.cs: WGS-84 →
    // GCJ-02 pairs published to full double precision (their files list lat before lon).
    [Theory]
    [InlineData(121.5272106, 31.1774276, 121.531541859215, 31.17530398364597)] // Shanghai
    [InlineData(113.912316, 22.543847, 113.9171764808363, 22.540796131694766)] // Shenzhen
    [InlineData(116.377817, 39.911954, 116.38404722455657, 39.91334545536069)] // Beijing
    public void Wgs84ToGcj02_MatchesEviltransformReferenceValues(double wgsLon, double wgsLat, double gcjLon, double gcjLat)
    {
        var (lon, lat) = ChinaCoordinates.Wgs84ToGcj02(wgsLon, wgsLat);

        Assert.Equal(gcjLon, lon, 1e-9);
        Assert.Equal(gcjLat, lat, 1e-9);
    }

    // Same vectors, backwards: eviltransform's own "exact" inverse is required to land within 0.5 m.
    [Theory]
    [InlineData(121.5272106, 31.1774276, 121.531541859215, 31.17530398364597)]
    [InlineData(113.912316, 22.543847, 113.9171764808363, 22.540796131694766)]
    [InlineData(116.377817, 39.911954, 116.38404722455657, 39.91334545536069)]
    public void Gcj02ToWgs84_RecoversEviltransformInputsWithinAMillimetre(double wgsLon, double wgsLat, double gcjLon, double gcjLat)
    {
        var (lon, lat) = ChinaCoordinates.Gcj02ToWgs84(gcjLon, gcjLat);

        Assert.True(Geodesy.DistanceMeters(lon, lat, wgsLon, wgsLat) < 0.001);
    }

    // hujiulong/gcoord, test/unit/crs/WGS84.spec.ts: values published to eight decimals for the
    // point 123° E, 45° N (gcoord's own tests accept 5e-6).
    [Fact]
    public void Wgs84ToGcj02_MatchesGcoordReferenceValue()
    {
        var (lon, lat) = ChinaCoordinates.Wgs84ToGcj02(123, 45);

        Assert.Equal(123.00607541, lon, 1e-6);
        Assert.Equal(45.00197815, lat, 1e-6);
    }

    // gcoord (test/unit/crs/GCJ02.spec.ts) and aiyou178/pg_eviltransform (src/coord.rs,
    // test_gcj2bd_reference_point, which asserts to 1e-6).
    [Theory]
    [InlineData(123, 45, 123.00636499, 45.00636899)]
    [InlineData(116.404, 39.915, 116.41036949371029, 39.92133699351021)]
    public void Gcj02ToBd09_MatchesReferenceValues(double gcjLon, double gcjLat, double bdLon, double bdLat)
    {
        var (lon, lat) = ChinaCoordinates.Gcj02ToBd09(gcjLon, gcjLat);

        Assert.Equal(bdLon, lon, 1e-6);
        Assert.Equal(bdLat, lat, 1e-6);
    }

    [Fact]
    public void Wgs84ToBd09_MatchesGcoordReferenceValue()
    {
        var (lon, lat) = ChinaCoordinates.Wgs84ToBd09(123, 45);

        Assert.Equal(123.0124491, lon, 1e-6);
        Assert.Equal(45.0083293, lat, 1e-6);
    }

    [Fact]
    public void Gcj02ToWgs84_RoundTripsWithinAMillimetre()
    {
        var worst = WorstRoundTripMeters(ChinaCoordinates.Wgs84ToGcj02, ChinaCoordinates.Gcj02ToWgs84, out var at);

        TestContext.Current.SendDiagnosticMessage(
            $"WGS-84 → GCJ-02 → WGS-84 over {TestPoints().Count()} points: worst error {worst * 1000:F6} mm at {at}");
        Assert.True(worst < 0.001, $"worst round-trip error {worst} m at {at}");
    }

    [Fact]
    public void Bd09ToWgs84_RoundTripsWithinAMillimetre()
    {
        var worst = WorstRoundTripMeters(ChinaCoordinates.Wgs84ToBd09, ChinaCoordinates.Bd09ToWgs84, out var at);

        TestContext.Current.SendDiagnosticMessage(
            $"WGS-84 → BD-09 → WGS-84 over {TestPoints().Count()} points: worst error {worst * 1000:F6} mm at {at}");
        Assert.True(worst < 0.001, $"worst round-trip error {worst} m at {at}");
    }

    [Fact]
    public void Bd09ToGcj02_RoundTripsWithinAMillimetre()
    {
        var worst = WorstRoundTripMeters(ChinaCoordinates.Gcj02ToBd09, ChinaCoordinates.Bd09ToGcj02, out var at);

        TestContext.Current.SendDiagnosticMessage(
            $"GCJ-02 → BD-09 → GCJ-02 over {TestPoints().Count()} points: worst error {worst * 1000:F6} mm at {at}");
        Assert.True(worst < 0.001, $"worst round-trip error {worst} m at {at}");
    }

    // The offset has a √|lon − 105| term, steep right at 105° E; the iteration must still converge there.
    [Theory]
    [InlineData(105.0)]
    [InlineData(105.0000001)]
    [InlineData(104.9999999)]
    public void Gcj02ToWgs84_OnThe105thMeridian_RoundTripsWithinAMillimetre(double lon)
    {
        var (gcjLon, gcjLat) = ChinaCoordinates.Wgs84ToGcj02(lon, 30.66);
        var (wgsLon, wgsLat) = ChinaCoordinates.Gcj02ToWgs84(gcjLon, gcjLat);

        Assert.True(Geodesy.DistanceMeters(wgsLon, wgsLat, lon, 30.66) < 0.001);
    }

    // FACTS.md (Coordinates): roughly 250–700 m in Chinese cities.
    [Theory]
    [InlineData("Xi'an", XianLon, XianLat)]
    [InlineData("Beijing", 116.397, 39.909)]
    [InlineData("Shanghai", 121.474, 31.230)]
    [InlineData("Guangzhou", 113.264, 23.129)]
    public void Wgs84ToGcj02_InChineseCities_ShiftsBy250To700Metres(string city, double lon, double lat)
    {
        var (gcjLon, gcjLat) = ChinaCoordinates.Wgs84ToGcj02(lon, lat);
        var offset = Geodesy.DistanceMeters(lon, lat, gcjLon, gcjLat);

        TestContext.Current.SendDiagnosticMessage($"GCJ-02 offset in {city}: {offset:F0} m");
        Assert.InRange(offset, 250, 700);
    }

    [Theory]
    [InlineData(139.69, 35.69)] // Tokyo, east of the rectangle
    [InlineData(-0.1276, 51.5072)] // London
    [InlineData(151.21, -33.87)] // Sydney
    [InlineData(37.62, 55.76)] // Moscow, west of the rectangle
    public void Gcj02_OutsideChina_EqualsWgs84(double lon, double lat)
    {
        Assert.True(ChinaCoordinates.IsOutsideChina(lon, lat));
        Assert.Equal((lon, lat), ChinaCoordinates.Wgs84ToGcj02(lon, lat));
        Assert.Equal((lon, lat), ChinaCoordinates.Gcj02ToWgs84(lon, lat));
    }

    // The conventional rule is a rectangle, not China's border, so it shifts Seoul like a Chinese
    // city; a map SDK that knows the border would not. Pinned here so a change of rule is deliberate.
    [Fact]
    public void IsOutsideChina_Seoul_LiesInsideTheConventionalRectangleAndIsShifted()
    {
        const double seoulLon = 126.978, seoulLat = 37.566;

        var (gcjLon, gcjLat) = ChinaCoordinates.Wgs84ToGcj02(seoulLon, seoulLat);

        Assert.False(ChinaCoordinates.IsOutsideChina(seoulLon, seoulLat));
        Assert.InRange(Geodesy.DistanceMeters(seoulLon, seoulLat, gcjLon, gcjLat), 100, 1000);
    }

    [Theory]
    [InlineData(72.004, 30, false)]
    [InlineData(72.0039, 30, true)]
    [InlineData(137.8347, 30, false)]
    [InlineData(137.8348, 30, true)]
    [InlineData(100, 0.8293, false)]
    [InlineData(100, 0.8292, true)]
    [InlineData(100, 55.8271, false)]
    [InlineData(100, 55.8272, true)]
    public void IsOutsideChina_RectangleIncludesItsEdges(double lon, double lat, bool outside)
    {
        Assert.Equal(outside, ChinaCoordinates.IsOutsideChina(lon, lat));
    }

    // Baidu's step has no boundary, unlike GCJ-02's.
    [Fact]
    public void Wgs84ToBd09_OutsideChina_StillAppliesBaidusOffset()
    {
        var (lon, lat) = ChinaCoordinates.Wgs84ToBd09(139.69, 35.69);

        Assert.Equal(ChinaCoordinates.Gcj02ToBd09(139.69, 35.69), (lon, lat));
        Assert.NotEqual((139.69, 35.69), (lon, lat));
    }

    [Theory]
    [InlineData(CoordinateSystem.Wgs84)]
    [InlineData(CoordinateSystem.Cgcs2000)]
    public void ToWgs84_FromWgs84OrCgcs2000_LeavesThePointAlone(CoordinateSystem crs)
    {
        Assert.Equal((XianLon, XianLat), ChinaCoordinates.ToWgs84(XianLon, XianLat, crs));
        Assert.Equal((XianLon, XianLat), ChinaCoordinates.FromWgs84(XianLon, XianLat, crs));
    }

    [Fact]
    public void ToWgs84_AndFromWgs84_UseTheConversionOfTheStatedSystem()
    {
        Assert.Equal(ChinaCoordinates.Gcj02ToWgs84(XianLon, XianLat), ChinaCoordinates.ToWgs84(XianLon, XianLat, CoordinateSystem.Gcj02));
        Assert.Equal(ChinaCoordinates.Bd09ToWgs84(XianLon, XianLat), ChinaCoordinates.ToWgs84(XianLon, XianLat, CoordinateSystem.Bd09));
        Assert.Equal(ChinaCoordinates.Wgs84ToGcj02(XianLon, XianLat), ChinaCoordinates.FromWgs84(XianLon, XianLat, CoordinateSystem.Gcj02));
        Assert.Equal(ChinaCoordinates.Wgs84ToBd09(XianLon, XianLat), ChinaCoordinates.FromWgs84(XianLon, XianLat, CoordinateSystem.Bd09));
    }

    [Fact]
    public void ToWgs84_UndefinedSystem_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChinaCoordinates.ToWgs84(XianLon, XianLat, (CoordinateSystem)42));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChinaCoordinates.FromWgs84(XianLon, XianLat, (CoordinateSystem)42));
    }

    public static TheoryData<double, double, string> BadCoordinates => new()
    {
        { double.NaN, XianLat, "lon" },
        { XianLon, double.NaN, "lat" },
        { double.PositiveInfinity, XianLat, "lon" },
        { XianLon, double.NegativeInfinity, "lat" },
        { 180.0001, XianLat, "lon" },
        { -180.0001, XianLat, "lon" },
        { XianLon, 90.0001, "lat" },
        { XianLon, -90.0001, "lat" },
        // Latitude first by mistake: 108.95 is no latitude.
        { XianLat, XianLon, "lat" },
    };

    [Theory]
    [MemberData(nameof(BadCoordinates))]
    public void Conversions_RejectCoordinatesThatAreNotLonLatDegrees(double lon, double lat, string paramName)
    {
        Func<(double, double)>[] conversions =
        [
            () => ChinaCoordinates.Wgs84ToGcj02(lon, lat),
            () => ChinaCoordinates.Gcj02ToWgs84(lon, lat),
            () => ChinaCoordinates.Gcj02ToBd09(lon, lat),
            () => ChinaCoordinates.Bd09ToGcj02(lon, lat),
            () => ChinaCoordinates.Wgs84ToBd09(lon, lat),
            () => ChinaCoordinates.Bd09ToWgs84(lon, lat),
            () => ChinaCoordinates.ToWgs84(lon, lat, CoordinateSystem.Wgs84),
            () => ChinaCoordinates.FromWgs84(lon, lat, CoordinateSystem.Cgcs2000),
        ];

        foreach (var conversion in conversions)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => conversion());
            Assert.Equal(paramName, error.ParamName);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => ChinaCoordinates.IsOutsideChina(lon, lat));
    }

    [Theory]
    [InlineData(180, 90)]
    [InlineData(-180, -90)]
    public void Conversions_AcceptTheBoundsOfTheRanges(double lon, double lat)
    {
        Assert.Equal((lon, lat), ChinaCoordinates.Gcj02ToWgs84(lon, lat));
    }

    /// <summary>
    /// A 62 × 36 grid at one-degree spacing over mainland China's extent (73.6–134.6° E,
    /// 18.1–53.1° N), plus a 21 × 21 grid at 0.01° spacing around Xi'an.
    /// </summary>
    private static IEnumerable<(double Lon, double Lat)> TestPoints()
    {
        for (var i = 0; i < 62; i++)
        {
            for (var j = 0; j < 36; j++)
            {
                yield return (73.6 + i, 18.1 + j);
            }
        }

        for (var i = -10; i <= 10; i++)
        {
            for (var j = -10; j <= 10; j++)
            {
                yield return (XianLon + i * 0.01, XianLat + j * 0.01);
            }
        }
    }

    private static double WorstRoundTripMeters(
        Func<double, double, (double Lon, double Lat)> forward,
        Func<double, double, (double Lon, double Lat)> inverse,
        out (double Lon, double Lat) at)
    {
        var worst = 0.0;
        at = default;
        foreach (var (lon, lat) in TestPoints())
        {
            var there = forward(lon, lat);
            var back = inverse(there.Lon, there.Lat);
            var error = Geodesy.DistanceMeters(lon, lat, back.Lon, back.Lat);
            if (error >= worst)
            {
                (worst, at) = (error, (lon, lat));
            }
        }

        return worst;
    }
}
