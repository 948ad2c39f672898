using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Roster;
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

namespace CivicGrid.Server.Features.Roster;

/// <summary>One grid assignment of a member, open or ended.</summary>
/// <param name="EndOn">The first day off duty; null while in force.</param>
public sealed record AssignmentResponse(Guid Id, string GridCode, string GridName, MemberKind Kind, DateOnly StartOn, DateOnly? EndOn);

/// <summary>A roster member as staff see them: the phone masked.</summary>
/// <param name="ElderFriendly">True from 60: the phone pages open in the elder-friendly style.</param>
/// <param name="Assignments">In the list: those in force; in the detail: the whole history, newest first.</param>
public sealed record RosterMemberResponse(Guid Id, MemberKind Kind, string Name, string Phone, AgeBand AgeBand, bool ElderFriendly, string CommunityCode,
    string CommunityName, DateOnly JoinedOn, DateOnly? LeftOn, bool Active, string? UserName, string? OrganisationName,
    IReadOnlyList<AssignmentResponse> Assignments);

/// <param name="Kind">full-time-worker, community-cadre, micro-volunteer, sunk-staff or grid-leader.</param>
/// <param name="AgeBand">under-40, 40-59, 60-69 or 70-plus.</param>
/// <param name="CommunityCode">The community whose roster this is; may be left out by community staff (their own).</param>
/// <param name="UserName">The person's sign-in account, if they have one.</param>
/// <param name="GridCode">A first grid to assign them to from <paramref name="JoinedOn"/>.</param>
public sealed record CreateRosterMemberRequest([property: ApiEnum(typeof(MemberKind))] string? Kind, string? Name, string? Phone,
    [property: ApiEnum(typeof(AgeBand))] string? AgeBand, string? CommunityCode, DateOnly? JoinedOn, string? UserName, Guid? OrganisationId, string? GridCode);

/// <param name="StartOn">First day on duty (Beijing date); today when left out.</param>
public sealed record AssignGridRequest(string? GridCode, DateOnly? StartOn);

/// <param name="EndOn">First day off duty; today when left out.</param>
public sealed record EndAssignmentRequest(DateOnly? EndOn);

/// <param name="On">The day of the move: the old assignment ends and the new one starts; today when left out.</param>
public sealed record MoveRequest(Guid AssignmentId, string? GridCode, DateOnly? On);

/// <param name="On">First day off the roster; today when left out.</param>
/// <param name="Reason">Why (moved away, resigned, health…); revokes their work IDs with it.</param>
public sealed record LeaveRequest(DateOnly? On, string? Reason);

/// <summary>A grid missing a leader, a full-time worker or a volunteer.</summary>
public sealed record VacancyResponse(string GridCode, string GridName, string Level, string CommunityCode, string CommunityName, IReadOnlyList<MemberKind> Missing);

/// <summary>Turnover of one community in one quarter (see <see cref="Turnover"/>).</summary>
/// <param name="Quarter">e.g. 2026-Q3.</param>
/// <param name="Rate">Left ÷ average headcount, a fraction (0.25 = 25%).</param>
public sealed record TurnoverResponse(string CommunityCode, string CommunityName, string Quarter, int AtStart, int Joined, int Left, int AtEnd, double Rate);

