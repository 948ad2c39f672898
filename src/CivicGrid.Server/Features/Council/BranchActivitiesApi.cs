using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Council;

/// <param name="PhotoIds">Evidence photos (<c>/api/branch-activities/{id}/photos/{photoId}</c>); it counts once it has one.</param>
public sealed record BranchActivityResponse(Guid Id, string GridCode, string GridName, DateOnly HeldOn, string Title, string? Note, int Participants,
    IReadOnlyList<Guid> PhotoIds, bool Counts, string RecordedByName, DateTimeOffset RecordedAt);

/// <param name="GridCode">The 2nd- or 3rd-level grid whose branch held it.</param>
/// <param name="HeldOn">The Beijing date; not in the future.</param>
/// <param name="Participants">How many signed in (0 when not known).</param>
public sealed record CreateBranchActivityRequest(string? GridCode, DateOnly? HeldOn, string? Title, string? Note, int? Participants);

/// <summary>
/// Branch activities (支部主题党日等): the staff-entered <c>branch-activities</c> indicator. Community staff and the
/// operations centre record an activity of a grid's branch with its photos or sign-in sheet as evidence; grid leaders and
/// the district read them in their scope.
/// </summary>
public static class BranchActivitiesApi
{
    public static readonly string[] Keepers = CouncilApi.Keepers;

    public static readonly string[] Readers = [.. Keepers, Role.GridLeader.ToClaimValue(), Role.DistrictViewer.ToClaimValue()];

    public static IEndpointRouteBuilder MapBranchActivitiesApi(this IEndpointRouteBuilder routes)
    {
        var activities = routes.MapGroup("/api/branch-activities").WithTags("Branch activities").RequireAuthorization(Policies.CaseContent)
            .RequireAuthorization(p => p.RequireRole(Readers));
        activities.MapGet("/", List).WithName("ListBranchActivities")
            .WithSummary("Branch activities of the caller's scope (a grid's subtree, a period), newest first, with their evidence photos.");
        activities.MapPost("/", Create).RequireAuthorization(p => p.RequireRole(Keepers)).WithIdempotency().WithName("CreateBranchActivity")
            .WithSummary("Record a branch activity of a 2nd- or 3rd-level grid; it counts once a photo or sign-in sheet is added.");
        activities.MapPost("/{id:guid}/photos", AddPhoto).RequireAuthorization(p => p.RequireRole(Keepers)).DisableAntiforgery().WithName("AddBranchActivityPhoto")
            .WithSummary("Add a photo of the activity or its sign-in sheet (multipart `photo`); served without metadata.");
        activities.MapGet("/{id:guid}/photos/{photoId:guid}", Photo).WithName("GetBranchActivityPhoto").WithSummary("One evidence photo (JPEG).");
        return routes;
    }

    /// <param name="period">Only those held in 2026-Q3, 2026-09 or 2026; every one when left out.</param>
    public static async Task<Results<Ok<List<BranchActivityResponse>>, ProblemHttpResult>> List(string? gridCode, string? period, CivicGridDbContext db,
        GeographyIndex geography, CancellationToken ct)
    {
        var query = db.BranchActivities.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(period))
        {
            if (!AssessmentPeriod.TryParse(period, out var assessed))
            {
                return Problems.Validation("period", "考核期应写作 2026-Q3（季度）、2026-09（月）或 2026（年度）。");
            }

            query = query.Where(a => a.HeldOn >= assessed.From && a.HeldOn <= assessed.To);
        }

        if (!string.IsNullOrWhiteSpace(gridCode))
        {
            var code = gridCode.Trim();
            query = query.Where(a => a.GridCode.StartsWith(code));
        }

