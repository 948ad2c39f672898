using System.Security.Claims;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Domain.Organisations;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.Roster;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.GridAffairs;

/// <summary>A resource as staff see it: a person's phone masked.</summary>
public sealed record ResourceResponse(Guid Id, ResourceKind Kind, string Name, string? Phone, string GridCode, string GridName, IReadOnlyList<ServiceKind> Offers,
    string Availability, Guid? OrganisationId, string? OrganisationName, Guid? RosterMemberId, bool Active, int NeedsMatched);

/// <param name="Kind">volunteer, party-member, public-unit or property-company; a unit names its organisation (the name defaults to it).</param>
/// <param name="GridCode">Where the resource is based; a building or compound code places it more precisely (for distances).</param>
public sealed record CreateResourceRequest(ResourceKind? Kind, string? Name, string? Phone, string? GridCode, string? CompoundCode, string? BuildingCode,
    IReadOnlyList<ServiceKind>? Offers, string? Availability, Guid? OrganisationId, Guid? RosterMemberId);

public sealed record ReviseResourceRequest(IReadOnlyList<ServiceKind>? Offers, string? Availability);

/// <summary>The resources list (资源清单): volunteers, double-registered party members, public units and property companies.</summary>
public static class ResourcesApi
{
    public static IEndpointRouteBuilder MapResourcesApi(this IEndpointRouteBuilder routes)
    {
        var resources = routes.MapGroup("/api/resources").WithTags("Grid affairs").RequireAuthorization(p => p.RequireRole(GridAffairsRules.Readers));
        resources.MapGet("/", List).WithName("ListResources")
            .WithSummary("Resources serving the caller's scope (based inside it or above it), filtered by kind, what they offer, grid and status.");
        resources.MapGet("/export.xlsx", Export).WithName("ExportResources").WithSecurityEvent(SecurityEventKind.Exported, "resources", "导出资源清单")
            .WithSummary("The list's selection as Excel (phones masked).");
        resources.MapGet("/{id:guid}", Get).WithName("GetResource").WithSummary("One resource.");
        resources.MapPost("/", Create).RequireAuthorization(p => p.RequireRole(GridAffairsRules.Keepers)).WithIdempotency().WithName("CreateResource")
            .WithSummary("Register a volunteer, party member, public unit or property company with what they offer and when.");
        resources.MapPut("/{id:guid}", Revise).RequireAuthorization(p => p.RequireRole(GridAffairsRules.Keepers)).WithName("ReviseResource")
            .WithSummary("Change what a resource offers and when.");
        resources.MapPost("/{id:guid}/retire", Retire).RequireAuthorization(p => p.RequireRole(GridAffairsRules.Keepers)).WithName("RetireResource")
            .WithSummary("No longer offer the resource for matching (kept for the needs it met).");
        return routes;
    }

    private static (IQueryable<Resource>? Query, ServiceKind? Offers, ProblemHttpResult? Problem) Filter(CivicGridDbContext db, string? kind, string? offers, string? gridCode,
        string? status)
    {
        var errors = new Dictionary<string, string[]>();
        var k = GridAffairsRules.Filter<ResourceKind>(kind, "kind", "资源类别", errors);
        var o = GridAffairsRules.Filter<ServiceKind>(offers, "offers", "服务类别", errors);
        if (status is { Length: > 0 } && status is not ("active" or "retired" or "all"))
        {
            errors["status"] = ["状态须为 active、retired 或 all。"];
        }

        if (errors.Count > 0)
        {
            return (null, null, Problems.Validation(errors));
        }

        var query = db.GridResources.AsNoTracking();
        query = k is { } kv ? query.Where(r => r.Kind == kv) : query;
        query = (status ?? "active") switch
        {
            "retired" => query.Where(r => !r.Active),
            "all" => query,
            _ => query.Where(r => r.Active),
        };
        if (!string.IsNullOrWhiteSpace(gridCode))
        {
            var code = gridCode.Trim();
            query = query.Where(r => r.GridCode.StartsWith(code) || code.StartsWith(r.GridCode));
        }

        return (query, o, null);
    }

