using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Tests;

public class GridCodesTests
{
    [Theory]
    [InlineData("610103", GridLevel.District, GridKind.Territorial, null)]
    [InlineData("610103099", GridLevel.Subdistrict, GridKind.Territorial, "610103")]
    [InlineData("610103099001", GridLevel.Community, GridKind.Territorial, "610103099")]
    [InlineData("61010309900101", GridLevel.Second, GridKind.Territorial, "610103099001")]
    [InlineData("6101030990010102", GridLevel.Third, GridKind.Territorial, "61010309900101")]
    [InlineData("610103099001010203", GridLevel.Micro, GridKind.Territorial, "6101030990010102")]
    [InlineData("610103099001901", GridLevel.Third, GridKind.Dedicated, "610103099001")]
    public void Validate_WellFormedCodes_Pass(string code, GridLevel level, GridKind kind, string? parent)
    {
        Assert.Null(GridCodes.Validate(code, level, kind, parent));
        Assert.Equal(parent, GridCodes.ParentCodeOf(code));
    }

    [Theory]
    [InlineData("61010309900", GridLevel.Community, GridKind.Territorial, "610103099", "digits")]
    [InlineData("61010309900A", GridLevel.Community, GridKind.Territorial, "610103099", "digits only")]
    [InlineData("610103098001", GridLevel.Community, GridKind.Territorial, "610103099", "extend")]
    [InlineData("61010309900191", GridLevel.Second, GridKind.Territorial, "610103099001", "dedicated")]
    [InlineData("610103099001101", GridLevel.Third, GridKind.Dedicated, "610103099001", "then 9")]
    [InlineData("610103099001901", GridLevel.Second, GridKind.Dedicated, "610103099001", "3rd-level")]
    [InlineData("6101030990010102", GridLevel.Third, GridKind.Territorial, "610103099001", "level above")]
    public void Validate_BrokenCodes_NameTheRule(string code, GridLevel level, GridKind kind, string parent, string rule)
    {
        var broken = GridCodes.Validate(code, level, kind, parent);

        Assert.NotNull(broken);
        Assert.Contains(rule, broken, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("110101000000", GridLevel.District, "110101")]
    [InlineData("610103000000", GridLevel.District, "610103")]
    [InlineData("110101001000", GridLevel.Subdistrict, "110101001")]
    [InlineData("610103099000", GridLevel.Subdistrict, "610103099")]
    public void TryNormalisePublished_TheBureausTwelveDigitForm_GivesOurCode(string published, GridLevel level, string ours)
    {
        Assert.True(GridCodes.TryNormalisePublished(published, level, out var normalised));
        Assert.Equal(ours, normalised);
        Assert.Null(GridCodes.Validate(normalised, level, GridKind.Territorial, GridCodes.ParentCodeOf(normalised)));
    }

    [Theory]
    [InlineData("110101001001", GridLevel.Subdistrict)]   // a community's code, not a subdistrict's: does not end in 000
    [InlineData("110101000000", GridLevel.Subdistrict)]   // a county's code: the subdistrict number is 000
    [InlineData("110101001000", GridLevel.District)]      // a subdistrict's code given for a district
    [InlineData("110100000000", GridLevel.District)]      // a city's code (市辖区): the county number is 00
    [InlineData("11010100100A", GridLevel.Subdistrict)]   // a letter
    [InlineData("１１０１０１００１０００", GridLevel.Subdistrict)] // full-width digits are not ASCII digits
    [InlineData("11010100100", GridLevel.Subdistrict)]    // 11 digits
    [InlineData("1101010010000", GridLevel.Subdistrict)]  // 13 digits
    [InlineData("110101001000", GridLevel.Community)]     // a community's code is already 12 digits: never rewritten
    [InlineData("110101001000", GridLevel.Second)]
    public void TryNormalisePublished_AnythingElse_IsLeftAsItIs(string code, GridLevel level)
    {
        Assert.False(GridCodes.TryNormalisePublished(code, level, out var normalised));
        Assert.Equal(code, normalised);
    }

    [Theory]
    [InlineData("110101001001", GridLevel.Subdistrict, "followed by 000")]
    [InlineData("110101001000", GridLevel.District, "followed by 000000")]
    public void Validate_ATwelveDigitCodeThatIsNotThePublishedForm_SaysWhatThatFormIs(string code, GridLevel level, string rule)
    {
        var broken = GridCodes.Validate(code, level, GridKind.Territorial, null);

        Assert.NotNull(broken);
        Assert.Contains(rule, broken, StringComparison.Ordinal);
    }

    [Fact]
    public void IsWithin_IsAPrefixCheckThatNeverConfusesDedicatedAndSecondLevelGrids()
    {
        // No 2nd-level code starts with 9, so no 2nd-level grid ever "contains" a dedicated grid.
        Assert.True(GridCodes.IsWithin("610103099001901", "610103099001"));
        Assert.Null(GridCodes.Validate("61010309900189", GridLevel.Second, GridKind.Territorial, "610103099001"));
        Assert.NotNull(GridCodes.Validate("61010309900190", GridLevel.Second, GridKind.Territorial, "610103099001"));
    }

    [Fact]
    public void Grid_WithAMalformedCode_CannotBeMade()
    {
        var square = new NetTopologySuite.Geometries.GeometryFactory().CreatePolygon(
            [new(0, 0), new(1, 0), new(1, 1), new(0, 1), new(0, 0)]);

        var error = Assert.Throws<ArgumentException>(() => new Grid("6101", "坏编码", GridLevel.District, GridKind.Territorial, null, square));

        Assert.Contains("6 digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grid_KeepsTheEnvelopeOfItsBoundary()
    {
        var polygon = new NetTopologySuite.Geometries.GeometryFactory().CreatePolygon(
            [new(108.95, 34.24), new(108.96, 34.24), new(108.96, 34.25), new(108.95, 34.25), new(108.95, 34.24)]);

        var grid = new Grid("610103", "碑林区", GridLevel.District, GridKind.Territorial, null, polygon);

        Assert.Equal((108.95, 34.24, 108.96, 34.25), (grid.MinLon, grid.MinLat, grid.MaxLon, grid.MaxLat));
        Assert.Equal(4326, grid.Boundary.SRID);
    }
}
