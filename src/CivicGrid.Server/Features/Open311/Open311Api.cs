using System.Globalization;
using System.Text.Json.Serialization;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Cases;
using CivicGrid.Server.Features.Catalogue;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using CivicGrid.Server.Features.Cases.Duplicates;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Features.Cases.Photos;

namespace CivicGrid.Server.Features.Open311;

/// <summary>
/// Open311 GeoReport v2 under <c>/open311/v2/</c> (docs/adr/0011-open311.md): discovery, services and their definitions,
/// filing a request (with an API key) into the one intake pipeline, reading requests back, and tokens. Every resource
/// answers in <c>.xml</c> (required by the specification) and <c>.json</c>; errors are the specification's error list
/// with 400, 403 or 404. The jurisdiction is a subdistrict; service request ids are case numbers.
/// </summary>
public static class Open311Api
{
    public const string Root = "/open311/v2";
    public const string Specification = "http://wiki.open311.org/GeoReport_v2";

    /// <summary>The most requests one GET answers, and the widest date range it searches (the specification's defaults).</summary>
    public const int MaxResults = 1000;

    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(90);

    /// <summary>When the service definitions last changed shape (discovery <c>changeset</c>).</summary>
    public const string Changeset = "2026-11-27T00:00:00+08:00";

    private const int MaxDescription = 4000;

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static IEndpointRouteBuilder MapOpen311Api(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Root).AllowAnonymous().WithTags("Open311").DisableAntiforgery();
        group.MapGet("/discovery.{format}", Discovery).WithName("Open311Discovery")
            .Answers(StatusCodes.Status404NotFound)
            .WithSummary("GeoReport v2 service discovery: the endpoint, its formats and how to get a key.");
        group.MapGet("/services.{format}", Services).WithName("Open311Services")
            .Answers(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithSummary("The services (our case subcategories) a request may be filed for.");
        group.MapGet("/services/{service_code}.{format}", ServiceDefinition).WithName("Open311ServiceDefinition")
            .Answers(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithSummary("A service's definition: its attributes with their datatypes.");
        group.MapPost("/requests.{format}", PostRequest).WithName("Open311PostRequest")
            .Accepts<Open311PostForm>("application/x-www-form-urlencoded", "multipart/form-data")
            .Answers(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound)
            // Idempotency as on every create, but its refusals leave as the specification's errors (Open311KeyFilter), not problem details.
            .AddEndpointFilter<Open311KeyFilter>().WithMetadata(IdempotentEndpointMetadata.Instance).AddEndpointFilter<IdempotencyFilter>()
            .RequireRateLimiting(IntakeApi.CreateRateLimit)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(20L * 1024 * 1024))
            .WithSummary("File a service request (form-encoded, api_key required): it enters the same intake as every other channel.");
        group.MapGet("/requests.{format}", GetRequests).WithName("Open311Requests")
            .Answers(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound)
            .WithSummary("Requests in the jurisdiction: service_request_id, service_code, start_date, end_date, status; the last 90 days and at most 1000 by default.");
        group.MapGet("/requests/{service_request_id}.{format}", GetRequest).WithName("Open311Request")
            .Answers(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound)
            .WithSummary("One request by its id (the case number).");
        group.MapGet("/tokens/{token}.{format}", GetToken).WithName("Open311Token")
            .Answers(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithSummary("The request id for a token; this endpoint files requests in real time and issues no tokens.");
        return routes;
    }

    /// <summary>Documents a GeoReport answer: 200 and the given error statuses, each as text/xml or application/json.</summary>
    private static RouteHandlerBuilder Answers(this RouteHandlerBuilder builder, params int[] errors)
    {
        builder.Produces(StatusCodes.Status200OK, contentType: "text/xml", additionalContentTypes: "application/json");
        foreach (var status in errors)
        {
            builder.Produces(status, contentType: "text/xml", additionalContentTypes: "application/json");
        }

        return builder;
    }

    /// <summary>xml or json; null for anything else.</summary>
    public static Open311Format? ParseFormat(string? format) => format?.ToLowerInvariant() switch
    {
        "xml" => Open311Format.Xml,
        "json" => Open311Format.Json,
        _ => null,
    };

    /// <summary>An unknown format is a resource that does not exist; it is answered in XML, the required format.</summary>
    public static Open311Document UnknownFormat(string? format) =>
        Open311Document.Error(Open311Format.Xml, StatusCodes.Status404NotFound, $"格式“{format}”不存在，请使用 .xml 或 .json（format not found: use .xml or .json）。");

    public static IResult Discovery(string format, HttpRequest request, IOptions<Open311Options> options)
    {
        if (ParseFormat(format) is not { } f)
        {
            return UnknownFormat(format);
        }

        var settings = options.Value;
        var url = $"{request.Scheme}://{request.Host}{request.PathBase}{Root}";
        var endpoint = new Open311Object()
            .Add("specification", Specification)
            .Add("url", url)
            .Add("changeset", Changeset)
            .Add("type", settings.EndpointType)
            .Add("formats", new Open311List("format", ["text/xml", "application/json"]));
        var discovery = new Open311Object()
            .Add("changeset", Changeset)
            .Add("contact", settings.Contact)
            .Add("key_service", settings.KeyService)
            .Add("endpoints", new Open311List("endpoint", [endpoint]));
        return new Open311Document(StatusCodes.Status200OK, "discovery", discovery, f);
    }

    public static async Task<IResult> Services(string format, HttpRequest request, GeographyIndex geography, CategoryCache categories,
        CancellationToken ct)
    {
        if (ParseFormat(format) is not { } f)
        {
            return UnknownFormat(format);
        }

        var (_, refused) = ResolveJurisdiction(f, Param(request.Query, "jurisdiction_id"), null, await geography.GetAsync(ct));
        if (refused is not null)
        {
            return refused;
        }

        var services = (await categories.GetAllAsync(ct)).Values.Where(c => c.IsActive).OrderBy(c => c.Code, StringComparer.Ordinal)
            .Select(c => (object?)Open311Services.Describe(c)).ToList();
        return new Open311Document(StatusCodes.Status200OK, "services", new Open311List("service", services), f);
    }

    public static async Task<IResult> ServiceDefinition([Microsoft.AspNetCore.Mvc.FromRoute(Name = "service_code")] string serviceCode, string format,
        HttpRequest request, GeographyIndex geography, CategoryCache categories, CancellationToken ct)
    {
        if (ParseFormat(format) is not { } f)
        {
            return UnknownFormat(format);
        }

        var (_, refused) = ResolveJurisdiction(f, Param(request.Query, "jurisdiction_id"), null, await geography.GetAsync(ct));
        if (refused is not null)
        {
            return refused;
        }

        var category = await categories.FindAsync(serviceCode, ct);
        return category is { IsActive: true }
            ? new Open311Document(StatusCodes.Status200OK, "service_definition", Open311Services.Definition(category), f)
            : Open311Document.Error(f, StatusCodes.Status404NotFound, $"没有服务“{serviceCode}”（service_code not found）。");
    }

    public static async Task<IResult> PostRequest(string format, HttpContext http, CivicGridDbContext db, CaseIntake intake, CategoryCache categories,
        GeographyIndex geography, PhotoProcessor processor, DuplicateFinder duplicates, TimeProvider time, CancellationToken ct)
    {
        // The key filter has checked the format, read the form and found the key.
        var f = ParseFormat(format)!.Value;
        var key = (ApiKey)http.Items[typeof(ApiKey)]!;
        var form = await http.Request.ReadFormAsync(ct);
        string? Field(string name) => Param(form, name);

        var snapshot = await geography.GetAsync(ct);
        // The specification puts jurisdiction_id in the form; Code for America's node client (npm open311) sends it in
        // the query string of the POST, as on its GETs. The form wins when both are given.
        var (jurisdiction, refused) = ResolveJurisdiction(f, Field("jurisdiction_id") ?? Param(http.Request.Query, "jurisdiction_id"), key, snapshot);
        if (refused is not null)
        {
            return refused;
        }

        var serviceCode = Field("service_code");
        if (serviceCode is null)
        {
            return Open311Document.Error(f, StatusCodes.Status400BadRequest, "缺少 service_code（service_code was not provided）。");
        }

        var category = await categories.FindAsync(serviceCode, ct);
        if (category is not { IsActive: true })
        {
            return Open311Document.Error(f, StatusCodes.Status404NotFound, $"没有服务“{serviceCode}”（service_code not found）。");
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

        if (errors.Count > 0)
        {
            return Open311Document.Errors(f, StatusCodes.Status400BadRequest, [.. errors.Select(e => (400, e))]);
        }

        // A position, or the building or compound the address names; the latter's own position stands in for the report's.
        Point? position = lat is not null && lon is not null ? new Point(lon.Value, lat.Value) { SRID = 4326 } : null;
        var match = Router.Match(snapshot, addressId, addressId, addressString);
        if (position is null)
        {
            position = match is null ? null : await PositionOfAsync(db, match, ct);
            if (position is null)
            {
                return Open311Document.Error(f, StatusCodes.Status400BadRequest, addressId is not null
                    ? $"address_id“{addressId}”不是已知的楼栋或院落编码，请提交 lat 与 long（address_id not found: send lat & long）。"
                    : "address_string 未能匹配到已知的楼栋或院落地址，请提交 lat 与 long（address_string not matched: send lat & long）。");
            }
        }

        attributes.TryGetValue(Open311Services.Compound, out var compound);
        var buildingCode = match?.Subject == Domain.Routing.OverrideSubject.Building ? match.Code : null;
        var compoundCode = compound ?? (match?.Subject == Domain.Routing.OverrideSubject.Compound ? match.Code : null);
        var routing = Router.Route(snapshot, position.X, position.Y, accuracy, buildingCode, compoundCode, addressString);
        if (routing.GridCode is not null && !GridCodes.IsWithin(routing.GridCode, jurisdiction!))
        {
            return Open311Document.Error(f, StatusCodes.Status400BadRequest,
                $"该位置不在所选街道（{jurisdiction}）的范围内（the location is outside jurisdiction {jurisdiction}）。");
        }

        var (photos, photoRefused) = await StoredPhoto.ProcessAllAsync(processor, [.. form.Files]);
        if (photoRefused is not null)
        {
            return Open311Document.Error(f, StatusCodes.Status400BadRequest, photoRefused.ProblemDetails.Detail ?? "照片无法接收（the media file was refused）。");
        }

        attributes.TryGetValue(Open311Services.Title, out var title);
        var now = time.GetUtcNow();
        var command = new IntakeCommand(CaseChannel.Open311, category.Code, title, description ?? category.Name, position.X, position.Y, accuracy,
            buildingCode, compoundCode, addressString, null, reporterName ?? $"Open311 客户端“{key.Name}”", phone, photos,
            AlsoStore: (context, subject) => context.Open311Requests.Add(new Open311Request
            {
                CaseNumber = subject.Number, ApiKeyId = key.Id, MediaUrl = mediaUrl, ReceivedAt = now,
            }));
        IntakeResult result;
        try
        {
            result = await intake.ReportAsync(command, ct);
        }
        catch (IntakeRefusedException e)
        {
            return Open311Document.Error(f, StatusCodes.Status400BadRequest, e.ChineseMessage);
        }

        var stored = result.Case;
        var nearby = (await duplicates.FindAsync(stored.Location, stored.CategoryCode, stored.ReportedAt, ct))
            .Where(d => d.Number != stored.Number).ToList();
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

    public static async Task<IResult> GetRequests(string format, HttpRequest request, CivicGridDbContext db, GeographyIndex geography,
        CategoryCache categories, TimeProvider time, CancellationToken ct)
    {
        if (ParseFormat(format) is not { } f)
        {
            return UnknownFormat(format);
        }

        var query = request.Query;
        var (caller, keyRefused) = await OptionalKeyAsync(f, db, Param(query, "api_key"), ct);
        if (keyRefused is not null)
        {
            return keyRefused;
        }

        var snapshot = await geography.GetAsync(ct);
        var (jurisdiction, refused) = ResolveJurisdiction(f, Param(query, "jurisdiction_id"), null, snapshot);
        if (refused is not null)
        {
            return refused;
        }

        var filter = RequestFilter.Parse(query, time.GetUtcNow(), out var errors);
        if (errors.Count > 0)
        {
            return Open311Document.Errors(f, StatusCodes.Status400BadRequest, [.. errors.Select(e => (400, e))]);
        }

        var rows = await FindAsync(db, jurisdiction!, filter, ct);
        return new Open311Document(StatusCodes.Status200OK, "service_requests",
            await DescribeAsync(db, rows, caller, snapshot, categories, ct), f);
    }

    public static async Task<IResult> GetRequest([Microsoft.AspNetCore.Mvc.FromRoute(Name = "service_request_id")] string serviceRequestId, string format,
        HttpRequest request, CivicGridDbContext db, GeographyIndex geography, CategoryCache categories, CancellationToken ct)
    {
        if (ParseFormat(format) is not { } f)
        {
            return UnknownFormat(format);
        }

        var (caller, keyRefused) = await OptionalKeyAsync(f, db, Param(request.Query, "api_key"), ct);
        if (keyRefused is not null)
        {
            return keyRefused;
        }

        var snapshot = await geography.GetAsync(ct);
        var (jurisdiction, refused) = ResolveJurisdiction(f, Param(request.Query, "jurisdiction_id"), null, snapshot);
        if (refused is not null)
        {
            return refused;
        }

        var rows = await FindAsync(db, jurisdiction!, new RequestFilter([serviceRequestId], [], null, null, null), ct);
        return rows.Count == 0
            ? Open311Document.Error(f, StatusCodes.Status404NotFound, $"没有服务请求“{serviceRequestId}”（service_request_id not found）。")
            : new Open311Document(StatusCodes.Status200OK, "service_requests", await DescribeAsync(db, rows, caller, snapshot, categories, ct), f);
    }

    public static async Task<IResult> GetToken(string token, string format, HttpRequest request, GeographyIndex geography, CancellationToken ct)
    {
        if (ParseFormat(format) is not { } f)
        {
            return UnknownFormat(format);
        }

        var (_, refused) = ResolveJurisdiction(f, Param(request.Query, "jurisdiction_id"), null, await geography.GetAsync(ct));
        return refused ?? Open311Document.Error(f, StatusCodes.Status404NotFound,
            $"没有令牌“{token}”：本接口实时受理，直接返回 service_request_id，不签发令牌（token not found: requests are realtime）。");
    }

    /// <summary>
    /// The jurisdiction a call is about. The specification requires <c>jurisdiction_id</c> only where one endpoint serves
    /// several jurisdictions: so it may be left out when the platform holds one subdistrict, or when the key is
    /// restricted to one. A key restricted elsewhere gets 403.
    /// </summary>
    public static (string? Code, Open311Document? Refused) ResolveJurisdiction(Open311Format format, string? requested, ApiKey? key,
        GeographySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var subdistricts = snapshot.Grids.Values.Where(g => g.Level == GridLevel.Subdistrict && g.Kind == GridKind.Territorial)
            .Select(g => g.Code).Order(StringComparer.Ordinal).ToList();
        var code = requested ?? key?.JurisdictionCode ?? (subdistricts.Count == 1 ? subdistricts[0] : null);
        if (code is null)
        {
            return (null, Open311Document.Error(format, StatusCodes.Status400BadRequest,
                $"缺少 jurisdiction_id：本接口服务多个街道（{string.Join("、", subdistricts)}）（jurisdiction_id was not provided）。"));
        }

        if (!subdistricts.Contains(code))
        {
            return (null, Open311Document.Error(format, StatusCodes.Status404NotFound, $"没有街道“{code}”（jurisdiction_id not found）。"));
        }

        if (key?.JurisdictionCode is { } allowed && allowed != code)
        {
            return (null, Open311Document.Error(format, StatusCodes.Status403Forbidden,
                $"该 api_key 仅限街道 {allowed} 使用（the api_key is not valid for jurisdiction {code}）。"));
        }

        return (code, null);
    }

    /// <summary>A parameter's value; an empty parameter is the same as an absent one (the specification's optional arguments).</summary>
    public static string? Param(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> values, string name)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (key, value) in values)
        {
            if (key == name)
            {
                var text = value.Count > 0 ? value[0]?.Trim() : null;
                return string.IsNullOrEmpty(text) ? null : text;
            }
        }

        return null;
    }

    /// <summary>
    /// Who is in charge in words: the department a case is assigned to, else the owning level by colour: the grid (its
    /// leader) for green, the community, the subdistrict's operations centre or the district.
    /// </summary>
    public static string AgencyOf(GeographySnapshot snapshot, string gridCode, CaseTier tier, string? departmentName)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (departmentName is not null)
        {
            return departmentName;
        }

        var owner = CaseRules.OwnerCodeOf(gridCode, tier);
        var name = snapshot.Grids.TryGetValue(owner, out var info) ? info.Name : owner;
        return tier switch
        {
            CaseTier.Green => $"{name}网格长",
            CaseTier.Blue => $"{name}城运中心",
            _ => name,
        };
    }

