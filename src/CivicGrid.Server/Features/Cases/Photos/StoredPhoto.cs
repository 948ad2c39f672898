namespace CivicGrid.Server.Features.Cases.Photos;

/// <summary>
/// Why a photo was taken: with the report, by the handler before handling (处置前, the scene as found on arrival), as
/// evidence of the handling (处置后), or anything else on the case (more photos from the reporter).
/// </summary>
public enum PhotoPurpose
{
    Report = 1,
    Handling = 2,
    Other = 3,
    BeforeHandling = 4,
}

/// <summary>
/// A photo attached to a case: the files live in <see cref="Infrastructure.Storage.PhotoStore"/> under the same id;
/// this row says whose case it belongs to, who uploaded it and what the original's EXIF claimed (evidence, shown to
/// staff only). Photos are read only through a case the caller may see, so the case's scope applies.
/// </summary>
public sealed class StoredPhoto
{
    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

    public PhotoPurpose Purpose { get; set; }

    /// <summary>The uploading user; null for an anonymous reporter.</summary>
    public Guid? UploadedBy { get; set; }

    public DateTimeOffset UploadedAt { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    public string OriginalFormat { get; set; } = string.Empty;

    public long OriginalBytes { get; set; }

    public string Sha256OfOriginal { get; set; } = string.Empty;

    /// <summary>EXIF GPS of the original, WGS-84; evidence, never served with the photo.</summary>
    public double? EvidenceLon { get; set; }

    public double? EvidenceLat { get; set; }

    public double? EvidenceAltitudeMeters { get; set; }

    public DateTimeOffset? EvidenceTakenAt { get; set; }

    public string? EvidenceCamera { get; set; }

    /// <summary>The row for a photo accepted by the photo processor.</summary>
    public static StoredPhoto From(Infrastructure.Storage.ProcessedPhoto photo, Guid caseId, PhotoPurpose purpose, Guid? uploadedBy, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(photo);
        return new StoredPhoto
        {
            Id = photo.Id, CaseId = caseId, Purpose = purpose, UploadedBy = uploadedBy, UploadedAt = at, Width = photo.Width, Height = photo.Height,
            OriginalFormat = photo.OriginalFormat, OriginalBytes = photo.OriginalBytes, Sha256OfOriginal = photo.Sha256OfOriginal,
            EvidenceLon = photo.Evidence.Lon, EvidenceLat = photo.Evidence.Lat, EvidenceAltitudeMeters = photo.Evidence.AltitudeMeters,
            EvidenceTakenAt = photo.Evidence.TakenAt, EvidenceCamera = photo.Evidence.Camera,
        };
    }

    /// <summary>
    /// Runs every uploaded file through the photo processor, one decoding slot at a time; the first refused file becomes a
    /// problem naming it (413 when too large, else 400), and nothing of the request is kept.
    /// </summary>
    /// <param name="maxBytes">A lower per-photo limit (anonymous reports); null for the configured one.</param>
    public static async Task<(List<Infrastructure.Storage.ProcessedPhoto> Photos, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Refused)> ProcessAllAsync(
        Infrastructure.Storage.PhotoProcessor processor, IReadOnlyList<IFormFile> files, CancellationToken ct, long? maxBytes = null)
    {
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(files);
        var processed = new List<Infrastructure.Storage.ProcessedPhoto>();
        for (var i = 0; i < files.Count; i++)
        {
            try
            {
                await using var stream = files[i].OpenReadStream();
                processed.Add(await processor.ProcessAsync(stream, files[i].FileName, ct, maxBytes));
            }
            catch (Infrastructure.Storage.PhotoRejectedException e)
            {
                return (processed, Infrastructure.Http.Problems.Create(
                    e.Reason == Infrastructure.Storage.PhotoRejectionReasons.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                    $"/problems/photo-{e.Reason}", "A photo was refused.", $"第 {i + 1} 张照片（{files[i].FileName}）无法接收：{e.ChineseMessage}",
                    new Dictionary<string, object?> { ["photoIndex"] = i, ["reason"] = e.Reason }));
            }
        }

        return (processed, null);
    }
}
