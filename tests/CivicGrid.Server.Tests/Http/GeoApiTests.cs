using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace CivicGrid.Server.Tests.Http;

/// <summary>The map's first read API: grids as GeoJSON, by level and bounding box.</summary>
public abstract class GeoApiTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly JsonSerializerOptions GeoJsonOptions = new() { Converters = { new GeoJsonConverterFactory() } };

    public static TheoryData<string> Levels => [.. GridLevelNames.All];

    [Theory]
    [MemberData(nameof(Levels))]
    public async Task Grids_ServesEveryLevelOfTheDemoTreeAsGeoJson(string level)
    {
        Assert.True(GridLevelNames.TryParse(level, out var parsed));
        var expected = await app.WithDatabaseAsync(db => db.Grids.Where(g => g.Level == parsed).OrderBy(g => g.Code).Select(g => g.Code).ToListAsync(Ct));
        using var client = await app.ClientForAsync("admin");

        var collection = await client.GetFromJsonAsync<JsonElement>($"/api/geo/grids?level={level}", Ct);

        Assert.Equal("FeatureCollection", collection.GetProperty("type").GetString());
        var features = collection.GetProperty("features").EnumerateArray().ToList();
        Assert.NotEmpty(features);
        Assert.Equal(expected, features.Select(f => f.GetProperty("properties").GetProperty("code").GetString()));
        foreach (var feature in features)
        {
            var properties = feature.GetProperty("properties");
            Assert.Equal(level, properties.GetProperty("level").GetString());
            Assert.False(string.IsNullOrEmpty(properties.GetProperty("name").GetString()));
            Assert.Contains(properties.GetProperty("kind").GetString(), new[] { "territorial", "dedicated" });
            Assert.True(properties.TryGetProperty("parentCode", out _));
            Assert.Contains(feature.GetProperty("geometry").GetProperty("type").GetString(), new[] { "Polygon", "MultiPolygon" });
        }
    }

    [Fact]
    public async Task Grids_GeometryIsWgs84LonLatInXian()
    {
        using var client = await app.ClientForAsync("admin");

        var json = await client.GetStringAsync(new Uri("/api/geo/grids?level=subdistrict", UriKind.Relative), Ct);
        var collection = JsonSerializer.Deserialize<NetTopologySuite.Features.FeatureCollection>(json, GeoJsonOptions)!;

        // This class's own copy of the demo: its subdistricts (under 610103) and nothing another class imported.
        Assert.NotEmpty(collection);
        foreach (var feature in collection)
        {
            Assert.StartsWith("610103", (string)feature.Attributes["code"], StringComparison.Ordinal);
            var envelope = feature.Geometry.EnvelopeInternal;
            Assert.InRange(envelope.MinX, 108.9, 109.05); // longitude first (RFC 7946)
            Assert.InRange(envelope.MinY, 34.2, 34.3);
            Assert.True(feature.Geometry.IsValid);
        }
    }

    [Fact]
    public async Task Grids_WithBoundingBox_KeepsOnlyGridsThatTouchIt()
    {
        var grids = await app.WithDatabaseAsync(db => db.Grids.Where(g => g.Level == GridLevel.Micro).ToListAsync(Ct));
        var box = new Envelope(108.960, 108.962, 34.240, 34.242);
        var expected = grids.Where(g => g.Boundary.EnvelopeInternal.Intersects(box)).Select(g => g.Code).Order().ToList();
        using var client = await app.ClientForAsync("admin");

        var collection = await client.GetFromJsonAsync<JsonElement>("/api/geo/grids?level=micro&bbox=108.960,34.240,108.962,34.242", Ct);
        var codes = collection.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("code").GetString()!).ToList();

        Assert.NotEmpty(expected);
        Assert.True(expected.Count < grids.Count / 10);
        Assert.Equal(expected, codes);
    }

    [Theory]
    [InlineData("level=grid-9", "level")]
    [InlineData("bbox=1,2,3", "bbox")]
    [InlineData("bbox=109,34,108,35", "bbox")]
    [InlineData("bbox=a,b,c,d", "bbox")]
    [InlineData("bbox=108,34,109,95", "bbox")]
    [InlineData("kind=special", "kind")]
    public async Task Grids_WithBadQuery_Answers400NamingTheField(string query, string field)
    {
        using var client = await app.ClientForAsync("admin");

        var response = await client.GetAsync(new Uri($"/api/geo/grids?{query}", UriKind.Relative), Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("/problems/validation", problem.GetProperty("type").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages));
        Assert.NotEmpty(messages.EnumerateArray().First().GetString()!);
    }

    [Fact]
    public async Task Grids_ForAResident_IsForbidden()
    {
        using var client = await app.ClientForAsync("resident001");

        var response = await client.GetAsync(new Uri("/api/geo/grids?level=community", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}

public sealed class GeoApiTestsOnSqlite(SqliteApp app) : GeoApiTests(app), IClassFixture<SqliteApp>;

public sealed class GeoApiTestsOnPostgres(PostgresApp app) : GeoApiTests(app), IClassFixture<PostgresApp>;
