using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Cases.LocationQueue;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Spatial;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Security review (issue 21, ADR 0026): property staff (物业) and micro-grid volunteers (微网格员) saw every case of their
/// subtree with its description, photos and reporter. Their reach is now the cases they reported and those assigned to them,
/// wherever those lie; nothing else of their subtree reaches them through the detail, the list, the map, the export, the
/// duplicate suggestions or the location queue. Grid leaders keep their subtree.
/// </summary>
public abstract class CaseReachTests(CivicGridApp app)
{
    private const string MainSubdistrict = "610103099";
    private const string NeighbourSubdistrict = "610103098";

    /// <summary>Metres per degree of latitude on the sphere the duplicate finder measures on.</summary>
    private const double MetresPerDegree = Math.PI / 180 * Geodesy.MeanEarthRadiusMeters;

    private readonly TestCases _cases = new(app);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A property account (at its community) or a volunteer (at its micro-grid), with the cases around them.</summary>
    private async Task<(UserAccount User, string Token, Case Other, Case Reported, Case Assigned, Case Elsewhere)> WorldAsync(string kind, int skip)
    {
        var (micro, _) = await _cases.GridAsync(MainSubdistrict + "006", GridLevel.Micro, skip: skip);
        var user = kind == "property"
            ? await app.CreateUserAsync(CivicGridApp.UniqueName("reach-p"), micro[..GridCodes.CommunityLength], Role.PropertyStaff)
            : await app.CreateUserAsync(CivicGridApp.UniqueName("reach-v"), micro, Role.MicroGridWorker);
        var token = TestCases.Token();
        var owner = TestCases.OwnerOf(micro, CaseTier.Green);
        var due = DateTimeOffset.UtcNow.AddDays(3);
        void AssignToUser(Case c)
        {
            c.Accept(owner, c.Version, DateTimeOffset.UtcNow.AddMinutes(-30));
            c.Assign(owner, c.Version, DateTimeOffset.UtcNow.AddMinutes(-20), CaseAssignee.User(user.Id, user.DisplayName), due);
        }

        // In their own micro-grid, neither reported by them nor given to them: a neighbour's report with a phone number.
        var other = await _cases.AddAsync(micro, $"{token} 邻居反映楼道堆物", channel: CaseChannel.ResidentApp, reporterName: "赵六",
            reporterPhone: "13700004444", description: "三单元二楼住户门口堆放杂物");
        var reported = await _cases.AddAsync(micro, $"{token} 本人上报的井盖松动",
            channel: kind == "property" ? CaseChannel.PropertyStaff : CaseChannel.GridPatrol, reporterId: user.Id);
        var assigned = await _cases.AddAsync(micro, $"{token} 交给本人处理的路灯", walk: AssignToUser);
        var (away, _) = await _cases.GridAsync(NeighbourSubdistrict, GridLevel.Micro, skip: skip);
        var elsewhere = await _cases.AddAsync(away, $"{token} 请求协助的外网格案件", walk: c =>
        {
            var awayOwner = TestCases.OwnerOf(away, CaseTier.Green);
            c.Accept(awayOwner, c.Version, DateTimeOffset.UtcNow.AddMinutes(-30));
            c.Assign(awayOwner, c.Version, DateTimeOffset.UtcNow.AddMinutes(-20), CaseAssignee.User(user.Id, user.DisplayName), due);
        });
        return (user, token, other, reported, assigned, elsewhere);
    }

