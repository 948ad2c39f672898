using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// "Never lost, never doubled" across a crash: the real server as a child process takes keyed anonymous reports from
/// 48 concurrent clients (JSON and multipart), is killed with SIGKILL in the middle, started again on the same data,
/// and every key is sent again. Every case acknowledged before the kill must still be there under the number it was
/// given (the retry is replayed with it), and every key must be exactly one case, including the keys whose answer was
/// lost in the kill: their case was either committed with its key's answer (the retry replays it) or not at all (the
/// retry makes it).
/// </summary>
public abstract class CrashSafetyTests(ITestOutputHelper output)
{
    private const int Clients = 48;
    private const int AcknowledgedBeforeKill = 300;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Puts a copy of the seeded demo in place; returns the server's database settings for it.</summary>
    protected abstract Task<Dictionary<string, string>> PrepareAsync(string dataDirectory);

    protected abstract System.Data.Common.DbConnection Connect(string dataDirectory);

    protected abstract Task CleanUpAsync();

    [Fact]
    public async Task KilledUnderKeyedLoad_KeepsEveryAcknowledgedCase_AndEachKeyIsExactlyOneCase()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "civicgrid-crash-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDirectory);
        try
        {
            var environment = await PrepareAsync(dataDirectory);
            KeyedReports.AddSettings(environment, dataDirectory);
            var dll = Path.Combine(AppContext.BaseDirectory, "CivicGrid.Server.dll");

            var reports = new ConcurrentDictionary<string, KeyedReport>();
            string category;
            var inFlightAtKill = 0;
            await using (var first = await ServerProcess.StartAsync(dll, environment, TimeSpan.FromMinutes(5), Ct))
            {
                using var client = KeyedReports.NewClient(first.Address);
                (var places, category) = await KeyedReports.InputsAsync(client);
                var acknowledged = 0;
                var killing = 0;
                var workers = KeyedReports.StartLoad(client, reports, places, category, Clients, () => Volatile.Read(ref killing) == 1,
                    () => Interlocked.Increment(ref acknowledged));
                var deadline = DateTime.UtcNow.AddMinutes(3);
                while (Volatile.Read(ref acknowledged) < AcknowledgedBeforeKill && DateTime.UtcNow < deadline && workers.All(w => !w.IsCompleted))
                {
                    await Task.Delay(5, Ct);
                }

                Volatile.Write(ref killing, 1);
                inFlightAtKill = reports.Count - Volatile.Read(ref acknowledged);
                await first.KillAsync();
                await Task.WhenAll(workers);
                Assert.True(Volatile.Read(ref acknowledged) >= AcknowledgedBeforeKill, $"Only {acknowledged} reports were acknowledged before the deadline.\n{first.LogTail}");
            }

            var acknowledgedKeys = reports.Values.Where(r => r.Number is not null).ToDictionary(r => r.Key, r => r.Number!);
            var replayed = 0;
            var createdOnRetry = 0;
            await using (var second = await ServerProcess.StartAsync(dll, environment, TimeSpan.FromMinutes(5), Ct))
            {
                using var client = KeyedReports.NewClient(second.Address);
                await Parallel.ForEachAsync(reports.Values, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (report, ct) =>
                {
                    var (status, number, wasReplayed, body) = await KeyedReports.RetryAsync(client, report, category, ct);
                    Assert.True(status == HttpStatusCode.Created, $"Retry of {report.Key}: HTTP {(int)status} {body}");
                    if (acknowledgedKeys.TryGetValue(report.Key, out var firstNumber))
                    {
                        Assert.True(wasReplayed, $"The acknowledged case {firstNumber} was not replayed to its retry: {body}");
                        Assert.Equal(firstNumber, number);
                    }

                    Interlocked.Increment(ref wasReplayed ? ref replayed : ref createdOnRetry);
                    report.RetriedNumber = number;
                });
            }

            var (stored, doubled, missing) = KeyedReports.Check(reports.Values, await KeyedReports.ReadCasesAsync(Connect(dataDirectory)), acknowledgedKeys);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{GetType().Name}: {reports.Count} keys sent by {Clients} clients; {acknowledgedKeys.Count} acknowledged before the SIGKILL, {inFlightAtKill} in flight at it; after the restart every key sent again: {replayed} replayed (of them {replayed - acknowledgedKeys.Count} committed but unanswered at the kill), {createdOnRetry} made on the retry (never committed); stored cases of the test {stored}, doubled keys {doubled}, keys without a case {missing}."));
        }
        finally
        {
            await CleanUpAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}

public sealed class CrashSafetyTestsOnSqlite(SqliteTemplate template, ITestOutputHelper output) : CrashSafetyTests(output)
{
    protected override Task<Dictionary<string, string>> PrepareAsync(string dataDirectory)
    {
        template.CopyTo(dataDirectory);
        return Task.FromResult(new Dictionary<string, string> { ["Database__Provider"] = "Sqlite" });
    }

    protected override System.Data.Common.DbConnection Connect(string dataDirectory) =>
        new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "civicgrid.db")};Pooling=False");

    protected override Task CleanUpAsync() => Task.CompletedTask;
}

public sealed class CrashSafetyTestsOnPostgres(PostgresTemplate template, ITestOutputHelper output) : CrashSafetyTests(output)
{
    private readonly string _database = "civicgrid_crash_" + Guid.NewGuid().ToString("N")[..8];

    protected override async Task<Dictionary<string, string>> PrepareAsync(string dataDirectory)
    {
        template.CopyTo(dataDirectory);
        await template.CloneAsync(_database);
        return new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["Database__ConnectionString"] = template.Server.ConnectionString(_database),
        };
    }

    protected override System.Data.Common.DbConnection Connect(string dataDirectory) => new NpgsqlConnection(template.Server.ConnectionString(_database));

    protected override Task CleanUpAsync() => template.DropAsync(_database);
}
