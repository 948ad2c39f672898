using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CivicGrid.Server.Features.Metrics;
using CivicGrid.Server.Features.Open311;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using static CivicGrid.Server.Tests.Infrastructure.HttpAnswers;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The Prometheus scrape endpoint over real HTTP on each provider: who may read it (an operator's session or the scrape
/// token; anonymous callers, business staff, the audit administrator and wrong tokens are refused with problems), and that
/// what it shows is exact: N reports through JSON and through Open311 raise that door's intake counter by exactly N, a
/// job run shows in the jobs counter, and ASP.NET Core's HTTP and the runtime's metrics are there.
/// </summary>
/// <remarks>
/// OpenTelemetry listens to meters by name across the process: another test server reporting at the same moment would
/// show in this server's scrape, and one disposed while this one runs ends the metric streams they share (a server per
/// process, as in production, has neither problem). So the classes run in a collection of their own, alone, and the
/// tests that start a second server with other settings are in <see cref="MetricsSettingsTests"/>.
/// </remarks>
public abstract partial class MetricsTests(CivicGridApp app)
{
    private readonly CaseScenario _scenario = new(app);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Scrape_WithTheToken_AnswersPrometheusText()
    {
        using var client = app.CreateClient();

        using var response = await ScrapeAsync(client, CivicGridApp.MetricsToken);

        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE civicgrid_open_cases_index_size gauge", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^civicgrid_outbox_pending\{[^}]*channel=""sms""", text);
    }

    [Fact]
    public async Task Scrape_WithoutSession_OrWithAWrongToken_Is401Problem()
    {
        using var client = app.CreateClient();

        using var anonymous = await client.GetAsync(new Uri("/metrics", UriKind.Relative), Ct);
        using var wrong = await ScrapeAsync(client, CivicGridApp.MetricsToken + "x");
        using var basic = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", CivicGridApp.MetricsToken);
        using var notBearer = await client.SendAsync(basic, Ct);

        foreach (var refused in new[] { anonymous, wrong, notBearer })
        {
            var problem = await ProblemAsync(refused, HttpStatusCode.Unauthorized, "/problems/unauthorized");
            Assert.Contains("采集令牌", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("community01")]
    [InlineData("ops")]
    [InlineData("worker01")]
    [InlineData("auditor")]
    [InlineData("resident001")]
    public async Task Scrape_ByAnyoneButAnOperator_Is403Problem(string userName)
    {
        using var client = await app.ClientForAsync(userName);

        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), Ct);

        var problem = await ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("系统管理员或安全管理员", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("secadmin")]
    public async Task Scrape_ByTheSystemOrSecurityAdministrator_IsAnswered(string userName)
    {
        using var client = await app.ClientForAsync(userName);

        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("civicgrid_", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_ThroughJsonAndOpen311_RaiseTheirDoorsCounters_ByExactlyN()
    {
        const int n = 3;
        var place = await _scenario.CertainPlaceAsync();
        using var scraper = app.CreateClient();
        var before = Parse(await ScrapeTextAsync(scraper));
        using var resident = app.CreateClient();
        var key = await app.WithDatabaseAsync(async db =>
            (await ApiKeys.IssueAsync(db, CivicGridApp.UniqueName("metrics"), null, "test", DateTimeOffset.UtcNow, Ct)).Secret);

        for (var i = 0; i < n; i++)
        {
            var json = await resident.PostAsJsonAsync("/api/cases", new
            {
                categoryCode = "G0202", description = $"想问一下居住证在哪里办理 {i}", lon = place.Lon, lat = place.Lat, crs = "wgs84",
            }, Ct);
            await OkAsync(json, HttpStatusCode.Created);
            using var open311 = await resident.PostAsync(new Uri("/open311/v2/requests.json", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["api_key"] = key, ["jurisdiction_id"] = "610103099", ["service_code"] = "E0101", ["description"] = $"垃圾桶满溢 {i}",
                ["lat"] = place.Lat.ToString("R", CultureInfo.InvariantCulture), ["long"] = place.Lon.ToString("R", CultureInfo.InvariantCulture),
            }), Ct);
            Assert.True(open311.StatusCode == HttpStatusCode.OK, await open311.Content.ReadAsStringAsync(Ct));
        }

        // A refused report is not a case: it counts as refused, under its door and the field at fault.
        var unknown = await resident.PostAsJsonAsync("/api/cases", new
        {
            categoryCode = "Z9999", description = "没有这个类别", lon = place.Lon, lat = place.Lat, crs = "wgs84",
        }, Ct);
        await ProblemAsync(unknown, HttpStatusCode.BadRequest);

        var after = Parse(await ScrapeTextAsync(scraper));
        Assert.Equal(n, Delta(before, after, "civicgrid_intake_cases_total", ("door", "json")));
        Assert.Equal(n, Delta(before, after, "civicgrid_intake_cases_total", ("door", "open311")));
        Assert.Equal(0, Delta(before, after, "civicgrid_intake_cases_total", ("door", "multipart")));
        Assert.Equal(1, Delta(before, after, "civicgrid_intake_refused_total", ("door", "json"), ("field", "categoryCode")));
        Assert.Equal(2 * n, Delta(before, after, "civicgrid_routing_reports_total", ("outcome", "located")));
        Assert.Equal(2 * n, Delta(before, after, "civicgrid_intake_writer_batch_size_sum"));
        Assert.True(Delta(before, after, "civicgrid_intake_writer_commit_duration_seconds_count") is >= 1 and <= 2 * n);
    }

    [Fact]
    public async Task AKeyedRetry_CountsAsAReplay_AndNotAsASecondCase()
    {
        var place = await _scenario.CertainPlaceAsync();
        using var scraper = app.CreateClient();
        using var resident = app.CreateClient();
        var key = Guid.NewGuid().ToString("N");
        var before = Parse(await ScrapeTextAsync(scraper));

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/cases", UriKind.Relative))
            {
                Content = JsonContent.Create(new { categoryCode = "G0202", description = "想问一下居住证在哪里办理，重发", lon = place.Lon, lat = place.Lat, crs = "wgs84" }),
            };
            request.Headers.Add("Idempotency-Key", key);
            await OkAsync(await resident.SendAsync(request, Ct), HttpStatusCode.Created);
        }

        var after = Parse(await ScrapeTextAsync(scraper));
        Assert.Equal(1, Delta(before, after, "civicgrid_intake_cases_total", ("door", "json")));
        Assert.Equal(1, Delta(before, after, "civicgrid_idempotency_answers_total", ("outcome", "replayed")));
    }

    [Fact]
    public async Task AJobRun_ShowsInTheJobsCounter_AndItsDuration()
    {
        using var scraper = app.CreateClient();
        using var admin = await app.ClientForAsync("admin");
        var before = Parse(await ScrapeTextAsync(scraper));

        var run = await admin.PostAsync(new Uri("/api/admin/jobs/housekeeping/run", UriKind.Relative), null, Ct);
        await OkAsync(run);

        var after = Parse(await ScrapeTextAsync(scraper));
        Assert.Equal(1, Delta(before, after, "civicgrid_jobs_runs_total", ("job", "housekeeping"), ("outcome", "succeeded")));
        Assert.Equal(1, Delta(before, after, "civicgrid_jobs_duration_seconds_count", ("job", "housekeeping")));
    }

    [Fact]
    public async Task HttpServerAndRuntimeMetrics_AreExported_WithRouteTemplatesNotPaths()
    {
        using var client = app.CreateClient();
        await client.GetAsync(new Uri("/api/categories", UriKind.Relative), Ct);
        using var leader = await app.ClientForAsync("leader01");
        await leader.GetAsync(new Uri("/api/cases/20990101999", UriKind.Relative), Ct);

        var text = await ScrapeTextAsync(client);

        Assert.Matches(@"(?m)^http_server_request_duration_seconds_bucket\{[^}]*http_route=""/api/categories/?""", text);
        Assert.Matches(@"(?m)^http_server_request_duration_seconds_bucket\{[^}]*http_route=""/api/cases/\{number\}/?""", text);
        Assert.DoesNotContain("20990101999", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^dotnet_gc_", text);
        Assert.Matches(@"(?m)^kestrel_|^http_server_active_requests", text);
    }

    internal static async Task<HttpResponseMessage> ScrapeAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.SendAsync(request, Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }

    private static async Task<string> ScrapeTextAsync(HttpClient client)
    {
        using var response = await ScrapeAsync(client, CivicGridApp.MetricsToken);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return text;
    }

    /// <summary>One sample of the text format: name, labels, value.</summary>
    private sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    private static List<Sample> Parse(string text) =>
        [.. text.Split('\n').Select(line => SampleLine().Match(line)).Where(m => m.Success).Select(m => new Sample(m.Groups["name"].Value,
            LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups["key"].Value, l => l.Groups["value"].Value),
            double.TryParse(m.Groups["value"].Value, CultureInfo.InvariantCulture, out var value) ? value : double.NaN))];

    /// <summary>The change of a metric's samples that carry every given label, summed over the rest.</summary>
    private static double Delta(List<Sample> before, List<Sample> after, string name, params (string Key, string Value)[] labels)
    {
        double Sum(List<Sample> samples) => samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);
        return Sum(after) - Sum(before);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>[^ ]+)( \d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}

/// <summary>
/// The settings that need a server of their own (<c>WithWebHostBuilder</c>): the token file when no token is configured,
/// and <c>Metrics:Enabled=false</c>. Apart from <see cref="MetricsTests"/>, whose scrapes another server's disposal would empty.
/// </summary>
public abstract class MetricsSettingsTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheTokenFile_InTheDataDirectory_IsTheScrapeToken_WhenNoneIsConfigured()
    {
        var token = ScrapeToken.Generate();
        var keys = Path.Combine(app.DataDirectory, "keys");
        Directory.CreateDirectory(keys);
        var file = Path.Combine(keys, "metrics-scrape-token-" + Guid.NewGuid().ToString("N")[..6]);
        await File.WriteAllTextAsync(file, token + "\n", Ct);
        await using var server = app.WithWebHostBuilder(b => b.UseSetting("Metrics:ScrapeToken", "").UseSetting("Metrics:ScrapeTokenFile", file));
        using var client = server.CreateClient();

        using var withFile = await MetricsTests.ScrapeAsync(client, token);
        using var withConfigured = await MetricsTests.ScrapeAsync(client, CivicGridApp.MetricsToken);

        Assert.Equal(HttpStatusCode.OK, withFile.StatusCode);
        await ProblemAsync(withConfigured, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task MetricsDisabled_HasNoEndpoint()
    {
        await using var server = app.WithWebHostBuilder(b => b.UseSetting("Metrics:Enabled", "false"));
        using var client = server.CreateClient();

        using var response = await MetricsTests.ScrapeAsync(client, CivicGridApp.MetricsToken);

        // Without built pages a 404; with them the console's page may answer an unknown path, but never the metrics.
        Assert.NotEqual("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("civicgrid_", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

}

[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class MetricsCollection;

[Collection(nameof(MetricsTests))]
public sealed class MetricsTestsOnSqlite(SqliteApp app) : MetricsTests(app), IClassFixture<SqliteApp>;

[Collection(nameof(MetricsTests))]
public sealed class MetricsTestsOnPostgres(PostgresApp app) : MetricsTests(app), IClassFixture<PostgresApp>;


[Collection(nameof(MetricsTests))]
public sealed class MetricsSettingsTestsOnSqlite(SqliteApp app) : MetricsSettingsTests(app), IClassFixture<SqliteApp>;

[Collection(nameof(MetricsTests))]
public sealed class MetricsSettingsTestsOnPostgres(PostgresApp app) : MetricsSettingsTests(app), IClassFixture<PostgresApp>;
