using CivicGrid.Server.Features.Audit;
using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Calendar;
using CivicGrid.Domain.Organisations;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Organisations;

/// <summary>A department's liaison (下沉人员) and the third-level grids they were sunk into, history included.</summary>
/// <param name="ScopeCode">The account's scope (the cases they see).</param>
/// <param name="IsActive">False for a deactivated account.</param>
public sealed record LiaisonSummary(Guid UserId, string DisplayName, string ScopeCode, bool IsActive, IReadOnlyList<LiaisonGrid> Grids);

/// <summary>One attachment of a liaison to a grid.</summary>
/// <param name="StartsOn">First day (Beijing date).</param>
/// <param name="EndsOn">Last day; null while it lasts.</param>
/// <param name="Current">In force today.</param>
public sealed record LiaisonGrid(string GridCode, string? GridName, DateOnly StartsOn, DateOnly? EndsOn, bool Current);

/// <param name="GridCodes">Every third-level (or dedicated) grid the liaison serves from <paramref name="From"/>: attachments to grids
/// not listed end the day before, new grids start that day. Grids outside the caller's scope are left as they are.</param>
/// <param name="From">Beijing date the change takes effect; today when absent.</param>
public sealed record SetLiaisonGridsRequest(IReadOnlyList<string>? GridCodes, DateOnly? From);

/// <summary>
/// 条块下网: department liaisons sunk into third-level grids, with start and end dates. Staff who see a department read its
/// liaisons; the system admin and a community's staff set the grids of their scope. A case dispatched to the department reaches
/// every active liaison of it as before (the notification, "mine", the workflow's liaison rule); the attachments say where
/// each one serves.
/// </summary>
public static class LiaisonsApi
{
    private static readonly string[] Setters = [Role.SystemAdmin.ToClaimValue(), Role.CommunityStaff.ToClaimValue()];

    public static void MapLiaisonsApi(this RouteGroupBuilder organisations)
    {
        organisations.MapGet("/{id:guid}/liaisons", List).WithName("ListDepartmentLiaisons")
            .WithSummary("A department's liaisons and the third-level grids they are sunk into, with dates (history kept).");
        organisations.MapPut("/{id:guid}/liaisons/{userId:guid}/grids", SetGrids).WithSecurityEvent(SecurityEventKind.OrganisationChanged, "organisation", "设置下沉人员的网格").RequireAuthorization(p => p.RequireRole(Setters))
            .WithName("SetLiaisonGrids")
            .WithSummary("Set the third-level grids a liaison is sunk into from a date (system admin; community staff for their community's grids).");
    }

    public static async Task<Results<Ok<List<LiaisonSummary>>, ProblemHttpResult>> List(Guid id, CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        var department = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (department is null)
        {
            return OrganisationsApi.NotFound();
        }

        // A department serving the caller's region shows its liaisons, wherever their accounts are scoped (names only).
        var liaisons = await db.Users.IgnoreQueryFilters().AsNoTracking()
            .Where(u => u.OrganisationId == id && u.Roles.Contains(Role.DepartmentLiaison)).OrderBy(u => u.DisplayName).ToListAsync(ct);
        return TypedResults.Ok(await SummariseAsync(db, id, liaisons, Today(time), ct));
    }

