using CivicGrid.Server.Features.Audit;
using System.Security.Claims;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Calendar;
using CivicGrid.Server.Features.Cases.Duplicates;
using CivicGrid.Server.Features.Cases.PersonalData;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.GridAffairs;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using CivicGrid.Spatial.CoordinateSystems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;


namespace CivicGrid.Server.Features.Cases.Queries;

/// <param name="Lon">WGS-84 longitude of the case.</param>
/// <param name="ReporterPhone">Masked (138****1234); the full number only through POST /api/cases/{number}/personal-data.</param>
/// <param name="DueAt">When the current assignment is due; null when unassigned.</param>
/// <param name="Overdue">Assigned or in handling past <paramref name="DueAt"/>.</param>
/// <param name="GridName">The name of the case's grid (<paramref name="GridCode"/>).</param>
/// <param name="Deadline">The deadline the case's stage works against now (<see cref="CaseDeadline"/>): acceptance for a reported case,
/// handling for an assigned one, the review date for a parked one; null when its stage has none.</param>
/// <param name="DeadlineKind">Which deadline <paramref name="Deadline"/> is: accept, handle, supervision or review.</param>
/// <param name="AssigneeName">The person or department handling it; null for residents.</param>
/// <param name="CategoryName">The subcategory's name.</param>
/// <param name="Address">Where it is in words: the address given with the report, else the nearest building's (“…3号楼附近”); null when neither.</param>
public sealed record CaseSummary(string Number, string CategoryCode, string Title, string GridCode, CaseTier Tier, CaseStatus Status,
    CaseChannel Channel, DateTimeOffset ReportedAt, DateTimeOffset? ClosedAt, double Lon, double Lat, string? ReporterPhone, int? Rating,
    DateTimeOffset? DueAt, bool Overdue, DateTimeOffset? SupervisionDueAt, string? GridName = null, DateTimeOffset? Deadline = null,
    CaseDeadlineKind? DeadlineKind = null, string? AssigneeName = null, string? CategoryName = null, string? Address = null);

public sealed record CasePage(int Total, int Page, int PageSize, IReadOnlyList<CaseSummary> Items);

/// <summary>One step of a case's history as staff see it.</summary>
/// <param name="Action">Stable kebab-case name of the step, e.g. accept, assign, escalate.</param>
/// <param name="ActorName">Who acted; the reporter's own name is masked (王*), like everywhere else.</param>
/// <param name="Text">The plain-Chinese sentence written to the resident who reported it (您反映的问题…), for both audiences.</param>
/// <param name="StaffText">Staff only: the step as a work log says it (交办给 张三，办理时限 …; 转办：A 网格 → B 网格); null for residents.</param>
/// <param name="ActorRole">Staff only: what the actor is (网格长, 社区工作人员, a department's name for its liaison, 系统, 报告人).</param>
/// <param name="FromGridName">Staff only: the name of <paramref name="FromGridCode"/>.</param>
/// <param name="ToGridName">Staff only: the name of <paramref name="ToGridCode"/>.</param>
public sealed record TimelineEntryResponse(int Sequence, DateTimeOffset At, string Action, string? ActorName, CaseStatus? FromStatus, CaseStatus ToStatus,
    CaseTier FromTier, CaseTier ToTier, string? FromGridCode, string? ToGridCode, string? Note, string Text, IReadOnlyList<Guid> AttachmentIds,
    string? StaffText = null, string? ActorRole = null, string? FromGridName = null, string? ToGridName = null);

/// <param name="Intact">Whether the stored hash chain verifies (staff only; null for residents).</param>
public sealed record CaseTimelineResponse(string Number, bool? Intact, IReadOnlyList<TimelineEntryResponse> Entries);

/// <summary>A joint mediation (联调) on a yellow case; staff only.</summary>
public sealed record MediationResponse(IReadOnlyList<string> Participants, DateTimeOffset HeldOn, string Place, string Outcome);

/// <summary>A joint analysis meeting's decision (联席会议) on a blue case; staff only.</summary>
public sealed record MeetingDecisionResponse(Guid MeetingId, string Decision, DateTimeOffset RecordedAt);

