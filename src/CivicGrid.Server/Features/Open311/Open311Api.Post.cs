using System.Text.Json.Serialization;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Cases.Duplicates;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Features.Cases.Photos;
using CivicGrid.Server.Features.Catalogue;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Features.Open311;

/// <summary>
/// Filing a request (<c>POST requests</c>): the form is checked as a whole (every problem in one error list), placed (a
/// position, or the building or compound its address names), routed within the jurisdiction and filed through the one
/// intake pipeline; the answer names the case and any open case of the same kind nearby.
/// </summary>
public static partial class Open311Api
{
    /// <summary>A request's form once every field passed its check.</summary>
    /// <param name="Accuracy">Metres; 0 when not given.</param>
    private sealed record Submission(CaseCategory Category, Dictionary<string, string> Attributes, double? Lat, double? Lon, double Accuracy,
        string? AddressString, string? AddressId, string? Description, string? Phone, string? ReporterName, string? MediaUrl);

    public static async Task<IResult> PostRequest(string format, HttpContext http, CivicGridDbContext db, CaseIntake intake, CategoryCache categories,
        GeographyIndex geography, PhotoProcessor processor, DuplicateFinder duplicates, IdempotencyContext idempotency, TimeProvider time, CancellationToken ct)
    {
        // The key filter has checked the format, read the form and found the key.
        var f = ParseFormat(format)!.Value;
        var key = (ApiKey)http.Items[typeof(ApiKey)]!;
        var form = await http.Request.ReadFormAsync(ct);

        var snapshot = await geography.GetAsync(ct);
        // The specification puts jurisdiction_id in the form; Code for America's node client (npm open311) sends it in
        // the query string of the POST, as on its GETs. The form wins when both are given.
        var (jurisdiction, refused) = ResolveJurisdiction(f, Param(form, "jurisdiction_id") ?? Param(http.Request.Query, "jurisdiction_id"), key, snapshot);
        if (refused is not null)
        {
            return refused;
        }

        var (submission, invalid) = await ReadSubmissionAsync(f, form, categories, ct);
        if (invalid is not null)
        {
            return invalid;
        }

        var (place, unplaced) = await PlaceAsync(f, submission!, jurisdiction!, snapshot, db, ct);
        if (unplaced is not null)
        {
            return unplaced;
        }

        var (photos, photoRefused) = await StoredPhoto.ProcessAllAsync(processor, [.. form.Files], ct);
        if (photoRefused is not null)
        {
            return Open311Document.Error(f, StatusCodes.Status400BadRequest, photoRefused.ProblemDetails.Detail ?? "照片无法接收（the media file was refused）。");
        }

        var s = submission!;
        s.Attributes.TryGetValue(Open311Services.Title, out var title);
        var now = time.GetUtcNow();
        var command = new IntakeCommand(CaseChannel.Open311, s.Category.Code, title, s.Description ?? s.Category.Name, place!.Position.X, place.Position.Y,
            s.Accuracy, place.BuildingCode, place.CompoundCode, s.AddressString, null, s.ReporterName ?? $"Open311 客户端“{key.Name}”", s.Phone, photos,
            AlsoStore: (context, subject) => context.Open311Requests.Add(new Open311Request
            {
                CaseNumber = subject.Number, ApiKeyId = key.Id, MediaUrl = s.MediaUrl, ReceivedAt = now,
            }), Routed: place.Routing);
        // The answer is made on the writer and, for a keyed request, stored in the transaction that stores the case (see IntakeApi).
        // A partner system passes the notice on to the people who reported: public facts only.
        var nearby = await duplicates.FindAsync(place.Position, s.Category.Code, now, DuplicateAudience.Public, ct);
        Open311Document? answer = null;
        IntakeResult result;
        try
        {
            result = await intake.ReportAsync(command, ct, idempotency.Claim is null ? null : (context, stored) =>
            {
                answer = Answer(f, format, stored.Case, snapshot, nearby);
                idempotency.CompleteWithEffect(context, answer.StatusCode, answer.Location, Open311Document.ContentTypeOf(f), answer.Render());
            });
        }
        catch (IntakeRefusedException e)
        {
            return Open311Document.Error(f, StatusCodes.Status400BadRequest, e.ChineseMessage);
        }

        return answer ?? Answer(f, format, result.Case, snapshot, nearby);
    }

