using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Households;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Features.GridAffairs;
using Building = CivicGrid.Domain.Geography.Building;
using Need = CivicGrid.Domain.GridAffairs.Need;
using NeedUrgency = CivicGrid.Domain.GridAffairs.NeedUrgency;
using NeedSource = CivicGrid.Domain.GridAffairs.NeedSource;
using ServiceKind = CivicGrid.Domain.GridAffairs.ServiceKind;
using CivicGrid.Server.Features.Organisations;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Storage;
using CivicGrid.Spatial.CoordinateSystems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Households;

/// <param name="Kind">need or problem.</param>
/// <param name="NeedKind">For a need: elderly-care, health, repair, legal, assistance, companionship or other.</param>
/// <param name="Urgency">For a need: low, normal (default) or urgent.</param>
/// <param name="CategoryCode">For a problem: the case subcategory (小类) it is filed in.</param>
/// <param name="Text">What was found, up to 500 characters; for a need optional (the kind's name is used).</param>
public sealed record FindingRequest([property: ApiEnum(typeof(FindingKind))] string? Kind, [property: ApiEnum(typeof(NeedKind))] string? NeedKind,
    [property: ApiEnum(typeof(NeedUrgency))] string? Urgency, string? CategoryCode, string? Text);

/// <summary>A door-knock. The household is named by its id, or by building code, unit and room from the register.</summary>
/// <param name="Outcome">visited, nobody-home or refused.</param>
/// <param name="VisitedAt">When, if not now (a visit typed in later the same week); not in the future, at most 7 days ago.</param>
/// <param name="Lon">The phone's position, in <paramref name="Crs"/> (gcj02 for WeChat and Chinese map SDKs, wgs84 for GPS).</param>
/// <param name="Accuracy">The position's accuracy in metres, as the phone reports it.</param>
/// <param name="Findings">Needs (for the needs list) and at most one problem, which becomes a case placed at the building.</param>
public sealed record RecordVisitRequest(Guid? HouseholdId, string? BuildingCode, int? Unit, string? Room, [property: ApiEnum(typeof(VisitOutcome))] string? Outcome,
    DateTimeOffset? VisitedAt, double? Lon, double? Lat, string? Crs, double? Accuracy, string? Notes, IReadOnlyList<FindingRequest>? Findings);

/// <param name="NeedKind">For a need, its kind (kebab-case); null for a problem. A string here so that the shared NeedUrgency and
/// NeedKind schemas stay non-nullable for the needs list.</param>
public sealed record FindingResponse(FindingKind Kind, [property: ApiEnum(typeof(NeedKind))] string? NeedKind,
    [property: ApiEnum(typeof(NeedUrgency))] string? Urgency, string? CategoryCode, string Text, string? CaseNumber);

/// <param name="DistanceMeters">From the building's entrance to the phone, when the phone gave a position.</param>
/// <param name="IsFar">Farther than Households:FarFromBuildingMeters (after the position's accuracy).</param>
/// <param name="HasPhoto">True once the visitor attached a photo (<c>GET /api/visits/{id}/photo</c>).</param>
public sealed record VisitResponse(Guid Id, Guid HouseholdId, string BuildingCode, string BuildingName, int Unit, string Room, Guid VisitorId, string VisitorName,
    DateTimeOffset VisitedAt, VisitOutcome Outcome, double? DistanceMeters, bool IsFar, string? Notes, IReadOnlyList<FindingResponse> Findings, bool HasPhoto);

public sealed record VisitPage(int Total, int Page, int PageSize, IReadOnlyList<VisitResponse> Items);

/// <summary>One person's door-knocks in a week.</summary>
/// <param name="Counted">Visits that count towards the minimum (visited or refused at the door; nobody home does not).</param>
/// <param name="Minimum">The weekly minimum when it applies to them (department liaisons), else null.</param>
/// <param name="Behind">True when a minimum applies and <paramref name="Counted"/> is below it.</param>
public sealed record WorkerWeekResponse(Guid UserId, string Name, string Role, string? Department, int Visits, int Counted, int? Minimum, bool Behind);

/// <param name="WeekStart">Monday (Beijing).</param>
/// <param name="Behind">How many liaisons are behind the minimum.</param>
public sealed record VisitWeekResponse(DateOnly WeekStart, DateOnly WeekEnd, int Minimum, int Behind, IReadOnlyList<WorkerWeekResponse> Workers);

