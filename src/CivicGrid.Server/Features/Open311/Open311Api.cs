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
public static partial class Open311Api
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
            .AddEndpointFilter<Open311KeyFilter>().WithMetadata(IdempotentEndpointMetadata.ByEffect).AddEndpointFilter<IdempotencyFilter>()
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
        var subdistricts = snapshot.TerritorialSubdistricts;
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

        // Queries read the key from the database (filing reads it from ApiKeyCache).
        var key = secret.Length > ApiKeys.MaxSecretLength ? null : await ApiKeys.FindActiveByHashAsync(db, ApiKeys.HashOf(secret.Trim()), ct);
        return key is null
            ? (null, Open311Document.Error(format, StatusCodes.Status403Forbidden, "api_key 无效或已停用（invalid api_key）。"))
            : (key, null);
    }

}
