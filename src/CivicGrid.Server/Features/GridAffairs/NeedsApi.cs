using System.Security.Claims;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.GridAffairs;

/// <summary>A need as staff see it: the contact phone masked, the place, the resource and project by name, and its claims.</summary>
public sealed record NeedResponse(Guid Id, ServiceKind Kind, NeedUrgency Urgency, NeedStatus Status, string Description, string Requester,
    string? ContactPhone, string GridCode, string GridName, string? CompoundCode, string? CompoundName, string? BuildingCode, NeedSource Source,
    string? SourceReference, DateTimeOffset RaisedAt, string? RaisedByName, Guid? ResourceId, string? ResourceName, Guid? ProjectId, string? ProjectName,
    DateTimeOffset? MetAt, DateTimeOffset? ClosedAt, string? Outcome, IReadOnlyList<ClaimResponse> Claims);

/// <param name="Source">visit, case, council or staff; with a visit, case or council the reference (visit id, case number, council id) is required.</param>
/// <param name="GridCode">Where: the most precise of building, compound or grid is used.</param>
public sealed record CreateNeedRequest(ServiceKind? Kind, NeedUrgency? Urgency, string? Description, string? Requester, string? ContactPhone,
    string? GridCode, string? CompoundCode, string? BuildingCode, NeedSource? Source, string? SourceReference);

public sealed record MatchNeedRequest(Guid? ResourceId);

/// <param name="ProjectId">The project that met it (planted in the need's grid), if one did.</param>
public sealed record MeetNeedRequest(Guid? ProjectId, string? Outcome);

public sealed record CloseNeedRequest(string? Reason);

/// <summary>A resource suggested for a need.</summary>
/// <param name="DistanceMeters">From the need's place to the resource's, when both are known.</param>
public sealed record MatchResponse(Guid ResourceId, string Name, ResourceKind Kind, IReadOnlyList<ServiceKind> Offers, string Availability, string GridName,
    double? DistanceMeters, bool SameCommunity);

/// <summary>The needs list (需求清单): recorded from visits, cases, councils and staff; matched to resources; met by projects.</summary>
public static class NeedsApi
{
    public static IEndpointRouteBuilder MapNeedsApi(this IEndpointRouteBuilder routes)
    {
        var needs = routes.MapGroup("/api/needs").WithTags("Grid affairs").RequireAuthorization(p => p.RequireRole(GridAffairsRules.Readers));
        needs.MapGet("/", List).WithName("ListNeeds").WithSummary("Needs of the caller's scope, newest first, filtered by status, kind, urgency, source, grid and the day raised.");
        needs.MapGet("/export.xlsx", Export).WithName("ExportNeeds").WithSecurityEvent(SecurityEventKind.Exported, "needs", "导出需求清单")
            .WithSummary("The list's selection as Excel (Chinese headers, phones masked).");
        needs.MapGet("/{id:guid}", Get).WithName("GetNeed").WithSummary("One need with its matched resource, the project that met it and its claims.");
        needs.MapPost("/", Create).RequireAuthorization(p => p.RequireRole(GridAffairsRules.NeedRecorders)).WithIdempotency().WithName("CreateNeed")
            .WithSummary("Record a need from a visit, a case, a council or a staff entry, placed at a building, compound or grid of the caller's scope.");
        needs.MapGet("/{id:guid}/matches", Matches).WithName("ListNeedMatches")
            .WithSummary("Active resources offering what the need asks for, nearest first (then the same grid branch).");
        needs.MapPost("/{id:guid}/match", Match).RequireAuthorization(p => p.RequireRole(GridAffairsRules.Keepers)).WithName("MatchNeed")
            .WithSummary("Put a resource on the need (community staff, operations centre).");
        needs.MapPost("/{id:guid}/meet", Meet).RequireAuthorization(p => p.RequireRole(GridAffairsRules.Keepers)).WithName("MeetNeed")
            .WithSummary("The need was met, optionally by a project planted in its grid.");
        needs.MapPost("/{id:guid}/close", Close).RequireAuthorization(p => p.RequireRole(GridAffairsRules.Keepers)).WithName("CloseNeed")
            .WithSummary("Close a need that will not be pursued, with the reason.");
        needs.MapPost("/{id:guid}/reopen", Reopen).RequireAuthorization(p => p.RequireRole(GridAffairsRules.Keepers)).WithName("ReopenNeed")
            .WithSummary("Open a closed need again.");
        return routes;
    }

    public static IReadOnlyList<string> Statuses { get; } = ApiEnums.Names<NeedStatus>();

