using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Features.Assessment;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure;
using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CivicGrid.Bench;

/// <summary>
/// The issue's speed target for five stars: a quarter of a generated district (<see cref="DistrictDataset"/>) computed for every
/// grid of each level, on SQLite or on a throw-away PostgreSQL, with the server's own services (the calculator and every
/// registered indicator source, resolved from its DI as the results endpoint does, in the system's scope), then one grid's
/// scorecard and one indicator's evidence over real HTTP, signed in as a generated grid worker.
/// </summary>
internal static class AssessmentBench
{
    public const string Usage = "assessment [--provider sqlite|postgres] [--scale 1.0] [--quarter 2026-Q3]   (scale 1 = 3,000 grids, 1 M cases, 5 M points)";

    private static readonly GridLevel[] Levels = [GridLevel.Second, GridLevel.Third, GridLevel.Micro];

    public static async Task<int> RunAsync(string[] args)
    {
        var provider = Option(args, "--provider", "sqlite") switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" => DatabaseProvider.Postgres,
            var other => throw new ArgumentException($"Unknown provider '{other}': sqlite or postgres."),
        };
        var scale = double.Parse(Option(args, "--scale", "1.0"), CultureInfo.InvariantCulture);
        if (!AssessmentPeriod.TryParse(Option(args, "--quarter", "2026-Q3"), out var quarter) || quarter.Kind != PeriodKind.Quarter)
        {
            throw new ArgumentException("--quarter takes a quarter such as 2026-Q3.");
        }

        var size = new DistrictSize(scale);
        var directory = Directory.CreateTempSubdirectory("civicgrid-assessment-bench-");
        Console.WriteLine($"assessment: {provider}, scale {scale} ({size.Subdistricts} subdistricts, {size.Communities} communities, {size.Workers:N0} workers, "
            + $"{size.Cases:N0} cases, {size.TrackPoints:N0} track points, {size.Visits:N0} door-knocks), quarter {quarter}; "
            + $".NET {Environment.Version}, {Environment.ProcessorCount} cores, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Calibration.Print(directory.FullName);
        PostgresServer? postgres = null;
        WebApplication? app = null;
        try
        {
            string? connection = null;
            if (provider == DatabaseProvider.Postgres)
            {
                postgres = new PostgresServer();
                await postgres.InitializeAsync();
                await postgres.CreateDatabaseAsync("assessment_bench");
                connection = postgres.ConnectionString("assessment_bench");
                Console.WriteLine($"PostgreSQL: {postgres.Version} (throw-away cluster, fsync off)");
            }

            app = Build(directory.FullName, provider, connection);
            var facts = await GenerateAsync(app, directory.FullName, size, quarter);

            var watch = Stopwatch.StartNew();
            await app.StartAsync();
            await app.Services.GetRequiredService<GeographyIndex>().GetAsync(CancellationToken.None);
            Console.WriteLine($"server started on the generated district in {watch.Elapsed.TotalSeconds:F1} s");

            await ComputeAsync(app, quarter);
            await OneGridAsync(app, quarter, facts.SampleThirdGrid);
            await ScorecardAsync(app, quarter, facts);
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
            Npgsql.NpgsqlConnection.ClearAllPools();
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }

            Environment.SetEnvironmentVariable(DataDirectory.EnvironmentVariable, null);
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The schema, the standard catalogue and the district, written before the server starts, as a restore would leave them.</summary>
    private static async Task<DistrictFacts> GenerateAsync(WebApplication app, string directory, DistrictSize size, AssessmentPeriod quarter)
    {
        List<string> categories;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            await DatabaseInitializer.MigrateAsync(db, NullLogger.Instance, CancellationToken.None);
            await DatabaseInitializer.SeedCatalogueAsync(db, NullLogger.Instance, CancellationToken.None);
            categories = await db.CaseCategories.AsNoTracking().Select(c => c.Code).OrderBy(c => c).ToListAsync();
        }

        var hash = app.Services.GetRequiredService<IPasswordHasher<UserAccount>>().HashPassword(null!, new DemoOptions().Password);
        var facts = await new DistrictDataset(app.Services, size, quarter).WriteAsync(hash, categories, CancellationToken.None);

        // The planner's statistics, as autovacuum (PostgreSQL) or the server's optimize (SQLite) would have them on a live database.
        var watch = Stopwatch.StartNew();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            await db.Database.ExecuteSqlRawAsync(db.Database.IsNpgsql() ? "VACUUM ANALYZE" : "ANALYZE");
        }

