using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Assessment.Appeals;

/// <param name="Period">The published period (2026-Q3).</param>
/// <param name="Subject">The grid's code; for a worker's own result, their account id.</param>
/// <param name="Indicator">The indicator's code (on-time-handling).</param>
/// <param name="Reason">Which figure is wrong and what it should be.</param>
/// <param name="Evidence">What the appellant points to: case numbers, dates, photos handed in.</param>
/// <param name="Kind">grid (default: a grid's result, by its worker or leader) or worker (the appellant's own result as a grid worker).</param>
public sealed record FileAppealRequest(string? Period, string? Subject, string? Indicator, string? Reason, string? Evidence,
    [property: ApiValues(typeof(AssessmentApi), nameof(AssessmentApi.Subjects))] string? Kind = null);

/// <summary>The corrected figure (numerator, and denominator for a rate) and why.</summary>
public sealed record AcceptAppealRequest(double? Numerator, double? Denominator, string? Reason);

public sealed record RefuseAppealRequest(string? Reason);

/// <summary>An appeal as its appellant and its reviewer see it.</summary>
/// <param name="Numerator">The figure as published when the appeal was filed.</param>
/// <param name="Deadline">The end of the appeal window of the run it was filed against.</param>
/// <param name="Correction">The correction made when it was accepted: score and stars before and after.</param>
/// <param name="AllowedActions">What the caller may do now: accept, refuse.</param>
/// <param name="SubjectKind">grid (a grid's result; <paramref name="Subject"/> is its code) or worker (a person's own; their account id).</param>
public sealed record AppealResponse(Guid Id, Guid RunId, string Period, string Label, string Subject, string SubjectName, string Indicator, string IndicatorName,
    IndicatorMeasure Measure, string Unit, double Numerator, double? Denominator, string FiledByName, DateTimeOffset FiledAt, string Reason, string? Evidence,
    DateTimeOffset? Deadline, AppealStatus Status, string? DecidedByName, DateTimeOffset? DecidedAt, string? Decision, double? CorrectedNumerator, double? CorrectedDenominator,
    AdjustmentResponse? Correction, [property: ApiValues(typeof(AppealsApi), nameof(AppealsApi.Actions))] IReadOnlyList<string> AllowedActions,
    [property: ApiValues(typeof(AssessmentApi), nameof(AssessmentApi.Subjects))] string SubjectKind = "grid");

/// <summary>
/// Appeals (申诉) against one indicator of one grid of a published run: filed by the grid's worker or leader within the
/// window, reviewed by another person (the community's staff or the operations centre), accepted with a correction that is
/// applied to the stored run (recorded like a review's adjustment, the score and stars recomputed, the run's history saying
/// why and who) or refused with a reason.
/// </summary>
public static class AppealsApi
{
    public const string RuleType = "/problems/appeal-rule";

    public static IReadOnlyList<string> Actions { get; } = ["accept", "refuse"];

    public static RouteGroupBuilder MapAppeals(this RouteGroupBuilder group)
    {
        group.MapPost("/appeals", File).WithName("FileAssessmentAppeal").WithIdempotency()
            .WithSummary("Appeal one indicator of a published result within the appeal window: a grid's (its worker or leader) or one's own as a grid worker (kind=worker).");
        group.MapGet("/appeals", List).WithName("ListAssessmentAppeals")
            .WithSummary("Appeals in the caller's scope (the reviewer's queue; a grid's worker or leader sees their grid's), undecided first.");
        group.MapGet("/appeals/{id:guid}", Get).WithName("GetAssessmentAppeal").WithSummary("One appeal with its decision and correction.");
        group.MapPost("/appeals/{id:guid}/accept", Accept).WithName("AcceptAssessmentAppeal")
            .WithSummary("Accept with a corrected figure and a reason (community staff or operations centre, never the appellant): the stored run is corrected and rescored.");
        group.MapPost("/appeals/{id:guid}/refuse", Refuse).WithName("RefuseAssessmentAppeal")
            .WithSummary("Refuse with a reason the appellant will read (community staff or operations centre, never the appellant).");
        return group;
    }

