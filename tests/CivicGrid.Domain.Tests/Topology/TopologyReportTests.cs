using System.Text.Json;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Geography.Topology;
using static CivicGrid.Domain.Tests.Topology.GridSetBuilder;

namespace CivicGrid.Domain.Tests.Topology;

public class TopologyReportTests
{
    /// <summary>
    /// An overlap and a gap (errors with polygons), a bow-tie (an error at a point), a code that does not extend
    /// its parent (an error with the grid's outline) and a parent not in the set (a warning).
    /// </summary>
    private static TopologyReport MixedReport() => TiledCommunity()
        .Redraw(Grid1, Rectangle(0, 0, 220, 150))
        .Redraw(Grid4, Rectangle(200, 150, 380, 300))
        .Add("6101030990010201", GridLevel.Third, GridKind.Territorial, Grid2, Ring((250, 50), (300, 100), (300, 50), (250, 100), (250, 50)))
        .AddDedicated(Rectangle(150, 100, 250, 200))
        .Add("61010309900105", GridLevel.Second, GridKind.Territorial, "610103099009", Rectangle(600, 0, 700, 100))
        .Validate();

    [Fact]
    public void Report_CountsErrorsAndWarnings()
    {
        var report = MixedReport();

        Assert.Equal(report.Problems.Count(p => p.Severity == TopologySeverity.Error), report.ErrorCount);
        Assert.True(report.WarningCount >= 1);
        Assert.False(report.IsAcceptable);
    }