/// <summary>Everything a console shows for one case. Residents get the reduced view: no staff names, notes or records.</summary>
/// <param name="StatusText">The status in plain Chinese.</param>
/// <param name="ReporterName">Masked (王*); null when anonymous. In full only through POST /api/cases/{number}/personal-data.</param>
/// <param name="ReporterPhone">Masked (138****1234).</param>
/// <param name="AssigneeName">The person or department handling it; null for residents.</param>
/// <param name="ParkedUntil">The review date of a parked case (Beijing calendar).</param>
/// <param name="Version">Send it back as expectedVersion with any workflow verb; a stale one is refused with 409.</param>
/// <param name="PhotoIds">Photos attached to the case's steps (for residents, the public steps').</param>
/// <param name="Mediations">Staff only; null for residents.</param>
/// <param name="MeetingDecisions">Staff only; null for residents.</param>
/// <param name="PossibleDuplicates">Staff only, while the case is open: open cases of the same kind nearby, to merge with.</param>
/// <param name="AllowedActions">The verbs the caller may take now (kebab-case: accept, assign, verify…), from the workflow's rules.</param>
/// <param name="GridName">The name of the grid the case lies in (<paramref name="GridCode"/>).</param>
/// <param name="MayRevealPersonalData">The caller's roles may see the reporter's name and phone in full (POST …/personal-data, audited).</param>
/// <param name="Deadline">The deadline the case's stage works against now (see <see cref="CaseSummary"/>).</param>
/// <param name="DeadlineKind">accept, handle, supervision or review.</param>
/// <param name="Address">Where it is in words (<see cref="CasePlaces"/>): the building or compound the report named, else the address given
/// with the report, else the nearest building's (“…3号楼附近”); null when none is known (the position is in <paramref name="Lon"/>, <paramref name="Lat"/>).</param>
/// <param name="Claims">Claims in force today of this kind of case in a grid holding the case (a party member or a public unit took it on there); null for residents.</param>
public sealed record CaseDetail(string Number, string CategoryCode, string? CategoryName, string? MajorCategoryName, string Title,
    string Description, string GridCode, CaseTier Tier, CaseStatus Status, string StatusText, CaseChannel Channel, DateTimeOffset ReportedAt,
    DateTimeOffset? ClosedAt, double Lon, double Lat, string? ReporterName, string? ReporterPhone, string? AssigneeName, DateTimeOffset? DueAt,
    bool Overdue, DateTimeOffset? SupervisionDueAt, int SupervisionCount, DateOnly? ParkedUntil, string? MergedIntoNumber, int? Rating,
    string? EvaluationComment, bool EvaluatedAutomatically, int ReopenCount, bool HandedToDistrict, int Version, IReadOnlyList<Guid> PhotoIds,
    IReadOnlyList<MediationResponse>? Mediations, IReadOnlyList<MeetingDecisionResponse>? MeetingDecisions,
    [property: ApiValues(typeof(CaseVerbs), nameof(CaseVerbs.All))] IReadOnlyList<string> AllowedActions,
    IReadOnlyList<DuplicateCandidate>? PossibleDuplicates, bool MayRevealPersonalData = false, string? GridName = null,
    IReadOnlyList<ClaimResponse>? Claims = null, DateTimeOffset? Deadline = null, CaseDeadlineKind? DeadlineKind = null, string? Address = null);

/// <param name="Box">The inbox's name in URLs (mine, grid-open, to-accept, due-soon, overdue, supervised…).</param>
/// <param name="Title">Its label, Chinese.</param>
public sealed record InboxCount(string Box, string Title, int Count);

public sealed record InboxCounts(IReadOnlyList<InboxCount> Boxes);

/// <summary>Open cases near a position that may already be the reporter's problem.</summary>
public sealed record DuplicateSuggestions(double RadiusMeters, IReadOnlyList<DuplicateCandidate> Candidates);

/// <summary>
/// Reading cases, filtered by scope (the context's query filter): staff see their subtree, residents the cases they
/// reported. Search, inboxes, detail with the verbs the caller may take, Excel export and nearby-duplicate suggestions.
/// The workflow's verbs and intake are beside these, in their own files.
/// </summary>
public static class CasesApi
{
    public const int MaxPageSize = CaseFilter.MaxPageSize;