    /// <summary>Checks every field of the form; the refusal lists every problem found (400), or names an unknown service (404).</summary>
    private static async Task<(Submission? Submission, Open311Document? Refused)> ReadSubmissionAsync(Open311Format f, IFormCollection form,
        CategoryCache categories, CancellationToken ct)
    {
        string? Field(string name) => Param(form, name);
        var serviceCode = Field("service_code");
        if (serviceCode is null)
        {
            return (null, Open311Document.Error(f, StatusCodes.Status400BadRequest, "缺少 service_code（service_code was not provided）。"));
        }

        var category = await categories.FindAsync(serviceCode, ct);
        if (category is not { IsActive: true })
        {
            return (null, Open311Document.Error(f, StatusCodes.Status404NotFound, $"没有服务“{serviceCode}”（service_code not found）。"));
        }

        var errors = new List<string>();
        var attributes = ReadAttributes(form, category, errors);
        var numbers = new Dictionary<string, string[]>();
        var latText = Field("lat");
        var longText = Field("long");
        if ((latText is null) != (longText is null))
        {
            errors.Add("lat 与 long 须同时提交（lat & long both need to be sent）。");
        }

        var lat = RoutingApi.ParseNumber(latText, "lat", "纬度", -90, 90, false, numbers);
        var lon = RoutingApi.ParseNumber(longText, "long", "经度", -180, 180, false, numbers);
        attributes.TryGetValue(Open311Services.Accuracy, out var accuracyText);
        var accuracy = RoutingApi.ParseNumber(accuracyText, $"attribute[{Open311Services.Accuracy}]", "定位精度（米）", 0, RoutingApi.MaxAccuracyMeters, false, numbers) ?? 0;
        errors.AddRange(numbers.Values.SelectMany(m => m));

        var addressString = Field("address_string");
        var addressId = Field("address_id");
        if (latText is null && longText is null && addressString is null && addressId is null)
        {
            errors.Add("须提交位置：lat 与 long，或 address_string，或 address_id（a full location parameter must be submitted）。");
        }

        if (addressString is { Length: > 300 })
        {
            errors.Add("address_string 不超过 300 字（address_string is too long）。");
        }

        if (addressId is { Length: > 32 })
        {
            errors.Add("address_id 不超过 32 个字符（address_id is too long）。");
        }

        var description = Field("description");
        if (description is { Length: > MaxDescription })
        {
            errors.Add($"description 不超过 {MaxDescription} 字（description is limited to {MaxDescription} characters）。");
        }

        string? phone = null;
        if (Field("phone") is { } rawPhone && !IntakeApi.TryNormalizePhone(rawPhone, out phone))
        {
            errors.Add($"phone：{IntakeApi.PhoneMessage}（phone is not a valid number）");
        }

        var reporterName = ReporterName(Field("first_name"), Field("last_name"));
        if (reporterName is { Length: > 50 })
        {
            errors.Add("first_name 与 last_name 合计不超过 50 字（the name is too long）。");
        }

        var mediaUrl = Field("media_url");
        if (mediaUrl is not null && (mediaUrl.Length > Open311Request.MaxMediaUrlLength
            || !Uri.TryCreate(mediaUrl, UriKind.Absolute, out var media) || media.Scheme is not ("http" or "https")))
        {
            errors.Add("media_url 须为 http 或 https 的完整网址（media_url is not an absolute http(s) URL）。");
        }

        if (form.Files.Count > 1)
        {
            errors.Add("一次最多上传 1 个 media 文件（at most one media file）。");
        }

        return errors.Count > 0
            ? (null, Open311Document.Errors(f, StatusCodes.Status400BadRequest, [.. errors.Select(e => (400, e))]))
            : (new Submission(category, attributes, lat, lon, accuracy, addressString, addressId, description, phone, reporterName, mediaUrl), null);
    }

    /// <summary>Where the report is and which building or compound it names.</summary>
    /// <param name="Routing">The router's answer for the place, checked against the jurisdiction and handed to intake.</param>
    private sealed record Place(Point Position, string? BuildingCode, string? CompoundCode, RoutingAnswer Routing);

