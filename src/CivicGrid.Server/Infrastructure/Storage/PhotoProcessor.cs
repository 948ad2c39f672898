using System.Globalization;
using System.Security.Cryptography;
using CivicGrid.Spatial.CoordinateSystems;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace CivicGrid.Server.Infrastructure.Storage;

/// <summary>
/// Checks one uploaded photo and turns it into the copies CivicGrid serves: the format is told by
/// content, the pixel count is bounded from the header before decoding, the EXIF orientation is
/// applied, and the output is re-encoded so that no metadata survives. EXIF GPS, time and camera
/// are returned separately as <see cref="PhotoEvidence"/>.
/// </summary>
/// <remarks>
/// Served copies and thumbnails are always JPEG, even from a PNG or WebP with transparency
/// (transparent areas become white): one output format keeps storage, caching and clients simple,
/// and a photo of a broken street lamp has no use for an alpha channel. Thread-safe; register as a
/// singleton.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "A singleton that lives as long as the process; its semaphore is only awaited (WaitAsync), so no wait handle is ever made to release.")]
public sealed class PhotoProcessor(IOptions<PhotoOptions> options, TimeProvider timeProvider, ILogger<PhotoProcessor> logger)
{
    /// <summary>Media type of every served copy and thumbnail.</summary>
    public const string ServedContentType = "image/jpeg";

    // Phones and cameras in China write local time without an offset more often than not.
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    // EXIF 2.31 OffsetTimeOriginal, e.g. "+08:00"; named here because MetadataExtractor 2.4 has no constant for it.
    private const int ExifOffsetTimeOriginalTag = 0x9011;

    private readonly PhotoOptions _options = options.Value;

    /// <summary>The process-wide decoding slots (<see cref="PhotoOptions.MaxConcurrentDecodes"/>).</summary>
    private readonly SemaphoreSlim _decoding = new(options.Value.MaxConcurrentDecodes, options.Value.MaxConcurrentDecodes);

    /// <summary>
    /// <see cref="Process"/> in one of the process-wide decoding slots: waits at most <see cref="PhotoOptions.DecodeWait"/>
    /// for one, so that many concurrent uploads cannot decode at once and exhaust memory.
    /// </summary>
    /// <param name="maxBytes">A lower size limit than <see cref="PhotoOptions.MaxBytes"/> (an anonymous upload); null for that one.</param>
    /// <exception cref="PhotoDecodingBusyException">No slot came free in time: answered 503 with Retry-After.</exception>
    /// <exception cref="PhotoRejectedException">As <see cref="Process"/>.</exception>
    public async Task<ProcessedPhoto> ProcessAsync(Stream content, string? fileName, CancellationToken ct, long? maxBytes = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!await _decoding.WaitAsync(_options.DecodeWait, ct))
        {
            logger.LogWarning("Photo {FileName} refused: all {Slots} decoding slots stayed busy for {Wait}", fileName, _options.MaxConcurrentDecodes,
                _options.DecodeWait);
            throw new PhotoDecodingBusyException();
        }

