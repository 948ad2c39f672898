using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Assessment;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Features.Users;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Council;

/// <summary>A council member as staff see them: the phone masked.</summary>
/// <param name="HomeGridCode">The grid they live in: "assign by compound" gives them its 3rd-level grid.</param>
/// <param name="Serving">True when the term covers today and was not ended.</param>
/// <param name="UserId">Their phone account (sign them in with <c>POST /api/volunteers/{userId}/sign-in-codes</c>).</param>
public sealed record CouncilMemberResponse(Guid Id, string Name, string Phone, CouncilMemberKind Kind, string CommunityCode, string CommunityName,
    string HomeGridCode, string HomeGridName, string? CompoundCode, string? CompoundName, DateOnly TermFrom, DateOnly TermTo, DateOnly? EndedOn,
    string? EndReason, bool Serving, Guid? UserId, string? UserName);

/// <param name="Kind">courtyard-head, party-deputy, peoples-deputy, cppcc-member or resident-representative.</param>
/// <param name="CompoundCode">The compound they live in (decides their grid and community).</param>
/// <param name="GridCode">Their grid, when no compound is given.</param>
/// <param name="TermFrom">First day of the term; today when left out.</param>
/// <param name="TermTo">Last day of the term; three years on when left out.</param>
public sealed record CreateCouncilMemberRequest(string? Name, string? Phone, [property: ApiEnum(typeof(CouncilMemberKind))] string? Kind,
    string? CompoundCode, string? GridCode, DateOnly? TermFrom, DateOnly? TermTo);

/// <param name="On">The first day off the council; today when left out.</param>
public sealed record EndCouncilTermRequest(DateOnly? On, string? Reason);

/// <param name="Scored">True once the member has submitted stars (what they gave is never shown to staff).</param>
public sealed record CouncilAssignmentResponse(Guid Id, string Period, Guid MemberId, string MemberName, CouncilMemberKind MemberKind, string GridCode,
    string GridName, bool Scored, DateTimeOffset AssignedAt);

/// <param name="Period">2026-Q3 (a quarter), 2026-09 or 2026.</param>
/// <param name="GridCodes">2nd- or 3rd-level grids of the caller's scope.</param>
public sealed record AssignCouncilMemberRequest(string? Period, Guid? MemberId, IReadOnlyList<string>? GridCodes);

/// <param name="CommunityCode">Only this community's members; every member of the caller's scope when left out.</param>
public sealed record AssignByCompoundRequest(string? Period, string? CommunityCode);

/// <param name="Created">Members given their compound's grid now.</param>
/// <param name="AlreadyAssigned">Members who had an assignment for the period and were left as they were.</param>
public sealed record AssignByCompoundResponse(int Created, int AlreadyAssigned, IReadOnlyList<CouncilAssignmentResponse> Assignments);

public sealed record PhraseCount(string Phrase, int Count);

/// <summary>One grid's evaluation so far: how many are asked and have scored, and the tally once the quorum is reached.</summary>
/// <param name="Score">The trimmed mean (stars) once quorate; null before. Who gave what is never shown.</param>
public sealed record CouncilGridProgress(string GridCode, string GridName, int Assigned, int Scored, bool Quorate, double? Score,
    IReadOnlyList<PhraseCount> Phrases);

public sealed record CouncilProgressResponse(string Period, string Label, DateOnly OpensOn, DateOnly ClosesOn, bool Open, int Quorum, double TrimShare,
    int Assigned, int Scored, IReadOnlyList<CouncilGridProgress> Grids);

/// <summary>
/// The resident council (居民议事会) for staff: the roster of members with their terms, who evaluates which grid in a period
/// and the progress of the evaluation. Community staff and the operations centre keep it, the district reads it; grid staff,
/// who are evaluated, and the administrators see none of it.
/// </summary>
public static class CouncilApi
{
    public const string RuleType = "/problems/council-rule";

    public static readonly string[] Keepers = [Role.CommunityStaff.ToClaimValue(), Role.SubdistrictOperator.ToClaimValue()];

    public static readonly string[] Readers = [.. Keepers, Role.DistrictViewer.ToClaimValue()];

    public static IReadOnlyList<string> Statuses { get; } = ["serving", "ended", "all"];