/// <summary>The grid-worker roster (动态管理网格员数据库): members, assignments with history, vacancies and turnover.</summary>
public static class RosterApi
{
    public static IEndpointRouteBuilder MapRosterApi(this IEndpointRouteBuilder routes)
    {
        var roster = routes.MapGroup("/api/roster").WithTags("Roster").RequireAuthorization(p => p.RequireRole(RosterRules.Readers));
        roster.MapGet("/members", List).WithName("ListRosterMembers")
            .WithSummary("Roster members of the caller's scope (kind, grid subtree, active/left), phones masked, with the grids they work now.");
        roster.MapGet("/members/{id:guid}", Get).WithName("GetRosterMember").WithSummary("One member with the whole assignment history.");
        roster.MapPost("/members", Create).RequireAuthorization(p => p.RequireRole(RosterRules.Keepers)).WithIdempotency().WithName("CreateRosterMember")
            .WithSummary("Put a person on the community's roster (community staff), optionally assigned to a first grid.");
        roster.MapPost("/members/{id:guid}/assignments", Assign).RequireAuthorization(p => p.RequireRole(RosterRules.Keepers)).WithName("AssignRosterMember")
            .WithSummary("Assign a member to a grid of a level their kind fits (community staff).");
        roster.MapPost("/members/{id:guid}/assignments/{assignmentId:guid}/end", EndAssignment).RequireAuthorization(p => p.RequireRole(RosterRules.Keepers))
            .WithName("EndRosterAssignment").WithSummary("End an assignment; the record is kept with its end date (community staff).");
        roster.MapPost("/members/{id:guid}/move", Move).RequireAuthorization(p => p.RequireRole(RosterRules.Keepers)).WithName("MoveRosterMember")
            .WithSummary("Move a member: one assignment ends and another starts the same day (community staff).");
        roster.MapPost("/members/{id:guid}/leave", Leave).RequireAuthorization(p => p.RequireRole(RosterRules.Keepers)).WithName("RosterMemberLeaves")
            .WithSummary("The member leaves the roster: every assignment ends and their work IDs are revoked (community staff).");
        roster.MapGet("/vacancies", ListVacancies).WithName("ListRosterVacancies")
            .WithSummary("Grids of the caller's scope without a leader or a full-time worker (3rd-level) or a volunteer (micro-grid).");
        roster.MapGet("/turnover", GetTurnover).WithName("GetRosterTurnover")
            .WithSummary("Per community and quarter: members at start, joined, left, at end and the turnover rate, for the last `quarters` quarters (default 4).");
        roster.MapPost("/imports", RosterImport.Import).RequireAuthorization(p => p.RequireRole(RosterRules.Keepers)).DisableAntiforgery().WithName("ImportRoster")
            .WithSummary("Import members from Excel (multipart `file`, the template's Chinese headers); all or nothing unless partial=true.");
        roster.MapGet("/import-template.xlsx", RosterImport.Template).WithName("GetRosterImportTemplate")
            .WithSummary("The Excel template for a roster import, with its Chinese headers and an example row.");
        return routes;
    }

