using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Spatial.CoordinateSystems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Features;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Importing grid files (GeoJSON, zipped Shapefile; any coordinate system), refusing bad ones whole,
/// boundary versions, and locating reports precisely — also at borders and with lessons.
/// Each test imports its own small district north of the demo, so tests do not disturb each other.
/// </summary>
public abstract class GridImportAndLocateTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_InGcj02_LocatesTheSamePhysicalPointSentInAnySystemToTheSameGrid()
    {
        var area = new TestGeography("610104", slot: 0);
        var report = await ImportAsync(TestGeography.ToGeoJson(area.Features(), CoordinateSystem.Gcj02), "gcj02");
        Assert.Equal(5, report.GetProperty("gridsCreated").GetInt32());
        await RebuildIndexAsync();

        // A point 150 m west of the border, well inside the west grid, sent three ways.
        var (lon, lat) = (area.BorderLon - 0.0016, area.MidLat);
        var (gcjLon, gcjLat) = ChinaCoordinates.FromWgs84(lon, lat, CoordinateSystem.Gcj02);
        var (bdLon, bdLat) = ChinaCoordinates.FromWgs84(lon, lat, CoordinateSystem.Bd09);
        var answers = new[]
        {
            await LocateAsync(lon, lat, "wgs84", 20),
            await LocateAsync(gcjLon, gcjLat, "gcj02", 20),
            await LocateAsync(bdLon, bdLat, "bd09", 20),
        };

        Assert.All(answers, a => Assert.Equal(area.WestGrid, a.GetProperty("grid").GetProperty("code").GetString()));
        Assert.All(answers, a => Assert.Equal("certain", a.GetProperty("confidence").GetString()));
        Assert.Equal([area.County, area.Subdistrict, area.Community, area.WestGrid],
            answers[0].GetProperty("chain").EnumerateArray().Select(c => c.GetProperty("code").GetString()));

        // Sent as GCJ-02 but read as WGS-84, the same numbers land ~500 m away, in the other grid or outside.
        var misread = await LocateAsync(gcjLon, gcjLat, "wgs84", 20);
        Assert.NotEqual(area.WestGrid, misread.GetProperty("grid").ValueKind == JsonValueKind.Null ? null : misread.GetProperty("grid").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Locate_TenMetresFromABorderWithAccuracy50_IsAmbiguousBetweenBothGrids()
    {
        var area = new TestGeography("610105", slot: 1);
        await ImportAsync(TestGeography.ToGeoJson(area.Features(), CoordinateSystem.Wgs84), "wgs84");
        await RebuildIndexAsync();
        var tenMetresWest = area.BorderLon - (10 / (111_320 * Math.Cos(area.MidLat * Math.PI / 180)));

        var answer = await LocateAsync(tenMetresWest, area.MidLat, "wgs84", 50);
        var precise = await LocateAsync(tenMetresWest, area.MidLat, "wgs84", 5);

        Assert.Equal("ambiguous", answer.GetProperty("confidence").GetString());
        Assert.Equal(area.WestGrid, answer.GetProperty("grid").GetProperty("code").GetString());
        var candidates = answer.GetProperty("candidates").EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!, c => c.GetProperty("share").GetDouble());
        Assert.Equal([area.WestGrid, area.EastGrid], candidates.Keys.Order());
        Assert.True(candidates[area.WestGrid] > candidates[area.EastGrid], "the grid holding the point holds most of the circle");
        Assert.InRange(candidates.Values.Sum(), 0.98, 1.02);
        Assert.InRange(answer.GetProperty("distanceToBoundaryMeters").GetDouble(), 9.0, 11.0);
        Assert.Equal("certain", precise.GetProperty("confidence").GetString());
    }

    [Fact]
    public async Task Locate_OutsideEveryGrid_SaysOutsideWithTheNearestGrids()
    {
        var area = new TestGeography("610111", slot: 2);
        await ImportAsync(TestGeography.ToGeoJson(area.Features(), CoordinateSystem.Wgs84), "wgs84");
        await RebuildIndexAsync();

        var answer = await LocateAsync(area.West - 0.003, area.MidLat, "wgs84", 0);

        Assert.Equal("outside", answer.GetProperty("confidence").GetString());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("grid").ValueKind);
        var nearest = answer.GetProperty("candidates").EnumerateArray().First();
        Assert.Equal(area.WestGrid, nearest.GetProperty("code").GetString());
        Assert.InRange(nearest.GetProperty("distanceMeters").GetDouble(), 250, 300);
    }

    [Fact]
    public async Task Import_WithPlantedGapOverlapAndChildOutside_IsRefusedWholeWithEveryProblem()
    {
        var area = new TestGeography("610112", slot: 3);
        var features = area.Features(borderShiftDegrees: 0, westShrink: 0.001);          // a gap between west and east
        features.Add(TestGeography.Feature(TestGeography.Box(area.BorderLon - 0.002, area.South, area.BorderLon + 0.001, area.South + 0.002),
            area.Community + "03", "重叠网格", "grid-2", area.Community));                 // overlaps both
        features.Add(TestGeography.Feature(TestGeography.Box(area.West - 0.003, area.South, area.West + 0.001, area.South + 0.001),
            area.Community + "04", "出界网格", "grid-2", area.Community));                  // sticks out of the community
        var gridsBefore = await app.WithDatabaseAsync(db => db.Grids.CountAsync(g => g.Code.StartsWith(area.County), Ct));

        using var client = await app.ClientForAsync("admin");
        var response = await client.PostAsync(new Uri("/api/grids/import?crs=wgs84", UriKind.Relative),
            new StringContent(TestGeography.ToGeoJson(features, CoordinateSystem.Wgs84), Encoding.UTF8, "application/geo+json"), Ct);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var gridsAfter = await app.WithDatabaseAsync(db => db.Grids.CountAsync(g => g.Code.StartsWith(area.County), Ct));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.False(report.GetProperty("accepted").GetBoolean());
        var kinds = report.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("kind").GetString()).ToHashSet();
        Assert.Contains("gap", kinds);
        Assert.Contains("overlap", kinds);
        Assert.Contains("outside-parent", kinds);
        var outside = report.GetProperty("problems").EnumerateArray().First(p => p.GetProperty("kind").GetString() == "outside-parent");
        Assert.Equal(area.Community + "04", outside.GetProperty("code").GetString());
        Assert.Equal(6, outside.GetProperty("featureIndex").GetInt32());
        Assert.Contains("平方米", outside.GetProperty("messageZh").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("POINT", outside.GetProperty("where").GetString(), StringComparison.Ordinal);
        Assert.Equal(gridsBefore, gridsAfter);
    }

    [Fact]
    public async Task Import_WithMissingFieldsAndBadCodes_ReportsEachFeature()
    {
        var area = new TestGeography("610113", slot: 4);
        var features = area.Features();
        features.Add(new Feature(TestGeography.Box(area.West, area.South, area.West + 0.001, area.South + 0.001), new AttributesTable { { "name", "无编码" } }));
        features.Add(TestGeography.Feature(TestGeography.Box(area.West, area.South, area.West + 0.001, area.South + 0.001), "12345", "坏编码", "grid-2", area.Community));
        features.Add(TestGeography.Feature(TestGeography.Box(area.West, area.South, area.West + 0.001, area.South + 0.001), area.Community + "05", "坏层级", "grid-7", area.Community));

        using var client = await app.ClientForAsync("admin");
        var response = await client.PostAsync(new Uri("/api/grids/import", UriKind.Relative),
            new StringContent(TestGeography.ToGeoJson(features, CoordinateSystem.Wgs84), Encoding.UTF8, "application/json"), Ct);
        var problems = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("problems").EnumerateArray().ToList();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(problems, p => p.GetProperty("featureIndex").GetInt32() == 5 && p.GetProperty("kind").GetString() == "missing-code");
        Assert.Contains(problems, p => p.GetProperty("featureIndex").GetInt32() == 6 && p.GetProperty("kind").GetString() == "bad-code");
        Assert.Contains(problems, p => p.GetProperty("featureIndex").GetInt32() == 7 && p.GetProperty("kind").GetString() == "bad-level");
        Assert.All(problems, p => Assert.False(string.IsNullOrEmpty(p.GetProperty("messageEn").GetString())));
    }

    [Fact]
    public async Task Import_WithCodesAsTheBureauPublishesThem_StoresOurCodesAndSaysSoPerKind()
    {
        var area = new TestGeography("610124", slot: 9);

        var report = await ImportAsync(TestGeography.ToGeoJson(area.PublishedFeatures(), CoordinateSystem.Wgs84), "wgs84");
        var stored = await app.WithDatabaseAsync(db => db.Grids.Where(g => g.Code.StartsWith(area.County))
            .ToDictionaryAsync(g => g.Code, g => g.ParentCode, Ct));

        Assert.Equal(5, report.GetProperty("gridsCreated").GetInt32());
        Assert.Equal(new Dictionary<string, string?>
        {
            [area.County] = null,
            [area.Subdistrict] = area.County,
            [area.Community] = area.Subdistrict,
            [area.WestGrid] = area.Community,
            [area.EastGrid] = area.Community,
        }, stored);
        var lines = report.GetProperty("normalisations").EnumerateArray().ToDictionary(n => n.GetProperty("kind").GetString()!);
        Assert.Equal(["district-code", "district-parent-code", "subdistrict-code", "subdistrict-parent-code"], lines.Keys.Order(StringComparer.Ordinal));
        Assert.All(lines.Values, n => Assert.Equal(1, n.GetProperty("count").GetInt32()));
        Assert.Equal("610124001000 → 610124001", lines["subdistrict-code"].GetProperty("example").GetString());
        Assert.Equal("610124000000 → 610124", lines["district-parent-code"].GetProperty("example").GetString());
        Assert.Equal("1 个街道编码按统计用区划代码的 12 位写法给出，已转换为 9 位编码（例：610124001000 → 610124001）。",
            lines["subdistrict-code"].GetProperty("messageZh").GetString());
        Assert.Equal(0, report.GetProperty("problems").GetArrayLength());
    }

    [Fact]
    public async Task Import_WithTwelveDigitCodesThatAreNotThePublishedForm_IsRefusedNamingEachCode()
    {
        var area = new TestGeography("610125", slot: 10);
        var features = area.PublishedFeatures();
        features[1].Attributes["code"] = area.Subdistrict + "001";      // a community's code given for the subdistrict
        features[2].Attributes["parentCode"] = area.Subdistrict + "001";
        features[0].Attributes["code"] = area.County + "00000A";         // a letter

        using var client = await app.ClientForAsync("admin");
        var response = await client.PostAsync(new Uri("/api/grids/import", UriKind.Relative),
            new StringContent(TestGeography.ToGeoJson(features, CoordinateSystem.Wgs84), Encoding.UTF8, "application/geo+json"), Ct);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var badCodes = report.GetProperty("problems").EnumerateArray().Where(p => p.GetProperty("kind").GetString() == "bad-code")
            .ToDictionary(p => p.GetProperty("code").GetString()!, p => p.GetProperty("messageZh").GetString()!);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("12 位写法", badCodes[area.Subdistrict + "001"], StringComparison.Ordinal);
        Assert.Contains(area.County + "00000A", badCodes.Keys);
        // The subdistrict's parent code was still well formed, and the report says it was read as ours.
        Assert.Equal(["district-parent-code"], report.GetProperty("normalisations").EnumerateArray().Select(n => n.GetProperty("kind").GetString()));
        Assert.Equal(0, await app.WithDatabaseAsync(db => db.Grids.CountAsync(g => g.Code.StartsWith(area.County), Ct)));
    }

    [Fact]
    public async Task GridsImportCommand_WithCodesAsTheBureauPublishesThem_ImportsAndPrintsTheNormalisations()
    {
        var area = new TestGeography("610126", slot: 11);
        var file = Path.Combine(Path.GetTempPath(), $"civicgrid-published-{Guid.NewGuid():N}.geojson");
        await File.WriteAllTextAsync(file, TestGeography.ToGeoJson(area.PublishedFeatures(), CoordinateSystem.Wgs84), Ct);
        try
        {
            using var output = new StringWriter();
            var exit = await Commands.OperatorCommands.RunAsync(["grids", "import"], [file], app.Services, output);
            var subdistrict = await app.WithDatabaseAsync(db => db.Grids.SingleAsync(g => g.Code == area.Subdistrict, Ct));

            Assert.Equal(0, exit);
            Assert.Equal(area.County, subdistrict.ParentCode);
            Assert.Contains("[normalised] subdistrict-code: 1 个街道编码按统计用区划代码的 12 位写法给出", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("[normalised] district-code", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Import_OfAnUnreadableFile_Answers400InChinese()
    {
        using var client = await app.ClientForAsync("admin");

        var response = await client.PostAsync(new Uri("/api/grids/import", UriKind.Relative), new StringContent("not a grid file", Encoding.UTF8, "text/plain"), Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("GeoJSON", problem.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ByAnOperator_IsForbidden()
    {
        var area = new TestGeography("610114", slot: 5);
        using var client = await app.ClientForAsync("ops");

        var response = await client.PostAsync(new Uri("/api/grids/import", UriKind.Relative),
            new StringContent(TestGeography.ToGeoJson(area.Features(), CoordinateSystem.Wgs84), Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Import_OfAZippedShapefileInBd09_Works()
    {
        var area = new TestGeography("610115", slot: 6);
        var folder = Directory.CreateTempSubdirectory("civicgrid-shp-");
        try
        {
            var features = area.Features().Select(f => (IFeature)new Feature(ChinaCoordinates.FromWgs84(f.Geometry, CoordinateSystem.Bd09), f.Attributes)).ToList();
            NetTopologySuite.IO.Esri.Shapefile.WriteAllFeatures(features, Path.Combine(folder.FullName, "grids.shp"), encoding: Encoding.UTF8);
            var zipPath = Path.Combine(folder.FullName, "grids.zip");
            using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
            {
                foreach (var part in Directory.GetFiles(folder.FullName, "grids.*").Where(p => !p.EndsWith(".zip", StringComparison.Ordinal)))
                {
                    zip.CreateEntryFromFile(part, Path.GetFileName(part));
                }
            }

            using var client = await app.ClientForAsync("admin");
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(await File.ReadAllBytesAsync(zipPath, Ct));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            form.Add(file, "file", "grids.zip");
            var response = await client.PostAsync(new Uri("/api/grids/import?crs=bd09", UriKind.Relative), form, Ct);
            var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            await RebuildIndexAsync();
            var answer = await LocateAsync(area.BorderLon + 0.002, area.MidLat, "wgs84", 10);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(5, report.GetProperty("gridsCreated").GetInt32());
            Assert.Equal(area.EastGrid, answer.GetProperty("grid").GetProperty("code").GetString());
            Assert.Equal("测试社区第二网格", answer.GetProperty("grid").GetProperty("name").GetString());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Import_OfARedrawnBorder_KeepsTheOldVersionForAsOfQueries()
    {
        var area = new TestGeography("610116", slot: 7);
        await ImportAsync(TestGeography.ToGeoJson(area.Features(), CoordinateSystem.Wgs84), "wgs84");
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(20, Ct);

        var redraw = await ImportAsync(TestGeography.ToGeoJson(area.Features(borderShiftDegrees: 0.004), CoordinateSystem.Wgs84), "wgs84");
        using var client = await app.ClientForAsync("admin");
        var bbox = $"{area.West},{area.South},{area.West + TestGeography.WidthDegrees},{area.South + TestGeography.HeightDegrees}";
        var before = await client.GetFromJsonAsync<JsonElement>($"/api/geo/grids?level=grid-2&bbox={bbox}&asOf={Uri.EscapeDataString(between.ToString("O"))}", Ct);
        var now = await client.GetFromJsonAsync<JsonElement>($"/api/geo/grids?level=grid-2&bbox={bbox}", Ct);

        Assert.Equal(2, redraw.GetProperty("gridsRedrawn").GetInt32());
        Assert.Equal(3, redraw.GetProperty("gridsUnchanged").GetInt32());
        Assert.Equal(area.BorderLon, EastEdgeOfWest(before), 6);
        Assert.Equal(area.BorderLon + 0.004, EastEdgeOfWest(now), 6);
        var versions = await app.WithDatabaseAsync(db => db.GridVersions.CountAsync(v => v.Code.StartsWith(area.County), Ct));
        Assert.Equal(2, versions);

        double EastEdgeOfWest(JsonElement collection) => collection.GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("properties").GetProperty("code").GetString() == area.WestGrid)
            .GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray().Max(c => c[0].GetDouble());
    }

    [Fact]
    public async Task Import_OfCompoundsAndBuildings_PlacesThemInTheirGridAndFindsThemByAddress()
    {
        var area = new TestGeography("610117", slot: 8);
        var features = area.Features();
        var compoundCode = area.Community + "0001";
        var compoundBox = TestGeography.Box(area.BorderLon + 0.001, area.South + 0.002, area.BorderLon + 0.003, area.South + 0.004);
        var compound = TestGeography.Feature(compoundBox, compoundCode, "测试家属院", "compound", null);
        compound.Attributes.Add("address", "测试路8号院");
        features.Add(compound);
        var factory = new NetTopologySuite.Geometries.GeometryFactory(new NetTopologySuite.Geometries.PrecisionModel(), 4326);
        var building = TestGeography.Feature(factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(area.BorderLon + 0.002, area.South + 0.003)),
            area.Community + "00001", "1号楼", "building", null);
        building.Attributes.Add("address", "测试路8号院1号楼");
        building.Attributes.Add("compoundCode", compoundCode);
        building.Attributes.Add("floors", 6);
        building.Attributes.Add("households", 24);
        features.Add(building);

        var report = await ImportAsync(TestGeography.ToGeoJson(features, CoordinateSystem.Wgs84), "wgs84");
        await RebuildIndexAsync();
        var stored = await app.WithDatabaseAsync(db => db.Buildings.SingleAsync(b => b.Code == area.Community + "00001", Ct));
        var answer = await LocateAsync(area.West + 0.001, area.South + 0.001, "wgs84", 0, $"&address={Uri.EscapeDataString("测试路8号院1号楼3单元")}");

        Assert.Equal(1, report.GetProperty("compoundsCreated").GetInt32());
        Assert.Equal(1, report.GetProperty("buildingsCreated").GetInt32());
        Assert.Equal(area.EastGrid, stored.GridCode);
        Assert.Equal(6, stored.Floors);
        Assert.Equal("address", answer.GetProperty("method").GetString());
        Assert.Equal(area.EastGrid, answer.GetProperty("grid").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Lesson_ForABuilding_RoutesTheNextReportFromItToTheTaughtGrid()
    {
        var building = await app.WithDatabaseAsync(db => db.Buildings.Where(b => b.Code.StartsWith("610103099")).OrderBy(b => b.Code).Skip(7).FirstAsync(Ct));
        var sibling = await app.WithDatabaseAsync(db => db.Grids.Where(g => g.ParentCode == building.GridCode.Substring(0, 16) && g.Code != building.GridCode)
            .Select(g => g.Code).FirstAsync(Ct));
        using var client = await app.ClientForAsync("ops");

        var before = await LocateAsync(building.Location.X, building.Location.Y, "wgs84", 10, $"&building={building.Code}");
        var taught = await client.PostAsJsonAsync("/api/geo/lessons", new { subject = "building", key = building.Code, toGridCode = sibling, reason = "该楼由相邻网格管理" }, Ct);
        await RebuildIndexAsync();
        var after = await LocateAsync(building.Location.X, building.Location.Y, "wgs84", 10, $"&building={building.Code}");

        Assert.Equal("building", before.GetProperty("method").GetString());
        Assert.Equal(building.GridCode, before.GetProperty("grid").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, taught.StatusCode);
        Assert.Equal("lesson", after.GetProperty("method").GetString());
        Assert.Equal(sibling, after.GetProperty("grid").GetProperty("code").GetString());
    }

    /// <summary>
    /// Security review (issue 21): a lesson checked only the target grid, so a community could divert another community's
    /// building to itself, and the losing community could neither see nor withdraw it. Now the source must be in the
    /// caller's scope too, and the lesson is visible to and withdrawable by the source's community.
    /// </summary>
    [Fact]
    public async Task Lesson_NeedsTheSourceInScope_AndTheSourcesCommunitySeesAndWithdrawsIt()
    {
        var (building, target) = await app.WithDatabaseAsync(async db =>
        {
            var b = await db.Buildings.Where(x => x.Code.StartsWith("610103099")).OrderBy(x => x.Code).Skip(11).FirstAsync(Ct);
            var community = b.GridCode[..Domain.Geography.GridCodes.CommunityLength];
            var other = await db.Grids.Where(g => g.Code.StartsWith("610103099") && !g.Code.StartsWith(community) && g.Level == Domain.Geography.GridLevel.Third)
                .OrderBy(g => g.Code).Select(g => g.Code).FirstAsync(Ct);
            return (b, other);
        });
        var sourceCommunity = building.GridCode[..Domain.Geography.GridCodes.CommunityLength];
        var targetCommunity = target[..Domain.Geography.GridCodes.CommunityLength];
        var thief = await app.CreateUserAsync(CivicGridApp.UniqueName("lesson-to"), targetCommunity, Domain.Accounts.Role.CommunityStaff);
        var loser = await app.CreateUserAsync(CivicGridApp.UniqueName("lesson-from"), sourceCommunity, Domain.Accounts.Role.CommunityStaff);
        using var targetStaff = await app.ClientForAsync(thief.UserName);
        using var sourceStaff = await app.ClientForAsync(loser.UserName);
        using var ops = await app.ClientForAsync("ops");
        var body = new { subject = "building", key = building.Code, toGridCode = target, reason = "划给本社区" };

        var diverted = await targetStaff.PostAsJsonAsync("/api/geo/lessons", body, Ct);
        var taught = await ops.PostAsJsonAsync("/api/geo/lessons", body with { reason = "街道调整：该楼由相邻社区管理" }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, diverted.StatusCode);
        var problem = await diverted.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("不在您的管辖范围内", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, taught.StatusCode);
        var id = (await taught.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var seenBySource = await sourceStaff.GetFromJsonAsync<JsonElement>("/api/geo/lessons", Ct);
        var seenByTarget = await targetStaff.GetFromJsonAsync<JsonElement>("/api/geo/lessons", Ct);
        Assert.Contains(seenBySource.EnumerateArray(), l => l.GetProperty("id").GetGuid() == id && l.GetProperty("fromGridCode").GetString() == building.GridCode);
        Assert.Contains(seenByTarget.EnumerateArray(), l => l.GetProperty("id").GetGuid() == id);
        var withdrawn = await sourceStaff.DeleteAsync(new Uri($"/api/geo/lessons/{id}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.NoContent, withdrawn.StatusCode);
        Assert.NotNull(await app.WithDatabaseAsync(db => db.RoutingOverrides.IgnoreQueryFilters().Where(o => o.Id == id).Select(o => o.WithdrawnAt).SingleAsync(Ct)));
    }

    [Fact]
    public async Task Locate_ByAddressText_FindsTheBuilding()
    {
        var building = await app.WithDatabaseAsync(db => db.Buildings.OrderBy(b => b.Code).Skip(3).FirstAsync(Ct));

        var answer = await LocateAsync(building.Location.X, building.Location.Y, "wgs84", 30, $"&address={Uri.EscapeDataString("陕西省西安市碑林区 " + building.Address + " 门口")}");

        Assert.Equal("address", answer.GetProperty("method").GetString());
        Assert.Equal(building.GridCode, answer.GetProperty("grid").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("lat=34.25&crs=wgs84", "lon")]
    [InlineData("lon=abc&lat=34.25&crs=wgs84", "lon")]
    [InlineData("lon=108.96&lat=95&crs=wgs84", "lat")]
    [InlineData("lon=108.96&lat=34.25", "crs")]
    [InlineData("lon=108.96&lat=34.25&crs=mars", "crs")]
    [InlineData("lon=108.96&lat=34.25&crs=wgs84&accuracy=-5", "accuracy")]
    public async Task Locate_WithBadInput_Answers400NamingTheField(string query, string field)
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync(new Uri($"/api/geo/locate?{query}", UriKind.Relative), Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
    }

    [Fact]
    public async Task Validation_OfTheDemo_IsCleanAndServesGeoJsonForTheMap()
    {
        using var client = await app.ClientForAsync("ops");

        var json = await client.GetFromJsonAsync<JsonElement>("/api/grids/validation", Ct);
        var geoJson = await client.GetFromJsonAsync<JsonElement>("/api/grids/validation?format=geojson", Ct);

        Assert.Equal(0, json.GetProperty("errorCount").GetInt32());
        Assert.Equal("FeatureCollection", geoJson.GetProperty("type").GetString());
    }

    private async Task<JsonElement> ImportAsync(string geoJson, string crs)
    {
        using var client = await app.ClientForAsync("admin");
        var response = await client.PostAsync(new Uri($"/api/grids/import?crs={crs}", UriKind.Relative),
            new StringContent(geoJson, Encoding.UTF8, "application/geo+json"), Ct);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"import refused: {report}");
        return report;
    }

    private async Task<JsonElement> LocateAsync(double lon, double lat, string crs, double accuracy, string extra = "")
    {
        using var client = app.CreateClient();
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return await client.GetFromJsonAsync<JsonElement>(
            $"/api/geo/locate?lon={lon.ToString("R", inv)}&lat={lat.ToString("R", inv)}&crs={crs}&accuracy={accuracy.ToString(inv)}{extra}", Ct);
    }

    /// <summary>The index rebuilds itself after an import; tests wait for it instead of for the background loop.</summary>
    private Task<GeographySnapshot> RebuildIndexAsync() => app.Services.GetRequiredService<GeographyIndex>().RebuildAsync(Ct);
}

public sealed class GridImportAndLocateTestsOnSqlite(SqliteApp app) : GridImportAndLocateTests(app), IClassFixture<SqliteApp>;

public sealed class GridImportAndLocateTestsOnPostgres(PostgresApp app) : GridImportAndLocateTests(app), IClassFixture<PostgresApp>;
