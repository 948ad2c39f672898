using System.Security.Claims;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.GridAffairs;

public sealed record ProjectGrid(string Code, string Name);

public sealed record ProjectPartner(Guid Id, string Name, ResourceKind Kind);

/// <summary>A need a project met.</summary>
public sealed record ProjectNeed(Guid Id, ServiceKind Kind, string Description, string Requester, string GridName, DateTimeOffset? MetAt);

/// <summary>One task of a project and every claim of it (in force or not), each with its fulfilments.</summary>
/// <param name="On">The Beijing day the task is done.</param>
/// <param name="PeopleWanted">How many people it needs.</param>
public sealed record ProjectTaskResponse(Guid Id, string Name, DateOnly On, int PeopleWanted, IReadOnlyList<ClaimResponse> Claims);

/// <summary>A project with its grids, partners, the needs it met, its figures, its photos (<c>/api/projects/{id}/photos/{photoId}</c>) and,
/// in the detail, its tasks with their claims.</summary>
/// <param name="Claims">Every claim of the project's tasks (the detail only).</param>
/// <param name="Tasks">The project's tasks by day (the detail only).</param>
public sealed record ProjectResponse(Guid Id, string Name, ProjectKind Kind, string Goal, ProjectStatus Status, IReadOnlyList<ProjectGrid> Grids,
    IReadOnlyList<ProjectPartner> Partners, DateOnly StartOn, DateOnly? EndOn, int Participants, int Beneficiaries, int NeedsMetCount,
    IReadOnlyList<ProjectNeed> NeedsMet, IReadOnlyList<Guid> PhotoIds, IReadOnlyList<ClaimResponse> Claims, DateTimeOffset CreatedAt,
    IReadOnlyList<ProjectTaskResponse> Tasks);

/// <param name="On">The Beijing day of the task, within the project's dates.</param>
/// <param name="PeopleWanted">How many people it needs (1–1000).</param>
public sealed record AddProjectTaskRequest(string? Name, DateOnly? On, int? PeopleWanted);

/// <param name="GridCodes">The grids it is planted in, all in the caller's scope.</param>
/// <param name="PartnerIds">Resources taking part.</param>
public sealed record CreateProjectRequest(string? Name, ProjectKind? Kind, string? Goal, IReadOnlyList<string>? GridCodes, IReadOnlyList<Guid>? PartnerIds,
    DateOnly? StartOn, DateOnly? EndOn);

/// <param name="On">The day (today when left out).</param>
public sealed record ProjectStepRequest(DateOnly? On, int? Participants, int? Beneficiaries);

/// <summary>The projects list (项目清单): public-interest and governance projects planted in grids.</summary>
public static class ProjectsApi
{
    public static IEndpointRouteBuilder MapProjectsApi(this IEndpointRouteBuilder routes)
    {
        var projects = routes.MapGroup("/api/projects").WithTags("Grid affairs").RequireAuthorization(p => p.RequireRole(GridAffairsRules.Readers));
        projects.MapGet("/", List).WithName("ListProjects").WithSummary("Projects planted in the caller's scope (or above it), filtered by status, kind and grid.");
        projects.MapGet("/export.xlsx", Export).WithName("ExportProjects").WithSecurityEvent(SecurityEventKind.Exported, "projects", "导出项目清单")
            .WithSummary("The list's selection as Excel.");
        projects.MapGet("/{id:guid}", Get).WithName("GetProject").WithSummary("One project with its grids, partners, needs met, figures, photos and task claims.");
        projects.MapPost("/", Create).RequireAuthorization(p => p.RequireRole(GridAffairsRules.Keepers)).WithIdempotency().WithName("CreateProject")
            .WithSummary("Plant a project in grids of the caller's scope.");
        projects.MapPost("/{id:guid}/start", Start).RequireAuthorization(p => p.RequireRole(GridAffairsRules.Keepers)).WithName("StartProject")
            .WithSummary("A planned project starts.");
        projects.MapPost("/{id:guid}/figures", Figures).RequireAuthorization(p => p.RequireRole(GridAffairsRules.Keepers)).WithName("CountProject")
            .WithSummary("Record the running totals of participants and beneficiaries.");
        projects.MapPost("/{id:guid}/complete", Complete).RequireAuthorization(p => p.RequireRole(GridAffairsRules.Keepers)).WithName("CompleteProject")
            .WithSummary("A running project ends, with its final figures.");
        projects.MapPost("/{id:guid}/cancel", Cancel).RequireAuthorization(p => p.RequireRole(GridAffairsRules.Keepers)).WithName("CancelProject")
            .WithSummary("A planned or running project is cancelled.");
        projects.MapPost("/{id:guid}/photos", AddPhoto).RequireAuthorization(p => p.RequireRole(GridAffairsRules.Keepers)).DisableAntiforgery()
            .WithName("AddProjectPhoto").WithSummary("Add a photo (multipart `photo`); served without metadata.");
        projects.MapPost("/{id:guid}/tasks", AddTask).RequireAuthorization(p => p.RequireRole(GridAffairsRules.Keepers)).WithIdempotency().WithName("AddProjectTask")
            .WithSummary("Add a task to a planned or running project (name, day, people wanted) for a party member or a unit to claim.");
        projects.MapGet("/{id:guid}/photos/{photoId:guid}", Photo).WithName("GetProjectPhoto").WithSummary("One of the project's photos (JPEG).");
        return routes;
    }

