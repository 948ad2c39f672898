using System.Collections.Concurrent;
using System.Globalization;
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
/// </summary>
public sealed class TwoInstanceTests(PostgresTemplate template, ITestOutputHelper output)
{
    private const int Clients = 32;
    private const int AcknowledgedBeforeKill = 300;
    private const int AcknowledgedAfterKill = 300;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OneOfTwoInstancesKilledUnderLoad_ThroughNginx_LosesAndDoublesNothing()
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
