using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Infrastructure;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CivicGrid.Bench;

/// <summary>
/// Patrol tracks on SQLite, on the real server started in this process (Production settings, the demo subdistrict seeded
/// into a fresh data directory, Kestrel on a loopback port): the machine's calibration; ingest by many phones at once —
/// one task per worker sending its batches in order — over HTTP (sign-in token, JSON, the endpoint, the track writer's
/// group commit) and, for comparison, straight into the handler; then a subdistrict's day of coverage
/// (<see cref="PatrolTracks.VisitsAsync"/>, every patrol open, as the coverage endpoint measures it), cold and warm.
/// </summary>
internal static class PatrolBench
{
    public const string Usage = "patrols [--workers N] [--hours H]   (default 300 workers × 8 h, a point every 5 s)";

    private const int OnlineBatch = 10;
    private const int BacklogBatch = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        var workers = Option(args, "--workers", 300);
        var hours = Option(args, "--hours", 8);
        var directory = Directory.CreateTempSubdirectory("civicgrid-patrol-bench-");
        Console.WriteLine($"patrols: SQLite, {workers} workers × {hours} h × a point every 5 s = {workers * hours * 720:N0} points; "
            + $".NET {Environment.Version}, {Environment.ProcessorCount} cores, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Calibration.Print(directory.FullName);
        WebApplication? app = null;
        try
        {
            app = await StartServerAsync(directory.FullName);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = new Uri(address),
                Timeout = TimeSpan.FromMinutes(5),
            };

            var walkers = new List<(Guid Id, string Token)>();
            foreach (var user in new[] { DemoAccounts.GridWorker, DemoAccounts.GridLeader, DemoAccounts.MicroGridWorker })
            {
                var login = await http.PostAsJsonAsync("/api/auth/login", new { userName = user, password = new DemoOptions().Password, useCookie = false });
                login.EnsureSuccessStatusCode();
                var body = await login.Content.ReadFromJsonAsync<JsonElement>();
                walkers.Add((body.GetProperty("user").GetProperty("id").GetGuid(), body.GetProperty("accessToken").GetString()!));
            }

            // Every worker's patrol started hours ago (so every point lies in the past), spread over the third-level grids.
            var start = DateTimeOffset.UtcNow.AddHours(-hours).AddMinutes(-5);
            var day = PatrolTracks.BeijingDay(start);
            var pointsPerWorker = hours * 720;
            List<Patrol> patrols;
            List<List<TrackPoint>> tracks;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
                var thirds = await db.Grids.AsNoTracking().Where(g => g.Level == GridLevel.Third && g.Kind == GridKind.Territorial)
                    .OrderBy(g => g.Code).ToListAsync();
                patrols = [.. Enumerable.Range(0, workers).Select(w =>
                    new Patrol(walkers[w % walkers.Count].Id, $"网格员{w}", thirds[w % thirds.Count].Code, start, day))];
                db.Patrols.AddRange(patrols);
                await db.SaveChangesAsync();
                tracks = [.. patrols.Select((p, w) => Walk(thirds[w % thirds.Count].Boundary.EnvelopeInternal, start, pointsPerWorker, new Random(w)))];
            }