    private static (IQueryable<Need>? Query, ProblemHttpResult? Problem) Filter(CivicGridDbContext db, string? status, string? kind, string? urgency,
        string? source, string? gridCode, DateOnly? from, DateOnly? to)
    {
        var errors = new Dictionary<string, string[]>();
        var s = GridAffairsRules.Filter<NeedStatus>(status, "status", "状态", errors);
        var k = GridAffairsRules.Filter<ServiceKind>(kind, "kind", "需求类别", errors);
        var u = GridAffairsRules.Filter<NeedUrgency>(urgency, "urgency", "紧急程度", errors);
        var src = GridAffairsRules.Filter<NeedSource>(source, "source", "来源", errors);
        GridAffairsRules.Dates(from, to, errors);
        if (errors.Count > 0)
        {
            return (null, Problems.Validation(errors));
        }

        var query = db.Needs.AsNoTracking();
        query = s is { } sv ? query.Where(n => n.Status == sv) : query;
        query = k is { } kv ? query.Where(n => n.Kind == kv) : query;
        query = u is { } uv ? query.Where(n => n.Urgency == uv) : query;
        query = src is { } srcv ? query.Where(n => n.Source == srcv) : query;
        if (!string.IsNullOrWhiteSpace(gridCode))
        {
            var code = gridCode.Trim();
            query = query.Where(n => n.GridCode.StartsWith(code));
        }

        if (from is { } f)
        {
            var start = GridAffairsRules.StartOfDay(f);
            query = query.Where(n => n.RaisedAt >= start);
        }

        if (to is { } t)
        {
            var end = GridAffairsRules.StartOfDay(t.AddDays(1));
            query = query.Where(n => n.RaisedAt < end);
        }

        return (query, null);
    }

