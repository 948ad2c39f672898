using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// GET /api/live on each provider: a reported case reaches, within 2 s and without polling by the client, the streams whose
/// scope covers its grid and no other; a case turning red comes with its previous colour; a stream that reconnects with
/// Last-Event-ID gets what it missed; the events are read from the database, so a change written by another instance (here
/// a context of its own, as another process's would be) arrives the same way.
/// </summary>
public abstract class LiveTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AReportedCase_ReachesTheStreamsWhoseScopeCoversIt_WithinTwoSeconds()
    {
        var community = await app.WithDatabaseAsync(db => db.Users.SingleAsync(u => u.UserName == "community01", Ct));
        var (inside, outside) = await app.WithDatabaseAsync(async db =>
        {
            var micro = await db.Grids.Where(g => g.Level == Domain.Geography.GridLevel.Micro && g.Code.StartsWith("610103099")).OrderBy(g => g.Code).ToListAsync(Ct);
            return (micro.First(g => g.Code.StartsWith(community.ScopeCode, StringComparison.Ordinal)).Boundary.InteriorPoint,
                micro.First(g => !g.Code.StartsWith(community.ScopeCode, StringComparison.Ordinal)).Boundary.InteriorPoint);
        });
        using var ops = await app.ClientForAsync("ops");
        using var staff = await app.ClientForAsync("community01");
        await using var opsStream = await LiveStream.OpenAsync(ops);
        await using var communityStream = await LiveStream.OpenAsync(staff);
        using var anonymous = app.CreateClient();

        var elsewhere = await ReportAsync(anonymous, outside);
        var clock = Stopwatch.StartNew();
        var seen = await opsStream.WaitForAsync(e => e.GetProperty("caseNumber").GetString() == elsewhere, TimeSpan.FromSeconds(2));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.Equal(("case-reported", "resident-app"), (seen.GetProperty("kind").GetString(), seen.GetProperty("channel").GetString()));

        var own = await ReportAsync(anonymous, inside);
        await communityStream.WaitForAsync(e => e.GetProperty("caseNumber").GetString() == own, TimeSpan.FromSeconds(2));
        await opsStream.WaitForAsync(e => e.GetProperty("caseNumber").GetString() == own, TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(communityStream.Received, e => e.GetProperty("caseNumber").GetString() == elsewhere);
    }

    [Fact]
    public async Task ACaseTurningRed_IsSentWithItsPreviousColour_AndAReconnectingStreamGetsWhatItMissed()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var operatorActor = Actor.Of(await app.WithDatabaseAsync(db => db.Users.SingleAsync(u => u.UserName == "ops", Ct)));
        using var ops = await app.ClientForAsync("ops");
        string? lastId;
        await using (var stream = await LiveStream.OpenAsync(ops))
        {
            var blue = await CrewCases.CreateAsync(app, crew, DateTimeOffset.UtcNow.AddHours(-1), tier: CaseTier.Blue);
            var reported = await stream.WaitForAsync(e => e.GetProperty("caseNumber").GetString() == blue.Number, TimeSpan.FromSeconds(3));
            lastId = reported.GetProperty("id").GetString();
            await CrewCases.ChangeAsync(app, blue.Number, c => c.Escalate(operatorActor, c.Version, DateTimeOffset.UtcNow, "需区级协调", automatic: false));
            var red = await stream.WaitForAsync(e => e.GetProperty("caseNumber").GetString() == blue.Number && e.GetProperty("kind").GetString() == "case-changed",
                TimeSpan.FromSeconds(3));
            Assert.Equal(("red", "blue"), (red.GetProperty("tier").GetString(), red.GetProperty("previousTier").GetString()));

            // Gone for a moment: meanwhile another case is reported.
            await stream.DisposeAsync();
            var missed = await CrewCases.CreateAsync(app, crew, DateTimeOffset.UtcNow);
            await using var again = await LiveStream.OpenAsync(ops, lastId);
            await again.WaitForAsync(e => e.GetProperty("caseNumber").GetString() == missed.Number, TimeSpan.FromSeconds(3));
            Assert.Contains(again.Received, e => e.GetProperty("caseNumber").GetString() == blue.Number && e.GetProperty("tier").GetString() == "red");
        }
    }

    [Theory]
    [InlineData("resident001", HttpStatusCode.Forbidden)]
    [InlineData("admin", HttpStatusCode.Forbidden)]
    public async Task TheStream_IsForStaffOfCases(string user, HttpStatusCode expected)
    {
        using var client = await app.ClientForAsync(user);
        using var response = await client.GetAsync(new Uri("/api/live", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(expected, response.StatusCode);
        using var anonymous = app.CreateClient();
        using var refused = await anonymous.GetAsync(new Uri("/api/live", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private static async Task<string> ReportAsync(HttpClient client, NetTopologySuite.Geometries.Point at)
    {
        var response = await CaseScenario.ReportAsync(client, new Dictionary<string, string>
        {
            ["categoryCode"] = "G0202", ["description"] = "实时推送测试", ["crs"] = "wgs84",
            ["lon"] = at.X.ToString("F7", CultureInfo.InvariantCulture), ["lat"] = at.Y.ToString("F7", CultureInfo.InvariantCulture),
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("number").GetString()!;
    }
}

public sealed class LiveTestsOnSqlite(SqliteApp app) : LiveTests(app), IClassFixture<SqliteApp>;

public sealed class LiveTestsOnPostgres(PostgresApp app) : LiveTests(app), IClassFixture<PostgresApp>;