        try
        {
            return Process(content, fileName, maxBytes);
        }
        finally
        {
            _decoding.Release();
        }
    }

    /// <summary>
    /// Reads, checks and re-encodes one photo. The stream is read to its end or to one byte past
    /// <see cref="PhotoOptions.MaxBytes"/>, whichever comes first, and is not disposed.
    /// </summary>
    /// <param name="content">The uploaded bytes.</param>
    /// <param name="fileName">The name the client sent; only logged, never trusted for the format or used as a path.</param>
    /// <returns>The served copy, thumbnail and evidence, with a new version-7 <see cref="ProcessedPhoto.Id"/>.</returns>
    /// <exception cref="PhotoRejectedException">The photo is too large, not a JPEG, PNG or WebP, has too many pixels, or is corrupt.</exception>
    /// <param name="maxBytes">A lower size limit than <see cref="PhotoOptions.MaxBytes"/>; null for that one.</param>
    public ProcessedPhoto Process(Stream content, string? fileName, long? maxBytes = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            return ProcessCore(content, Math.Min(maxBytes ?? _options.MaxBytes, _options.MaxBytes));
        }
        catch (PhotoRejectedException e)
        {
            logger.LogInformation("Photo {FileName} refused: {Reason}", fileName, e.Reason);
            throw;
        }
    }

    private ProcessedPhoto ProcessCore(Stream content, long limit)
    {
        var original = ReadBounded(content, limit);
        var format = DetectFormat(original);

        using var data = SKData.CreateCopy(original);
        using var codec = SKCodec.Create(data) ?? throw Corrupt();
        if (codec.EncodedFormat != format.Skia)
        {
            throw Corrupt();
        }

        // The decompression-bomb guard: a few hundred bytes of PNG can declare 50,000 × 50,000
        // pixels (10 GB decoded). SKCodec has read only the header so far.
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0 || width > _options.MaxSidePixels || height > _options.MaxSidePixels
            || (long)width * height > _options.MaxPixels)
        {
            throw TooManyPixels();
        }

        var (evidence, exifOrientation) = ReadMetadata(original);
        var orientation = exifOrientation ?? codec.EncodedOrigin;

        using var decoded = Decode(codec);
        using var served = Render(decoded, orientation, _options.MaxServedEdge);
        using var thumbnail = Render(served, SKEncodedOrigin.TopLeft, _options.ThumbnailEdge);

        return new ProcessedPhoto(
            Guid.CreateVersion7(timeProvider.GetUtcNow()),
            EncodeJpeg(served),
            ServedContentType,
            EncodeJpeg(thumbnail),
            served.Width,
            served.Height,
            format.Name,
            original.Length,
            Convert.ToHexStringLower(SHA256.HashData(original)),
            evidence);
    }

    private static byte[] ReadBounded(Stream content, long limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = content.Read(chunk, 0, (int)Math.Min(chunk.Length, limit + 1 - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                throw TooLarge(limit);
            }
        }

        return buffer.ToArray();
    }

    private sealed record DetectedFormat(string Name, SKEncodedImageFormat Skia);

    private static readonly DetectedFormat Jpeg = new("jpeg", SKEncodedImageFormat.Jpeg);
    private static readonly DetectedFormat Png = new("png", SKEncodedImageFormat.Png);
    private static readonly DetectedFormat WebP = new("webp", SKEncodedImageFormat.Webp);

    private static DetectedFormat DetectFormat(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return Jpeg;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png;
        }

        if (bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return WebP;
        }

        throw IsOtherImageFormat(bytes) ? UnsupportedFormat() : NotAnImage();
    }

    /// <summary>Image formats people do send (iPhone HEIC above all) earn a clearer message than "not an image".</summary>
    private static bool IsOtherImageFormat(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("GIF8"u8) || bytes.StartsWith("BM"u8)
            || bytes.StartsWith((ReadOnlySpan<byte>)[(byte)'I', (byte)'I', 0x2A, 0x00])
            || bytes.StartsWith((ReadOnlySpan<byte>)[(byte)'M', (byte)'M', 0x00, 0x2A]))
        {
            return true;
        }

        // ISO base media files (HEIC, HEIF, AVIF) carry "ftyp" and a brand at offset 4.
        if (bytes.Length >= 12 && bytes[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = bytes[8..12];
            return brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8)
                || brand.SequenceEqual("msf1"u8) || brand.SequenceEqual("avif"u8) || brand.SequenceEqual("hevc"u8);
        }

        // SVG is XML text; look at the start only, after a BOM and white space.
        var head = bytes[..Math.Min(bytes.Length, 512)];
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            head = head[3..];
        }

        var text = System.Text.Encoding.UTF8.GetString(head).TrimStart();
        return text.StartsWith("<svg", StringComparison.OrdinalIgnoreCase)
            || (text.StartsWith("<?xml", StringComparison.OrdinalIgnoreCase) && text.Contains("<svg", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// EXIF evidence and orientation. Broken metadata does not make a broken photo: the pixels are
    /// what matters, so a metadata error yields no evidence rather than a refusal.
    /// </summary>
    private (PhotoEvidence Evidence, SKEncodedOrigin? Orientation) ReadMetadata(byte[] original)
    {
        IReadOnlyList<MetadataExtractor.Directory> directories;
        try
        {
            using var stream = new MemoryStream(original, writable: false);
            directories = ImageMetadataReader.ReadMetadata(stream);
        }
        catch (Exception e) when (e is ImageProcessingException or IOException or ArgumentException or IndexOutOfRangeException)
        {
            logger.LogInformation(e, "Photo metadata unreadable; no evidence kept");
            return (PhotoEvidence.None, null);
        }

        var ifd0 = directories.OfType<ExifIfd0Directory>().FirstOrDefault();
        var subIfd = directories.OfType<ExifSubIfdDirectory>().FirstOrDefault();
        var gps = directories.OfType<GpsDirectory>().FirstOrDefault();

        double? lon = null, lat = null, altitude = null;
        if (gps?.GetGeoLocation() is { IsZero: false } location
            && Math.Abs(location.Latitude) <= 90 && Math.Abs(location.Longitude) <= 180)
        {
            (lon, lat) = (location.Longitude, location.Latitude);
            if (gps.TryGetRational(GpsDirectory.TagAltitude, out var rational) && rational.Denominator != 0)
            {
                var below = gps.TryGetInt32(GpsDirectory.TagAltitudeRef, out var altitudeRef) && altitudeRef == 1;
                altitude = below ? -rational.ToDouble() : rational.ToDouble();
            }
        }

        var evidence = new PhotoEvidence(
            lon,
            lat,
            altitude,
            lon is null ? null : CoordinateSystem.Wgs84,
            subIfd is null ? null : ReadTakenAt(subIfd),
            ReadCamera(ifd0));

        SKEncodedOrigin? orientation = null;
        if (ifd0 is not null && ifd0.TryGetInt32(ExifDirectoryBase.TagOrientation, out var value) && value is >= 1 and <= 8)
        {
            orientation = (SKEncodedOrigin)value;
        }

        return (evidence, orientation);
    }

    private static DateTimeOffset? ReadTakenAt(ExifSubIfdDirectory subIfd)
    {
        if (!subIfd.TryGetDateTime(ExifDirectoryBase.TagDateTimeOriginal, out var local))
        {
            return null;
        }

        var offset = ChinaStandardTime;
        var offsetText = subIfd.GetString(ExifOffsetTimeOriginalTag)?.Trim();
        if (offsetText is { Length: 6 } && (offsetText[0] is '+' or '-')
            && TimeSpan.TryParseExact(offsetText[1..], @"hh\:mm", CultureInfo.InvariantCulture, out var magnitude)
            && magnitude <= TimeSpan.FromHours(14))
        {
            offset = offsetText[0] == '-' ? -magnitude : magnitude;
        }

        return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset);
    }

    private static string? ReadCamera(ExifIfd0Directory? ifd0)
    {
        var make = ifd0?.GetString(ExifDirectoryBase.TagMake)?.Trim();
        var model = ifd0?.GetString(ExifDirectoryBase.TagModel)?.Trim();
        if (string.IsNullOrEmpty(make))
        {
            return string.IsNullOrEmpty(model) ? null : model;
        }

        if (string.IsNullOrEmpty(model))
        {
            return make;
        }

        // Many makers repeat themselves in the model ("Canon" + "Canon EOS R6").
        return model.StartsWith(make, StringComparison.OrdinalIgnoreCase) ? model : $"{make} {model}";
    }

    private static SKBitmap Decode(SKCodec codec)
    {
        var alpha = codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, alpha);
        var bitmap = new SKBitmap(info);
        try
        {
            // A truncated file decodes as IncompleteInput with grey where data was missing; that is
            // no fit evidence of anything, so only a complete decode counts.
            if (codec.GetPixels(info, bitmap.GetPixels()) != SKCodecResult.Success)
            {
                throw Corrupt();
            }

            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Draws <paramref name="source"/> upright, per <paramref name="orientation"/>, on an opaque white
    /// canvas whose longest side is at most <paramref name="maxEdge"/> pixels.
    /// </summary>
    private static SKBitmap Render(SKBitmap source, SKEncodedOrigin orientation, int maxEdge)
    {
        var (w, h) = (source.Width, source.Height);
        var swaps = orientation is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop
            or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (uprightWidth, uprightHeight) = swaps ? (h, w) : (w, h);
        var scale = Math.Min(1.0, (double)maxEdge / Math.Max(uprightWidth, uprightHeight));
        var targetWidth = Math.Max(1, (int)Math.Round(uprightWidth * scale));
        var targetHeight = Math.Max(1, (int)Math.Round(uprightHeight * scale));

        var target = new SKBitmap(new SKImageInfo(targetWidth, targetHeight, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(target);
        canvas.Clear(SKColors.White);
        var matrix = SKMatrix.CreateScale((float)targetWidth / uprightWidth, (float)targetHeight / uprightHeight)
            .PreConcat(OrientationMatrix(orientation, w, h));
        canvas.SetMatrix(matrix);
        using var image = SKImage.FromBitmap(source);
        using var paint = new SKPaint();
        var sampling = scale < 1.0 ? new SKSamplingOptions(SKCubicResampler.Mitchell) : new SKSamplingOptions(SKFilterMode.Linear);
        canvas.DrawImage(image, 0, 0, sampling, paint);
        canvas.Flush();
        return target;
    }

    /// <summary>
    /// Maps stored pixel (x, y) of a <paramref name="w"/> × <paramref name="h"/> image to its upright
    /// position, per the EXIF orientation values 1–8 (TIFF 6.0, tag 274).
    /// </summary>
    private static SKMatrix OrientationMatrix(SKEncodedOrigin orientation, int w, int h) => orientation switch
    {
        // (x, y) → (w − x, y): mirrored left to right.
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
        // (x, y) → (w − x, h − y): upside down.
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
        // (x, y) → (x, h − y): mirrored top to bottom.
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
        // (x, y) → (y, x): transposed.
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        // (x, y) → (h − y, x): the camera was turned a quarter clockwise-from-upright; rotate 90° clockwise.
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
        // (x, y) → (h − y, w − x): transverse.
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
        // (x, y) → (y, w − x): rotate 90° anticlockwise.
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        _ => SKMatrix.Identity,
    };

    private byte[] EncodeJpeg(SKBitmap bitmap)
    {
        // Skia's encoder writes JFIF and nothing we did not give it: no EXIF, XMP or GPS.
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, _options.JpegQuality)
            ?? throw new InvalidOperationException("SkiaSharp could not encode a JPEG.");
        return data.ToArray();
    }

    private static PhotoRejectedException TooLarge(long limit)
    {
        var megabytes = (limit / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture);
        return new(PhotoRejectionReasons.TooLarge, $"The photo is too large (limit {megabytes} MB).", $"照片过大（上限 {megabytes} MB）");
    }

    private PhotoRejectedException TooManyPixels()
    {
        var megapixels = (_options.MaxPixels / 1_000_000.0).ToString("0.#", CultureInfo.InvariantCulture);
        var tenThousands = (_options.MaxPixels / 10_000.0).ToString("0.#", CultureInfo.InvariantCulture);
        return new(
            PhotoRejectionReasons.TooManyPixels,
            $"The photo has too many pixels (limit {megapixels} megapixels, {_options.MaxSidePixels} per side).",
            $"照片像素过多（上限 {tenThousands} 万像素，每边不超过 {_options.MaxSidePixels} 像素）");
    }

    private static PhotoRejectedException NotAnImage() => new(
        PhotoRejectionReasons.NotAnImage, "The file is not an image.", "文件不是图片");

    private static PhotoRejectedException UnsupportedFormat() => new(
        PhotoRejectionReasons.UnsupportedFormat,
        "Unsupported image format: send JPEG, PNG or WebP.",
        "不支持的图片格式，请上传 JPEG、PNG 或 WebP 照片");

    private static PhotoRejectedException Corrupt() => new(
        PhotoRejectionReasons.Corrupt, "The image is damaged and cannot be read.", "图片已损坏，无法读取");
}
