using System.Security.Claims;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Roster;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Roster;

/// <summary>A work ID as its card shows it (staff and the holder).</summary>
/// <param name="GridName">The grid the holder works (the finest one in force), else their community.</param>
/// <param name="ExpiringSoon">Valid today and its last day within 30 days.</param>
/// <param name="VerifyUrl">The public check page the card's QR code opens.</param>
/// <param name="QrCode">The QR code of <paramref name="VerifyUrl"/> as an SVG data URI, to print.</param>
public sealed record WorkIdCardResponse(Guid Id, string Number, Guid MemberId, string Name, MemberKind Kind, string GridName, string CommunityName,
    DateOnly ValidFrom, DateOnly ValidUntil, WorkIdStatus Status, bool ExpiringSoon, bool HasPhoto, string VerifyUrl, string QrCode, DateTimeOffset IssuedAt,
    DateTimeOffset? RevokedAt, string? RevokedReason);

/// <param name="ValidFrom">First valid day; today when left out.</param>
/// <param name="ValidUntil">Last valid day; two years from the first, less a day, when left out.</param>
public sealed record IssueWorkIdRequest(Guid? MemberId, DateOnly? ValidFrom, DateOnly? ValidUntil);

public sealed record RevokeWorkIdRequest(string? Reason);

/// <summary>The signed-in worker's own roster record and work ID (the phone's "my work ID").</summary>
/// <param name="ElderFriendly">From 60 on: show the elder-friendly page.</param>
/// <param name="WorkId">The newest work ID, or null when none was issued.</param>
public sealed record MyWorkIdResponse(string Name, MemberKind Kind, bool ElderFriendly, string GridName, WorkIdCardResponse? WorkId);

/// <summary>All the public check page shows: the masked name, the grid and whether the ID is valid today.</summary>
public sealed record PublicWorkIdResponse(string MaskedName, string GridName, WorkIdStatus Status);

/// <summary>Work IDs (网格员工作证): issued after the required training, printed with a QR code that a public page checks.</summary>
public static class WorkIdsApi
{
    public const string VerifyRateLimit = "work-id-verify";
    public const int ExpiringDays = 30;
    public const int DefaultValidityYears = 2;

    public static IReadOnlyList<string> Statuses { get; } = ["all", "valid", "expiring", "expired", "revoked"];

    public static IEndpointRouteBuilder MapWorkIdsApi(this IEndpointRouteBuilder routes)
    {
        var ids = routes.MapGroup("/api/work-ids").WithTags("Work IDs").RequireAuthorization(p => p.RequireRole(RosterRules.Trainers));
        ids.MapGet("/", List).WithName("ListWorkIds")
            .WithSummary($"Work IDs of the caller's scope; status=expiring lists those valid but ending within {ExpiringDays} days, expired those past their last day.");
        ids.MapPost("/", Issue).WithIdempotency().WithName("IssueWorkId")
            .WithSummary("Issue a work ID to a member who passed every required course; the number is subdistrict code + year + sequence.");
        ids.MapGet("/{id:guid}", Get).WithName("GetWorkId").WithSummary("A work ID's card: name, grid, number, validity and the QR code of its public check page.");
        ids.MapPost("/{id:guid}/photo", UploadPhoto).DisableAntiforgery().WithName("UploadWorkIdPhoto")
            .WithSummary("The card's photo (multipart `photo`, JPEG/PNG/WebP); stored without its metadata.");
        ids.MapGet("/{id:guid}/photo", Photo).WithName("GetWorkIdPhoto").WithSummary("The card's photo (JPEG).");
        ids.MapPost("/{id:guid}/revoke", Revoke).WithName("RevokeWorkId").WithSummary("Revoke a work ID (the holder left, lost it…); the public page says revoked.");

        var mine = routes.MapGroup("/api/work-ids/mine").WithTags("Work IDs").RequireAuthorization();
        mine.MapGet("/", Mine).WithName("GetMyWorkId").WithSummary("The signed-in worker's roster record and newest work ID.");
        mine.MapGet("/photo", MyPhoto).WithName("GetMyWorkIdPhoto").WithSummary("The photo of the signed-in worker's newest work ID.");

        routes.MapGet("/api/public/work-ids/{token}", Verify).WithTags("Work IDs").AllowAnonymous().RequireRateLimiting(VerifyRateLimit).WithName("VerifyWorkId")
            .WithSummary("Public check of a work ID by the token in its QR code: only the masked name, the grid and valid/expired/revoked today.");
        return routes;
    }