    public static IEndpointRouteBuilder MapCouncilApi(this IEndpointRouteBuilder routes)
    {
        var council = routes.MapGroup("/api/council").WithTags("Council").RequireAuthorization(Policies.CaseContent)
            .RequireAuthorization(p => p.RequireRole(Readers));
        council.MapGet("/members", ListMembers).WithName("ListCouncilMembers")
            .WithSummary("Council members of the caller's scope (serving, ended or all), phones masked.");
        council.MapPost("/members", CreateMember).RequireAuthorization(p => p.RequireRole(Keepers)).WithIdempotency().WithName("CreateCouncilMember")
            .WithSummary("Add a resident to the council with their compound, kind and term; a phone account is made for them (signed in by a QR code).");
        council.MapPost("/members/{id:guid}/end-term", EndTerm).RequireAuthorization(p => p.RequireRole(Keepers)).WithName("EndCouncilTerm")
            .WithSummary("End a member's term early with a reason: their phone account is deactivated; the record is kept.");
        council.MapGet("/assignments", ListAssignments).WithName("ListCouncilAssignments")
            .WithSummary("Who evaluates which grid in a period, and whether each has scored (never what they gave).");
        council.MapPost("/assignments", Assign).RequireAuthorization(p => p.RequireRole(Keepers)).WithName("AssignCouncilMember")
            .WithSummary("Ask a member to evaluate grids for a period (grids already assigned to them are left as they are).");
        council.MapPost("/assignments/by-compound", AssignByCompound).RequireAuthorization(p => p.RequireRole(Keepers)).WithName("AssignCouncilByCompound")
            .WithSummary("Give every serving member without an assignment for the period the 3rd-level grid of their compound.");
        council.MapDelete("/assignments/{id:guid}", Unassign).RequireAuthorization(p => p.RequireRole(Keepers)).WithName("DeleteCouncilAssignment")
            .WithSummary("Withdraw an assignment the member has not scored yet.");
        council.MapGet("/progress", Progress).WithName("GetCouncilProgress")
            .WithSummary("Per grid of the caller's scope: members assigned and scored, the quorum, and the tally once quorate.");
        return routes;
    }

    public static async Task<Results<Ok<List<CouncilMemberResponse>>, ProblemHttpResult>> ListMembers(
        [ApiValues(typeof(CouncilApi), nameof(Statuses))] string? status, string? communityCode, CivicGridDbContext db, GeographyIndex geography,
        TimeProvider time, CancellationToken ct)
    {
        if (status is { Length: > 0 } && !Statuses.Contains(status))
        {
            return Problems.Validation("status", "状态须为 serving（在任）、ended（已卸任）或 all。");
        }

        var today = PatrolTracks.BeijingDay(time.GetUtcNow());
        var query = db.CouncilMembers.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(communityCode))
        {
            var code = communityCode.Trim();
            query = query.Where(m => m.CommunityCode.StartsWith(code));
        }

        query = (status ?? "serving") switch
        {
            "ended" => query.Where(m => m.EndedOn != null || m.TermTo < today),
            "all" => query,
            _ => query.Where(m => m.EndedOn == null && m.TermTo >= today),
        };
        // Names are sealed at rest: the order by name is made here, not in SQL.
        var members = (await query.OrderBy(m => m.CommunityCode).ThenBy(m => m.HomeGridCode).ThenBy(m => m.Id).Take(2000).ToListAsync(ct))
            .OrderBy(m => m.CommunityCode, StringComparer.Ordinal).ThenBy(m => m.HomeGridCode, StringComparer.Ordinal).ThenBy(m => m.Name, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(await DescribeAsync(members, db, geography, today, ct));
    }

    public static async Task<Results<Created<CouncilMemberResponse>, ProblemHttpResult>> CreateMember(CreateCouncilMemberRequest request,
        ClaimsPrincipal caller, CivicGridDbContext db, GeographyIndex geography, SecurityAudit audit, TimeProvider time, CancellationToken ct)
    {
        var snapshot = await geography.GetAsync(ct);
        var today = PatrolTracks.BeijingDay(time.GetUtcNow());
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > CouncilLimits.NameLength)
        {
            errors["name"] = [$"请填写姓名（{CouncilLimits.NameLength} 字以内）。"];
        }

