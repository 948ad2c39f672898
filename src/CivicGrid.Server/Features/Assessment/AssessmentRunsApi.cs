using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>A community with subjects in a run, and whether it has approved its part.</summary>
public sealed record RunCommunity(string Code, string Name, bool Approved, string? ApprovedBy, DateTimeOffset? ApprovedAt);

public sealed record RunHistoryEntry(RunAction Action, RunStatus From, RunStatus To, string ByName, DateTimeOffset At, string? Note);

/// <summary>A correction of one stored indicator, with the subject's score and stars before and after.</summary>
/// <param name="ReviewId">The review meeting that decided it; null for an appeal's correction.</param>
/// <param name="AppealId">The accepted appeal it corrects; null for a review's adjustment.</param>
public sealed record AdjustmentResponse(Guid Id, Guid? ReviewId, string Subject, string SubjectName, string Indicator, double? NumeratorBefore,
    double? DenominatorBefore, double Numerator, double? Denominator, string Reason, double ScoreBefore, double ScoreAfter, int? StarsBefore, int? StarsAfter,
    string ByName, DateTimeOffset At, Guid? AppealId = null)
{
    public static AdjustmentResponse Of(AssessmentAdjustment a) => new(a.Id, a.ReviewId, a.SubjectCode, a.SubjectName, a.Indicator, a.NumeratorBefore,
        a.DenominatorBefore, a.Numerator, a.Denominator, a.Reason, a.ScoreBefore, a.ScoreAfter, a.StarsBefore, a.StarsAfter, a.ByName, a.At, a.AppealId);
}

public sealed record ReviewResponse(Guid Id, ReviewStage Stage, string ScopeCode, string Title, DateTimeOffset HeldAt, string Place, IReadOnlyList<string> Participants,
    string Summary, string RecordedByName, DateTimeOffset RecordedAt);

/// <summary>A run as the console shows it: where it stands, what the caller may do next, and everything done so far.</summary>
/// <param name="AllowedActions">The steps the caller may take now: compute, open-council, close-council, record-review, approve, publish, verify.</param>
/// <param name="NextStep">What has to happen next, in Chinese, whoever does it.</param>
public sealed record RunResponse(Guid Id, string SubdistrictCode, string Period, string Label, string Subject, string Level, RunStatus Status, int CatalogueVersion,
    string InputDigest, DateTimeOffset ComputedAt, DateTimeOffset AsOf, bool PeriodEnded, int Version, int Subjects, IReadOnlyList<RunCommunity> Communities,
    IReadOnlyList<RunHistoryEntry> History, IReadOnlyList<ReviewResponse> Reviews, IReadOnlyList<AdjustmentResponse> Adjustments,
    [property: ApiValues(typeof(AssessmentRunsApi), nameof(AssessmentRunsApi.Actions))] IReadOnlyList<string> AllowedActions, string NextStep);

public sealed record RunSummary(Guid Id, string SubdistrictCode, string Period, string Label, string Level, RunStatus Status, int CatalogueVersion,
    DateTimeOffset ComputedAt, bool PeriodEnded);

/// <param name="Period">2026-11, 2026-Q3 or 2026.</param>
/// <param name="Level">grid-2, grid-3 (default) or micro; for grids only.</param>
/// <param name="Subject">grid (default: the grids of <paramref name="Level"/>) or worker (the subdistrict's grid workers, leaders, volunteers and sunk liaisons).</param>
public sealed record ComputeRunRequest(string? Period, string? Level,
    [property: ApiValues(typeof(AssessmentApi), nameof(AssessmentApi.Subjects))] string? Subject = null);

/// <summary>A corrected indicator of one subject (numerator, and denominator for a rate), with the reason.</summary>
public sealed record AdjustmentInput(string? Subject, string? Indicator, double? Numerator, double? Denominator, string? Reason);

