using CivicGrid.Spatial.CoordinateSystems;

namespace CivicGrid.Spatial.Tests;

public class CoordinateSystemNamesTests
{
    [Theory]
    [InlineData("wgs84", CoordinateSystem.Wgs84)]
    [InlineData("cgcs2000", CoordinateSystem.Cgcs2000)]
    [InlineData("gcj02", CoordinateSystem.Gcj02)]
    [InlineData("bd09", CoordinateSystem.Bd09)]
    [InlineData(" GCJ02 ", CoordinateSystem.Gcj02)]
    [InlineData("Bd09\t", CoordinateSystem.Bd09)]
    [InlineData("epsg:4326", CoordinateSystem.Wgs84)]
    [InlineData("EPSG:4490", CoordinateSystem.Cgcs2000)]
    public void TryParse_ApiNamesAndEpsgCodes_AreAccepted(string name, CoordinateSystem expected)
    {
        Assert.True(CoordinateSystemNames.TryParse(name, out var crs));
        Assert.Equal(expected, crs);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("wgs-84")]
    [InlineData("WGS 84")]
    [InlineData("gcj-02")]
    [InlineData("4326")]
    [InlineData("epsg:3857")]
    [InlineData("epsg: 4326")]
    [InlineData("baidu")]
    [InlineData("mars")]
    [InlineData("2")]
    public void TryParse_AnythingElse_IsRejected(string? name)
    {
        Assert.False(CoordinateSystemNames.TryParse(name, out var crs));
        Assert.Equal(default, crs);
    }

    [Fact]
    public void ApiNames_AreTheNamesOfEverySystemInDeclarationOrder()
    {
        Assert.Equal(Enum.GetValues<CoordinateSystem>().Select(c => c.ToApiName()), CoordinateSystemNames.ApiNames);
        Assert.Equal(["wgs84", "cgcs2000", "gcj02", "bd09"], CoordinateSystemNames.ApiNames);
    }

    [Fact]
    public void ToApiName_RoundTripsThroughTryParse()
    {
        foreach (var crs in Enum.GetValues<CoordinateSystem>())
        {
            Assert.True(CoordinateSystemNames.TryParse(crs.ToApiName(), out var parsed));
            Assert.Equal(crs, parsed);
        }
    }

    [Fact]
    public void ToApiName_UndefinedValue_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((CoordinateSystem)42).ToApiName());
    }
}