    /// <summary>Placeholders the report step writes instead of a name; they are not personal data.</summary>
    internal static readonly HashSet<string> ReporterPlaceholders = ["匿名报告人", "报告人", "来电人"];

    /// <summary>How a staff member's entry of a phone call or walk-in names its first step: “王阿姨（刘芳代登记）”.</summary>
    private const string EnteredBySuffix = "代登记）";

    /// <summary>The reporter's own name in the first step's actor (without the “（…代登记）” of a staff entry); null for a placeholder.</summary>
    internal static string? ReporterNameIn(string actorName)
    {
        var (caller, _) = SplitEntry(actorName);
        return ReporterPlaceholders.Contains(caller) ? null : caller;
    }

    /// <summary>The first step's actor as staff see it: the reporter's name masked, the staff member who entered it not.</summary>
    internal static string MaskReporterActor(string actorName)
    {
        var (caller, enteredBy) = SplitEntry(actorName);
        return (ReporterPlaceholders.Contains(caller) ? caller : Masking.PersonName(caller)) + enteredBy;
    }

    private static (string Caller, string EnteredBy) SplitEntry(string actorName)
    {
        var open = actorName.LastIndexOf('（');
        return open > 0 && actorName.EndsWith(EnteredBySuffix, StringComparison.Ordinal)
            ? (actorName[..open], actorName[open..])
            : (actorName, string.Empty);
    }

