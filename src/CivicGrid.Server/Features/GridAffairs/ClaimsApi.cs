using System.Security.Claims;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Domain.Organisations;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Claim = CivicGrid.Domain.GridAffairs.Claim;

namespace CivicGrid.Server.Features.GridAffairs;

/// <summary>A claim with its fulfilments and whether it is in force today.</summary>
public sealed record ClaimResponse(Guid Id, ClaimTarget Target, string Reference, string TargetName, string GridCode, string GridName, ClaimerKind ClaimerKind,
    Guid ClaimerId, string ClaimerName, DateOnly StartOn, DateOnly EndOn, DateOnly? EndedOn, string Commitments, IReadOnlyList<ClaimFulfilment> Fulfilments);

/// <param name="Target">compound, need, case-category or project-task.</param>
/// <param name="Reference">The compound code, need id, category code (with <paramref name="GridCode"/>) or project id.</param>
/// <param name="ClaimerId">The organisation (red property company, public unit) or the party member's resource id.</param>
public sealed record CreateClaimRequest(ClaimTarget? Target, string? Reference, string? GridCode, ClaimerKind? ClaimerKind, Guid? ClaimerId, DateOnly? StartOn,
    DateOnly? EndOn, string? Commitments);

/// <param name="Done">Whether the claimer did it (default true); a project task not done is recorded with false and the reason in the note.</param>
public sealed record FulfilClaimRequest(DateOnly? On, string? Note, bool? Done = null);

/// <param name="On">The first day no longer claimed (today when left out).</param>
public sealed record EndClaimRequest(DateOnly? On);

/// <summary>An ownerless compound of the caller's scope and who claims it today, if anyone.</summary>
public sealed record OwnerlessCompoundResponse(string Code, string Name, string Address, string GridCode, string GridName, ClaimResponse? CurrentClaim,
    int OtherClaims);

/// <summary>Claims (认领): ownerless compounds by red property companies and public units; grid affairs by party members and public units.</summary>
public static class ClaimsApi
{
    public static IEndpointRouteBuilder MapClaimsApi(this IEndpointRouteBuilder routes)
    {
        var claims = routes.MapGroup("/api/claims").WithTags("Grid affairs").RequireAuthorization(p => p.RequireRole(GridAffairsRules.Readers));
        claims.MapGet("/", List).WithName("ListClaims")
            .WithSummary("Claims of the caller's scope, filtered by target kind, claimer kind, claimer, the claimed thing's reference, grid and status (in-force, ended, all).");
        claims.MapGet("/export.xlsx", Export).WithName("ExportClaims").WithSecurityEvent(SecurityEventKind.Exported, "claims", "导出认领清单")
            .WithSummary("The list's selection as Excel.");
        claims.MapGet("/ownerless-compounds", Ownerless).WithName("ListOwnerlessCompounds")
            .WithSummary("Compounds of the caller's scope without a property company (无主楼院), with today's claim.");
        claims.MapGet("/{id:guid}", Get).WithName("GetClaim").WithSummary("One claim with its fulfilments.");
        claims.MapPost("/", Create).RequireAuthorization(p => p.RequireRole(GridAffairsRules.Keepers)).WithIdempotency().WithName("CreateClaim")
            .WithSummary("Record a claim: an ownerless compound by a red property company or a public unit, a grid affair by a party member or a public unit.");
        claims.MapPost("/{id:guid}/fulfilments", Fulfil).RequireAuthorization(p => p.RequireRole(GridAffairsRules.Keepers)).WithIdempotency()
            .WithName("FulfilClaim").WithSummary("Record whether the claimer did what they committed to (done, or not done with the reason).");
        claims.MapPost("/{id:guid}/end", End).RequireAuthorization(p => p.RequireRole(GridAffairsRules.Keepers)).WithName("EndClaim")
            .WithSummary("End a claim early.");
        return routes;
    }

    public static IReadOnlyList<string> Statuses { get; } = ["in-force", "ended", "all"];

