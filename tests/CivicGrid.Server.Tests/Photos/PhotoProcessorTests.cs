using CivicGrid.Server.Infrastructure.Storage;
using CivicGrid.Spatial.CoordinateSystems;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace CivicGrid.Server.Tests.Photos;

public sealed class PhotoProcessorTests
{
    private static PhotoProcessor Processor(PhotoOptions? options = null) =>
        new(Options.Create(options ?? new PhotoOptions()), TimeProvider.System, NullLogger<PhotoProcessor>.Instance);

    private static ProcessedPhoto Process(byte[] bytes, string fileName = "photo.jpg", PhotoOptions? options = null)
    {
        using var stream = new MemoryStream(bytes);
        return Processor(options).Process(stream, fileName);
    }

    private static PhotoRejectedException Refused(byte[] bytes, string fileName = "photo.jpg", PhotoOptions? options = null)
    {
        using var stream = new MemoryStream(bytes);
        return Assert.Throws<PhotoRejectedException>(() => Processor(options).Process(stream, fileName));
    }

    private static SKSizeI SizeOf(byte[] jpeg)
    {
        using var codec = SKCodec.Create(new SKMemoryStream(jpeg));
        return codec.Info.Size;
    }

    // 34.25° N = 34° 15′ 0″, 108.96° E = 108° 57′ 36″: Xi'an's Bell Tower, near enough.
    private static byte[] XianPhoto(int orientation = 1) =>
        TestPhotos.WithExif(TestPhotos.Jpeg(400, 200), orientation, (34, 15, 0), (108, 57, 36), altitude: (4055, 10));