        Console.WriteLine($"statistics (ANALYZE) in {watch.Elapsed.TotalSeconds:F1} s; database {DatabaseSize(app, directory):N0} MB");
        return facts;
    }

    /// <summary>
    /// Each level's whole-district computation (the system's scope, as the scheduled job runs it), twice: the first run reads a
    /// cold cache. Then each registered source alone for the third-level grids, to show where the time goes.
    /// </summary>
    private static async Task ComputeAsync(WebApplication app, AssessmentPeriod quarter)
    {
        var now = DateTimeOffset.UtcNow;
        var allocated = GC.GetTotalAllocatedBytes();
        // Runs 1 and 2: each level in a scope of its own, as three requests would (run 1 on a cold cache); run 3: the three
        // levels in one scope, as a job computing the quarter does.
        for (var round = 1; round <= 3; round++)
        {
            var total = Stopwatch.StartNew();
            var shared = round == 3 ? app.Services.CreateAsyncScope() : (AsyncServiceScope?)null;
            foreach (var level in Levels)
            {
                var watch = Stopwatch.StartNew();
                var scope = shared ?? app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
                var calculator = scope.ServiceProvider.GetRequiredService<AssessmentCalculator>();
                var assessed = await calculator.ScopeAsync(db, quarter, SubjectKind.Grid, level, now, CancellationToken.None);
                var results = await calculator.ComputeAsync(db, assessed, CancellationToken.None);
                var evidence = results.Sum(r => r.Computed.Values.Sum(c => c.Evidence.Count));
                Console.WriteLine($"compute {quarter} {level.ToApiName(),-6} run {round}: {results.Count,5:N0} grids in {watch.Elapsed.TotalSeconds,6:F2} s; "
                    + $"{results.Count(r => r.Stars is not null):N0} rated, mean score {(results.Count == 0 ? 0 : results.Average(r => r.Card.Score)):F1}, "
                    + $"{evidence:N0} evidence records; missing: {string.Join(',', results.SelectMany(r => r.Missing).Distinct().Take(4))}…");
                if (shared is null)
                {
                    await scope.DisposeAsync();
                }
            }

            if (shared is { } done)
            {
                await done.DisposeAsync();
            }

            Console.WriteLine($"compute {quarter} all levels run {round} ({(round == 3 ? "one scope, as a job" : "a scope per level, as requests")}): {total.Elapsed.TotalSeconds:F2} s");
        }

        // The district's grid workers (their own figures: patrol days, door-knocks, training, their grid's cases), twice.
        for (var round = 1; round <= 2; round++)
        {
            var watch = Stopwatch.StartNew();
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            var calculator = scope.ServiceProvider.GetRequiredService<AssessmentCalculator>();
            var assessed = await calculator.ScopeAsync(db, quarter, SubjectKind.Worker, null, now, CancellationToken.None);
            var results = await calculator.ComputeAsync(db, assessed, CancellationToken.None);
            Console.WriteLine($"compute {quarter} workers run {round}: {results.Count,6:N0} workers in {watch.Elapsed.TotalSeconds,6:F2} s; "
                + $"{results.Count(r => r.Stars is not null):N0} rated, mean score {(results.Count == 0 ? 0 : results.Average(r => r.Card.Score)):F1}, "
                + $"{results.Sum(r => r.Computed.Values.Sum(c => c.Evidence.Count)):N0} evidence records");
        }

        using var process = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        Console.WriteLine($"memory: peak working set {process.PeakWorkingSet64 / (1 << 20):N0} MB, GC heap now {GC.GetTotalMemory(false) / (1 << 20):N0} MB, "
            + $"largest heap seen {gc.HeapSizeBytes / (1 << 20):N0} MB, allocated during the computations {(GC.GetTotalAllocatedBytes() - allocated) / (1 << 20):N0} MB");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            var calculator = scope.ServiceProvider.GetRequiredService<AssessmentCalculator>();
            var assessed = await calculator.ScopeAsync(db, quarter, SubjectKind.Grid, GridLevel.Third, now, CancellationToken.None);
            var read = Stopwatch.StartNew();
            var facts = await CaseFactsReader.ReadAsync(db, assessed.Calendar, scope.ServiceProvider.GetRequiredService<IOptions<AssessmentOptions>>().Value,
                assessed.Start, assessed.End, CancellationToken.None);
            var reading = read.Elapsed;
            read.Restart();
            var byGrid = facts.ToLookup(f => f.GridCode[..GridCodes.ThirdLength], f => f.Facts);
            var indicators = assessed.Subjects.Sum(s => CaseIndicators.Compute([.. byGrid[s.Code]], assessed.Start, assessed.End, now).Count);
            Console.WriteLine($"  case facts of the district read in {reading.TotalSeconds:F2} s ({facts.Count:N0} cases), indicators computed from them in "
                + $"{read.Elapsed.TotalSeconds:F2} s ({indicators:N0})");
            foreach (var source in scope.ServiceProvider.GetServices<IIndicatorSource>())
            {
                var watch = Stopwatch.StartNew();
                var computed = await source.ComputeAsync(db, assessed, CancellationToken.None);
                Console.WriteLine($"  source {source.GetType().Name,-28} grid-3: {watch.Elapsed.TotalSeconds,6:F2} s, {source.Codes.Count} indicators for {computed.Count:N0} grids");
            }
        }
    }

    /// <summary>
    /// One third-level grid's scorecard as the results endpoint narrows it (the system's scope, no HTTP), part by part: the scope
    /// with its people, then each source, each round in a DI scope of its own (as a request); p50 over 20 rounds after 3 warm-ups.
    /// </summary>
    private static async Task OneGridAsync(WebApplication app, AssessmentPeriod quarter, string grid)
    {
        var now = DateTimeOffset.UtcNow;
        var parts = new Dictionary<string, List<double>>();
        void Add(string part, TimeSpan elapsed) => (parts.TryGetValue(part, out var list) ? list : parts[part] = []).Add(elapsed.TotalMilliseconds);
        for (var round = 0; round < 23; round++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            var calculator = scope.ServiceProvider.GetRequiredService<AssessmentCalculator>();
            var watch = Stopwatch.StartNew();
            var assessed = await calculator.ScopeAsync(db, quarter, SubjectKind.Grid, GridLevel.Third, now, CancellationToken.None, grid);
            var times = new List<(string, TimeSpan)> { ("scope and people", watch.Elapsed) };
            foreach (var source in scope.ServiceProvider.GetServices<IIndicatorSource>())
            {
                watch.Restart();
                await source.ComputeAsync(db, assessed, CancellationToken.None);
                times.Add((source.GetType().Name.Replace("IndicatorSource", string.Empty, StringComparison.Ordinal).Replace("Source", string.Empty, StringComparison.Ordinal), watch.Elapsed));
            }

            if (round >= 3)
            {
                times.ForEach(t => Add(t.Item1, t.Item2));
            }
        }

        Console.WriteLine($"one grid-3 alone ({grid}), p50 per part: "
            + string.Join(", ", parts.Select(p => $"{p.Key} {p.Value.Order().ElementAt(p.Value.Count / 2):F1} ms")));
    }

    /// <summary>A grid worker's scorecard page: their grid's result, their own and one indicator's evidence, then their leader's micro-grids; 50 calls each.</summary>
    private static async Task ScorecardAsync(WebApplication app, AssessmentPeriod quarter, DistrictFacts facts)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
        foreach (var (userName, label, path, calls) in new[]
        {
            (facts.SampleWorkerUserName, "grid worker, own grid-3 result", $"/api/assessment/results?period={quarter}&level=grid-3", 50),
            (facts.SampleWorkerUserName, "grid worker, own result as a worker", $"/api/assessment/results?period={quarter}&subject=worker", 50),
            (facts.SampleWorkerUserName, "grid worker, on-time-handling evidence", $"/api/assessment/results/{facts.SampleThirdGrid}/indicators/on-time-handling/evidence?period={quarter}", 50),
            ($"gl{facts.SampleThirdGrid}", "grid leader, their 3 micro-grids ranked", $"/api/assessment/results?period={quarter}&level=micro", 50),
        })
        {
            var token = await SignInAsync(http, userName);
            var latencies = new List<double>();
            var size = 0L;
            for (var i = 0; i < calls + 3; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsByteArrayAsync();
                var elapsed = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"GET {path} as {userName}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
                }

                size = body.Length;
                if (i >= 3)
                {
                    latencies.Add(elapsed);
                }
            }

            latencies.Sort();
            Console.WriteLine($"HTTP {label,-40}: p50 {latencies[latencies.Count / 2],7:F1} ms, p95 {latencies[(int)(latencies.Count * 0.95)],7:F1} ms, "
                + $"max {latencies[^1],7:F1} ms over {calls} calls ({size / 1024.0:F1} KiB)");
        }
    }

    private static async Task<string> SignInAsync(HttpClient http, string userName)
    {
        var login = await http.PostAsJsonAsync("/api/auth/login", new { userName, password = new DemoOptions().Password, useCookie = false });
        var body = await login.Content.ReadFromJsonAsync<JsonElement>();
        return login.IsSuccessStatusCode && body.TryGetProperty("accessToken", out var token)
            ? token.GetString()!
            : throw new InvalidOperationException($"Signing in as {userName}: {(int)login.StatusCode} {body}");
    }

    private static long DatabaseSize(WebApplication app, string directory)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        return db.Database.IsNpgsql()
            ? db.Database.SqlQueryRaw<long>("SELECT pg_database_size(current_database()) / 1048576 AS \"Value\"").AsEnumerable().First()
            : Directory.EnumerateFiles(directory, "*.db*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / (1 << 20);
    }

    /// <summary>The server as <c>dotnet run</c> starts it in Production, on a fresh data directory and the chosen database, not yet started.</summary>
    private static WebApplication Build(string directory, DatabaseProvider provider, string? connection)
    {
        Environment.SetEnvironmentVariable(DataDirectory.EnvironmentVariable, directory);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration["Demo:Enabled"] = "false";
        builder.Configuration["Jobs:Enabled"] = "false";
        builder.Configuration["Database:Provider"] = provider.ToString();
        if (connection is not null)
        {
            builder.Configuration["Database:ConnectionString"] = connection;
        }

        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddCivicGrid();
        var app = builder.Build();
        app.MapCivicGrid();
        return app;
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }
}