    private static (IQueryable<Claim>? Query, string Status, ProblemHttpResult? Problem) Filter(CivicGridDbContext db, string? target, string? claimerKind,
        Guid? claimerId, string? reference, string? gridCode, string? status)
    {
        var errors = new Dictionary<string, string[]>();
        var t = GridAffairsRules.Filter<ClaimTarget>(target, "target", "认领对象", errors);
        var k = GridAffairsRules.Filter<ClaimerKind>(claimerKind, "claimerKind", "认领方类别", errors);
        if (status is { Length: > 0 } && !Statuses.Contains(status))
        {
            errors["status"] = ["状态须为 in-force、ended 或 all。"];
        }

        if (errors.Count > 0)
        {
            return (null, string.Empty, Problems.Validation(errors));
        }

        var query = db.Claims.AsNoTracking();
        query = t is { } tv ? query.Where(c => c.Target == tv) : query;
        query = k is { } kv ? query.Where(c => c.ClaimerKind == kv) : query;
        query = claimerId is { } cid ? query.Where(c => c.ClaimerId == cid) : query;
        if (!string.IsNullOrWhiteSpace(reference))
        {
            var r = reference.Trim();
            query = query.Where(c => c.Reference == r);
        }

        if (!string.IsNullOrWhiteSpace(gridCode))
        {
            var code = gridCode.Trim();
            query = query.Where(c => c.GridCode.StartsWith(code));
        }

        return (query, status ?? "all", null);
    }

    private static async Task<List<Claim>> ReadAsync(IQueryable<Claim> query, string status, DateOnly today, CancellationToken ct) =>
        [.. (await query.OrderByDescending(c => c.StartOn).Take(GridAffairsRules.MaxExportRows).ToListAsync(ct))
            .Where(c => status switch { "in-force" => c.InForceOn(today), "ended" => !c.InForceOn(today) && c.StartOn <= today, _ => true })];

