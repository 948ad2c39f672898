using System.Diagnostics;
using System.Globalization;
using CivicGrid.Spatial.Indexing;
using CivicGrid.Testing;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;

namespace CivicGrid.Bench;

/// <summary>
/// The measurements that do not fit BenchmarkDotNet: build times, memory, answer shares, a Stopwatch
/// cross-check of the locate rates, and PostGIS (a batch join and one prepared query per point).
/// </summary>
public static class LocatorReport
{
    public static async Task RunAsync(bool quick)
    {
        var rows = new List<string[]>();
        var datasets = new[] { ("demo", (Func<List<IndexedGrid>>)Dataset.Demo), ("city100k", () => SyntheticCity.Generate()) };
        Console.WriteLine();
        Console.WriteLine($"## Index build and memory ({Environment.ProcessorCount} cores, {Environment.Version})");
        Console.WriteLine();
        Console.WriteLine("| polygons | leaves | cells | cell size | edge cells | build ours (min of 3) | build NTS STRtree (min of 3) | EstimatedBytes | GC heap delta |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, generate) in datasets)
        {
            var grids = generate();
            var best = double.MaxValue;
            var bestNts = double.MaxValue;
            GridIndex? index = null;
            for (var i = 0; i < 3; i++)
            {
                index = null;
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var before = GC.GetTotalMemory(true);
                var watch = Stopwatch.StartNew();
                index = GridIndex.Build(grids);
                best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
                var after = GC.GetTotalMemory(true);
                if (i == 2)
                {
                    var leaves = Dataset.ByName(name).Leaves;
                    var ntsWatch = Stopwatch.StartNew();
                    NtsLocator.Build(leaves);
                    bestNts = Math.Min(bestNts, ntsWatch.Elapsed.TotalMilliseconds);
                    Console.WriteLine(Invariant($"| {name} | {index.Count:N0} | {index.CellCount:N0} | {index.CellSizeMeters:F1} m | {index.EdgeCellCount:N0} | {best:F0} ms | {bestNts:F0} ms | {index.EstimatedBytes / 1048576.0:F1} MiB | {(after - before) / 1048576.0:F1} MiB |"));
                }
            }

            GC.KeepAlive(index);
        }

        Console.WriteLine();
        Console.WriteLine("## Locate throughput (Stopwatch, best of 5 passes over 100,000 points inside the territory, single thread)");
        Console.WriteLine();
        Console.WriteLine("| polygons | method | M points/s | Certain | Ambiguous | Outside |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var (name, _) in datasets)
        {
            var data = Dataset.ByName(name);
            foreach (var accuracy in new[] { 0.0, 5, 30, 100 })
            {
                var counts = new int[3];
                for (var i = 0; i < data.Lons.Length; i++)
                {
                    counts[(int)data.Index.Locate(data.Lons[i], data.Lats[i], accuracy).Confidence]++;
                }

                var rate = BestRate(() =>
                {
                    var sum = 0;
                    for (var i = 0; i < data.Lons.Length; i++)
                    {
                        sum += data.Index.Locate(data.Lons[i], data.Lats[i], accuracy).Leaf;
                    }

                    return sum;
                }, data.Lons.Length);
                Console.WriteLine(Invariant($"| {name} | GridIndex, accuracy {accuracy} m | {rate / 1e6:F2} | {Share(counts[0])} | {Share(counts[1])} | {Share(counts[2])} |"));
            }

            var ntsRate = BestRate(() =>
            {
                var sum = 0;
                for (var i = 0; i < data.Lons.Length; i++)
                {
                    sum += data.NtsTree.Locate(data.Lons[i], data.Lats[i]);
                }

                return sum;
            }, data.Lons.Length);
            Console.WriteLine(Invariant($"| {name} | NTS STRtree + IndexedPointInAreaLocator | {ntsRate / 1e6:F2} | | | |"));
        }

        await PostGisAsync(quick);
    }

    private static async Task PostGisAsync(bool quick)
    {
        Console.WriteLine();
        Console.WriteLine("## PostGIS ST_Contains with a GiST index (same polygons and points, one connection)");
        Console.WriteLine();
        await using var server = new PostgresServer();
        await server.InitializeAsync();
        await server.CreateDatabaseAsync("locator");
        Console.WriteLine($"Server: {server.Version}");
        Console.WriteLine();
        Console.WriteLine("| polygons | method | points | seconds | points/s | matched |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        await using var connection = new NpgsqlConnection(server.ConnectionString("locator"));
        await connection.OpenAsync();
        await ExecuteAsync(connection, "CREATE EXTENSION postgis");
        foreach (var name in new[] { "demo", "city100k" })
        {
            var data = Dataset.ByName(name);
            await LoadAsync(connection, data);
            var points = quick ? 10_000 : data.Lons.Length;

            var watch = Stopwatch.StartNew();
            var matched = await CountAsync(connection, "SELECT p.id, g.id FROM pts p JOIN grids g ON ST_Contains(g.geom, p.geom)");
            Row(name, "batch join, points in a table", data.Lons.Length, watch.Elapsed.TotalSeconds, matched);

            watch.Restart();
            await using (var command = new NpgsqlCommand(
                "SELECT p.i, g.id FROM unnest(@lon, @lat) WITH ORDINALITY AS p(lon, lat, i) JOIN grids g ON ST_Contains(g.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))", connection))
            {
                command.Parameters.AddWithValue("lon", data.Lons);
                command.Parameters.AddWithValue("lat", data.Lats);
                matched = await CountAsync(command);
            }

            Row(name, "batch join, unnest(arrays) sent with the query", data.Lons.Length, watch.Elapsed.TotalSeconds, matched);

            await using (var single = new NpgsqlCommand("SELECT id FROM grids WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)) LIMIT 1", connection))
            {
                var lon = single.Parameters.Add("lon", NpgsqlDbType.Double);
                var lat = single.Parameters.Add("lat", NpgsqlDbType.Double);
                await single.PrepareAsync();
                matched = 0;
                watch.Restart();
                for (var i = 0; i < points; i++)
                {
                    lon.Value = data.Lons[i];
                    lat.Value = data.Lats[i];
                    matched += await single.ExecuteScalarAsync() is null ? 0 : 1;
                }

                Row(name, "one point per query, prepared", points, watch.Elapsed.TotalSeconds, matched);
            }
        }
    }

    private static async Task LoadAsync(NpgsqlConnection connection, Dataset data)
    {
        await ExecuteAsync(connection, "DROP TABLE IF EXISTS grids, pts; CREATE TABLE grids (id int PRIMARY KEY, geom geometry(Geometry, 4326) NOT NULL); CREATE TABLE pts (id int PRIMARY KEY, geom geometry(Point, 4326) NOT NULL)");
        var writer = new WKBWriter();
        await using (var import = await connection.BeginBinaryImportAsync("COPY grids (id, geom) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < data.Leaves.Length; i++)
            {
                await import.StartRowAsync();
                await import.WriteAsync(i, NpgsqlDbType.Integer);
                await import.WriteAsync(EwkbWithSrid(writer.Write(data.Leaves[i].Boundary)), NpgsqlDbType.Bytea);
            }

            await import.CompleteAsync();
        }

        await using (var import = await connection.BeginBinaryImportAsync("COPY pts (id, geom) FROM STDIN (FORMAT BINARY)"))
        {
            var factory = new NetTopologySuite.Geometries.GeometryFactory();
            for (var i = 0; i < data.Lons.Length; i++)
            {
                await import.StartRowAsync();
                await import.WriteAsync(i, NpgsqlDbType.Integer);
                await import.WriteAsync(EwkbWithSrid(writer.Write(factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(data.Lons[i], data.Lats[i])))), NpgsqlDbType.Bytea);
            }

            await import.CompleteAsync();
        }

        await ExecuteAsync(connection, "CREATE INDEX ON grids USING gist (geom); CREATE INDEX ON pts USING gist (geom); ANALYZE grids; ANALYZE pts");
    }

    /// <summary>PostGIS reads extended WKB in binary COPY; set the SRID flag and value (4326) in place.</summary>
    private static byte[] EwkbWithSrid(byte[] wkb)
    {
        var littleEndian = wkb[0] == 1;
        var type = littleEndian ? BitConverter.ToUInt32(wkb, 1) : System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(wkb.AsSpan(1));
        type |= 0x20000000;
        var result = new byte[wkb.Length + 4];
        result[0] = wkb[0];
        if (littleEndian)
        {
            BitConverter.TryWriteBytes(result.AsSpan(1), type);
            BitConverter.TryWriteBytes(result.AsSpan(5), 4326u);
        }
        else
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(1), type);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(5), 4326u);
        }

        wkb.AsSpan(5).CopyTo(result.AsSpan(9));
        return result;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<int> CountAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await CountAsync(command);
    }

    private static async Task<int> CountAsync(NpgsqlCommand command)
    {
        command.CommandTimeout = 600;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
        }

        return rows;
    }

    private static void Row(string name, string method, int points, double seconds, int matched) =>
        Console.WriteLine(Invariant($"| {name} | {method} | {points:N0} | {seconds:F2} | {points / seconds:N0} | {matched:N0} |"));

    private static double BestRate(Func<int> pass, int points)
    {
        var best = double.MaxValue;
        var sink = 0;
        for (var i = 0; i < 6; i++)
        {
            var watch = Stopwatch.StartNew();
            sink += pass();
            if (i > 0)
            {
                best = Math.Min(best, watch.Elapsed.TotalSeconds);
            }
        }

        GC.KeepAlive(sink);
        return points / best;
    }

    private static string Share(int count) => Invariant($"{count / (double)Dataset.PointCount:P1}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
