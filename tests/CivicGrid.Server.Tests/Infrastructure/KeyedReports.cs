using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CivicGrid.Server.Tests.Infrastructure;

/// <summary>One keyed anonymous report of a load run: what was sent and what came back.</summary>
public sealed record KeyedReport(string Key, double Lon, double Lat, bool Multipart)
{
    /// <summary>The number in the first answer, when one came back before the server went away.</summary>
    public string? Number { get; set; }

    /// <summary>The number the last retry was answered with.</summary>
    public string? RetriedNumber { get; set; }
}

/// <summary>
/// Keyed anonymous reports against a real server process (see <c>ServerProcess</c>), for the tests that kill servers
/// under load: the inputs (micro-grid points, a category without a photo), the load itself, retries of a key until it
/// is no longer in progress, and reading back the cases each key made.
/// </summary>
public static class KeyedReports
{
    public const string Marker = "断电测试";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string DescriptionOf(string key) => $"{Marker} {key}";

    public static HttpClient NewClient(Uri address) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = address, Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>The settings every server of these tests runs with, besides its database.</summary>
    public static void AddSettings(Dictionary<string, string> environment, string dataDirectory)
    {
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["CIVICGRID_DATA_DIR"] = dataDirectory;
        environment["Auth__SecondFactor"] = "optional";
        environment["Cases__CreatesPerMinute"] = "100000000";
        // A first attempt cut off by a kill leaves its key in progress; after this long a retry takes it over.
        environment["Idempotency__InProgressTimeout"] = "00:00:05";
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, KeyedReport report, string category, CancellationToken ct)
    {
        var fields = new Dictionary<string, string>
        {
            ["categoryCode"] = category,
            ["description"] = DescriptionOf(report.Key),
            ["lon"] = report.Lon.ToString("R", CultureInfo.InvariantCulture),
            ["lat"] = report.Lat.ToString("R", CultureInfo.InvariantCulture),
            ["crs"] = "wgs84",
        };
        HttpContent content = report.Multipart ? Multipart(fields) : JsonContent.Create(fields);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = content };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", report.Key);
        return await client.SendAsync(request, ct);
    }

    /// <summary>
    /// Sends the key again until it is answered with anything but 409 (a key cut off by a kill waits for its in-progress
    /// timeout) or, when <paramref name="untilAnswered"/>, anything but a gateway error or a failed connection (a proxy
    /// whose server just died).
    /// </summary>
    public static async Task<(HttpStatusCode Status, string? Number, bool Replayed, string Body)> RetryAsync(HttpClient client, KeyedReport report, string category,
        CancellationToken ct, bool untilAnswered = false)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            HttpResponseMessage response;
            try
            {
                response = await SendAsync(client, report, category, ct);
            }
            catch (HttpRequestException) when (untilAnswered && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, ct);
                continue;
            }

            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                var again = response.StatusCode == HttpStatusCode.Conflict
                    || (untilAnswered && (int)response.StatusCode is 502 or 503 or 504);
                if (again && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(500, ct);
                    continue;
                }

                var number = response.StatusCode == HttpStatusCode.Created ? JsonDocument.Parse(body).RootElement.GetProperty("number").GetString() : null;
                return (response.StatusCode, number, response.Headers.Contains("Idempotent-Replayed"), body);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="clients"/> loops of fresh keyed reports until <paramref name="stop"/> says so; a report whose
    /// answer is lost (a failed connection, or a gateway error when <paramref name="retryLost"/>) is either left for the
    /// caller to retry later or, with <paramref name="retryLost"/>, retried at once by its loop until answered.
    /// </summary>
    public static List<Task> StartLoad(HttpClient client, ConcurrentDictionary<string, KeyedReport> reports, IReadOnlyList<(double Lon, double Lat)> places, string category,
        int clients, Func<bool> stop, Action acknowledged, bool retryLost = false, Action? retried = null) =>
        [.. Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop(); i++)
            {
                var key = Guid.NewGuid().ToString("D");
                var place = places[(worker * 7919 + i) % places.Count];
                var report = new KeyedReport(key, place.Lon, place.Lat, Multipart: (worker + i) % 2 == 1);
                reports[key] = report;
                try
                {
                    using var response = await SendAsync(client, report, category, CancellationToken.None);
                    var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                    if (retryLost && (int)response.StatusCode is 502 or 503 or 504)
                    {
                        throw new HttpRequestException($"HTTP {(int)response.StatusCode} from the proxy");
                    }

                    Assert.True(response.StatusCode == HttpStatusCode.Created, $"HTTP {(int)response.StatusCode} {body}");
                    report.Number = JsonDocument.Parse(body).RootElement.GetProperty("number").GetString();
                    acknowledged();
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // The answer is lost with its server.
                    if (retryLost)
                    {
                        retried?.Invoke();
                        var (status, number, _, body) = await RetryAsync(client, report, category, CancellationToken.None, untilAnswered: true);
                        Assert.True(status == HttpStatusCode.Created, $"Retry of {key}: HTTP {(int)status} {body}");
                        report.Number = number;
                        acknowledged();
                    }
                }
            }
        }, CancellationToken.None))];

    /// <summary>An interior point of every territorial micro-grid (the demo's are convex) and a category that needs no photo.</summary>
    public static async Task<(List<(double Lon, double Lat)> Places, string Category)> InputsAsync(HttpClient client)
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

    /// <summary>Every stored case of these tests: its description (which names its key) and its number.</summary>
    public static async Task<List<(string Description, string Number)>> ReadCasesAsync(System.Data.Common.DbConnection connection)
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

    /// <summary>Checks that every key is exactly one stored case, with the number it was last answered with (and first, when acknowledged).</summary>
    public static (int Stored, int Doubled, int Missing) Check(ICollection<KeyedReport> reports, List<(string Description, string Number)> rows,
        IReadOnlyDictionary<string, string> acknowledged)
    {
        var stored = rows.GroupBy(c => c.Description).ToDictionary(g => g.Key, g => g.Select(c => c.Number).ToList());
        var doubled = reports.Count(r => stored.GetValueOrDefault(DescriptionOf(r.Key))?.Count > 1);
        var missing = reports.Count(r => !stored.ContainsKey(DescriptionOf(r.Key)));
        Assert.Equal(0, doubled);
        Assert.Equal(0, missing);
        Assert.Equal(reports.Count, stored.Count);
        foreach (var (key, number) in acknowledged)
        {
            Assert.Equal([number], stored[DescriptionOf(key)]);
        }

        Assert.All(reports, r => Assert.Equal([r.RetriedNumber ?? r.Number!], stored[DescriptionOf(r.Key)]));
        return (rows.Count, doubled, missing);
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
}
