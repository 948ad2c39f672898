using CivicGrid.Spatial.CoordinateSystems;

namespace CivicGrid.Server.Infrastructure.Storage;

/// <summary>
/// A photo accepted by <see cref="PhotoProcessor"/>: upright, scaled and re-encoded copies that
/// carry no metadata, and what the original's metadata said, kept apart as evidence.
/// </summary>
/// <param name="Id">A version-7 (time-ordered) GUID; <see cref="PhotoStore"/> files the photo by the month it encodes.</param>
/// <param name="Served">The copy shown to anyone: JPEG, longest side at most <see cref="PhotoOptions.MaxServedEdge"/>, no EXIF, XMP or GPS.</param>
/// <param name="ServedContentType">Media type of <paramref name="Served"/> and <paramref name="Thumbnail"/>; always <c>image/jpeg</c>.</param>
/// <param name="Thumbnail">JPEG, longest side at most <see cref="PhotoOptions.ThumbnailEdge"/>, no metadata.</param>
/// <param name="Width">Width of <paramref name="Served"/> in pixels, after orientation.</param>
/// <param name="Height">Height of <paramref name="Served"/> in pixels, after orientation.</param>
/// <param name="OriginalFormat"><c>jpeg</c>, <c>png</c> or <c>webp</c>, as told by the content.</param>
/// <param name="OriginalBytes">Size of the upload in bytes.</param>
/// <param name="Sha256OfOriginal">Lower-case hex SHA-256 of the upload, so the original can be matched later without keeping it.</param>
/// <param name="Evidence">What the original's EXIF said about where, when and with what it was taken.</param>
public sealed record ProcessedPhoto(
    Guid Id,
    byte[] Served,
    string ServedContentType,
    byte[] Thumbnail,
    int Width,
    int Height,
    string OriginalFormat,
    long OriginalBytes,
    string Sha256OfOriginal,
    PhotoEvidence Evidence);

/// <summary>
/// The original photo's own claims, from its EXIF: camera-supplied, unverified, and sensitive
/// (a precise location under PIPL), so never served with the photo and shown only to staff.
/// </summary>
/// <param name="Lon">EXIF GPS longitude in decimal degrees, east positive; <see langword="null"/> when absent.</param>
/// <param name="Lat">EXIF GPS latitude in decimal degrees, north positive; <see langword="null"/> when absent.</param>
/// <param name="AltitudeMeters">EXIF GPS altitude in metres above sea level (negative below); <see langword="null"/> when absent.</param>
/// <param name="Crs">
/// <see cref="CoordinateSystem.Wgs84"/> whenever a position is present, because the EXIF standard
/// defines GPS tags as WGS-84 (a phone that wrote GCJ-02 there would break the standard);
/// <see langword="null"/> when there is no position.
/// </param>
/// <param name="TakenAt">
/// EXIF DateTimeOriginal with its OffsetTimeOriginal; when the camera wrote no offset, China
/// Standard Time (UTC+08:00) is assumed, since CivicGrid serves Chinese cities and China keeps one
/// time zone. <see langword="null"/> when absent or unreadable.
/// </param>
/// <param name="Camera">EXIF make and model, e.g. <c>HUAWEI ELS-AN00</c>; <see langword="null"/> when absent.</param>
public sealed record PhotoEvidence(
    double? Lon,
    double? Lat,
    double? AltitudeMeters,
    CoordinateSystem? Crs,
    DateTimeOffset? TakenAt,
    string? Camera)
{
    /// <summary>No metadata at all.</summary>
    public static PhotoEvidence None { get; } = new(null, null, null, null, null, null);
}