        var activities = await query.OrderByDescending(a => a.HeldOn).ThenByDescending(a => a.RecordedAt).Take(1000).ToListAsync(ct);
        var snapshot = await geography.GetAsync(ct);
        return TypedResults.Ok(activities.Select(a => Describe(a, snapshot)).ToList());
    }

    public static async Task<Results<Created<BranchActivityResponse>, ProblemHttpResult>> Create(CreateBranchActivityRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var snapshot = await geography.GetAsync(ct);
        var errors = new Dictionary<string, string[]>();
        var grid = string.IsNullOrWhiteSpace(request.GridCode) ? null : snapshot.Grids.GetValueOrDefault(request.GridCode.Trim());
        if (grid is null || grid.Kind != GridKind.Territorial || grid.Level is not (GridLevel.Second or GridLevel.Third))
        {
            errors["gridCode"] = ["请选择开展活动的二级或三级网格（支部）。"];
        }

        var today = Patrols.PatrolTracks.BeijingDay(time.GetUtcNow());
        if (request.HeldOn is not { } heldOn || heldOn > today || heldOn < today.AddYears(-2))
        {
            errors["heldOn"] = ["请填写活动日期（不能晚于今天，也不能早于两年前）。"];
        }

        var title = request.Title?.Trim() ?? string.Empty;
        if (title.Length is 0 or > BranchActivity.MaxTitleLength)
        {
            errors["title"] = [$"请填写活动主题（{BranchActivity.MaxTitleLength} 字以内）。"];
        }

        var note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        if (note is { Length: > BranchActivity.MaxNoteLength })
        {
            errors["note"] = [$"活动内容请控制在 {BranchActivity.MaxNoteLength} 字以内。"];
        }

        if (request.Participants is < 0 or > 10000)
        {
            errors["participants"] = ["参加人数须在 0–10000 之间。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (!caller.GetScope().Covers(grid!.Code))
        {
            return Problems.Forbidden("该网格不在您的管辖范围内。");
        }

        var activity = new BranchActivity(grid.Code, request.HeldOn!.Value, title, note, request.Participants ?? 0, caller.GetUserId()!.Value,
            caller.Identity?.Name ?? "?", time.GetUtcNow());
        db.BranchActivities.Add(activity);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/branch-activities/{activity.Id}", Describe(activity, snapshot));
    }

    public static async Task<Results<Ok<BranchActivityResponse>, ProblemHttpResult>> AddPhoto(Guid id, IFormFile? photo, CivicGridDbContext db,
        GeographyIndex geography, PhotoProcessor processor, PhotoStore store, CancellationToken ct)
    {
        var activity = await db.BranchActivities.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null)
        {
            return NotFound();
        }

        if (activity.PhotoIds.Count >= BranchActivity.MaxPhotos)
        {
            return Problems.Validation("photo", $"每项活动最多保存 {BranchActivity.MaxPhotos} 张佐证照片。");
        }

        var (stored, refused) = await SinglePhotoUpload.StoreAsync(photo, processor, store, "请上传一张活动照片或签到表照片（JPEG、PNG 或 WebP）。", ct);
        if (refused is not null)
        {
            return refused;
        }

        activity.AddPhoto(stored!.Id);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Describe(activity, await geography.GetAsync(ct)));
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Photo(Guid id, Guid photoId, CivicGridDbContext db, PhotoStore store,
        CancellationToken ct)
    {
        var activity = await db.BranchActivities.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        return activity is not null && activity.PhotoIds.Contains(photoId) && await store.OpenServedAsync(photoId) is { } stream
            ? TypedResults.Stream(stream, PhotoProcessor.ServedContentType)
            : Problems.NotFound("找不到这张照片。");
    }

    private static ProblemHttpResult NotFound() => Problems.NotFound("找不到这项支部活动，或不在您的管辖范围内。");

    private static BranchActivityResponse Describe(BranchActivity a, GeographySnapshot snapshot) => new(a.Id, a.GridCode,
        snapshot.Grids.TryGetValue(a.GridCode, out var g) ? g.Name : a.GridCode, a.HeldOn, a.Title, a.Note, a.Participants, a.PhotoIds, a.HasEvidence,
        a.RecordedByName, a.RecordedAt);
}