    public static async Task<Results<Ok<List<RosterMemberResponse>>, ProblemHttpResult>> List([ApiEnum(typeof(MemberKind))] string? kind, string? gridCode,
        [ApiValues(typeof(RosterApi), nameof(Statuses))] string? status, CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        MemberKind parsedKind = default;
        if (!string.IsNullOrWhiteSpace(kind) && !ApiEnums.TryParse(kind, out parsedKind))
        {
            errors["kind"] = [$"类别须为 {ApiEnums.List<MemberKind>()} 之一。"];
        }

        if (status is { Length: > 0 } && !Statuses.Contains(status))
        {
            errors["status"] = ["状态须为 active、left 或 all。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var query = db.RosterMembers.AsNoTracking().Include(m => m.Assignments).AsQueryable();
        if (!string.IsNullOrWhiteSpace(kind))
        {
            query = query.Where(m => m.Kind == parsedKind);
        }

        query = (status ?? "active") switch
        {
            "left" => query.Where(m => m.LeftOn != null),
            "all" => query,
            _ => query.Where(m => m.LeftOn == null),
        };
        if (!string.IsNullOrWhiteSpace(gridCode))
        {
            var code = gridCode.Trim();
            query = query.Where(m => m.Assignments.Any(a => a.EndOn == null && a.GridCode.StartsWith(code)) || m.CommunityCode.StartsWith(code));
        }

        // Names are sealed at rest: ordered here, not in SQL.
        var members = (await query.ToListAsync(ct)).OrderBy(m => m.CommunityCode, StringComparer.Ordinal).ThenBy(m => m.Name, StringComparer.Ordinal).ToList();
        var snapshot = await geography.GetAsync(ct);
        var names = await NamesAsync(db, members, ct);
        return TypedResults.Ok(members.Select(m => Describe(m, snapshot, names, history: false)).ToList());
    }

    public static IReadOnlyList<string> Statuses { get; } = ["active", "left", "all"];

    public static async Task<Results<Ok<RosterMemberResponse>, ProblemHttpResult>> Get(Guid id, CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var member = await db.RosterMembers.AsNoTracking().Include(m => m.Assignments).SingleOrDefaultAsync(m => m.Id == id, ct);
        return member is null ? NotFound() : TypedResults.Ok(Describe(member, await geography.GetAsync(ct), await NamesAsync(db, [member], ct), history: true));
    }

    public static async Task<Results<Created<RosterMemberResponse>, ProblemHttpResult>> Create(CreateRosterMemberRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var snapshot = await geography.GetAsync(ct);
        var draft = await MemberDraft.CheckAsync(request, caller, db, snapshot, RosterRules.Today(time), ct);
        if (draft.Errors.Count > 0)
        {
            return Problems.Validation(draft.Errors);
        }

        if (!caller.GetScope().Covers(draft.CommunityCode))
        {
            return Problems.Forbidden("只能管理您所在社区的网格员队伍。");
        }

        var phoneIndex = db.BlindIndex(FieldVault.PhoneField, draft.Phone);
        if (await db.RosterMembers.IgnoreQueryFilters()
                .AnyAsync(m => m.CommunityCode == draft.CommunityCode && EF.Property<string>(m, RosterMemberConfiguration.PhoneIndexProperty) == phoneIndex, ct))
        {
            return Problems.Conflict("本社区的网格员队伍中已有使用该手机号的人员。");
        }

        var member = draft.ToMember();
        if (draft.Grid is { } grid)
        {
            try
            {
                member.Assign(grid.Code, grid.Level, draft.JoinedOn);
            }
            catch (RosterRuleException e)
            {
                return RosterRules.Broken(e, member.Kind);
            }
        }

        db.RosterMembers.Add(member);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/roster/members/{member.Id}", Describe(member, snapshot, await NamesAsync(db, [member], ct), history: true));
    }

    public static Task<Results<Ok<RosterMemberResponse>, ProblemHttpResult>> Assign(Guid id, AssignGridRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(id, caller, db, geography, (member, snapshot) =>
        {
            var (grid, problem) = RosterRules.FindGrid(snapshot, caller, request.GridCode, "gridCode");
            if (grid is null)
            {
                return problem;
            }

            member.Assign(grid.Code, grid.Level, request.StartOn ?? RosterRules.Today(time));
            return null;
        }, ct);

    public static Task<Results<Ok<RosterMemberResponse>, ProblemHttpResult>> EndAssignment(Guid id, Guid assignmentId, EndAssignmentRequest request,
        ClaimsPrincipal caller, CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(id, caller, db, geography, (member, _) =>
        {
            member.EndAssignment(assignmentId, request.EndOn ?? RosterRules.Today(time));
            return null;
        }, ct);

    public static Task<Results<Ok<RosterMemberResponse>, ProblemHttpResult>> Move(Guid id, MoveRequest request, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(id, caller, db, geography, (member, snapshot) =>
        {
            var (grid, problem) = RosterRules.FindGrid(snapshot, caller, request.GridCode, "gridCode");
            if (grid is null)
            {
                return problem;
            }

            member.Move(request.AssignmentId, grid.Code, grid.Level, request.On ?? RosterRules.Today(time));
            return null;
        }, ct);

    /// <summary>Ends every assignment and revokes the member's work IDs in force, in one save.</summary>
    public static async Task<Results<Ok<RosterMemberResponse>, ProblemHttpResult>> Leave(Guid id, LeaveRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, SecurityAudit audit, TimeProvider time, CancellationToken ct)
    {
        var reason = request.Reason?.Trim() ?? string.Empty;
        if (reason.Length is 0 or > RosterLimits.TextLength)
        {
            return Problems.Validation("reason", $"请填写离开原因（{RosterLimits.TextLength} 字以内）。");
        }

        var result = await ChangeAsync(id, caller, db, geography, (member, _) =>
        {
            member.Leave(request.On ?? RosterRules.Today(time));
            return null;
        }, ct, async member =>
        {
            var ids = await db.WorkIds.Where(w => w.MemberId == member.Id && w.RevokedAt == null).ToListAsync(ct);
            foreach (var workId in ids)
            {
                WorkIdsApi.RevokeAndRecord(workId, $"人员离开网格员队伍：{reason}", db, audit, time);
            }
        });
        return result;
    }

    /// <summary>Loads a member of the scope, applies a domain change (a refusal becomes 422), saves and answers the detail.</summary>
    private static async Task<Results<Ok<RosterMemberResponse>, ProblemHttpResult>> ChangeAsync(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, Func<RosterMember, GeographySnapshot, ProblemHttpResult?> change, CancellationToken ct, Func<RosterMember, Task>? alongside = null)
    {
        var member = await db.RosterMembers.Include(m => m.Assignments).SingleOrDefaultAsync(m => m.Id == id, ct);
        if (member is null)
        {
            return NotFound();
        }

        if (!caller.GetScope().Covers(member.CommunityCode))
        {
            return Problems.Forbidden("只能管理您所在社区的网格员队伍。");
        }

        var snapshot = await geography.GetAsync(ct);
        try
        {
            if (change(member, snapshot) is { } problem)
            {
                return problem;
            }
        }
        catch (RosterRuleException e)
        {
            return RosterRules.Broken(e, member.Kind);
        }

        if (alongside is not null)
        {
            await alongside(member);
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Describe(member, snapshot, await NamesAsync(db, [member], ct), history: true));
    }

    public static async Task<Ok<List<VacancyResponse>>> ListVacancies(ClaimsPrincipal caller, CivicGridDbContext db, GeographyIndex geography, CancellationToken ct)
    {
        var snapshot = await geography.GetAsync(ct);
        var scope = caller.GetScope();
        var grids = snapshot.Grids.Values.Where(g => g.Level is GridLevel.Third or GridLevel.Micro && scope.Covers(g.Code))
            .Select(g => (g.Code, g.Level, g.Kind)).ToList();
        var onDuty = await db.GridAssignments.AsNoTracking().Where(a => a.EndOn == null).Select(a => new { a.GridCode, a.Kind }).ToListAsync(ct);
        var vacancies = Vacancies.Find(grids, onDuty.Select(a => (a.GridCode, a.Kind)));
        return TypedResults.Ok(vacancies.Select(v =>
        {
            var grid = snapshot.Grids[v.GridCode];
            var community = RosterRules.CommunityOf(v.GridCode)!;
            return new VacancyResponse(v.GridCode, grid.Name, grid.Level.ToApiName(), community, RosterRules.NameOf(snapshot, community), v.Missing);
        }).ToList());
    }

    public static async Task<Results<Ok<List<TurnoverResponse>>, ProblemHttpResult>> GetTurnover(int? quarters, CivicGridDbContext db, GeographyIndex geography,
        TimeProvider time, CancellationToken ct)
    {
        if (quarters is < 1 or > 20)
        {
            return Problems.Validation("quarters", "季度数须在 1 到 20 之间。");
        }

        var list = new List<Quarter> { Quarter.Of(RosterRules.Today(time)) };
        while (list.Count < (quarters ?? 4))
        {
            list.Insert(0, list[0].Previous);
        }

        var spans = await db.GridAssignments.AsNoTracking().Select(a => new { a.MemberId, a.GridCode, a.StartOn, a.EndOn }).ToListAsync(ct);
        var figures = Turnover.Compute(spans.Where(s => s.GridCode.Length >= GridCodes.CommunityLength)
            .Select(s => new AssignmentSpan(s.MemberId, s.GridCode[..GridCodes.CommunityLength], s.StartOn, s.EndOn)), list);
        var snapshot = await geography.GetAsync(ct);
        return TypedResults.Ok(figures.OrderBy(f => f.CommunityCode, StringComparer.Ordinal).ThenBy(f => f.Quarter.Start)
            .Select(f => new TurnoverResponse(f.CommunityCode, RosterRules.NameOf(snapshot, f.CommunityCode), f.Quarter.ToString(), f.AtStart, f.Joined, f.Left,
                f.AtEnd, f.Rate)).ToList());
    }

    internal static RosterMemberResponse Describe(RosterMember m, GeographySnapshot snapshot, MemberNames names, bool history)
    {
        var assignments = (history ? m.Assignments.OrderByDescending(a => a.StartOn).ThenByDescending(a => a.EndOn ?? DateOnly.MaxValue) : m.OpenAssignments)
            .Select(a => new AssignmentResponse(a.Id, a.GridCode, RosterRules.NameOf(snapshot, a.GridCode), a.Kind, a.StartOn, a.EndOn)).ToList();
        return new(m.Id, m.Kind, m.Name, Masking.Phone(m.Phone)!, m.AgeBand, m.AgeBand.IsElder(), m.CommunityCode, RosterRules.NameOf(snapshot, m.CommunityCode),
            m.JoinedOn, m.LeftOn, m.IsActive, m.UserId is { } u ? names.Users.GetValueOrDefault(u) : null,
            m.OrganisationId is { } o ? names.Organisations.GetValueOrDefault(o) : null, assignments);
    }

    internal sealed record MemberNames(Dictionary<Guid, string> Users, Dictionary<Guid, string> Organisations);

    /// <summary>User names of the linked accounts and names of the organisations, across scopes (a name is not the account).</summary>
    internal static async Task<MemberNames> NamesAsync(CivicGridDbContext db, IReadOnlyCollection<RosterMember> members, CancellationToken ct)
    {
        var users = members.Select(m => m.UserId).OfType<Guid>().Distinct().ToList();
        var organisations = members.Select(m => m.OrganisationId).OfType<Guid>().Distinct().ToList();
        return new(
            users.Count == 0 ? [] : await db.Users.IgnoreQueryFilters().Where(u => users.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName, ct),
            organisations.Count == 0 ? [] : await db.Organisations.IgnoreQueryFilters().Where(o => organisations.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct));
    }

    private static ProblemHttpResult NotFound() => Problems.NotFound("找不到这名网格员，或他（她）不在您的管辖范围内。");
}

/// <summary>A new member's fields checked once for the API and the Excel import alike; <see cref="Errors"/> by field, in Chinese.</summary>
internal sealed class MemberDraft
{
    public Dictionary<string, string[]> Errors { get; } = [];

    public MemberKind Kind { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public string Phone { get; private set; } = string.Empty;

    public AgeBand AgeBand { get; private set; }

    public string CommunityCode { get; private set; } = string.Empty;

    public DateOnly JoinedOn { get; private set; }

    public Guid? UserId { get; private set; }

    public Guid? OrganisationId { get; private set; }

    public GridInfo? Grid { get; private set; }

    public RosterMember ToMember() => new(Kind, Name, Phone, AgeBand, CommunityCode, JoinedOn) { UserId = UserId, OrganisationId = OrganisationId };

    public static async Task<MemberDraft> CheckAsync(CreateRosterMemberRequest request, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographySnapshot snapshot, DateOnly today, CancellationToken ct)
    {
        var draft = new MemberDraft { JoinedOn = request.JoinedOn ?? today };
        if (!ApiEnums.TryParse<MemberKind>(request.Kind, out var kind))
        {
            draft.Errors["kind"] = ["请选择人员类别：专职网格员、社区干部、微网格员、下沉人员或网格长。"];
        }

        draft.Kind = kind;
        draft.Name = request.Name?.Trim() ?? string.Empty;
        if (draft.Name.Length is 0 or > RosterLimits.NameLength)
        {
            draft.Errors["name"] = [$"请填写姓名（{RosterLimits.NameLength} 字以内）。"];
        }

        if (string.IsNullOrWhiteSpace(request.Phone) || !IntakeApi.TryNormalizePhone(request.Phone, out var phone))
        {
            draft.Errors["phone"] = ["请填写正确的手机号码。"];
        }
        else
        {
            draft.Phone = phone;
        }

        if (!ApiEnums.TryParse<AgeBand>(request.AgeBand, out var band))
        {
            draft.Errors["ageBand"] = ["请选择年龄段：40岁以下、40-59岁、60-69岁或70岁及以上。"];
        }

        draft.AgeBand = band;
        var scope = caller.GetScope();
        var community = string.IsNullOrWhiteSpace(request.CommunityCode)
            ? (scope.Code.Length == GridCodes.CommunityLength ? scope.Code : null)
            : request.CommunityCode.Trim();
        if (community is null || !snapshot.Grids.TryGetValue(community, out var communityGrid) || communityGrid.Level != GridLevel.Community)
        {
            draft.Errors["communityCode"] = ["请选择人员所属的社区。"];
        }
        else
        {
            draft.CommunityCode = community;
        }

        if (draft.JoinedOn > today.AddDays(366))
        {
            draft.Errors["joinedOn"] = ["到岗日期不能晚于一年以后。"];
        }

        if (!string.IsNullOrWhiteSpace(request.UserName))
        {
            var normalized = UserAccount.Normalize(request.UserName);
            var user = await db.Users.AsNoTracking().Where(u => u.NormalizedUserName == normalized).Select(u => new { u.Id }).SingleOrDefaultAsync(ct);
            if (user is null)
            {
                draft.Errors["userName"] = [$"您的管辖范围内没有账号“{request.UserName.Trim()}”。"];
            }
            else if (await db.RosterMembers.IgnoreQueryFilters().AnyAsync(m => m.UserId == user.Id && m.LeftOn == null, ct))
            {
                draft.Errors["userName"] = [$"账号“{request.UserName.Trim()}”已关联到队伍中的另一名人员。"];
            }
            else
            {
                draft.UserId = user.Id;
            }
        }

        if (request.OrganisationId is { } organisationId)
        {
            if (await db.Organisations.AsNoTracking().AnyAsync(o => o.Id == organisationId, ct))
            {
                draft.OrganisationId = organisationId;
            }
            else
            {
                draft.Errors["organisationId"] = ["找不到这个单位。"];
            }
        }

        if (!string.IsNullOrWhiteSpace(request.GridCode))
        {
            var (grid, _) = RosterRules.FindGrid(snapshot, caller, request.GridCode, "gridCode");
            if (grid is null)
            {
                draft.Errors["gridCode"] = ["找不到这个网格，或它不在您的管辖范围内。"];
            }
            else if (draft.Errors.Count == 0 && (!GridCodes.IsWithin(grid.Code, draft.CommunityCode) || !RosterKinds.Fits(kind, grid.Level)))
            {
                draft.Errors["gridCode"] = [RosterRules.Chinese(GridCodes.IsWithin(grid.Code, draft.CommunityCode)
                    ? RosterRuleException.KindDoesNotFitLevel : RosterRuleException.GridOutsideCommunity, kind)];
            }

            draft.Grid = grid;
        }

        return draft;
    }
}