        var phone = string.Empty;
        if (string.IsNullOrWhiteSpace(request.Phone) || !IntakeApi.TryNormalizePhone(request.Phone, out phone))
        {
            errors["phone"] = ["请填写正确的手机号码。"];
        }

        if (!ApiEnums.TryParse<CouncilMemberKind>(request.Kind, out var kind))
        {
            errors["kind"] = ["请选择成员类别：楼院长、党代表、人大代表、政协委员或居民代表。"];
        }

        string? homeGrid = null;
        string? compoundCode = null;
        if (!string.IsNullOrWhiteSpace(request.CompoundCode))
        {
            compoundCode = request.CompoundCode.Trim();
            if (snapshot.Compounds.TryGetValue(compoundCode, out var compound))
            {
                homeGrid = compound.GridCode;
            }
            else
            {
                errors["compoundCode"] = ["找不到这个院落，请从列表中选择。"];
            }
        }
        else if (!string.IsNullOrWhiteSpace(request.GridCode) && snapshot.Grids.TryGetValue(request.GridCode.Trim(), out var grid)
            && grid.Code.Length >= GridCodes.CommunityLength)
        {
            homeGrid = grid.Code;
        }
        else
        {
            errors["compoundCode"] = ["请选择成员居住的院落（或所在网格）。"];
        }

        var from = request.TermFrom ?? today;
        var to = request.TermTo ?? from.AddYears(3).AddDays(-1);
        if (to < from)
        {
            errors["termTo"] = ["任期结束日期不能早于开始日期。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (!caller.GetScope().Covers(homeGrid!))
        {
            return Problems.Forbidden("只能管理您辖区内的居民议事会成员。");
        }

        var community = homeGrid![..GridCodes.CommunityLength];
        var phoneIndex = db.BlindIndex(FieldVault.PhoneField, phone);
        if (await db.CouncilMembers.IgnoreQueryFilters()
                .AnyAsync(m => m.CommunityCode == community && EF.Property<string>(m, CouncilMemberConfiguration.PhoneIndexProperty) == phoneIndex, ct))
        {
            return Problems.Conflict("本社区的居民议事会中已有使用该手机号的成员。");
        }

        var now = time.GetUtcNow();
        var account = new UserAccount($"council-{Guid.NewGuid():N}"[..16], name, [Role.Resident], homeGrid, now) { PhoneNumber = phone };
        db.Users.Add(account);
        var member = new CouncilMember(name, phone, kind, community, homeGrid, compoundCode, from, to, account.Id);
        db.CouncilMembers.Add(member);
        audit.Record(db, SecurityEventKind.AccountCreated, SecuritySubject.User(account),
            $"为居民议事会成员 {Masking.PersonName(name)}（{kind.ToChinese()}）建立扫码登录账户（居民）。");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/council/members/{member.Id}", (await DescribeAsync([member], db, geography, today, ct))[0]);
    }

    public static async Task<Results<Ok<CouncilMemberResponse>, ProblemHttpResult>> EndTerm(Guid id, EndCouncilTermRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, SecurityAudit audit, TimeProvider time, CancellationToken ct)
    {
        var reason = request.Reason?.Trim() ?? string.Empty;
        if (reason.Length is 0 or > CouncilLimits.TextLength)
        {
            return Problems.Validation("reason", $"请填写卸任原因（{CouncilLimits.TextLength} 字以内）。");
        }

        var member = await db.CouncilMembers.SingleOrDefaultAsync(m => m.Id == id, ct);
        if (member is null || !caller.GetScope().Covers(member.CommunityCode))
        {
            return MemberNotFound();
        }

        var today = PatrolTracks.BeijingDay(time.GetUtcNow());
        try
        {
            member.EndTerm(request.On ?? today, reason);
        }
        catch (CouncilRuleException e)
        {
            return Broken(e);
        }

        if (member.UserId is { } userId && await db.Users.IgnoreQueryFilters().SingleOrDefaultAsync(u => u.Id == userId, ct) is { IsActive: true } account
            && (request.On ?? today) <= today)
        {
            account.Deactivate(time.GetUtcNow());
            var ended = await AccountLifecycleApi.EndSessionsAsync(db, account.Id, time.GetUtcNow(), ct);
            audit.Record(db, SecurityEventKind.AccountDeactivated, SecuritySubject.User(account), $"居民议事会成员卸任：{reason}；结束会话 {ended} 个");
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await DescribeAsync([member], db, geography, today, ct))[0]);
    }