    public static async Task<Results<Created<AppealResponse>, ProblemHttpResult>> File(FileAppealRequest request, ClaimsPrincipal caller, CivicGridDbContext db,
        IOptions<AssessmentOptions> options, TimeProvider time, CancellationToken ct)
    {
        var kind = string.IsNullOrWhiteSpace(request.Kind) ? "grid" : request.Kind.Trim();
        if (kind == "worker" ? !caller.GetRoles().Any(AssessmentPeople.WorkerRoles.Contains) : !caller.GetRoles().Any(r => r is Role.GridWorker or Role.GridLeader))
        {
            return Problems.Forbidden(kind == "worker" ? "只有网格人员本人可以对自己的考核结果提出申诉。" : "只有本网格的网格员或网格长可以对考核结果提出申诉。");
        }

        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var period = AssessmentApi.PeriodOf(request.Period, now, errors);
        if (string.IsNullOrWhiteSpace(request.Period))
        {
            errors["period"] = ["请选择要申诉的考核期，如 2026-Q3。"];
        }

        if (kind is not ("grid" or "worker"))
        {
            errors["kind"] = ["申诉对象须为 grid（网格的结果）或 worker（本人的结果）。"];
        }

        if (string.IsNullOrWhiteSpace(request.Subject))
        {
            errors["subject"] = [kind == "worker" ? "请选择要申诉的考核结果。" : "请选择要申诉的网格。"];
        }

        if (string.IsNullOrWhiteSpace(request.Indicator))
        {
            errors["indicator"] = ["请选择要申诉的指标。"];
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            errors["reason"] = ["请写明申诉理由：哪项数据不对、应当是多少。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var (subject, refused) = kind == "worker"
            ? await OwnResultAsync(db, caller, period, request.Subject!.Trim(), ct)
            : await GridResultAsync(db, caller, period, request.Subject!.Trim(), ct);
        if (subject is null)
        {
            return refused!;
        }

        var (run, code, name, scopeCode) = subject.Value;
        var text = period.ToString();
        if (run?.PublishedAt is not { } publishedAt)
        {
            return Rule("not-published", $"{period.Label}{name}的考核结果尚未公布；公布后才能申诉，审议中的结果由社区、街道审议会议调整。");
        }

        var indicator = request.Indicator!.Trim();
        var row = await db.RunIndicators.AsNoTracking().SingleOrDefaultAsync(i => i.RunId == run.Id && i.SubjectCode == code && i.Code == indicator, ct);
        if (row is null)
        {
            return Rule("indicator-not-in-result", $"{name}{period.Label}的考核结果中没有指标“{indicator}”。");
        }

        if (await db.Appeals.AnyAsync(a => a.Period == text && a.SubjectCode == code && a.Indicator == indicator && a.Status == AppealStatus.Pending, ct))
        {
            return Problems.Conflict("这项指标已有一份申诉正在复核，请等待复核结果后再申诉。");
        }

        var (appeal, problem) = Appeal.File(options.Value.AppealRules, publishedAt, now, text, kind, code, name, scopeCode, indicator, row.Numerator,
            row.Denominator, caller.GetUserId()!.Value, AssessmentRunsApi.NameOf(caller), request.Reason, request.Evidence);
        if (appeal is null)
        {
            return Rule("appeal-refused", problem!);
        }

        db.Appeals.Add(appeal);
        db.Entry(appeal).Property(AppealConfiguration.RunId).CurrentValue = run.Id;
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/assessment/appeals/{appeal.Id}", await DescribeAsync(db, appeal, caller, options.Value, ct));
    }

    /// <summary>The run a grid's appeal is filed against (its subdistrict's run of the grid's level), when the caller covers the grid.</summary>
    private static async Task<((AssessmentRun? Run, string Code, string Name, string ScopeCode)? Subject, ProblemHttpResult? Problem)> GridResultAsync(
        CivicGridDbContext db, ClaimsPrincipal caller, AssessmentPeriod period, string code, CancellationToken ct)
    {
        var grid = await db.Grids.AsNoTracking().Where(g => g.Code == code && g.Kind == GridKind.Territorial)
            .Select(g => new { g.Code, g.Name, g.Level }).FirstOrDefaultAsync(ct);
        if (grid is null)
        {
            return (null, Problems.NotFound("找不到这个网格，或它不在您的管辖范围内。"));
        }

        if (!caller.GetScope().Covers(grid.Code))
        {
            return (null, Problems.Forbidden($"只能对本人所在网格的考核结果提出申诉；{grid.Name}不是您负责的网格。"));
        }

        var text = period.ToString();
        var subdistrict = grid.Code[..GridCodes.SubdistrictLength];
        var run = await db.AssessmentRuns.AsNoTracking()
            .SingleOrDefaultAsync(r => r.SubdistrictCode == subdistrict && r.Period == text && r.Subject == "grid" && r.Level == grid.Level, ct);
        return ((run, grid.Code, grid.Name, grid.Code), null);
    }

    /// <summary>The worker run holding the caller's own result of the period: a worker appeals only their own (a leader their grid's, as a grid).</summary>
    private static async Task<((AssessmentRun? Run, string Code, string Name, string ScopeCode)? Subject, ProblemHttpResult? Problem)> OwnResultAsync(
        CivicGridDbContext db, ClaimsPrincipal caller, AssessmentPeriod period, string code, CancellationToken ct)
    {
        if (!Guid.TryParse(code, out var id) || caller.GetUserId() != id)
        {
            return (null, Problems.Forbidden("只能对本人的考核结果提出申诉；他人的结果由其本人申诉。"));
        }

        var text = period.ToString();
        var mine = id.ToString("D");
        var stored = await db.RunSubjects.AsNoTracking().Where(s => s.Code == mine)
            .Join(db.AssessmentRuns.AsNoTracking().Where(r => r.Period == text && r.Subject == "worker"), s => s.RunId, r => r.Id, (s, r) => new { s.Name, s.ScopeCode, Run = r })
            .FirstOrDefaultAsync(ct);
        return stored is null
            ? ((null, mine, "您", string.Empty), null)
            : ((stored.Run, mine, stored.Name, stored.ScopeCode), null);
    }

    /// <param name="status">pending, accepted or refused; all when absent.</param>
    /// <param name="period">Only this period (2026-Q3).</param>
    public static async Task<Results<Ok<List<AppealResponse>>, ProblemHttpResult>> List([ApiEnum(typeof(AppealStatus))] string? status, string? period,
        ClaimsPrincipal caller, CivicGridDbContext db, IOptions<AssessmentOptions> options, CancellationToken ct)
    {
        var appeals = Visible(db, caller);
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!ApiEnums.TryParse<AppealStatus>(status, out var wanted))
            {
                return Problems.Validation("status", $"申诉状态只能是 {ApiEnums.List<AppealStatus>()}。");
            }

            appeals = appeals.Where(a => a.Status == wanted);
        }

        if (!string.IsNullOrWhiteSpace(period))
        {
            var text = period.Trim();
            appeals = appeals.Where(a => a.Period == text);
        }

        var rows = await appeals.OrderBy(a => a.Status).ThenByDescending(a => a.FiledAt).Take(500).ToListAsync(ct);
        return TypedResults.Ok(await DescribeAsync(db, rows, caller, options.Value, ct));
    }

