using CivicGrid.Server.Infrastructure.Auth;
using System.Security.Claims;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Cases.Photos;

/// <param name="EvidenceLon">
/// EXIF GPS of the original (WGS-84), for the roles that verify reports only (<see cref="CaseContentReach.SeePhotoPositions"/>);
/// null for residents, property staff, volunteers and liaisons, or when absent.
/// </param>
public sealed record CasePhotoResponse(Guid Id, PhotoPurpose Purpose, DateTimeOffset UploadedAt, int Width, int Height, string Url, string ThumbnailUrl,
    double? EvidenceLon, double? EvidenceLat, DateTimeOffset? EvidenceTakenAt, string? EvidenceCamera);

/// <summary>The stages of handling a handler's photo belongs to (the upload's <c>stage</c>).</summary>
public static class PhotoStages
{
    public const string Before = "before";
    public const string After = "after";

    public static IReadOnlyList<string> All { get; } = [Before, After];

    /// <summary>A handler's photo is after handling unless said to be before; anyone else's is another photo of the case.</summary>
    public static PhotoPurpose PurposeOf(string? stage, bool byHandler) => !byHandler ? PhotoPurpose.Other
        : stage == Before ? PhotoPurpose.BeforeHandling : PhotoPurpose.Handling;
}

/// <summary>
/// Photos of a case: upload (handlers and the reporter), list and download, always through a case the caller may see.
/// Served copies carry no metadata; the EXIF evidence is listed for staff only.
/// </summary>
public static class CasePhotosApi
{
    public static IEndpointRouteBuilder MapCasePhotosApi(this IEndpointRouteBuilder routes)
    {
        var g = routes.MapGroup("/api/cases/{number}/photos").WithTags("Cases").RequireAuthorization(Policies.CaseContent);
        g.MapPost("/", Upload).DisableAntiforgery().Accepts<IFormFileCollection>("multipart/form-data")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(140L * 1024 * 1024))
            .WithName("UploadCasePhotos")
            .WithSummary("Upload up to 9 photos to a case (the handler's before or after handling, or more from the reporter); returns their ids.");
        g.MapGet("/", List).WithName("ListCasePhotos").WithSummary("The photos of a case; EXIF evidence for staff only.");
        g.MapGet("/{id:guid}", Download).WithName("GetCasePhoto").WithSummary("One photo as JPEG without metadata; ?size=thumb for the thumbnail.");
        return routes;
    }

    /// <param name="stage">
    /// The handler's photos: <c>before</c> handling (处置前, the scene as found) or <c>after</c> (处置后, the evidence sent
    /// with record-handled; the default). Not for the reporter, whose further photos are <see cref="PhotoPurpose.Other"/>.
    /// </param>
    public static async Task<Results<Ok<List<CasePhotoResponse>>, ProblemHttpResult>> Upload(string number,
        [ApiValues(typeof(PhotoStages), nameof(PhotoStages.All))] string? stage, HttpRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, PhotoProcessor processor, CaseIntake intake, TimeProvider time, IOptions<CaseOptions> options, CancellationToken ct)
    {
        if (stage is not null && !PhotoStages.All.Contains(stage))
        {
            return Problems.Validation("stage", $"未知的照片阶段“{stage}”，可用：before（处置前）、after（处置后）。");
        }

        var subject = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Number == number, ct);
        if (subject is null)
        {
            return CaseActing.NotFound(number);
        }

        var actor = await CaseActing.ActorOfAsync(caller, db, ct);
        var isHandler = CaseRules.IsHandler(actor, subject);
        if (!isHandler && !CaseRules.IsReporter(actor, subject))
        {
            return Problems.Forbidden("只有承办人、负责层级的工作人员或报告人可以为该案件上传照片。");
        }

        if (!isHandler && stage is not null)
        {
            return Problems.Forbidden("处置前、处置后照片只能由承办人或负责层级的工作人员上传。");
        }

        if (subject.Status.IsFinal())
        {
            return Problems.Validation("number", $"案件已{subject.Status.ToChinese()}，不能再上传照片。");
        }

        if (!request.HasFormContentType)
        {
            return Problems.Validation("photos", "请以 multipart/form-data 上传照片。");
        }

        var form = await request.ReadFormAsync(ct);
        if (form.Files.Count is 0 or > IntakeApi.MaxPhotosPerRequest)
        {
            return Problems.Validation("photos", $"一次上传 1 到 {IntakeApi.MaxPhotosPerRequest} 张照片。");
        }

        var existing = await db.CasePhotos.CountAsync(p => p.CaseId == subject.Id, ct);
        if (existing + form.Files.Count > options.Value.MaxPhotosPerCase)
        {
            return Problems.Validation("photos", $"每个案件最多 {options.Value.MaxPhotosPerCase} 张照片，已有 {existing} 张。");
        }

        var (processed, refused) = await StoredPhoto.ProcessAllAsync(processor, [.. form.Files], ct);
        if (refused is not null)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        var rows = processed.Select(p => StoredPhoto.From(p, subject.Id, PhotoStages.PurposeOf(stage, isHandler), actor.UserId, now)).ToList();
        db.CasePhotos.AddRange(rows);
        await intake.SavePhotoFilesAsync(processed, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            await intake.DeletePhotoFilesAsync(processed);
            throw;
        }

        return TypedResults.Ok(rows.Select(r => Describe(number, r, staff: !db.Scope.OwnRecordsOnly, CaseContentReach.SeesPhotoPositions(caller.GetRoles()))).ToList());
    }

    public static async Task<Results<Ok<List<CasePhotoResponse>>, ProblemHttpResult>> List(string number, ClaimsPrincipal caller, CivicGridDbContext db,
        CancellationToken ct)
    {
        var caseId = await db.Cases.AsNoTracking().Where(c => c.Number == number).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(ct);
        if (caseId is null)
        {
            return CaseActing.NotFound(number);
        }

        var rows = await db.CasePhotos.AsNoTracking().Where(p => p.CaseId == caseId).OrderBy(p => p.UploadedAt).ThenBy(p => p.Id).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => Describe(number, r, staff: !db.Scope.OwnRecordsOnly, CaseContentReach.SeesPhotoPositions(caller.GetRoles()))).ToList());
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Download(string number, Guid id, string? size, CivicGridDbContext db,
        PhotoStore store, CancellationToken ct)
    {
        var caseId = await db.Cases.AsNoTracking().Where(c => c.Number == number).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(ct);
        if (caseId is null || !await db.CasePhotos.AnyAsync(p => p.Id == id && p.CaseId == caseId, ct))
        {
            return Problems.NotFound("找不到该照片，或它不在您的查看范围内。");
        }

        return await OpenAsync(store, id, size);
    }

    internal static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> OpenAsync(PhotoStore store, Guid id, string? size)
    {
        var stream = size == "thumb" ? await store.OpenThumbnailAsync(id) : await store.OpenServedAsync(id);
        return stream is null
            ? Problems.NotFound("照片文件已不存在。")
            : TypedResults.Stream(stream, PhotoProcessor.ServedContentType, $"{id}.jpg");
    }

    /// <param name="staff">The caller works on cases: sees when and with what a photo was taken.</param>
    /// <param name="positions">The caller verifies reports: sees where a photo was taken, too.</param>
    internal static CasePhotoResponse Describe(string number, StoredPhoto p, bool staff, bool positions) => new(p.Id, p.Purpose, p.UploadedAt, p.Width,
        p.Height, $"/api/cases/{number}/photos/{p.Id}", $"/api/cases/{number}/photos/{p.Id}?size=thumb",
        staff && positions ? p.EvidenceLon : null, staff && positions ? p.EvidenceLat : null, staff ? p.EvidenceTakenAt : null, staff ? p.EvidenceCamera : null);
}
