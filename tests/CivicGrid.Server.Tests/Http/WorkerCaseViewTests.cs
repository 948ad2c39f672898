using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Server.Tests.Photos;
using CivicGrid.Spatial.Indexing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// What a field worker's phone needs to work a case, on each provider: photos labelled before and after handling, the
/// case's place in words on the list and the detail, and a report of a problem nobody can name reaching the grid's
/// owner staff to screen.
/// </summary>
public abstract class WorkerCaseViewTests(CivicGridApp app)
{
    private readonly CaseScenario _scenario = new(app);

    [Fact]
    public async Task HandlersPhotos_AreKeptAsBeforeOrAfterHandling_TheReportersAsOthers()
    {
        var place = await _scenario.CertainPlaceAsync();
        using var resident = await app.ClientForAsync("resident001");
        var created = await JsonAsync(await ReportAsync(resident, ReportFields(place.Lon, place.Lat, "C0101", $"井盖破损 {Guid.NewGuid():N}"),
            [TestPhotos.Jpeg(200, 150)]));
        var number = created.GetProperty("number").GetString()!;
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        var version = await ActAsync(leader, number, "accept", new { expectedVersion = created.GetProperty("version").GetInt32() });
        version = await ActAsync(leader, number, "assign", new { expectedVersion = version, userId = place.LeaderId });
        await ActAsync(leader, number, "start-handling", new { expectedVersion = version });

        Assert.Equal(["before-handling"], await UploadAsync(leader, number, "?stage=before", HttpStatusCode.OK));
        Assert.Equal(["handling"], await UploadAsync(leader, number, "?stage=after", HttpStatusCode.OK));
        Assert.Equal(["handling"], await UploadAsync(leader, number, "", HttpStatusCode.OK));
        Assert.Equal(["other"], await UploadAsync(resident, number, "", HttpStatusCode.OK));
        await UploadAsync(resident, number, "?stage=before", HttpStatusCode.Forbidden);
        await UploadAsync(leader, number, "?stage=during", HttpStatusCode.BadRequest);

        var listed = await JsonAsync(await leader.GetAsync($"/api/cases/{number}/photos", Ct));
        Assert.Equal(["report", "before-handling", "handling", "handling", "other"],
            listed.EnumerateArray().Select(p => p.GetProperty("purpose").GetString()));
    }

    [Fact]
    public async Task ListAndDetail_SayWhereTheCaseIs_TheGivenAddressOrTheNearestBuilding()
    {
        var place = await _scenario.CertainPlaceAsync();
        var building = await BuildingRoutedToItsOwnGridAsync();
        using var resident = await app.ClientForAsync("resident001");
        var token = Guid.NewGuid().ToString("N");
        var given = ReportFields(place.Lon, place.Lat, "C0102", $"路灯不亮 {token}");
        given["address"] = "菜市场北门报刊亭旁";
        var addressed = (await JsonAsync(await ReportAsync(resident, given, [TestPhotos.Jpeg(200, 150)]))).GetProperty("number").GetString()!;
        var atBuilding = (await JsonAsync(await ReportAsync(resident, ReportFields(building.Lon, building.Lat, "C0102", $"路灯不亮 {token}"),
            [TestPhotos.Jpeg(200, 150)]))).GetProperty("number").GetString()!;

        using var district = await app.ClientForAsync("district"); // a whole-district reader
        var page = await JsonAsync(await district.GetAsync($"/api/cases?text={token}&pageSize=50", Ct));
        var addresses = page.GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("number").GetString()!, i => i.GetProperty("address").GetString());
        Assert.Equal("菜市场北门报刊亭旁", addresses[addressed]);
        Assert.Equal($"{building.Address}附近", addresses[atBuilding]);
        var detail = await JsonAsync(await district.GetAsync($"/api/cases/{atBuilding}", Ct));
        Assert.Equal($"{building.Address}附近", detail.GetProperty("address").GetString());

