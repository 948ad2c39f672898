using System.Buffers;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Features.Basemap;

/// <summary>One feature of a base-map layer: WGS-84 lon/lat geometry and its attributes (string, integer, double or bool values).</summary>
public sealed record TileFeature(Geometry Geometry, IReadOnlyDictionary<string, object> Attributes)
{
    /// <summary>The first zoom it is drawn at, when later than its layer's (lanes after main roads).</summary>
    public int MinZoom { get; init; }
}

/// <summary>
/// Encodes one Mapbox Vector Tile (specification 2.1: a protobuf <c>Tile</c> of <c>Layer</c>s whose features carry
/// zig-zag delta-encoded MoveTo / LineTo / ClosePath commands in a 4096 extent, exterior rings clockwise on screen).
/// Geometry comes in as WGS-84 lon/lat, is clipped to the tile plus a margin and projected to Web Mercator tile units.
/// Hand-written because it is small and every byte of it is tested; no protobuf library is needed for four messages.
/// </summary>
public static class VectorTileEncoder
{
    public const int Extent = 4096;

    /// <summary>The margin kept around a tile, in tile units: lines and labels crossing the edge join without seams.</summary>
    public const int Buffer = 64;

    /// <summary>The lon/lat envelope of tile <paramref name="x"/>, <paramref name="y"/> at zoom <paramref name="z"/> (XYZ, y down from the north).</summary>
    public static Envelope Bounds(int z, int x, int y, double margin = 0)
    {
        var n = 1 << z;
        return new Envelope(Lon(x - margin, n), Lon(x + 1 + margin, n), Lat(y + 1 + margin, n), Lat(y - margin, n));
    }