    [Theory]
    [InlineData("zh", "错误", "平方米", "重叠")]
    [InlineData("en", "error", "m²", "overlap")]
    public void ToText_InEitherLanguage_ListsEveryProblemWithItsCodesErrorsFirst(string language, string error, string unit, string overlap)
    {
        var report = MixedReport();

        var lines = report.ToText(language).TrimEnd('\n').Split('\n');

        Assert.Equal(report.Problems.Count + 1, lines.Length);
        Assert.Contains(report.ErrorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, line => line.Contains(Grid1, StringComparison.Ordinal) && line.Contains(Grid2, StringComparison.Ordinal)
            && line.Contains(overlap, StringComparison.Ordinal) && line.Contains(unit, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("6101030990010201", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains(Community, StringComparison.Ordinal));
        var severities = lines.Skip(1).Select(line => line.StartsWith(error, StringComparison.Ordinal)).ToList();
        Assert.Equal(severities.OrderByDescending(isError => isError), severities);
    }

    [Fact]
    public void ToText_InAnotherLanguage_Throws()
    {
        Assert.Throws<ArgumentException>(() => MixedReport().ToText("fr"));
    }

    [Fact]
    public void ToText_WithoutProblems_SaysSo()
    {
        var report = new TopologyReport([]);

        Assert.Equal("Topology check: no problems found; the set can be imported.\n", report.ToText("en"));
    }

    [Fact]
    public void ToJsonModel_SerialisesWithoutGeometryConvertersAndParsesBack()
    {
        var report = MixedReport();

        var json = JsonSerializer.Serialize(report.ToJsonModel());
        var parsed = JsonSerializer.Deserialize<TopologyReportJson>(json)!;

        Assert.Equal((report.ErrorCount, report.WarningCount, false), (parsed.ErrorCount, parsed.WarningCount, parsed.IsAcceptable));
        Assert.Equal(report.Problems.Count, parsed.Problems.Count);
        var overlap = Assert.Single(parsed.Problems, p => p.Kind == "overlap" && p.Severity == "error");
        Assert.Equal((Grid1, Grid2), (overlap.Code, overlap.OtherCode));
        Assert.Equal(Math.Round(overlap.AreaSquareMeters!.Value, 1), overlap.AreaSquareMeters);
        Assert.StartsWith("POLYGON ((108.95", overlap.Location, StringComparison.Ordinal);
        var invalid = Assert.Single(parsed.Problems, p => p.Kind == "invalid-geometry");
        Assert.StartsWith("POINT (108.95", invalid.Location, StringComparison.Ordinal);
        Assert.Contains(parsed.Problems, p => p.Kind == "missing-parent" && p.Severity == "warning");
        using var document = JsonDocument.Parse(json);
        var first = document.RootElement.GetProperty("problems")[0];
        Assert.True(first.TryGetProperty("featureIndex", out _));
        Assert.True(first.TryGetProperty("messageZh", out _));
    }

    [Fact]
    public void ToGeoJson_IsAFeatureCollectionOfTheProblemLocations()
    {
        var report = MixedReport();

        using var document = JsonDocument.Parse(report.ToGeoJson());

        var root = document.RootElement;
        Assert.Equal("FeatureCollection", root.GetProperty("type").GetString());
        var features = root.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(report.Problems.Count(p => p.Location is not null), features.Count);
        var types = features.Select(f => f.GetProperty("geometry").GetProperty("type").GetString()).ToHashSet();
        Assert.Contains("Polygon", types);
        Assert.Contains("Point", types);
        Assert.Single(features, f => f.GetProperty("properties").GetProperty("kind").GetString() == "gap");
        var overlap = Assert.Single(features, f => f.GetProperty("properties").GetProperty("kind").GetString() == "overlap"
            && f.GetProperty("properties").GetProperty("severity").GetString() == "error");
        Assert.Equal(Grid2, overlap.GetProperty("properties").GetProperty("otherCode").GetString());
        Assert.Contains("重叠", overlap.GetProperty("properties").GetProperty("messageZh").GetString(), StringComparison.Ordinal);
        var ring = overlap.GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray()
            .Select(position => (Lon: position[0].GetDouble(), Lat: position[1].GetDouble())).ToList();
        Assert.All(ring, p => Assert.True(p.Lon is > 108.9 and < 109.0 && p.Lat is > 34.2 and < 34.3, "positions are lon, lat"));
        Assert.Equal(ring[0], ring[^1]);
        Assert.True(SignedArea(ring) > 0, "RFC 7946 wants exterior rings counter-clockwise");
        Assert.All(ring, p => Assert.Equal(Math.Round(p.Lon, 7), p.Lon));
    }

    [Fact]
    public void ToGeoJson_WritesMultiPolygonsAndCollections()
    {
        var factory = new NetTopologySuite.Geometries.GeometryFactory();
        var multi = factory.CreateMultiPolygon([Rectangle(0, 0, 10, 10), Rectangle(20, 0, 30, 10)]);
        var collection = factory.CreateGeometryCollection([Point(5, 5), factory.CreateLineString([At(0, 0), At(10, 10)])]);
        var report = new TopologyReport(
        [
            new(TopologySeverity.Error, TopologyProblemKind.Gap, 1, Community, null, multi, 200, "空隙", "gap"),
            new(TopologySeverity.Warning, TopologyProblemKind.Overlap, 2, Grid1, Grid2, collection, 10, "重叠", "overlap"),
            new(TopologySeverity.Error, TopologyProblemKind.EmptyGeometry, 3, Grid3, null, null, null, "空", "empty"),
        ]);

        using var document = JsonDocument.Parse(report.ToGeoJson());

        var geometries = document.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("geometry")).ToList();
        Assert.Equal(["MultiPolygon", "GeometryCollection"], geometries.Select(g => g.GetProperty("type").GetString()));
        Assert.Equal(2, geometries[0].GetProperty("coordinates").GetArrayLength());
        Assert.Equal(["Point", "LineString"], geometries[1].GetProperty("geometries").EnumerateArray().Select(g => g.GetProperty("type").GetString()));
    }

    private static double SignedArea(List<(double Lon, double Lat)> ring)
    {
        var sum = 0.0;
        for (var i = 1; i < ring.Count; i++)
        {
            sum += (ring[i - 1].Lon * ring[i].Lat) - (ring[i].Lon * ring[i - 1].Lat);
        }

        return sum / 2;
    }
}