        // The grid's leader sees it on the phone's list too.
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        var inbox = await JsonAsync(await leader.GetAsync($"/api/cases/inbox/to-accept?text={addressed}", Ct));
        Assert.Equal("菜市场北门报刊亭旁", Assert.Single(inbox.GetProperty("items").EnumerateArray()).GetProperty("address").GetString());
    }

    [Fact]
    public async Task OnePlaceInWords_TheNamedBuildingFirst_ThenTheCompound_ThenTheGivenAddress_ThenTheNearestBuilding()
    {
        // Cases as the intake stores them after a routing lesson matched a building or a compound (the only way a case
        // carries their codes), described the way every page reads them: in one pass over a batch.
        var described = await app.WithDatabaseAsync(async db =>
        {
            var building = await db.Buildings.IgnoreQueryFilters().AsNoTracking().Where(b => b.GridCode.StartsWith("610103099") && b.Address != "")
                .OrderBy(b => b.Code).FirstAsync(Ct);
            var compound = await db.Compounds.IgnoreQueryFilters().AsNoTracking().Where(o => o.Id != building.CompoundId)
                .OrderBy(o => o.Code).FirstAsync(Ct);
            Case At(string number, string? buildingCode, string? compoundCode, string? address) =>
                new(number, "C0102", "路灯不亮", "路灯不亮", building.Location, building.GridCode, CaseTier.Green, CaseChannel.ResidentApp, null, DateTimeOffset.UtcNow)
                { BuildingCode = buildingCode, CompoundCode = compoundCode, Address = address };
            var cases = new[]
            {
                At("P1", building.Code, compound.Code, "居民写的地址"),
                At("P2", null, compound.Code, "居民写的地址"),
                At("P3", null, null, "  居民写的地址 "),
                At("P4", null, null, null),
            };
            var places = await Server.Features.Cases.Queries.CasePlaces.DescribeAsync(db, cases, Ct);
            return (places, building, compound);
        });
        var (places, b, o) = described;
        Assert.Equal($"{b.Address}（{b.Name}）", places["P1"]);
        Assert.Equal(string.IsNullOrWhiteSpace(o.Address) ? o.Name : $"{o.Address}（{o.Name}）", places["P2"]);
        Assert.Equal("居民写的地址", places["P3"]);
        Assert.EndsWith("附近", places["P4"]);
    }

    /// <summary>A building of the main subdistrict whose own point the router places with certainty in the building's grid.</summary>
    private async Task<(double Lon, double Lat, string Address)> BuildingRoutedToItsOwnGridAsync()
    {
        var snapshot = await app.Services.GetRequiredService<GeographyIndex>().GetAsync(Ct);
        var buildings = await app.WithDatabaseAsync(db => db.Buildings.IgnoreQueryFilters().AsNoTracking()
            .Where(b => b.GridCode.StartsWith("610103099")).OrderBy(b => b.Code).Take(200)
            .Select(b => new { b.Address, b.GridCode, b.Location }).ToListAsync(Ct));
        var found = buildings.First(b => Router.Route(snapshot, b.Location.X, b.Location.Y, 5) is { Confidence: LocateConfidence.Certain } answer
            && answer.GridCode == b.GridCode && answer.DedicatedCodes.Count == 0);
        return (found.Location.X, found.Location.Y, found.Address);
    }

    [Fact]
    public async Task AProblemNobodyCanName_ReachesTheGridsOwnerStaffToScreen()
    {
        var place = await _scenario.CertainPlaceAsync();
        using var resident = await app.ClientForAsync("resident001");
        var report = await ReportAsync(resident, ReportFields(place.Lon, place.Lat, "G0199", "说不清是什么问题"));
        Assert.Equal(HttpStatusCode.Created, report.StatusCode);
        var number = (await JsonAsync(report)).GetProperty("number").GetString()!;

        using var leader = await app.ClientForAsync(place.LeaderUserName);
        var inbox = await JsonAsync(await leader.GetAsync($"/api/cases/inbox/to-accept?text={number}", Ct));
        var item = Assert.Single(inbox.GetProperty("items").EnumerateArray());
        Assert.Equal("green", item.GetProperty("tier").GetString());
        var detail = await JsonAsync(await leader.GetAsync($"/api/cases/{number}", Ct));
        Assert.Equal("其他问题", detail.GetProperty("categoryName").GetString());
        Assert.Contains("accept", detail.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
    }

    /// <summary>Uploads one photo and returns the purposes of what was stored (nothing when refused with the expected status).</summary>
    private static async Task<IReadOnlyList<string?>> UploadAsync(HttpClient client, string number, string query, HttpStatusCode expected)
    {
        using var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(TestPhotos.Jpeg(300, 200));
        part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        content.Add(part, "photos", "scene.jpg");
        var response = await client.PostAsync(new Uri($"/api/cases/{number}/photos{query}", UriKind.Relative), content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{query}: {(int)response.StatusCode} {text}");
        return expected == HttpStatusCode.OK ? [.. JsonDocument.Parse(text).RootElement.EnumerateArray().Select(p => p.GetProperty("purpose").GetString())] : [];
    }
}

public sealed class WorkerCaseViewTestsOnSqlite(SqliteApp app) : WorkerCaseViewTests(app), IClassFixture<SqliteApp>;

public sealed class WorkerCaseViewTestsOnPostgres(PostgresApp app) : WorkerCaseViewTests(app), IClassFixture<PostgresApp>;