    [Fact]
    public void Process_JpegWithExifGps_KeepsGpsAsWgs84Evidence()
    {
        var photo = Process(XianPhoto());

        Assert.Equal(34.25, photo.Evidence.Lat!.Value, 6);
        Assert.Equal(108.96, photo.Evidence.Lon!.Value, 6);
        Assert.Equal(405.5, photo.Evidence.AltitudeMeters!.Value, 6);
        Assert.Equal(CoordinateSystem.Wgs84, photo.Evidence.Crs);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 9, 30, 0, TimeSpan.FromHours(8)), photo.Evidence.TakenAt);
        Assert.Equal("HUAWEI ELS-AN00", photo.Evidence.Camera);
    }

    [Fact]
    public void Process_JpegWithExifGps_ServesCopiesWithoutAnyExif()
    {
        var photo = Process(XianPhoto());

        foreach (var copy in new[] { photo.Served, photo.Thumbnail })
        {
            Assert.Equal(-1, copy.AsSpan().IndexOf("Exif\0\0"u8));
            Assert.Equal(0xFF, copy[0]);
            Assert.Equal(0xD8, copy[1]);
            using var stream = new MemoryStream(copy);
            var directories = ImageMetadataReader.ReadMetadata(stream);
            Assert.Empty(directories.OfType<GpsDirectory>());
            Assert.Empty(directories.OfType<ExifIfd0Directory>());
        }

        Assert.Equal("image/jpeg", photo.ServedContentType);
    }

    [Fact]
    public void Process_WhenOrientationIs6_ServesThePhotoUpright()
    {
        var photo = Process(XianPhoto(orientation: 6));

        Assert.Equal((200, 400), (photo.Width, photo.Height));
        Assert.Equal(new SKSizeI(200, 400), SizeOf(photo.Served));

        // Stored left half (red) is the upright top after a quarter turn clockwise.
        using var bitmap = SKBitmap.Decode(photo.Served);
        Assert.True(bitmap.GetPixel(100, 50).Red > 200 && bitmap.GetPixel(100, 50).Blue < 60);
        Assert.True(bitmap.GetPixel(100, 350).Blue > 200 && bitmap.GetPixel(100, 350).Red < 60);
    }

    [Fact]
    public void Process_WhenOrientationIs8_TurnsTheOtherWay()
    {
        var photo = Process(XianPhoto(orientation: 8));

        using var bitmap = SKBitmap.Decode(photo.Served);
        Assert.Equal((200, 400), (bitmap.Width, bitmap.Height));
        Assert.True(bitmap.GetPixel(100, 350).Red > 200);
        Assert.True(bitmap.GetPixel(100, 50).Blue > 200);
    }

    [Fact]
    public void Process_JpegWithoutExif_HasNoEvidence()
    {
        var photo = Process(TestPhotos.Jpeg(300, 200));

        Assert.Equal(PhotoEvidence.None, photo.Evidence);
        Assert.Equal("jpeg", photo.OriginalFormat);
        Assert.Equal((300, 200), (photo.Width, photo.Height));
    }

    [Fact]
    public void Process_ExifWithoutGps_KeepsTimeAndCameraButNoPosition()
    {
        var photo = Process(TestPhotos.WithExif(TestPhotos.Jpeg(300, 200), 1, null, null));

        Assert.Null(photo.Evidence.Lat);
        Assert.Null(photo.Evidence.Crs);
        Assert.Equal("HUAWEI ELS-AN00", photo.Evidence.Camera);
    }

    [Fact]
    public void Process_PngBombHeader_IsRefusedAsTooManyPixels()
    {
        var bomb = TestPhotos.PngBomb(50_000, 50_000);

        var refusal = Refused(bomb, "bomb.png");

        Assert.True(bomb.Length < 1000);
        Assert.Equal(PhotoRejectionReasons.TooManyPixels, refusal.Reason);
        Assert.Contains("像素", refusal.ChineseMessage);
    }

    [Fact]
    public void Process_SideLongerThanLimit_IsRefusedAsTooManyPixels()
    {
        var refusal = Refused(TestPhotos.PngBomb(25_000, 10), "strip.png");

        Assert.Equal(PhotoRejectionReasons.TooManyPixels, refusal.Reason);
    }

    [Fact]
    public void Process_TextRenamedJpg_IsNotAnImage()
    {
        var refusal = Refused("这不是照片, just text\n"u8.ToArray(), "photo.jpg");

        Assert.Equal(PhotoRejectionReasons.NotAnImage, refusal.Reason);
        Assert.Equal("文件不是图片", refusal.ChineseMessage);
    }

    [Fact]
    public void Process_EmptyFile_IsNotAnImage()
    {
        Assert.Equal(PhotoRejectionReasons.NotAnImage, Refused([], "empty.jpg").Reason);
    }

    [Fact]
    public void Process_Gif_IsUnsupported()
    {
        byte[] gif = [.. "GIF89a"u8, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3B];

        var refusal = Refused(gif, "photo.jpg");

        Assert.Equal(PhotoRejectionReasons.UnsupportedFormat, refusal.Reason);
        Assert.Contains("不支持", refusal.ChineseMessage);
    }

    [Fact]
    public void Process_Heic_IsUnsupported()
    {
        byte[] heic = [0, 0, 0, 0x18, .. "ftypheic"u8, 0, 0, 0, 0, .. "mif1heic"u8];

        Assert.Equal(PhotoRejectionReasons.UnsupportedFormat, Refused(heic, "IMG_0001.jpg").Reason);
    }

    [Fact]
    public void Process_Svg_IsUnsupported()
    {
        var svg = "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"u8.ToArray();

        Assert.Equal(PhotoRejectionReasons.UnsupportedFormat, Refused(svg, "photo.png").Reason);
    }

    [Fact]
    public void Process_OverMaxBytes_IsRefusedAsTooLargeWithChineseMessage()
    {
        var oversize = new byte[(15 * 1024 * 1024) + 1];
        oversize[0] = 0xFF;
        oversize[1] = 0xD8;
        oversize[2] = 0xFF;

        var refusal = Refused(oversize);

        Assert.Equal(PhotoRejectionReasons.TooLarge, refusal.Reason);
        Assert.Equal("照片过大（上限 15 MB）", refusal.ChineseMessage);
        Assert.Equal("The photo is too large (limit 15 MB).", refusal.Message);
    }

    [Fact]
    public void Process_ExactlyMaxBytes_IsNotRefusedForSize()
    {
        var jpeg = TestPhotos.Jpeg(64, 64);
        var options = new PhotoOptions { MaxBytes = jpeg.Length };

        Assert.Equal(jpeg.Length, Process(jpeg, options: options).OriginalBytes);
    }

    [Fact]
    public void Process_TruncatedJpeg_IsCorrupt()
    {
        var jpeg = TestPhotos.Jpeg(800, 600);

        var refusal = Refused(jpeg[..(jpeg.Length / 2)]);

        Assert.Equal(PhotoRejectionReasons.Corrupt, refusal.Reason);
        Assert.Equal("图片已损坏，无法读取", refusal.ChineseMessage);
    }

    [Fact]
    public void Process_WebP_IsAcceptedAndServedAsJpeg()
    {
        var photo = Process(TestPhotos.Encode(SKEncodedImageFormat.Webp, 320, 240), "photo.webp");

        Assert.Equal("webp", photo.OriginalFormat);
        Assert.Equal("image/jpeg", photo.ServedContentType);
        Assert.Equal(new SKSizeI(320, 240), SizeOf(photo.Served));
    }

    [Fact]
    public void Process_PngWithTransparency_IsServedAsJpegOnWhite()
    {
        var photo = Process(TestPhotos.Encode(SKEncodedImageFormat.Png, 200, 100, transparent: true), "sign.png");

        Assert.Equal("png", photo.OriginalFormat);
        using var bitmap = SKBitmap.Decode(photo.Served);
        var right = bitmap.GetPixel(150, 50);
        Assert.True(right.Red > 240 && right.Green > 240 && right.Blue > 240);
    }

    [Fact]
    public void Process_LargePhoto_IsScaledToServedEdgeAndThumbnailEdge()
    {
        var photo = Process(TestPhotos.Jpeg(3000, 1500));

        Assert.Equal((2048, 1024), (photo.Width, photo.Height));
        Assert.Equal(new SKSizeI(2048, 1024), SizeOf(photo.Served));
        var thumbnail = SizeOf(photo.Thumbnail);
        Assert.Equal(320, Math.Max(thumbnail.Width, thumbnail.Height));
        Assert.Equal(160, thumbnail.Height);
    }

    [Fact]
    public void Process_SmallPhoto_IsNotScaledUp()
    {
        var photo = Process(TestPhotos.Jpeg(100, 50));

        Assert.Equal(new SKSizeI(100, 50), SizeOf(photo.Served));
        Assert.Equal(new SKSizeI(100, 50), SizeOf(photo.Thumbnail));
    }

    [Fact]
    public void Process_RecordsTheOriginalsHashAndAVersion7Id()
    {
        var jpeg = TestPhotos.Jpeg(64, 64);

        var photo = Process(jpeg);

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(jpeg)), photo.Sha256OfOriginal);
        Assert.Equal(jpeg.Length, photo.OriginalBytes);
        Assert.Equal(7, photo.Id.Version);
    }
}