    public static async Task<Results<Ok<LiaisonSummary>, ProblemHttpResult>> SetGrids(Guid id, Guid userId, SetLiaisonGridsRequest request,
        ClaimsPrincipal caller, CivicGridDbContext db, SecurityAudit audit, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var department = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (department is null)
        {
            return OrganisationsApi.NotFound();
        }

        var liaison = await db.Users.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (liaison is null)
        {
            return Problems.NotFound("找不到该人员。");
        }

        try
        {
            LiaisonAttachment.EnsureMayServe(liaison, department);
        }
        catch (OrganisationRuleException e)
        {
            return OrganisationsApi.Refusal(e);
        }

        var codes = (request.GridCodes ?? []).Select(c => c.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var grids = await db.Grids.IgnoreQueryFilters().AsNoTracking().Where(g => codes.Contains(g.Code))
            .Select(g => new ScopeNode(g.Code, g.Level, g.Kind)).ToDictionaryAsync(g => g.Code, ct);
        var unknown = codes.Where(c => !grids.ContainsKey(c)).ToList();
        if (unknown.Count > 0)
        {
            return Problems.Validation("gridCodes", $"网格树中找不到这些网格：{string.Join("、", unknown)}。");
        }

        var scope = caller.GetScope();
        var now = time.GetUtcNow();
        var from = request.From ?? Today(time);
        var current = await db.LiaisonAttachments.IgnoreQueryFilters().Where(a => a.UserId == userId && a.DepartmentId == id).ToListAsync(ct);
        var (toEnd, toStart) = LiaisonAttachment.Plan(current, codes, from, scope.Covers);
        if (toStart.FirstOrDefault(code => !scope.Covers(code)) is { } outside)
        {
            return Problems.Forbidden($"网格 {outside} 不在您的管辖范围内，您只能为本辖区的网格安排下沉人员。");
        }

        try
        {
            foreach (var attachment in toEnd)
            {
                attachment.End(from.AddDays(-1));
            }

            foreach (var code in toStart)
            {
                db.LiaisonAttachments.Add(LiaisonAttachment.Attach(liaison, department, grids[code], from, caller.GetUserId(), now));
            }
        }
        catch (OrganisationRuleException e)
        {
            return OrganisationsApi.Refusal(e);
        }

        var gridNames = await db.Grids.IgnoreQueryFilters().AsNoTracking().Where(g => codes.Contains(g.Code)).Select(g => g.Name).ToListAsync(ct);
        audit.Record(db, SecurityEventKind.OrganisationChanged, SecuritySubject.User(liaison),
            $"设置{department.Name}下沉人员“{liaison.DisplayName}”的网格（自 {from:yyyy-MM-dd} 起）：{(gridNames.Count == 0 ? "无" : string.Join("、", gridNames))}");
        await db.SaveChangesAsync(ct);
        loggers.CreateLogger(typeof(LiaisonsApi)).LogInformation("User {User} set the grids of liaison {Liaison} of {Department} from {From}: {Grids}",
            caller.Identity?.Name, liaison.UserName, department.Code, from, string.Join(',', codes));
        return TypedResults.Ok((await SummariseAsync(db, id, [liaison], Today(time), ct))[0]);
    }

    /// <summary>Today's Beijing date, the day attachments start and end by.</summary>
    internal static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(WorkCalendar.BeijingOffset).DateTime);

    private static async Task<List<LiaisonSummary>> SummariseAsync(CivicGridDbContext db, Guid departmentId, IReadOnlyList<UserAccount> liaisons,
        DateOnly today, CancellationToken ct)
    {
        var ids = liaisons.Select(u => u.Id).ToList();
        var attachments = await db.LiaisonAttachments.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.DepartmentId == departmentId && ids.Contains(a.UserId)).ToListAsync(ct);
        var codes = attachments.Select(a => a.GridCode).Distinct().ToList();
        var names = await db.Grids.IgnoreQueryFilters().AsNoTracking().Where(g => codes.Contains(g.Code)).ToDictionaryAsync(g => g.Code, g => g.Name, ct);
        return
        [
            .. liaisons.Select(u => new LiaisonSummary(u.Id, u.DisplayName, u.ScopeCode, u.IsActive,
                [
                    .. attachments.Where(a => a.UserId == u.Id)
                        .OrderByDescending(a => a.IsCurrentOn(today)).ThenBy(a => a.GridCode).ThenByDescending(a => a.StartsOn)
                        .Select(a => new LiaisonGrid(a.GridCode, names.GetValueOrDefault(a.GridCode), a.StartsOn, a.EndsOn, a.IsCurrentOn(today))),
                ])),
        ];
    }
}