            // The HTTP stack alone with as many callers, the way bench/load calibrates: what a request costs here before any work.
            var health = await IngestAsync(phones: [.. Enumerable.Range(0, workers).Select(_ => new Phone(Guid.Empty, walkers[0], []))], 0, 40, 1,
                async (_, _, _) => (await http.GetAsync("/health/live")).IsSuccessStatusCode, emptyBatches: true);
            Console.WriteLine($"calibration: GET /health/live, {workers} callers at once: {health.Requests / health.Seconds:N0} requests/s, p50 {health.P50:F1} ms, p99 {health.P99:F1} ms");
            // An authenticated read that does next to nothing: what the token, the session check and authorisation cost per request.
            var signedIn = await IngestAsync(phones: [.. Enumerable.Range(0, workers).Select(w => new Phone(Guid.Empty, walkers[w % walkers.Count], []))], 0, 40, 1,
                async (phone, _, _) =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/api/notifications/unread-count");
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", phone.Walker.Token);
                    using var response = await http.SendAsync(request);
                    return response.IsSuccessStatusCode;
                }, emptyBatches: true);
            Console.WriteLine($"calibration: GET /api/notifications/unread-count signed in, {workers} callers at once: {signedIn.Requests / signedIn.Seconds:N0} requests/s, "
                + $"p50 {signedIn.P50:F1} ms, p99 {signedIn.P99:F1} ms" + (signedIn.Refused > 0 ? $"; {signedIn.Refused} REFUSED" : string.Empty));

            await SessionCheckCostAsync(app, walkers[0].Id);

            var writer = app.Services.GetRequiredService<TrackWriter>();
            var time = app.Services.GetRequiredService<TimeProvider>();
            var phones = patrols.Select((p, w) => new Phone(p.Id, walkers[w % walkers.Count], tracks[w])).ToList();

            // Phones online send 10 points at a time, backlogs 100; each run sends a fresh stretch of every worker's track.
            var offset = 0;
            foreach (var (size, perWorker, viaHttp) in new[] { (OnlineBatch, 360, true), (OnlineBatch, 360, false), (BacklogBatch, 700, true), (BacklogBatch, 700, false) })
            {
                var from = offset;
                var run = await IngestAsync(phones, from, perWorker, size, viaHttp
                    ? (phone, batchId, points) => PostAsync(http, phone, batchId, points)
                    : (phone, batchId, points) => HandlerAsync(writer, time, phone, batchId, points));
                Console.WriteLine($"ingest, {workers} phones at once, batches of {size,3}, {(viaHttp ? "HTTP (Kestrel, token, JSON)  " : "in-process handler (no HTTP)")}: "
                    + $"{run.Points:N0} points in {run.Seconds:F2} s = {run.Points / run.Seconds,8:N0} points/s; per batch p50 {run.P50:F1} ms, p99 {run.P99:F1} ms"
                    + (run.Refused > 0 ? $"; {run.Refused} REFUSED" : string.Empty));
                offset += perWorker;
            }

            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
                var counted = await db.Patrols.AsNoTracking().Where(p => p.Day == day && p.WorkerName.StartsWith("网格员")).SumAsync(p => p.PointCount);
                var stored = await db.PatrolBatches.AsNoTracking().Where(b => patrols.Select(p => p.Id).Contains(b.PatrolId)).SumAsync(b => b.Count);
                Console.WriteLine($"check: {stored:N0} points stored, {counted:N0} counted on the patrols, {workers * offset:N0} sent"
                    + (stored == counted && counted == workers * offset ? " — all equal" : " — MISMATCH"));

                // The rest of the day straight into the table (not measured), so coverage reads a full day.
                foreach (var (patrol, track) in patrols.Zip(tracks))
                {
                    foreach (var chunk in track.Skip(offset).Chunk(500))
                    {
                        db.PatrolBatches.Add(new PatrolBatch
                        {
                            PatrolId = patrol.Id, BatchId = $"rest-{chunk[0].At.ToUnixTimeSeconds()}", GridCode = patrol.GridCode,
                            FirstAt = chunk[0].At, LastAt = chunk[^1].At, Count = chunk.Length, Points = TrackCodec.Encode(chunk), ReceivedAt = chunk[^1].At,
                        });
                    }
                }

                await db.SaveChangesAsync();
            }

            var geography = app.Services.GetRequiredService<GeographyIndex>();
            var rules = app.Services.GetRequiredService<IOptions<PatrolRules>>().Value;
            for (var round = 0; round <= 3; round++)
            {
                var watch = Stopwatch.StartNew();
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
                var visits = await PatrolTracks.VisitsAsync(db, geography, rules, day, day, CancellationToken.None);
                var walked = PatrolCoverage.AtLevel(visits.Select(v => v.GridCode), GridLevel.Micro).Count;
                Console.WriteLine($"coverage of the day, {(round == 0 ? "cold   " : $"warm {round} ")}: {workers * pointsPerWorker:N0} points of {workers} open patrols "
                    + $"in {watch.Elapsed.TotalSeconds:F2} s, {walked} micro-grids walked, {visits.Count:N0} grid visits");
            }

            return 0;
        }
        finally
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Environment.SetEnvironmentVariable(DataDirectory.EnvironmentVariable, null);
            directory.Delete(recursive: true);
        }
    }

    private sealed record Phone(Guid PatrolId, (Guid Id, string Token) Walker, List<TrackPoint> Track);

    private sealed record IngestRun(int Points, int Requests, double Seconds, double P50, double P99, int Refused);

    /// <summary>Every phone at once, each sending its stretch of track in order, one batch after the other.</summary>
    private static async Task<IngestRun> IngestAsync(List<Phone> phones, int from, int count, int size,
        Func<Phone, string, TrackPointRequest[], Task<bool>> send, bool emptyBatches = false)
    {
        var bodies = phones.Select(p => Enumerable.Range(0, count / size)
            .Select(b => emptyBatches ? [] : p.Track.Skip(from + (b * size)).Take(size).Select(t => new TrackPointRequest(t.At, t.Lon, t.Lat, t.AccuracyMeters, t.Steps)).ToArray())
            .ToList()).ToList();
        var latencies = new List<double>[phones.Count];
        var refused = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(phones.Select((phone, i) => Task.Run(async () =>
        {
            var mine = latencies[i] = new List<double>(bodies[i].Count);
            for (var b = 0; b < bodies[i].Count; b++)
            {
                var sent = Stopwatch.GetTimestamp();
                if (!await send(phone, $"b{size}-{from + (b * size)}", bodies[i][b]))
                {
                    Interlocked.Increment(ref refused);
                }

                mine.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }
        })));
        var seconds = watch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new IngestRun(bodies.Sum(b => b.Sum(x => x.Length)), all.Count, seconds, all[all.Count / 2], all[(int)(all.Count * 0.99)], refused);
    }

    private static async Task<bool> PostAsync(HttpClient http, Phone phone, string batchId, TrackPointRequest[] points)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/patrols/{phone.PatrolId}/points")
        {
            Content = JsonContent.Create(new TrackBatchRequest(batchId, points), options: JsonOptions),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", phone.Walker.Token);
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode;
    }

    private static async Task<bool> HandlerAsync(TrackWriter writer, TimeProvider time, Phone phone, string batchId, TrackPointRequest[] points)
    {
        var caller = new ClaimsPrincipal(new ClaimsIdentity([new Claim(CivicGridClaims.UserId, phone.Walker.Id.ToString())], "bench"));
        var result = await PatrolsApi.AppendPoints(phone.PatrolId, new TrackBatchRequest(batchId, points), caller, writer, time, CancellationToken.None);
        return result.Result is Microsoft.AspNetCore.Http.HttpResults.Ok<TrackBatchResponse>;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// What the per-request session check costs by itself, one caller, in-process: a fresh request scope and
    /// <see cref="SessionValidator.IsAliveAsync"/> for a signed-in walker, as every authenticated request pays it.
    /// </summary>
    private static async Task SessionCheckCostAsync(WebApplication app, Guid userId)
    {
        Guid sessionId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            sessionId = await db.Sessions.IgnoreQueryFilters().Where(s => s.UserId == userId).OrderByDescending(s => s.CreatedAt).Select(s => s.Id).FirstAsync();
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(CivicGridClaims.UserId, userId.ToString()), new Claim(CivicGridClaims.SessionId, sessionId.ToString())], "bench"));
        const int calls = 4_000;
        for (var round = 0; round < 2; round++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < calls; i++)
            {
                await using var scope = app.Services.CreateAsyncScope();
                if (!await scope.ServiceProvider.GetRequiredService<SessionValidator>().IsAliveAsync(principal, CancellationToken.None))
                {
                    throw new InvalidOperationException("The walker's session is not alive.");
                }
            }

            if (round == 1)
            {
                Console.WriteLine($"session check alone (request scope + SessionValidator), one caller: {watch.Elapsed.TotalMicroseconds / calls:N0} µs per request");
            }
        }
    }

    /// <summary>
    /// The server as <c>dotnet run</c> starts it, with the demo seeded into a fresh data directory: in Development, the only
    /// environment that loads the demo, but without Development's service-provider checks, so it runs as Production does.
    /// </summary>
    private static async Task<WebApplication> StartServerAsync(string directory)
    {
        Environment.SetEnvironmentVariable(DataDirectory.EnvironmentVariable, directory);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development, ContentRootPath = AppContext.BaseDirectory });
        builder.Host.UseDefaultServiceProvider(o =>
        {
            o.ValidateScopes = false;
            o.ValidateOnBuild = false;
        });
        builder.Configuration["Demo:Enabled"] = "true";
        builder.Configuration["Jobs:Enabled"] = "false";
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddCivicGrid();
        var app = builder.Build();
        app.MapCivicGrid();
        var watch = Stopwatch.StartNew();
        await app.StartAsync();
        await app.Services.GetRequiredService<GeographyIndex>().GetAsync(CancellationToken.None);
        Console.WriteLine($"server started with the demo seeded in {watch.Elapsed.TotalSeconds:F1} s");
        return app;
    }

    /// <summary>A walk at 1.2 m/s inside a grid's box, turning at its edges, a point every 5 s with a few metres of noise.</summary>
    private static List<TrackPoint> Walk(NetTopologySuite.Geometries.Envelope box, DateTimeOffset start, int count, Random random)
    {
        const double metersPerDegree = 111_195;
        var lon = box.Centre.X;
        var lat = box.Centre.Y;
        var heading = random.NextDouble() * 2 * Math.PI;
        var points = new List<TrackPoint>(count);
        for (var i = 0; i < count; i++)
        {
            if (random.NextDouble() < 0.02)
            {
                heading += Math.PI / 2 * (random.Next(2) * 2 - 1);
            }

            var nextLon = lon + (Math.Cos(heading) * 6 / (metersPerDegree * Math.Cos(lat * Math.PI / 180)));
            var nextLat = lat + (Math.Sin(heading) * 6 / metersPerDegree);
            if (!box.Contains(nextLon, nextLat))
            {
                heading += Math.PI;
                continue;
            }

            (lon, lat) = (nextLon, nextLat);
            points.Add(new TrackPoint(start.AddSeconds(i * 5), lon + ((random.NextDouble() - 0.5) * 3e-5), lat + ((random.NextDouble() - 0.5) * 3e-5), 5 + (random.NextDouble() * 10)));
        }

        while (points.Count < count)
        {
            points.Add(points[^1] with { At = start.AddSeconds(points.Count * 5) });
        }

        return points;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}

