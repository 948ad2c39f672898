using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Features.Devices;
using CivicGrid.Testing;
using Microsoft.Data.Sqlite;
using MQTTnet;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using Npgsql;
using SkiaSharp;

namespace CivicGrid.Bench;

/// <summary>
/// The intake load bench for every door and both spreads (issue 21 item 2): starts the built Release server as a child
/// process (<see cref="ServerProcess"/>, Development, where the demo is seeded, into a fresh data directory) on SQLite and on
/// a throw-away durable PostgreSQL, and drives each door — <c>/api/cases</c> JSON, multipart (fields, and one small JPEG),
/// Open311 <c>POST requests</c>, the signed device webhook and MQTT alarms through a Mosquitto broker — with points over the
/// whole territory and with points in one 400 m box with one category; per door × spread it counts the stored cases in the
/// database against the answers, and reports creates/s, latency percentiles, the server's and its own CPU, against the targets.
/// </summary>
internal static class DoorsBench
{
    public const string Usage =
        "doors [--providers sqlite,postgres] [--doors json,multipart,multipart-photo,open311,webhook,mqtt] [--spreads territory,box] "
        + "[--seconds 10] [--warmup 5] [--connections 32] [--devices 1500] [--results bench/load]";

    private const double SqliteTarget = 3000, SqliteP99TargetMs = 50, PostgresTarget = 2000;
    private const double BoxMetres = 400;

    private static readonly string[] AllDoors = ["json", "multipart", "multipart-photo", "open311", "webhook", "mqtt"];
    private static readonly string[] AllSpreads = ["territory", "box"];

    private sealed record Settings(string[] Providers, string[] Doors, string[] Spreads, int Seconds, int Warmup, int Connections, int Devices, string Results);

    private sealed record Row(string Door, string Spread, DoorMeasure Measure, long Stored, double ServerCpu, double GeneratorCpu, int Connections);

    /// <summary>A registered device and the secret it signs with.</summary>
    private sealed record BenchDevice(string Code, string Secret);

    /// <summary>What the doors send: points, categories, the Open311 key, the device pools.</summary>
    private sealed record Inputs(Point[] Territory, Point[] Box, string[] Categories, string BoxCategory, string[] BoxAlarmTypes, string[] AlarmTypes,
        string ApiKey, string BoxDescription);

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

        var work = Directory.CreateTempSubdirectory("civicgrid-doors-");
        var report = new StringBuilder();
        var failed = false;
        try
        {
            var machine = $"{Environment.ProcessorCount} CPU(s), {BenchHost.CpuModel()}, {Environment.OSVersion.VersionString}, .NET {Environment.Version}";
            report.AppendLine("# Case intake on every door")
                .AppendLine()
                .AppendLine($"- date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; commit {BenchHost.Commit(repo)}")
                .AppendLine($"- machine: {machine}")
                .AppendLine($"- command: `dotnet run -c Release --project bench/CivicGrid.Bench -- doors {string.Join(' ', args)}`")
                .AppendLine($"- load: closed loop, {settings.Connections} callers each with one request in flight (HttpClient in the bench process); "
                    + $"warm-up {settings.Warmup} s of JSON over the territory per provider, then {settings.Seconds} s per door × spread")
                .AppendLine();
            foreach (var provider in settings.Providers)
            {
                failed |= !await RunProviderAsync(provider, settings, dll, work.FullName, report);
            }
        }
        finally
        {
            Directory.Delete(work.FullName, recursive: true);
        }