    private static async Task<(ApiKey? Key, Open311Document? Refused)> OptionalKeyAsync(Open311Format format, CivicGridDbContext db, string? secret,
        CancellationToken ct)
    {
        if (secret is null)
        {
            return (null, null);
        }

        var key = await ApiKeys.FindActiveAsync(db, secret, ct);
        return key is null
            ? (null, Open311Document.Error(format, StatusCodes.Status403Forbidden, "api_key 无效或已停用（invalid api_key）。"))
            : (key, null);
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

    private sealed record RequestRow(string Number, CaseStatus Status, string CategoryCode, string Description, string? Address, string? BuildingCode,
        Point Location, string GridCode, CaseTier Tier, DateTimeOffset ReportedAt, DateTimeOffset? DueAt, Guid? AssigneeDepartmentId,
        string? AssigneeName, DateTimeOffset? UpdatedAt, string? StatusNotes);

    private static async Task<List<RequestRow>> FindAsync(CivicGridDbContext db, string jurisdiction, RequestFilter filter, CancellationToken ct)
    {
        // Public facts of every case in the jurisdiction, whoever asks: the scope filter is set aside on purpose and
        // DescribeAsync leaves out what is not public.
        var cases = db.Cases.IgnoreQueryFilters().AsNoTracking().Where(c => c.GridCode.StartsWith(jurisdiction));
        if (filter.Ids.Count > 0)
        {
            // The specification: a list of ids overrides every other argument.
            cases = cases.Where(c => filter.Ids.Contains(c.Number));
        }
        else
        {
            if (filter.ServiceCodes.Count > 0)
            {
                cases = cases.Where(c => filter.ServiceCodes.Contains(c.CategoryCode));
            }

            cases = cases.Where(c => c.ReportedAt >= filter.Start!.Value && c.ReportedAt <= filter.End!.Value);
            if (filter.Closed is { } closed)
            {
                cases = closed
                    ? cases.Where(c => c.Status == CaseStatus.Closed || c.Status == CaseStatus.Rejected || c.Status == CaseStatus.Merged)
                    : cases.Where(c => c.Status != CaseStatus.Closed && c.Status != CaseStatus.Rejected && c.Status != CaseStatus.Merged);
            }
        }

        return await cases.OrderByDescending(c => c.ReportedAt).ThenByDescending(c => c.Number).Take(MaxResults)
            .Select(c => new RequestRow(c.Number, c.Status, c.CategoryCode, c.Description, c.Address, c.BuildingCode, c.Location, c.GridCode, c.Tier,
                c.ReportedAt, c.DueAt, c.AssigneeDepartmentId, c.AssigneeName,
                c.Timeline.OrderByDescending(e => e.Sequence).Select(e => (DateTimeOffset?)e.At).FirstOrDefault(),
                c.Timeline.Where(e => e.IsPublic).OrderByDescending(e => e.Sequence).Select(e => e.PublicText).FirstOrDefault()))
            .ToListAsync(ct);
    }

    /// <summary>
    /// Requests as the specification lists them. Everyone gets the public facts: id, status and its public note, service,
    /// who is in charge, times, and the position to about 100 m. The description, the address and the exact position may
    /// carry personal data; they go only to the client whose key filed the request.
    /// </summary>
    private static async Task<Open311List> DescribeAsync(CivicGridDbContext db, List<RequestRow> rows, ApiKey? caller, GeographySnapshot snapshot,
        CategoryCache categories, CancellationToken ct)
    {
        var numbers = rows.Select(r => r.Number).ToList();
        var filed = await db.Open311Requests.AsNoTracking().Where(r => numbers.Contains(r.CaseNumber)).ToDictionaryAsync(r => r.CaseNumber, ct);
        var catalogue = await categories.GetAllAsync(ct);
        var items = new List<object?>(rows.Count);
        foreach (var row in rows)
        {
            var own = caller is not null && filed.TryGetValue(row.Number, out var mine) && mine.ApiKeyId == caller.Id;
            var closed = row.Status.IsFinal();
            var department = row.AssigneeDepartmentId is not null ? row.AssigneeName : null;
            var serviceName = catalogue.TryGetValue(row.CategoryCode, out var category) ? category.Name : row.CategoryCode;
            items.Add(new Open311Object()
                .Add("service_request_id", row.Number)
                .Add("status", closed ? "closed" : "open")
                .Add("status_notes", row.StatusNotes)
                .Add("service_name", serviceName)
                .Add("service_code", row.CategoryCode)
                .Add("description", own ? row.Description : null)
                .Add("agency_responsible", AgencyOf(snapshot, row.GridCode, row.Tier, department))
                .Add("service_notice", null)
                .Add("requested_datetime", row.ReportedAt)
                .Add("updated_datetime", row.UpdatedAt ?? row.ReportedAt)
                .Add("expected_datetime", closed ? null : row.DueAt)
                .Add("address", own ? row.Address : null)
                .Add("address_id", own ? row.BuildingCode : null)
                .Add("zipcode", null)
                .Add("lat", own ? row.Location.Y : Math.Round(row.Location.Y, 3))
                .Add("long", own ? row.Location.X : Math.Round(row.Location.X, 3))
                .Add("media_url", own ? filed[row.Number].MediaUrl : null));
        }

        return new Open311List("request", items);
    }

    /// <summary>The filters of GET requests after the specification's defaults are applied.</summary>
    /// <param name="Closed">True for closed only, false for open only, null for both.</param>
    private sealed record RequestFilter(IReadOnlyList<string> Ids, IReadOnlyList<string> ServiceCodes, DateTimeOffset? Start, DateTimeOffset? End, bool? Closed)
    {
        public static RequestFilter Parse(IQueryCollection query, DateTimeOffset now, out List<string> errors)
        {
            errors = [];
            var ids = List(Param(query, "service_request_id"));
            var codes = List(Param(query, "service_code"));
            var start = Time(Param(query, "start_date"), "start_date", endOfDay: false, errors);
            var end = Time(Param(query, "end_date"), "end_date", endOfDay: true, errors);
            bool? closed = null;
            var statuses = List(Param(query, "status"));
            foreach (var status in statuses.Where(s => s is not ("open" or "closed")))
            {
                errors.Add($"status 只能是 open 或 closed，收到“{status}”（status must be open or closed）。");
            }

            if (statuses.Count > 0 && statuses.Distinct().Count() == 1)
            {
                closed = statuses[0] == "closed";
            }

            // Without dates the most recent 90 days; with one date, 90 days from or up to it.
            (start, end) = (start, end) switch
            {
                (null, null) => (now - MaxRange, now),
                (null, { } e) => (e - MaxRange, e),
                ({ } s, null) => (s, s + MaxRange),
                _ => (start, end),
            };
            if (end < start)
            {
                errors.Add("end_date 早于 start_date（end_date is before start_date）。");
            }
            else if (end - start > MaxRange + TimeSpan.FromDays(1))
            {
                errors.Add("start_date 与 end_date 相隔不得超过 90 天（the range may not span more than 90 days）。");
            }

            // PostgreSQL compares timestamptz with UTC parameters only.
            return new RequestFilter(ids, codes, start?.ToUniversalTime(), end?.ToUniversalTime(), closed);
        }

        private static List<string> List(string? text) =>
            text is null ? [] : [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];

        /// <summary>A w3 date-time with its zone (<c>2010-01-01T00:00:00Z</c>); a bare date is a whole Beijing day.</summary>
        private static DateTimeOffset? Time(string? text, string name, bool endOfDay, List<string> errors)
        {
            if (text is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                var midnight = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Beijing);
                return endOfDay ? midnight.AddDays(1).AddTicks(-1) : midnight;
            }

            var hasZone = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
            if (hasZone && text.Contains('T', StringComparison.OrdinalIgnoreCase)
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                return at;
            }

            errors.Add($"{name} 应为带时区的 ISO 8601 时间，如 2026-01-01T00:00:00+08:00（{name} must be a w3 date-time with a zone）。");
            return null;
        }
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
public sealed class Open311KeyFilter(CivicGridDbContext db) : IEndpointFilter
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

        var key = await ApiKeys.FindActiveAsync(db, Open311Api.Param(form, "api_key"), http.RequestAborted);
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