/// <summary>
/// How fast this machine is right now, printed with each run so figures from different VMs (or a busy moment) can be
/// compared: a fixed CPU loop (SHA-256 over 64 MiB) and a durable write (4 KiB written and fsync'd, 200 times).
/// </summary>
internal static class Calibration
{
    public static void Print(string directory) => Console.WriteLine(Measure(directory));

    /// <summary>The calibration line: a fixed CPU loop, the cost of one durable 4 KiB write, and the load average.</summary>
    public static string Measure(string directory)
    {
        var buffer = new byte[1 << 20];
        Random.Shared.NextBytes(buffer);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 64; i++)
        {
            SHA256.HashData(buffer);
        }

        var cpu = watch.Elapsed.TotalMilliseconds;
        var path = Path.Combine(directory, "fsync.bin");
        var page = new byte[4096];
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            watch.Restart();
            for (var i = 0; i < 200; i++)
            {
                file.Write(page);
                file.Flush(flushToDisk: true);
            }
        }

        var fsync = watch.Elapsed.TotalMilliseconds / 200;
        File.Delete(path);
        return $"calibration: CPU loop (SHA-256 of 64 MiB) {cpu:F0} ms; write 4 KiB + fsync {fsync:F2} ms each; load average {LoadAverage()}";
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