    public static async Task<Results<Ok<List<WorkIdCardResponse>>, ProblemHttpResult>> List([ApiValues(typeof(WorkIdsApi), nameof(Statuses))] string? status,
        HttpRequest http, CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        if (status is { Length: > 0 } && !Statuses.Contains(status))
        {
            return Problems.Validation("status", "状态须为 all、valid、expiring、expired 或 revoked。");
        }

        var today = RosterRules.Today(time);
        var query = db.WorkIds.AsNoTracking();
        query = (status ?? "all") switch
        {
            "valid" => query.Where(w => w.RevokedAt == null && w.ValidFrom <= today && w.ValidUntil >= today),
            "expiring" => query.Where(w => w.RevokedAt == null && w.ValidFrom <= today && w.ValidUntil >= today && w.ValidUntil <= today.AddDays(ExpiringDays)),
            "expired" => query.Where(w => w.RevokedAt == null && w.ValidUntil < today),
            "revoked" => query.Where(w => w.RevokedAt != null),
            _ => query,
        };
        var workIds = await query.OrderBy(w => w.ValidUntil).ThenBy(w => w.Number).ToListAsync(ct);
        return TypedResults.Ok(await CardsAsync(workIds, http, db, geography, today, ct));
    }

    public static async Task<Results<Ok<WorkIdCardResponse>, ProblemHttpResult>> Get(Guid id, HttpRequest http, CivicGridDbContext db, GeographyIndex geography,
        TimeProvider time, CancellationToken ct)
    {
        var workId = await db.WorkIds.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id, ct);
        return workId is null ? NotFound() : TypedResults.Ok((await CardsAsync([workId], http, db, geography, RosterRules.Today(time), ct))[0]);
    }

    /// <summary>
    /// 404 for a member outside the scope, 409 for one who left or holds a valid ID, 422 (with the courses' titles) when a
    /// required course is not passed, 400 for dates out of order.
    /// </summary>
    public static async Task<Results<Created<WorkIdCardResponse>, ProblemHttpResult>> Issue(IssueWorkIdRequest request, ClaimsPrincipal caller, HttpRequest http,
        CivicGridDbContext db, GeographyIndex geography, SecurityAudit audit, TimeProvider time, CancellationToken ct)
    {
        var today = RosterRules.Today(time);
        var from = request.ValidFrom ?? today;
        var until = request.ValidUntil ?? from.AddYears(DefaultValidityYears).AddDays(-1);
        if (until < from || until > from.AddYears(5))
        {
            return Problems.Validation("validUntil", "有效期截止日期须不早于起始日期，且不超过五年。");
        }

        var member = request.MemberId is { } memberId ? await db.RosterMembers.AsNoTracking().SingleOrDefaultAsync(m => m.Id == memberId, ct) : null;
        if (member is null)
        {
            return Problems.NotFound("找不到这名网格员，或他（她）不在您的管辖范围内。");
        }

        if (!caller.GetScope().Covers(member.CommunityCode))
        {
            return Problems.Forbidden("只能为您管辖范围内社区的人员办理工作证。");
        }

        if (member.LeftOn is not null)
        {
            return Problems.Conflict($"{member.Name}已离开网格员队伍，不能办理工作证。");
        }

        if (await db.WorkIds.AnyAsync(w => w.MemberId == member.Id && w.RevokedAt == null && w.ValidUntil >= today, ct))
        {
            return Problems.Conflict($"{member.Name}已有一张有效的工作证，如需补办请先注销原证。");
        }

        var required = await db.Courses.AsNoTracking().Where(c => c.RequiredForWorkId).ToListAsync(ct);
        var results = await TrainingApi.ResultsAsync(db, [member.Id], ct);
        var missing = WorkIdEligibility.Missing(required, results.GetValueOrDefault(member.Id, []));
        if (missing.Count > 0)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "/problems/training-not-passed", "Required training is not passed.",
                $"{member.Name}尚未通过必修课程：{string.Join("、", missing.Select(c => c.Title))}，不能办理工作证。",
                new Dictionary<string, object?> { ["missingCourses"] = missing.Select(c => c.Title).ToList() });
        }

        var prefix = member.CommunityCode[..GridCodes.SubdistrictLength] + today.Year.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
        for (var attempt = 0; ; attempt++)
        {
            var numbers = await db.WorkIds.IgnoreQueryFilters().Where(w => w.Number.StartsWith(prefix)).Select(w => w.Number).ToListAsync(ct);
            var next = numbers.Select(n => int.TryParse(n[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 0).DefaultIfEmpty().Max() + 1;
            var workId = new WorkId(member.Id, member.CommunityCode, WorkId.FormatNumber(prefix[..GridCodes.SubdistrictLength], today.Year, next), from, until,
                caller.GetUserId()!.Value, time.GetUtcNow());
            db.WorkIds.Add(workId);
            var issued = audit.Record(db, SecurityEventKind.WorkIdIssued, Subject(workId),
                $"为{WorkId.MaskName(member.Name)}签发工作证 {workId.Number}，有效期 {from:yyyy-MM-dd} 至 {until:yyyy-MM-dd}");
            try
            {
                await db.SaveChangesAsync(ct);
                return TypedResults.Created($"/api/work-ids/{workId.Id}", (await CardsAsync([workId], http, db, geography, today, ct))[0]);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && attempt < 3)
            {
                // Another issue took the number at the same moment: take the next one.
                db.Entry(workId).State = EntityState.Detached;
                db.Entry(issued).State = EntityState.Detached;
            }
        }
    }

    public static async Task<Results<Ok<WorkIdCardResponse>, ProblemHttpResult>> UploadPhoto(Guid id, IFormFile? photo, HttpRequest http, CivicGridDbContext db,
        PhotoProcessor processor, PhotoStore store, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var workId = await db.WorkIds.SingleOrDefaultAsync(w => w.Id == id, ct);
        if (workId is null)
        {
            return NotFound();
        }

        var (processed, refused) = await SinglePhotoUpload.StoreAsync(photo, processor, store, "请上传一张证件照（JPEG、PNG 或 WebP）。", ct);
        if (refused is not null)
        {
            return refused;
        }

        workId.PhotoId = processed!.Id;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await CardsAsync([workId], http, db, geography, RosterRules.Today(time), ct))[0]);
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Photo(Guid id, CivicGridDbContext db, PhotoStore store, CancellationToken ct)
    {
        var photoId = await db.WorkIds.AsNoTracking().Where(w => w.Id == id).Select(w => w.PhotoId).SingleOrDefaultAsync(ct);
        return await ServePhotoAsync(photoId, store);
    }

    public static async Task<Results<Ok<WorkIdCardResponse>, ProblemHttpResult>> Revoke(Guid id, RevokeWorkIdRequest request, HttpRequest http,
        CivicGridDbContext db, GeographyIndex geography, SecurityAudit audit, TimeProvider time, CancellationToken ct)
    {
        var reason = request.Reason?.Trim() ?? string.Empty;
        if (reason.Length is 0 or > RosterLimits.TextLength)
        {
            return Problems.Validation("reason", $"请填写注销原因（{RosterLimits.TextLength} 字以内）。");
        }

        var workId = await db.WorkIds.SingleOrDefaultAsync(w => w.Id == id, ct);
        if (workId is null)
        {
            return NotFound();
        }

        if (workId.RevokedAt is not null)
        {
            return Problems.Conflict($"工作证 {workId.Number} 已于 {workId.RevokedAt.Value.ToOffset(RosterRules.Beijing):yyyy-MM-dd} 注销。");
        }

        RevokeAndRecord(workId, reason, db, audit, time);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await CardsAsync([workId], http, db, geography, RosterRules.Today(time), ct))[0]);
    }

    /// <summary>The caller's own record, found by the account link (whatever their scope: it is their own).</summary>
    public static async Task<Results<Ok<MyWorkIdResponse>, ProblemHttpResult>> Mine(ClaimsPrincipal caller, HttpRequest http, CivicGridDbContext db,
        GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var (member, workId) = await MineAsync(caller, db, ct);
        if (member is null)
        {
            return Problems.NotFound("您的账号没有关联到网格员队伍中的人员，请联系社区工作人员。");
        }

        var snapshot = await geography.GetAsync(ct);
        var card = workId is null ? null : (await CardsAsync([workId], http, db, geography, RosterRules.Today(time), ct))[0];
        return TypedResults.Ok(new MyWorkIdResponse(member.Name, member.Kind, member.AgeBand.IsElder(), GridName(member, snapshot), card));
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> MyPhoto(ClaimsPrincipal caller, CivicGridDbContext db, PhotoStore store,
        CancellationToken ct) => await ServePhotoAsync((await MineAsync(caller, db, ct)).WorkId?.PhotoId, store);

    /// <summary>Anonymous: 404 for a token that is not a work ID's; nothing but the masked name, the grid and today's status.</summary>
    public static async Task<Results<Ok<PublicWorkIdResponse>, ProblemHttpResult>> Verify(string token, CivicGridDbContext db, GeographyIndex geography,
        TimeProvider time, CancellationToken ct)
    {
        var workId = token.Length is > 0 and <= 32
            ? await db.WorkIds.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(w => w.VerifyToken == token, ct)
            : null;
        var member = workId is null ? null
            : await db.RosterMembers.IgnoreQueryFilters().AsNoTracking().Include(m => m.Assignments).SingleOrDefaultAsync(m => m.Id == workId.MemberId, ct);
        if (workId is null || member is null)
        {
            return Problems.NotFound("查无此证：该二维码不是本平台签发的网格员工作证。");
        }

        return TypedResults.Ok(new PublicWorkIdResponse(WorkId.MaskName(member.Name), GridName(member, await geography.GetAsync(ct)),
            workId.StatusOn(RosterRules.Today(time))));
    }

    /// <summary>Revokes a work ID and records it in the security audit trail (written with the caller's save).</summary>
    internal static void RevokeAndRecord(WorkId workId, string reason, CivicGridDbContext db, SecurityAudit audit, TimeProvider time)
    {
        workId.Revoke(reason, time.GetUtcNow());
        audit.Record(db, SecurityEventKind.WorkIdRevoked, Subject(workId), $"注销工作证 {workId.Number}：{workId.RevokedReason}");
    }

    private static SecuritySubject Subject(WorkId workId) => new("work-id", workId.Id.ToString(), workId.Number, workId.CommunityCode);

    public static System.Threading.RateLimiting.RateLimitPartition<string> RateLimitPartition(HttpContext context) => RateLimits.PerClientPerMinute(context, 30);

    private static async Task<(RosterMember? Member, WorkId? WorkId)> MineAsync(ClaimsPrincipal caller, CivicGridDbContext db, CancellationToken ct)
    {
        var userId = caller.GetUserId();
        var member = await db.RosterMembers.IgnoreQueryFilters().AsNoTracking().Include(m => m.Assignments)
            .Where(m => m.UserId == userId).OrderBy(m => m.LeftOn != null).ThenByDescending(m => m.JoinedOn).FirstOrDefaultAsync(ct);
        var workId = member is null ? null
            : await db.WorkIds.IgnoreQueryFilters().AsNoTracking().Where(w => w.MemberId == member.Id).OrderByDescending(w => w.IssuedAt).FirstOrDefaultAsync(ct);
        return (member, workId);
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> ServePhotoAsync(Guid? photoId, PhotoStore store) =>
        photoId is { } id && await store.OpenServedAsync(id) is { } stream
            ? TypedResults.Stream(stream, PhotoProcessor.ServedContentType)
            : Problems.NotFound("这张工作证还没有照片。");

    private static async Task<List<WorkIdCardResponse>> CardsAsync(IReadOnlyList<WorkId> workIds, HttpRequest http, CivicGridDbContext db,
        GeographyIndex geography, DateOnly today, CancellationToken ct)
    {
        var memberIds = workIds.Select(w => w.MemberId).Distinct().ToList();
        var members = await db.RosterMembers.IgnoreQueryFilters().AsNoTracking().Include(m => m.Assignments).Where(m => memberIds.Contains(m.Id))
            .ToDictionaryAsync(m => m.Id, ct);
        var snapshot = await geography.GetAsync(ct);
        return [.. workIds.Where(w => members.ContainsKey(w.MemberId)).Select(w =>
        {
            var m = members[w.MemberId];
            var url = $"{http.Scheme}://{http.Host}/m/verify/{w.VerifyToken}";
            return new WorkIdCardResponse(w.Id, w.Number, m.Id, m.Name, m.Kind, GridName(m, snapshot), RosterRules.NameOf(snapshot, m.CommunityCode), w.ValidFrom,
                w.ValidUntil, w.StatusOn(today), w.ExpiresWithin(today, ExpiringDays), w.PhotoId is not null, url, QrCodes.DataUri(url), w.IssuedAt, w.RevokedAt,
                w.RevokedReason);
        })];
    }

    /// <summary>The finest grid the member works now, else the last one they worked, else their community.</summary>
    private static string GridName(RosterMember member, GeographySnapshot snapshot)
    {
        var grid = member.OpenAssignments.OrderByDescending(a => a.GridCode.Length).FirstOrDefault()
            ?? member.Assignments.OrderByDescending(a => a.EndOn).FirstOrDefault();
        return RosterRules.NameOf(snapshot, grid?.GridCode ?? member.CommunityCode);
    }

    private static ProblemHttpResult NotFound() => Problems.NotFound("找不到这张工作证，或它不在您的管辖范围内。");
}
