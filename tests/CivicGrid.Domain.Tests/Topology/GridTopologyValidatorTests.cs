using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Geography.Topology;
using NetTopologySuite.Geometries;
using static CivicGrid.Domain.Tests.Topology.GridSetBuilder;

namespace CivicGrid.Domain.Tests.Topology;

public class GridTopologyValidatorTests
{
    [Fact]
    public void Validate_WhenTheCommunityIsTiledExactly_FindsNoProblems()
    {
        var report = TiledCommunity().Validate();

        Assert.Empty(report.Problems);
        Assert.True(report.IsAcceptable);
    }

    [Fact]
    public void Validate_WhenAChildIsShrunk_ReportsTheGapWithItsAreaAndLocation()
    {
        var set = TiledCommunity().Redraw(Grid4, Rectangle(200, 150, 380, 300));

        var report = set.Validate();

        var gap = Assert.Single(report.Problems);
        Assert.Equal((TopologySeverity.Error, TopologyProblemKind.Gap), (gap.Severity, gap.Kind));
        Assert.Equal((Community, set.IndexOf(Community)), (gap.Code, gap.FeatureIndex));
        AssertArea(20 * 150, gap.AreaSquareMeters);
        Assert.True(gap.Location!.Contains(Point(390, 225)));
        Assert.False(gap.Location.Contains(Point(370, 225)));
        Assert.False(report.IsAcceptable);
    }

    [Fact]
    public void Validate_WhenAParentHasTwoHoles_ReportsOneGapPerPart()
    {
        var report = TiledCommunity()
            .Redraw(Grid1, Rectangle(10, 0, 200, 150))
            .Redraw(Grid4, Rectangle(200, 150, 390, 300))
            .Validate();

        Assert.Equal(2, report.Problems.Count);
        Assert.All(report.Problems, gap =>
        {
            Assert.Equal(TopologyProblemKind.Gap, gap.Kind);
            AssertArea(10 * 150, gap.AreaSquareMeters);
        });
        Assert.Single(report.Problems, gap => gap.Location!.Contains(Point(5, 75)));
        Assert.Single(report.Problems, gap => gap.Location!.Contains(Point(395, 225)));
    }

