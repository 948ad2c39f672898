using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Cases.Duplicates;
using CivicGrid.Server.Features.Cases.Photos;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.Sms;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Storage;
using CivicGrid.Spatial.CoordinateSystems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Features.Cases.Intake;

public sealed record IntakeGrid(string Code, string Name, string Level);

public sealed record IntakeCandidate(string Code, string Name, double Share);

/// <summary>The answer to a report.</summary>
/// <param name="Owner">Who handles it now, in plain Chinese (网格长, 社区…), and the owning node's code.</param>
/// <param name="Confidence">certain or ambiguous: how sure the router was.</param>
/// <param name="LocationPending">True when the candidate grids are asked to confirm where the case belongs.</param>
/// <param name="Duplicates">Open cases of the same kind nearby, public facts only: "already reported — follow it instead?" (staff may merge).</param>
/// <param name="ExpectedBy">
/// When the report is expected to be handled: the category's time limit at the case's colour, counted from the report on the
/// work calendar the deadlines use (natural time for what cannot wait); the receipt shows it.
/// </param>
/// <param name="FollowToken">
/// For an anonymous report only (never for a call staff typed in: the caller gets it by SMS), shown once: with the case number it lets the reporter follow, verify and rate the
/// case (<c>/api/track/{number}</c>, header <c>Follow-Token</c>). Keep it like a password.
/// </param>
public sealed record IntakeResponse(string Number, CaseStatus Status, CaseTier Tier, string CategoryCode, string CategoryName, IntakeGrid Grid,
    string Owner, string OwnerCode, CivicGrid.Spatial.Indexing.LocateConfidence Confidence, RoutingMethod Method, bool LocationPending, IReadOnlyList<IntakeCandidate> Candidates,
    IReadOnlyList<Guid> PhotoIds, string? FollowToken, string Message, int Version, IReadOnlyList<DuplicateCandidate> Duplicates,
    DateTimeOffset? ExpectedBy = null);

/// <summary>
/// Intake over HTTP: <c>POST /api/cases</c> for every person-facing channel (anonymous or signed-in resident, grid
/// patrol, property staff, staff entry of a phone call or walk-in), multipart with up to 9 photos or JSON without.
/// Machines (sensors, the hotline, Open311) call <see cref="CaseIntake"/> through their own doors.
/// </summary>
public static partial class IntakeApi
{
    public const string CreateRateLimit = "case-create";

    /// <summary>Photos in one request; more go through <c>POST /api/cases/{number}/photos</c>.</summary>
    public const int MaxPhotosPerRequest = 9;

    private static readonly HashSet<Role> NotReporters = [Role.SystemAdmin, Role.SecurityAdmin, Role.AuditAdmin];

    private static readonly HashSet<Role> PatrolRoles = [Role.GridWorker, Role.GridLeader, Role.MicroGridWorker];