    public static async Task<Results<Ok<List<ClaimResponse>>, ProblemHttpResult>> List([ApiEnum(typeof(ClaimTarget))] string? target,
        [ApiEnum(typeof(ClaimerKind))] string? claimerKind, Guid? claimerId, string? reference, string? gridCode,
        [ApiValues(typeof(ClaimsApi), nameof(Statuses))] string? status, CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var (query, s, problem) = Filter(db, target, claimerKind, claimerId, reference, gridCode, status);
        if (query is null)
        {
            return problem!;
        }

        var snapshot = await geography.GetAsync(ct);
        return TypedResults.Ok((await ReadAsync(query, s, GridAffairsRules.Today(time), ct)).Select(c => Describe(c, snapshot)).ToList());
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export([ApiEnum(typeof(ClaimTarget))] string? target,
        [ApiEnum(typeof(ClaimerKind))] string? claimerKind, Guid? claimerId, string? reference, string? gridCode,
        [ApiValues(typeof(ClaimsApi), nameof(Statuses))] string? status, CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var (query, s, problem) = Filter(db, target, claimerKind, claimerId, reference, gridCode, status);
        if (query is null)
        {
            return problem!;
        }

        var snapshot = await geography.GetAsync(ct);
        var rows = await ReadAsync(query, s, GridAffairsRules.Today(time), ct);
        return await GridAffairsRules.ExcelAsync(rows.Select(c => new Dictionary<string, object?>
        {
            ["认领对象"] = TargetChinese(c.Target),
            ["名称"] = c.TargetName,
            ["网格"] = GridAffairsRules.GridName(snapshot, c.GridCode),
            ["认领方"] = c.ClaimerName,
            ["认领方类别"] = ClaimerChinese(c.ClaimerKind),
            ["开始日期"] = c.StartOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["结束日期"] = (c.EndedOn?.AddDays(-1) ?? c.EndOn).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["承诺事项"] = c.Commitments,
            ["履约次数"] = c.Fulfilments.Count,
            ["最近履约"] = c.Fulfilments.OrderByDescending(f => f.On).FirstOrDefault()?.Note,
        }), "认领清单", time, ct);
    }

    public static string TargetChinese(ClaimTarget target) => target switch
    {
        ClaimTarget.Compound => "无主楼院",
        ClaimTarget.Need => "群众需求",
        ClaimTarget.CaseCategory => "网格事务",
        _ => "项目任务",
    };

    public static string ClaimerChinese(ClaimerKind kind) => kind switch
    {
        ClaimerKind.RedPropertyCompany => "红色物业",
        ClaimerKind.PublicUnit => "驻街单位",
        _ => "双报到党员",
    };

    public static async Task<Ok<List<OwnerlessCompoundResponse>>> Ownerless(CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var compounds = await db.Compounds.AsNoTracking().Where(c => c.PropertyCompanyId == null).OrderBy(c => c.Code)
            .Select(c => new { c.Code, c.Name, c.Address, c.GridCode }).ToListAsync(ct);
        var codes = compounds.Select(c => c.Code).ToList();
        var claims = (await db.Claims.AsNoTracking().Where(c => c.Target == ClaimTarget.Compound && codes.Contains(c.Reference)).ToListAsync(ct))
            .GroupBy(c => c.Reference).ToDictionary(g => g.Key, g => g.ToList());
        var today = GridAffairsRules.Today(time);
        var snapshot = await geography.GetAsync(ct);
        return TypedResults.Ok(compounds.Select(c =>
        {
            var all = claims.GetValueOrDefault(c.Code) ?? [];
            var current = all.FirstOrDefault(x => x.InForceOn(today));
            return new OwnerlessCompoundResponse(c.Code, c.Name, c.Address, c.GridCode, GridAffairsRules.GridName(snapshot, c.GridCode),
                current is null ? null : Describe(current, snapshot), all.Count(x => x != current));
        }).ToList());
    }

    public static async Task<Results<Ok<ClaimResponse>, ProblemHttpResult>> Get(Guid id, CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var claim = await db.Claims.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        return claim is null ? NotFound() : TypedResults.Ok(Describe(claim, await geography.GetAsync(ct)));
    }

    public static async Task<Results<Created<ClaimResponse>, ProblemHttpResult>> Create(CreateClaimRequest request, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Target is null)
        {
            errors["target"] = ["请选择认领对象：无主楼院、群众需求、网格事务或项目任务。"];
        }

        if (string.IsNullOrWhiteSpace(request.Reference))
        {
            errors["reference"] = ["请选择认领的楼院、需求、事件类别或项目。"];
        }

        if (request.ClaimerKind is null || request.ClaimerId is null)
        {
            errors["claimerId"] = ["请选择认领方。"];
        }

        if (request.StartOn is null || request.EndOn is null)
        {
            errors["endOn"] = ["请填写认领期限（开始和结束日期）。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var snapshot = await geography.GetAsync(ct);
        var reference = request.Reference!.Trim();
        var (claimerName, claimerProblem) = await ClaimerAsync(request.ClaimerKind!.Value, request.ClaimerId!.Value, db, ct);
        if (claimerName is null)
        {
            return claimerProblem!;
        }

        string gridCode;
        string targetName;
        bool? hasProperty = null;
        switch (request.Target!.Value)
        {
            case ClaimTarget.Compound:
                var compound = await db.Compounds.AsNoTracking().Where(c => c.Code == reference).Select(c => new { c.Name, c.GridCode, c.PropertyCompanyId })
                    .SingleOrDefaultAsync(ct);
                if (compound is null)
                {
                    return Problems.Validation("reference", "找不到这个楼院，或它不在您的管辖范围内。");
                }

                (gridCode, targetName, hasProperty) = (compound.GridCode, compound.Name, compound.PropertyCompanyId is not null);
                break;
            case ClaimTarget.Need:
                var need = Guid.TryParse(reference, out var needId) ? await db.Needs.AsNoTracking().SingleOrDefaultAsync(n => n.Id == needId, ct) : null;
                if (need is null)
                {
                    return Problems.Validation("reference", "找不到这条需求，或它不在您的管辖范围内。");
                }

                (gridCode, targetName) = (need.GridCode, need.Description);
                break;
            case ClaimTarget.ProjectTask:
                var task = Guid.TryParse(reference, out var taskId) ? await db.ProjectTasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == taskId, ct) : null;
                if (task is null)
                {
                    return Problems.Validation("reference", "找不到这项项目任务，或它不在您的管辖范围内。请在项目中选择一项任务认领。");
                }

                if (task.On < request.StartOn || task.On > request.EndOn)
                {
                    return Problems.Validation("endOn", $"认领期限须包含任务日期 {task.On:yyyy-MM-dd}。");
                }

                var projectName = await db.GridProjects.AsNoTracking().Where(p => p.Id == task.ProjectId).Select(p => p.Name).SingleAsync(ct);
                (gridCode, targetName) = (task.ScopeCode, $"{projectName} · {task.Name}");
                break;
            default:
                var category = await db.CaseCategories.AsNoTracking().Where(c => c.Code == reference).Select(c => c.Name).SingleOrDefaultAsync(ct);
                if (category is null || string.IsNullOrWhiteSpace(request.GridCode) || !snapshot.Grids.ContainsKey(request.GridCode.Trim()))
                {
                    return Problems.Validation(category is null ? "reference" : "gridCode", category is null ? "请选择事件类别。" : "请选择认领的网格。");
                }

                gridCode = request.GridCode.Trim();
                targetName = $"{GridAffairsRules.GridName(snapshot, gridCode)} · {category}";
                break;
        }

        if (!caller.GetScope().Covers(gridCode))
        {
            return Problems.Forbidden("认领对象不在您的管辖范围内。");
        }

        try
        {
            Claim claim;
            if (hasProperty is { } has)
            {
                var others = await db.Claims.IgnoreQueryFilters().AsNoTracking().Where(c => c.Target == ClaimTarget.Compound && c.Reference == reference).ToListAsync(ct);
                claim = Claim.ForCompound(reference, targetName, gridCode, has, others.Select(o => o.Period), request.ClaimerKind.Value, request.ClaimerId.Value,
                    claimerName, request.StartOn!.Value, request.EndOn!.Value, request.Commitments ?? string.Empty, time.GetUtcNow());
            }
            else
            {
                claim = Claim.ForAffair(request.Target.Value, reference, targetName.Length > CommunityRules.MaxTextLength ? targetName[..CommunityRules.MaxTextLength] : targetName,
                    gridCode, request.ClaimerKind.Value, request.ClaimerId.Value, claimerName, request.StartOn!.Value, request.EndOn!.Value,
                    request.Commitments ?? string.Empty, time.GetUtcNow());
            }

            db.Claims.Add(claim);
            await db.SaveChangesAsync(ct);
            return TypedResults.Created($"/api/claims/{claim.Id}", Describe(claim, snapshot));
        }
        catch (CommunityRuleException e)
        {
            return GridAffairsRules.Broken(e);
        }
    }

    /// <summary>The claimer's name, when they are of the kind claimed: a red property company, a public unit, or a party member of the resources list.</summary>
    private static async Task<(string? Name, ProblemHttpResult? Problem)> ClaimerAsync(ClaimerKind kind, Guid id, CivicGridDbContext db, CancellationToken ct)
    {
        if (kind == ClaimerKind.PartyMember)
        {
            var member = await db.GridResources.AsNoTracking().Where(r => r.Id == id).Select(r => new { r.Name, r.Kind, r.Active }).SingleOrDefaultAsync(ct);
            return member is { Kind: ResourceKind.PartyMember, Active: true }
                ? (member.Name, null)
                : (null, GridAffairsRules.Broken(new CommunityRuleException(CommunityRules.ClaimerKind)));
        }

        var organisation = await db.Organisations.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organisation is null)
        {
            return (null, Problems.Validation("claimerId", "找不到这个认领单位。"));
        }

        var fits = kind == ClaimerKind.RedPropertyCompany
            ? organisation is { Kind: OrganisationKind.PropertyCompany, IsRedProperty: true }
            : organisation.Kind == OrganisationKind.PublicUnit;
        return fits && organisation.IsActive ? (organisation.Name, null) : (null, GridAffairsRules.Broken(new CommunityRuleException(CommunityRules.ClaimerKind)));
    }