    public static RouteGroupBuilder MapCasesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/cases").WithTags("Cases").RequireAuthorization(Policies.CaseContent);
        group.MapGet("/", ListCases).WithName("ListCases")
            .WithSummary("Cases in the caller's scope with search and filters, newest (or soonest due) first, a page at a time with the total.");
        group.MapGet("/inbox", CountInboxes).WithName("CountCaseInboxes").RequireAuthorization(Policies.Staff)
            .WithSummary("How many cases each of the caller's inboxes holds (for the badges).");
        group.MapGet("/inbox/{box}", ListInbox).WithName("ListCaseInbox").RequireAuthorization(Policies.Staff)
            .WithSummary("One inbox: mine, grid-open, to-accept, due-soon, overdue, supervised; the list's filters apply too.");
        group.MapGet("/duplicates", FindDuplicates).WithName("FindDuplicateCases").AllowAnonymous().RequireRateLimiting(RoutingApi.LocateRateLimit)
            .WithSummary("Open cases of the same kind reported nearby lately: \"already reported — follow it?\". Anonymous (rate-limited); public facts only.");
        group.MapGet("/export.xlsx", CaseExport.Export).WithName("ExportCases").WithSecurityEvent(SecurityEventKind.Exported, "export", "导出案件").RequireAuthorization(Policies.Staff)
            .WithSummary("The list's selection as an Excel workbook: Chinese headers, Beijing times, phones masked, at most CaseQueries:ExportMaxRows rows.");
        group.MapGet("/points", CasePointsApi.ListPoints).WithName("ListCasePoints").RequireAuthorization(Policies.Staff)
            .WithSummary("The list's selection (filters and scope, no paging) as GeoJSON points for a clustered map: number, grid, colour, open; at most CaseQueries:ExportMaxRows.");
        group.MapGet("/grid-counts", CasePointsApi.CountByGrid).WithName("CountCasesByGrid").RequireAuthorization(Policies.Staff)
            .WithSummary("The list's selection (filters and scope) counted per grid: total and open cases, for colouring grids on a map.");
        group.MapGet("/{number}", GetCase).WithName("GetCase")
            .WithSummary("One case with everything a console shows, and the verbs the caller may take now; residents get a reduced view.");
        group.MapGet("/{number}/timeline", GetTimeline).WithName("GetCaseTimeline")
            .WithSummary("A case's history: every step for staff; for the resident who reported it, the public steps in plain Chinese without staff names.");
        group.MapPost("/{number}/personal-data", PersonalDataApi.Reveal).WithName("RevealCasePersonalData")
            .WithSummary("The reporter's name and phone in full, for community staff, the operations centre and the district; every call is audited.");
        return group;
    }

    public static async Task<Results<Ok<CasePage>, ProblemHttpResult>> ListCases(CaseQuery query, ClaimsPrincipal principal,
        CivicGridDbContext db, WorkCalendarProvider calendars, IOptions<Assessment.AssessmentOptions> assessment, TimeProvider time, CancellationToken ct)
    {
        var (filter, caller, problem) = await CaseFilter.PrepareAsync(query, principal, db, ct);
        if (problem is not null || filter is null || caller is null)
        {
            return problem!;
        }

        var now = time.GetUtcNow();
        return TypedResults.Ok(await PageAsync(db, filter.Apply(db.Cases.AsNoTracking(), caller, now), filter, CaseSort.Newest, now,
            await calendars.GetAsync(ct), assessment.Value, caller.IsResident, ct));
    }

    public static async Task<Results<Ok<InboxCounts>, ProblemHttpResult>> CountInboxes(ClaimsPrincipal principal, CivicGridDbContext db,
        IEnumerable<ICaseInbox> inboxes, IOptions<CaseQueryOptions> options, WorkCalendarProvider calendars, TimeProvider time, CancellationToken ct)
    {
        var caller = await CaseCaller.LoadAsync(principal, db, ct);
        if (caller is null)
        {
            return Problems.Create(StatusCodes.Status401Unauthorized, Problems.UnauthorizedType, "Authentication is required.", "请先登录，或登录已过期，请重新登录。");
        }

        var context = new CaseInboxContext(db.Cases.AsNoTracking(), caller, time.GetUtcNow(), options.Value, await calendars.GetAsync(ct));
        var counts = new List<InboxCount>();
        foreach (var box in inboxes)
        {
            counts.Add(new InboxCount(box.Name, box.Title, await box.Select(context).CountAsync(ct)));
        }

        return TypedResults.Ok(new InboxCounts(counts));
    }

    /// <param name="box">mine, grid-open, to-accept, due-soon, overdue or supervised (and any box a feature registers).</param>
    public static async Task<Results<Ok<CasePage>, ProblemHttpResult>> ListInbox(string box, CaseQuery query, ClaimsPrincipal principal,
        CivicGridDbContext db, IEnumerable<ICaseInbox> inboxes, IOptions<CaseQueryOptions> options, WorkCalendarProvider calendars,
        IOptions<Assessment.AssessmentOptions> assessment, TimeProvider time, CancellationToken ct)
    {
        var all = inboxes.ToList();
        var inbox = all.FirstOrDefault(b => b.Name == box);
        if (inbox is null)
        {
            return Problems.NotFound($"没有名为“{box}”的收件箱，可用：{string.Join("、", all.Select(b => b.Name))}。");
        }

        var (filter, caller, problem) = await CaseFilter.PrepareAsync(query, principal, db, ct);
        if (problem is not null || filter is null || caller is null)
        {
            return problem!;
        }

        var now = time.GetUtcNow();
        var calendar = await calendars.GetAsync(ct);
        var selected = inbox.Select(new CaseInboxContext(db.Cases.AsNoTracking(), caller, now, options.Value, calendar));
        return TypedResults.Ok(await PageAsync(db, filter.Apply(selected, caller, now), filter, inbox.DefaultSort, now, calendar, assessment.Value,
            caller.IsResident, ct));
    }

    /// <param name="lon">Longitude in degrees, in the system named by crs.</param>
    /// <param name="lat">Latitude in degrees, in the system named by crs.</param>
    /// <param name="crs">wgs84, cgcs2000, gcj02 or bd09 (required; WeChat and Chinese map SDKs give gcj02).</param>
    /// <param name="category">The subcategory the reporter chose, e.g. E0101.</param>
    public static async Task<Results<Ok<DuplicateSuggestions>, ProblemHttpResult>> FindDuplicates([ApiType(typeof(double))] string? lon, [ApiType(typeof(double))] string? lat,
        [ApiValues(typeof(CoordinateSystemNames), nameof(CoordinateSystemNames.ApiNames))] string? crs, string? category,
        ClaimsPrincipal caller, CivicGridDbContext db, DuplicateFinder finder, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var longitude = RoutingApi.ParseNumber(lon, "lon", "经度", -180, 180, required: true, errors);
        var latitude = RoutingApi.ParseNumber(lat, "lat", "纬度", -90, 90, required: true, errors);
        CoordinateSystem system = default;
        if (string.IsNullOrWhiteSpace(crs))
        {
            errors["crs"] = [$"请注明坐标系 crs：{string.Join("、", CoordinateSystemNames.ApiNames)}。微信与国内地图一般为 gcj02，GPS 为 wgs84。"];
        }
        else if (!CoordinateSystemNames.TryParse(crs, out system))
        {
            errors["crs"] = [$"未知的坐标系“{crs}”，可用：{string.Join("、", CoordinateSystemNames.ApiNames)}。"];
        }

        var code = category?.Trim();
        if (string.IsNullOrEmpty(code))
        {
            errors["category"] = ["请选择事件类别（category，小类编码，如 E0101）。"];
        }
        else if (code.Length > 16 || !await db.CaseCategories.AnyAsync(c => c.Code == code, ct))
        {
            errors["category"] = [$"未知的事件类别“{code}”。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var (wgsLon, wgsLat) = ChinaCoordinates.ToWgs84(longitude!.Value, latitude!.Value, system);
        var found = await finder.FindAsync(new Point(wgsLon, wgsLat) { SRID = 4326 }, code!, time.GetUtcNow(),
            DuplicateDisclosure.AudienceOf(caller.GetRoles()), ct);
        return TypedResults.Ok(new DuplicateSuggestions(finder.Options.RadiusMeters, found));
    }

    public static async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> GetCase(string number, ClaimsPrincipal principal, CivicGridDbContext db,
        TimeProvider time, DuplicateFinder duplicates, GeographyIndex geography, WorkCalendarProvider calendars,
        IOptions<Assessment.AssessmentOptions> assessment, CancellationToken ct)
    {
        var found = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Number == number, ct);
        if (found is null)
        {
            return Problems.NotFound($"找不到编号为 {number} 的案件，或它不在您的查看范围内。");
        }

        var caller = await CaseCaller.LoadAsync(principal, db, ct);
        if (caller is null)
        {
            return Problems.Create(StatusCodes.Status401Unauthorized, Problems.UnauthorizedType, "Authentication is required.", "请先登录，或登录已过期，请重新登录。");
        }

        var now = time.GetUtcNow();
        var category = await db.CaseCategories.AsNoTracking().Where(c => c.Code == found.CategoryCode)
            .Select(c => new { c.Name, c.MajorName }).SingleOrDefaultAsync(ct);
        var (reporterName, reporterPhone) = await ReporterContact.LoadAsync(db, found, ct);
        var gridName = await db.GridNameAsync(found.GridCode, ct);
        var resident = caller.IsResident;
        var deadline = CaseDeadline.Of(found, await calendars.GetAsync(ct), assessment.Value.AcceptWithinWorkingHours);
        var photos = found.Timeline.Where(e => !resident || e.IsPublic).SelectMany(e => e.AttachmentIds).Distinct().ToList();

        // Suggested to staff when they look at the case, not computed on every intake: reporters ask before they submit.
        IReadOnlyList<DuplicateCandidate>? possible = resident || found.Status.IsFinal() ? null
            : [.. (await duplicates.FindAsync(found.Location, found.CategoryCode, found.ReportedAt, DuplicateDisclosure.AudienceOf(caller.Actor.Roles), ct))
                .Where(d => d.Number != found.Number)];
        return TypedResults.Ok(new CaseDetail(found.Number, found.CategoryCode, category?.Name, category?.MajorName, found.Title, found.Description,
            found.GridCode, found.Tier, found.Status, found.Status.ToChinese(), found.Channel, found.ReportedAt,
            found.ClosedAt, found.Location.X, found.Location.Y, Masking.PersonName(reporterName), Masking.Phone(reporterPhone),
            resident ? null : found.AssigneeName, found.DueAt, found.IsOverdue(now), found.SupervisionDueAt, found.SupervisionCount,
            found.ParkedUntil, found.MergedIntoNumber, found.Rating, found.EvaluationComment, found.EvaluatedAutomatically, found.ReopenCount,
            found.DistrictRecordId is not null, found.Version, photos,
            resident ? null : [.. found.Mediations.Select(m => new MediationResponse(m.Participants, m.HeldOn, m.Place, m.Outcome))],
            resident ? null : [.. found.MeetingDecisions.Select(d => new MeetingDecisionResponse(d.MeetingId, d.Decision, d.RecordedAt))],
            CaseRules.AllowedActions(caller.Actor, found, now), possible, principal.GetRoles().Any(PersonalDataApi.MayReveal.Contains), gridName,
            resident ? null : await ClaimsApi.ForCaseAsync(db, found.CategoryCode, found.GridCode, GridAffairsRules.Today(time), await geography.GetAsync(ct), ct),
            deadline?.At, deadline?.Kind, (await CasePlaces.DescribeAsync(db, [found], ct)).GetValueOrDefault(found.Number)));
    }

    public static async Task<Results<Ok<CaseTimelineResponse>, ProblemHttpResult>> GetTimeline(string number, CivicGridDbContext db, CancellationToken ct)
    {
        var found = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Number == number, ct);
        if (found is null)
        {
            return Problems.NotFound($"找不到编号为 {number} 的案件，或它不在您的查看范围内。");
        }

        if (db.Scope.OwnRecordsOnly)
        {
            // Residents see what happened, not who on the staff did it, nor internal notes.
            return TypedResults.Ok(new CaseTimelineResponse(found.Number, null, [.. found.Timeline.Where(e => e.IsPublic).Select(e =>
                new TimelineEntryResponse(e.Sequence, e.At, e.Action, null, e.FromStatus, e.ToStatus, e.FromTier,
                    e.ToTier, null, null, null, e.PublicText, []))]));
        }

        // The reporter's name is personal data: masked on the steps they took (the report, an evaluation…).
        var log = await StaffLog.LoadAsync(db, found, ct);
        return TypedResults.Ok(new CaseTimelineResponse(found.Number, found.VerifyTimeline() is null, [.. found.Timeline.Select(e =>
        {
            var byReporter = ByReporter(found, e);
            return new TimelineEntryResponse(e.Sequence, e.At, e.Action, byReporter ? MaskReporterActor(e.ActorName) : e.ActorName,
                e.FromStatus, e.ToStatus, e.FromTier,
                e.ToTier, e.FromGridCode, e.ToGridCode, e.Note, e.PublicText, e.AttachmentIds,
                log.Text(e), log.Role(e, byReporter), log.GridName(e.FromGridCode), log.GridName(e.ToGridCode));
        })]));
    }

    private static CaseSummary Summarise(Case c, DateTimeOffset now, CaseListContext context, IReadOnlyDictionary<string, string> categories, string? address)
    {
        var deadline = CaseDeadline.Of(c, context.Calendar, context.AcceptWithinWorkingHours);
        return new(c.Number, c.CategoryCode, c.Title, c.GridCode, c.Tier,
            c.Status, c.Channel, c.ReportedAt, c.ClosedAt, c.Location.X, c.Location.Y, Masking.Phone(c.ReporterPhone), c.Rating,
            c.DueAt, c.IsOverdue(now), c.SupervisionDueAt, context.GridNames.GetValueOrDefault(c.GridCode), deadline?.At, deadline?.Kind,
            context.Resident ? null : c.AssigneeName, categories.GetValueOrDefault(c.CategoryCode), address);
    }

    /// <summary>Up to this many cases, the deadline sort reads the selection's deadlines and orders them exactly; beyond, in SQL (<see cref="CaseFilter.Order"/>).</summary>
    private const int ExactDeadlineSortMaxRows = 20_000;

    /// <summary>
    /// One page of the selection soonest deadline first (<see cref="CaseDeadline"/>), cases without one last, newest first: the
    /// acceptance deadline counts on the work calendar, which SQL cannot, so the few columns a deadline depends on are read
    /// for the whole selection, ordered here, and only the page's cases are loaded.
    /// </summary>
    private static async Task<List<Case>> ByDeadlineAsync(IQueryable<Case> query, CaseFilter filter, int total, Domain.Calendar.WorkCalendar calendar,
        double acceptWithinWorkingHours, CancellationToken ct)
    {
        if (total == 0)
        {
            return [];
        }

        var facts = await query.Select(c => new { c.Number, c.Status, c.ReportedAt, c.DueAt, c.SupervisionDueAt, c.ParkedUntil }).ToListAsync(ct);
        var page = facts
            .Select(f => (f.Number, f.ReportedAt, Deadline: CaseDeadline.Of(f.Status, f.ReportedAt, f.DueAt, f.SupervisionDueAt, f.ParkedUntil, calendar,
                acceptWithinWorkingHours)?.At))
            .OrderBy(f => f.Deadline is null).ThenBy(f => f.Deadline).ThenByDescending(f => f.ReportedAt).ThenBy(f => f.Number, StringComparer.Ordinal)
            .Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize).Select(f => f.Number).ToList();
        var cases = await query.Where(c => page.Contains(c.Number)).ToListAsync(ct);
        return [.. cases.OrderBy(c => page.IndexOf(c.Number))];
    }

    private static bool ByReporter(Case c, CaseTimelineEntry e) =>
        !ReporterPlaceholders.Contains(e.ActorName)
        && (e.Sequence == 1 || (c.ReporterId is { } reporter && e.ActorId == reporter));

    private static async Task<CasePage> PageAsync(CivicGridDbContext db, IQueryable<Case> query, CaseFilter filter, CaseSort fallback, DateTimeOffset now,
        Domain.Calendar.WorkCalendar calendar, Assessment.AssessmentOptions assessment, bool resident, CancellationToken ct)
    {
        var total = await query.CountAsync(ct);
        var items = (filter.Sort ?? fallback) == CaseSort.DueSoonest && total <= ExactDeadlineSortMaxRows
            ? await ByDeadlineAsync(query, filter, total, calendar, assessment.AcceptWithinWorkingHours, ct)
            : await filter.Order(query, fallback).Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize).ToListAsync(ct);
        var context = await CaseListContext.LoadAsync(db, items.Select(c => c.GridCode), calendar, assessment, resident, ct);
        var codes = items.Select(c => c.CategoryCode).Distinct().ToList();
        var categories = (await db.CaseCategories.AsNoTracking().Where(c => codes.Contains(c.Code)).Select(c => new { c.Code, c.Name }).ToListAsync(ct))
            .ToDictionary(c => c.Code, c => c.Name, StringComparer.Ordinal);
        var places = await CasePlaces.DescribeAsync(db, items, ct);
        return new CasePage(total, filter.Page, filter.PageSize, [.. items.Select(c => Summarise(c, now, context, categories, places.GetValueOrDefault(c.Number)))]);
    }
}

/// <summary>Who reported a case: their name and phone, in full — callers mask them unless the caller may reveal them.</summary>
internal static class ReporterContact
{
    public static async Task<(string? Name, string? Phone)> LoadAsync(CivicGridDbContext db, Case subject, CancellationToken ct)
    {
        string? name = null;
        var phone = subject.ReporterPhone;
        if (subject.ReporterId is { } reporterId)
        {
            // The case itself came through the scope filter; its reporter's account may lie outside the caller's subtree
            // (a resident reporting in a neighbouring community), so it is read by id, and only these two fields.
            var account = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => u.Id == reporterId)
                .Select(u => new { u.DisplayName, u.PhoneNumber }).SingleOrDefaultAsync(ct);
            name = account?.DisplayName;
            phone ??= account?.PhoneNumber;
        }
        else if (subject.Timeline.FirstOrDefault(e => e.Sequence == 1) is { } report)
        {
            name = CasesApi.ReporterNameIn(report.ActorName);
        }

        return (name, string.IsNullOrWhiteSpace(phone) ? null : phone);
    }
}
