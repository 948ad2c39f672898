using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Features.Basemap;
using CivicGrid.Server.Infrastructure;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The base map on each provider: the demo's own MBTiles file of streets, compounds and buildings is described by
/// <c>GET /api/basemap</c> and served tile by tile to anyone (the residents' report page shows it), gzipped when the
/// browser takes it; a tile where the territory has nothing is 204, a tile address out of range a problem.
/// </summary>
public abstract class BasemapTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheDemoBasemap_IsDescribed_ToAnyone()
    {
        using var anonymous = app.CreateClient();
        var basemap = await anonymous.GetFromJsonAsync<JsonElement>("/api/basemap", Ct);
        Assert.Equal("vector", basemap.GetProperty("kind").GetString());
        Assert.Equal("/api/basemap/tiles/{z}/{x}/{y}", basemap.GetProperty("tiles").GetString());
        Assert.Equal((DemoBasemap.MinZoom, DemoBasemap.MaxZoom), (basemap.GetProperty("minZoom").GetInt32(), basemap.GetProperty("maxZoom").GetInt32()));
        var bounds = basemap.GetProperty("bounds").EnumerateArray().Select(b => b.GetDouble()).ToArray();
        // The demo lies in Xi'an's old city, lon 108.95–108.985, lat 34.235–34.255, with a margin.
        Assert.InRange(bounds[0], 108.94, 108.95);
        Assert.InRange(bounds[3], 34.255, 34.265);
    }

    [Fact]
    public async Task ATileAtABuilding_HasItsStreetsWithNames_ItsCompoundsAndBuildings()
    {
        var building = await app.WithDatabaseAsync(db => db.Buildings.IgnoreQueryFilters().Where(b => b.Footprint != null).OrderBy(b => b.Code).FirstAsync(Ct));
        var (x, y) = TileAt(building.Location.X, building.Location.Y, 16);
        using var anonymous = app.CreateClient();
        using var response = await anonymous.GetAsync(new Uri($"/api/basemap/tiles/16/{x}/{y}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.mapbox-vector-tile", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("max-age", response.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
        var tile = VectorTileReader.Decode(await response.Content.ReadAsByteArrayAsync(Ct));

        Assert.Superset(new HashSet<string> { "landuse", "building", "transportation", "transportation_name", "poi" }, tile.Keys.ToHashSet());
        Assert.Contains(tile["landuse"].Features, f => (string)f.Attributes["class"] == "residential");
        Assert.All(tile["building"].Features, f => Assert.Equal(3, f.Type));
        Assert.Contains(tile["building"].Features, f => f.Attributes["name"] as string == building.Name && (long)f.Attributes["render_height"] == building.Floors * 3);
        Assert.All(tile["transportation"].Features, f => Assert.Contains((string)f.Attributes["class"], (string[])["primary", "secondary", "minor"]));
        Assert.All(tile["transportation_name"].Features, f => Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}+$", (string)f.Attributes["name"]));

        // The building's footprint is where the building is: its centre projected into the tile lies inside a decoded ring's box.
        var (px, py) = InTile(building.Location.X, building.Location.Y, 16, x, y);
        Assert.Contains(tile["building"].Features.SelectMany(f => VectorTileReader.Paths(f.Geometry)),
            ring => ring.Min(p => p.X) <= px && px <= ring.Max(p => p.X) && ring.Min(p => p.Y) <= py && py <= ring.Max(p => p.Y));
    }

    [Fact]
    public async Task ATile_IsSentGzipped_ToABrowserThatTakesIt()
    {
        var (x, y) = TileAt(108.9675, 34.245, 14);
        using var anonymous = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/basemap/tiles/14/{x}/{y}");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var response = await anonymous.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("gzip", response.Content.Headers.ContentEncoding);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal([0x1f, 0x8b], bytes[..2]);
    }

    [Theory]
    [InlineData("/api/basemap/tiles/16/0/0")] // The other side of the world: nothing there.
    [InlineData("/api/basemap/tiles/8/206/103")] // The territory, but below the file's zoom range.
    public async Task WhereTheTerritoryHasNothing_TheTileIsEmpty(string path)
    {
        using var anonymous = app.CreateClient();
        using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/basemap/tiles/23/0/0")]
    [InlineData("/api/basemap/tiles/3/8/0")]
    [InlineData("/api/basemap/tiles/3/0/9")]
    public async Task ATileAddressOutOfRange_IsAProblem(string path)
    {
        using var anonymous = app.CreateClient();
        using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative), Ct);
        var problem = await HttpAnswers.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("瓦片地址无效", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static (int X, int Y) TileAt(double lon, double lat, int z)
    {
        var (x, y) = Mercator(lon, lat, z);
        return ((int)x, (int)y);
    }

    private static (double X, double Y) InTile(double lon, double lat, int z, int x, int y)
    {
        var (mx, my) = Mercator(lon, lat, z);
        return ((mx - x) * 4096, (my - y) * 4096);
    }

    private static (double X, double Y) Mercator(double lon, double lat, int z)
    {
        var n = Math.Pow(2, z);
        var rad = lat * Math.PI / 180;
        return ((lon + 180) / 360 * n, (1 - (Math.Log(Math.Tan(rad) + (1 / Math.Cos(rad))) / Math.PI)) / 2 * n);
    }
}

public sealed class BasemapTestsOnSqlite(SqliteApp app) : BasemapTests(app), IClassFixture<SqliteApp>;

public sealed class BasemapTestsOnPostgres(PostgresApp app) : BasemapTests(app), IClassFixture<PostgresApp>;

/// <summary>What <c>GET /api/basemap</c> says for each configuration, without a server.</summary>
public sealed class BasemapDescriptionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("civicgrid-basemap-").FullName;

    private BasemapSource Source(string? online = null) => new(Options.Create(new BasemapOptions()), Options.Create(new WebContentOptions { MapTiles = online }),
        new DataDirectory(_directory), NullLogger<BasemapSource>.Instance);

    [Fact]
    public void WithoutAFile_ThereIsNoBasemap_AndAnOnlineUrlWinsWhenConfigured()
    {
        Assert.Equal("none", BasemapApi.Describe(Source()).Kind);
        var online = BasemapApi.Describe(Source("https://tiles.example.gov.cn/{z}/{x}/{y}.png"));
        Assert.Equal(("raster", "https://tiles.example.gov.cn/{z}/{x}/{y}.png"), (online.Kind, online.Tiles));
    }

    [Fact]
    public void AFileThatIsNotMbTiles_IsNoBasemap_AndAFileReplacedIsReadAgain()
    {
        var source = Source();
        File.WriteAllText(source.Path, "not a database");
        Assert.Equal("none", BasemapApi.Describe(source).Kind);

        var bounds = new NetTopologySuite.Geometries.Envelope(108.95, 108.96, 34.24, 34.25);
        var line = new NetTopologySuite.Geometries.GeometryFactory().CreateLineString([new(108.951, 34.245), new(108.959, 34.245)]);
        MbTiles.Write(source.Path, "测试", "测试", bounds, 14, 15, [new BasemapLayer("transportation", 14, [new TileFeature(line, new Dictionary<string, object> { ["class"] = "primary" })])]);
        File.SetLastWriteTimeUtc(source.Path, DateTime.UtcNow.AddMinutes(1));
        var described = BasemapApi.Describe(source);
        Assert.Equal(("vector", 14, 15), (described.Kind, described.MinZoom, described.MaxZoom));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
