using System.Globalization;
using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.FieldWork;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.GridAffairs;
using CivicGrid.Server.Features.Households;
using CivicGrid.Server.Features.Organisations;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.FieldWork;

/// <summary>
/// Field-work figures (网格工作量) for a period, per grid of a level and per person, inside the caller's scope: patrol days and
/// the step goal, distance and time walked, coverage of micro-grids, door-knocks and the sunk liaisons' weekly minimum, needs
/// raised and met by source, projects, claims kept or lapsed, courtyard councils and their follow-ups. This is what the
/// five-star assessment reads. Every source is read once for the whole period and scope and summed in memory.
/// </summary>
/// <remarks>
/// Dedicated grids (专属网格) are not rows: patrol time and distance are placed on the territorial tiling, so a walk through a
/// school or a market counts for the territorial grid underneath it; a record kept on a dedicated grid itself (a need, a
/// claim, a liaison's attachment) counts in no 2nd-level, 3rd-level or micro row (see <see cref="GridRollUp"/>).
/// Readers are the supervisors of patrols (grid leaders, community staff, the operations centre, the district); grid workers
/// and volunteers read their own day on the phone and are refused here.
/// </remarks>
public static class FieldWorkApi
{
    /// <summary>Who sees workers' names in the figures; the district reads them masked. Exports are always masked.</summary>
    private static readonly Role[] NameReaders = [Role.GridLeader, Role.CommunityStaff, Role.SubdistrictOperator];

    private static readonly Role[] FieldRoles = [Role.DepartmentLiaison, Role.GridLeader, Role.GridWorker, Role.MicroGridWorker];