    private static (IQueryable<Project>? Query, ProblemHttpResult? Problem) Filter(CivicGridDbContext db, string? status, string? kind, string? gridCode)
    {
        var errors = new Dictionary<string, string[]>();
        var s = GridAffairsRules.Filter<ProjectStatus>(status, "status", "状态", errors);
        var k = GridAffairsRules.Filter<ProjectKind>(kind, "kind", "项目类别", errors);
        if (errors.Count > 0)
        {
            return (null, Problems.Validation(errors));
        }

        var query = db.GridProjects.AsNoTracking();
        query = s is { } sv ? query.Where(p => p.Status == sv) : query;
        query = k is { } kv ? query.Where(p => p.Kind == kv) : query;
        if (!string.IsNullOrWhiteSpace(gridCode))
        {
            var code = gridCode.Trim();
            query = query.Where(p => p.ScopeCode.StartsWith(code) || code.StartsWith(p.ScopeCode));
        }

        return (query, null);
    }

    public static async Task<Results<Ok<List<ProjectResponse>>, ProblemHttpResult>> List([ApiEnum(typeof(ProjectStatus))] string? status,
        [ApiEnum(typeof(ProjectKind))] string? kind, string? gridCode, CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var (query, problem) = Filter(db, status, kind, gridCode);
        if (query is null)
        {
            return problem!;
        }

        var projects = await query.OrderByDescending(p => p.StartOn).Take(GridAffairsRules.MaxExportRows).ToListAsync(ct);
        return TypedResults.Ok(await DescribeAsync(projects, db, await geography.GetAsync(ct), detail: false, ct));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export([ApiEnum(typeof(ProjectStatus))] string? status,
        [ApiEnum(typeof(ProjectKind))] string? kind, string? gridCode, CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var (query, problem) = Filter(db, status, kind, gridCode);
        if (query is null)
        {
            return problem!;
        }

        var projects = await query.OrderByDescending(p => p.StartOn).Take(GridAffairsRules.MaxExportRows).ToListAsync(ct);
        var rows = await DescribeAsync(projects, db, await geography.GetAsync(ct), detail: false, ct);
        return await GridAffairsRules.ExcelAsync(rows.Select(p => new Dictionary<string, object?>
        {
            ["项目名称"] = p.Name,
            ["类别"] = p.Kind == ProjectKind.PublicService ? "公益服务" : "治理项目",
            ["目标"] = p.Goal,
            ["植入网格"] = string.Join("、", p.Grids.Select(g => g.Name)),
            ["合作方"] = string.Join("、", p.Partners.Select(x => x.Name)),
            ["开始日期"] = p.StartOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["结束日期"] = p.EndOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["状态"] = StatusChinese(p.Status),
            ["满足需求数"] = p.NeedsMetCount,
            ["参与人数"] = p.Participants,
            ["受益人数"] = p.Beneficiaries,
        }), "项目清单", time, ct);
    }

    public static string StatusChinese(ProjectStatus status) => status switch
    {
        ProjectStatus.Planned => "筹备中",
        ProjectStatus.Running => "实施中",
        ProjectStatus.Completed => "已完成",
        _ => "已取消",
    };

    public static async Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> Get(Guid id, CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var project = await db.GridProjects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        return project is null ? NotFound() : TypedResults.Ok((await DescribeAsync([project], db, await geography.GetAsync(ct), detail: true, ct))[0]);
    }

    public static async Task<Results<Created<ProjectResponse>, ProblemHttpResult>> Create(CreateProjectRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Kind is null)
        {
            errors["kind"] = ["请选择项目类别：公益服务或治理项目。"];
        }

        var snapshot = await geography.GetAsync(ct);
        var grids = (request.GridCodes ?? []).Select(g => g?.Trim() ?? string.Empty).ToList();
        if (grids.Any(g => !snapshot.Grids.ContainsKey(g)))
        {
            errors["gridCodes"] = ["请从网格树中选择植入的网格。"];
        }

        var partners = (request.PartnerIds ?? []).Distinct().ToList();
        if (partners.Count > 0 && await db.GridResources.CountAsync(r => partners.Contains(r.Id), ct) != partners.Count)
        {
            errors["partnerIds"] = ["合作方须从资源清单中选择。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (grids.Any(g => !caller.GetScope().Covers(g)))
        {
            return Problems.Forbidden("只能在您管辖范围内的网格植入项目。");
        }

        try
        {
            var project = new Project(request.Name ?? string.Empty, request.Kind!.Value, request.Goal ?? string.Empty, grids, partners,
                request.StartOn ?? GridAffairsRules.Today(time), request.EndOn, caller.GetUserId(), time.GetUtcNow());
            db.GridProjects.Add(project);
            await db.SaveChangesAsync(ct);
            return TypedResults.Created($"/api/projects/{project.Id}", (await DescribeAsync([project], db, snapshot, detail: true, ct))[0]);
        }
        catch (CommunityRuleException e)
        {
            return GridAffairsRules.Broken(e);
        }
    }

    public static Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> Start(Guid id, ProjectStepRequest request, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(id, caller, db, geography, p => p.Start(request.On ?? GridAffairsRules.Today(time)), ct);

    public static Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> Figures(Guid id, ProjectStepRequest request, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, CancellationToken ct) =>
        ChangeAsync(id, caller, db, geography, p => p.Count(request.Participants ?? p.Participants, request.Beneficiaries ?? p.Beneficiaries), ct);

    public static Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> Complete(Guid id, ProjectStepRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(id, caller, db, geography, p => p.Complete(request.On ?? GridAffairsRules.Today(time), request.Participants ?? p.Participants,
            request.Beneficiaries ?? p.Beneficiaries), ct);

    public static Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> Cancel(Guid id, ProjectStepRequest request, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(id, caller, db, geography, p => p.Cancel(request.On ?? GridAffairsRules.Today(time)), ct);

    public static async Task<Results<Created<ProjectResponse>, ProblemHttpResult>> AddTask(Guid id, AddProjectTaskRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors["name"] = ["请填写任务名称，例如“清扫楼道”。"];
        }

        if (request.On is null)
        {
            errors["on"] = ["请选择任务日期。"];
        }

        if (request.PeopleWanted is null)
        {
            errors["peopleWanted"] = ["请填写需要的人数。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var project = await db.GridProjects.SingleOrDefaultAsync(p => p.Id == id, ct);
        if (project is null)
        {
            return NotFound();
        }

        if (!caller.GetScope().Covers(project.ScopeCode))
        {
            return Problems.Forbidden("该项目由上级植入，只能由上级添加任务。");
        }

        try
        {
            db.ProjectTasks.Add(new ProjectTask(project, request.Name!, request.On!.Value, request.PeopleWanted!.Value, time.GetUtcNow()));
        }
        catch (CommunityRuleException e)
        {
            return GridAffairsRules.Broken(e);
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/projects/{project.Id}", (await DescribeAsync([project], db, await geography.GetAsync(ct), detail: true, ct))[0]);
    }

    public static async Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> AddPhoto(Guid id, IFormFile? photo, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, PhotoProcessor processor, PhotoStore store, CancellationToken ct)
    {
        if (photo is null || photo.Length == 0)
        {
            return Problems.Validation("photo", "请上传一张项目照片（JPEG、PNG 或 WebP）。");
        }

        ProcessedPhoto processed;
        try
        {
            await using var content = photo.OpenReadStream();
            processed = await processor.ProcessAsync(content, photo.FileName, ct);
        }
        catch (PhotoRejectedException e)
        {
            return Problems.Validation("photo", e.ChineseMessage);
        }

        var project = await db.GridProjects.SingleOrDefaultAsync(p => p.Id == id, ct);
        if (project is null || !caller.GetScope().Covers(project.ScopeCode))
        {
            return NotFound();
        }

        await store.SaveAsync(processed, ct);
        project.AddPhoto(processed.Id);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await DescribeAsync([project], db, await geography.GetAsync(ct), detail: true, ct))[0]);
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Photo(Guid id, Guid photoId, CivicGridDbContext db, PhotoStore store,
        CancellationToken ct)
    {
        var project = await db.GridProjects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        return project is not null && project.PhotoIds.Contains(photoId) && await store.OpenServedAsync(photoId) is { } stream
            ? TypedResults.Stream(stream, PhotoProcessor.ServedContentType)
            : Problems.NotFound("找不到这张照片。");
    }

    private static async Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> ChangeAsync(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, Action<Project> change, CancellationToken ct)
    {
        var project = await db.GridProjects.SingleOrDefaultAsync(p => p.Id == id, ct);
        if (project is null)
        {
            return NotFound();
        }

        if (!caller.GetScope().Covers(project.ScopeCode))
        {
            return Problems.Forbidden("该项目由上级植入，只能由上级更改。");
        }

        try
        {
            change(project);
        }
        catch (CommunityRuleException e)
        {
            return GridAffairsRules.Broken(e);
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await DescribeAsync([project], db, await geography.GetAsync(ct), detail: true, ct))[0]);
    }

    internal static async Task<List<ProjectResponse>> DescribeAsync(IReadOnlyList<Project> projects, CivicGridDbContext db, GeographySnapshot snapshot,
        bool detail, CancellationToken ct)
    {
        var partnerIds = projects.SelectMany(p => p.PartnerIds).Distinct().ToList();
        var partners = partnerIds.Count == 0 ? []
            : await db.GridResources.IgnoreQueryFilters().Where(r => partnerIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => new ProjectPartner(r.Id, r.Name, r.Kind), ct);
        var ids = projects.Select(p => (Guid?)p.Id).ToList();
        // Counted across scopes (a subdistrict's project met needs in every community); listed only where the caller sees them.
        var counts = await db.Needs.IgnoreQueryFilters().Where(n => ids.Contains(n.ProjectId)).GroupBy(n => n.ProjectId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key!.Value, g => g.Count, ct);
        var needs = detail ? await db.Needs.AsNoTracking().Where(n => ids.Contains(n.ProjectId)).ToListAsync(ct) : [];
        var byProject = needs.GroupBy(n => n.ProjectId!.Value).ToDictionary(g => g.Key, g => g.ToList());
        var claims = new Dictionary<string, List<ClaimResponse>>();
        var tasks = new Dictionary<Guid, List<ProjectTask>>();
        if (detail)
        {
            var projectIds = projects.Select(p => p.Id).ToList();
            tasks = (await db.ProjectTasks.AsNoTracking().Where(t => projectIds.Contains(t.ProjectId)).OrderBy(t => t.On).ThenBy(t => t.CreatedAt).ToListAsync(ct))
                .GroupBy(t => t.ProjectId).ToDictionary(g => g.Key, g => g.ToList());
            var references = tasks.Values.SelectMany(t => t).Select(t => t.Id.ToString()).ToList();
            claims = (await db.Claims.AsNoTracking().Where(c => c.Target == ClaimTarget.ProjectTask && references.Contains(c.Reference)).ToListAsync(ct))
                .GroupBy(c => c.Reference).ToDictionary(g => g.Key, g => g.OrderBy(c => c.StartOn).Select(c => ClaimsApi.Describe(c, snapshot)).ToList());
        }

        return [.. projects.Select(p =>
        {
            var met = byProject.GetValueOrDefault(p.Id) ?? [];
            var mine = tasks.GetValueOrDefault(p.Id) ?? [];
            return new ProjectResponse(p.Id, p.Name, p.Kind, p.Goal, p.Status, [.. p.GridCodes.Select(g => new ProjectGrid(g, GridAffairsRules.GridName(snapshot, g)))],
                [.. p.PartnerIds.Select(partners.GetValueOrDefault).OfType<ProjectPartner>()], p.StartOn, p.EndOn, p.Participants, p.Beneficiaries, counts.GetValueOrDefault(p.Id),
                detail ? [.. met.OrderByDescending(n => n.MetAt).Select(n => new ProjectNeed(n.Id, n.Kind, n.Description, n.Requester,
                    GridAffairsRules.GridName(snapshot, n.GridCode), n.MetAt))] : [],
                p.PhotoIds, [.. mine.SelectMany(t => claims.GetValueOrDefault(t.Id.ToString()) ?? [])], p.CreatedAt,
                [.. mine.Select(t => new ProjectTaskResponse(t.Id, t.Name, t.On, t.PeopleWanted, claims.GetValueOrDefault(t.Id.ToString()) ?? []))]);
        })];
    }

    private static ProblemHttpResult NotFound() => Problems.NotFound("找不到这个项目，或它不在您的管辖范围内。");
}
