using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CivicGrid.Server.Demo;
using CivicGrid.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CivicGrid.Bench;

/// <summary>
/// The dashboards at production size (issue 19 item 4): makes a database with the demo subdistrict and <c>seed scale</c>
/// (or reuses one from an earlier run, since ten million cases take many minutes), starts the built Release server on it,
/// and measures warm <c>GET /api/dashboard/summary</c> calls — the whole subdistrict, a community, a micro-grid, the last
/// 30 days, a whole year, a 366-day range with partial months at both ends — and the console's inbox and grid counts,
/// one caller at a time, against the target of a p95 of at most 100 ms.
/// </summary>
internal static class DashboardBench
{
    public const string Usage = "dashboard [--providers sqlite,postgres] [--cases 10000000] [--years 3] [--calls 200] [--reuse DIR] [--results bench/load]";

    private const double TargetP95Ms = 100;

    private sealed record Settings(string[] Providers, long Cases, int Years, int Calls, string? Reuse, string Results);

    private sealed record Query(string Name, string Caller, string Path);

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = Parse(args);
        if (settings is null)
        {
            Console.Error.WriteLine("usage: dotnet run -c Release --project bench/CivicGrid.Bench -- " + Usage);
            return 2;
        }

        var repo = BenchHost.FindRepository();
        if (BenchHost.ReleaseServer(repo) is not { } dll)
        {
            return 2;
        }

        var work = settings.Reuse is { } reuse ? Directory.CreateDirectory(reuse) : Directory.CreateTempSubdirectory("civicgrid-dashboard-");
        var report = new StringBuilder()
            .AppendLine("# Dashboards on a large dataset")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; commit {BenchHost.Commit(repo)}")
            .AppendLine(CultureInfo.InvariantCulture, $"- machine: {Environment.ProcessorCount} CPU(s), {BenchHost.CpuModel()}, {Environment.OSVersion.VersionString}, .NET {Environment.Version}")
            .AppendLine(CultureInfo.InvariantCulture, $"- command: `dotnet run -c Release --project bench/CivicGrid.Bench -- dashboard {string.Join(' ', args)}`")
            .AppendLine(CultureInfo.InvariantCulture, $"- data: the demo subdistrict plus `seed scale --cases {settings.Cases} --years {settings.Years}`; "
                + $"each query {settings.Calls} calls one at a time after 10 warm-up calls (HttpClient in the bench process); target p95 ≤ {TargetP95Ms} ms")
            .AppendLine();
        var failed = false;
        try
        {
            foreach (var provider in settings.Providers)
            {
                failed |= !await RunProviderAsync(provider, settings, dll, work.FullName, report);
            }
        }
        finally
        {
            if (settings.Reuse is null)
            {
                Directory.Delete(work.FullName, recursive: true);
            }
        }

