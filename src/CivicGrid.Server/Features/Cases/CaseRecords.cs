namespace CivicGrid.Server.Features.Cases;

/// <summary>Why a photo was taken: with the report, as evidence of the handling, or anything else on the case.</summary>
public enum PhotoPurpose
{
    Report = 1,
    Handling = 2,
    Other = 3,
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
    /// Runs every uploaded file through the photo processor; the first refused file becomes a problem naming it
    /// (413 when too large, else 400), and nothing of the request is kept.
    /// </summary>
    public static async Task<(List<Infrastructure.Storage.ProcessedPhoto> Photos, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Refused)> ProcessAllAsync(
        Infrastructure.Storage.PhotoProcessor processor, IReadOnlyList<IFormFile> files)
    {
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(files);
        var processed = new List<Infrastructure.Storage.ProcessedPhoto>();
        for (var i = 0; i < files.Count; i++)
        {
            try
            {
                await using var stream = files[i].OpenReadStream();
                processed.Add(processor.Process(stream, files[i].FileName));
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

/// <summary>The last case number handed out on one day (Beijing time), for readable numbers yyyyMMdd + 5 digits.</summary>
public sealed class CaseNumberCounter
{
    /// <summary>yyyyMMdd in Beijing time.</summary>
    public string Day { get; set; } = string.Empty;

    public int Last { get; set; }
}

/// <summary>
/// One row of the "confirm location" queue: an ambiguous case offered to one of its candidate grids. Scoped by the
/// candidate grid, so each candidate's staff see the offer without seeing the case itself until they claim it; a
/// claim (or the timeout) resolves every row of the case, so the others see it leave.
/// </summary>
public sealed class LocationClaim
{
    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

    public string CaseNumber { get; set; } = string.Empty;

    /// <summary>The candidate grid this offer is for; scope checks use this code.</summary>
    public string GridCode { get; set; } = string.Empty;

    /// <summary>True for the router's best candidate, which gets the case at the deadline.</summary>
    public bool IsBest { get; set; }

    /// <summary>Share of the position's accuracy circle inside this grid, 0–1.</summary>
    public double Share { get; set; }

    public string Title { get; set; } = string.Empty;

    public string CategoryCode { get; set; } = string.Empty;

    public double Lon { get; set; }

    public double Lat { get; set; }

    public DateTimeOffset ReportedAt { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>The grid that took the case.</summary>
    public string? ResolvedToGridCode { get; set; }
}

/// <summary>Delivery and answer of a red case's report to the district (上报区级).</summary>
public enum ReferralStatus
{
    /// <summary>Written, not yet acknowledged by the district.</summary>
    Pending = 1,

    /// <summary>The district acknowledged receipt.</summary>
    Delivered = 2,

    /// <summary>The district took the case on.</summary>
    Accepted = 3,

    /// <summary>The district replied with what it did or decided.</summary>
    Replied = 4,

    /// <summary>The district closed its side.</summary>
    Closed = 5,
}

/// <summary>
/// The outbound record of a red case handed to the district: what was sent, whether it arrived, what the district
/// answered. Scoped by the case's subdistrict code, so the operations centre and the district see it.
/// </summary>
public sealed class DistrictReferral
{
    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

    public string CaseNumber { get; set; } = string.Empty;

    /// <summary>The subdistrict of the case; scope checks use this code.</summary>
    public string SubdistrictCode { get; set; } = string.Empty;

    public string Summary { get; set; } = string.Empty;

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public ReferralStatus Status { get; set; } = ReferralStatus.Pending;

    public DateTimeOffset? DeliveredAt { get; set; }

    public string? Answer { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    public Guid? AnsweredBy { get; set; }

    /// <summary>When a user last asked for the webhook delivery to be tried again now (console "retry now").</summary>
    public DateTimeOffset? RetryRequestedAt { get; set; }

    /// <summary>Who asked for it.</summary>
    public Guid? RetryRequestedBy { get; set; }
}

/// <summary>
/// A joint analysis meeting (联席会议) of the subdistrict operations centre and department liaisons: when, where,
/// who, what was discussed. The decision per case is recorded on each case (<see cref="Domain.Cases.CaseMeetingDecision"/>).
/// </summary>
public sealed class JointMeeting
{
    public Guid Id { get; set; }

    /// <summary>The subdistrict that held it; scope checks use this code.</summary>
    public string SubdistrictCode { get; set; } = string.Empty;

    public string Title { get; set; } = string.Empty;

    public DateTimeOffset HeldAt { get; set; }

    public string Place { get; set; } = string.Empty;

    public List<string> Participants { get; set; } = [];

    public string Summary { get; set; } = string.Empty;

    public Guid RecordedBy { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>The cases decided at the meeting, by number.</summary>
    public List<string> CaseNumbers { get; set; } = [];
}