    public static async Task<Results<Ok<List<ResourceResponse>>, ProblemHttpResult>> List([ApiEnum(typeof(ResourceKind))] string? kind,
        [ApiEnum(typeof(ServiceKind))] string? offers, string? gridCode, [ApiValues(typeof(ResourcesApi), nameof(Statuses))] string? status, CivicGridDbContext db,
        GeographyIndex geography, CancellationToken ct)
    {
        var (query, offered, problem) = Filter(db, kind, offers, gridCode, status);
        return query is null ? problem! : TypedResults.Ok(await DescribeAsync(await OrderedAsync(query, offered, ct), db, await geography.GetAsync(ct), ct));
    }

    public static IReadOnlyList<string> Statuses { get; } = ["active", "retired", "all"];

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export([ApiEnum(typeof(ResourceKind))] string? kind,
        [ApiEnum(typeof(ServiceKind))] string? offers, string? gridCode, [ApiValues(typeof(ResourcesApi), nameof(Statuses))] string? status, CivicGridDbContext db,
        GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var (query, offered, problem) = Filter(db, kind, offers, gridCode, status);
        if (query is null)
        {
            return problem!;
        }

        var rows = await DescribeAsync(await OrderedAsync(query, offered, ct), db, await geography.GetAsync(ct), ct);
        return await GridAffairsRules.ExcelAsync(rows.Select(r => new Dictionary<string, object?>
        {
            ["类别"] = r.Kind.ToChinese(),
            ["名称"] = r.Name,
            ["单位"] = r.OrganisationName,
            ["联系电话"] = r.Phone,
            ["所在网格"] = r.GridName,
            ["可提供服务"] = string.Join("、", r.Offers.Select(o => o.ToChinese())),
            ["服务时间"] = r.Availability,
            ["已对接需求"] = r.NeedsMatched,
            ["状态"] = r.Active ? "在用" : "已停用",
        }), "资源清单", time, ct);
    }

    /// <summary>What they offer is a JSON list: filtered after reading (a community has hundreds of resources, not millions).</summary>
    private static async Task<List<Resource>> OrderedAsync(IQueryable<Resource> query, ServiceKind? offers, CancellationToken ct) =>
        [.. (await query.ToListAsync(ct)).Where(r => offers is not { } o || r.Offers.Contains(o))
            .OrderBy(r => r.Kind).ThenBy(r => r.GridCode, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).Take(GridAffairsRules.MaxExportRows)];

    public static async Task<Results<Ok<ResourceResponse>, ProblemHttpResult>> Get(Guid id, CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var resource = await db.GridResources.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        return resource is null ? NotFound() : TypedResults.Ok((await DescribeAsync([resource], db, await geography.GetAsync(ct), ct))[0]);
    }

    public static async Task<Results<Created<ResourceResponse>, ProblemHttpResult>> Create(CreateResourceRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Kind is null)
        {
            errors["kind"] = ["请选择资源类别：志愿者、双报到党员、驻街单位或物业公司。"];
        }

        var phone = (string?)null;
        if (!string.IsNullOrWhiteSpace(request.Phone) && !IntakeApi.TryNormalizePhone(request.Phone, out phone))
        {
            errors["phone"] = ["请填写正确的手机号码。"];
        }