        await BenchHost.WriteReportAsync(settings.Results, "results-dashboard.md", report);
        return failed ? 1 : 0;
    }

    private static async Task<bool> RunProviderAsync(string provider, Settings settings, string dll, string work, StringBuilder report)
    {
        var (data, calibration) = BenchHost.ProviderDirectory(work, provider);
        await using var postgres = provider == "postgres" ? new PostgresServer { Durable = true, KeepIn = Path.Combine(work, "postgres") } : null;
        var environment = new Dictionary<string, string>
        {
            ["CIVICGRID_DATA_DIR"] = data, ["ASPNETCORE_ENVIRONMENT"] = "Development", ["Demo__Enabled"] = "true", ["Auth__SecondFactor"] = "optional",
            // Measured here: the dashboards; the period-close job would spend minutes of CPU on the seeded years.
            ["Jobs__AssessmentPeriodClose__Enabled"] = "false",
        };
        Func<string, Task<object?>> scalar;
        if (postgres is not null)
        {
            await postgres.InitializeAsync();
            var connectionString = postgres.ConnectionString("civicgrid");
            if (!File.Exists(Path.Combine(data, "seeded.txt")))
            {
                await postgres.CreateDatabaseAsync("civicgrid");
            }

            environment["Database__Provider"] = "Postgres";
            environment["Database__ConnectionString"] = connectionString;
            scalar = sql => ScalarPostgresAsync(connectionString, sql);
        }
        else
        {
            scalar = sql => ScalarSqliteAsync(Path.Combine(data, "civicgrid.db"), sql);
        }

        var seedLine = await SeedAsync(dll, environment, data, settings);
        var size = postgres is not null
            ? Convert.ToInt64(await scalar("SELECT pg_database_size(current_database())"), CultureInfo.InvariantCulture)
            : Directory.GetFiles(data, "civicgrid.db*").Sum(f => new FileInfo(f).Length);
        var cases = Convert.ToInt64(await scalar("SELECT count(*) FROM cases"), CultureInfo.InvariantCulture);
        // The busiest micro-grid, and its community.
        var grid = (string)(await scalar("""SELECT "GridCode" FROM cases GROUP BY "GridCode" ORDER BY count(*) DESC LIMIT 1"""))!;
        var community = grid[..12];

        // The server builds the roll-ups at start when a migration emptied them: counted once it is ready.
        await using var server = await ServerProcess.StartAsync(dll, environment, TimeSpan.FromMinutes(20), CancellationToken.None);
        var rollups = Convert.ToInt64(await scalar("SELECT count(*) FROM case_count_rollups"), CultureInfo.InvariantCulture);
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
        var tokens = new Dictionary<string, string>
        {
            [DemoAccounts.Operator] = await TokenAsync(http, DemoAccounts.Operator),
            [DemoAccounts.CommunityStaff] = await TokenAsync(http, DemoAccounts.CommunityStaff),
        };
        var staffCommunity = await ScopeAsync(http, tokens[DemoAccounts.CommunityStaff]);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var lastYear = today.Year - 1;
        var lastMonth = today.AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Query[] queries =
        [
            new("summary: subdistrict, last 30 days", DemoAccounts.Operator, "/api/dashboard/summary"),
            new($"summary: community {staffCommunity} (its staff), last 30 days", DemoAccounts.CommunityStaff, "/api/dashboard/summary"),
            new($"summary: busiest community {community}, last 30 days", DemoAccounts.Operator, $"/api/dashboard/summary?grid={community}"),
            new($"summary: busiest micro-grid {grid}, last 30 days", DemoAccounts.Operator, $"/api/dashboard/summary?grid={grid}"),
            new($"summary: subdistrict, year {lastYear}", DemoAccounts.Operator, $"/api/dashboard/summary?from={lastYear}-01-01&to={lastYear}-12-31"),
            new("summary: subdistrict, 366 days (partial months at both ends)", DemoAccounts.Operator,
                $"/api/dashboard/summary?from={Day(today.AddDays(-365))}&to={Day(today)}"),
            new($"summary: micro-grid {grid}, 366 days", DemoAccounts.Operator, $"/api/dashboard/summary?grid={grid}&from={Day(today.AddDays(-365))}&to={Day(today)}"),
            new("inbox: counts of every queue (ops)", DemoAccounts.Operator, "/api/cases/inbox"),
            new("grid counts: every grid (ops)", DemoAccounts.Operator, "/api/cases/grid-counts"),
            new("breakdown by department, this month (ops)", DemoAccounts.Operator, "/api/dashboard/breakdown?dimension=department"),
            new($"breakdown by category, year {lastYear} (ops)", DemoAccounts.Operator, $"/api/dashboard/breakdown?dimension=category&from={lastYear}-01&to={lastYear}-12"),
            new($"monthly report workbook {lastMonth}, subdistrict (ops)", DemoAccounts.Operator, $"/api/dashboard/report.xlsx?month={lastMonth}"),
        ];

        var settled = await BenchHost.SettleAsync(server.ProcessId);
        Console.WriteLine($"the server settled after {settled.TotalSeconds:F0} s");
        var liveLatencies = await MeasureAsync(http, null, "/health/live", 200);
        var liveLine = string.Create(CultureInfo.InvariantCulture,
            $"GET /health/live one at a time: {1000 / liveLatencies.Average():N0} requests/s, p50 {Percentile(liveLatencies, 50):F2} ms, p95 {Percentile(liveLatencies, 95):F2} ms");
        Console.WriteLine("calibration: " + liveLine);
        var table = new StringBuilder()
            .AppendLine("| query | calls | p50 ms | p95 ms | p99 ms | max ms | p95 ≤ 100 ms |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---|");
        var allMet = true;
        foreach (var query in queries)
        {
            var latencies = await MeasureAsync(http, tokens[query.Caller], query.Path, settings.Calls);
            var met = Percentile(latencies, 95) <= TargetP95Ms;
            allMet &= met;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"| {query.Name} | {latencies.Length} | {Percentile(latencies, 50):F1} | {Percentile(latencies, 95):F1} | {Percentile(latencies, 99):F1} | {latencies[^1]:F1} | {(met ? "met" : "**NOT met**")} |");
            Console.WriteLine(line);
            table.AppendLine(line);
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"## {(provider == "sqlite" ? "SQLite" : "PostgreSQL")}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- database: {(postgres is not null ? postgres.Version + " (durable settings, shared_buffers=256MB)" : "SQLite file (WAL, the server's pragmas)")}, "
                + $"{size / 1024.0 / 1024 / 1024:F1} GiB, {cases:N0} cases, {rollups:N0} count roll-up rows")
            .AppendLine(CultureInfo.InvariantCulture, $"- seed: {seedLine}")
            .AppendLine(CultureInfo.InvariantCulture, $"- {calibration}")
            .AppendLine(CultureInfo.InvariantCulture, $"- calibration: {liveLine}; measured once the server was idle ({settled.TotalSeconds:F0} s after it answered)")
            .AppendLine()
            .Append(table)
            .AppendLine();
        return allMet;
    }

    /// <summary>Loads the demo and seeds the cases, unless an earlier run did (its seed line is kept beside the data).</summary>
    private static async Task<string> SeedAsync(string dll, Dictionary<string, string> environment, string data, Settings settings)
    {
        var marker = Path.Combine(data, "seeded.txt");
        if (File.Exists(marker))
        {
            var kept = await File.ReadAllTextAsync(marker);
            Console.WriteLine($"reusing {data}: {kept}");
            return "reused from an earlier run: " + kept;
        }

        await CommandAsync(dll, environment, "seed", "demo");
        var lines = await CommandAsync(dll, environment, "seed", "scale", "--cases", settings.Cases.ToString(CultureInfo.InvariantCulture),
            "--years", settings.Years.ToString(CultureInfo.InvariantCulture));
        var result = lines.LastOrDefault(l => l.StartsWith("Seeded ", StringComparison.Ordinal)) ?? "(no result line)";
        await File.WriteAllTextAsync(marker, result);
        return result;
    }

    /// <summary>Runs an operator command of the built server, echoing its progress lines; throws when it fails.</summary>
    private static async Task<List<string>> CommandAsync(string dll, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        // The commands' log lines are JSON in Production and noise here: only what the command prints to the console.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        var error = process.StandardError.ReadToEndAsync();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            Console.WriteLine("  " + line);
            lines.Add(line);
        }

        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', args)} failed ({process.ExitCode}): {await error}");
        }

        return lines;
    }

    private static async Task<double[]> MeasureAsync(HttpClient http, string? token, string path, int calls)
    {
        var latencies = new double[calls];
        for (var i = -10; i < calls; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            var watch = Stopwatch.StartNew();
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var elapsed = watch.Elapsed.TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
            }

            if (i >= 0)
            {
                latencies[i] = elapsed;
            }
        }

        Array.Sort(latencies);
        return latencies;
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];

    private static async Task<string> TokenAsync(HttpClient http, string user)
    {
        using var response = await http.PostAsync("/api/auth/login", DoorLoad.Json(JsonSerializer.Serialize(new
        {
            userName = user, password = new DemoOptions().Password, useCookie = false,
        })));
        return (await DoorLoad.ReadJsonAsync(response, "login " + user)).GetProperty("accessToken").GetString()!;
    }

    /// <summary>The scope the summary answers for a caller (its code).</summary>
    private static async Task<string> ScopeAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/dashboard/summary");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return (await DoorLoad.ReadJsonAsync(response, "summary")).GetProperty("scopeCode").GetString()!;
    }

    private static async Task<object?> ScalarSqliteAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Default Timeout=60");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static async Task<object?> ScalarPostgresAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        return await command.ExecuteScalarAsync();
    }

    private static Settings? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                return null;
            }

            values[args[i][2..]] = args[i + 1];
        }

        var providers = values.TryGetValue("providers", out var p) ? p.Split(',', StringSplitOptions.RemoveEmptyEntries) : ["sqlite", "postgres"];
        long Number(string name, long fallback) => values.TryGetValue(name, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var settings = new Settings(providers, Number("cases", 10_000_000), (int)Number("years", 3), (int)Number("calls", 200), values.GetValueOrDefault("reuse"),
            values.GetValueOrDefault("results", Path.Combine(BenchHost.FindRepository(), "bench/load")));
        return providers.All(x => x is "sqlite" or "postgres") && values.Keys.All(k => k is "providers" or "cases" or "years" or "calls" or "reuse" or "results")
            ? settings : null;
    }
}