    public static IEndpointRouteBuilder MapIntakeApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/cases", Report).AllowAnonymous().RequireRateLimiting(CreateRateLimit).WithIdempotencyStoredByEffect().DisableAntiforgery()
            .WithTags("Cases").WithName("ReportCase").Accepts<ReportForm>("multipart/form-data", "application/json")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(140L * 1024 * 1024))
            .WithSummary("Report a problem: category, description, position (with its coordinate system) and up to 9 photos. "
                + "Anonymous first reports are allowed (phone optional); send an Idempotency-Key so a retry never makes a second case.");
        return routes;
    }

    /// <summary>The fields of a report, as form fields or JSON properties.</summary>
    /// <param name="Crs">wgs84, cgcs2000, gcj02 or bd09.</param>
    /// <param name="Accuracy">Accuracy radius of the position in metres.</param>
    /// <param name="Phone">The reporter's phone (anonymous report) or the caller's (staff entry); optional.</param>
    /// <param name="CallerName">Staff entry only: the name the caller gave.</param>
    public sealed record ReportForm(string? CategoryCode, string? Title, string? Description, string? Lon, string? Lat, string? Crs,
        string? Accuracy, string? Building, string? Compound, string? Address, string? Phone, string? CallerName);

    public static async Task<Results<Created<IntakeResponse>, ProblemHttpResult>> Report(HttpRequest request, ClaimsPrincipal caller,
        CaseIntake intake, PhotoProcessor processor, GeographyIndex geography, DuplicateFinder duplicates, IOptions<PhotoOptions> photoOptions,
        IdempotencyContext idempotency, TimeProvider time, CivicGridDbContext db, IOptions<SmsOptions> sms,
        Calendar.WorkCalendarProvider calendars, CancellationToken ct)
    {
        var roles = caller.GetRoles();
        if (roles.Count > 0 && roles.All(NotReporters.Contains))
        {
            return Problems.Forbidden("管理员账号不能上报案件，请使用业务账号。");
        }

        // Anyone may report anonymously: such a request is bounded to 9 photos at the anonymous limit (and a little for
        // the fields), not to the staff limit, before anything of it is read.
        var anonymous = roles.Count == 0;
        long? photoLimit = anonymous ? photoOptions.Value.AnonymousMaxBytes : null;
        if (anonymous && request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = AnonymousMaxRequestBytes(photoOptions.Value);
        }

        if (anonymous && request.ContentLength > AnonymousMaxRequestBytes(photoOptions.Value))
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "/problems/too-large", "The report is too large.",
                $"匿名上报最多 {MaxPhotosPerRequest} 张照片，每张不超过 {photoOptions.Value.AnonymousMaxBytes / (1024 * 1024)} MB。");
        }

        ReportForm form;
        var files = new List<IFormFile>();
        try
        {
            (form, files) = await ReadAsync(request, ct);
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or BadHttpRequestException)
        {
            return Problems.Validation("body", "无法读取上报内容，请使用 multipart/form-data 或 JSON 格式。");
        }

        var errors = new Dictionary<string, string[]>();
        var command = Validate(form, files.Count, caller, roles, errors);
        if (errors.Count > 0 || command is null)
        {
            return Problems.Validation(errors);
        }

        // A staff member cannot send a caller's follow link to their own phone.
        if (command.Channel == CaseChannel.StaffEntry && command.ReporterPhone is { } callerPhone && command.EnteredBy is { } staffId
            && await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => u.Id == staffId).Select(u => u.PhoneNumber).SingleOrDefaultAsync(ct) is { } own
            && TryNormalizePhone(own, out var ownPhone) && ownPhone == callerPhone)
        {
            return Problems.Validation("phone", "来电人号码不能是登记人本人的手机号。");
        }

        var (processed, refused) = await StoredPhoto.ProcessAllAsync(processor, files, ct, photoLimit);
        if (refused is not null)
        {
            return refused;
        }

        // Found before the case is stored, so the answer is complete on the writer, where a keyed request's answer is
        // stored with the case: one transaction, so a crash can neither lose the answer nor let a retry make a second case.
        var snapshot = await geography.GetAsync(ct);
        var calendar = await calendars.GetAsync(ct);
        var nearby = await duplicates.FindAsync(new Point(command.Lon, command.Lat) { SRID = 4326 }, command.CategoryCode, time.GetUtcNow(),
            DuplicateDisclosure.AudienceOf(roles), ct);
        IntakeResponse? answer = null;
        IntakeResult result;
        try
        {
            // A staff-entered call: the caller's follow link goes out by SMS in the same transaction as the case.
            var origin = string.IsNullOrEmpty(sms.Value.PublicUrl) ? $"{request.Scheme}://{request.Host}{request.PathBase}" : sms.Value.PublicUrl;
            Action<CivicGridDbContext, IntakeResult>? alsoStore = command.Channel == CaseChannel.StaffEntry && command.EnteredBy is { } enteredBy
                ? (tx, stored) => SmsFollowLink.Add(tx, stored.Case, stored.FollowToken!, enteredBy, origin, stored.Case.ReportedAt)
                : null;
            result = await intake.ReportAsync(command with { Photos = processed, Door = request.HasFormContentType ? IntakeDoor.Multipart : IntakeDoor.Json }, ct,
                idempotency.Claim is null ? alsoStore : (tx, stored) =>
                {
                    alsoStore?.Invoke(tx, stored);
                    answer = Describe(stored, snapshot, calendar, nearby);
                    idempotency.CompleteWithEffect(tx, StatusCodes.Status201Created, LocationOf(stored.Case), answer);
                });
        }
        catch (IntakeRefusedException e)
        {
            return e.Type == "/problems/validation"
                ? Problems.Validation(e.Field, e.ChineseMessage)
                : Problems.Create(StatusCodes.Status422UnprocessableEntity, e.Type, "The location is outside every grid.", e.ChineseMessage);
        }

        return TypedResults.Created(LocationOf(result.Case), answer ?? Describe(result, snapshot, calendar, nearby));
    }

    private static string LocationOf(Case c) => $"/api/cases/{c.Number}";

    /// <summary>The most an anonymous report's body may hold: its photos at the anonymous limit and 1 MiB for the fields.</summary>
    public static long AnonymousMaxRequestBytes(PhotoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (MaxPhotosPerRequest * options.AnonymousMaxBytes) + (1024 * 1024);
    }

    private static IntakeResponse Describe(IntakeResult result, GeographySnapshot snapshot, Domain.Calendar.WorkCalendar calendar,
        IReadOnlyList<DuplicateCandidate> nearby)
    {
        var categoryName = result.Category.Name;
        var c = result.Case;
        var grid = snapshot.Grids.TryGetValue(c.GridCode, out var info)
            ? new IntakeGrid(info.Code, info.Name, info.Level.ToApiName())
            : new IntakeGrid(c.GridCode, c.GridCode, string.Empty);
        var candidates = result.Claims.Select(claim => new IntakeCandidate(claim.GridCode,
            snapshot.Grids.TryGetValue(claim.GridCode, out var g) ? g.Name : claim.GridCode, claim.Share)).ToList();
        var message = c.IsLocationPending
            ? $"已收到，案件编号 {c.Number}。您所在位置靠近网格边界，正在由相邻网格确认受理。"
            : $"已收到，案件编号 {c.Number}，已转{OwnerName(snapshot, c)}处理。";
        return new IntakeResponse(c.Number, c.Status, c.Tier, c.CategoryCode, categoryName, grid, c.Tier.OwnerToChinese(),
            CaseRules.OwnerCodeOf(c.GridCode, c.Tier), result.Routing.Confidence,
            result.Routing.Method, c.IsLocationPending, candidates, [.. c.Timeline[0].AttachmentIds],
            c.Channel == CaseChannel.StaffEntry ? null : result.FollowToken, message, c.Version, nearby,
            result.Category.DueAt(calendar, c.ReportedAt, c.Tier));
    }

    /// <summary>Who handles the case now, in words: the grid's leader for green, else the community, subdistrict or district by name.</summary>
    private static string OwnerName(GeographySnapshot snapshot, Case c)
    {
        var owner = CaseRules.OwnerCodeOf(c.GridCode, c.Tier);
        var name = snapshot.Grids.TryGetValue(owner, out var info) ? info.Name : owner;
        return c.Tier == CaseTier.Green ? $"{name}网格长" : name;
    }

    private static IntakeCommand? Validate(ReportForm form, int photoCount, ClaimsPrincipal caller, IReadOnlyList<Role> roles, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(form.CategoryCode))
        {
            errors["categoryCode"] = ["请选择问题类别。"];
        }

        var description = form.Description?.Trim() ?? string.Empty;
        if (description.Length is 0 or > 2000)
        {
            errors["description"] = ["请描述问题（不超过 2000 字）。"];
        }

        if (form.Title is { Length: > 100 })
        {
            errors["title"] = ["标题不超过 100 字。"];
        }

        if (form.Address is { Length: > 200 })
        {
            errors["address"] = ["地址不超过 200 字。"];
        }

        var lon = RoutingApi.ParseNumber(form.Lon, "lon", "经度", -180, 180, true, errors);
        var lat = RoutingApi.ParseNumber(form.Lat, "lat", "纬度", -90, 90, true, errors);
        var accuracy = RoutingApi.ParseNumber(form.Accuracy, "accuracy", "定位精度（米）", 0, RoutingApi.MaxAccuracyMeters, false, errors) ?? 0;
        CoordinateSystem system = default;
        if (string.IsNullOrWhiteSpace(form.Crs))
        {
            errors["crs"] = [$"请注明坐标系 crs：{string.Join("、", CoordinateSystemNames.ApiNames)}。微信与国内地图一般为 gcj02，GPS 为 wgs84。"];
        }
        else if (!CoordinateSystemNames.TryParse(form.Crs, out system))
        {
            errors["crs"] = [$"未知的坐标系“{form.Crs}”，可用：{string.Join("、", CoordinateSystemNames.ApiNames)}。"];
        }

        string? phone = null;
        if (!string.IsNullOrWhiteSpace(form.Phone) && !TryNormalizePhone(form.Phone, out phone))
        {
            errors["phone"] = [PhoneMessage];
        }

        if (photoCount > MaxPhotosPerRequest)
        {
            errors["photos"] = [$"一次最多上传 {MaxPhotosPerRequest} 张照片。"];
        }

        var userId = caller.GetUserId();
        var isStaffEntry = userId is not null && !roles.Contains(Role.Resident) && !roles.Any(PatrolRoles.Contains) && !roles.Contains(Role.PropertyStaff);
        if (form.CallerName is { Length: > 50 })
        {
            errors["callerName"] = ["来电人姓名不超过 50 字。"];
        }
        else if (form.CallerName is not null && !isStaffEntry)
        {
            errors["callerName"] = ["只有工作人员代为登记来电、来访时填写来电人姓名。"];
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var (wgsLon, wgsLat) = ChinaCoordinates.ToWgs84(lon!.Value, lat!.Value, system);
        var displayName = caller.FindFirst(CivicGridClaims.DisplayName)?.Value;
        CaseChannel channel;
        Guid? reporterId = userId;
        string? reporterName = displayName;
        Guid? enteredBy = null;
        if (userId is null || roles.Contains(Role.Resident))
        {
            channel = CaseChannel.ResidentApp;
        }
        else if (roles.Contains(Role.PropertyStaff))
        {
            channel = CaseChannel.PropertyStaff;
        }
        else if (roles.Any(PatrolRoles.Contains))
        {
            channel = CaseChannel.GridPatrol;
        }
        else
        {
            // Staff typing in a phone call or a walk-in: the caller is the reporter, and has no account here.
            channel = CaseChannel.StaffEntry;
            reporterId = null;
            enteredBy = userId;
            reporterName = string.IsNullOrWhiteSpace(form.CallerName) ? $"来电人（{displayName}代登记）" : $"{form.CallerName.Trim()}（{displayName}代登记）";
        }

        return new IntakeCommand(channel, form.CategoryCode!.Trim(), form.Title, description, wgsLon, wgsLat, accuracy,
            Blank(form.Building), Blank(form.Compound), Blank(form.Address), reporterId, reporterName, phone, [], enteredBy);
    }

    private static async Task<(ReportForm Form, List<IFormFile> Files)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            string? Field(string name) => form.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;
            return (new ReportForm(Field("categoryCode"), Field("title"), Field("description"), Field("lon"), Field("lat"), Field("crs"),
                Field("accuracy"), Field("building"), Field("compound"), Field("address"), Field("phone"), Field("callerName")), [.. form.Files]);
        }

        var json = await request.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct);
        if (json.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            throw new System.Text.Json.JsonException("A report is a JSON object.");
        }

        var properties = new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in json.EnumerateObject())
        {
            properties[property.Name] = property.Value;
        }

        // Numbers may come as JSON numbers or strings; absent and null properties are simply not given.
        string? Prop(string name) => properties.TryGetValue(name, out var v)
            ? v.ValueKind switch
            {
                System.Text.Json.JsonValueKind.String => v.GetString(),
                System.Text.Json.JsonValueKind.Number => v.GetRawText(),
                _ => null,
            }
            : null;
        return (new ReportForm(Prop("categoryCode"), Prop("title"), Prop("description"), Prop("lon"), Prop("lat"), Prop("crs"), Prop("accuracy"),
            Prop("building"), Prop("compound"), Prop("address"), Prop("phone"), Prop("callerName")), []);
    }

    public const string PhoneMessage = "请填写正确的手机号（11 位）或带区号的固定电话。";

    /// <summary>
    /// A mainland mobile (11 digits, a leading 86 dropped) or a landline with its area code, without separators;
    /// false for anything else. Every channel that takes a reporter's phone checks it the same way.
    /// </summary>
    public static bool TryNormalizePhone(string raw, out string phone)
    {
        ArgumentNullException.ThrowIfNull(raw);
        phone = PhoneSeparators().Replace(raw.Trim(), string.Empty);
        phone = phone is { Length: 13 } && phone.StartsWith("86", StringComparison.Ordinal) ? phone[2..] : phone;
        return PhoneNumber().IsMatch(phone);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Mainland mobile numbers (11 digits from 13x–19x) or landlines with an area code.</summary>
    [GeneratedRegex(@"^(1[3-9]\d{9}|0\d{2,3}\d{7,8})$")]
    private static partial Regex PhoneNumber();

    [GeneratedRegex(@"[\s\-()（）+]")]
    private static partial Regex PhoneSeparators();
}