    /// <param name="period">2026-Q3, 2026-09 or 2026; the last complete quarter when left out.</param>
    public static async Task<Results<Ok<List<CouncilAssignmentResponse>>, ProblemHttpResult>> ListAssignments(string? period, string? gridCode,
        Guid? memberId, CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        if (!TryPeriod(period, time, out var assessed, out var problem))
        {
            return problem!;
        }

        var text = assessed.ToString();
        var query = db.CouncilAssignments.AsNoTracking().Where(a => a.Period == text);
        if (!string.IsNullOrWhiteSpace(gridCode))
        {
            var code = gridCode.Trim();
            query = query.Where(a => a.GridCode.StartsWith(code));
        }

        if (memberId is { } member)
        {
            query = query.Where(a => a.MemberId == member);
        }

        var assignments = await query.OrderBy(a => a.GridCode).ThenBy(a => a.AssignedAt).Take(5000).ToListAsync(ct);
        return TypedResults.Ok(await DescribeAsync(assignments, db, await geography.GetAsync(ct), ct));
    }

    public static async Task<Results<Ok<List<CouncilAssignmentResponse>>, ProblemHttpResult>> Assign(AssignCouncilMemberRequest request,
        ClaimsPrincipal caller, CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        if (!TryPeriod(request.Period, time, out var assessed, out var problem))
        {
            return problem!;
        }

        var snapshot = await geography.GetAsync(ct);
        var member = request.MemberId is { } memberId ? await db.CouncilMembers.SingleOrDefaultAsync(m => m.Id == memberId, ct) : null;
        if (member is null || !caller.GetScope().Covers(member.CommunityCode))
        {
            return MemberNotFound();
        }

        var codes = (request.GridCodes ?? []).Select(c => c.Trim()).Distinct().ToList();
        if (codes.Count is 0 or > 10)
        {
            return Problems.Validation("gridCodes", "请选择 1–10 个要评议的网格。");
        }

        foreach (var code in codes)
        {
            if (!snapshot.Grids.TryGetValue(code, out var grid) || grid.Kind != GridKind.Territorial || grid.Level is not (GridLevel.Second or GridLevel.Third))
            {
                return Problems.Validation("gridCodes", "只能安排评议二级或三级网格。");
            }

            if (!caller.GetScope().Covers(code))
            {
                return Problems.Forbidden("该网格不在您的管辖范围内。");
            }
        }

        var text = assessed.ToString();
        var existing = await db.CouncilAssignments.Where(a => a.Period == text && a.MemberId == member.Id).Select(a => a.GridCode).ToListAsync(ct);
        try
        {
            foreach (var code in codes.Except(existing))
            {
                db.CouncilAssignments.Add(new CouncilAssignment(text, member, code, caller.GetUserId()!.Value, caller.Identity?.Name ?? "?", time.GetUtcNow()));
            }
        }
        catch (CouncilRuleException e)
        {
            return Broken(e);
        }

        await db.SaveChangesAsync(ct);
        var mine = await db.CouncilAssignments.AsNoTracking().Where(a => a.Period == text && a.MemberId == member.Id).OrderBy(a => a.GridCode).ToListAsync(ct);
        return TypedResults.Ok(await DescribeAsync(mine, db, snapshot, ct));
    }

