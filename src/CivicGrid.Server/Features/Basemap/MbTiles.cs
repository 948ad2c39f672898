using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace CivicGrid.Server.Features.Basemap;

/// <summary>A base-map layer to tile: its name, the zooms it appears from, and its features.</summary>
public sealed record BasemapLayer(string Name, int MinZoom, IReadOnlyList<TileFeature> Features);

/// <summary>What an MBTiles file says about itself (its <c>metadata</c> table, MBTiles 1.3).</summary>
public sealed record MbTilesInfo(string Name, string Format, int MinZoom, int MaxZoom, double[] Bounds, double[] Center, string? Attribution);

/// <summary>
/// MBTiles 1.3 (an SQLite file: <c>metadata</c> name/value rows and <c>tiles</c> by zoom, column and TMS row, vector tiles
/// gzipped) — the format tile tools such as tippecanoe and planetiler write, so an operator can drop in a file of their
/// territory; the demo writes one of its own streets and buildings.
/// </summary>
public static class MbTiles
{
    /// <summary>Reads a file's metadata; null when it is not a readable MBTiles file.</summary>
    public static MbTilesInfo? ReadInfo(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, value FROM metadata";
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                metadata[reader.GetString(0)] = reader.GetString(1);
            }
        }

        var bounds = Numbers(metadata.GetValueOrDefault("bounds")) is { Length: 4 } b ? b : [-180, -85.0511, 180, 85.0511];
        var minZoom = int.TryParse(metadata.GetValueOrDefault("minzoom"), CultureInfo.InvariantCulture, out var min) ? min : 0;
        var maxZoom = int.TryParse(metadata.GetValueOrDefault("maxzoom"), CultureInfo.InvariantCulture, out var max) ? max : 14;
        var center = Numbers(metadata.GetValueOrDefault("center")) is { Length: >= 2 } c ? c
            : [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, Math.Min(maxZoom, Math.Max(minZoom, 14))];
        return new MbTilesInfo(metadata.GetValueOrDefault("name") ?? Path.GetFileNameWithoutExtension(path), metadata.GetValueOrDefault("format") ?? "pbf",
            minZoom, maxZoom, bounds, center, metadata.GetValueOrDefault("attribution"));
    }

    /// <summary>One tile's stored bytes (gzipped for vector tiles), by XYZ address; null when the file has none there.</summary>
    public static byte[]? ReadTile(string path, int z, int x, int y)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT tile_data FROM tiles WHERE zoom_level = $z AND tile_column = $x AND tile_row = $row";
        command.Parameters.AddWithValue("$z", z);
        command.Parameters.AddWithValue("$x", x);
        command.Parameters.AddWithValue("$row", (1 << z) - 1 - y); // TMS rows count from the south.
        return command.ExecuteScalar() as byte[];
    }

    /// <summary>
    /// Tiles <paramref name="layers"/> over <paramref name="bounds"/> from <paramref name="minZoom"/> to
    /// <paramref name="maxZoom"/> into a new MBTiles file at <paramref name="path"/> (written beside it, then moved into
    /// place, so a reader never sees half a file). Returns the number of tiles written.
    /// </summary>
    public static int Write(string path, string name, string attribution, Envelope bounds, int minZoom, int maxZoom, IReadOnlyList<BasemapLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        ArgumentNullException.ThrowIfNull(layers);
        var indexes = layers.Select(l =>
        {
            var tree = new STRtree<TileFeature>();
            foreach (var f in l.Features)
            {
                tree.Insert(f.Geometry.EnvelopeInternal, f);
            }

            tree.Build();
            return (Layer: l, Tree: tree);
        }).ToList();

        var temporary = path + ".writing";
        File.Delete(temporary);
        var written = 0;
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary, Pooling = false }.ToString()))
        {
            connection.Open();
            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, """
                CREATE TABLE metadata (name TEXT, value TEXT);
                CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
                CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
                """);
            var vectorLayers = layers.Select(l => new
            {
                id = l.Name,
                minzoom = l.MinZoom,
                maxzoom = maxZoom,
                fields = l.Features.SelectMany(f => f.Attributes).GroupBy(a => a.Key)
                    .ToDictionary(g => g.Key, g => g.First().Value is string ? "String" : g.First().Value is bool ? "Boolean" : "Number"),
            });
            var metadata = new Dictionary<string, string>
            {
                ["name"] = name, ["format"] = "pbf", ["type"] = "baselayer", ["version"] = "1", ["minzoom"] = minZoom.ToString(CultureInfo.InvariantCulture),
                ["maxzoom"] = maxZoom.ToString(CultureInfo.InvariantCulture), ["attribution"] = attribution,
                ["bounds"] = string.Create(CultureInfo.InvariantCulture, $"{bounds.MinX:R},{bounds.MinY:R},{bounds.MaxX:R},{bounds.MaxY:R}"),
                ["center"] = string.Create(CultureInfo.InvariantCulture, $"{bounds.Centre.X:R},{bounds.Centre.Y:R},{Math.Min(maxZoom, 15)}"),
                ["json"] = JsonSerializer.Serialize(new { vector_layers = vectorLayers }),
            };
            using var insertMetadata = connection.CreateCommand();
            insertMetadata.Transaction = transaction;
            insertMetadata.CommandText = "INSERT INTO metadata (name, value) VALUES ($name, $value)";
            var metadataName = insertMetadata.Parameters.Add("$name", SqliteType.Text);
            var metadataValue = insertMetadata.Parameters.Add("$value", SqliteType.Text);
            foreach (var (key, value) in metadata)
            {
                metadataName.Value = key;
                metadataValue.Value = value;
                insertMetadata.ExecuteNonQuery();
            }

            using var insertTile = connection.CreateCommand();
            insertTile.Transaction = transaction;
            insertTile.CommandText = "INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES ($z, $x, $row, $data)";
            var zParameter = insertTile.Parameters.Add("$z", SqliteType.Integer);
            var xParameter = insertTile.Parameters.Add("$x", SqliteType.Integer);
            var rowParameter = insertTile.Parameters.Add("$row", SqliteType.Integer);
            var dataParameter = insertTile.Parameters.Add("$data", SqliteType.Blob);
            for (var z = minZoom; z <= maxZoom; z++)
            {
                var (x0, y0, x1, y1) = VectorTileEncoder.Cover(bounds, z);
                for (var x = x0; x <= x1; x++)
                {
                    for (var y = y0; y <= y1; y++)
                    {
                        var search = VectorTileEncoder.Bounds(z, x, y, (double)VectorTileEncoder.Buffer / VectorTileEncoder.Extent);
                        var zoom = z;
                        var tile = VectorTileEncoder.Encode(z, x, y, indexes.Where(i => zoom >= i.Layer.MinZoom)
                            .Select(i => (i.Layer.Name, i.Tree.Query(search).Where(f => zoom >= f.MinZoom))));
                        if (tile.Length == 0)
                        {
                            continue;
                        }

                        zParameter.Value = z;
                        xParameter.Value = x;
                        rowParameter.Value = (1 << z) - 1 - y;
                        dataParameter.Value = Gzip(tile);
                        insertTile.ExecuteNonQuery();
                        written++;
                    }
                }
            }

            transaction.Commit();
        }

        File.Move(temporary, path, overwrite: true);
        return written;
    }

    /// <summary>
    /// Closes the pooled connections to <paramref name="path"/>: a file replaced in place (moved over the old one) would
    /// otherwise still be read through them from the old file.
    /// </summary>
    public static void Forget(string path)
    {
        using var connection = new SqliteConnection(ConnectionString(path));
        SqliteConnection.ClearPool(connection);
    }

    private static string ConnectionString(string path) => new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString();

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(ConnectionString(path));
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static double[]? Numbers(string? csv) =>
        csv?.Split(',').Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN).ToArray() is { } values
        && values.All(double.IsFinite) ? values : null;
}