/// <summary>A review meeting (评议会): when, where, who took part, what was decided, and the corrections it made.</summary>
public sealed record RecordReviewRequest(string? Title, DateTimeOffset? HeldAt, string? Place, IReadOnlyList<string>? Participants, string? Summary,
    IReadOnlyList<AdjustmentInput>? Adjustments);

/// <summary>One record (or value) that differs between the stored run and a recomputation now.</summary>
public sealed record EvidenceChangeResponse(string Subject, string Indicator, string IndicatorName, string? Reference, EvidenceChangeKind Kind, string? Before,
    string? After);

/// <param name="Same">True when the recomputation has the stored digest: nothing behind the result changed.</param>
public sealed record VerifyResponse(bool Same, string StoredDigest, string CurrentDigest, int CatalogueVersion, DateTimeOffset AsOf,
    IReadOnlyList<EvidenceChangeResponse> Changes, string Message);

/// <summary>
/// Assessment runs (考核批次): compute and store a subdistrict's results of a period and level, the council's evaluation
/// step, the community's and subdistrict's review meetings with their corrections (双议), approval, publication, and the
/// check of a stored run against a recomputation.
/// </summary>
public static class AssessmentRunsApi
{
    public const string RuleType = "/problems/assessment-run-rule";

    public static IReadOnlyList<string> Actions { get; } = ["compute", "open-council", "close-council", "record-review", "approve", "publish", "verify"];

    public static RouteGroupBuilder MapAssessmentRuns(this RouteGroupBuilder group)
    {
        group.MapGet("/runs", List).WithName("ListAssessmentRuns").WithSummary("Runs of the caller's subdistrict (or above), newest period first.");
        group.MapPost("/runs", Compute).WithName("ComputeAssessmentRun")
            .WithSummary("Compute and store a period's results for one grid level, or for the grid workers, of the caller's subdistrict (subdistrict operations centre); recomputes until the first review.");
        group.MapGet("/runs/{id:guid}", Get).WithName("GetAssessmentRun").WithSummary("A run: status, history, reviews, corrections and the caller's next steps.");
        group.MapGet("/runs/{id:guid}/results", RunResults).WithName("ListAssessmentRunResults")
            .WithSummary("The run's stored results as they stand (after corrections), for the grids the caller may see.");
        group.MapPost("/runs/{id:guid}/open-council", OpenCouncil).WithName("OpenAssessmentRunCouncil")
            .WithSummary("Open the resident council's evaluation of the run (subdistrict operations centre).");
        group.MapPost("/runs/{id:guid}/close-council", CloseCouncil).WithName("CloseAssessmentRunCouncil")
            .WithSummary("Close the council's evaluation; the run may then be reviewed.");
        group.MapPost("/runs/{id:guid}/reviews", RecordReview).WithName("RecordAssessmentReview").WithIdempotency()
            .WithSummary("Record a review meeting: community staff for their community, then the operations centre for the subdistrict; with corrections.");
        group.MapPost("/runs/{id:guid}/approve", Approve).WithName("ApproveAssessmentRun")
            .WithSummary("Approve the reviewed result: community staff for their community, then the operations centre for the subdistrict.");
        group.MapPost("/runs/{id:guid}/publish", Publish).WithName("PublishAssessmentRun")
            .WithSummary("Publish and freeze the run (operations centre, after both approvals).");
        group.MapPost("/runs/{id:guid}/verify", Verify).WithName("VerifyAssessmentRun")
            .WithSummary("Recompute the run with its catalogue version as of its instant: the same digest, or every record that changed since.");
        return group;
    }

    /// <param name="period">Only this period (2026-Q3).</param>
    public static async Task<Ok<List<RunSummary>>> List(string? period, CivicGridDbContext db, CancellationToken ct)
    {
        var runs = db.AssessmentRuns.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(period))
        {
            var text = period.Trim();
            runs = runs.Where(r => r.Period == text);
        }