    public static IEndpointRouteBuilder MapFieldWorkApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/field-work/figures").WithTags("Field work").RequireAuthorization(Policies.CaseContent)
            .RequireAuthorization(p => p.RequireRole(PatrolsApi.Supervisors));
        group.MapGet("/grids", Grids).WithName("GetFieldWorkGridFigures")
            .WithSummary("Per grid of a level (grid-2, grid-3, micro) in the caller's scope: patrols, steps, coverage, door-knocks, needs, projects, claims, councils for a period.");
        group.MapGet("/grids/export.xlsx", ExportGrids).WithName("ExportFieldWorkGridFigures")
            .WithSecurityEvent(SecurityEventKind.Exported, "field-work", "导出网格工作量统计")
            .WithSummary("The per-grid figures as an Excel workbook.");
        group.MapGet("/people", People).WithName("GetFieldWorkPeopleFigures")
            .WithSummary("Per person (grid workers, leaders, volunteers, sunk liaisons) in the caller's scope and the claimers: their field work for a period.");
        group.MapGet("/people/export.xlsx", ExportPeople).WithName("ExportFieldWorkPeopleFigures")
            .WithSecurityEvent(SecurityEventKind.Exported, "field-work", "导出人员工作量统计")
            .WithSummary("The per-person figures as an Excel workbook (names masked).");
        return routes;
    }

    /// <param name="period">A month 2026-11, a quarter 2026-Q4 or a year 2026; or give from/to.</param>
    /// <param name="from">First Beijing date (default the first of this month).</param>
    /// <param name="to">Last Beijing date, inclusive (default today); a period is at most 366 days.</param>
    /// <param name="level">grid-2, grid-3 (default) or micro.</param>
    /// <param name="grid">Only the rows under this grid (in the caller's scope).</param>
    public static async Task<Results<Ok<FieldWorkGridsResponse>, ProblemHttpResult>> Grids(string? period, DateOnly? from, DateOnly? to,
        [ApiValues(typeof(GridRollUp), nameof(GridRollUp.LevelNames))] string? level, string? grid, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, IOptions<PatrolRules> rules, IOptions<HouseholdsOptions> visits, TimeProvider time, CancellationToken ct)
    {
        var (figures, problem) = await GridFiguresAsync(period, from, to, level, grid, caller, db, geography, rules.Value, visits.Value, time, ct);
        return figures is null ? problem! : TypedResults.Ok(figures);
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportGrids(string? period, DateOnly? from, DateOnly? to,
        [ApiValues(typeof(GridRollUp), nameof(GridRollUp.LevelNames))] string? level, string? grid, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, IOptions<PatrolRules> rules, IOptions<HouseholdsOptions> visits, TimeProvider time, CancellationToken ct)
    {
        var (figures, problem) = await GridFiguresAsync(period, from, to, level, grid, caller, db, geography, rules.Value, visits.Value, time, ct);
        if (figures is null)
        {
            return problem!;
        }

        return await GridAffairsRules.ExcelAsync(figures.Grids.Select(g => new Dictionary<string, object?>
        {
            ["网格编码"] = g.Code,
            ["网格"] = g.Name,
            ["巡查人日"] = g.WorkerDays,
            ["步数达标人日"] = g.GoalDays,
            ["步数"] = g.Steps,
            ["步行距离（米）"] = g.WalkedMeters,
            ["巡查时长（分钟）"] = Math.Round(g.WalkedSeconds / 60, 1),
            ["微网格数"] = g.MicroGrids,
            ["已走微网格"] = g.MicroGridsWalked,
            ["覆盖率"] = g.CoverageShare,
            ["敲门次数"] = g.DoorKnocks.Total,
            ["入户"] = g.DoorKnocks.Visited,
            ["无人在家"] = g.DoorKnocks.NobodyHome,
            ["拒访"] = g.DoorKnocks.Refused,
            ["下沉人员周数"] = g.LiaisonWeeks,
            ["敲门达标周数"] = g.LiaisonWeeksMet,
            ["新增需求"] = g.NeedsRaised,
            ["满足需求"] = g.NeedsMet,
            ["在办项目"] = g.ProjectsActive,
            ["完成项目"] = g.ProjectsDelivered,
            ["受益人数"] = g.ProjectBeneficiaries,
            ["认领"] = g.ClaimsActive,
            ["履约认领"] = g.ClaimsKept,
            ["未履约认领"] = g.ClaimsLapsed,
            ["楼院议事会"] = g.CouncilsHeld,
            ["转需求"] = g.FollowUpsToNeeds,
            ["转案件"] = g.FollowUpsToCases,
        }), $"网格工作量-{figures.From:yyyyMMdd}-{figures.To:yyyyMMdd}", time, ct);
    }

    /// <param name="period">A month 2026-11, a quarter 2026-Q4 or a year 2026; or give from/to.</param>
    /// <param name="from">First Beijing date (default the first of this month).</param>
    /// <param name="to">Last Beijing date, inclusive (default today); a period is at most 366 days.</param>
    /// <param name="grid">Only the people whose home grid (or a liaison's grid) lies under this grid.</param>
    public static async Task<Results<Ok<FieldWorkPeopleResponse>, ProblemHttpResult>> People(string? period, DateOnly? from, DateOnly? to, string? grid,
        ClaimsPrincipal caller, CivicGridDbContext db, GeographyIndex geography, IOptions<PatrolRules> rules, IOptions<HouseholdsOptions> visits,
        TimeProvider time, CancellationToken ct)
    {
        var masked = !NameReaders.Any(caller.GetRoles().Contains);
        var (figures, problem) = await PeopleFiguresAsync(period, from, to, grid, masked, caller, db, geography, rules.Value, visits.Value, time, ct);
        return figures is null ? problem! : TypedResults.Ok(figures);
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportPeople(string? period, DateOnly? from, DateOnly? to, string? grid,
        ClaimsPrincipal caller, CivicGridDbContext db, GeographyIndex geography, IOptions<PatrolRules> rules, IOptions<HouseholdsOptions> visits,
        TimeProvider time, CancellationToken ct)
    {
        var (figures, problem) = await PeopleFiguresAsync(period, from, to, grid, true, caller, db, geography, rules.Value, visits.Value, time, ct);
        if (figures is null)
        {
            return problem!;
        }

        var snapshot = await geography.GetAsync(ct);
        return await GridAffairsRules.ExcelAsync(figures.People.Select(p => new Dictionary<string, object?>
        {
            ["姓名"] = p.Name,
            ["身份"] = Roles.TryParseClaimValue(p.Kind, out var role) ? role.ToChinese() : p.Kind,
            ["所属网格"] = GridAffairsRules.GridName(snapshot, p.GridCode),
            ["巡查天数"] = p.PatrolDays,
            ["步数达标天数"] = p.GoalDays,
            ["步数"] = p.Steps,
            ["步行距离（米）"] = p.WalkedMeters,
            ["走过网格数"] = p.GridsWalked,
            ["敲门次数"] = p.DoorKnocks.Total,
            ["有效敲门"] = p.DoorKnocks.Counted,
            ["敲门达标周数"] = p.WeeksMet is { } met ? $"{met}/{p.Weeks}" : string.Empty,
            ["记录需求"] = p.NeedsRecorded,
            ["其中已满足"] = p.NeedsMet,
            ["记录议事会"] = p.CouncilsRecorded,
        }), $"人员工作量-{figures.From:yyyyMMdd}-{figures.To:yyyyMMdd}", time, ct);
    }

    private static async Task<(FieldWorkGridsResponse? Figures, ProblemHttpResult? Problem)> GridFiguresAsync(string? period, DateOnly? from, DateOnly? to,
        string? level, string? grid, ClaimsPrincipal caller, CivicGridDbContext db, GeographyIndex geography, PatrolRules rules, HouseholdsOptions visits,
        TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var read = ReportingPeriod.Read(period, from, to, GridAffairsRules.Today(time), errors);
        var gridLevel = GridLevel.Third;
        if (!string.IsNullOrWhiteSpace(level) && !GridRollUp.TryReadLevel(level.Trim(), out gridLevel))
        {
            errors["level"] = ["统计层级须为 grid-2（二级网格）、grid-3（三级网格）或 micro（微网格）。"];
        }

        var snapshot = await geography.GetAsync(ct);
        var (under, refused) = Under(grid, caller, snapshot, errors);
        if (errors.Count > 0)
        {
            return (null, Problems.Validation(errors));
        }

        if (refused is not null)
        {
            return (null, refused);
        }

        var grids = await db.Grids.AsNoTracking().Where(g => g.Kind == GridKind.Territorial && (g.Level == gridLevel || g.Level == GridLevel.Micro))
            .Where(g => g.Code.StartsWith(under)).OrderBy(g => g.Code).Select(g => new { g.Code, g.Name, g.Level }).ToListAsync(ct);
        var sources = await FieldWorkSources.LoadAsync(db, geography, rules, read!, ct);
        var rows = FieldWorkFigures.ByGrid(sources, [.. grids.Where(g => g.Level == gridLevel).Select(g => (g.Code, g.Name))], gridLevel,
            [.. grids.Where(g => g.Level == GridLevel.Micro).Select(g => g.Code)], rules, visits.WeeklyVisitMinimum);
        return (new FieldWorkGridsResponse(read!.From, read.To, gridLevel.ToApiName(), rules.DailyStepGoal, visits.WeeklyVisitMinimum, rows), null);
    }

    private static async Task<(FieldWorkPeopleResponse? Figures, ProblemHttpResult? Problem)> PeopleFiguresAsync(string? period, DateOnly? from,
        DateOnly? to, string? grid, bool masked, ClaimsPrincipal caller, CivicGridDbContext db, GeographyIndex geography, PatrolRules rules,
        HouseholdsOptions visits, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var read = ReportingPeriod.Read(period, from, to, GridAffairsRules.Today(time), errors);
        var (under, refused) = Under(grid, caller, await geography.GetAsync(ct), errors);
        if (errors.Count > 0)
        {
            return (null, Problems.Validation(errors));
        }

        if (refused is not null)
        {
            return (null, refused);
        }

        var sources = await FieldWorkSources.LoadAsync(db, geography, rules, read!, ct);
        var people = await PeopleAsync(db, sources, under, ct);
        var rows = FieldWorkFigures.ByPerson(sources, people, rules, visits.WeeklyVisitMinimum, n => masked ? Masking.PersonName(n) ?? string.Empty : n)
            .OrderBy(p => p.GridCode, StringComparer.Ordinal).ThenBy(p => p.Kind, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
        return (new FieldWorkPeopleResponse(read!.From, read.To, string.IsNullOrEmpty(grid) ? null : under, rules.DailyStepGoal, visits.WeeklyVisitMinimum,
            masked, rows, FieldWorkFigures.ByClaimer(sources)), null);
    }

    /// <summary>
    /// The people of the caller's scope (under <paramref name="under"/>) who do field work: accounts with a field role whose
    /// scope lies there, and the liaisons sunk into its grids during the period (their accounts sit with their department).
    /// </summary>
    private static async Task<List<FieldPerson>> PeopleAsync(CivicGridDbContext db, FieldWorkSources sources, string under, CancellationToken ct)
    {
        var liaisonGrids = sources.Liaisons.Where(l => l.GridCode.StartsWith(under, StringComparison.Ordinal))
            .GroupBy(l => l.UserId).ToDictionary(g => g.Key, g => g.Select(l => l.GridCode).Order(StringComparer.Ordinal).First());
        var ids = liaisonGrids.Keys.ToList();
        var accounts = await db.Users.AsNoTracking().Where(u => u.ScopeCode.StartsWith(under))
            .Select(u => new { u.Id, u.DisplayName, u.Roles, u.ScopeCode, u.IsActive }).ToListAsync(ct);
        var liaisons = ids.Count == 0 ? [] : await db.Users.AsNoTracking().IgnoreQueryFilters().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, u.Roles, u.ScopeCode, u.IsActive }).ToListAsync(ct);
        var active = sources.PatrolDays.Select(d => d.WorkerId).Concat(sources.Knocks.Select(k => k.VisitorId)).ToHashSet();
        return [.. accounts.Concat(liaisons).DistinctBy(u => u.Id)
            .Where(u => liaisonGrids.ContainsKey(u.Id) || (u.Roles.Any(FieldRoles.Contains) && (u.IsActive || active.Contains(u.Id))))
            .Select(u => liaisonGrids.TryGetValue(u.Id, out var liaisonGrid)
                ? new FieldPerson(u.Id, u.DisplayName, Role.DepartmentLiaison.ToClaimValue(), liaisonGrid, true)
                : new FieldPerson(u.Id, u.DisplayName, FieldRoles.First(u.Roles.Contains).ToClaimValue(), u.ScopeCode, false))];
    }

    /// <summary>The code rows are limited to: the asked grid (known and in scope) or the caller's whole scope.</summary>
    private static (string Under, ProblemHttpResult? Refused) Under(string? grid, ClaimsPrincipal caller, GeographySnapshot snapshot,
        Dictionary<string, string[]> errors)
    {
        var scope = caller.GetScope();
        if (string.IsNullOrWhiteSpace(grid))
        {
            return (scope.Code, null);
        }

        var code = grid.Trim();
        if (!snapshot.Grids.ContainsKey(code))
        {
            errors["grid"] = ["找不到这个网格，请从网格树中选择。"];
            return (scope.Code, null);
        }

        return scope.Covers(code) ? (code, null) : (scope.Code, Problems.Forbidden("该网格不在您的管辖范围内。"));
    }
}
