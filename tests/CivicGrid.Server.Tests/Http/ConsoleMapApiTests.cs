using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// What the console's map and phone entry read: every case of a selection as a compact map point (scope and the list's
/// filters apply, paging does not), and compounds and buildings found by name or address.
/// </summary>
public abstract class ConsoleMapApiTests(CivicGridApp app)
{
    private const string MainSubdistrict = "610103099";
    private const string NeighbourSubdistrict = "610103098";

    private readonly TestCases _cases = new(app);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Points_CarryEveryCaseOfTheSelection_InTheCallersScope()
    {
        var token = TestCases.Token();
        var (main, mainPoint) = await _cases.GridAsync(MainSubdistrict, GridLevel.Micro);
        var (neighbour, _) = await _cases.GridAsync(NeighbourSubdistrict, GridLevel.Micro);
        var now = DateTimeOffset.UtcNow;
        var open = await _cases.AddAsync(main, $"{token} 暴露垃圾");
        var closed = await _cases.AddAsync(main, $"{token} 已驳回", c => c.Reject(TestCases.OwnerOf(main, CaseTier.Green), 0, now, "重复上报"));
        var away = await _cases.AddAsync(neighbour, $"{token} 邻街道");
        using var admin = await app.ClientForAsync("district");
        using var ops = await app.ClientForAsync("ops");

        var all = await PointsAsync(admin, $"text={token}");
        Assert.Equal(new[] { open.Number, closed.Number, away.Number }.Order(StringComparer.Ordinal), all.Keys.Order(StringComparer.Ordinal));
        Assert.True(all[open.Number].GetProperty("properties").GetProperty("open").GetBoolean());
        Assert.False(all[closed.Number].GetProperty("properties").GetProperty("open").GetBoolean());
        Assert.Equal(main, all[open.Number].GetProperty("properties").GetProperty("gridCode").GetString());
        Assert.Equal("green", all[open.Number].GetProperty("properties").GetProperty("tier").GetString());
        var coordinates = all[open.Number].GetProperty("geometry").GetProperty("coordinates");
        Assert.Equal(mainPoint.X, coordinates[0].GetDouble(), 5);
        Assert.Equal(mainPoint.Y, coordinates[1].GetDouble(), 5);

        Assert.Equal(new[] { open.Number, closed.Number }.Order(StringComparer.Ordinal), (await PointsAsync(ops, $"text={token}")).Keys.Order(StringComparer.Ordinal));
        Assert.Equal([open.Number], (await PointsAsync(admin, $"text={token}&status=reported&gridCode={MainSubdistrict}")).Keys);

        var box = FormattableString.Invariant($"{mainPoint.X - 0.0001},{mainPoint.Y - 0.0001},{mainPoint.X + 0.0001},{mainPoint.Y + 0.0001}");
        Assert.DoesNotContain(away.Number, (await PointsAsync(admin, $"text={token}&bbox={box}")).Keys);
        Assert.Contains(open.Number, (await PointsAsync(admin, $"text={token}&bbox={box}")).Keys);
    }

    [Fact]
    public async Task GridCounts_CountTheSelectionPerGrid_OpenAndAll()
    {
        var token = TestCases.Token();
        var (main, _) = await _cases.GridAsync(MainSubdistrict, GridLevel.Micro, skip: 7);
        var (neighbour, _) = await _cases.GridAsync(NeighbourSubdistrict, GridLevel.Micro);
        var now = DateTimeOffset.UtcNow;
        await _cases.AddAsync(main, $"{token} 一");
        await _cases.AddAsync(main, $"{token} 二");
        await _cases.AddAsync(main, $"{token} 驳回", c => c.Reject(TestCases.OwnerOf(main, CaseTier.Green), 0, now, "重复上报"));
        await _cases.AddAsync(neighbour, $"{token} 邻街道");
        using var admin = await app.ClientForAsync("district");
        using var ops = await app.ClientForAsync("ops");

        var all = await admin.GetFromJsonAsync<JsonElement>($"/api/cases/grid-counts?text={token}", Ct);
        var byGrid = all.EnumerateArray().ToDictionary(c => c.GetProperty("gridCode").GetString()!, c => (c.GetProperty("total").GetInt32(), c.GetProperty("open").GetInt32()));
        Assert.Equal((3, 2), byGrid[main]);
        Assert.Equal((1, 1), byGrid[neighbour]);

        var scoped = await ops.GetFromJsonAsync<JsonElement>($"/api/cases/grid-counts?text={token}", Ct);
        Assert.Equal([main], scoped.EnumerateArray().Select(c => c.GetProperty("gridCode").GetString()));

        // The map's points and the grid counts agree on the same selection (this test's cases).
        var points = await admin.GetFromJsonAsync<JsonElement>($"/api/cases/points?text={token}", Ct);
        Assert.Equal(4, points.GetProperty("features").GetArrayLength());
        Assert.Equal(4, all.EnumerateArray().Sum(c => c.GetProperty("total").GetInt32()));
    }

    [Fact]
    public async Task Points_RefuseABadBoxAndResidents()
    {
        using var admin = await app.ClientForAsync("district");
        var bad = await admin.GetAsync(new Uri("/api/cases/points?bbox=1,2,3", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty("bbox", out _));

        using var resident = await app.ClientForAsync("resident001");
        Assert.Equal(HttpStatusCode.Forbidden, (await resident.GetAsync(new Uri("/api/cases/points", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task Places_FindCompoundsAndBuildingsByNameOrAddress()
    {
        var compound = await app.WithDatabaseAsync(db => db.Compounds.AsNoTracking().Where(c => c.GridCode.StartsWith(MainSubdistrict))
            .OrderBy(c => c.Code).FirstAsync(Ct));
        using var admin = await app.ClientForAsync("district");

        var found = await admin.GetFromJsonAsync<JsonElement>($"/api/places?text={Uri.EscapeDataString(compound.Address)}", Ct);
        var first = found.EnumerateArray().First();
        Assert.Equal("compound", first.GetProperty("kind").GetString());
        Assert.Contains(compound.Address, first.GetProperty("address").GetString(), StringComparison.Ordinal);
        Assert.True(compound.Boundary.Contains(new NetTopologySuite.Geometries.Point(first.GetProperty("lon").GetDouble(), first.GetProperty("lat").GetDouble()))
            || found.EnumerateArray().Any(p => p.GetProperty("code").GetString() == compound.Code));
        Assert.Contains(found.EnumerateArray(), p => p.GetProperty("kind").GetString() == "building");
        Assert.True(found.GetArrayLength() <= 20);

        var empty = await admin.GetAsync(new Uri("/api/places?text=", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    private static async Task<Dictionary<string, JsonElement>> PointsAsync(HttpClient client, string query)
    {
        var answer = await client.GetFromJsonAsync<JsonElement>($"/api/cases/points?{query}", Ct);
        Assert.Equal("FeatureCollection", answer.GetProperty("type").GetString());
        return answer.GetProperty("features").EnumerateArray()
            .ToDictionary(f => f.GetProperty("properties").GetProperty("number").GetString()!, f => f);
    }
}

public sealed class ConsoleMapApiTestsOnSqlite(SqliteApp app) : ConsoleMapApiTests(app), IClassFixture<SqliteApp>;

public sealed class ConsoleMapApiTestsOnPostgres(PostgresApp app) : ConsoleMapApiTests(app), IClassFixture<PostgresApp>;
