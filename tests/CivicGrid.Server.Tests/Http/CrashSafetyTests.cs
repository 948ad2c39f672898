using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
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
    private const string Marker = "断电测试";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Puts a copy of the seeded demo in place; returns the server's settings for it.</summary>
    protected abstract Task<Dictionary<string, string>> PrepareAsync(string dataDirectory);

    /// <summary>Every stored case of this test: its description (which names its key) and its number.</summary>
    protected abstract Task<List<(string Description, string Number)>> ReadCasesAsync(string dataDirectory);

    protected abstract Task CleanUpAsync();

    [Fact]
    public async Task KilledUnderKeyedLoad_KeepsEveryAcknowledgedCase_AndEachKeyIsExactlyOneCase()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "civicgrid-crash-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDirectory);
        try
        {
            var environment = await PrepareAsync(dataDirectory);
            environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            environment["CIVICGRID_DATA_DIR"] = dataDirectory;
            environment["Auth__SecondFactor"] = "optional";
            environment["Cases__CreatesPerMinute"] = "100000000";
            // A first attempt cut off by the kill leaves its key in progress; after this long a retry takes it over.
            environment["Idempotency__InProgressTimeout"] = "00:00:05";
            var dll = Path.Combine(AppContext.BaseDirectory, "CivicGrid.Server.dll");

            var attempts = new ConcurrentDictionary<string, Attempt>();
            List<(double Lon, double Lat)> places;
            string category;
            var inFlightAtKill = 0;
            await using (var first = await ServerProcess.StartAsync(dll, environment, TimeSpan.FromMinutes(5), Ct))
            {
                using var client = NewClient(first.Address);
                (places, category) = await InputsAsync(client);
                var acknowledged = 0;
                var inFlight = 0;
                var killing = 0;
                using var stop = new CancellationTokenSource();
                var workers = Enumerable.Range(0, Clients).Select(worker => Task.Run(async () =>
                {
                    for (var i = 0; !stop.IsCancellationRequested && Volatile.Read(ref killing) == 0; i++)
                    {
                        var key = Guid.NewGuid().ToString("D");
                        var place = places[(worker * 7919 + i) % places.Count];
                        var attempt = new Attempt(key, place.Lon, place.Lat, Multipart: (worker + i) % 2 == 1);
                        attempts[key] = attempt;
                        Interlocked.Increment(ref inFlight);
                        try
                        {
                            using var response = await SendAsync(client, attempt, category, CancellationToken.None);
                            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                            Assert.True(response.StatusCode == HttpStatusCode.Created, $"Before the kill: HTTP {(int)response.StatusCode} {body}");
                            attempt.Number = JsonDocument.Parse(body).RootElement.GetProperty("number").GetString();
                            Interlocked.Increment(ref acknowledged);
                        }
                        catch (HttpRequestException)
                        {
                            // Cut off by the kill: the answer is lost, the retry must find out what happened.
                        }
                        catch (TaskCanceledException)
                        {
                            // Timed out around the kill: the same.
                        }
                        finally
                        {
                            Interlocked.Decrement(ref inFlight);
                        }
                    }
                }, CancellationToken.None)).ToList();

                var deadline = DateTime.UtcNow.AddMinutes(3);
                while (Volatile.Read(ref acknowledged) < AcknowledgedBeforeKill && DateTime.UtcNow < deadline && workers.All(w => !w.IsCompleted))
                {
                    await Task.Delay(5, Ct);
                }

                Volatile.Write(ref killing, 1);
                inFlightAtKill = Volatile.Read(ref inFlight);
                await first.KillAsync();
                await stop.CancelAsync();
                await Task.WhenAll(workers);
                Assert.True(Volatile.Read(ref acknowledged) >= AcknowledgedBeforeKill, $"Only {acknowledged} reports were acknowledged before the deadline.\n{first.LogTail}");
            }

            var acknowledgedKeys = attempts.Values.Where(a => a.Number is not null).ToDictionary(a => a.Key, a => a.Number!);
            var replayed = 0;
            var createdOnRetry = 0;
            await using (var second = await ServerProcess.StartAsync(dll, environment, TimeSpan.FromMinutes(5), Ct))
            {
                using var client = NewClient(second.Address);
                await Parallel.ForEachAsync(attempts.Values, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (attempt, ct) =>
                {
                    var (status, number, wasReplayed, body) = await RetryAsync(client, attempt, category, ct);
                    Assert.True(status == HttpStatusCode.Created, $"Retry of {attempt.Key}: HTTP {(int)status} {body}");
                    if (acknowledgedKeys.TryGetValue(attempt.Key, out var first))
                    {
                        Assert.True(wasReplayed, $"The acknowledged case {first} was not replayed to its retry: {body}");
                        Assert.Equal(first, number);
                    }

                    Interlocked.Increment(ref wasReplayed ? ref replayed : ref createdOnRetry);
                    attempt.RetriedNumber = number;
                });
            }

            var stored = (await ReadCasesAsync(dataDirectory)).GroupBy(c => c.Description).ToDictionary(g => g.Key, g => g.Select(c => c.Number).ToList());
            var doubled = attempts.Values.Where(a => stored.GetValueOrDefault(DescriptionOf(a.Key))?.Count > 1).Select(a => a.Key).ToList();
            var missing = attempts.Values.Where(a => !stored.ContainsKey(DescriptionOf(a.Key))).Select(a => a.Key).ToList();
            var cutOff = attempts.Count - acknowledgedKeys.Count;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{GetType().Name}: {attempts.Count} keys sent by {Clients} clients; {acknowledgedKeys.Count} acknowledged before the SIGKILL, {inFlightAtKill} in flight at it, {cutOff} without an answer; after the restart every key sent again: {replayed} replayed (of them {replayed - acknowledgedKeys.Count} committed but unanswered at the kill), {createdOnRetry} made on the retry (never committed); stored cases of the test {stored.Values.Sum(v => v.Count)}, doubled keys {doubled.Count}, keys without a case {missing.Count}."));

            Assert.Empty(doubled);
            Assert.Empty(missing);
            Assert.Equal(attempts.Count, stored.Count);
            foreach (var (key, number) in acknowledgedKeys)
            {
                Assert.Equal([number], stored[DescriptionOf(key)]);
            }

            Assert.All(attempts.Values, a => Assert.Equal([a.RetriedNumber!], stored[DescriptionOf(a.Key)]));
        }
        finally
        {
            await CleanUpAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private sealed record Attempt(string Key, double Lon, double Lat, bool Multipart)
    {
        public string? Number { get; set; }

        public string? RetriedNumber { get; set; }
    }

    private static string DescriptionOf(string key) => $"{Marker} {key}";

    private static HttpClient NewClient(Uri address) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = address, Timeout = TimeSpan.FromSeconds(30),
        };

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Attempt attempt, string category, CancellationToken ct)
    {
        var fields = new Dictionary<string, string>
        {
            ["categoryCode"] = category,
            ["description"] = DescriptionOf(attempt.Key),
            ["lon"] = attempt.Lon.ToString("R", CultureInfo.InvariantCulture),
            ["lat"] = attempt.Lat.ToString("R", CultureInfo.InvariantCulture),
            ["crs"] = "wgs84",
        };
        HttpContent content = attempt.Multipart ? Multipart(fields) : JsonContent.Create(fields);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = content };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", attempt.Key);
        return await client.SendAsync(request, ct);
    }

    private static MultipartFormDataContent Multipart(Dictionary<string, string> fields)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        return content;
    }

    /// <summary>Sends the key again until it is no longer in progress (a key cut off by the kill waits for its timeout).</summary>
    private static async Task<(HttpStatusCode Status, string? Number, bool Replayed, string Body)> RetryAsync(HttpClient client, Attempt attempt, string category,
        CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await SendAsync(client, attempt, category, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == HttpStatusCode.Conflict && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500, ct);
                continue;
            }

            var number = response.StatusCode == HttpStatusCode.Created ? JsonDocument.Parse(body).RootElement.GetProperty("number").GetString() : null;
            return (response.StatusCode, number, response.Headers.Contains("Idempotent-Replayed"), body);
        }
    }

    /// <summary>An interior point of every territorial micro-grid (the demo's are convex) and a category that needs no photo.</summary>
    private static async Task<(List<(double Lon, double Lat)> Places, string Category)> InputsAsync(HttpClient client)
    {
        using var login = await client.PostAsJsonAsync("/api/auth/login", new { userName = "admin", password = CivicGridApp.DemoPassword }, Ct);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/geo/grids?level=micro");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var grids = await client.SendAsync(request, Ct);
        var collection = await grids.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var places = collection.GetProperty("features").EnumerateArray()
            .Where(f => f.GetProperty("properties").GetProperty("kind").GetString() == "territorial")
            .Select(f =>
            {
                var ring = f.GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray().SkipLast(1).ToList();
                return (ring.Average(p => p[0].GetDouble()), ring.Average(p => p[1].GetDouble()));
            }).ToList();
        var categories = await client.GetFromJsonAsync<JsonElement>("/api/categories", Ct);
        var category = categories.EnumerateArray()
            .First(c => c.GetProperty("isActive").GetBoolean() && !c.GetProperty("photoRequired").GetBoolean()).GetProperty("code").GetString()!;
        Assert.NotEmpty(places);
        return (places, category);
    }

    protected static async Task<List<(string Description, string Number)>> ReadAsync(System.Data.Common.DbConnection connection)
    {
        await using (connection)
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = $"""SELECT "Description", "Number" FROM cases WHERE "Description" LIKE '{Marker} %'""";
            await using var reader = await command.ExecuteReaderAsync(Ct);
            var rows = new List<(string, string)>();
            while (await reader.ReadAsync(Ct))
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }

            return rows;
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

    protected override Task<List<(string Description, string Number)>> ReadCasesAsync(string dataDirectory) =>
        ReadAsync(new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "civicgrid.db")};Pooling=False"));

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

    protected override Task<List<(string Description, string Number)>> ReadCasesAsync(string dataDirectory) =>
        ReadAsync(new NpgsqlConnection(template.Server.ConnectionString(_database)));

    protected override Task CleanUpAsync() => template.DropAsync(_database);
}
