using System.Buffers.Binary;
using CivicGrid.Domain.Patrols;

namespace CivicGrid.Server.Features.Patrols;

/// <summary>
/// Packs track points into a blob, 32 bytes each, little-endian: time (Unix milliseconds, int64), longitude and latitude
/// (float64, degrees WGS-84), accuracy (float32 metres, NaN when unknown), steps (int32, −1 when unknown).
/// </summary>
public static class TrackCodec
{
    public const int PointSize = 32;

    public static byte[] Encode(IReadOnlyList<TrackPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var bytes = new byte[points.Count * PointSize];
        var span = bytes.AsSpan();
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var s = span.Slice(i * PointSize, PointSize);
            BinaryPrimitives.WriteInt64LittleEndian(s, p.At.ToUnixTimeMilliseconds());
            BinaryPrimitives.WriteDoubleLittleEndian(s[8..], p.Lon);
            BinaryPrimitives.WriteDoubleLittleEndian(s[16..], p.Lat);
            BinaryPrimitives.WriteSingleLittleEndian(s[24..], p.AccuracyMeters is { } a ? (float)a : float.NaN);
            BinaryPrimitives.WriteInt32LittleEndian(s[28..], p.Steps ?? -1);
        }

        return bytes;
    }

    /// <summary>Appends the points of a blob to <paramref name="into"/>.</summary>
    public static void Decode(ReadOnlySpan<byte> bytes, List<TrackPoint> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        for (var offset = 0; offset + PointSize <= bytes.Length; offset += PointSize)
        {
            var s = bytes.Slice(offset, PointSize);
            var accuracy = BinaryPrimitives.ReadSingleLittleEndian(s[24..]);
            var steps = BinaryPrimitives.ReadInt32LittleEndian(s[28..]);
            into.Add(new TrackPoint(DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(s)),
                BinaryPrimitives.ReadDoubleLittleEndian(s[8..]), BinaryPrimitives.ReadDoubleLittleEndian(s[16..]),
                float.IsNaN(accuracy) ? null : accuracy, steps < 0 ? null : steps));
        }
    }
}