        await BenchHost.WriteReportAsync(settings.Results, "results-doors.md", report);
        return failed ? 1 : 0;
    }

    private static async Task<bool> RunProviderAsync(string provider, Settings settings, string dll, string work, StringBuilder report)
    {
        var (data, calibration) = BenchHost.ProviderDirectory(work, provider);

        await using var postgres = provider == "postgres" ? new PostgresServer { Durable = true } : null;
        await using var broker = settings.Doors.Contains("mqtt") ? new MosquittoServer() : null;
        var environment = new Dictionary<string, string>
        {
            // The demo (its accounts share a known password) loads only in Development.
            ["CIVICGRID_DATA_DIR"] = data, ["ASPNETCORE_ENVIRONMENT"] = "Development", ["Demo__Enabled"] = "true",
            // The per-client limits: loopback is one client, which would get 429 after a few creates a minute.
            // The set-up signs in the demo's administrator and operator with their passwords.
            ["Auth__SecondFactor"] = "optional",
            ["Cases__CreatesPerMinute"] = "10000000", ["Geo__LocatePerMinute"] = "10000000", ["Devices__MessagesPerMinute"] = "100000",
            // After start the period-close job computes the demo year's last month, quarter and year once: minutes of CPU that
            // fell on whichever door ran first (a profile of a keyed multipart phase found it beside the intake writer). The
            // assessment bench measures that work; this one measures intake.
            ["Jobs__AssessmentPeriodClose__Enabled"] = "false",
        };
        string database;
        if (postgres is not null)
        {
            await postgres.InitializeAsync();
            await postgres.CreateDatabaseAsync("civicgrid");
            environment["Database__Provider"] = "Postgres";
            environment["Database__ConnectionString"] = postgres.ConnectionString("civicgrid");
            database = $"{postgres.Version} (throw-away cluster, fsync and synchronous_commit on, shared_buffers=256MB); server CPU is the CivicGrid process only, not PostgreSQL's own backends";
        }
        else
        {
            database = "SQLite file in a fresh data directory (the server's pragmas: WAL, synchronous=FULL)";
        }

        if (broker is not null)
        {
            await broker.InitializeAsync();
            environment["Devices__Mqtt__Host"] = broker.Host;
            environment["Devices__Mqtt__Port"] = broker.Port.ToString(CultureInfo.InvariantCulture);
        }

        var started = Stopwatch.StartNew();
        await using var server = await ServerProcess.StartAsync(dll, environment, TimeSpan.FromMinutes(10), CancellationToken.None);
        var ready = started.Elapsed;
        Console.WriteLine($"server ready after {ready.TotalSeconds:F0} s on {server.Address}");
        Func<Task<long>> count = postgres is not null
            ? () => CountPostgresAsync(postgres.ConnectionString("civicgrid"))
            : () => CountSqliteAsync(Path.Combine(data, "civicgrid.db"));
        Func<Task<long>> numbered = postgres is not null
            ? () => NumberedPostgresAsync(postgres.ConnectionString("civicgrid"))
            : () => NumberedSqliteAsync(Path.Combine(data, "civicgrid.db"));

        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = settings.Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseCookies = false,
        })
        { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.ExpectContinue = false;

        var inputs = await PrepareAsync(http);
        Console.WriteLine($"{inputs.Territory.Length} micro-grid points; box of {BoxMetres} m: {inputs.Box.Length} points, category {inputs.BoxCategory}, "
            + $"alarm types {string.Join(' ', inputs.BoxAlarmTypes)}");
        var pools = await RegisterDevicesAsync(http, settings, inputs);
        var jpeg = SmallJpeg();

        using var live = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = settings.Connections }) { BaseAddress = server.Address };
        var health = await DoorLoad.RunHttpAsync(live, settings.Connections, TimeSpan.FromSeconds(3),
            _ => new HttpRequestMessage(HttpMethod.Get, "/health/live"), createdIs201Only: false);
        var liveLine = $"GET /health/live with {settings.Connections} callers: {health.Requests / Math.Max(health.WindowSeconds, 0.001):N0} requests/s, "
            + $"p50 {health.Percentile(50):F1} ms, p99 {health.Percentile(99):F1} ms";
        Console.WriteLine("calibration: " + liveLine);

        var loadBefore = Calibration.LoadAverage();
        var rows = new List<Row>();
        if (settings.Warmup > 0)
        {
            rows.Add(await PhaseAsync("json (warm-up)", "territory", settings.Warmup, settings, http, server, count,
                n => Request("json", "territory", n, inputs, jpeg)));
        }

        IMqttClient? mqtt = null;
        if (broker is not null)
        {
            mqtt = new MqttClientFactory().CreateMqttClient();
            await mqtt.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(broker.Host, broker.Port).WithClientId("civicgrid-doors-bench").Build());
        }

        foreach (var spread in settings.Spreads)
        {
            foreach (var door in settings.Doors)
            {
                var pool = door is "webhook" or "mqtt" ? pools[(door, spread)] : [];
                var types = spread == "box" ? inputs.BoxAlarmTypes : inputs.AlarmTypes;
                if (door == "mqtt")
                {
                    rows.Add(await MqttPhaseAsync(spread, settings, server, count, numbered, mqtt!, pool, types));
                }
                else
                {
                    rows.Add(await PhaseAsync(door, spread, settings.Seconds, settings, http, server, count,
                        n => door == "webhook" ? Alarm(n, pool, types) : Request(door, spread, n, inputs, jpeg)));
                }
            }
        }

        if (mqtt is not null)
        {
            await mqtt.DisconnectAsync();
            mqtt.Dispose();
        }

        var loadAfter = Calibration.LoadAverage();
        var ok = rows.All(r => r.Stored == r.Measure.Created);
        var errors = server.LogTail.Split('\n').Count(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)
            || l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || l.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal));
        report.AppendLine($"## {provider}")
            .AppendLine()
            .AppendLine($"- database: {database}")
            .AppendLine($"- server: Release, ASPNETCORE_ENVIRONMENT=Development (the demo loads only there), demo seeded, ready after {ready.TotalSeconds:F0} s")
            .AppendLine($"- {calibration}")
            .AppendLine($"- calibration: {liveLine}")
            .AppendLine($"- load average before / after the doors: {loadBefore} / {loadAfter}")
            .AppendLine($"- territory: an interior point of each of {inputs.Territory.Length} micro-grids, categories {string.Join(' ', inputs.Categories)}; "
                + $"devices at those points, alarm types {string.Join(' ', inputs.AlarmTypes)}")
            .AppendLine($"- box: {inputs.Box.Length} random points inside micro-grids of one {BoxMetres} × {BoxMetres} m box ({inputs.BoxDescription}), "
                + $"category {inputs.BoxCategory}; devices in the box, alarm types {string.Join(' ', inputs.BoxAlarmTypes)}, every one mapped to that category")
            .AppendLine($"- device pools: {settings.Devices} devices per door × spread, registered through POST /api/devices; each device × alarm type opens one case")
            .AppendLine($"- target: {(provider == "sqlite" ? $"≥ {SqliteTarget:N0} creates/s and p99 < {SqliteP99TargetMs} ms" : $"≥ {PostgresTarget:N0} creates/s")}")
            .AppendLine()
            .AppendLine(Table(rows, provider))
            .AppendLine()
            .AppendLine($"- stored new cases = created answers in every phase: **{(ok ? "yes" : "NO")}**")
            .AppendLine($"- server log (its last 4,000 characters): {errors} error lines");
        foreach (var note in rows.Where(r => r.Measure.Note is not null).Select(r => $"- {r.Door} × {r.Spread}: {r.Measure.Note}").Distinct())
        {
            report.AppendLine(note);
        }

        report.AppendLine();
        Console.WriteLine(Table(rows, provider));
        return ok;
    }

    private static async Task<Row> PhaseAsync(string door, string spread, int seconds, Settings settings, HttpClient http, ServerProcess server,
        Func<Task<long>> count, DoorLoad.RequestSource source)
    {
        var before = await count();
        var serverCpu = BenchHost.CpuSeconds(server.ProcessId);
        var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var measure = await DoorLoad.RunHttpAsync(http, settings.Connections, TimeSpan.FromSeconds(seconds), source, createdIs201Only: door == "webhook");
        var row = new Row(door, spread, measure, await count() - before, BenchHost.CpuSeconds(server.ProcessId) - serverCpu,
            (Process.GetCurrentProcess().TotalProcessorTime - ownCpu).TotalSeconds, settings.Connections);
        Console.WriteLine(Line(row));
        return row;
    }

    private static async Task<Row> MqttPhaseAsync(string spread, Settings settings, ServerProcess server, Func<Task<long>> count, Func<Task<long>> numbered,
        IMqttClient mqtt,
        IReadOnlyList<BenchDevice> pool, string[] types)
    {
        var before = await count();
        var serverCpu = BenchHost.CpuSeconds(server.ProcessId);
        var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var measure = await DoorLoad.RunMqttAsync(mqtt, settings.Connections, TimeSpan.FromSeconds(settings.Seconds), TimeSpan.FromSeconds(15), n =>
        {
            if (n >= (long)pool.Count * types.Length)
            {
                return null;
            }

            var (device, type) = (pool[(int)(n % pool.Count)], types[(int)(n / pool.Count)]);
            var (timestamp, nonce, body, signature) = Sign(device, type, n);
            var envelope = JsonSerializer.Serialize(new DeviceMqttEnvelope(timestamp, nonce, signature, body), JsonSerializerOptions.Web);
            return new MqttApplicationMessageBuilder().WithTopic($"civicgrid/devices/{device.Code}/alarm").WithPayload(envelope)
                .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build();
        }, numbered);
        var row = new Row("mqtt", spread, measure, await count() - before, BenchHost.CpuSeconds(server.ProcessId) - serverCpu,
            (Process.GetCurrentProcess().TotalProcessorTime - ownCpu).TotalSeconds, settings.Connections);
        Console.WriteLine(Line(row));
        return row;
    }

    /// <summary>The n-th request of an HTTP case door; points and categories walk with strides so consecutive requests differ.</summary>
    private static HttpRequestMessage Request(string door, string spread, long n, Inputs inputs, byte[] jpeg)
    {
        var points = spread == "box" ? inputs.Box : inputs.Territory;
        var p = points[(int)(n * 31 % points.Length)];
        var category = spread == "box" ? inputs.BoxCategory : inputs.Categories[(int)(n % inputs.Categories.Length)];
        var lon = p.X.ToString("F7", CultureInfo.InvariantCulture);
        var lat = p.Y.ToString("F7", CultureInfo.InvariantCulture);
        var description = $"压测上报 {n}：楼道堆放杂物，影响通行。";
        switch (door)
        {
            case "json":
                return new HttpRequestMessage(HttpMethod.Post, "/api/cases")
                {
                    Content = DoorLoad.Json(JsonSerializer.Serialize(new
                    {
                        categoryCode = category, title = (string?)null, description, lon, lat, crs = "wgs84", accuracy = (string?)null,
                        building = (string?)null, compound = (string?)null, address = (string?)null, phone = (string?)null, callerName = (string?)null,
                    })),
                };
            case "multipart" or "multipart-photo":
                var form = new MultipartFormDataContent
                {
                    { new StringContent(category), "categoryCode" }, { new StringContent(description), "description" },
                    { new StringContent(lon), "lon" }, { new StringContent(lat), "lat" }, { new StringContent("wgs84"), "crs" },
                };
                if (door == "multipart-photo")
                {
                    var photo = new ByteArrayContent(jpeg);
                    photo.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                    form.Add(photo, "photos", "photo.jpg");
                }

                // As the phone's outbox sends it: with an idempotency key, whose answer the intake writer stores with the case.
                var keyed = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = form };
                keyed.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("D"));
                return keyed;
            case "open311":
                return new HttpRequestMessage(HttpMethod.Post, "/open311/v2/requests.json")
                {
                    Content = new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["api_key"] = inputs.ApiKey, ["service_code"] = spread == "box" ? inputs.BoxCategory : inputs.Categories[0],
                        ["jurisdiction_id"] = (string)p.UserData, ["lat"] = lat, ["long"] = lon, ["description"] = description,
                    }),
                };
            default:
                throw new ArgumentOutOfRangeException(nameof(door), door, "not an HTTP case door");
        }
    }

    /// <summary>The n-th webhook alarm: device n mod pool, alarm type n / pool, so every pair is used once; null when all were.</summary>
    private static HttpRequestMessage? Alarm(long n, IReadOnlyList<BenchDevice> pool, string[] types)
    {
        if (n >= (long)pool.Count * types.Length)
        {
            return null;
        }

        var device = pool[(int)(n % pool.Count)];
        var (timestamp, nonce, body, signature) = Sign(device, types[(int)(n / pool.Count)], n);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/device-webhook/alarms") { Content = DoorLoad.Json(body) };
        request.Headers.Add(DevicesApi.DeviceHeader, device.Code);
        request.Headers.Add(DevicesApi.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(DevicesApi.NonceHeader, nonce);
        request.Headers.Add(DevicesApi.SignatureHeader, signature);
        return request;
    }

    private static (long Timestamp, string Nonce, string Body, string Signature) Sign(BenchDevice device, string type, long n)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var nonce = Guid.NewGuid().ToString("N");
        var body = $$"""{"type":"{{type}}","message":"压测报警 {{n}}"}""";
        return (timestamp, nonce, body, DeviceSignature.Compute(device.Secret, timestamp, nonce, Encoding.UTF8.GetBytes(body)));
    }

    /// <summary>
    /// Signs in, reads the micro-grids (an interior point of each; the box around the densest place), the categories that need
    /// no photo, the alarm types, and issues an Open311 key through the API.
    /// </summary>
    private static async Task<Inputs> PrepareAsync(HttpClient http)
    {
        var admin = await TokenAsync(http, DemoAccounts.Admin);
        using var gridsRequest = new HttpRequestMessage(HttpMethod.Get, "/api/geo/grids?level=micro");
        gridsRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        using var gridsResponse = await http.SendAsync(gridsRequest);
        var geoJson = new JsonSerializerOptions(JsonSerializerOptions.Web);
        geoJson.Converters.Add(new GeoJsonConverterFactory());
        var grids = (await gridsResponse.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<FeatureCollection>(geoJson))!
            .Where(f => f.Attributes["kind"]?.ToString() == "territorial").Select(f =>
            {
                // Open311 needs the subdistrict (jurisdiction_id) when the server serves several: carried on every point.
                f.Geometry.UserData = f.Attributes["code"]!.ToString()![..GridCodes.SubdistrictLength];
                return f.Geometry;
            }).ToArray();
        var territory = grids.Select(g => new Point(g.InteriorPoint.Coordinate) { UserData = g.UserData }).ToArray();

        // The box: 400 m around the micro-grid point with the most other micro-grid points within 200 m — the densest place.
        var (dLat, dLon) = (BoxMetres / 2 / 111_320, BoxMetres / 2 / (111_320 * Math.Cos(territory[0].Y * Math.PI / 180)));
        var centre = territory.MaxBy(c => territory.Count(p => Math.Abs(p.X - c.X) <= dLon && Math.Abs(p.Y - c.Y) <= dLat))!;
        var inBox = grids.Where(g => g.EnvelopeInternal.Intersects(new Envelope(centre.X - dLon, centre.X + dLon, centre.Y - dLat, centre.Y + dLat))).ToArray();
        var random = new Random(21);
        var box = new List<Point>();
        for (var attempt = 0; box.Count < 2000 && attempt < 200_000; attempt++)
        {
            var p = new Point(centre.X + (random.NextDouble() * 2 - 1) * dLon, centre.Y + (random.NextDouble() * 2 - 1) * dLat);
            if (inBox.FirstOrDefault(g => g.Contains(p)) is { } grid)
            {
                p.UserData = grid.UserData;
                box.Add(p);
            }
        }

        using var categoriesResponse = await http.GetAsync("/api/categories");
        var categories = (await DoorLoad.ReadJsonAsync(categoriesResponse, "categories")).EnumerateArray()
            .Where(c => c.GetProperty("isActive").GetBoolean() && !c.GetProperty("photoRequired").GetBoolean())
            .Select(c => c.GetProperty("code").GetString()!).ToArray();
        var ops = await TokenAsync(http, DemoAccounts.Operator);
        using var typesRequest = new HttpRequestMessage(HttpMethod.Get, "/api/devices/alarm-types");
        typesRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ops);
        using var typesResponse = await http.SendAsync(typesRequest);
        var types = (await DoorLoad.ReadJsonAsync(typesResponse, "alarm types")).EnumerateArray()
            .Where(t => t.GetProperty("categoryActive").GetBoolean() && t.GetProperty("code").GetString() != DeviceAlarmType.Offline)
            .Select(t => (Code: t.GetProperty("code").GetString()!, Category: t.GetProperty("categoryCode").GetString()!)).ToArray();
        // One category for the box on every door: the first that needs no photo, which the standard alarm types may not
        // map to, so bench alarm types are mapped to it through the API (system admin). As many as the territory has, so
        // that a box device opens as many cases as a territory one (a device × alarm type opens one) and a pool lasts as long.
        var boxCategory = categories[0];
        var boxTypes = Enumerable.Range(1, Math.Max(1, types.Length)).Select(i => $"load-bench-{i}").ToArray();
        foreach (var boxType in boxTypes)
        {
            using var mapRequest = new HttpRequestMessage(HttpMethod.Put, $"/api/devices/alarm-types/{boxType}")
            {
                Content = DoorLoad.Json(JsonSerializer.Serialize(new { name = "压测报警", categoryCode = boxCategory })),
            };
            mapRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            using var mapResponse = await http.SendAsync(mapRequest);
            await DoorLoad.ReadJsonAsync(mapResponse, "map a bench alarm type");
        }

        using var keyRequest = new HttpRequestMessage(HttpMethod.Post, "/api/admin/apikeys") { Content = DoorLoad.Json("""{"name":"压测客户端","jurisdiction":null}""") };
        keyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        keyRequest.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var keyResponse = await http.SendAsync(keyRequest);
        var key = (await DoorLoad.ReadJsonAsync(keyResponse, "Open311 key")).GetProperty("key").GetString()!;
        return new Inputs(territory, [.. box], categories, boxCategory, boxTypes, [.. types.Select(t => t.Code)], key,
            $"centre {centre.X:F5} {centre.Y:F5}, {inBox.Length} micro-grids touch it");
    }

    /// <summary>One pool of devices per device door × spread (so one door's open cases do not turn the other's alarms into repeats).</summary>
    private static async Task<Dictionary<(string Door, string Spread), BenchDevice[]>> RegisterDevicesAsync(HttpClient http, Settings settings, Inputs inputs)
    {
        var pools = new Dictionary<(string, string), BenchDevice[]>();
        // The system administrator: the demo's operator covers one of its two subdistricts only.
        var admin = await TokenAsync(http, DemoAccounts.Admin);
        var clock = Stopwatch.StartNew();
        foreach (var door in settings.Doors.Where(d => d is "webhook" or "mqtt"))
        {
            foreach (var spread in settings.Spreads)
            {
                var points = spread == "box" ? inputs.Box : inputs.Territory;
                var devices = new BenchDevice[settings.Devices];
                await Parallel.ForAsync(0, settings.Devices, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
                {
                    var code = $"LOAD-{door[0]}{spread[0]}-{i:D6}";
                    var p = points[i * 31 % points.Length];
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/devices")
                    {
                        Content = DoorLoad.Json(JsonSerializer.Serialize(new
                        {
                            code, kind = "smoke-detector", name = $"压测设备 {i}", model = "BENCH-1", owner = "压测", lon = p.X, lat = p.Y,
                        })),
                    };
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
                    using var response = await http.SendAsync(request, ct);
                    devices[i] = new BenchDevice(code, (await DoorLoad.ReadJsonAsync(response, $"register {code}")).GetProperty("secret").GetString()!);
                });
                pools[(door, spread)] = devices;
            }
        }

        Console.WriteLine($"{pools.Values.Sum(p => p.Length)} devices registered in {clock.Elapsed.TotalSeconds:F0} s");
        return pools;
    }

    private static async Task<string> TokenAsync(HttpClient http, string user)
    {
        using var response = await http.PostAsync("/api/auth/login", DoorLoad.Json(JsonSerializer.Serialize(new
        {
            userName = user, password = new DemoOptions().Password, useCookie = false,
        })));
        return (await DoorLoad.ReadJsonAsync(response, "login " + user)).GetProperty("accessToken").GetString()!;
    }

    private static byte[] SmallJpeg()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(320, 240, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.SlateGray);
            using var paint = new SKPaint { Color = SKColors.Orange };
            canvas.DrawRect(40, 40, 120, 90, paint);
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 80);
        return data.ToArray();
    }

    private static string Table(List<Row> rows, string provider)
    {
        var table = new StringBuilder()
            .AppendLine("| door | spread | s | conns | requests | 2xx | created | non-2xx (by status) | stored new | stored = created | creates/s | p50 ms | p90 ms | p99 ms | max ms | server CPU s | CPU ms/case | bench CPU s | target |")
            .AppendLine("|---|---|---:|---:|---:|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            var m = r.Measure;
            var rate = m.WindowSeconds > 0 ? m.Created / m.WindowSeconds : 0;
            var met = r.Door.EndsWith("(warm-up)", StringComparison.Ordinal) ? "—"
                : (provider == "sqlite" ? rate >= SqliteTarget && m.Percentile(99) < SqliteP99TargetMs : rate >= PostgresTarget) ? "met" : "**NOT met**";
            table.AppendLine(CultureInfo.InvariantCulture, $"| {r.Door} | {r.Spread} | {m.WindowSeconds:F1} | {r.Connections} | {m.Requests} | {m.Ok2xx} | {m.Created} | {m.NonOkText} | "
                + $"{r.Stored} | {(r.Stored == m.Created ? "yes" : "**NO**")} | {rate:F0} | {m.Percentile(50):F1} | {m.Percentile(90):F1} | {m.Percentile(99):F1} | "
                + $"{(m.LatenciesMs.Length == 0 ? 0 : m.LatenciesMs[^1]):F1} | {r.ServerCpu:F1} | {(r.Stored > 0 ? r.ServerCpu * 1000 / r.Stored : 0):F2} | {r.GeneratorCpu:F1} | {met} |");
        }

        return table.ToString().TrimEnd();
    }

    private static string Line(Row r) =>
        $"{r.Door} × {r.Spread}: {r.Measure.Requests} requests, {r.Measure.Created} created, stored {r.Stored}, "
        + $"{(r.Measure.WindowSeconds > 0 ? r.Measure.Created / r.Measure.WindowSeconds : 0):F0}/s, p99 {r.Measure.Percentile(99):F1} ms, non-2xx {r.Measure.NonOkText}";

    // Cases numbered so far: the case-number counters advance in the transaction that stores each case, and summing a row
    // a day costs the same at any size, where count(*) over the cases, polled every 10 ms by the MQTT phase, cost the
    // bench a third of a core on the machine it shares with the server.
    private const string NumberedSql = """SELECT coalesce(sum("Last"), 0) FROM case_number_counters""";

    private static async Task<long> NumberedSqliteAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=true;Default Timeout=60");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(NumberedSql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<long> NumberedPostgresAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(NumberedSql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<long> CountSqliteAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=true;Default Timeout=60");
        await connection.OpenAsync();
        await using var command = new SqliteCommand("SELECT count(*) FROM cases", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> CountPostgresAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM cases", connection);
        return (long)(await command.ExecuteScalarAsync())!;
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

        string[] List(string name, string[] all) => values.TryGetValue(name, out var v) ? v.Split(',', StringSplitOptions.RemoveEmptyEntries) : all;
        int Number(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var settings = new Settings(List("providers", ["sqlite", "postgres"]), List("doors", AllDoors), List("spreads", AllSpreads), Number("seconds", 10),
            Number("warmup", 5), Number("connections", 32), Number("devices", 1500), values.GetValueOrDefault("results", Path.Combine(BenchHost.FindRepository(), "bench/load")));
        return settings.Providers.All(p => p is "sqlite" or "postgres") && settings.Doors.All(AllDoors.Contains) && settings.Spreads.All(AllSpreads.Contains)
            && values.Keys.All(k => k is "providers" or "doors" or "spreads" or "seconds" or "warmup" or "connections" or "devices" or "results")
            ? settings : null;
    }
}