    /// <summary>The tiles at zoom <paramref name="z"/> that cover <paramref name="bounds"/>: columns and rows, inclusive.</summary>
    public static (int X0, int Y0, int X1, int Y1) Cover(Envelope bounds, int z)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        var n = 1 << z;
        var (x0, y1) = TileOf(bounds.MinX, bounds.MinY, n);
        var (x1, y0) = TileOf(bounds.MaxX, bounds.MaxY, n);
        return ((int)Math.Floor(x0), (int)Math.Floor(y0), Math.Min(n - 1, (int)Math.Floor(x1)), Math.Min(n - 1, (int)Math.Floor(y1)));
    }

    /// <summary>The tile's bytes (uncompressed protobuf); layers without a feature in the tile are left out, so an empty tile is zero bytes.</summary>
    public static byte[] Encode(int z, int x, int y, IEnumerable<(string Name, IEnumerable<TileFeature> Features)> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var clip = new GeometryFactory(new PrecisionModel(), 4326).ToGeometry(Bounds(z, x, y, (double)Buffer / Extent));
        var tile = new ProtoWriter();
        foreach (var (name, features) in layers)
        {
            var layer = EncodeLayer(name, features, clip, z, x, y);
            if (layer is not null)
            {
                tile.Bytes(3, layer);
            }
        }

        return tile.ToArray();
    }

    private static byte[]? EncodeLayer(string name, IEnumerable<TileFeature> features, Geometry clip, int z, int x, int y)
    {
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var values = new Dictionary<object, int>();
        var encodedValues = new List<byte[]>();
        var encodedFeatures = new List<byte[]>();
        foreach (var feature in features)
        {
            var clipped = clip.Contains(feature.Geometry) ? feature.Geometry : feature.Geometry.Intersection(clip);
            var (type, commands) = Commands(clipped, z, x, y);
            if (commands.Count == 0)
            {
                continue;
            }

            var tags = new List<uint>(feature.Attributes.Count * 2);
            foreach (var (key, value) in feature.Attributes)
            {
                if (!keys.TryGetValue(key, out var k))
                {
                    keys[key] = k = keys.Count;
                }

                if (!values.TryGetValue(value, out var v))
                {
                    values[value] = v = values.Count;
                    encodedValues.Add(EncodeValue(value));
                }

                tags.Add((uint)k);
                tags.Add((uint)v);
            }

            var encoded = new ProtoWriter();
            encoded.Packed(2, tags);
            encoded.Varint(3, (uint)type);
            encoded.Packed(4, commands);
            encodedFeatures.Add(encoded.ToArray());
        }

        if (encodedFeatures.Count == 0)
        {
            return null;
        }

        var layer = new ProtoWriter();
        layer.Varint(15, 2);
        layer.String(1, name);
        encodedFeatures.ForEach(f => layer.Bytes(2, f));
        foreach (var key in keys.OrderBy(k => k.Value))
        {
            layer.String(3, key.Key);
        }

        encodedValues.ForEach(v => layer.Bytes(4, v));
        layer.Varint(5, Extent);
        return layer.ToArray();
    }

    private static byte[] EncodeValue(object value)
    {
        var writer = new ProtoWriter();
        switch (value)
        {
            case string s:
                writer.String(1, s);
                break;
            case bool b:
                writer.Varint(7, b ? 1UL : 0UL);
                break;
            case int or long:
                writer.Varint(6, ZigZag(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case double d:
                writer.Fixed64(3, BitConverter.DoubleToUInt64Bits(d));
                break;
            default:
                throw new ArgumentException($"A tile attribute cannot be a {value.GetType().Name}.", nameof(value));
        }

        return writer.ToArray();
    }

    /// <summary>The feature's type (1 point, 2 line, 3 polygon) and its command integers; none when nothing of it is left in the tile.</summary>
    private static (int Type, List<uint> Commands) Commands(Geometry geometry, int z, int x, int y)
    {
        var commands = new List<uint>();
        var cursor = (X: 0, Y: 0);
        if (geometry is Point or MultiPoint)
        {
            // One MoveTo with a count for all the points (specification 4.3.4.2).
            var points = geometry.Coordinates.Select(c => Project(c, z, x, y)).Where(p => p.X is >= 0 and < Extent && p.Y is >= 0 and < Extent).ToList();
            if (points.Count > 0)
            {
                commands.Add(Command(1, points.Count));
                points.ForEach(p => Delta(commands, ref cursor, p));
            }

            return (1, commands);
        }

        var type = 0;
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            switch (geometry.GetGeometryN(i))
            {
                case LineString line when type is 0 or 2 && line is not LinearRing:
                    var path = Path(line.Coordinates, z, x, y);
                    if (path.Count >= 2)
                    {
                        type = 2;
                        AddPath(commands, ref cursor, path, close: false);
                    }

                    break;
                case Polygon polygon when type is 0 or 3:
                    var shell = Ring(polygon.Shell.Coordinates, z, x, y, exterior: true);
                    if (shell is null)
                    {
                        break;
                    }

                    type = 3;
                    AddPath(commands, ref cursor, shell, close: true);
                    foreach (var hole in polygon.Holes)
                    {
                        if (Ring(hole.Coordinates, z, x, y, exterior: false) is { } inner)
                        {
                            AddPath(commands, ref cursor, inner, close: true);
                        }
                    }

                    break;
                default:
                    // An empty part, or a part of another kind that clipping left (a polygon touching the edge at a point).
                    break;
            }
        }

        return (type, commands);
    }

    /// <summary>
    /// A ring without its closing point, wound as the specification wants (exterior: positive area by its formula in tile
    /// coordinates, y pointing down; interior: negative); null when fewer than three distinct points are left.
    /// </summary>
    private static List<(int X, int Y)>? Ring(Coordinate[] coordinates, int z, int x, int y, bool exterior)
    {
        var path = Path(coordinates, z, x, y);
        if (path.Count > 1 && path[0] == path[^1])
        {
            path.RemoveAt(path.Count - 1);
        }

        if (path.Count < 3)
        {
            return null;
        }

        long area = 0;
        for (var i = 0; i < path.Count; i++)
        {
            var (a, b) = (path[i], path[(i + 1) % path.Count]);
            area += ((long)a.X * b.Y) - ((long)b.X * a.Y);
        }

        if (area == 0)
        {
            return null;
        }

        if ((area > 0) != exterior)
        {
            path.Reverse();
        }

        return path;
    }

    private static List<(int X, int Y)> Path(Coordinate[] coordinates, int z, int x, int y)
    {
        var path = new List<(int X, int Y)>(coordinates.Length);
        foreach (var c in coordinates)
        {
            var p = Project(c, z, x, y);
            if (path.Count == 0 || path[^1] != p)
            {
                path.Add(p);
            }
        }

        return path;
    }

    private static void AddPath(List<uint> commands, ref (int X, int Y) cursor, List<(int X, int Y)> path, bool close)
    {
        commands.Add(Command(1, 1));
        Delta(commands, ref cursor, path[0]);
        commands.Add(Command(2, path.Count - 1));
        for (var i = 1; i < path.Count; i++)
        {
            Delta(commands, ref cursor, path[i]);
        }

        if (close)
        {
            commands.Add(Command(7, 1));
        }
    }

    private static void Delta(List<uint> commands, ref (int X, int Y) cursor, (int X, int Y) to)
    {
        commands.Add((uint)ZigZag(to.X - cursor.X));
        commands.Add((uint)ZigZag(to.Y - cursor.Y));
        cursor = to;
    }

    private static uint Command(int id, int count) => (uint)((id & 0x7) | (count << 3));

    private static ulong ZigZag(long n) => (ulong)((n << 1) ^ (n >> 63));

    /// <summary>Web Mercator: lon/lat to this tile's units (0..4096 inside the tile, y down).</summary>
    private static (int X, int Y) Project(Coordinate c, int z, int x, int y)
    {
        var (tx, ty) = TileOf(c.X, c.Y, 1 << z);
        return ((int)Math.Round((tx - x) * Extent), (int)Math.Round((ty - y) * Extent));
    }

    private static (double X, double Y) TileOf(double lon, double lat, int n)
    {
        var sin = Math.Sin(lat * Math.PI / 180);
        return ((lon + 180) / 360 * n, (0.5 - (Math.Log((1 + sin) / (1 - sin)) / (4 * Math.PI))) * n);
    }

    private static double Lon(double x, int n) => (x / n * 360) - 180;

    private static double Lat(double y, int n) => Math.Atan(Math.Sinh(Math.PI * (1 - (2 * y / n)))) * 180 / Math.PI;

    /// <summary>The protobuf wire format, as much of it as a vector tile needs.</summary>
    private sealed class ProtoWriter
    {
        private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new();

        public void Varint(int field, ulong value)
        {
            Key(field, 0);
            Raw(value);
        }

        public void Fixed64(int field, ulong value)
        {
            Key(field, 1);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
            _buffer.Advance(8);
        }

        public void String(int field, string value) => Bytes(field, System.Text.Encoding.UTF8.GetBytes(value));

        public void Bytes(int field, byte[] value)
        {
            Key(field, 2);
            Raw((ulong)value.Length);
            _buffer.Write(value);
        }

        public void Packed(int field, List<uint> values)
        {
            if (values.Count == 0)
            {
                return;
            }

            var inner = new ProtoWriter();
            values.ForEach(v => inner.Raw(v));
            Bytes(field, inner.ToArray());
        }

        public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

        private void Key(int field, int wireType) => Raw((ulong)((field << 3) | wireType));

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                Byte((byte)(value | 0x80));
                value >>= 7;
            }

            Byte((byte)value);
        }

        private void Byte(byte b)
        {
            _buffer.GetSpan(1)[0] = b;
            _buffer.Advance(1);
        }
    }
}
