using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Routing;
using CivicGrid.Server.Features.Calendar;
using CivicGrid.Server.Features.Cases.Photos;
using CivicGrid.Server.Features.District;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Spatial.CoordinateSystems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using CaseResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<CivicGrid.Server.Features.Cases.CaseState>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace CivicGrid.Server.Features.Cases.Workflow;

public sealed record VersionRequest(int? ExpectedVersion);

public sealed record ReasonRequest(int? ExpectedVersion, string? Reason);

/// <param name="UserId">Assign to a person (grid worker, leader, property staff…) — or</param>
/// <param name="DepartmentId">to a department, whose liaisons may all handle it.</param>
/// <param name="Due">When it must be handled; by default from the category's time limit, the colour and the work calendar.</param>
public sealed record AssignRequest(int? ExpectedVersion, Guid? UserId, Guid? DepartmentId, DateTimeOffset? Due);

/// <param name="PhotoIds">Photos uploaded to this case (<c>POST /api/cases/{number}/photos</c>) showing the result.</param>
public sealed record HandledRequest(int? ExpectedVersion, string? Note, IReadOnlyList<Guid>? PhotoIds);

public sealed record VerifyRequest(int? ExpectedVersion, bool? Passed, string? Note);

public sealed record EvaluateRequest(int? ExpectedVersion, int? Rating, string? Comment);

/// <param name="Teach">Teach the router that reports about this case's building, compound or address belong to the new grid (default true).</param>
public sealed record TransferRequest(int? ExpectedVersion, string? ToGridCode, string? Reason, bool? Teach);

public sealed record ParkRequest(int? ExpectedVersion, string? Reason, DateOnly? ReviewOn);

public sealed record MergeRequest(int? ExpectedVersion, string? IntoNumber);

public sealed record MediationRequest(int? ExpectedVersion, IReadOnlyList<string>? Participants, DateTimeOffset? HeldOn, string? Place, string? Outcome);

public sealed record SuperviseRequest(int? ExpectedVersion, string? Note, DateTimeOffset? Due);

/// <param name="Crs">wgs84, cgcs2000, gcj02 or bd09.</param>
public sealed record MovePinRequest(int? ExpectedVersion, double? Lon, double? Lat, string? Crs, string? Reason);

public sealed record HandToDistrictRequest(int? ExpectedVersion, string? Summary);

/// <summary>
/// The case workflow over HTTP: one endpoint per verb of <see cref="Case"/> (docs/adr/0008-case-workflow.md). Each
/// takes the <c>expectedVersion</c> the caller saw; who may act is decided by the domain's rules, not here.
/// </summary>
public static class WorkflowApi
{
    public static IEndpointRouteBuilder MapWorkflowApi(this IEndpointRouteBuilder routes)
    {
        var g = routes.MapGroup("/api/cases/{number}").WithTags("Case workflow").RequireAuthorization(Policies.CaseContent);
        g.MapPost("/accept", Accept).WithName("AcceptCase").WithSummary("立案: accept a reported case (owner staff).");
        g.MapPost("/reject", Reject).WithName("RejectCase").WithSummary("不予立案: reject a reported case with a reason (owner staff).");
        g.MapPost("/assign", Assign).WithName("AssignCase").WithSummary("交办: assign to a person or a department with a due time (owner staff).");
        g.MapPost("/start-handling", StartHandling).WithName("StartHandlingCase").WithSummary("处置: the assignee starts work.");
        g.MapPost("/record-handled", RecordHandled).WithName("RecordCaseHandled").WithSummary("反馈: the result, with a note and photos.");
        g.MapPost("/verify", Verify).WithName("VerifyCase").WithSummary("核查: the community or the reporter checks the result (failed → more work).");
        g.MapPost("/evaluate", Evaluate).WithName("EvaluateCase").WithSummary("评价: the reporter rates 1–5.");
        g.MapPost("/close", Close).WithName("CloseCase").WithSummary("办结: close an evaluated case (owner staff; colour records required).");
        g.MapPost("/return", Return).WithName("ReturnCase").WithSummary("退回: the assignee says it is not theirs, with a reason.");
        g.MapPost("/transfer", Transfer).WithName("TransferCase").WithSummary("转办: to another grid with a reason; teaches the router.");
        g.MapPost("/escalate", Escalate).WithName("EscalateCase").WithSummary("升级: one colour up with a reason.");
        g.MapPost("/park", Park).WithName("ParkCase").WithSummary("挂账: cannot be solved now; reason and review date.");
        g.MapPost("/resume", Resume).WithName("ResumeCase").WithSummary("恢复办理: a parked case goes back to work.");
        g.MapPost("/reopen", Reopen).WithName("ReopenCase").WithSummary("返工: not fixed after all, with a reason.");
        g.MapPost("/merge", Merge).WithName("MergeCase").WithSummary("合并: a duplicate of another open case.");
        g.MapPost("/record-mediation", RecordMediation).WithName("RecordCaseMediation").WithSummary("联调: the community's joint mediation of a yellow case.");
        g.MapPost("/supervise", Supervise).WithName("SuperviseCase").WithSummary("督办: a higher level presses for progress with a deadline.");
        g.MapPost("/move-pin", MovePin).WithName("MoveCasePin").WithSummary("修正位置: correct the position; the case is re-routed.");
        g.MapPost("/hand-to-district", HandToDistrict).WithName("HandCaseToDistrict")
            .WithSummary("上报区级: report a red case to the district; an outbound record tracks delivery and answer.");
        return routes;
    }