    [Fact]
    public void Validate_WhenSiblingsOverlap_ReportsTheOverlapAreaAndLocation()
    {
        var set = TiledCommunity().Redraw(Grid1, Rectangle(0, 0, 220, 150));

        var report = set.Validate();

        var overlap = Assert.Single(report.Problems);
        Assert.Equal((TopologySeverity.Error, TopologyProblemKind.Overlap), (overlap.Severity, overlap.Kind));
        Assert.Equal((Grid1, Grid2, set.IndexOf(Grid1)), (overlap.Code, overlap.OtherCode, overlap.FeatureIndex));
        AssertArea(20 * 150, overlap.AreaSquareMeters);
        Assert.True(overlap.Location!.Contains(Point(210, 75)));
        Assert.False(overlap.Location.Contains(Point(190, 75)));
        Assert.Contains($"网格 {Grid1} 与 {Grid2} 重叠 3,0", overlap.MessageZh, StringComparison.Ordinal);
        Assert.Contains($"Grid {Grid1} overlaps {Grid2} by 3,0", overlap.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenAChildSticksOutOfItsParent_ReportsThePartOutside()
    {
        var set = TiledCommunity().Redraw(Grid2, Rectangle(200, 0, 430, 150));

        var report = set.Validate();

        var outside = Assert.Single(report.Problems);
        Assert.Equal((TopologySeverity.Error, TopologyProblemKind.OutsideParent), (outside.Severity, outside.Kind));
        Assert.Equal((Grid2, Community), (outside.Code, outside.OtherCode));
        AssertArea(30 * 150, outside.AreaSquareMeters);
        Assert.True(outside.Location!.Contains(Point(415, 75)));
    }

    [Fact]
    public void Validate_WhenAnOverlapIsFloatingPointNoise_IgnoresIt()
    {
        // 1/300 m × 150 m = 0.5 m², under the default 1 m².
        var report = TiledCommunity().Redraw(Grid1, Rectangle(0, 0, 200 + (1.0 / 300), 150)).Validate();

        Assert.Empty(report.Problems);
    }

    [Fact]
    public void Validate_WhenAThinOverlapIsSmall_ReportsAWarning()
    {
        // 1/3 m × 150 m = 50 m².
        var report = TiledCommunity().Redraw(Grid1, Rectangle(0, 0, 200 + (1.0 / 3), 150)).Validate();

        var overlap = Assert.Single(report.Problems);
        Assert.Equal((TopologySeverity.Warning, TopologyProblemKind.Overlap), (overlap.Severity, overlap.Kind));
        AssertArea(50, overlap.AreaSquareMeters);
        Assert.True(report.IsAcceptable);
    }

    [Theory]
    [InlineData(1.5, TopologySeverity.Warning)] // 225 m², but 1.5 m wide: a sliver along the edge.
    [InlineData(3.0, TopologySeverity.Error)] // 450 m² and 3 m wide: a drawing mistake.
    public void Validate_WhenAnOverlapIsAboveTheSliverArea_JudgesItByItsWidth(double widthMetres, TopologySeverity expected)
    {
        var report = TiledCommunity().Redraw(Grid1, Rectangle(0, 0, 200 + widthMetres, 150)).Validate();

        var overlap = Assert.Single(report.Problems);
        Assert.Equal(expected, overlap.Severity);
        AssertArea(widthMetres * 150, overlap.AreaSquareMeters);
    }

    [Fact]
    public void Validate_WithStricterOptions_TurnsASliverIntoAnError()
    {
        var options = new TopologyOptions(SliverMaxSquareMeters: 10, SliverMaxWidthMeters: 0.1);

        var report = TiledCommunity().Redraw(Grid1, Rectangle(0, 0, 200 + (1.0 / 3), 150)).Validate(options);

        Assert.Equal(TopologySeverity.Error, Assert.Single(report.Problems).Severity);
    }

    [Fact]
    public void Validate_WhenABoundaryIsABowTie_ReportsInvalidGeometryAtTheCrossing()
    {
        var bowTie = Ring((0, 0), (200, 150), (200, 0), (0, 150), (0, 0));

        var report = TiledCommunity().Redraw(Grid1, bowTie).Validate();

        // Only the invalidity: no gap in the community, no overlap with the neighbours.
        var invalid = Assert.Single(report.Problems);
        Assert.Equal((TopologySeverity.Error, TopologyProblemKind.InvalidGeometry, Grid1), (invalid.Severity, invalid.Kind, invalid.Code));
        var crossing = Assert.IsType<Point>(invalid.Location);
        Assert.True(crossing.Distance(Point(100, 75)) < 1e-7);
        Assert.Contains("Self-intersection", invalid.MessageEn, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("自相交", invalid.MessageZh, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenTwoFeaturesShareACode_ReportsTheDuplicateWithBothIndexes()
    {
        var set = TiledCommunity().Add(Grid2, GridLevel.Second, GridKind.Territorial, Community, Rectangle(500, 0, 600, 100));

        var report = set.Validate();

        var duplicate = Assert.Single(report.Problems, p => p.Kind == TopologyProblemKind.DuplicateCode);
        Assert.Equal((TopologySeverity.Error, Grid2, 5), (duplicate.Severity, duplicate.Code, duplicate.FeatureIndex));
        Assert.Contains("feature 2 and by feature 5", duplicate.MessageEn, StringComparison.Ordinal);
        Assert.Contains("第 2 项和第 5 项", duplicate.MessageZh, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenACodeDoesNotExtendItsParent_ReportsABadCode()
    {
        var report = TiledCommunity().Change(Grid4, grid => grid with { Code = "61010309900204" }).Validate();

        var bad = Assert.Single(report.Problems);
        Assert.Equal((TopologySeverity.Error, TopologyProblemKind.BadCode, "61010309900204"), (bad.Severity, bad.Kind, bad.Code));
        Assert.Contains("extend its parent", bad.MessageEn, StringComparison.Ordinal);
        Assert.Contains(Community, bad.MessageZh, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenTheParentIsNotInTheSet_WarnsOfTheMissingParent()
    {
        var report = TiledCommunity().Change(Community, grid => grid with { ParentCode = "610103099" }).Validate();

        var missing = Assert.Single(report.Problems);
        Assert.Equal((TopologySeverity.Warning, TopologyProblemKind.MissingParent), (missing.Severity, missing.Kind));
        Assert.Equal((Community, "610103099"), (missing.Code, missing.OtherCode));
        Assert.True(report.IsAcceptable);
    }

    [Fact]
    public void Validate_WhenTheParentIsAtTheWrongLevel_ReportsAParentLevelMismatch()
    {
        // The community is filed as a subdistrict: a bad code of its own, and the wrong parent for its grids.
        var report = TiledCommunity().Change(Community, grid => grid with { Level = GridLevel.Subdistrict }).Validate();

        Assert.Single(report.Problems, p => p.Kind == TopologyProblemKind.BadCode && p.Code == Community);
        var mismatches = report.Problems.Where(p => p.Kind == TopologyProblemKind.ParentLevelMismatch).ToList();
        Assert.Equal([Grid1, Grid2, Grid3, Grid4], mismatches.Select(p => p.Code));
        Assert.All(mismatches, p => Assert.Equal(TopologySeverity.Error, p.Severity));
    }

    [Fact]
    public void Validate_WhenADedicatedGridLiesOverTerritorialGrids_ReportsNoOverlap()
    {
        var report = TiledCommunity().AddDedicated(Rectangle(150, 100, 250, 200)).Validate();

        Assert.Empty(report.Problems);
    }

    [Fact]
    public void Validate_WhenADedicatedGridLeavesItsCommunity_ReportsOutsideParent()
    {
        var report = TiledCommunity().AddDedicated(Rectangle(350, 100, 450, 200)).Validate();

        var outside = Assert.Single(report.Problems);
        Assert.Equal((TopologyProblemKind.OutsideParent, Dedicated, Community), (outside.Kind, outside.Code, outside.OtherCode));
        AssertArea(50 * 100, outside.AreaSquareMeters);
    }

    [Fact]
    public void Validate_WhenThirdLevelGridsTileASecondLevelGrid_ChecksEachFamilyOnItsOwn()
    {
        // 01 is split into two 3rd-level grids, the eastern one 10 m short of 01's east edge.
        var report = TiledCommunity()
            .Add("6101030990010101", GridLevel.Third, GridKind.Territorial, Grid1, Rectangle(0, 0, 100, 150))
            .Add("6101030990010102", GridLevel.Third, GridKind.Territorial, Grid1, Rectangle(100, 0, 190, 150))
            .Validate();

        var gap = Assert.Single(report.Problems);
        Assert.Equal((TopologyProblemKind.Gap, Grid1), (gap.Kind, gap.Code));
        AssertArea(10 * 150, gap.AreaSquareMeters);
    }

    [Fact]
    public void Validate_WhenRootsOfOneLevelOverlap_ReportsTheOverlap()
    {
        var report = new GridSetBuilder()
            .Add("610103099001", GridLevel.Community, GridKind.Territorial, null, Rectangle(0, 0, 100, 100))
            .Add("610103099002", GridLevel.Community, GridKind.Territorial, null, Rectangle(90, 0, 190, 100))
            .Validate();

        var overlap = Assert.Single(report.Problems);
        Assert.Equal((TopologyProblemKind.Overlap, "610103099001", "610103099002"), (overlap.Kind, overlap.Code, overlap.OtherCode));
        AssertArea(10 * 100, overlap.AreaSquareMeters);
    }

    [Fact]
    public void Validate_OnMalformedInput_ReportsEveryGridInsteadOfThrowing()
    {
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        var projected = factory.CreatePolygon([new(500_000, 3_790_000), new(500_100, 3_790_000), new(500_100, 3_790_100), new(500_000, 3_790_000)]);
        var notANumber = factory.CreatePolygon([new(108.95, 34.25), new(double.NaN, 34.25), new(108.96, 34.26), new(108.95, 34.25)]);
        var set = TiledCommunity()
            .Redraw(Grid1, factory.CreateLineString([At(0, 0), At(200, 150)]))
            .Redraw(Grid2, factory.CreatePolygon())
            .Redraw(Grid3, null!)
            .Redraw(Grid4, projected)
            .Add("61010309900105", GridLevel.Second, GridKind.Territorial, Community, notANumber)
            .Add("61010309900106", (GridLevel)42, GridKind.Territorial, Community, Rectangle(0, 0, 10, 10))
            .Add(null!, GridLevel.Second, GridKind.Territorial, Community, Rectangle(0, 0, 10, 10));

        var report = set.Validate();

        Assert.Equal(TopologyProblemKind.InvalidGeometry, Only(Grid1).Kind);
        Assert.NotNull(Only(Grid1).Location);
        Assert.Equal(TopologyProblemKind.EmptyGeometry, Only(Grid2).Kind);
        Assert.Equal(TopologyProblemKind.EmptyGeometry, Only(Grid3).Kind);
        Assert.Equal(TopologyProblemKind.InvalidGeometry, Only(Grid4).Kind);
        Assert.Contains("WGS-84", Only(Grid4).MessageEn, StringComparison.Ordinal);
        Assert.Equal(TopologyProblemKind.InvalidGeometry, Only("61010309900105").Kind);
        Assert.Equal(TopologyProblemKind.BadCode, Only("61010309900106").Kind);
        Assert.Equal(TopologyProblemKind.BadCode, Only(string.Empty).Kind);
        Assert.False(report.IsAcceptable);
        Assert.NotEmpty(report.ToGeoJson());
        Assert.NotEmpty(report.ToText());

        TopologyProblem Only(string code) => Assert.Single(report.Problems, p => p.Code == code);
    }

    [Fact]
    public void Validate_WithANegativeThreshold_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TiledCommunity().Validate(new TopologyOptions(IgnoreBelowSquareMeters: -1)));
    }

    /// <summary>Areas are measured on a local projection: within 1 % of the planted area.</summary>
    private static void AssertArea(double expectedSquareMeters, double? actual)
    {
        Assert.NotNull(actual);
        Assert.InRange(actual.Value, expectedSquareMeters * 0.99, expectedSquareMeters * 1.01);
    }
}