    public static async Task<Results<Ok<ClaimResponse>, ProblemHttpResult>> Fulfil(Guid id, FulfilClaimRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var name = caller.FindFirst(CivicGridClaims.DisplayName)?.Value ?? string.Empty;
        return await ChangeAsync(id, caller, db, geography, c => c.Fulfil(request.On ?? GridAffairsRules.Today(time), request.Note ?? string.Empty, name,
            request.Done ?? true), ct);
    }

    public static Task<Results<Ok<ClaimResponse>, ProblemHttpResult>> End(Guid id, EndClaimRequest request, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(id, caller, db, geography, c => c.End(request.On ?? GridAffairsRules.Today(time)), ct);

    private static async Task<Results<Ok<ClaimResponse>, ProblemHttpResult>> ChangeAsync(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, Action<Claim> change, CancellationToken ct)
    {
        var claim = await db.Claims.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (claim is null || !caller.GetScope().Covers(claim.GridCode))
        {
            return NotFound();
        }

        try
        {
            change(claim);
        }
        catch (CommunityRuleException e)
        {
            return GridAffairsRules.Broken(e);
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Describe(claim, await geography.GetAsync(ct)));
    }

    internal static ClaimResponse Describe(Claim c, GeographySnapshot snapshot) => new(c.Id, c.Target, c.Reference, c.TargetName, c.GridCode,
        GridAffairsRules.GridName(snapshot, c.GridCode), c.ClaimerKind, c.ClaimerId, c.ClaimerName, c.StartOn, c.EndOn, c.EndedOn, c.Commitments,
        [.. c.Fulfilments.OrderByDescending(f => f.On)]);

    /// <summary>
    /// The claims in force on <paramref name="today"/> of the things of one kind named by <paramref name="references"/> (compound
    /// codes, need ids, task ids), by reference, for showing a claim where the claimed thing is shown. Scope filters apply.
    /// </summary>
    public static async Task<Dictionary<string, List<ClaimResponse>>> CurrentAsync(CivicGridDbContext db, ClaimTarget target,
        IReadOnlyCollection<string> references, DateOnly today, GeographySnapshot snapshot, CancellationToken ct)
    {
        if (references.Count == 0)
        {
            return [];
        }

        var list = references.ToList();
        return (await db.Claims.AsNoTracking().Where(c => c.Target == target && list.Contains(c.Reference) && c.StartOn <= today && c.EndOn >= today)
                .OrderBy(c => c.StartOn).ToListAsync(ct))
            .Where(c => c.InForceOn(today)).GroupBy(c => c.Reference, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(c => Describe(c, snapshot)).ToList(), StringComparer.Ordinal);
    }

    /// <summary>
    /// The claims in force today of a case's kind in a grid holding the case (a party member or a unit took on that kind of case
    /// there). Read across scopes: whoever sees the case sees who claimed its kind at its place.
    /// </summary>
    public static async Task<List<ClaimResponse>> ForCaseAsync(CivicGridDbContext db, string categoryCode, string caseGridCode, DateOnly today,
        GeographySnapshot snapshot, CancellationToken ct) =>
        [.. (await db.Claims.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.Target == ClaimTarget.CaseCategory && c.Reference == categoryCode && c.StartOn <= today && c.EndOn >= today).ToListAsync(ct))
            .Where(c => c.InForceOn(today) && Domain.Geography.GridCodes.IsWithin(caseGridCode, c.GridCode)).OrderBy(c => c.StartOn).Select(c => Describe(c, snapshot))];

    private static ProblemHttpResult NotFound() => Problems.NotFound("找不到这条认领，或它不在您的管辖范围内。");
}