    /// <summary>
    /// The report's position (or, without one, that of the building or compound its address names) and the building and
    /// compound it names; refused when nothing places it or it routes outside the jurisdiction.
    /// </summary>
    private static async Task<(Place? Place, Open311Document? Refused)> PlaceAsync(Open311Format f, Submission s, string jurisdiction,
        GeographySnapshot snapshot, CivicGridDbContext db, CancellationToken ct)
    {
        Point? position = s.Lat is not null && s.Lon is not null ? new Point(s.Lon.Value, s.Lat.Value) { SRID = 4326 } : null;
        var match = Router.Match(snapshot, s.AddressId, s.AddressId, s.AddressString);
        if (position is null)
        {
            position = match is null ? null : await PositionOfAsync(db, match, ct);
            if (position is null)
            {
                return (null, Open311Document.Error(f, StatusCodes.Status400BadRequest, s.AddressId is not null
                    ? $"address_id“{s.AddressId}”不是已知的楼栋或院落编码，请提交 lat 与 long（address_id not found: send lat & long）。"
                    : "address_string 未能匹配到已知的楼栋或院落地址，请提交 lat 与 long（address_string not matched: send lat & long）。"));
            }
        }

        s.Attributes.TryGetValue(Open311Services.Compound, out var compound);
        var buildingCode = match?.Subject == Domain.Routing.OverrideSubject.Building ? match.Code : null;
        var compoundCode = compound ?? (match?.Subject == Domain.Routing.OverrideSubject.Compound ? match.Code : null);
        var routing = Router.Route(snapshot, position.X, position.Y, s.Accuracy, buildingCode, compoundCode, s.AddressString);
        if (routing.GridCode is not null && !GridCodes.IsWithin(routing.GridCode, jurisdiction))
        {
            return (null, Open311Document.Error(f, StatusCodes.Status400BadRequest,
                $"该位置不在所选街道（{jurisdiction}）的范围内（the location is outside jurisdiction {jurisdiction}）。"));
        }

        return (new Place(position, buildingCode, compoundCode, routing), null);
    }

    /// <summary>The specification's answer: the case number and a notice naming who handles it and any open case of the same kind nearby.</summary>
    private static Open311Document Answer(Open311Format f, string format, Case stored, GeographySnapshot snapshot, IReadOnlyList<DuplicateCandidate> nearby)
    {
        var notice = stored.IsLocationPending
            ? $"已收到，案件编号 {stored.Number}。位置靠近网格边界，正在由相邻网格确认受理。"
            : $"已收到，案件编号 {stored.Number}，已转{AgencyOf(snapshot, stored.GridCode, stored.Tier, null)}处理。";
        if (nearby.Count > 0)
        {
            notice += $"附近已有同类案件：{string.Join("、", nearby.Select(d => d.Number))}。";
        }

        var answer = new Open311Object().Add("service_request_id", stored.Number).Add("service_notice", notice);
        return new Open311Document(StatusCodes.Status200OK, "service_requests", new Open311List("request", [answer]), f)
        {
            Location = $"{Root}/requests/{stored.Number}.{format.ToLowerInvariant()}",
        };
    }

    /// <summary>attribute[CODE]=value and, for a list, attribute[CODE][]=value; codes must be the service's input attributes.</summary>
    private static Dictionary<string, string> ReadAttributes(IFormCollection form, CaseCategory category, List<string> errors)
    {
        var inputs = Open311Services.AttributesOf(category).Where(a => a.Variable).ToDictionary(a => a.Code, StringComparer.Ordinal);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in form)
        {
            if (!name.StartsWith("attribute[", StringComparison.Ordinal))
            {
                continue;
            }

            var code = name["attribute[".Length..].Replace("[]", string.Empty, StringComparison.Ordinal).TrimEnd(']');
            var text = value.Count > 0 ? value[0]?.Trim() : null;
            if (!inputs.TryGetValue(code, out var attribute))
            {
                errors.Add($"服务 {category.Code} 没有属性“{code}”（attribute {code} is not in the service definition）。");
            }
            else if (!string.IsNullOrEmpty(text))
            {
                values[attribute.Code] = text;
            }
        }

        foreach (var required in inputs.Values.Where(a => a.Required && !values.ContainsKey(a.Code)))
        {
            errors.Add($"缺少必填属性 attribute[{required.Code}]（required attribute missing）。");
        }

        if (values.TryGetValue(Open311Services.Title, out var title) && title.Length > 100)
        {
            errors.Add($"attribute[{Open311Services.Title}] 不超过 100 字（too long）。");
        }

        if (values.TryGetValue(Open311Services.Compound, out var compound) && (compound.Length != GridCodes.CommunityLength + 4 || !compound.All(char.IsAsciiDigit)))
        {
            errors.Add($"attribute[{Open311Services.Compound}] 应为 16 位数字的院落编码（not a compound code）。");
        }