        Organisation? organisation = null;
        if (request.OrganisationId is { } oid)
        {
            organisation = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == oid, ct);
            if (organisation is null)
            {
                errors["organisationId"] = ["找不到这个单位。"];
            }
        }

        if (request.RosterMemberId is { } mid && !await db.RosterMembers.AnyAsync(m => m.Id == mid, ct))
        {
            errors["rosterMemberId"] = ["找不到这名网格员队伍中的人员。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var snapshot = await geography.GetAsync(ct);
        var gridCode = request.GridCode;
        if (string.IsNullOrWhiteSpace(gridCode) && string.IsNullOrWhiteSpace(request.CompoundCode) && string.IsNullOrWhiteSpace(request.BuildingCode))
        {
            gridCode = organisation?.ScopeCode ?? caller.GetScope().Code;
        }

        var (place, problem) = await GridAffairsRules.PlaceAsync(request.BuildingCode, request.CompoundCode, gridCode, caller, db, snapshot, ct);
        if (place is null)
        {
            return problem!;
        }

        var kind = request.Kind!.Value;
        var expected = kind switch
        {
            ResourceKind.PublicUnit => OrganisationKind.PublicUnit,
            ResourceKind.PropertyCompany => OrganisationKind.PropertyCompany,
            _ => (OrganisationKind?)null,
        };
        try
        {
            var resource = new Resource(kind, string.IsNullOrWhiteSpace(request.Name) ? organisation?.Name ?? string.Empty : request.Name, place.GridCode,
                request.Offers ?? [], request.Availability ?? string.Empty, organisation?.Id, expected is not null && organisation?.Kind == expected,
                request.RosterMemberId, place.Lon, place.Lat) { Phone = phone };
            db.GridResources.Add(resource);
            await db.SaveChangesAsync(ct);
            return TypedResults.Created($"/api/resources/{resource.Id}", (await DescribeAsync([resource], db, snapshot, ct))[0]);
        }
        catch (CommunityRuleException e)
        {
            return GridAffairsRules.Broken(e);
        }
    }

    public static Task<Results<Ok<ResourceResponse>, ProblemHttpResult>> Revise(Guid id, ReviseResourceRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, CancellationToken ct) =>
        ChangeAsync(id, caller, db, geography, r => r.Revise(request.Offers ?? [], request.Availability ?? string.Empty), ct);

    public static Task<Results<Ok<ResourceResponse>, ProblemHttpResult>> Retire(Guid id, ClaimsPrincipal caller, CivicGridDbContext db, GeographyIndex geography,
        CancellationToken ct) => ChangeAsync(id, caller, db, geography, r => r.Retire(), ct);

    private static async Task<Results<Ok<ResourceResponse>, ProblemHttpResult>> ChangeAsync(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, Action<Resource> change, CancellationToken ct)
    {
        var resource = await db.GridResources.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (resource is null)
        {
            return NotFound();
        }

        if (!caller.GetScope().Covers(resource.GridCode))
        {
            return Problems.Forbidden("该资源登记在上级单位，只能由上级修改。");
        }

        try
        {
            change(resource);
        }
        catch (CommunityRuleException e)
        {
            return GridAffairsRules.Broken(e);
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await DescribeAsync([resource], db, await geography.GetAsync(ct), ct))[0]);
    }

    internal static async Task<List<ResourceResponse>> DescribeAsync(IReadOnlyList<Resource> resources, CivicGridDbContext db, GeographySnapshot snapshot,
        CancellationToken ct)
    {
        var orgIds = resources.Select(r => r.OrganisationId).OfType<Guid>().Distinct().ToList();
        var organisations = orgIds.Count == 0 ? []
            : await db.Organisations.IgnoreQueryFilters().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var ids = resources.Select(r => (Guid?)r.Id).ToList();
        var matched = await db.Needs.Where(n => ids.Contains(n.ResourceId)).GroupBy(n => n.ResourceId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key!.Value, g => g.Count, ct);
        return [.. resources.Select(r => new ResourceResponse(r.Id, r.Kind, r.Name, Masking.Phone(r.Phone), r.GridCode, GridAffairsRules.GridName(snapshot, r.GridCode),
            r.Offers, r.Availability, r.OrganisationId, r.OrganisationId is { } o ? organisations.GetValueOrDefault(o) : null, r.RosterMemberId, r.Active,
            matched.GetValueOrDefault(r.Id)))];
    }

    private static ProblemHttpResult NotFound() => Problems.NotFound("找不到这个资源，或它不在您的管辖范围内。");
}
