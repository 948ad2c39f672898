using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Testing;
using Npgsql;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Two server processes on one PostgreSQL database behind nginx, as a subdistrict runs them for availability: keyed
/// anonymous reports from 32 clients go through the proxy to both; one instance is killed with SIGKILL in the middle of
/// the run and the load goes on through the other, each client retrying a report whose answer was lost (a failed
/// connection or a 502 from the proxy) with the same key. Nothing acknowledged may be lost, and no key may become two
/// cases — the keys of the killed instance's requests in flight are taken over by the survivor after their timeout.
/// Before the load, live updates are checked across the instances: a case reported on one reaches, within 2 s, the
/// operations centre's streams on the other and through the proxy.
/// </summary>
public sealed class TwoInstanceTests(PostgresTemplate template, ITestOutputHelper output)
{
    private const int Clients = 32;
    private const int AcknowledgedBeforeKill = 300;
    private const int AcknowledgedAfterKill = 300;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoInstancesThroughNginx_ShareLiveUpdates_AndOneKilledUnderLoadLosesAndDoublesNothing()
    {
        var database = "civicgrid_two_" + Guid.NewGuid().ToString("N")[..8];
        var dataDirectory = Path.Combine(Path.GetTempPath(), "civicgrid-two-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDirectory);
        try
        {
            // One data directory for both, as a shared volume: the same signing and data-protection keys and photo store.
            template.CopyTo(dataDirectory);
            await template.CloneAsync(database);
            var environment = new Dictionary<string, string>
            {
                ["Database__Provider"] = "Postgres",
                ["Database__ConnectionString"] = template.Server.ConnectionString(database),
            };
            KeyedReports.AddSettings(environment, dataDirectory);
            // As deployed behind the proxy: its forwarded headers are believed (docs/adr/0025-web-hardening.md).
            environment["ReverseProxy__KnownProxies__0"] = "127.0.0.1";
            var dll = Path.Combine(AppContext.BaseDirectory, "CivicGrid.Server.dll");

            await using var first = await ServerProcess.StartAsync(dll, environment, TimeSpan.FromMinutes(5), Ct);
            await using var second = await ServerProcess.StartAsync(dll, environment, TimeSpan.FromMinutes(5), Ct);
            await using var proxy = await NginxProxy.StartAsync([first.Address, second.Address], Ct);
            using var client = KeyedReports.NewClient(proxy.Address);
            var (places, category) = await KeyedReports.InputsAsync(client);
            await LiveUpdatesCrossInstancesAsync(first.Address, second.Address, proxy.Address, category);

            var reports = new ConcurrentDictionary<string, KeyedReport>();
            var acknowledged = 0;
            var retried = 0;
            var stopping = 0;
            var workers = KeyedReports.StartLoad(client, reports, places, category, Clients, () => Volatile.Read(ref stopping) == 1,
                () => Interlocked.Increment(ref acknowledged), retryLost: true,
                () => Interlocked.Increment(ref retried));
            await WaitForAsync(() => Volatile.Read(ref acknowledged) >= AcknowledgedBeforeKill, workers);
            var atKill = Volatile.Read(ref acknowledged);
            await first.KillAsync();
            await WaitForAsync(() => Volatile.Read(ref acknowledged) >= atKill + AcknowledgedAfterKill, workers);
            Volatile.Write(ref stopping, 1);
            await Task.WhenAll(workers);
            Assert.True(retried > 0, "No request was in flight on the killed instance: the test proved nothing.");

            var acknowledgedKeys = reports.Values.ToDictionary(r => r.Key, r => r.Number!);
            var (stored, doubled, missing) = KeyedReports.Check(reports.Values,
                await KeyedReports.ReadCasesAsync(new NpgsqlConnection(template.Server.ConnectionString(database))), acknowledgedKeys);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Two instances behind nginx on PostgreSQL: {reports.Count} keys from {Clients} clients, {atKill} acknowledged before one instance was killed with SIGKILL, {reports.Count - atKill} after; {retried} answers lost with the killed instance and retried with their key through the proxy; stored cases {stored}, doubled keys {doubled}, keys without a case {missing}."));
        }
        finally
        {
            await template.DropAsync(database);
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary>
    /// The duty officer's streams on the second instance and through the proxy (nginx must not buffer them) receive a case
    /// reported on the first within 2 s, and not one reported first in the neighbouring subdistrict outside the officer's
    /// scope: the instances share events through the database, not through memory, and each filters them by scope.
    /// </summary>
    private async Task LiveUpdatesCrossInstancesAsync(Uri first, Uri second, Uri proxy, string category)
    {
        using var onSecond = await StaffClientAsync(second, "ops");
        using var throughProxy = await StaffClientAsync(proxy, "ops");
        using var admin = await StaffClientAsync(first, "admin"); // Sees both subdistricts' grids.
        var grids = await admin.GetFromJsonAsync<JsonElement>("/api/geo/grids?level=micro", Ct);
        (double Lon, double Lat) InteriorOf(string subdistrict)
        {
            var feature = grids.GetProperty("features").EnumerateArray().First(f => f.GetProperty("properties").GetProperty("kind").GetString() == "territorial"
                && f.GetProperty("properties").GetProperty("code").GetString()!.StartsWith(subdistrict, StringComparison.Ordinal));
            var ring = feature.GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray().SkipLast(1).ToList();
            return (ring.Average(p => p[0].GetDouble()), ring.Average(p => p[1].GetDouble()));
        }

        await using var secondStream = await LiveStream.OpenAsync(onSecond);
        await using var proxyStream = await LiveStream.OpenAsync(throughProxy);
        using var reporter = KeyedReports.NewClient(first);
        var outside = await ReportAsync(reporter, InteriorOf(DemoSubdistrictGenerator.NeighbourSubdistrictCode), category);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var inside = await ReportAsync(reporter, InteriorOf(DemoSubdistrictGenerator.SubdistrictCode), category);
        var onOther = await secondStream.WaitForAsync(e => e.GetProperty("caseNumber").GetString() == inside, TimeSpan.FromSeconds(2));
        var secondAfter = clock.Elapsed;
        await proxyStream.WaitForAsync(e => e.GetProperty("caseNumber").GetString() == inside, TimeSpan.FromSeconds(2) - clock.Elapsed);
        Assert.Equal("case-reported", onOther.GetProperty("kind").GetString());
        Assert.DoesNotContain(secondStream.Received.Concat(proxyStream.Received), e => e.GetProperty("caseNumber").GetString() == outside);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Live updates across instances: case {inside} reported on the first instance reached the second's stream {secondAfter.TotalMilliseconds:F0} ms and the stream through nginx {clock.Elapsed.TotalMilliseconds:F0} ms after the report was sent; case {outside}, outside the officer's scope, reached neither."));
    }

    private static async Task<string> ReportAsync(HttpClient client, (double Lon, double Lat) at, string category)
    {
        using var reported = await client.PostAsJsonAsync("/api/cases", new Dictionary<string, string>
        {
            ["categoryCode"] = category, ["description"] = "跨实例实时推送测试", ["crs"] = "wgs84",
            ["lon"] = at.Lon.ToString("R", CultureInfo.InvariantCulture), ["lat"] = at.Lat.ToString("R", CultureInfo.InvariantCulture),
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, reported.StatusCode);
        return (await reported.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("number").GetString()!;
    }

    /// <summary>A client of one server (or the proxy) signed in as <paramref name="userName"/> with a bearer token.</summary>
    private static async Task<HttpClient> StaffClientAsync(Uri address, string userName)
    {
        var client = KeyedReports.NewClient(address);
        client.Timeout = Timeout.InfiniteTimeSpan; // The stream stays open; each wait has its own limit.
        using var login = await client.PostAsJsonAsync("/api/auth/login", new { userName, password = CivicGridApp.DemoPassword }, Ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task WaitForAsync(Func<bool> done, List<Task> workers)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!done())
        {
            if (workers.FirstOrDefault(w => w.IsFaulted) is { } failed)
            {
                await failed; // Throws the client's failure.
            }

            Assert.True(DateTime.UtcNow < deadline, "The load did not reach its count in time.");
            await Task.Delay(5, Ct);
        }
    }
}