    public static async Task<Results<Ok<AppealResponse>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        IOptions<AssessmentOptions> options, CancellationToken ct) =>
        await Visible(db, caller).SingleOrDefaultAsync(a => a.Id == id, ct) is { } appeal
            ? TypedResults.Ok(await DescribeAsync(db, appeal, caller, options.Value, ct))
            : NotFound();

    public static async Task<Results<Ok<AppealResponse>, ProblemHttpResult>> Accept(Guid id, AcceptAppealRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, IOptions<AssessmentOptions> options, TimeProvider time, CancellationToken ct)
    {
        var (appeal, refused) = await ToDecideAsync(id, caller, db, ct);
        if (appeal is null)
        {
            return refused!;
        }

        var runId = db.Entry(appeal).Property<Guid>(AppealConfiguration.RunId).CurrentValue;
        var run = await db.AssessmentRuns.SingleAsync(r => r.Id == runId, ct);
        var catalogue = await AssessmentCatalogues.VersionAsync(db, run.CatalogueVersion, ct) ?? IndicatorCatalogue.Seed;
        var definition = (run.Level is { } level ? catalogue.ForGrid(level) : catalogue.Indicators).FirstOrDefault(d => d.Code == appeal.Indicator);
        var errors = new Dictionary<string, string[]>();
        if (request.Numerator is not { } numerator)
        {
            errors["numerator"] = ["请填写更正后的数值。"];
        }
        else if (definition is not null && IndicatorAdjustment.Problem(definition, numerator, request.Denominator) is { } wrong)
        {
            errors["numerator"] = [wrong];
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 1000)
        {
            errors["reason"] = ["采纳申诉须写明更正的理由（不超过 1000 字）。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var by = caller.GetUserId()!.Value;
        var name = AssessmentRunsApi.NameOf(caller);
        var now = time.GetUtcNow();
        if (appeal.Accept(by, name, now, request.Reason, request.Numerator!.Value, request.Denominator) is { } problem)
        {
            return Rule("appeal-decision", problem);
        }

        var subject = await db.RunSubjects.SingleAsync(s => s.RunId == run.Id && s.Code == appeal.SubjectCode, ct);
        var rows = await db.RunIndicators.Where(r => r.SubjectId == subject.Id).ToListAsync(ct);
        var row = rows.Single(r => r.Code == appeal.Indicator);
        var (_, note) = StoredResults.Correct(db, subject, rows, row, StoredResults.IndicatorsOf(catalogue, run, rows), catalogue.Stars,
            new Correction(request.Numerator!.Value, request.Denominator, $"申诉更正：{request.Reason!.Trim()}", by, name, now, null, appeal.Id));
        try
        {
            run.RecordAppealCorrection(by, name, now, note);
        }
        catch (RunRuleException e)
        {
            return Rule(e.Rule, e.ChineseMessage);
        }

        return await SaveAsync(db, appeal, caller, options.Value, ct);
    }

    public static async Task<Results<Ok<AppealResponse>, ProblemHttpResult>> Refuse(Guid id, RefuseAppealRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, IOptions<AssessmentOptions> options, TimeProvider time, CancellationToken ct)
    {
        var (appeal, refused) = await ToDecideAsync(id, caller, db, ct);
        if (appeal is null)
        {
            return refused!;
        }

        if (request.Reason is { Length: > 1000 })
        {
            return Problems.Validation("reason", "不予采纳的理由不超过 1000 字。");
        }

        return appeal.Refuse(caller.GetUserId()!.Value, AssessmentRunsApi.NameOf(caller), time.GetUtcNow(), request.Reason) is { } problem
            ? Rule("appeal-decision", problem)
            : await SaveAsync(db, appeal, caller, options.Value, ct);
    }

    /// <summary>The appeals in the caller's scope, except that a grid worker sees of workers' appeals only their own.</summary>
    private static IQueryable<Appeal> Visible(CivicGridDbContext db, ClaimsPrincipal caller)
    {
        var appeals = db.Appeals.AsNoTracking();
        if (AssessmentApi.ReadsPeople(caller))
        {
            return appeals;
        }

        var me = caller.GetUserId()?.ToString("D") ?? string.Empty;
        return appeals.Where(a => a.SubjectKind == "grid" || a.SubjectCode == me);
    }

    /// <summary>The community's staff and the subdistrict's operations centre review the appeals of the grids they cover.</summary>
    private static bool IsReviewer(ClaimsPrincipal caller, Appeal appeal)
    {
        var scope = caller.GetScope();
        var roles = caller.GetRoles();
        return scope.Covers(appeal.ScopeCode)
            && ((roles.Contains(Role.CommunityStaff) && scope.Code.Length == GridCodes.CommunityLength)
                || (roles.Contains(Role.SubdistrictOperator) && scope.Code.Length == GridCodes.SubdistrictLength));
    }

    /// <summary>The appeal, when the caller sees it and may decide it.</summary>
    private static async Task<(Appeal? Appeal, ProblemHttpResult? Problem)> ToDecideAsync(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        CancellationToken ct) =>
        await db.Appeals.SingleOrDefaultAsync(a => a.Id == id, ct) is not { } appeal ? (null, NotFound())
            : IsReviewer(caller, appeal) ? (appeal, null) : (null, NotReviewer());

    private static ProblemHttpResult NotReviewer() => Problems.Forbidden("申诉由网格所在社区的工作人员或街道城运中心复核。");

    private static ProblemHttpResult NotFound() => Problems.NotFound("找不到这项申诉，或它不在您的管辖范围内。");

    private static ProblemHttpResult Rule(string rule, string detail) =>
        Problems.Create(StatusCodes.Status422UnprocessableEntity, RuleType, "The appeal's rules do not allow this.", detail,
            new Dictionary<string, object?> { ["rule"] = rule });

    private static async Task<Results<Ok<AppealResponse>, ProblemHttpResult>> SaveAsync(CivicGridDbContext db, Appeal appeal, ClaimsPrincipal caller,
        AssessmentOptions options, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("刚刚有人同时处理了这项申诉或更正了该考核批次，请刷新后查看。");
        }

        return TypedResults.Ok(await DescribeAsync(db, appeal, caller, options, ct));
    }

    private static async Task<AppealResponse> DescribeAsync(CivicGridDbContext db, Appeal appeal, ClaimsPrincipal caller, AssessmentOptions options,
        CancellationToken ct) => (await DescribeAsync(db, [appeal], caller, options, ct))[0];

    private static async Task<List<AppealResponse>> DescribeAsync(CivicGridDbContext db, IReadOnlyList<Appeal> appeals, ClaimsPrincipal caller,
        AssessmentOptions options, CancellationToken ct)
    {
        var ids = appeals.Select(a => a.Id).ToList();
        var runIds = appeals.Select(a => db.Entry(a).Property<Guid>(AppealConfiguration.RunId).CurrentValue).Distinct().ToList();
        var runs = await db.AssessmentRuns.AsNoTracking().Where(r => runIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        var corrections = await db.AssessmentAdjustments.AsNoTracking().Where(a => a.AppealId != null && ids.Contains(a.AppealId.Value))
            .ToDictionaryAsync(a => a.AppealId!.Value, ct);
        var catalogues = new Dictionary<int, IndicatorCatalogue>();
        foreach (var version in runs.Values.Select(r => r.CatalogueVersion).Distinct())
        {
            catalogues[version] = await AssessmentCatalogues.VersionAsync(db, version, ct) ?? IndicatorCatalogue.Seed;
        }

        var me = caller.GetUserId();
        return [.. appeals.Select(a =>
        {
            var runId = db.Entry(a).Property<Guid>(AppealConfiguration.RunId).CurrentValue;
            var run = runs.GetValueOrDefault(runId);
            var definition = (run is null ? IndicatorCatalogue.Seed : catalogues[run.CatalogueVersion]).Find(a.Indicator);
            var actions = a.Status == AppealStatus.Pending && a.FiledBy != me && IsReviewer(caller, a) ? Actions : [];
            return new AppealResponse(a.Id, runId, a.Period, AssessmentPeriod.Parse(a.Period).Label, a.SubjectCode, a.SubjectName, a.Indicator,
                definition?.Name ?? a.Indicator, definition?.Measure ?? IndicatorMeasure.Ratio, definition?.Unit ?? string.Empty, a.Numerator, a.Denominator,
                a.FiledByName, a.FiledAt, a.Reason, a.Evidence, run?.PublishedAt is { } published ? options.AppealRules.DeadlineAfter(published) : null, a.Status, a.DecidedByName, a.DecidedAt, a.Decision, a.CorrectedNumerator, a.CorrectedDenominator,
                corrections.GetValueOrDefault(a.Id) is { } c ? AdjustmentResponse.Of(c) : null, actions, a.SubjectKind);
        })];
    }
}