    public static async Task<Results<Ok<AssignByCompoundResponse>, ProblemHttpResult>> AssignByCompound(AssignByCompoundRequest request,
        ClaimsPrincipal caller, CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        if (!TryPeriod(request.Period, time, out var assessed, out var problem))
        {
            return problem!;
        }

        var snapshot = await geography.GetAsync(ct);
        var text = assessed.ToString();
        var prefix = string.IsNullOrWhiteSpace(request.CommunityCode) ? caller.GetScope().Code : request.CommunityCode.Trim();
        if (!caller.GetScope().Covers(prefix))
        {
            return Problems.Forbidden("该社区不在您的管辖范围内。");
        }

        var members = (await db.CouncilMembers.Where(m => m.CommunityCode.StartsWith(prefix)).ToListAsync(ct)).Where(m => m.ServesDuring(assessed)).ToList();
        var ids = members.Select(m => m.Id).ToList();
        var assigned = (await db.CouncilAssignments.Where(a => a.Period == text && ids.Contains(a.MemberId)).Select(a => a.MemberId).ToListAsync(ct)).ToHashSet();
        var created = new List<CouncilAssignment>();
        foreach (var member in members.Where(m => !assigned.Contains(m.Id)))
        {
            if (member.NearestAssessedGrid is { } code && snapshot.Grids.ContainsKey(code) && caller.GetScope().Covers(code))
            {
                created.Add(new CouncilAssignment(text, member, code, caller.GetUserId()!.Value, caller.Identity?.Name ?? "?", time.GetUtcNow()));
            }
        }

        db.CouncilAssignments.AddRange(created);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new AssignByCompoundResponse(created.Count, assigned.Count, await DescribeAsync(created, db, snapshot, ct)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Unassign(Guid id, ClaimsPrincipal caller, CivicGridDbContext db, CancellationToken ct)
    {
        var assignment = await db.CouncilAssignments.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (assignment is null || !caller.GetScope().Covers(assignment.CommunityCode))
        {
            return Problems.NotFound("找不到这条评议安排，或不在您的管辖范围内。");
        }

        if (await CouncilTallies.IsScoredAsync(db, assignment.Id, ct))
        {
            return Problems.Conflict("该成员已经评分，这条评议安排不能撤回。");
        }

        db.CouncilAssignments.Remove(assignment);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    /// <param name="period">2026-Q3, 2026-09 or 2026; the last complete quarter when left out.</param>
    public static async Task<Results<Ok<CouncilProgressResponse>, ProblemHttpResult>> Progress(string? period, string? gridCode, CivicGridDbContext db,
        GeographyIndex geography, IOptions<CouncilOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (!TryPeriod(period, time, out var assessed, out var problem))
        {
            return problem!;
        }

        var snapshot = await geography.GetAsync(ct);
        var text = assessed.ToString();
        var query = db.CouncilAssignments.AsNoTracking().Where(a => a.Period == text);
        if (!string.IsNullOrWhiteSpace(gridCode))
        {
            var code = gridCode.Trim();
            query = query.Where(a => a.GridCode.StartsWith(code));
        }

        var assignments = await query.Select(a => new { a.Id, a.GridCode }).ToListAsync(ct);
        var scores = await CouncilTallies.OfAssignmentsAsync(db, [.. assignments.Select(a => a.Id)], ct);
        var rules = AssessmentCatalogues.For(assessed).Council;
        var grids = assignments.GroupBy(a => a.GridCode).OrderBy(g => g.Key).Select(g =>
        {
            var given = g.Where(a => scores.ContainsKey(a.Id)).Select(a => scores[a.Id]).ToList();
            var tally = CouncilScoring.Tally([.. given.Select(s => s.Overall)], rules);
            return new CouncilGridProgress(g.Key, snapshot.Grids.TryGetValue(g.Key, out var grid) ? grid.Name : g.Key, g.Count(), given.Count, tally.Quorate,
                tally.TrimmedMean, [.. given.SelectMany(s => s.Phrases).GroupBy(p => p).OrderByDescending(p => p.Count()).ThenBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => new PhraseCount(p.Key, p.Count()))]);
        }).ToList();
        var form = options.Value.Form;
        var today = PatrolTracks.BeijingDay(time.GetUtcNow());
        return TypedResults.Ok(new CouncilProgressResponse(text, assessed.Label, form.OpensOn(assessed), form.ClosesOn(assessed), form.IsOpen(assessed, today),
            rules.Quorum, rules.TrimShare, assignments.Count, scores.Count, grids));
    }

    /// <summary>Reads a period (the last complete quarter when empty); a bad one is a 400 naming the field.</summary>
    internal static bool TryPeriod(string? text, TimeProvider time, out AssessmentPeriod period, out ProblemHttpResult? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            period = AssessmentPeriod.LastComplete(PeriodKind.Quarter, PatrolTracks.BeijingDay(time.GetUtcNow()));
            return true;
        }

        if (AssessmentPeriod.TryParse(text, out period))
        {
            return true;
        }

        problem = Problems.Validation("period", "考核期应写作 2026-Q3（季度）、2026-09（月）或 2026（年度）。");
        return false;
    }

    internal static ProblemHttpResult Broken(CouncilRuleException e) => Problems.Create(StatusCodes.Status422UnprocessableEntity, RuleType,
        "A council rule is broken.", e.Rule switch
        {
            CouncilRuleException.TermEnded => "该成员已经卸任。",
            CouncilRuleException.TermNotCovering => "该成员的任期不包括这个考核期，不能安排评议。",
            CouncilRuleException.EvaluationClosed => "这一期的评议已经结束（或尚未开始），不能再提交或修改评分。",
            CouncilRuleException.BadStars => "每一项请打 1 到 5 颗星。",
            CouncilRuleException.UnknownAspect => "评分项目不在评议表中。",
            CouncilRuleException.MissingAspect => "每一项都要打星，请把没打的补上。",
            CouncilRuleException.UnknownPhrase => "只能从给出的评语中选择，最多选 3 条。",
            CouncilRuleException.EndBeforeStart => "日期不能早于任期开始。",
            _ => "不符合居民议事会评议规则。",
        }, new Dictionary<string, object?> { ["rule"] = e.Rule });

    private static ProblemHttpResult MemberNotFound() => Problems.NotFound("找不到这位议事会成员，或不在您的管辖范围内。");

    private static async Task<List<CouncilMemberResponse>> DescribeAsync(List<CouncilMember> members, CivicGridDbContext db, GeographyIndex geography,
        DateOnly today, CancellationToken ct)
    {
        var snapshot = await geography.GetAsync(ct);
        var userIds = members.Where(m => m.UserId != null).Select(m => m.UserId!.Value).ToList();
        var users = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName, ct);
        var compoundCodes = members.Where(m => m.CompoundCode != null).Select(m => m.CompoundCode!).Distinct().ToList();
        var compounds = await db.Compounds.IgnoreQueryFilters().AsNoTracking().Where(c => compoundCodes.Contains(c.Code)).ToDictionaryAsync(c => c.Code, c => c.Name, ct);
        string NameOf(string code) => snapshot.Grids.TryGetValue(code, out var g) ? g.Name : code;
        return [.. members.Select(m => new CouncilMemberResponse(m.Id, m.Name, Masking.Phone(m.Phone)!, m.Kind, m.CommunityCode, NameOf(m.CommunityCode),
            m.HomeGridCode, NameOf(m.HomeGridCode), m.CompoundCode, m.CompoundCode is { } c ? compounds.GetValueOrDefault(c) : null, m.TermFrom, m.TermTo,
            m.EndedOn, m.EndReason, m.ServesOn(today), m.UserId, m.UserId is { } u ? users.GetValueOrDefault(u) : null))];
    }

    private static async Task<List<CouncilAssignmentResponse>> DescribeAsync(List<CouncilAssignment> assignments, CivicGridDbContext db,
        GeographySnapshot snapshot, CancellationToken ct)
    {
        var memberIds = assignments.Select(a => a.MemberId).Distinct().ToList();
        var members = await db.CouncilMembers.AsNoTracking().Where(m => memberIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        var scored = (await CouncilTallies.OfAssignmentsAsync(db, [.. assignments.Select(a => a.Id)], ct)).Keys.ToHashSet();
        return [.. assignments.Select(a => new CouncilAssignmentResponse(a.Id, a.Period, a.MemberId, members.TryGetValue(a.MemberId, out var m) ? m.Name : "?",
            members.TryGetValue(a.MemberId, out var k) ? k.Kind : CouncilMemberKind.ResidentRepresentative, a.GridCode,
            snapshot.Grids.TryGetValue(a.GridCode, out var g) ? g.Name : a.GridCode, scored.Contains(a.Id), a.AssignedAt))];
    }
}