    [Theory]
    [InlineData("property", 0)]
    [InlineData("volunteer", 1)]
    public async Task ACaseOfTheirSubtree_TheyNeitherReportedNorWereGiven_Is404_WithItsTimelineAndPhotos(string kind, int skip)
    {
        var world = await WorldAsync(kind, skip);
        using var client = await app.ClientForAsync(world.User.UserName);

        foreach (var path in new[] { "", "/timeline", "/photos" })
        {
            var response = await client.GetAsync(new Uri($"/api/cases/{world.Other.Number}{path}", UriKind.Relative), Ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{kind} GET …{path}: {response.StatusCode}");
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("/problems/not-found", problem.GetProperty("type").GetString());
            Assert.Contains("不在您的查看范围内", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("13700004444", problem.ToString(), StringComparison.Ordinal);
        }

        // Acting on it is refused the same way: nothing says the case exists.
        var act = await client.PostAsJsonAsync($"/api/cases/{world.Other.Number}/start-handling", new { expectedVersion = world.Other.Version }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, act.StatusCode);
    }

    [Theory]
    [InlineData("property", 2)]
    [InlineData("volunteer", 3)]
    public async Task TheCasesTheyReported_OrWereGiven_AreReadable_WhereverTheyLie(string kind, int skip)
    {
        var world = await WorldAsync(kind, skip);
        using var client = await app.ClientForAsync(world.User.UserName);

        var reported = await client.GetFromJsonAsync<JsonElement>($"/api/cases/{world.Reported.Number}", Ct);
        var assigned = await client.GetFromJsonAsync<JsonElement>($"/api/cases/{world.Assigned.Number}", Ct);
        var elsewhere = await client.GetFromJsonAsync<JsonElement>($"/api/cases/{world.Elsewhere.Number}", Ct);
        var timeline = await client.GetFromJsonAsync<JsonElement>($"/api/cases/{world.Assigned.Number}/timeline", Ct);

        Assert.Equal(world.Reported.Number, reported.GetProperty("number").GetString());
        Assert.Contains("start-handling", assigned.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(world.Elsewhere.GridCode, elsewhere.GetProperty("gridCode").GetString());
        Assert.Equal(["report", "accept", "assign"], timeline.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()));

        // The handler's verbs still work on what was given to them.
        var started = await client.PostAsJsonAsync($"/api/cases/{world.Assigned.Number}/start-handling", new { expectedVersion = world.Assigned.Version }, Ct);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
    }

    [Theory]
    [InlineData("property", 4)]
    [InlineData("volunteer", 5)]
    public async Task TheList_TheMap_TheGridCounts_AndTheExport_HoldOnlyTheirOwnCases(string kind, int skip)
    {
        var world = await WorldAsync(kind, skip);
        using var client = await app.ClientForAsync(world.User.UserName);
        string[] expected = [.. new[] { world.Reported, world.Assigned, world.Elsewhere }.Select(c => c.Number).Order(StringComparer.Ordinal)];

        var list = await client.GetFromJsonAsync<JsonElement>($"/api/cases?text={world.Token}&pageSize=50", Ct);
        var points = await client.GetFromJsonAsync<JsonElement>($"/api/cases/points?text={world.Token}", Ct);
        var counts = await client.GetFromJsonAsync<JsonElement>($"/api/cases/grid-counts?text={world.Token}", Ct);
        var export = await client.GetAsync(new Uri($"/api/cases/export.xlsx?text={world.Token}", UriKind.Relative), Ct);

        Assert.Equal(expected, list.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("number").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(3, list.GetProperty("total").GetInt32());
        Assert.Equal(expected, points.GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties").GetProperty("number").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(3, counts.EnumerateArray().Sum(c => c.GetProperty("total").GetInt32()));
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var rows = await CaseQueryTests.ExcelRows(export);
        Assert.Equal(expected, rows.Items.Select(r => r["案件编号"]).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(rows.Items, r => r.Values.Any(v => v.Contains("堆放杂物", StringComparison.Ordinal)));

        // A grid leader of the same grid keeps the whole subtree: the neighbour's report is theirs to handle.
        using var leader = await app.ClientForAsync((await app.CreateUserAsync(CivicGridApp.UniqueName("reach-l"),
            world.Other.GridCode[..GridCodes.ThirdLength], Role.GridLeader)).UserName);
        var forLeader = await leader.GetFromJsonAsync<JsonElement>($"/api/cases?text={world.Token}&pageSize=50", Ct);
        var leaderNumbers = forLeader.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("number").GetString()).ToList();
        Assert.Contains(world.Other.Number, leaderNumbers);
        Assert.Contains(world.Reported.Number, leaderNumbers);
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync(new Uri($"/api/cases/{world.Other.Number}", UriKind.Relative), Ct)).StatusCode);
    }

    [Theory]
    [InlineData("property", 6)]
    [InlineData("volunteer", 7)]
    public async Task NearbyCases_ReachThemAsTheyReachThePublic_BandedAndWithoutSensitiveKinds(string kind, int skip)
    {
        var world = await WorldAsync(kind, skip);
        var origin = world.Assigned.Location;
        var fireLane = await _cases.AddAsync(world.Assigned.GridCode, $"{world.Token} 消防通道堵塞", category: "G0401", location: North(origin, 63));
        var suspicious = await _cases.AddAsync(world.Assigned.GridCode, $"{world.Token} 可疑人员徘徊", category: "G0402", location: North(origin, 21));
        var given = await _cases.AddAsync(world.Assigned.GridCode, $"{world.Token} 交给本人的占道", category: "G0401", location: North(origin, 5), walk: c =>
        {
            var owner = TestCases.OwnerOf(c.GridCode, CaseTier.Green);
            c.Accept(owner, c.Version, DateTimeOffset.UtcNow.AddMinutes(-30));
            c.Assign(owner, c.Version, DateTimeOffset.UtcNow.AddMinutes(-20), CaseAssignee.User(world.User.Id, world.User.DisplayName), DateTimeOffset.UtcNow.AddDays(3));
        });
        using var client = await app.ClientForAsync(world.User.UserName);

        var nearby = (await client.GetFromJsonAsync<JsonElement>(
                FormattableString.Invariant($"/api/cases/duplicates?lon={origin.X}&lat={origin.Y}&crs=wgs84&category=G0401"), Ct))
            .GetProperty("candidates").EnumerateArray().ToDictionary(c => c.GetProperty("number").GetString()!);
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/cases/{given.Number}", Ct);
        var possible = detail.GetProperty("possibleDuplicates").EnumerateArray().ToDictionary(c => c.GetProperty("number").GetString()!);

        foreach (var seen in new[] { nearby, possible })
        {
            Assert.DoesNotContain(suspicious.Number, seen.Keys);
            Assert.Equal(100, seen[fireLane.Number].GetProperty("distanceMeters").GetInt32()); // 63 m, "within 100 m"
            Assert.True(seen[fireLane.Number].GetProperty("banded").GetBoolean());
        }

        // The public facts of a suggestion open nothing more: the case itself stays out of reach.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/api/cases/{fireLane.Number}", UriKind.Relative), Ct)).StatusCode);
    }

    [Theory]
    [InlineData("property", 8)]
    [InlineData("volunteer", 9)]
    public async Task TheLocationQueue_OffersThemNothing_WhileTheGridsLeaderSeesTheOffer(string kind, int skip)
    {
        var world = await WorldAsync(kind, skip);
        var grid = world.Other.GridCode;
        var (neighbour, _) = await _cases.GridAsync(NeighbourSubdistrict, GridLevel.Micro, skip: skip + 20);
        var due = DateTimeOffset.UtcNow.AddHours(2);
        var near = await _cases.AddAsync(grid, $"{world.Token} 边界附近的报告", channel: CaseChannel.ResidentApp,
            walk: c => c.AwaitLocationConfirmation(Actor.System, c.Version, DateTimeOffset.UtcNow.AddMinutes(-50), [grid, neighbour], due));
        await app.WithDatabaseAsync(db =>
        {
            foreach (var (code, best) in new[] { (grid, true), (neighbour, false) })
            {
                db.LocationClaims.Add(new LocationClaim
                {
                    Id = Guid.CreateVersion7(), CaseId = near.Id, CaseNumber = near.Number, GridCode = code, IsBest = best, Share = best ? 0.6 : 0.4,
                    Title = near.Title, CategoryCode = near.CategoryCode, Lon = near.Location.X, Lat = near.Location.Y, ReportedAt = near.ReportedAt, DueAt = due,
                });
            }

            return db.SaveChangesAsync(Ct);
        });
        using var client = await app.ClientForAsync(world.User.UserName);
        using var leader = await app.ClientForAsync((await app.CreateUserAsync(CivicGridApp.UniqueName("reach-l"),
            grid[..GridCodes.ThirdLength], Role.GridLeader)).UserName);

        var offers = await client.GetFromJsonAsync<JsonElement>("/api/cases/to-confirm", Ct);
        var claim = await client.PostAsJsonAsync($"/api/cases/{near.Number}/location/claim", new { gridCode = grid }, Ct);
        var forLeader = await leader.GetFromJsonAsync<JsonElement>("/api/cases/to-confirm", Ct);

        Assert.DoesNotContain(offers.EnumerateArray(), o => o.GetProperty("caseNumber").GetString() == near.Number);
        Assert.Equal(HttpStatusCode.NotFound, claim.StatusCode);
        Assert.Contains(forLeader.EnumerateArray(), o => o.GetProperty("caseNumber").GetString() == near.Number);
    }

    private static Point North(Point origin, double metres) => new(origin.X, origin.Y + (metres / MetresPerDegree)) { SRID = 4326 };
}

public sealed class CaseReachTestsOnSqlite(SqliteApp app) : CaseReachTests(app), IClassFixture<SqliteApp>;

public sealed class CaseReachTestsOnPostgres(PostgresApp app) : CaseReachTests(app), IClassFixture<PostgresApp>;