/// <summary>The caller's week: visits done, the minimum if it applies, and the visits.</summary>
public sealed record MyVisitWeekResponse(DateOnly WeekStart, DateOnly WeekEnd, int Visits, int Counted, int? Minimum, bool Behind, IReadOnlyList<VisitResponse> Items);

/// <summary>
/// Door-knocking visits (网格叮咚敲门): recorded from the phone (idempotent), checked against the building's register and
/// position, a problem found filed as a case at the building in the same transaction; the visits of a scope, the caller's
/// week, and per week who among the department liaisons is behind the minimum.
/// </summary>
public static class VisitsApi
{
    private static readonly Role[] Readers = [Role.CommunityStaff, Role.SubdistrictOperator, Role.GridLeader, Role.GridWorker, Role.DistrictViewer];

    public static IEndpointRouteBuilder MapVisitsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/visits").WithTags("Visits").RequireAuthorization(Policies.CaseContent);
        group.MapPost("/", Record).RequireAuthorization(p => p.RequireRole(HouseholdAccess.Visitors.Select(r => r.ToClaimValue())))
            .WithIdempotency().WithName("RecordVisit")
            .WithSummary("Record a door-knock at a household of the register; a problem found becomes a case at the building in the same call.");
        group.MapPost("/{id:guid}/photo", UploadPhoto).RequireAuthorization(p => p.RequireRole(HouseholdAccess.Visitors.Select(r => r.ToClaimValue())))
            .DisableAntiforgery().WithName("UploadVisitPhoto")
            .WithSummary("Attach the visit's optional photo (multipart `photo`), once, by the visitor who recorded it; metadata is stripped.");
        group.MapGet("/{id:guid}/photo", Photo).RequireAuthorization(p => p.RequireRole(Readers.Concat(HouseholdAccess.Visitors).Distinct().Select(r => r.ToClaimValue())))
            .WithName("GetVisitPhoto").WithSummary("A visit's photo (JPEG), in the caller's scope.");
        group.MapGet("/mine", Mine).RequireAuthorization(p => p.RequireRole(HouseholdAccess.Visitors.Select(r => r.ToClaimValue())))
            .WithName("MyVisitWeek").WithSummary("The caller's visits of a week (default this week) against their minimum.");
        group.MapGet("/", List).RequireAuthorization(p => p.RequireRole(Readers.Select(r => r.ToClaimValue()))).WithName("ListVisits")
            .WithSummary("Visits in the caller's scope, newest first (from/to Beijing dates, building, outcome, visitor).");
        group.MapGet("/week", Week).RequireAuthorization(p => p.RequireRole(Readers.Select(r => r.ToClaimValue()))).WithName("VisitWeek")
            .WithSummary("Per person the visits of a week (default this week) in the caller's scope, and which department liaisons are behind the minimum.");
        return routes;
    }

    public static async Task<Results<Created<VisitResponse>, ProblemHttpResult>> Record(RecordVisitRequest request, ClaimsPrincipal principal,
        CivicGridDbContext db, CaseIntake intake, IOptions<HouseholdsOptions> options, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ApiEnums.TryParse<VisitOutcome>(request.Outcome, out var outcome))
        {
            errors["outcome"] = [$"请选择走访结果：{ApiEnums.List<VisitOutcome>()}。"];
        }

        if (request.Notes is { Length: > DoorVisit.MaxNotesLength })
        {
            errors["notes"] = [$"备注不超过 {DoorVisit.MaxNotesLength} 字。"];
        }

        var now = time.GetUtcNow();
        var at = request.VisitedAt ?? now;
        if (at > now.AddMinutes(5) || at < now.AddDays(-7))
        {
            errors["visitedAt"] = ["走访时间不能晚于现在，也不能早于 7 天前。"];
        }

        var findings = ReadFindings(request.Findings ?? [], errors);
        if (findings.Count(f => f.Kind == FindingKind.Problem) > 1)
        {
            errors["findings"] = ["一次走访最多把一个问题转为案件，其他问题请另行上报。"];
        }

        var position = ReadPosition(request, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var household = request.HouseholdId is { } id
            ? await db.Households.AsNoTracking().SingleOrDefaultAsync(h => h.Id == id, ct)
            : await FindByRoomAsync(request, db, ct);
        if (household is null)
        {
            if (request.HouseholdId is null && HouseholdChecks.IsBuildingCode(request.BuildingCode)
                && await db.Buildings.AsNoTracking().SingleOrDefaultAsync(b => b.Code == request.BuildingCode, ct) is { } known)
            {
                var reason = HouseholdChecks.CheckRoom(known, request.Unit ?? 0, request.Room?.Trim() ?? string.Empty)
                    ?? $"{request.Unit}单元{request.Room}未在住户登记中，请先由社区登记。";
                return HouseholdsApi.RoomRefused(known.Name, reason);
            }

            return Problems.NotFound("找不到该住户，或它不在您的走访范围内。请从楼栋、单元、房号中选择。");
        }

        var building = await db.Buildings.AsNoTracking().SingleAsync(b => b.Code == household.BuildingCode, ct);
        double? distance = position is { } p ? VisitRules.DistanceMeters(p.Lon, p.Lat, building.Location.X, building.Location.Y) : null;
        var isFar = VisitRules.IsFar(distance, position?.Accuracy ?? 0, options.Value.FarFromBuildingMeters);
        var visitorId = principal.GetUserId()!.Value;
        var visitorName = principal.FindFirstValue(CivicGridClaims.DisplayName) ?? principal.Identity?.Name ?? "?";
        var week = VisitRules.WeekStart(DateOnly.FromDateTime(at.ToOffset(TimeSpan.FromHours(8)).DateTime));
        var visit = new DoorVisit(household, visitorId, visitorName, at.ToUniversalTime(), week, outcome, position?.Lon, position?.Lat, position?.Accuracy,
            distance is { } d ? Math.Round(d, 1) : null, isFar, string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim(), findings);

        if (findings.SingleOrDefault(f => f.Kind == FindingKind.Problem) is { } problem)
        {
            var place = $"{building.Address}{household.Unit}单元{household.Room}";
            var command = new IntakeCommand(CaseChannel.StaffEntry, problem.CategoryCode!, null, $"入户走访发现：{problem.Text}（{place}）",
                building.Location.X, building.Location.Y, 0, building.Code, null, place, visitorId, visitorName, null, [], EnteredBy: visitorId,
                AlsoStore: (context, created) =>
                {
                    problem.CaseNumber = created.Number;
                    context.DoorVisits.Add(visit);
                    context.Needs.AddRange(NeedsOf(visit, household, building, now));
                }) { Door = IntakeDoor.Visit };
            // In the request's own transaction (a keyed request's, when retried safely): the visit, its needs and the case commit together.
            await using var transaction = await db.Database.BeginOwnTransactionAsync(ct);
            try
            {
                await intake.ReportInTransactionAsync(command, db, ct);
            }
            catch (IntakeRefusedException e)
            {
                return Problems.Validation("findings", e.ChineseMessage);
            }

            await transaction.CommitAsync(ct);
        }
        else
        {
            db.DoorVisits.Add(visit);
            db.Needs.AddRange(NeedsOf(visit, household, building, now));
            await db.SaveChangesAsync(ct);
        }

        return TypedResults.Created($"/api/visits/{visit.Id}", Describe(visit, building.Name));
    }

    /// <summary>The visit's photo: only the visitor adds it, only once (409 after), a bad image is a 400; a visit not theirs is a 404.</summary>
    public static async Task<Results<Ok<VisitResponse>, ProblemHttpResult>> UploadPhoto(Guid id, IFormFile? photo, ClaimsPrincipal principal, CivicGridDbContext db,
        PhotoProcessor processor, PhotoStore store, CancellationToken ct)
    {
        var me = principal.GetUserId();
        var visit = await db.DoorVisits.SingleOrDefaultAsync(v => v.Id == id && v.VisitorId == me, ct);
        if (visit is null)
        {
            return Problems.NotFound("找不到您的这条走访记录。");
        }

        if (visit.PhotoId is not null)
        {
            return Problems.Conflict("这条走访记录已有照片，不能更换。");
        }

        var (processed, refused) = await SinglePhotoUpload.StoreAsync(photo, processor, store, "请上传一张现场照片（JPEG、PNG 或 WebP）。", ct);
        if (refused is not null)
        {
            return refused;
        }

        visit.PhotoId = processed!.Id;
        await db.SaveChangesAsync(ct);
        var names = await BuildingNamesAsync(db, [visit], ct);
        return TypedResults.Ok(Describe(visit, names.GetValueOrDefault(visit.BuildingCode, visit.BuildingCode)));
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Photo(Guid id, CivicGridDbContext db, PhotoStore store, CancellationToken ct)
    {
        var photoId = await db.DoorVisits.AsNoTracking().Where(v => v.Id == id).Select(v => v.PhotoId).SingleOrDefaultAsync(ct);
        return photoId is { } p && await store.OpenServedAsync(p) is { } stream
            ? TypedResults.Stream(stream, PhotoProcessor.ServedContentType)
            : Problems.NotFound("这条走访记录没有照片，或不在您的查看范围内。");
    }

    /// <param name="from">First Beijing date (default 30 days ago).</param>
    /// <param name="to">Last Beijing date (default today).</param>
    public static async Task<Results<Ok<VisitPage>, ProblemHttpResult>> List(DateOnly? from, DateOnly? to, string? building,
        [ApiEnum(typeof(VisitOutcome))] string? outcome, Guid? visitorId, int? page, int? pageSize, CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        var today = HouseholdChecks.Today(time);
        var first = from ?? today.AddDays(-30);
        var last = to ?? today;
        var size = pageSize ?? 50;
        var number = page ?? 1;
        if (first > last || size is < 1 or > 200 || number < 1)
        {
            return Problems.Validation("from", "起止日期或分页不正确：起始日期不能晚于结束日期，每页 1 到 200 条。");
        }

        var query = db.DoorVisits.AsNoTracking().Where(v => v.VisitedAt >= Start(first) && v.VisitedAt < Start(last.AddDays(1)));
        if (!string.IsNullOrWhiteSpace(building))
        {
            query = query.Where(v => v.BuildingCode == building.Trim());
        }

        if (!string.IsNullOrWhiteSpace(outcome))
        {
            if (!ApiEnums.TryParse<VisitOutcome>(outcome, out var o))
            {
                return Problems.Validation("outcome", $"走访结果须为 {ApiEnums.List<VisitOutcome>()} 之一。");
            }

            query = query.Where(v => v.Outcome == o);
        }

        if (visitorId is { } visitor)
        {
            query = query.Where(v => v.VisitorId == visitor);
        }

        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(v => v.VisitedAt).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        var names = await BuildingNamesAsync(db, rows, ct);
        return TypedResults.Ok(new VisitPage(total, number, size, [.. rows.Select(v => Describe(v, names.GetValueOrDefault(v.BuildingCode, v.BuildingCode)))]));
    }

    /// <param name="week">Any date of the week (Beijing); default this week.</param>
    public static async Task<Ok<MyVisitWeekResponse>> Mine(DateOnly? week, ClaimsPrincipal principal, CivicGridDbContext db, IOptions<HouseholdsOptions> options,
        TimeProvider time, CancellationToken ct)
    {
        var start = VisitRules.WeekStart(week ?? HouseholdChecks.Today(time));
        var me = principal.GetUserId()!.Value;
        var rows = await db.DoorVisits.AsNoTracking().IgnoreQueryFilters().Where(v => v.VisitorId == me && v.WeekStart == start)
            .OrderByDescending(v => v.VisitedAt).ToListAsync(ct);
        var names = await BuildingNamesAsync(db, rows, ct);
        int? minimum = principal.GetRoles().Contains(Role.DepartmentLiaison) ? options.Value.WeeklyVisitMinimum : null;
        var counted = rows.Count(v => VisitRules.Counts(v.Outcome));
        return TypedResults.Ok(new MyVisitWeekResponse(start, start.AddDays(6), rows.Count, counted, minimum, minimum is { } m && VisitRules.IsBehind(counted, m),
            [.. rows.Select(v => Describe(v, names.GetValueOrDefault(v.BuildingCode, v.BuildingCode)))]));
    }

    /// <param name="week">Any date of the week (Beijing); default this week.</param>
    public static async Task<Ok<VisitWeekResponse>> Week(DateOnly? week, CivicGridDbContext db, IOptions<HouseholdsOptions> options, TimeProvider time,
        CancellationToken ct)
    {
        var start = VisitRules.WeekStart(week ?? HouseholdChecks.Today(time));
        var end = start.AddDays(6);
        var minimum = options.Value.WeeklyVisitMinimum;

        // The liaisons sunk into the caller's grids that week owe the minimum wherever they knock; others are listed with what they did here.
        var liaisons = await db.LiaisonAttachments.AsNoTracking().Where(a => a.StartsOn <= end && (a.EndsOn == null || a.EndsOn >= start))
            .Select(a => new { a.UserId, a.DepartmentId }).Distinct().ToListAsync(ct);
        var liaisonIds = liaisons.Select(l => l.UserId).Distinct().ToList();
        // Counted = VisitRules.Counts (visited or refused), written out so that the database counts it.
        var here = await db.DoorVisits.AsNoTracking().Where(v => v.WeekStart == start)
            .GroupBy(v => v.VisitorId).Select(g => new { UserId = g.Key, Visits = g.Count(), Counted = g.Count(v => v.Outcome != VisitOutcome.NobodyHome) })
            .ToListAsync(ct);
        var everywhere = await db.DoorVisits.AsNoTracking().IgnoreQueryFilters().Where(v => v.WeekStart == start && liaisonIds.Contains(v.VisitorId))
            .GroupBy(v => v.VisitorId).Select(g => new { UserId = g.Key, Visits = g.Count(), Counted = g.Count(v => v.Outcome != VisitOutcome.NobodyHome) })
            .ToListAsync(ct);
        var people = liaisonIds.Concat(here.Select(h => h.UserId)).Distinct().ToList();
        var users = await db.Users.AsNoTracking().IgnoreQueryFilters().Where(u => people.Contains(u.Id)).ToListAsync(ct);
        var departmentIds = liaisons.Select(l => l.DepartmentId).Distinct().ToList();
        var departments = await db.Organisations.AsNoTracking().IgnoreQueryFilters().Where(o => departmentIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);

        var workers = users.Select(u =>
        {
            var isLiaison = liaisonIds.Contains(u.Id);
            var tally = isLiaison ? everywhere.FirstOrDefault(e => e.UserId == u.Id) : here.FirstOrDefault(h => h.UserId == u.Id);
            var counted = tally?.Counted ?? 0;
            var department = liaisons.Where(l => l.UserId == u.Id).Select(l => departments.GetValueOrDefault(l.DepartmentId)).FirstOrDefault();
            var role = u.Roles.Contains(Role.DepartmentLiaison) ? Role.DepartmentLiaison : u.Roles.OrderByDescending(r => (int)r).First();
            return new WorkerWeekResponse(u.Id, u.DisplayName, role.ToChinese(), department, tally?.Visits ?? 0, counted, isLiaison ? minimum : null,
                isLiaison && VisitRules.IsBehind(counted, minimum));
        }).OrderByDescending(w => w.Behind).ThenBy(w => w.Counted).ThenBy(w => w.Name, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new VisitWeekResponse(start, end, minimum, workers.Count(w => w.Behind), workers));
    }

    /// <summary>
    /// The needs found at the door join the needs list (三张清单) in the visit's own save, sourced to the visit and placed at
    /// the building; the requester is named by the room, never by a resident's name. The demo's visits go through it too.
    /// </summary>
    internal static IEnumerable<Need> NeedsOf(DoorVisit visit, Household household, Building building, DateTimeOffset now) =>
        visit.Findings.Where(f => f.Kind == FindingKind.Need && f.NeedKind is not null).Select(f => new Need(
            ToServiceKind(f.NeedKind!.Value), f.Urgency ?? NeedUrgency.Normal, f.Text,
            $"{building.Name}{household.Unit}单元{household.Room}住户", household.GridCode, household.CompoundCode, building.Code,
            building.Location.X, building.Location.Y, NeedSource.Visit, visit.Id.ToString(), visit.VisitorId, now));

    /// <summary>The door-knock's need kinds in the needs list's terms.</summary>
    internal static ServiceKind ToServiceKind(NeedKind kind) => kind switch
    {
        NeedKind.ElderlyCare => ServiceKind.ElderlyCare,
        NeedKind.Health => ServiceKind.Health,
        NeedKind.Repair => ServiceKind.Repair,
        NeedKind.Legal => ServiceKind.Legal,
        NeedKind.Assistance => ServiceKind.Assistance,
        NeedKind.Companionship => ServiceKind.Companionship,
        _ => ServiceKind.Other,
    };


    private static List<VisitFinding> ReadFindings(IReadOnlyList<FindingRequest> requests, Dictionary<string, string[]> errors)
    {
        var findings = new List<VisitFinding>();
        for (var i = 0; i < requests.Count; i++)
        {
            var f = requests[i];
            var text = f.Text?.Trim() ?? string.Empty;
            if (text.Length > VisitFinding.MaxTextLength)
            {
                errors[$"findings[{i}].text"] = [$"每项发现不超过 {VisitFinding.MaxTextLength} 字。"];
                continue;
            }

            if (!ApiEnums.TryParse<FindingKind>(f.Kind, out var kind))
            {
                errors[$"findings[{i}].kind"] = ["每项发现须为需求（need）或问题（problem）。"];
            }
            else if (kind == FindingKind.Need)
            {
                if (!ApiEnums.TryParse<NeedKind>(f.NeedKind, out var needKind))
                {
                    errors[$"findings[{i}].needKind"] = [$"请选择需求类别：{ApiEnums.List<NeedKind>()}。"];
                    continue;
                }

                var urgency = NeedUrgency.Normal;
                if (f.Urgency is not null && !ApiEnums.TryParse(f.Urgency, out urgency))
                {
                    errors[$"findings[{i}].urgency"] = [$"紧急程度须为 {ApiEnums.List<NeedUrgency>()} 之一。"];
                    continue;
                }

                findings.Add(new VisitFinding(FindingKind.Need, needKind, urgency, null, text.Length > 0 ? text : needKind.ToChinese()));
            }
            else if (string.IsNullOrWhiteSpace(f.CategoryCode) || text.Length == 0)
            {
                errors[$"findings[{i}]"] = ["发现的问题须选择问题类别并说明情况，才能转为案件。"];
            }
            else
            {
                findings.Add(new VisitFinding(FindingKind.Problem, null, null, f.CategoryCode.Trim(), text));
            }
        }

        return findings;
    }

    private static (double Lon, double Lat, double Accuracy)? ReadPosition(RecordVisitRequest request, Dictionary<string, string[]> errors)
    {
        if (request.Lon is null && request.Lat is null)
        {
            return null;
        }

        if (request.Lon is not (>= -180 and <= 180) || request.Lat is not (>= -90 and <= 90))
        {
            errors["location"] = ["位置的经纬度不正确。"];
            return null;
        }

        if (!CoordinateSystemNames.TryParse(request.Crs ?? string.Empty, out var system))
        {
            errors["crs"] = [$"请注明坐标系 crs：{string.Join("、", CoordinateSystemNames.ApiNames)}。微信与国内地图一般为 gcj02，GPS 为 wgs84。"];
            return null;
        }

        if (request.Accuracy is < 0 or > 10_000)
        {
            errors["accuracy"] = ["定位精度应在 0 到 10000 米之间。"];
            return null;
        }

        var (lon, lat) = ChinaCoordinates.ToWgs84(request.Lon.Value, request.Lat.Value, system);
        return (lon, lat, request.Accuracy ?? 0);
    }

    private static Task<Household?> FindByRoomAsync(RecordVisitRequest request, CivicGridDbContext db, CancellationToken ct)
    {
        var room = request.Room?.Trim();
        return db.Households.AsNoTracking().SingleOrDefaultAsync(h => h.BuildingCode == request.BuildingCode && h.Unit == request.Unit && h.Room == room, ct);
    }

    private static async Task<Dictionary<string, string>> BuildingNamesAsync(CivicGridDbContext db, IReadOnlyCollection<DoorVisit> visits, CancellationToken ct)
    {
        var codes = visits.Select(v => v.BuildingCode).Distinct().ToList();
        return await db.Buildings.AsNoTracking().IgnoreQueryFilters().Where(b => codes.Contains(b.Code)).ToDictionaryAsync(b => b.Code, b => b.Address, ct);
    }

    private static DateTimeOffset Start(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).ToUniversalTime();

    private static VisitResponse Describe(DoorVisit v, string buildingName) =>
        new(v.Id, v.HouseholdId, v.BuildingCode, buildingName, v.Unit, v.Room, v.VisitorId, v.VisitorName, v.VisitedAt, v.Outcome, v.DistanceMeters, v.IsFar,
            v.Notes, [.. v.Findings.Select(f => new FindingResponse(f.Kind, f.NeedKind is { } k ? ApiEnums.Name(k) : null, f.Urgency is { } u ? ApiEnums.Name(u) : null, f.CategoryCode, f.Text, f.CaseNumber))], v.PhotoId is not null);
}