    public static async Task<Results<Ok<List<NeedResponse>>, ProblemHttpResult>> List([ApiEnum(typeof(NeedStatus))] string? status,
        [ApiEnum(typeof(ServiceKind))] string? kind, [ApiEnum(typeof(NeedUrgency))] string? urgency, [ApiEnum(typeof(NeedSource))] string? source,
        string? gridCode, DateOnly? from, DateOnly? to, CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var (query, problem) = Filter(db, status, kind, urgency, source, gridCode, from, to);
        if (query is null)
        {
            return problem!;
        }

        var needs = await query.OrderByDescending(n => n.RaisedAt).Take(1000).ToListAsync(ct);
        return TypedResults.Ok(await DescribeAsync(needs, db, await geography.GetAsync(ct), withClaims: false, ct));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export([ApiEnum(typeof(NeedStatus))] string? status,
        [ApiEnum(typeof(ServiceKind))] string? kind, [ApiEnum(typeof(NeedUrgency))] string? urgency, [ApiEnum(typeof(NeedSource))] string? source,
        string? gridCode, DateOnly? from, DateOnly? to, CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var (query, problem) = Filter(db, status, kind, urgency, source, gridCode, from, to);
        if (query is null)
        {
            return problem!;
        }

        var needs = await query.OrderByDescending(n => n.RaisedAt).Take(GridAffairsRules.MaxExportRows).ToListAsync(ct);
        var rows = await DescribeAsync(needs, db, await geography.GetAsync(ct), withClaims: false, ct);
        return await GridAffairsRules.ExcelAsync(rows.Select(n => new Dictionary<string, object?>
        {
            ["登记时间"] = GridAffairsRules.InBeijing(n.RaisedAt),
            ["网格"] = n.GridName,
            ["楼院"] = n.CompoundName,
            ["需求人"] = n.Requester,
            ["联系电话"] = n.ContactPhone,
            ["类别"] = n.Kind.ToChinese(),
            ["紧急程度"] = n.Urgency.ToChinese(),
            ["需求内容"] = n.Description,
            ["来源"] = n.Source.ToChinese(),
            ["状态"] = n.Status.ToChinese(),
            ["对接资源"] = n.ResourceName,
            ["满足项目"] = n.ProjectName,
            ["结果"] = n.Outcome,
            ["登记人"] = n.RaisedByName,
        }), "需求清单", time, ct);
    }

    public static async Task<Results<Ok<NeedResponse>, ProblemHttpResult>> Get(Guid id, CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var need = await db.Needs.AsNoTracking().SingleOrDefaultAsync(n => n.Id == id, ct);
        return need is null ? NotFound() : TypedResults.Ok((await DescribeAsync([need], db, await geography.GetAsync(ct), withClaims: true, ct))[0]);
    }

    public static async Task<Results<Created<NeedResponse>, ProblemHttpResult>> Create(CreateNeedRequest request, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Kind is null)
        {
            errors["kind"] = ["请选择需求类别。"];
        }

        if (request.Source is null)
        {
            errors["source"] = ["请选择需求来源：入户走访、事件、楼院议事会或工作人员登记。"];
        }
        else if (request.Source != NeedSource.Staff && string.IsNullOrWhiteSpace(request.SourceReference))
        {
            errors["sourceReference"] = ["来自走访、事件或议事会的需求须注明来源编号。"];
        }
        else if (request.SourceReference is { Length: > 64 })
        {
            errors["sourceReference"] = ["来源编号不超过 64 个字符。"];
        }

        if (string.IsNullOrWhiteSpace(request.Description) || request.Description.Trim().Length > CommunityRules.MaxTextLength)
        {
            errors["description"] = [$"请填写需求内容（{CommunityRules.MaxTextLength} 字以内）。"];
        }

        if (string.IsNullOrWhiteSpace(request.Requester) || request.Requester.Trim().Length > CommunityRules.MaxNameLength)
        {
            errors["requester"] = ["请填写需求人（如：3号楼独居老人）。"];
        }

        var phone = (string?)null;
        if (!string.IsNullOrWhiteSpace(request.ContactPhone) && !IntakeApi.TryNormalizePhone(request.ContactPhone, out phone))
        {
            errors["contactPhone"] = ["请填写正确的手机号码。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var snapshot = await geography.GetAsync(ct);
        var (place, problem) = await GridAffairsRules.PlaceAsync(request.BuildingCode, request.CompoundCode, request.GridCode, caller, db, snapshot, ct);
        if (place is null)
        {
            return problem!;
        }

        var reference = request.SourceReference?.Trim();
        if (request.Source == NeedSource.Case && !await db.Cases.AnyAsync(c => c.Number == reference, ct))
        {
            return Problems.Validation("sourceReference", $"您的管辖范围内没有编号为 {reference} 的事件。");
        }

        if (request.Source == NeedSource.Council && (!Guid.TryParse(reference, out var councilId) || !await db.CourtyardCouncils.AnyAsync(c => c.Id == councilId, ct)))
        {
            return Problems.Validation("sourceReference", "找不到这次楼院议事会。");
        }

        var need = new Need(request.Kind!.Value, request.Urgency ?? NeedUrgency.Normal, request.Description!, request.Requester!, place.GridCode,
            place.CompoundCode, place.BuildingCode, place.Lon, place.Lat, request.Source!.Value, reference, caller.GetUserId(), time.GetUtcNow())
        {
            ContactPhone = phone,
        };
        db.Needs.Add(need);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/needs/{need.Id}", (await DescribeAsync([need], db, snapshot, withClaims: true, ct))[0]);
    }

    public static async Task<Results<Ok<List<MatchResponse>>, ProblemHttpResult>> Matches(Guid id, int? max, CivicGridDbContext db, GeographyIndex geography,
        CancellationToken ct)
    {
        var need = await db.Needs.AsNoTracking().SingleOrDefaultAsync(n => n.Id == id, ct);
        if (need is null)
        {
            return NotFound();
        }

        if (max is < 1 or > 50)
        {
            return Problems.Validation("max", "建议数量须在 1 到 50 之间。");
        }

        var resources = await db.GridResources.AsNoTracking().Where(r => r.Active).ToListAsync(ct);
        var suggestions = Matching.Suggest(new NeedSpot(need.Kind, need.GridCode, need.Lon, need.Lat),
            resources.Select(r => new ResourceSpot(r.Id, r.Name, [.. r.Offers], r.Active, r.GridCode, r.Lon, r.Lat)), max ?? 10);
        var byId = resources.ToDictionary(r => r.Id);
        var snapshot = await geography.GetAsync(ct);
        return TypedResults.Ok(suggestions.Select(m =>
        {
            var r = byId[m.ResourceId];
            return new MatchResponse(r.Id, r.Name, r.Kind, r.Offers, r.Availability, GridAffairsRules.GridName(snapshot, r.GridCode),
                m.DistanceMeters is { } d ? Math.Round(d) : null, m.SameCommunity);
        }).ToList());
    }

    public static Task<Results<Ok<NeedResponse>, ProblemHttpResult>> Match(Guid id, MatchNeedRequest request, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, CancellationToken ct) =>
        ChangeAsync(id, caller, db, geography, async need =>
        {
            var resource = request.ResourceId is { } rid ? await db.GridResources.SingleOrDefaultAsync(r => r.Id == rid, ct) : null;
            if (resource is null)
            {
                return Problems.Validation("resourceId", "请从建议中选择一个资源。");
            }

            need.Match(resource.Id, [.. resource.Offers], resource.Active);
            return null;
        }, ct);

    public static Task<Results<Ok<NeedResponse>, ProblemHttpResult>> Meet(Guid id, MeetNeedRequest request, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(id, caller, db, geography, async need =>
        {
            Project? project = null;
            if (request.ProjectId is { } pid)
            {
                project = await db.GridProjects.SingleOrDefaultAsync(p => p.Id == pid, ct);
                if (project is null)
                {
                    return Problems.Validation("projectId", "找不到这个项目，或它不在您的管辖范围内。");
                }
            }

            need.Meet(request.Outcome ?? string.Empty, time.GetUtcNow(), project);
            return null;
        }, ct);

    public static Task<Results<Ok<NeedResponse>, ProblemHttpResult>> Close(Guid id, CloseNeedRequest request, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(id, caller, db, geography, need =>
        {
            need.Close(request.Reason ?? string.Empty, time.GetUtcNow());
            return Task.FromResult<ProblemHttpResult?>(null);
        }, ct);

    public static Task<Results<Ok<NeedResponse>, ProblemHttpResult>> Reopen(Guid id, ClaimsPrincipal caller, CivicGridDbContext db, GeographyIndex geography,
        CancellationToken ct) =>
        ChangeAsync(id, caller, db, geography, need =>
        {
            need.Reopen();
            return Task.FromResult<ProblemHttpResult?>(null);
        }, ct);

    /// <summary>Loads a need of the scope, applies a change (a broken rule becomes 422), saves and answers the detail.</summary>
    private static async Task<Results<Ok<NeedResponse>, ProblemHttpResult>> ChangeAsync(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, Func<Need, Task<ProblemHttpResult?>> change, CancellationToken ct)
    {
        var need = await db.Needs.SingleOrDefaultAsync(n => n.Id == id, ct);
        if (need is null || !caller.GetScope().Covers(need.GridCode))
        {
            return NotFound();
        }

        try
        {
            if (await change(need) is { } problem)
            {
                return problem;
            }
        }
        catch (CommunityRuleException e)
        {
            return GridAffairsRules.Broken(e);
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await DescribeAsync([need], db, await geography.GetAsync(ct), withClaims: true, ct))[0]);
    }

    internal static async Task<List<NeedResponse>> DescribeAsync(IReadOnlyList<Need> needs, CivicGridDbContext db, GeographySnapshot snapshot, bool withClaims,
        CancellationToken ct)
    {
        var users = await GridAffairsRules.UserNamesAsync(db, needs.Select(n => n.RaisedBy), ct);
        var compounds = await GridAffairsRules.CompoundNamesAsync(db, needs.Select(n => n.CompoundCode), ct);
        var resourceIds = needs.Select(n => n.ResourceId).OfType<Guid>().Distinct().ToList();
        var resources = resourceIds.Count == 0 ? []
            : await db.GridResources.IgnoreQueryFilters().Where(r => resourceIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Name, ct);
        var projectIds = needs.Select(n => n.ProjectId).OfType<Guid>().Distinct().ToList();
        var projects = projectIds.Count == 0 ? []
            : await db.GridProjects.IgnoreQueryFilters().Where(p => projectIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var claims = new Dictionary<string, List<ClaimResponse>>();
        if (withClaims)
        {
            var references = needs.Select(n => n.Id.ToString()).ToList();
            var rows = await db.Claims.AsNoTracking().Where(c => c.Target == ClaimTarget.Need && references.Contains(c.Reference)).ToListAsync(ct);
            claims = rows.GroupBy(c => c.Reference).ToDictionary(g => g.Key, g => g.Select(c => ClaimsApi.Describe(c, snapshot)).ToList());
        }

        return [.. needs.Select(n => new NeedResponse(n.Id, n.Kind, n.Urgency, n.Status, n.Description, n.Requester, Masking.Phone(n.ContactPhone), n.GridCode,
            GridAffairsRules.GridName(snapshot, n.GridCode), n.CompoundCode, n.CompoundCode is { } cc ? compounds.GetValueOrDefault(cc) : null, n.BuildingCode,
            n.Source, n.SourceReference, n.RaisedAt, n.RaisedBy is { } u ? users.GetValueOrDefault(u) : null, n.ResourceId,
            n.ResourceId is { } r ? resources.GetValueOrDefault(r) : null, n.ProjectId, n.ProjectId is { } p ? projects.GetValueOrDefault(p) : null, n.MetAt,
            n.ClosedAt, n.Outcome, claims.GetValueOrDefault(n.Id.ToString()) ?? []))];
    }

    private static ProblemHttpResult NotFound() => Problems.NotFound("找不到这条需求，或它不在您的管辖范围内。");
}