    public static Task<CaseResult> Accept(string number, VersionRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        Act(number, caller, db, time, request.ExpectedVersion, (c, a, now) => c.Accept(a, request.ExpectedVersion!.Value, now), ct);

    public static Task<CaseResult> Reject(string number, ReasonRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        Act(number, caller, db, time, request.ExpectedVersion, (c, a, now) => c.Reject(a, request.ExpectedVersion!.Value, now, request.Reason ?? string.Empty), ct);

    public static Task<CaseResult> Assign(string number, AssignRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time,
        WorkCalendarProvider calendars, Catalogue.CategoryCache categories, CancellationToken ct) =>
        CaseActing.ActAsync(number, caller, db, time, async (c, actor, now) =>
        {
            if (CaseActing.RequireVersion(request.ExpectedVersion) is { } missing)
            {
                return missing;
            }

            if ((request.UserId is null) == (request.DepartmentId is null))
            {
                return Problems.Validation("userId", "请指定承办人 userId 或承办部门 departmentId（二选一）。");
            }

            CaseAssignee assignee;
            if (request.UserId is { } userId)
            {
                // Only people the caller may see, and who work on cases, can be given one.
                var user = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.IsActive).SingleOrDefaultAsync(ct);
                if (user is null || !user.Roles.Any(r => r is Role.GridWorker or Role.GridLeader or Role.MicroGridWorker or Role.PropertyStaff
                        or Role.CommunityStaff or Role.SubdistrictOperator or Role.DepartmentLiaison or Role.DistrictViewer))
                {
                    return Problems.Validation("userId", "找不到该承办人，或其不在您的管辖范围内，或其岗位不能承办案件。");
                }

                assignee = CaseAssignee.User(user.Id, user.DisplayName);
            }
            else
            {
                var department = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == request.DepartmentId, ct);
                if (department is null)
                {
                    return Problems.Validation("departmentId", "找不到该承办部门，或其不在您的管辖范围内。");
                }

                assignee = CaseAssignee.Department(department.Id, department.Name);
            }

            var due = request.Due;
            if (due is null)
            {
                var category = await categories.FindAsync(c.CategoryCode, ct)
                    ?? throw new InvalidOperationException($"Case {c.Number} has an unknown category {c.CategoryCode}.");
                due = category.DueAt(await calendars.GetAsync(ct), now, c.Tier);
            }

            c.Assign(actor, request.ExpectedVersion!.Value, now, assignee, due.Value);
            return null;
        }, ct);

