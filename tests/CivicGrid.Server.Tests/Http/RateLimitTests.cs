using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The anonymous locate endpoint and the login endpoint are rate-limited per client address: past the
/// limit a client gets 429 with problem details at once. A server with small limits shows it.
/// </summary>
public sealed class RateLimitTestsOnSqlite : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("civicgrid-ratelimit-").FullName;
    private readonly ProductionServer _production;
    private readonly WebApplicationFactory<Program> _server;

    public RateLimitTestsOnSqlite()
    {
        _production = new ProductionServer(DatabaseProvider.Sqlite, _dataDirectory, null);
        _server = _production.WithWebHostBuilder(b =>
        {
            b.UseSetting("Geo:LocatePerMinute", "3");
            b.UseSetting("Auth:LoginAttemptsPerMinute", "2");
        });
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Locate_PastTheLimit_Answers429InChinese()
    {
        using var client = _server.CreateClient();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync(new Uri("/api/geo/locate?lon=108.96&lat=34.25&crs=wgs84", UriKind.Relative), Ct);
            answers.Add(response.StatusCode);
        }

        using var refused = await client.GetAsync(new Uri("/api/geo/locate?lon=108.96&lat=34.25&crs=wgs84", UriKind.Relative), Ct);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], answers.Take(3));
        Assert.All(answers.Skip(3), a => Assert.Equal(HttpStatusCode.TooManyRequests, a));
        Assert.Equal("/problems/too-many-requests", problem.GetProperty("type").GetString());
        Assert.Contains("频繁", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_PastTheLimit_Answers429EvenForTheRightPassword()
    {
        using var client = _server.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            using var attempt = await client.PostAsJsonAsync("/api/auth/login", new { userName = "nobody", password = "guess" }, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, attempt.StatusCode);
        }

        using var refused = await client.PostAsJsonAsync("/api/auth/login", new { userName = "nobody", password = "guess" }, Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _production.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
