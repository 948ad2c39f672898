using CivicGrid.Server.Features.Audit;
using System.Security.Claims;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Organisations;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Organisations;

/// <summary>An organisation as staff see it.</summary>
/// <param name="Kind">department, property-company, owners-committee, public-unit or alliance.</param>
/// <param name="ScopeCode">The node of the tree it serves.</param>
/// <param name="ScopeName">That node's name (e.g. 长乐街道).</param>
/// <param name="ParentId">A department's parent department.</param>
/// <param name="ContactPhone">The organisation's public contact number (not personal data).</param>
/// <param name="RedProperty">A property company led by party building (红色物业).</param>
/// <param name="CompoundCode">The compound an owners' committee belongs to.</param>
/// <param name="CompoundsServed">How many compounds a property company serves.</param>
/// <param name="IsActive">False once retired: not offered for new dispatches or accounts; old cases keep its name.</param>
public sealed record OrganisationSummary(Guid Id, string Code, string Name, OrganisationKind Kind, string ScopeCode, string? ScopeName,
    Guid? ParentId, string? ParentName, string? ContactPhone, bool RedProperty, string? CompoundCode, string? CompoundName, int CompoundsServed,
    bool IsActive, DateTimeOffset? RetiredAt);

/// <param name="Kind">department, property-company, owners-committee, public-unit or alliance.</param>
/// <param name="Name">Up to 100 characters, unique within the scope.</param>
/// <param name="ScopeCode">The node it serves: a district or subdistrict for a department; a district, subdistrict or community for a
/// property company; a community or grid for an owners' committee; a subdistrict, community, grid or dedicated grid for a public
/// unit; a subdistrict, community or dedicated grid for an alliance. Inside the caller's scope.</param>
/// <param name="ParentId">Departments only: the parent department (in service, serving a region that holds this one's).</param>
/// <param name="Code">Letters, digits, '-', '_' (e.g. a unified social credit code); generated when absent, never changed.</param>
/// <param name="RedProperty">Property companies only.</param>
/// <param name="CompoundCode">Owners' committees only, required: the compound (inside the scope).</param>
public sealed record CreateOrganisationRequest([property: ApiEnum(typeof(OrganisationKind))] string? Kind, string? Name, string? ScopeCode,
    Guid? ParentId, string? Code, string? ContactPhone, bool? RedProperty, string? CompoundCode);

/// <summary>The organisation as it is to be (the kind and the code never change); absent optional fields are cleared.</summary>
public sealed record UpdateOrganisationRequest(string? Name, string? ScopeCode, Guid? ParentId, string? ContactPhone, bool? RedProperty,
    string? CompoundCode);

/// <param name="CompoundCodes">Every compound the property company serves (in the caller's scope); compounds served by another
/// company are taken over, compounds it served and not listed become ownerless (无主楼院).</param>
public sealed record SetServedCompoundsRequest(IReadOnlyList<string>? CompoundCodes);

/// <summary>A compound a property company serves.</summary>
public sealed record ServedCompound(string Code, string Name, string Address, string GridCode);

/// <summary>
/// The organisation register (部门、物业公司、业委会、驻街单位、商圈联盟): staff read the organisations serving their region; the
/// system admin creates, edits, retires and reinstates them within their scope (MLPS level 3: the system admin keeps the
/// configuration and the organisations). Nothing is deleted: cases and accounts point to organisations.
/// </summary>
public static class OrganisationsApi
{
    public const string RuleType = "/problems/organisation-rule";

