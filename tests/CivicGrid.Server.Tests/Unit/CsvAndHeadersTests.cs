using CivicGrid.Server.Infrastructure.Http;

namespace CivicGrid.Server.Tests.Unit;

public class CsvCellsTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"点我\")", "'=HYPERLINK(\"http://evil.example\",\"点我\")")]
    [InlineData("+1+1", "'+1+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1:A2)", "'@SUM(A1:A2)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "'\rcmd")]
    [InlineData("路灯不亮", "路灯不亮")]
    [InlineData("2026120700001", "2026120700001")]
    [InlineData("", "")]
    public void Neutralise_PrefixesWhatASpreadsheetWouldTakeForAFormula(string value, string expected) =>
        Assert.Equal(expected, CsvCells.Neutralise(value));

    [Fact]
    public void Cell_NeutralisesFirst_ThenQuotes()
    {
        Assert.Equal("\"'=1+1,\"\"x\"\"\"", CsvCells.Cell("=1+1,\"x\""));
        Assert.Equal("\"'\rboom\"", CsvCells.Cell("\rboom"));
        Assert.Equal("a b", CsvCells.Cell("a b"));
        Assert.Equal(string.Empty, CsvCells.Cell(null));
    }

    [Fact]
    public void Line_JoinsCellsWithCommasAndEndsWithCrLf() =>
        Assert.Equal("工单编号,'=1+1,\"a,b\"\r\n", CsvCells.Line(["工单编号", "=1+1", "a,b"]));
}

public class ContentSecurityPolicyTests
{
    [Fact]
    public void Pages_AllowOnlyOwnScripts_MapLibresBlobWorker_AndNoFraming()
    {
        var policy = WebHardening.ContentSecurityPolicy(tilesOrigin: null, apiReference: false);

        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("worker-src 'self' blob:", policy, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data: blob:;", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self';", policy, StringComparison.Ordinal);
        Assert.EndsWith("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfiguredMapTiles_AreAllowedAsImagesAndFetches()
    {
        var tiles = new WebContentOptions { MapTiles = "https://tiles.example.gov.cn/{z}/{x}/{y}.png" };

        var policy = WebHardening.ContentSecurityPolicy(tiles.MapTilesOrigin, apiReference: false);

        Assert.Equal("https://tiles.example.gov.cn", tiles.MapTilesOrigin);
        Assert.Contains("img-src 'self' data: blob: https://tiles.example.gov.cn;", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self' https://tiles.example.gov.cn;", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void ApiReference_AloneMayRunItsInlineStartScript()
    {
        Assert.Contains("script-src 'self' 'unsafe-inline';", WebHardening.ContentSecurityPolicy(null, apiReference: true), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", WebHardening.ContentSecurityPolicy(null, apiReference: true), StringComparison.Ordinal);
    }
}
