using System.ComponentModel.DataAnnotations;

namespace CivicGrid.Server.Infrastructure.Storage;

/// <summary>
/// Limits and output sizes for case photos, bound from the <c>Photos</c> configuration section
/// and validated at start-up.
/// </summary>
public sealed class PhotoOptions
{
    public const string Section = "Photos";

    /// <summary>Largest upload accepted, in bytes (default 15 MiB). A phone photo is 2–8 MB.</summary>
    [Range(64L * 1024, 200L * 1024 * 1024)]
    public long MaxBytes { get; set; } = 15L * 1024 * 1024;

    /// <summary>
    /// Largest width × height accepted, in pixels (default 40 megapixels), checked from the header
    /// before anything is decoded: a decoded image takes 4 bytes per pixel, so this bounds the
    /// memory one upload can claim (160 MB at the default) whatever its compressed size.
    /// </summary>
    [Range(1_000_000L, 200_000_000L)]
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>Longest side accepted, in pixels (default 20,000), so a 1 × 40,000,000 strip is refused too.</summary>
    [Range(1_000, 65_535)]
    public int MaxSidePixels { get; set; } = 20_000;

    /// <summary>
    /// Largest photo an anonymous reporter may upload, in bytes (default 10 MiB; at most <see cref="MaxBytes"/> applies
    /// too). Anyone can post anonymously, so an anonymous report is bounded to 9 × this, not 9 × the staff limit.
    /// </summary>
    [Range(64L * 1024, 200L * 1024 * 1024)]
    public long AnonymousMaxBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>
    /// Photos decoded at once in this process, whatever the number of uploads (default: the core count). Decoding takes
    /// up to 4 bytes a pixel (160 MB at <see cref="MaxPixels"/>), so this bounds the memory uploads can claim together.
    /// </summary>
    [Range(1, 256)]
    public int MaxConcurrentDecodes { get; set; } = Environment.ProcessorCount;

    /// <summary>How long an upload waits for a decoding slot before it is answered 503 with Retry-After (default 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan DecodeWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most photos one case may carry (the intake endpoint enforces it).</summary>
    [Range(1, 50)]
    public int MaxPerCase { get; set; } = 9;

    /// <summary>Longest side of the served copy, in pixels (default 2048); larger photos are scaled down, smaller ones are not scaled up.</summary>
    [Range(256, 8192)]
    public int MaxServedEdge { get; set; } = 2048;

    /// <summary>Longest side of the thumbnail, in pixels (default 320).</summary>
    [Range(32, 1024)]
    public int ThumbnailEdge { get; set; } = 320;

    /// <summary>JPEG quality of served copies and thumbnails, 1–100 (default 85).</summary>
    [Range(1, 100)]
    public int JpegQuality { get; set; } = 85;
}
