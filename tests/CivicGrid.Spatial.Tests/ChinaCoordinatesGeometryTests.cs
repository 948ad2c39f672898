using CivicGrid.Spatial.CoordinateSystems;
using NetTopologySuite.Geometries;

namespace CivicGrid.Spatial.Tests;

public class ChinaCoordinatesGeometryTests
{
    private static readonly GeometryFactory Unreferenced = new();

    /// <summary>A block of about 1 km × 1 km in Xi'an with a courtyard cut out of it.</summary>
    private static Polygon XianBlockWithCourtyard(GeometryFactory factory) => factory.CreatePolygon(
        factory.CreateLinearRing(
        [
            new(108.940, 34.250), new(108.951, 34.250), new(108.951, 34.259), new(108.940, 34.259), new(108.940, 34.250),
        ]),
        [
            factory.CreateLinearRing(
            [
                new(108.944, 34.253), new(108.944, 34.256), new(108.947, 34.256), new(108.947, 34.253), new(108.944, 34.253),
            ]),
        ]);

    [Fact]
    public void ToWgs84_Polygon_MovesEveryVertexAndKeepsValidityAndRings()
    {
        var gcj = XianBlockWithCourtyard(Unreferenced);
        var before = gcj.Copy();

        var wgs = (Polygon)ChinaCoordinates.ToWgs84(gcj, CoordinateSystem.Gcj02);

        Assert.True(wgs.IsValid);
        Assert.Equal(gcj.NumInteriorRings, wgs.NumInteriorRings);
        Assert.Equal(gcj.NumPoints, wgs.NumPoints);
        Assert.Equal(4326, wgs.SRID);
        for (var i = 0; i < gcj.Coordinates.Length; i++)
        {
            var (lon, lat) = (gcj.Coordinates[i].X, gcj.Coordinates[i].Y);
            Assert.Equal(ChinaCoordinates.Gcj02ToWgs84(lon, lat), (wgs.Coordinates[i].X, wgs.Coordinates[i].Y));
            Assert.InRange(Geodesy.DistanceMeters(lon, lat, wgs.Coordinates[i].X, wgs.Coordinates[i].Y), 250, 700);
        }

        Assert.True(before.EqualsExact(gcj), "the input must not be modified");
        Assert.NotEqual(gcj.EnvelopeInternal, wgs.EnvelopeInternal);
    }

    [Fact]
    public void ToWgs84_EveryGeometryType_ConvertsEveryVertexAndStampsEveryPart()
    {
        var parts = new Geometry[]
        {
            Unreferenced.CreatePoint(new Coordinate(108.95, 34.25)),
            Unreferenced.CreateLineString([new(108.93, 34.24), new(108.96, 34.27)]),
            Unreferenced.CreateMultiPolygon([XianBlockWithCourtyard(Unreferenced)]),
            Unreferenced.CreateMultiPoint([Unreferenced.CreatePoint(new Coordinate(116.397, 39.909))]),
        };
        var bd = Unreferenced.CreateGeometryCollection(parts);

        var wgs = (GeometryCollection)ChinaCoordinates.ToWgs84(bd, CoordinateSystem.Bd09);

        Assert.Equal(bd.NumGeometries, wgs.NumGeometries);
        for (var i = 0; i < bd.NumGeometries; i++)
        {
            Assert.Equal(bd.GetGeometryN(i).OgcGeometryType, wgs.GetGeometryN(i).OgcGeometryType);
            Assert.Equal(4326, wgs.GetGeometryN(i).SRID);
        }

        var expected = bd.Coordinates.Select(c => ChinaCoordinates.Bd09ToWgs84(c.X, c.Y));
        Assert.Equal(expected, wgs.Coordinates.Select(c => (c.X, c.Y)));
    }

    [Fact]
    public void ToWgs84_KeepsHeights()
    {
        var point = Unreferenced.CreatePoint(new CoordinateZ(108.95, 34.25, 412.5));

        var wgs = (Point)ChinaCoordinates.ToWgs84(point, CoordinateSystem.Gcj02);

        Assert.Equal(412.5, wgs.Z);
    }

    [Fact]
    public void FromWgs84_ThenToWgs84_RoundTripsAPolygonWithinAMillimetre()
    {
        var wgs = XianBlockWithCourtyard(new GeometryFactory(new PrecisionModel(), 4326));

        var gcj = ChinaCoordinates.FromWgs84(wgs, CoordinateSystem.Gcj02);
        var back = ChinaCoordinates.ToWgs84(gcj, CoordinateSystem.Gcj02);

        Assert.Equal(0, gcj.SRID);
        Assert.True(gcj.IsValid);
        var worst = wgs.Coordinates.Zip(back.Coordinates, (a, b) => Geodesy.DistanceMeters(a.X, a.Y, b.X, b.Y)).Max();
        Assert.True(worst < 0.001, $"worst vertex moved {worst} m");
    }

    [Theory]
    [InlineData(CoordinateSystem.Wgs84, 4326)]
    [InlineData(CoordinateSystem.Cgcs2000, 4490)]
    [InlineData(CoordinateSystem.Gcj02, 0)]
    [InlineData(CoordinateSystem.Bd09, 0)]
    public void FromWgs84_StampsTheSridOfTheTargetSystemWhereOneExists(CoordinateSystem to, int srid)
    {
        var wgs = XianBlockWithCourtyard(new GeometryFactory(new PrecisionModel(), 4326));

        Assert.Equal(srid, ChinaCoordinates.FromWgs84(wgs, to).SRID);
    }

    [Fact]
    public void ToWgs84_RoundsToTheGeometrysPrecisionModel()
    {
        var microdegrees = new GeometryFactory(new PrecisionModel(1e6));
        var point = microdegrees.CreatePoint(new Coordinate(108.95, 34.25));

        var wgs = (Point)ChinaCoordinates.ToWgs84(point, CoordinateSystem.Gcj02);

        Assert.Equal(Math.Round(wgs.X, 6), wgs.X);
        Assert.Equal(Math.Round(wgs.Y, 6), wgs.Y);
    }

    [Fact]
    public void ToWgs84_VertexThatIsNotLonLat_ThrowsNamingTheGeometry()
    {
        // Projected metres passed where degrees belong.
        var projected = Unreferenced.CreatePoint(new Coordinate(12_128_000, 4_063_000));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ChinaCoordinates.ToWgs84(projected, CoordinateSystem.Gcj02));

        Assert.Equal("geometry", error.ParamName);
    }

    [Fact]
    public void ToWgs84_EmptyGeometry_StaysEmpty()
    {
        var wgs = ChinaCoordinates.ToWgs84(Polygon.Empty, CoordinateSystem.Bd09);

        Assert.True(wgs.IsEmpty);
        Assert.Equal(4326, wgs.SRID);
        Assert.Equal(0, Polygon.Empty.SRID);
    }
}