        return values;
    }

    /// <summary>Family name first when the name is Chinese (张三), else given name first.</summary>
    private static string? ReporterName(string? first, string? last)
    {
        if (first is null && last is null)
        {
            return null;
        }

        var chinese = $"{first}{last}".Any(c => c is >= '\u4e00' and <= '\u9fff');
        return chinese ? $"{last}{first}" : string.Join(' ', new[] { first, last }.Where(p => p is not null));
    }

    private static async Task<Point?> PositionOfAsync(CivicGridDbContext db, KnownAddress match, CancellationToken ct)
    {
        if (match.Subject == Domain.Routing.OverrideSubject.Building)
        {
            var location = await db.Buildings.IgnoreQueryFilters().AsNoTracking().Where(b => b.Code == match.Code).Select(b => b.Location).FirstOrDefaultAsync(ct);
            return location is null ? null : new Point(location.X, location.Y) { SRID = 4326 };
        }

        var boundary = await db.Compounds.IgnoreQueryFilters().AsNoTracking().Where(c => c.Code == match.Code).Select(c => c.Boundary).FirstOrDefaultAsync(ct);
        return boundary is null ? null : new Point(boundary.InteriorPoint.X, boundary.InteriorPoint.Y) { SRID = 4326 };
    }
}

/// <summary>
/// The fields of <c>POST requests</c> as the specification names them, for the API reference; the handler reads the form
/// itself. Attribute values come as <c>attribute[CODE]=value</c> (see the service definition), a photo as a <c>media</c> file
/// in a multipart form.
/// </summary>
public sealed class Open311PostForm
{
    [JsonPropertyName("api_key")]
    public required string ApiKey { get; init; }

    [JsonPropertyName("jurisdiction_id")]
    public string? JurisdictionId { get; init; }

    [JsonPropertyName("service_code")]
    public required string ServiceCode { get; init; }

    /// <summary>WGS-84 latitude; with <c>long</c>, or give <c>address_string</c> or <c>address_id</c> instead.</summary>
    [JsonPropertyName("lat")]
    public string? Lat { get; init; }

    [JsonPropertyName("long")]
    public string? Long { get; init; }

    [JsonPropertyName("address_string")]
    public string? AddressString { get; init; }

    /// <summary>A building code (or a compound code).</summary>
    [JsonPropertyName("address_id")]
    public string? AddressId { get; init; }

    [JsonPropertyName("email")]
    public string? Email { get; init; }

    [JsonPropertyName("device_id")]
    public string? DeviceId { get; init; }

    [JsonPropertyName("account_id")]
    public string? AccountId { get; init; }

    [JsonPropertyName("first_name")]
    public string? FirstName { get; init; }

    [JsonPropertyName("last_name")]
    public string? LastName { get; init; }

    [JsonPropertyName("phone")]
    public string? Phone { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("media_url")]
    public string? MediaUrl { get; init; }
}

/// <summary>
/// The door of <c>POST requests</c>: checks the format and the <c>api_key</c> before anything runs (a missing or invalid
/// key is 403 with the specification's error body), names the key as the idempotency caller, and turns any problem an
/// inner filter answers (a reused or running idempotency key) into the specification's error list.
/// </summary>
public sealed class Open311KeyFilter(ApiKeyCache keys) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var formatText = http.Request.RouteValues["format"] as string;
        if (Open311Api.ParseFormat(formatText) is not { } format)
        {
            return Open311Api.UnknownFormat(formatText);
        }

        if (!http.Request.HasFormContentType)
        {
            return Open311Document.Error(format, StatusCodes.Status400BadRequest,
                "请以 application/x-www-form-urlencoded 提交（POST requests is form-encoded）。");
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            return Open311Document.Error(format, StatusCodes.Status400BadRequest, "无法读取表单（the form could not be read）。");
        }

        var key = await keys.FindActiveAsync(Open311Api.Param(form, "api_key"), http.RequestAborted);
        if (key is null)
        {
            return Open311Document.Error(format, StatusCodes.Status403Forbidden,
                Open311Api.Param(form, "api_key") is null
                    ? "缺少 api_key，无法提交服务请求（api_key was not provided -- can't proceed with create_request）。"
                    : "api_key 无效或已停用，无法提交服务请求（invalid api_key received -- can't proceed with create_request）。");
        }

        http.Items[typeof(ApiKey)] = key;
        http.Items[IdempotencyFilter.CallerItem] = $"apikey:{key.Id:D}";
        var result = await next(context);
        if (result is ProblemHttpResult problem)
        {
            var status = problem.StatusCode is 403 or 404 ? problem.StatusCode : StatusCodes.Status400BadRequest;
            return Open311Document.Error(format, status, problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "请求无法完成。", problem.StatusCode);
        }

        return result;
    }
}
