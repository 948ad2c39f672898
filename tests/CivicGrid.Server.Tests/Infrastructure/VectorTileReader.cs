using System.Text;

namespace CivicGrid.Server.Tests.Infrastructure;

/// <summary>One decoded vector-tile feature: its type (1 point, 2 line, 3 polygon), attributes and raw command integers.</summary>
public sealed record DecodedFeature(int Type, Dictionary<string, object> Attributes, List<uint> Geometry);

/// <summary>
/// Decodes a Mapbox Vector Tile (protobuf) independently of the server's encoder, from the specification: layers by name,
/// their extent, features with their attributes resolved through the layer's keys and values.
/// </summary>
public static class VectorTileReader
{
    public static Dictionary<string, (uint Extent, List<DecodedFeature> Features)> Decode(byte[] tile)
    {
        var layers = new Dictionary<string, (uint, List<DecodedFeature>)>(StringComparer.Ordinal);
        foreach (var (field, _, bytes) in Fields(tile))
        {
            if (field != 3)
            {
                continue;
            }

            string? name = null;
            uint extent = 4096;
            var keys = new List<string>();
            var values = new List<object>();
            var features = new List<(List<uint> Tags, int Type, List<uint> Geometry)>();
            foreach (var (f, varint, inner) in Fields(bytes!))
            {
                switch (f)
                {
                    case 1: name = Encoding.UTF8.GetString(inner!); break;
                    case 3: keys.Add(Encoding.UTF8.GetString(inner!)); break;
                    case 4: values.Add(Value(inner!)); break;
                    case 5: extent = (uint)varint; break;
                    case 2:
                        List<uint> tags = [], geometry = [];
                        var type = 0;
                        foreach (var (ff, v, b) in Fields(inner!))
                        {
                            if (ff == 2) tags = Packed(b!);
                            else if (ff == 3) type = (int)v;
                            else if (ff == 4) geometry = Packed(b!);
                        }

                        features.Add((tags, type, geometry));
                        break;
                    default: break;
                }
            }

            Assert.False(layers.ContainsKey(name!), $"layer {name} appears twice in one tile");
            layers[name!] = (extent, features.Select(x => new DecodedFeature(x.Type,
                Enumerable.Range(0, x.Tags.Count / 2).ToDictionary(i => keys[(int)x.Tags[2 * i]], i => values[(int)x.Tags[(2 * i) + 1]]), x.Geometry)).ToList());
        }

        return layers;
    }

    /// <summary>The rings or lines of a feature's geometry as absolute tile coordinates (commands decoded, zig-zag undone).</summary>
    public static List<List<(int X, int Y)>> Paths(List<uint> geometry)
    {
        var paths = new List<List<(int X, int Y)>>();
        int x = 0, y = 0, i = 0;
        while (i < geometry.Count)
        {
            var id = geometry[i] & 7;
            var count = (int)(geometry[i] >> 3);
            i++;
            if (id == 7)
            {
                continue;
            }

            for (var k = 0; k < count; k++)
            {
                x += Unzig(geometry[i++]);
                y += Unzig(geometry[i++]);
                if (id == 1)
                {
                    paths.Add([]);
                }

                paths[^1].Add((x, y));
            }
        }

        return paths;
    }

    private static int Unzig(uint n) => (int)(n >> 1) ^ -(int)(n & 1);

    private static object Value(byte[] bytes)
    {
        foreach (var (field, varint, inner) in Fields(bytes))
        {
            return field switch
            {
                1 => Encoding.UTF8.GetString(inner!),
                3 => BitConverter.Int64BitsToDouble((long)varint),
                4 or 5 => (long)varint,
                6 => (long)(varint >> 1) ^ -(long)(varint & 1),
                7 => varint != 0,
                _ => throw new InvalidDataException($"value field {field}"),
            };
        }

        throw new InvalidDataException("empty value");
    }

    private static List<uint> Packed(byte[] bytes)
    {
        var values = new List<uint>();
        var position = 0;
        while (position < bytes.Length)
        {
            values.Add((uint)Varint(bytes, ref position));
        }

        return values;
    }

    private static IEnumerable<(int Field, ulong Varint, byte[]? Bytes)> Fields(byte[] message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var key = Varint(message, ref position);
            var field = (int)(key >> 3);
            switch (key & 7)
            {
                case 0:
                    yield return (field, Varint(message, ref position), null);
                    break;
                case 1:
                    yield return (field, BitConverter.ToUInt64(message, position), null);
                    position += 8;
                    break;
                case 2:
                    var length = (int)Varint(message, ref position);
                    yield return (field, 0, message[position..(position + length)]);
                    position += length;
                    break;
                default:
                    throw new InvalidDataException($"wire type {key & 7}");
            }
        }
    }

    private static ulong Varint(byte[] bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
