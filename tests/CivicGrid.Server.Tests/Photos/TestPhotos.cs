using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace CivicGrid.Server.Tests.Photos;

/// <summary>Test images built in code: plain encodes from SkiaSharp, a JPEG with hand-written EXIF, and a PNG bomb header.</summary>
internal static class TestPhotos
{
    /// <summary>A <paramref name="width"/> × <paramref name="height"/> image, left half red and right half blue, so orientation is visible.</summary>
    public static byte[] Encode(SKEncodedImageFormat format, int width, int height, bool transparent = false)
    {
        var alpha = transparent ? SKAlphaType.Premul : SKAlphaType.Opaque;
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, alpha));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(transparent ? SKColors.Transparent : SKColors.Blue);
            using var red = new SKPaint { Color = SKColors.Red };
            canvas.DrawRect(0, 0, width / 2f, height, red);
        }

        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    public static byte[] Jpeg(int width, int height) => Encode(SKEncodedImageFormat.Jpeg, width, height);

    /// <summary>
    /// Inserts an EXIF APP1 segment right after the JPEG's SOI marker. Layout (all big-endian, "MM"):
    /// <code>
    /// FF E1 &lt;length: 2 bytes, counts itself&gt; "Exif\0\0"
    /// TIFF header at offset 0: "MM" 00 2A &lt;IFD0 offset = 8&gt;
    /// IFD0:      Make, Model (ASCII), Orientation (SHORT), ExifIFD pointer 0x8769, GPS IFD pointer 0x8825
    /// Exif IFD:  DateTimeOriginal 0x9003 "YYYY:MM:DD hh:mm:ss", OffsetTimeOriginal 0x9011 "+08:00"
    /// GPS IFD:   VersionID 0, LatitudeRef 1 "N", Latitude 2 (3 RATIONAL: d, m, s), LongitudeRef 3 "E",
    ///            Longitude 4, AltitudeRef 5 (BYTE 0 = above sea level), Altitude 6 (RATIONAL metres)
    /// </code>
    /// Each IFD is: entry count (2 bytes), 12-byte entries sorted by tag (tag, type, count, value or
    /// offset), next-IFD offset 0 (4 bytes), then the values longer than 4 bytes. Offsets count
    /// from the "MM". Pass <paramref name="latitude"/> <see langword="null"/> for no GPS IFD.
    /// </summary>
    public static byte[] WithExif(byte[] jpeg, int orientation, (int D, int M, int S)? latitude, (int D, int M, int S)? longitude,
        (int Numerator, int Denominator) altitude = default, string make = "HUAWEI", string model = "ELS-AN00",
        string dateTimeOriginal = "2024:05:01 09:30:00")
    {
        var ifd0 = new Ifd
        {
            Ascii(0x010F, make),
            Ascii(0x0110, model),
            Short(0x0112, (ushort)orientation),
        };
        var exif = new Ifd { Ascii(0x9003, dateTimeOriginal), Ascii(0x9011, "+08:00") };
        Ifd? gps = null;
        if (latitude is { } lat && longitude is { } lon)
        {
            gps =
            [
                new(0x0000, 1, 4, [2, 3, 0, 0]),
                Ascii(0x0001, "N"),
                Rationals(0x0002, (lat.D, 1), (lat.M, 1), (lat.S, 1)),
                Ascii(0x0003, "E"),
                Rationals(0x0004, (lon.D, 1), (lon.M, 1), (lon.S, 1)),
                new(0x0005, 1, 1, [0]),
                Rationals(0x0006, altitude.Denominator == 0 ? (0, 1) : altitude),
            ];
        }

        // Pointers are LONGs whose values are patched once the layout is known.
        ifd0.Add(new(0x8769, 4, 1, new byte[4]));
        if (gps is not null)
        {
            ifd0.Add(new(0x8825, 4, 1, new byte[4]));
        }

        var ifd0Offset = 8;
        var exifOffset = ifd0Offset + ifd0.Size;
        var gpsOffset = exifOffset + exif.Size;
        BinaryPrimitives.WriteUInt32BigEndian(ifd0.Single(e => e.Tag == 0x8769).Value, (uint)exifOffset);
        if (gps is not null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(ifd0.Single(e => e.Tag == 0x8825).Value, (uint)gpsOffset);
        }

        var tiff = new List<byte>("MM"u8.ToArray()) { 0x00, 0x2A, 0, 0, 0, (byte)ifd0Offset };
        tiff.AddRange(ifd0.Write(ifd0Offset));
        tiff.AddRange(exif.Write(exifOffset));
        if (gps is not null)
        {
            tiff.AddRange(gps.Write(gpsOffset));
        }

        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var segmentLength = payload.Length + 2;
        byte[] app1 = [0xFF, 0xE1, (byte)(segmentLength >> 8), (byte)segmentLength, .. payload];
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }

    /// <summary>
    /// A valid PNG header that declares <paramref name="width"/> × <paramref name="height"/> RGB
    /// pixels, followed by an IDAT of a few compressed bytes and IEND: a few hundred bytes that
    /// would need width × height × 3 bytes to decode.
    /// </summary>
    public static byte[] PngBomb(int width, int height)
    {
        var png = new List<byte> { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type RGB
        AddChunk(png, "IHDR", ihdr);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(new byte[4096]);
        }

        AddChunk(png, "IDAT", compressed.ToArray());
        AddChunk(png, "IEND", []);
        return [.. png];
    }

    private static void AddChunk(List<byte> png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.AddRange(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.AddRange(typeAndData);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        png.AddRange(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }

    private static IfdEntry Ascii(ushort tag, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text + "\0");
        return new(tag, 2, bytes.Length, bytes);
    }

    private static IfdEntry Short(ushort tag, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return new(tag, 3, 1, bytes);
    }

    private static IfdEntry Rationals(ushort tag, params (int Numerator, int Denominator)[] values)
    {
        var bytes = new byte[8 * values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8 * i), (uint)values[i].Numerator);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8 * i + 4), (uint)values[i].Denominator);
        }

        return new(tag, 5, values.Length, bytes);
    }

    private sealed record IfdEntry(ushort Tag, ushort Type, int Count, byte[] Value);

    private sealed class Ifd : List<IfdEntry>
    {
        private int OverflowSize => this.Where(e => e.Value.Length > 4).Sum(e => e.Value.Length + (e.Value.Length % 2));

        public int Size => 2 + 12 * Count + 4 + OverflowSize;

        public byte[] Write(int offset)
        {
            var entries = this.OrderBy(e => e.Tag).ToList();
            var head = new byte[2 + 12 * entries.Count + 4];
            var overflow = new List<byte>();
            BinaryPrimitives.WriteUInt16BigEndian(head, (ushort)entries.Count);
            var overflowOffset = offset + head.Length;
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = head.AsSpan(2 + 12 * i, 12);
                BinaryPrimitives.WriteUInt16BigEndian(entry, entries[i].Tag);
                BinaryPrimitives.WriteUInt16BigEndian(entry[2..], entries[i].Type);
                BinaryPrimitives.WriteInt32BigEndian(entry[4..], entries[i].Count);
                if (entries[i].Value.Length <= 4)
                {
                    entries[i].Value.CopyTo(entry[8..]);
                }
                else
                {
                    BinaryPrimitives.WriteInt32BigEndian(entry[8..], overflowOffset + overflow.Count);
                    overflow.AddRange(entries[i].Value);
                    if (entries[i].Value.Length % 2 == 1)
                    {
                        overflow.Add(0);
                    }
                }
            }

            return [.. head, .. overflow];
        }
    }
}