        var rows = await runs.OrderByDescending(r => r.ComputedAt).Take(200).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => new RunSummary(r.Id, r.SubdistrictCode, r.Period, AssessmentPeriod.Parse(r.Period).Label,
            r.Level?.ToApiName() ?? "worker", r.Status, r.CatalogueVersion, r.ComputedAt, r.PeriodEnded)).ToList());
    }

    public static async Task<Results<Ok<RunResponse>, ProblemHttpResult>> Compute(ComputeRunRequest request, ClaimsPrincipal caller, CivicGridDbContext db,
        AssessmentRuns runs, TimeProvider time, CancellationToken ct)
    {
        var scope = caller.GetScope();
        if (!caller.GetRoles().Contains(Role.SubdistrictOperator) || scope.Code.Length != GridCodes.SubdistrictLength)
        {
            return Problems.Forbidden("只有街道城运中心可以计算并保存本街道的考核结果。");
        }

        var errors = new Dictionary<string, string[]>();
        var period = AssessmentApi.PeriodOf(request.Period, time.GetUtcNow(), errors);
        if (string.IsNullOrWhiteSpace(request.Period))
        {
            errors["period"] = ["请填写考核期，如 2026-11（月）、2026-Q3（季度）或 2026（年度）。"];
        }

        var workers = request.Subject?.Trim() == "worker";
        if (!string.IsNullOrWhiteSpace(request.Subject) && !workers && request.Subject.Trim() != "grid")
        {
            errors["subject"] = ["考核对象须为 grid（网格）或 worker（网格人员）。"];
        }

        var level = GridLevel.Third;
        if (!workers && !string.IsNullOrWhiteSpace(request.Level)
            && !(GridLevelNames.TryParse(request.Level, out level) && level is GridLevel.Second or GridLevel.Third or GridLevel.Micro))
        {
            errors["level"] = ["网格层级须为 grid-2（二级网格）、grid-3（三级网格）或 micro（微网格）。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        try
        {
            var run = await runs.ComputeAsync(db, scope.Code, period, workers ? null : level, caller.GetUserId(), NameOf(caller), ct);
            return TypedResults.Ok(await DescribeAsync(db, run, caller, ct));
        }
        catch (RunRuleException e)
        {
            return Refusal(e);
        }
        catch (DbUpdateException)
        {
            return Problems.Conflict("刚刚有人同时计算了这一批次，请刷新后查看。");
        }
    }

    public static async Task<Results<Ok<RunResponse>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal caller, CivicGridDbContext db, CancellationToken ct) =>
        await db.AssessmentRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct) is { } run
            ? TypedResults.Ok(await DescribeAsync(db, run, caller, ct))
            : NotFound();

    public static async Task<Results<Ok<List<GridResult>>, ProblemHttpResult>> RunResults(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        GeographyIndex geography, CancellationToken ct)
    {
        if (await db.AssessmentRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct) is not { } run)
        {
            return NotFound();
        }

        var results = await StoredResults.ResultsOfAsync(db, run, ct);
        return TypedResults.Ok(run.Level is null ? await AssessmentApi.StoredWorkersAsync(db, geography, caller, results, ct) : results);
    }

    public static Task<Results<Ok<RunResponse>, ProblemHttpResult>> OpenCouncil(Guid id, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time,
        CancellationToken ct) => ActAsync(id, caller, db, (run, _) =>
            !IsOperatorOf(caller, run) ? Problems.Forbidden("只有本街道城运中心可以开启议事会评议。")
            : run.Level is null ? Refusal(new RunRuleException("council-for-grids", "居民议事会评议的是网格，不单独评议网格人员；网格人员的结果可直接进入社区审议。"))
            : Do(() => run.OpenCouncil(caller.GetUserId()!.Value, NameOf(caller), time.GetUtcNow())), ct);

    public static Task<Results<Ok<RunResponse>, ProblemHttpResult>> CloseCouncil(Guid id, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time,
        CancellationToken ct) => ActAsync(id, caller, db, (run, _) =>
            IsOperatorOf(caller, run) ? Do(() => run.CloseCouncil(caller.GetUserId()!.Value, NameOf(caller), time.GetUtcNow()))
                : Problems.Forbidden("只有本街道城运中心可以结束议事会评议。"), ct);

    public static async Task<Results<Ok<RunResponse>, ProblemHttpResult>> Approve(Guid id, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time,
        CancellationToken ct)
    {
        // The run's record names the community that approved, not its code.
        var scope = caller.GetScope().Code;
        var scopeName = await db.Grids.AsNoTracking().Where(g => g.Code == scope).Select(g => g.Name).FirstOrDefaultAsync(ct);
        return await ActAsync(id, caller, db, (run, _) =>
        {
            var by = caller.GetUserId()!.Value;
            if (CommunityOf(caller, run) is { } community)
            {
                return Do(() => run.ApproveCommunity(community, scopeName ?? community, by, NameOf(caller), time.GetUtcNow()));
            }

            return IsOperatorOf(caller, run)
                ? Do(() => run.ApproveSubdistrict(by, NameOf(caller), time.GetUtcNow()))
                : Problems.Forbidden("只有参评社区的社区工作人员（社区审议）或本街道城运中心（街道审议）可以审议通过。");
        }, ct);
    }

    public static Task<Results<Ok<RunResponse>, ProblemHttpResult>> Publish(Guid id, ClaimsPrincipal caller, CivicGridDbContext db, TimeProvider time,
        CancellationToken ct) => ActAsync(id, caller, db, (run, _) =>
            IsOperatorOf(caller, run) ? Do(() => run.Publish(caller.GetUserId()!.Value, NameOf(caller), time.GetUtcNow()))
                : Problems.Forbidden("只有本街道城运中心可以公布考核结果。"), ct);

    public static async Task<Results<Ok<RunResponse>, ProblemHttpResult>> RecordReview(Guid id, RecordReviewRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (await db.AssessmentRuns.SingleOrDefaultAsync(r => r.Id == id, ct) is not { } run)
        {
            return NotFound();
        }

        var (stage, scopeCode) = CommunityOf(caller, run) is { } community ? (ReviewStage.Community, community)
            : IsOperatorOf(caller, run) ? (ReviewStage.Subdistrict, run.SubdistrictCode) : (default, string.Empty);
        if (scopeCode.Length == 0)
        {
            return Problems.Forbidden("只有参评社区的社区工作人员或本街道城运中心可以登记考核审议会议。");
        }

        var errors = new Dictionary<string, string[]>();
        var participants = request.Participants?.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).Distinct().ToList() ?? [];
        if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Length > 200)
        {
            errors["title"] = ["请填写会议名称（不超过 200 字）。"];
        }

        if (request.HeldAt is null || request.HeldAt > now)
        {
            errors["heldAt"] = ["请填写会议时间，且不能晚于现在。"];
        }

        if (string.IsNullOrWhiteSpace(request.Place) || request.Place.Length > 200)
        {
            errors["place"] = ["请填写会议地点（不超过 200 字）。"];
        }

        if (participants.Count == 0 || participants.Any(p => p.Length > 50))
        {
            errors["participants"] = ["请填写参会人员姓名（每人不超过 50 字）。"];
        }

        if (request.Summary is { Length: > 4000 })
        {
            errors["summary"] = ["会议纪要不超过 4000 字。"];
        }

        if (run.WhyNoReview(stage, scopeCode) is { } why)
        {
            return Refusal(new RunRuleException("review-not-open", why));
        }

        var catalogue = await AssessmentCatalogues.VersionAsync(db, run.CatalogueVersion, ct) ?? IndicatorCatalogue.Seed;
        var indicators = run.Level is { } level ? catalogue.ForGrid(level) : catalogue.Indicators;
        var adjustments = request.Adjustments ?? [];
        var adjusted = adjustments.Select(a => a.Subject).ToList();
        var grids = await db.RunSubjects.AsNoTracking().Where(s => s.RunId == run.Id && adjusted.Contains(s.Code)).ToDictionaryAsync(s => s.Code, s => s.ScopeCode, ct);
        for (var i = 0; i < adjustments.Count; i++)
        {
            var a = adjustments[i];
            var definition = indicators.FirstOrDefault(d => d.Code == a.Indicator);
            var problem = string.IsNullOrWhiteSpace(a.Subject) || !grids.TryGetValue(a.Subject, out var grid) || !GridCodes.IsWithin(grid, scopeCode)
                ? "请选择本次审议范围内的考核对象。"
                : definition is null ? $"指标“{a.Indicator}”不适用于本批次的考核对象。"
                : a.Numerator is not { } numerator ? "请填写调整后的数值。"
                : IndicatorAdjustment.Problem(definition, numerator, a.Denominator)
                ?? (string.IsNullOrWhiteSpace(a.Reason) || a.Reason.Length > 1000 ? "请填写调整理由（不超过 1000 字）。" : null);
            if (problem is not null)
            {
                errors[$"adjustments[{i}]"] = [problem];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var by = caller.GetUserId()!.Value;
        var name = NameOf(caller);
        var review = new AssessmentReview
        {
            Id = Guid.CreateVersion7(), RunId = run.Id, Stage = stage, ScopeCode = scopeCode, Title = request.Title!.Trim(), HeldAt = request.HeldAt!.Value.ToUniversalTime(),
            Place = request.Place!.Trim(), Participants = participants, Summary = request.Summary?.Trim() ?? string.Empty, RecordedBy = by,
            RecordedByName = name, RecordedAt = now,
        };
        run.RecordReview(stage, scopeCode, review.Id, by, name, now, review.Title);
        db.AssessmentReviews.Add(review);
        foreach (var a in adjustments)
        {
            var subject = await db.RunSubjects.SingleOrDefaultAsync(s => s.RunId == run.Id && s.Code == a.Subject, ct);
            if (subject is null)
            {
                return Problems.Validation("adjustments", $"本批次中没有考核对象 {a.Subject}，或它不在您的管辖范围内。");
            }

            var rows = await db.RunIndicators.Where(r => r.SubjectId == subject.Id).ToListAsync(ct);
            if (rows.FirstOrDefault(r => r.Code == a.Indicator) is not { } row)
            {
                return Problems.Validation("adjustments", $"{subject.Name}没有指标“{a.Indicator}”。");
            }

            var (_, note) = StoredResults.Correct(db, subject, rows, row, StoredResults.IndicatorsOf(catalogue, run, rows), catalogue.Stars,
                new Correction(a.Numerator!.Value, a.Denominator, a.Reason!.Trim(), by, name, now, review.Id, null));
            run.RecordAdjustment(stage, scopeCode, by, name, now, note);
        }

        return await SaveAsync(db, run, caller, ct);
    }

    public static async Task<Results<Ok<VerifyResponse>, ProblemHttpResult>> Verify(Guid id, ClaimsPrincipal caller, CivicGridDbContext db, AssessmentRuns runs,
        CancellationToken ct)
    {
        if (await db.AssessmentRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct) is not { } run)
        {
            return NotFound();
        }

        if (!caller.GetScope().Covers(run.SubdistrictCode) || !caller.GetRoles().Any(r => r is Role.SubdistrictOperator or Role.DistrictViewer))
        {
            return Problems.Forbidden("只有本街道城运中心或区级可以核验整批考核结果。");
        }

        var catalogue = await AssessmentCatalogues.VersionAsync(db, run.CatalogueVersion, ct) ?? IndicatorCatalogue.Seed;
        var check = await runs.VerifyAsync(db, run, ct);
        var message = check.Same
            ? "重新计算的输入摘要与保存时一致：支撑该结果的记录没有变化。"
            : $"重新计算的输入摘要与保存时不同：{check.Changes.Count} 处记录有变化（见下表）。已保存的结果不变。";
        return TypedResults.Ok(new VerifyResponse(check.Same, check.StoredDigest, check.CurrentDigest, run.CatalogueVersion, run.AsOf,
            [.. check.Changes.Select(c => new EvidenceChangeResponse(c.Subject, c.Indicator, catalogue.Find(c.Indicator)?.Name ?? c.Indicator, c.Reference, c.Kind,
                c.Before, c.After))], message));
    }

    private static ProblemHttpResult NotFound() => Problems.NotFound("找不到这个考核批次，或它不在您的管辖范围内。");

    private static ProblemHttpResult Refusal(RunRuleException e) =>
        Problems.Create(StatusCodes.Status422UnprocessableEntity, RuleType, "The run's lifecycle does not allow this now.", e.ChineseMessage,
            new Dictionary<string, object?> { ["rule"] = e.Rule });

    private static ProblemHttpResult? Do(Action act)
    {
        try
        {
            act();
            return null;
        }
        catch (RunRuleException e)
        {
            return Refusal(e);
        }
    }

    private static async Task<Results<Ok<RunResponse>, ProblemHttpResult>> ActAsync(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        Func<AssessmentRun, ClaimsPrincipal, ProblemHttpResult?> act, CancellationToken ct)
    {
        if (await db.AssessmentRuns.SingleOrDefaultAsync(r => r.Id == id, ct) is not { } run)
        {
            return NotFound();
        }

        return act(run, caller) is { } refused ? refused : await SaveAsync(db, run, caller, ct);
    }

    private static async Task<Results<Ok<RunResponse>, ProblemHttpResult>> SaveAsync(CivicGridDbContext db, AssessmentRun run, ClaimsPrincipal caller,
        CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("刚刚有人更新了这个考核批次，请刷新后重试。");
        }

        return TypedResults.Ok(await DescribeAsync(db, run, caller, ct));
    }

    internal static string NameOf(ClaimsPrincipal caller) => caller.FindFirst(CivicGridClaims.DisplayName)?.Value ?? "工作人员";

    private static bool IsOperatorOf(ClaimsPrincipal caller, AssessmentRun run) =>
        caller.GetRoles().Contains(Role.SubdistrictOperator) && caller.GetScope().Code == run.SubdistrictCode;

    /// <summary>The caller's community when they are community staff of a community with subjects in the run.</summary>
    private static string? CommunityOf(ClaimsPrincipal caller, AssessmentRun run)
    {
        var code = caller.GetScope().Code;
        return caller.GetRoles().Contains(Role.CommunityStaff) && code.Length == GridCodes.CommunityLength && run.Communities.Contains(code) ? code : null;
    }

    private static List<string> AllowedActions(ClaimsPrincipal caller, AssessmentRun run)
    {
        var actions = new List<string>();
        var isOperator = IsOperatorOf(caller, run);
        var community = CommunityOf(caller, run);
        if (isOperator && run.MayRecompute)
        {
            actions.Add("compute");
        }

        if (isOperator && run.Status == RunStatus.Provisional && run.Level is not null)
        {
            actions.Add("open-council");
        }

        if (isOperator && run.Status == RunStatus.CouncilOpen)
        {
            actions.Add("close-council");
        }

        var reviewable = community is not null ? run.WhyNoReview(ReviewStage.Community, community) is null
            : isOperator && run.WhyNoReview(ReviewStage.Subdistrict, run.SubdistrictCode) is null;
        if (reviewable)
        {
            actions.Add("record-review");
        }

        var stage = community is not null ? ReviewStage.Community : ReviewStage.Subdistrict;
        if (reviewable && run.Reviews.Any(r => r.Stage == stage && r.ScopeCode == (community ?? run.SubdistrictCode)))
        {
            actions.Add("approve");
        }

        if (isOperator && run.Status == RunStatus.SubdistrictApproved)
        {
            actions.Add("publish");
        }

        if (caller.GetScope().Covers(run.SubdistrictCode) && caller.GetRoles().Any(r => r is Role.SubdistrictOperator or Role.DistrictViewer))
        {
            actions.Add("verify");
        }

        return actions;
    }

    private static string NextStep(AssessmentRun run) => run.Status switch
    {
        RunStatus.Provisional when !run.PeriodEnded => "考核期尚未结束，当前为暂定结果；期末后由街道重新计算（或等待定时任务）再进入评议。",
        RunStatus.Provisional when run.Level is null => "各社区召开审议会议，审议本社区网格人员的结果。",
        RunStatus.Provisional => "可由街道开启议事会评议，或直接由各社区召开审议会议。",
        RunStatus.CouncilOpen => "居民议事会正在评议；评议结束后由街道结束评议。",
        RunStatus.CouncilClosed => "各社区召开审议会议（可调整指标并说明理由），然后审议通过。",
        RunStatus.CommunityReviewed => "各社区已审议通过；街道召开审议会议后审议通过。",
        RunStatus.SubdistrictApproved => "社区、街道两级审议均已通过；街道城运中心可以公布。",
        _ => "已公布并冻结；可随时核验支撑结果的记录是否有变化。",
    };

    private static async Task<RunResponse> DescribeAsync(CivicGridDbContext db, AssessmentRun run, ClaimsPrincipal caller, CancellationToken ct)
    {
        var reviews = await db.AssessmentReviews.AsNoTracking().Where(r => r.RunId == run.Id).OrderBy(r => r.RecordedAt).ToListAsync(ct);
        var adjustments = db.AssessmentAdjustments.AsNoTracking().Where(a => a.RunId == run.Id);
        if (run.Level is null && !AssessmentApi.ReadsPeople(caller))
        {
            var me = caller.GetUserId()?.ToString("D") ?? string.Empty;
            adjustments = adjustments.Where(a => a.SubjectCode == me);
        }

        var corrections = await adjustments.OrderBy(a => a.At).ToListAsync(ct);
        var subjects = await db.RunSubjects.CountAsync(s => s.RunId == run.Id, ct);
        var codes = run.Communities;
        // Community staff see whose approval the run waits for by name: the names of the run's communities (all within its
        // subdistrict) are not scoped like the grids' records are.
        var names = await db.Grids.IgnoreQueryFilters().AsNoTracking().Where(g => codes.Contains(g.Code)).ToDictionaryAsync(g => g.Code, g => g.Name, ct);
        return new RunResponse(run.Id, run.SubdistrictCode, run.Period, AssessmentPeriod.Parse(run.Period).Label, run.Subject, run.Level?.ToApiName() ?? "worker",
            run.Status, run.CatalogueVersion, run.InputDigest, run.ComputedAt, run.AsOf, run.PeriodEnded, run.Version, subjects,
            [.. run.Communities.Select(c => run.CommunityApprovals.FirstOrDefault(a => a.CommunityCode == c) is { } a
                ? new RunCommunity(c, names.GetValueOrDefault(c) ?? c, true, a.ByName, a.At)
                : new RunCommunity(c, names.GetValueOrDefault(c) ?? c, false, null, null))],
            [.. run.History.Select(h => new RunHistoryEntry(h.Action, h.From, h.To, h.ByName, h.At, h.Note))],
            [.. reviews.Select(r => new ReviewResponse(r.Id, r.Stage, r.ScopeCode, r.Title, r.HeldAt, r.Place, r.Participants, r.Summary, r.RecordedByName,
                r.RecordedAt))],
            [.. corrections.Select(AdjustmentResponse.Of)],
            AllowedActions(caller, run), NextStep(run));
    }
}