    public static IEndpointRouteBuilder MapOrganisationsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/organisations").WithTags("Organisations").RequireAuthorization(Policies.Staff);
        group.MapGet("/", List).WithName("ListOrganisations")
            .WithSummary("Organisations serving the caller's region (to dispatch a case to a department: kind=department); retired ones only with includeRetired=true.");
        group.MapGet("/{id:guid}", Get).WithName("GetOrganisation").WithSummary("One organisation serving the caller's region.");
        group.MapPost("/", Create).RequireAuthorization(Policies.SystemAdmin).WithName("CreateOrganisation")
            .WithSecurityEvent(SecurityEventKind.OrganisationChanged, "organisation", "新建组织机构").WithIdempotency()
            .WithSummary("Register an organisation in the caller's scope (system admin).");
        group.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.SystemAdmin).WithName("UpdateOrganisation").WithSecurityEvent(SecurityEventKind.OrganisationChanged, "organisation", "修改组织机构")
            .WithSummary("Change an organisation's name, scope, parent, phone, red-property flag or compound (system admin).");
        group.MapPost("/{id:guid}/retire", Retire).RequireAuthorization(Policies.SystemAdmin).WithName("RetireOrganisation").WithSecurityEvent(SecurityEventKind.OrganisationChanged, "organisation", "撤销组织机构")
            .WithSummary("Take an organisation out of service (system admin): no new dispatches or accounts; old cases keep its name; its liaisons' attachments end.");
        group.MapPost("/{id:guid}/reinstate", Reinstate).RequireAuthorization(Policies.SystemAdmin).WithName("ReinstateOrganisation").WithSecurityEvent(SecurityEventKind.OrganisationChanged, "organisation", "恢复组织机构")
            .WithSummary("Put a retired organisation back in service (system admin).");
        group.MapGet("/{id:guid}/compounds", ListCompounds).WithName("ListServedCompounds").WithSummary("The compounds a property company serves.");
        group.MapPut("/{id:guid}/compounds", SetCompounds).RequireAuthorization(Policies.SystemAdmin).WithName("SetServedCompounds").WithSecurityEvent(SecurityEventKind.OrganisationChanged, "organisation", "设置物业服务小区")
            .WithSummary("Set the compounds a property company serves within the caller's scope (system admin).");
        group.MapLiaisonsApi();
        return routes;
    }

    /// <param name="kind">department, property-company, owners-committee, public-unit or alliance; all when absent.</param>
    /// <param name="q">Part of the name or code.</param>
    /// <param name="includeRetired">Also list retired organisations (the console's register); pickers leave it out.</param>
    public static async Task<Results<Ok<List<OrganisationSummary>>, ProblemHttpResult>> List([ApiEnum(typeof(OrganisationKind))] string? kind,
        string? q, bool? includeRetired, CivicGridDbContext db, CancellationToken ct)
    {
        var query = db.Organisations.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (!ApiEnums.TryParse<OrganisationKind>(kind, out var parsed))
            {
                return Problems.Validation("kind", $"组织类型 kind 须为 {ApiEnums.List<OrganisationKind>()} 之一。");
            }

            query = query.Where(o => o.Kind == parsed);
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            query = query.Where(o => o.Name.Contains(text) || o.Code.Contains(text));
        }

        if (includeRetired != true)
        {
            query = query.Where(o => o.RetiredAt == null);
        }

        var rows = await query.OrderBy(o => o.Kind).ThenBy(o => o.ScopeCode).ThenBy(o => o.Code).Take(1000).ToListAsync(ct);
        return TypedResults.Ok(await SummariseAsync(db, rows, ct));
    }

    public static async Task<Results<Ok<OrganisationSummary>, ProblemHttpResult>> Get(Guid id, CivicGridDbContext db, CancellationToken ct)
    {
        var organisation = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        return organisation is null ? NotFound() : TypedResults.Ok((await SummariseAsync(db, [organisation], ct))[0]);
    }

    public static async Task<Results<Created<OrganisationSummary>, ProblemHttpResult>> Create(CreateOrganisationRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, SecurityAudit audit, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ApiEnums.TryParse<OrganisationKind>(request.Kind, out var kind))
        {
            errors["kind"] = [$"组织类型 kind 须为 {ApiEnums.List<OrganisationKind>()} 之一。"];
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors["name"] = [OrganisationRules.NameRequired.ChineseMessage];
        }

        if (string.IsNullOrWhiteSpace(request.ScopeCode))
        {
            errors["scopeCode"] = ["请选择组织服务的范围（网格树中的一个节点）。"];
        }

        var code = request.Code?.Trim();
        if (!string.IsNullOrEmpty(code) && !OrganisationRules.IsWellFormedCode(code))
        {
            errors["code"] = [OrganisationRules.CodeMalformed.ChineseMessage];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors, errors.Count == 1 ? errors.Values.Single()[0] : "请求中有无效的内容，请按提示修改后重试。");
        }

        var placement = await PlaceAsync(db, caller, kind, request.Name!, request.ScopeCode!.Trim(), request.ParentId, request.CompoundCode, null, ct);
        if (placement.Refusal is { } refused)
        {
            return refused;
        }

        if (!string.IsNullOrEmpty(code) && await db.Organisations.IgnoreQueryFilters().AnyAsync(o => o.Code == code, ct))
        {
            return Problems.Conflict($"组织编码 {code} 已被使用。");
        }

        if (string.IsNullOrEmpty(code))
        {
            var scopeCode = placement.Scope!.Code;
            var taken = (await db.Organisations.IgnoreQueryFilters().Where(o => o.Code.Contains(scopeCode)).Select(o => o.Code).ToListAsync(ct))
                .ToHashSet(StringComparer.Ordinal);
            code = OrganisationRules.GenerateCode(kind, scopeCode, taken.Contains);
        }

        Organisation organisation;
        try
        {
            organisation = Organisation.Create(code, request.Name!, kind, placement.Scope!, request.ContactPhone, placement.Parent, placement.Compound,
                request.RedProperty ?? false);
        }
        catch (OrganisationRuleException e)
        {
            return Refusal(e);
        }

        db.Organisations.Add(organisation);
        await RecordAsync(db, audit, organisation, $"新建{KindName(organisation.Kind)}“{organisation.Name}”（编码 {organisation.Code}）", ct);
        if (await SaveAsync(db, ct) is { } conflict)
        {
            return conflict;
        }

        loggers.CreateLogger(typeof(OrganisationsApi)).LogInformation("User {User} created organisation {Code} ({Kind}) serving {Scope}",
            caller.Identity?.Name, organisation.Code, organisation.Kind, organisation.ScopeCode);
        return TypedResults.Created($"/api/organisations/{organisation.Id}", (await SummariseAsync(db, [organisation], ct))[0]);
    }

    public static async Task<Results<Ok<OrganisationSummary>, ProblemHttpResult>> Update(Guid id, UpdateOrganisationRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, SecurityAudit audit, ILoggerFactory loggers, CancellationToken ct)
    {
        var organisation = await db.Organisations.SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organisation is null)
        {
            return NotFound();
        }

        if (!caller.GetScope().Covers(organisation.ScopeCode))
        {
            return Problems.Forbidden($"“{organisation.Name}”服务的范围超出您的管辖范围，您不能修改它。");
        }

        if (!organisation.IsActive)
        {
            return Refusal(new OrganisationRuleException(OrganisationRules.Retired));
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return Problems.Validation("name", OrganisationRules.NameRequired.ChineseMessage);
        }

        var scopeCode = string.IsNullOrWhiteSpace(request.ScopeCode) ? organisation.ScopeCode : request.ScopeCode.Trim();
        var placement = await PlaceAsync(db, caller, organisation.Kind, request.Name, scopeCode, request.ParentId, request.CompoundCode, organisation, ct);
        if (placement.Refusal is { } refused)
        {
            return refused;
        }

        var before = organisation.Name;
        var departments = await db.Organisations.IgnoreQueryFilters().AsNoTracking().Where(o => o.Kind == OrganisationKind.Department)
            .Select(o => new { o.Id, o.ParentId }).ToDictionaryAsync(o => o.Id, o => o.ParentId, ct);
        try
        {
            organisation.Revise(request.Name, request.ContactPhone, placement.Scope!, placement.Parent, placement.Compound, request.RedProperty ?? false,
                parent => Ancestors(parent.Id, departments));
        }
        catch (OrganisationRuleException e)
        {
            return Refusal(e);
        }

        await RecordAsync(db, audit, organisation, before == organisation.Name
            ? $"修改{KindName(organisation.Kind)}“{organisation.Name}”"
            : $"修改{KindName(organisation.Kind)}“{before}”，改名为“{organisation.Name}”", ct);
        if (await SaveAsync(db, ct) is { } conflict)
        {
            return conflict;
        }

        loggers.CreateLogger(typeof(OrganisationsApi)).LogInformation("User {User} changed organisation {Code}", caller.Identity?.Name, organisation.Code);
        return TypedResults.Ok((await SummariseAsync(db, [organisation], ct))[0]);
    }

    public static async Task<Results<Ok<OrganisationSummary>, ProblemHttpResult>> Retire(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        SecurityAudit audit, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var organisation = await db.Organisations.SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organisation is null)
        {
            return NotFound();
        }

        if (!caller.GetScope().Covers(organisation.ScopeCode))
        {
            return Problems.Forbidden($"“{organisation.Name}”服务的范围超出您的管辖范围，您不能停用它。");
        }

        var children = await db.Organisations.IgnoreQueryFilters().CountAsync(o => o.ParentId == id && o.RetiredAt == null, ct);
        var compounds = await db.Compounds.IgnoreQueryFilters().CountAsync(c => c.PropertyCompanyId == id, ct);
        var now = time.GetUtcNow();
        try
        {
            organisation.Retire(caller.GetUserId()!.Value, now, children, compounds);
        }
        catch (OrganisationRuleException e)
        {
            return Refusal(e);
        }

        // The department's liaisons are no longer sunk into grids for it; their history stays.
        var today = LiaisonsApi.Today(time);
        foreach (var attachment in await db.LiaisonAttachments.IgnoreQueryFilters()
                     .Where(a => a.DepartmentId == id && (a.EndsOn == null || a.EndsOn >= today)).ToListAsync(ct))
        {
            attachment.End(today);
        }

        await RecordAsync(db, audit, organisation, $"停用{KindName(organisation.Kind)}“{organisation.Name}”", ct);
        await db.SaveChangesAsync(ct);
        loggers.CreateLogger(typeof(OrganisationsApi)).LogInformation("User {User} retired organisation {Code}", caller.Identity?.Name, organisation.Code);
        return TypedResults.Ok((await SummariseAsync(db, [organisation], ct))[0]);
    }

    public static async Task<Results<Ok<OrganisationSummary>, ProblemHttpResult>> Reinstate(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        SecurityAudit audit, ILoggerFactory loggers, CancellationToken ct)
    {
        var organisation = await db.Organisations.SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organisation is null)
        {
            return NotFound();
        }

        if (!caller.GetScope().Covers(organisation.ScopeCode))
        {
            return Problems.Forbidden($"“{organisation.Name}”服务的范围超出您的管辖范围，您不能恢复它。");
        }

        var parent = organisation.ParentId is { } parentId
            ? await db.Organisations.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(o => o.Id == parentId, ct)
            : null;
        try
        {
            organisation.Reinstate(parent);
        }
        catch (OrganisationRuleException e)
        {
            return Refusal(e);
        }

        await RecordAsync(db, audit, organisation, $"恢复{KindName(organisation.Kind)}“{organisation.Name}”", ct);
        if (await SaveAsync(db, ct) is { } conflict)
        {
            return conflict;
        }

        loggers.CreateLogger(typeof(OrganisationsApi)).LogInformation("User {User} reinstated organisation {Code}", caller.Identity?.Name, organisation.Code);
        return TypedResults.Ok((await SummariseAsync(db, [organisation], ct))[0]);
    }

    public static async Task<Results<Ok<List<ServedCompound>>, ProblemHttpResult>> ListCompounds(Guid id, CivicGridDbContext db, CancellationToken ct)
    {
        var organisation = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organisation is null)
        {
            return NotFound();
        }

        return TypedResults.Ok(await ServedAsync(db, id, ct));
    }

    /// <summary>The compounds of the caller's scope the company serves (a community's staff see those in their community).</summary>
    private static Task<List<ServedCompound>> ServedAsync(CivicGridDbContext db, Guid companyId, CancellationToken ct) =>
        db.Compounds.AsNoTracking().Where(c => c.PropertyCompanyId == companyId).OrderBy(c => c.Code)
            .Select(c => new ServedCompound(c.Code, c.Name, c.Address, c.GridCode)).ToListAsync(ct);

    public static async Task<Results<Ok<List<ServedCompound>>, ProblemHttpResult>> SetCompounds(Guid id, SetServedCompoundsRequest request,
        ClaimsPrincipal caller, CivicGridDbContext db, SecurityAudit audit, ILoggerFactory loggers, CancellationToken ct)
    {
        var company = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (company is null)
        {
            return NotFound();
        }

        if (company.Kind != OrganisationKind.PropertyCompany)
        {
            return Refusal(new OrganisationRuleException(OrganisationRules.CompoundsOnlyForPropertyCompanies));
        }

        if (!company.IsActive)
        {
            return Refusal(new OrganisationRuleException(OrganisationRules.Retired));
        }

        var scope = caller.GetScope();
        var codes = (request.CompoundCodes ?? []).Select(c => c.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var wanted = await db.Compounds.Where(c => codes.Contains(c.Code)).ToListAsync(ct);
        var unknown = codes.Except(wanted.Select(c => c.Code), StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            return Problems.Validation("compoundCodes", $"找不到这些院落，或它们不在您的管辖范围内：{string.Join("、", unknown)}。");
        }

        if (wanted.FirstOrDefault(c => !GridCodes.IsWithin(c.GridCode, company.ScopeCode)) is { } outside)
        {
            return Refusal(new OrganisationRuleException(OrganisationRules.CompoundOutsideScope), $"院落“{outside.Name}”不在“{company.Name}”的服务范围内。");
        }

        // Compounds this company served in the caller's scope and that are not listed any more become ownerless.
        foreach (var compound in await db.Compounds.Where(c => c.PropertyCompanyId == id).ToListAsync(ct))
        {
            if (!codes.Contains(compound.Code) && scope.Covers(compound.GridCode))
            {
                compound.PropertyCompanyId = null;
            }
        }

        foreach (var compound in wanted)
        {
            compound.PropertyCompanyId = id;
        }

        await RecordAsync(db, audit, company, wanted.Count == 0
            ? $"清空物业服务企业“{company.Name}”服务的院落"
            : $"设置物业服务企业“{company.Name}”服务的院落：{string.Join("、", wanted.Select(c => c.Name))}", ct);
        await db.SaveChangesAsync(ct);
        loggers.CreateLogger(typeof(OrganisationsApi)).LogInformation("User {User} set the compounds of {Code} to {Compounds}", caller.Identity?.Name,
            company.Code, string.Join(',', codes));
        return TypedResults.Ok(await ServedAsync(db, id, ct));
    }

    /// <summary>The kind as the audit trail and messages name it.</summary>
    internal static string KindName(OrganisationKind kind) => kind switch
    {
        OrganisationKind.Department => "部门",
        OrganisationKind.PropertyCompany => "物业服务企业",
        OrganisationKind.OwnersCommittee => "业主委员会",
        OrganisationKind.PublicUnit => "驻街单位",
        _ => "商圈联盟",
    };

    /// <summary>
    /// The register's change in the security audit trail, named (the organisation and the region it serves), sealed in the
    /// same save as the change.
    /// </summary>
    internal static async Task RecordAsync(CivicGridDbContext db, SecurityAudit audit, Organisation organisation, string detail, CancellationToken ct)
    {
        var region = await db.GridNameAsync(organisation.ScopeCode, ct);
        audit.Record(db, SecurityEventKind.OrganisationChanged,
            new SecuritySubject("organisation", organisation.Id.ToString(), organisation.Name, organisation.ScopeCode),
            region is null ? detail : $"{detail}，服务范围：{region}");
    }

    /// <summary>A refused rule: 409 for the retired state, else 422, with the rule's name and its Chinese message.</summary>
    public static ProblemHttpResult Refusal(OrganisationRuleException e, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        var rule = e.Rule;
        var conflict = rule == OrganisationRules.Retired || rule == OrganisationRules.AlreadyRetired || rule == OrganisationRules.NotRetired;
        return Problems.Create(conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity, RuleType,
            "The organisation register does not allow this.", detail ?? e.ChineseMessage, new Dictionary<string, object?> { ["rule"] = rule.Name });
    }

    internal static ProblemHttpResult NotFound() => Problems.NotFound("找不到该组织，或它不服务于您的管辖范围。");

    /// <summary>The parent departments above <paramref name="id"/>, nearest first (stops at a loop already in the data).</summary>
    private static IEnumerable<Guid> Ancestors(Guid id, Dictionary<Guid, Guid?> parents)
    {
        var seen = new HashSet<Guid> { id };
        for (var next = parents.GetValueOrDefault(id); next is { } parent && seen.Add(parent); next = parents.GetValueOrDefault(parent))
        {
            yield return parent;
        }
    }

    private sealed record Placement(ScopeNode? Scope, Organisation? Parent, CompoundPlace? Compound, ProblemHttpResult? Refusal);

    /// <summary>
    /// Finds what a create or an edit points to, refusing what the caller may not use: the scope node (in the tree, inside the
    /// caller's scope, at a level the kind may serve), the parent (a department the caller can see) and the compound (in the
    /// caller's scope); then a name already used in the same scope.
    /// </summary>
    private static async Task<Placement> PlaceAsync(CivicGridDbContext db, ClaimsPrincipal caller, OrganisationKind kind, string name, string scopeCode,
        Guid? parentId, string? compoundCode, Organisation? existing, CancellationToken ct)
    {
        if (!caller.GetScope().Covers(scopeCode))
        {
            return new(null, null, null, Problems.Forbidden("只能在您的管辖范围内登记或调整组织。"));
        }

        var scope = await db.Grids.IgnoreQueryFilters().AsNoTracking().Where(g => g.Code == scopeCode)
            .Select(g => new ScopeNode(g.Code, g.Level, g.Kind)).SingleOrDefaultAsync(ct);
        if (scope is null)
        {
            return new(null, null, null, Problems.Validation("scopeCode", $"网格树中找不到编号为 {scopeCode} 的节点。"));
        }

        if (!OrganisationRules.MayServe(kind, scope.Level, scope.Kind))
        {
            return new(null, null, null, Refusal(new OrganisationRuleException(OrganisationRules.ScopeLevel), OrganisationRules.ServedLevelsInChinese(kind) + "。"));
        }

        Organisation? parent = null;
        if (parentId is { } wantedParent)
        {
            parent = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == wantedParent, ct);
            if (parent is null)
            {
                return new(null, null, null, Problems.Validation("parentId", "找不到所选上级部门，或它不服务于您的管辖范围。"));
            }
        }

        CompoundPlace? compound = null;
        if (!string.IsNullOrWhiteSpace(compoundCode))
        {
            var wantedCode = compoundCode.Trim();
            compound = await db.Compounds.AsNoTracking().Where(c => c.Code == wantedCode)
                .Select(c => new CompoundPlace(c.Id, c.Code, c.GridCode)).SingleOrDefaultAsync(ct);
            if (compound is null)
            {
                return new(null, null, null, Problems.Validation("compoundCode", $"找不到编号为 {wantedCode} 的院落，或它不在您的管辖范围内。"));
            }

            if (kind == OrganisationKind.OwnersCommittee && await db.Organisations.IgnoreQueryFilters().AnyAsync(o => o.CompoundId == compound.Id
                    && o.Kind == OrganisationKind.OwnersCommittee && o.RetiredAt == null && o.Id != (existing == null ? Guid.Empty : existing.Id), ct))
            {
                return new(null, null, null, Problems.Conflict("该院落已有在任的业主委员会；请先停用原业委会。"));
            }
        }

        var cleanName = name.Trim();
        var sameName = await db.Organisations.IgnoreQueryFilters().AsNoTracking()
            .Where(o => o.ScopeCode == scope.Code && o.Name == cleanName && o.Id != (existing == null ? Guid.Empty : existing.Id))
            .Select(o => new { o.RetiredAt }).FirstOrDefaultAsync(ct);
        if (sameName is not null)
        {
            return new(null, null, null, Problems.Conflict(sameName.RetiredAt is null
                ? $"同一范围内已有名为“{cleanName}”的组织。"
                : $"同一范围内已有名为“{cleanName}”的组织（已停用），如需继续使用请恢复它。"));
        }

        return new(scope, parent, compound, null);
    }

    /// <summary>Saves; a unique code or name taken by a concurrent create is a 409.</summary>
    private static async Task<ProblemHttpResult?> SaveAsync(CivicGridDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return Problems.Conflict("组织编码刚刚已被他人使用，请重试。");
        }
    }

    /// <summary>Summaries with the names of the scope nodes, parents and compounds, read in one query each.</summary>
    internal static async Task<List<OrganisationSummary>> SummariseAsync(CivicGridDbContext db, IReadOnlyList<Organisation> rows, CancellationToken ct)
    {
        var scopeCodes = rows.Select(o => o.ScopeCode).Distinct().ToList();
        var scopeNames = await db.Grids.IgnoreQueryFilters().AsNoTracking().Where(g => scopeCodes.Contains(g.Code))
            .ToDictionaryAsync(g => g.Code, g => g.Name, ct);
        var parentIds = rows.Where(o => o.ParentId != null).Select(o => o.ParentId!.Value).Distinct().ToList();
        var parentNames = await db.Organisations.IgnoreQueryFilters().AsNoTracking().Where(o => parentIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var compoundIds = rows.Where(o => o.CompoundId != null).Select(o => o.CompoundId!.Value).Distinct().ToList();
        var compounds = await db.Compounds.IgnoreQueryFilters().AsNoTracking().Where(c => compoundIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => new { c.Code, c.Name }, ct);
        var companyIds = rows.Where(o => o.Kind == OrganisationKind.PropertyCompany).Select(o => o.Id).ToList();
        var served = await db.Compounds.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.PropertyCompanyId != null && companyIds.Contains(c.PropertyCompanyId.Value))
            .GroupBy(c => c.PropertyCompanyId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return
        [
            .. rows.Select(o =>
            {
                var compound = o.CompoundId is { } compoundId ? compounds.GetValueOrDefault(compoundId) : null;
                return new OrganisationSummary(o.Id, o.Code, o.Name, o.Kind, o.ScopeCode, scopeNames.GetValueOrDefault(o.ScopeCode),
                    o.ParentId, o.ParentId is { } parentId ? parentNames.GetValueOrDefault(parentId) : null, o.ContactPhone, o.IsRedProperty,
                    compound?.Code, compound?.Name, served.GetValueOrDefault(o.Id), o.IsActive, o.RetiredAt);
            }),
        ];
    }
}