    public static Task<CaseResult> StartHandling(string number, VersionRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        Act(number, caller, db, time, request.ExpectedVersion, (c, a, now) => c.StartHandling(a, request.ExpectedVersion!.Value, now), ct);

    public static Task<CaseResult> RecordHandled(string number, HandledRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        CaseActing.ActAsync(number, caller, db, time, async (c, actor, now) =>
        {
            if (CaseActing.RequireVersion(request.ExpectedVersion) is { } missing)
            {
                return missing;
            }

            var ids = request.PhotoIds?.Distinct().ToList() ?? [];
            var known = await db.CasePhotos.Where(p => p.CaseId == c.Id && ids.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct);
            if (known.Count != ids.Count)
            {
                return Problems.Validation("photoIds", "有照片不属于该案件，请先通过 /api/cases/{编号}/photos 上传处置照片。");
            }

            c.RecordHandled(actor, request.ExpectedVersion!.Value, now, request.Note ?? string.Empty, ids);
            return null;
        }, ct);

    public static Task<CaseResult> Verify(string number, VerifyRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        request.Passed is null
            ? Task.FromResult<CaseResult>(Problems.Validation("passed", "请说明核查是否通过 passed。"))
            : Act(number, caller, db, time, request.ExpectedVersion, (c, a, now) => c.Verify(a, request.ExpectedVersion!.Value, now, request.Passed.Value, request.Note), ct);

    public static Task<CaseResult> Evaluate(string number, EvaluateRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        Act(number, caller, db, time, request.ExpectedVersion, (c, a, now) => c.Evaluate(a, request.ExpectedVersion!.Value, now, request.Rating ?? 0, request.Comment), ct);

    public static Task<CaseResult> Close(string number, VersionRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        Act(number, caller, db, time, request.ExpectedVersion, (c, a, now) => c.Close(a, request.ExpectedVersion!.Value, now), ct);

    public static Task<CaseResult> Return(string number, ReasonRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        Act(number, caller, db, time, request.ExpectedVersion, (c, a, now) => c.Return(a, request.ExpectedVersion!.Value, now, request.Reason ?? string.Empty), ct);

    public static async Task<CaseResult> Transfer(string number, TransferRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time,
        GeographyIndex geography, CancellationToken ct)
    {
        var snapshot = await geography.GetAsync(ct);
        RoutingOverride? taught = null;
        var result = await CaseActing.ActAsync(number, caller, db, time, (c, actor, now) =>
        {
            if (CaseActing.RequireVersion(request.ExpectedVersion) is { } missing)
            {
                return Task.FromResult<ProblemHttpResult?>(missing);
            }

            var to = request.ToGridCode?.Trim() ?? string.Empty;
            if (!snapshot.Grids.ContainsKey(to))
            {
                return Task.FromResult<ProblemHttpResult?>(Problems.Validation("toGridCode", $"找不到编号为 {to} 的网格。"));
            }

            var from = c.GridCode;
            c.Transfer(actor, request.ExpectedVersion!.Value, now, to, request.Reason ?? string.Empty);
            if (request.Teach != false && LessonFor(c) is { } lesson)
            {
                taught = new RoutingOverride(lesson.Subject, lesson.Key, from, to, request.Reason!, actor.UserId, c.Number, now);
                db.RoutingOverrides.Add(taught);
            }

            return Task.FromResult<ProblemHttpResult?>(null);
        }, ct);
        if (taught is not null && result.Result is Ok<CaseState>)
        {
            geography.ApplyLesson(taught);
        }

        return result;
    }

    public static Task<CaseResult> Escalate(string number, ReasonRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        Act(number, caller, db, time, request.ExpectedVersion, (c, a, now) => c.Escalate(a, request.ExpectedVersion!.Value, now, request.Reason ?? string.Empty, automatic: false), ct);

    public static Task<CaseResult> Park(string number, ParkRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        request.ReviewOn is null
            ? Task.FromResult<CaseResult>(Problems.Validation("reviewOn", "请填写复查日期 reviewOn（yyyy-MM-dd）。"))
            : Act(number, caller, db, time, request.ExpectedVersion, (c, a, now) => c.Park(a, request.ExpectedVersion!.Value, now, request.Reason ?? string.Empty, request.ReviewOn.Value), ct);

    public static Task<CaseResult> Resume(string number, VersionRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        Act(number, caller, db, time, request.ExpectedVersion, (c, a, now) => c.Resume(a, request.ExpectedVersion!.Value, now), ct);

    public static Task<CaseResult> Reopen(string number, ReasonRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        Act(number, caller, db, time, request.ExpectedVersion, (c, a, now) => c.Reopen(a, request.ExpectedVersion!.Value, now, request.Reason ?? string.Empty), ct);

    public static Task<CaseResult> Merge(string number, MergeRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        CaseActing.ActAsync(number, caller, db, time, async (c, actor, now) =>
        {
            if (CaseActing.RequireVersion(request.ExpectedVersion) is { } missing)
            {
                return missing;
            }

            var into = request.IntoNumber?.Trim() ?? string.Empty;
            var target = await db.Cases.AsNoTracking().Where(k => k.Number == into).Select(k => new { k.Status }).SingleOrDefaultAsync(ct);
            if (target is null)
            {
                return Problems.Validation("intoNumber", $"找不到编号为 {into} 的案件，或它不在您的查看范围内。");
            }

            if (target.Status.IsFinal())
            {
                return Problems.Validation("intoNumber", $"案件 {into} 已{target.Status.ToChinese()}，不能合并到已结束的案件。");
            }

            c.MergeInto(actor, request.ExpectedVersion!.Value, now, into);
            return null;
        }, ct);

    public static Task<CaseResult> RecordMediation(string number, MediationRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        request.HeldOn is null
            ? Task.FromResult<CaseResult>(Problems.Validation("heldOn", "请填写调解时间 heldOn。"))
            : Act(number, caller, db, time, request.ExpectedVersion, (c, a, now) => c.RecordMediation(a, request.ExpectedVersion!.Value, now,
                request.Participants ?? [], request.HeldOn.Value, request.Place ?? string.Empty, request.Outcome ?? string.Empty), ct);

    public static Task<CaseResult> Supervise(string number, SuperviseRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, CancellationToken ct) =>
        request.Due is null
            ? Task.FromResult<CaseResult>(Problems.Validation("due", "请填写督办时限 due。"))
            : Act(number, caller, db, time, request.ExpectedVersion, (c, a, now) => c.Supervise(a, request.ExpectedVersion!.Value, now, request.Note ?? string.Empty, request.Due.Value), ct);

    public static async Task<CaseResult> MovePin(string number, MovePinRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time,
        GeographyIndex geography, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Lon is not (>= -180 and <= 180))
        {
            errors["lon"] = ["请提供经度 lon（-180 到 180）。"];
        }

        if (request.Lat is not (>= -90 and <= 90))
        {
            errors["lat"] = ["请提供纬度 lat（-90 到 90）。"];
        }

        if (!CoordinateSystemNames.TryParse(request.Crs ?? string.Empty, out var system))
        {
            errors["crs"] = [$"请注明坐标系 crs：{string.Join("、", CoordinateSystemNames.ApiNames)}。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var (lon, lat) = ChinaCoordinates.ToWgs84(request.Lon!.Value, request.Lat!.Value, system);
        var snapshot = await geography.GetAsync(ct);
        var routed = Router.Route(snapshot, lon, lat, 0);
        if (routed.GridCode is null)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "/problems/outside-territory", "The location is outside every grid.",
                "新位置不在本平台管辖的网格范围内。");
        }

        var grid = routed.DedicatedCodes.Count > 0 ? routed.DedicatedCodes[0] : routed.GridCode;
        return await Act(number, caller, db, time, request.ExpectedVersion,
            (c, a, now) => c.MovePin(a, request.ExpectedVersion!.Value, now, new Point(lon, lat) { SRID = 4326 }, grid, request.Reason ?? string.Empty), ct);
    }

    public static Task<CaseResult> HandToDistrict(string number, HandToDistrictRequest request, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time,
        Microsoft.Extensions.Options.IOptions<District.DistrictOptions> district, CancellationToken ct) =>
        CaseActing.ActAsync(number, caller, db, time, (c, actor, now) =>
        {
            if (CaseActing.RequireVersion(request.ExpectedVersion) is { } missing)
            {
                return Task.FromResult<ProblemHttpResult?>(missing);
            }

            if (string.IsNullOrWhiteSpace(request.Summary) || request.Summary.Length > 4000)
            {
                return Task.FromResult<ProblemHttpResult?>(Problems.Validation("summary", "请填写上报区级的情况说明（不超过 4000 字）。"));
            }

            var referral = new DistrictReferral
            {
                Id = Guid.CreateVersion7(), CaseId = c.Id, CaseNumber = c.Number, SubdistrictCode = c.GridCode[..Domain.Geography.GridCodes.SubdistrictLength],
                Summary = request.Summary.Trim(), CreatedBy = actor.UserId, CreatedAt = now,
            };
            c.HandToDistrict(actor, request.ExpectedVersion!.Value, now, referral.Id);
            db.DistrictReferrals.Add(referral);
            if (district.Value.SendsWebhooks)
            {
                db.OutboxMessages.Add(District.DistrictHandOff.MessageFor(referral, now));
            }

            return Task.FromResult<ProblemHttpResult?>(null);
        }, ct);

    /// <summary>What a transfer teaches: the building the reporter chose, else the compound, else the address text.</summary>
    private static (OverrideSubject Subject, string Key)? LessonFor(Case c) =>
        c.BuildingCode is { Length: > 0 } building ? (OverrideSubject.Building, building)
        : c.CompoundCode is { Length: > 0 } compound ? (OverrideSubject.Compound, compound)
        : c.Address is { Length: > 0 } address ? (OverrideSubject.Address, address)
        : null;

    private static Task<CaseResult> Act(string number, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time, int? expectedVersion,
        Action<Case, Actor, DateTimeOffset> verb, CancellationToken ct) =>
        CaseActing.RequireVersion(expectedVersion) is { } missing
            ? Task.FromResult<CaseResult>(missing)
            : CaseActing.ActAsync(number, caller, db, time, (c, a, now) =>
            {
                verb(c, a, now);
                return Task.FromResult<ProblemHttpResult?>(null);
            }, ct);
}
