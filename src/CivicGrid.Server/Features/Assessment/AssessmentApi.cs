using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Assessment.Appeals;
using CivicGrid.Server.Features.Assessment.Standings;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>One indicator of the catalogue as published to everyone assessed by it.</summary>
public sealed record CatalogueIndicator(string Code, string Name, StarGroup Group, IReadOnlyList<string> GridLevels, IReadOnlyList<Role> WorkerRoles,
    IndicatorSource Source, IndicatorMeasure Measure, string Numerator, string Denominator, string Unit, double Target, double ZeroAt,
    ScoringRule Rule, double Weight, bool Computed);

/// <param name="EffectiveFrom">The first period this version applies to (e.g. 2026-01).</param>
/// <param name="StarThresholds">Scores at which 2, 3, 4 and 5 stars begin.</param>
public sealed record CatalogueResponse(int Version, string EffectiveFrom, IReadOnlyList<CatalogueIndicator> Indicators, IReadOnlyList<double> StarThresholds,
    double MinimumApplicableWeightShare, int CouncilQuorum, double CouncilTrimShare);

/// <summary>An indicator's line in a scorecard.</summary>
/// <param name="Value">Numerator ÷ denominator (a ratio), the count or the mean; null when it does not apply this period.</param>
/// <param name="Reason">Why it does not apply (Chinese), when it does not.</param>
/// <param name="Adjusted">True when the stored figure was corrected (in a review meeting or on an accepted appeal); the evidence says by whom and why.</param>
public sealed record IndicatorLine(string Code, string Name, StarGroup Group, double? Value, double Numerator, double? Denominator, string Unit,
    double Target, double Points, double Weight, bool Met, string? Reason, bool Adjusted = false);

/// <summary>A grid's or a worker's result for a period.</summary>
/// <param name="Code">The grid's code; for a worker, their account id.</param>
/// <param name="Name">The grid's name; for a worker, their name (masked for the district).</param>
/// <param name="Level">The grid's level; for a worker, the level of their grid (empty when it is none of grid-2, grid-3, micro).</param>
/// <param name="Stars">1–5, or null when not rated (too little applies, or an indicator's source is missing).</param>
/// <param name="Score">Points earned ÷ the weights that apply × 100.</param>
/// <param name="Missing">Codes of the catalogue's indicators that no source computes yet.</param>
/// <param name="GridCode">For a worker, their grid (a sunk liaison's: the first grid they served in the period).</param>
/// <param name="GridName">For a worker, their grid's name.</param>
/// <param name="Roles">For a worker, the roles they are assessed in.</param>
/// <param name="Rank">Its place (shared on equal scores) among the rated grids of its level: in its subdistrict once published, among the grids listed while provisional; null when not rated.</param>
public sealed record GridResult(string Code, string Name, string Level, int? Stars, double Score, IReadOnlyList<string> Missing, IReadOnlyList<IndicatorLine> Indicators,
    string? GridCode = null, string? GridName = null, IReadOnlyList<Role>? Roles = null, int? Rank = null);

/// <param name="Provisional">True until the period is deliberated and published; false when every grid listed comes from a published run (stored, frozen).</param>
/// <param name="AppealsUntil">When published: the end of the appeal window (申诉期); null before publication.</param>
public sealed record ResultsResponse(string Period, string Label, bool Provisional, bool PeriodEnded, int CatalogueVersion, DateTimeOffset ComputedAt,
    string Subject, string Level, IReadOnlyList<GridResult> Results, DateTimeOffset? AppealsUntil = null);

/// <summary>One record behind an indicator.</summary>
/// <param name="Counted">True when it is in the numerator too (on time, closed, satisfied…).</param>
/// <param name="OnTime">For the on-time indicators, whether it was on time (the same as <paramref name="Counted"/>).</param>
public sealed record EvidenceItem(string Reference, bool Counted, bool? OnTime, string? Note);

/// <param name="GridCode">The grid; for a worker, their grid.</param>
/// <param name="WorkerId">For a worker's evidence, their account id.</param>
/// <param name="WorkerName">For a worker's evidence, their name.</param>
/// <param name="Corrections">When answered from a published result: each correction of this figure (in a review meeting or on an accepted
/// appeal) with who made it, when, why and the value before and after; the evidence is the records as computed, before any correction.</param>
public sealed record EvidenceResponse(string Period, string GridCode, string GridName, string Indicator, string Name, string NumeratorText,
    string DenominatorText, double? Value, double Numerator, double? Denominator, IReadOnlyList<EvidenceItem> Evidence, Guid? WorkerId = null,
    string? WorkerName = null, IReadOnlyList<AdjustmentResponse>? Corrections = null);

/// <summary>
/// Five stars (双评双议), explained: the indicator catalogue, each grid's provisional score for a period computed from the
/// platform's records, and the records behind every indicator. Staff in a subtree read its grids; administrators see none.
/// </summary>
public static class AssessmentApi
{
    /// <summary>Who reads results: the grid's own workers and leaders, community staff, the operations centre, the district.</summary>
    public static readonly string[] Readers =
        [Role.GridWorker.ToClaimValue(), Role.GridLeader.ToClaimValue(), Role.CommunityStaff.ToClaimValue(), Role.SubdistrictOperator.ToClaimValue(),
         Role.DistrictViewer.ToClaimValue(), Role.MicroGridWorker.ToClaimValue(), Role.DepartmentLiaison.ToClaimValue()];

    /// <summary>Roles that read grids' results; micro-grid volunteers and sunk liaisons read only their own scorecard (subject=worker).</summary>
    private static readonly Role[] GridReaders = [Role.GridWorker, Role.GridLeader, Role.CommunityStaff, Role.SubdistrictOperator, Role.DistrictViewer];

    private const string OwnOnly = "您可以查看本人的考核结果（考核对象选“人员”）；网格的考核结果由网格员、网格长和社区、街道工作人员查看。";

    public static IReadOnlyList<string> Subjects { get; } = ["grid", "worker"];

    /// <summary>Roles that read other people's results (in their scope); a grid worker reads only their own.</summary>
    private static readonly Role[] PeopleReaders = [Role.GridLeader, Role.CommunityStaff, Role.SubdistrictOperator, Role.DistrictViewer];

    /// <summary>Roles that see workers' names in results; the district reads them masked.</summary>
    private static readonly Role[] NameReaders = [Role.GridLeader, Role.CommunityStaff, Role.SubdistrictOperator];

    public static IReadOnlyList<string> Levels { get; } = ["grid-2", "grid-3", "micro"];

    public static IEndpointRouteBuilder MapAssessmentApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/assessment").WithTags("Assessment").RequireAuthorization(Policies.CaseContent)
            .RequireAuthorization(p => p.RequireRole(Readers));
        group.MapGet("/catalogue", Catalogue).WithName("GetAssessmentCatalogue")
            .WithSummary("The indicator catalogue in force: every indicator's formula, target, weight and scoring rule, and the star thresholds.");
        group.MapGet("/results", Results).WithName("ListAssessmentResults")
            .WithSummary("Each grid of a level in the caller's scope for a period (2026-11, 2026-Q3, 2026): stars, score and every indicator.");
        group.MapGet("/results/{gridCode}/indicators/{indicator}/evidence", Evidence).WithName("GetAssessmentEvidence")
            .WithSummary("The records behind one indicator of one grid for a period: each case counted in the denominator, and whether in the numerator.");
        group.MapGet("/workers/{userId}/indicators/{indicator}/evidence", WorkerEvidence).WithName("GetAssessmentWorkerEvidence")
            .WithSummary("The records behind one indicator of one grid worker for a period: their cases, patrol days, door-knocks, training, briefings.");
        group.MapCatalogueVersions();
        group.MapAssessmentRuns();
        group.MapAppeals();
        group.MapStandings();
        return routes;
    }

    /// <summary>The version in force this month.</summary>
    public static async Task<Ok<CatalogueResponse>> Catalogue(CivicGridDbContext db, AssessmentCalculator calculator, TimeProvider time, CancellationToken ct)
    {
        var month = AssessmentPeriod.Containing(PeriodKind.Month, PatrolTracks.BeijingDay(time.GetUtcNow()));
        return TypedResults.Ok(Describe(await AssessmentCatalogues.ForAsync(db, month, ct), calculator.ComputedCodes));
    }

    /// <summary>A catalogue version as the API publishes it.</summary>
    public static CatalogueResponse Describe(IndicatorCatalogue catalogue, IReadOnlySet<string> computed) =>
        new(catalogue.Version, catalogue.EffectiveFrom.ToString(),
            [.. catalogue.Indicators.Select(i => new CatalogueIndicator(i.Code, i.Name, i.Group, [.. i.GridLevels.Select(l => l.ToApiName())], i.WorkerRoles,
                i.Source, i.Measure, i.Numerator, i.Denominator, i.Unit, i.Target, i.ZeroAt, i.Rule, i.Weight, computed.Contains(i.Code)))],
            [catalogue.Stars.TwoStars, catalogue.Stars.ThreeStars, catalogue.Stars.FourStars, catalogue.Stars.FiveStars],
            catalogue.Stars.MinimumApplicableWeightShare, catalogue.Council.Quorum, catalogue.Council.TrimShare);

    /// <param name="period">2026-11 (month), 2026-Q3 (quarter) or 2026 (year); the last complete quarter when absent.</param>
    /// <param name="subject">grid (default) or worker (grid workers, leaders, volunteers and sunk liaisons; a grid worker sees only themself).</param>
    /// <param name="level">grid-2, grid-3 (default) or micro; for grids only.</param>
    public static async Task<Results<Ok<ResultsResponse>, ProblemHttpResult>> Results(string? period,
        [ApiValues(typeof(AssessmentApi), nameof(Subjects))] string? subject, [ApiValues(typeof(AssessmentApi), nameof(Levels))] string? level,
        ClaimsPrincipal caller, CivicGridDbContext db, AssessmentCalculator calculator, GeographyIndex geography, IOptions<AssessmentOptions> options,
        TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var assessed = PeriodOf(period, now, errors);
        var workers = subject?.Trim() == "worker";
        if (!string.IsNullOrWhiteSpace(subject) && !workers && subject.Trim() != "grid")
        {
            errors["subject"] = ["考核对象须为 grid（网格）或 worker（网格人员）。"];
        }

        var gridLevel = GridLevel.Third;
        if (!string.IsNullOrWhiteSpace(level) && !(GridLevelNames.TryParse(level, out gridLevel) && gridLevel is GridLevel.Second or GridLevel.Third or GridLevel.Micro))
        {
            errors["level"] = ["网格层级须为 grid-2（二级网格）、grid-3（三级网格）或 micro（微网格）。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (workers)
        {
            return TypedResults.Ok(await WorkerResultsAsync(assessed, caller, db, calculator, geography, options.Value, now, ct));
        }

        if (!ReadsGrids(caller))
        {
            return Problems.Forbidden(OwnOnly);
        }

        var scope = await calculator.ScopeAsync(db, assessed, SubjectKind.Grid, gridLevel, now, ct);
        var published = await StoredResults.PublishedAsync(db, assessed, "grid", gridLevel, ct);
        if (published.Covers(scope.Subjects))
        {
            // Frozen: the numbers as published (with any adjustment of the deliberation or an appeal), never a recomputation;
            // each grid's place is its place in its subdistrict's run.
            var ranked = await PublishedStandings.OfPeriodAsync(db, assessed, gridLevel, ct);
            var publishedAt = ranked.Select(r => r.Run.PublishedAt).Where(at => at is not null).DefaultIfEmpty(null).Min();
            return TypedResults.Ok(new ResultsResponse(assessed.ToString(), assessed.Label, false, true, published.CatalogueVersion, published.ComputedAt, "grid",
                gridLevel.ToApiName(), [.. scope.Subjects.Select(s => published.Results[s.Code] with
                {
                    Rank = ranked.Select(r => r.RankOf(s.Code)).FirstOrDefault(rank => rank is not null),
                })],
                publishedAt is { } at ? options.Value.AppealRules.DeadlineAfter(at) : null));
        }

        var results = await calculator.ComputeAsync(db, scope, ct);
        var shown = results.Select(r => published.Results.GetValueOrDefault(r.Code) ?? Result(r, gridLevel)).ToList();
        var places = Rankings.Rank(shown.Select(r => new Standing(r.Code, r.Name, r.Score, r.Stars))).ToDictionary(r => r.Standing.Code, r => r.Rank);
        return TypedResults.Ok(new ResultsResponse(assessed.ToString(), assessed.Label, true, now >= scope.End, scope.Catalogue.Version, now, "grid",
            gridLevel.ToApiName(), [.. shown.Select(r => r with { Rank = places.GetValueOrDefault(r.Code) })]));
    }

    /// <param name="period">2026-11, 2026-Q3 or 2026; the last complete quarter when absent.</param>
    public static async Task<Results<Ok<EvidenceResponse>, ProblemHttpResult>> Evidence(string gridCode, string indicator, string? period,
        ClaimsPrincipal caller, CivicGridDbContext db, AssessmentCalculator calculator, TimeProvider time, CancellationToken ct)
    {
        if (!ReadsGrids(caller))
        {
            return Problems.Forbidden(OwnOnly);
        }

        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var assessed = PeriodOf(period, now, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var grid = await db.Grids.AsNoTracking().Where(g => g.Code == gridCode && g.Kind == GridKind.Territorial)
            .Select(g => new { g.Code, g.Name, g.Level }).FirstOrDefaultAsync(ct);
        if (grid is null)
        {
            return Problems.NotFound("找不到这个网格，或它不在您的管辖范围内。");
        }

        var catalogue = await AssessmentCatalogues.ForAsync(db, assessed, ct);
        if (catalogue.Find(indicator) is not { } definition)
        {
            return Problems.NotFound($"指标体系中没有编码为“{indicator}”的指标。");
        }

        if (await StoredResults.PublishedIndicatorAsync(db, assessed, "grid", grid.Level, grid.Code, indicator, ct) is { } stored)
        {
            return TypedResults.Ok(await StoredEvidenceAsync(db, assessed, grid.Code, grid.Name, definition, stored, ct));
        }

        if (!calculator.ComputedCodes.Contains(indicator))
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "/problems/indicator-not-computed", "The indicator is not computed yet.",
                $"“{definition.Name}”的数据来源尚未接入平台，暂无可列出的记录。");
        }

        var scope = await calculator.ScopeAsync(db, assessed, SubjectKind.Grid, grid.Level, now, ct, grid.Code);
        var result = (await calculator.ComputeAsync(db, scope, ct)).Single();
        if (!result.Computed.TryGetValue(indicator, out var computed) || !scope.IndicatorsFor(result.Subject).Any(i => i.Code == indicator))
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "/problems/indicator-not-applicable", "The indicator does not apply to this grid.",
                $"“{definition.Name}”不适用于{grid.Name}这一层级的网格。");
        }

        return TypedResults.Ok(EvidenceOf(assessed, grid.Code, grid.Name, definition, computed));
    }

    /// <param name="userId">The worker's account id.</param>
    /// <param name="period">2026-11, 2026-Q3 or 2026; the last complete quarter when absent.</param>
    public static async Task<Results<Ok<EvidenceResponse>, ProblemHttpResult>> WorkerEvidence(Guid userId, string indicator, string? period,
        ClaimsPrincipal caller, CivicGridDbContext db, AssessmentCalculator calculator, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var assessed = PeriodOf(period, now, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (!ReadsPeople(caller) && caller.GetUserId() != userId)
        {
            return Problems.Forbidden("网格员只能查看本人的考核结果和明细。");
        }

        if ((await AssessmentCatalogues.ForAsync(db, assessed, ct)).Find(indicator) is not { } definition)
        {
            return Problems.NotFound($"指标体系中没有编码为“{indicator}”的指标。");
        }

        var code = userId.ToString("D");
        if (await StoredResults.PublishedIndicatorAsync(db, assessed, "worker", null, code, indicator, ct) is { } stored)
        {
            // Frozen: the records as computed when the run was stored, the figure in force, and every correction made since.
            var worker = await db.RunSubjects.AsNoTracking().SingleAsync(s => s.RunId == stored.RunId && s.Code == code, ct);
            return TypedResults.Ok(await StoredEvidenceAsync(db, assessed, worker.ScopeCode, await GridNameAsync(geography, worker.ScopeCode, ct), definition,
                stored, ct) with
            {
                WorkerId = userId,
                WorkerName = NameFor(caller, userId, worker.Name),
            });
        }

        if (!calculator.ComputedCodes.Contains(indicator))
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "/problems/indicator-not-computed", "The indicator is not computed yet.",
                $"“{definition.Name}”的数据来源尚未接入平台，暂无可列出的记录。");
        }

        var scope = await calculator.ScopeAsync(db, assessed, SubjectKind.Worker, null, now, ct, userId.ToString("D"));
        if (scope.Single is not { Person: { } person } subject)
        {
            return Problems.NotFound("找不到这位网格人员，或其不在您的管辖范围内。");
        }

        var result = (await calculator.ComputeAsync(db, scope, ct)).Single();
        if (!result.Computed.TryGetValue(indicator, out var computed) || !scope.IndicatorsFor(subject).Any(i => i.Code == indicator))
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "/problems/indicator-not-applicable", "The indicator does not apply to this worker.",
                $"“{definition.Name}”不考核{RolesText(person.Roles)}。");
        }

        var gridName = await GridNameAsync(geography, person.GridCode, ct);
        return TypedResults.Ok(EvidenceOf(assessed, person.GridCode, gridName, definition, computed) with
        {
            WorkerId = person.UserId,
            WorkerName = NameFor(caller, person),
        });
    }

    /// <summary>
    /// The workers of the caller's scope scored for a period (a grid worker: only themself): as stored and ranked in their
    /// subdistrict's published run once there is one (frozen, with any correction), computed now (provisional, ranked among
    /// those listed) where the period is not yet published.
    /// </summary>
    private static async Task<ResultsResponse> WorkerResultsAsync(AssessmentPeriod assessed, ClaimsPrincipal caller, CivicGridDbContext db,
        AssessmentCalculator calculator, GeographyIndex geography, AssessmentOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var only = ReadsPeople(caller) ? null : caller.GetUserId()?.ToString("D") ?? Guid.Empty.ToString("D");
        var text = assessed.ToString();
        var runs = await db.AssessmentRuns.AsNoTracking().Where(r => r.Period == text && r.Subject == "worker" && r.Status == RunStatus.Published)
            .OrderBy(r => r.SubdistrictCode).ToListAsync(ct);
        var ranked = await PublishedStandings.RankAsync(db, runs, ct);
        var stored = new List<GridResult>();
        foreach (var run in ranked)
        {
            stored.AddRange((await StoredResults.ResultsOfAsync(db, run.Run, ct)).Select(r => r with { Rank = run.RankOf(r.Code) }));
        }

        stored = await StoredWorkersAsync(db, geography, caller, stored, ct);
        var scope = await calculator.ScopeAsync(db, assessed, SubjectKind.Worker, null, now, ct, only);
        var rest = scope.Subjects.Where(s => !runs.Any(r => GridCodes.IsWithin(s.Person!.GridCode, r.SubdistrictCode))).ToList();
        var snapshot = await geography.GetAsync(ct);
        var live = rest.Count == 0 ? [] : (await calculator.ComputeAsync(db, scope with { Subjects = rest }, ct)).Select(r => new GridResult(r.Code,
            NameFor(caller, r.Subject.Person!.UserId, r.Subject.Person.Name), r.Subject.Level?.ToApiName() ?? string.Empty, r.Stars, r.Card.Score, r.Missing,
            [.. r.Card.Indicators.Select(Line)], r.Subject.Person.GridCode,
            snapshot.Grids.TryGetValue(r.Subject.Person.GridCode, out var g) ? g.Name : r.Subject.Person.GridCode, r.Subject.Roles)).ToList();
        var places = Rankings.Rank(live.Select(r => new Standing(r.Code, r.Name, r.Score, r.Stars))).ToDictionary(r => r.Standing.Code, r => r.Rank);
        var publishedAt = runs.Select(r => r.PublishedAt).Where(at => at is not null).DefaultIfEmpty(null).Min();
        return new ResultsResponse(text, assessed.Label, runs.Count == 0 || rest.Count > 0, now >= scope.End,
            runs.Count > 0 ? runs.Max(r => r.CatalogueVersion) : scope.Catalogue.Version, runs.Count > 0 && rest.Count == 0 ? runs.Max(r => r.ComputedAt) : now,
            "worker", "all", [.. stored, .. live.Select(r => r with { Rank = places.GetValueOrDefault(r.Code) })],
            publishedAt is { } at ? options.AppealRules.DeadlineAfter(at) : null);
    }

    /// <summary>
    /// Stored results of workers as the caller may read them: a grid worker only their own, names masked for the district,
    /// each with their grid's name and level and the roles they hold now.
    /// </summary>
    public static async Task<List<GridResult>> StoredWorkersAsync(CivicGridDbContext db, GeographyIndex geography, ClaimsPrincipal caller,
        IEnumerable<GridResult> results, CancellationToken ct)
    {
        var me = caller.GetUserId()?.ToString("D");
        var shown = results.Where(r => ReadsPeople(caller) || r.Code == me).ToList();
        var ids = shown.Select(r => Guid.TryParse(r.Code, out var id) ? id : Guid.Empty).ToList();
        var roles = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id.ToString("D"), u => u.Roles, ct);
        var snapshot = await geography.GetAsync(ct);
        return [.. shown.Select(r => r with
        {
            Name = Guid.TryParse(r.Code, out var id) ? NameFor(caller, id, r.Name) : r.Name,
            Level = r.GridCode is { } grid ? AssessmentPeople.LevelOf(grid)?.ToApiName() ?? string.Empty : string.Empty,
            GridName = r.GridCode is { } code && snapshot.Grids.TryGetValue(code, out var g) ? g.Name : r.GridCode,
            Roles = [.. AssessmentPeople.WorkerRoles.Where(role => roles.GetValueOrDefault(r.Code)?.Contains(role) == true)],
        })];
    }

    /// <summary>One indicator's evidence as stored in a published run, with every correction made to it since.</summary>
    private static async Task<EvidenceResponse> StoredEvidenceAsync(CivicGridDbContext db, AssessmentPeriod assessed, string gridCode, string gridName,
        IndicatorDefinition definition, RunIndicator stored, CancellationToken ct)
    {
        var onTime = definition.Code is "on-time-handling" or "on-time-acceptance";
        var corrections = await db.AssessmentAdjustments.AsNoTracking()
            .Where(a => a.RunId == stored.RunId && a.SubjectCode == stored.SubjectCode && a.Indicator == stored.Code).OrderBy(a => a.At).ToListAsync(ct);
        return new EvidenceResponse(assessed.ToString(), gridCode, gridName, definition.Code, definition.Name, definition.Numerator,
            definition.Denominator, stored.Value.Value, stored.Numerator, stored.Denominator,
            [.. stored.Evidence.Select(e => new EvidenceItem(e.Reference, e.Counted, onTime ? e.Counted : null, e.Note))], null, null,
            [.. corrections.Select(AdjustmentResponse.Of)]);
    }

    /// <summary>Whether the caller reads other people's results in their scope (a grid worker reads only their own).</summary>
    public static bool ReadsPeople(ClaimsPrincipal caller) => caller.GetRoles().Any(PeopleReaders.Contains);

    private static bool ReadsGrids(ClaimsPrincipal caller) => caller.GetRoles().Any(GridReaders.Contains);

    private static string NameFor(ClaimsPrincipal caller, AssessedPerson person) => NameFor(caller, person.UserId, person.Name);

    /// <summary>A worker's name as the caller may read it: their own and those of the people they manage in full, masked for the district.</summary>
    public static string NameFor(ClaimsPrincipal caller, Guid userId, string name) =>
        caller.GetUserId() == userId || caller.GetRoles().Any(NameReaders.Contains) ? name : Masking.PersonName(name) ?? string.Empty;

    private static async Task<string> GridNameAsync(GeographyIndex geography, string code, CancellationToken ct) =>
        (await geography.GetAsync(ct)).Grids.TryGetValue(code, out var grid) ? grid.Name : code;

    private static string RolesText(IEnumerable<Role> roles) => string.Join("、", roles.Select(r => r.ToChinese()));

    private static EvidenceResponse EvidenceOf(AssessmentPeriod assessed, string gridCode, string gridName, IndicatorDefinition definition,
        ComputedIndicator computed)
    {
        var onTime = definition.Code is "on-time-handling" or "on-time-acceptance";
        return new EvidenceResponse(assessed.ToString(), gridCode, gridName, definition.Code, definition.Name, definition.Numerator,
            definition.Denominator, computed.Value.Value, computed.Value.Numerator, computed.Value.Denominator,
            [.. computed.Evidence.Select(e => new EvidenceItem(e.Reference, e.Counted, onTime ? e.Counted : null, e.Note))]);
    }

    public static GridResult Result(SubjectResult r, GridLevel level) =>
        new(r.Code, r.Name, level.ToApiName(), r.Stars, r.Card.Score, r.Missing, [.. r.Card.Indicators.Select(Line)]);

    public static IndicatorLine Line(IndicatorScore line) => new(line.Indicator.Code, line.Indicator.Name, line.Indicator.Group,
        line.Value.Value is { } v ? Math.Round(v, 4) : null, line.Value.Numerator, line.Value.Denominator, line.Indicator.Unit, line.Indicator.Target,
        line.Points, line.Weight, line.Met, line.Value.Reason);

    public static AssessmentPeriod PeriodOf(string? text, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        var today = PatrolTracks.BeijingDay(now);
        if (string.IsNullOrWhiteSpace(text))
        {
            return AssessmentPeriod.LastComplete(PeriodKind.Quarter, today);
        }

        if (!AssessmentPeriod.TryParse(text, out var period))
        {
            errors["period"] = ["考核期应写作 2026-11（月）、2026-Q3（季度）或 2026（年度）。"];
        }
        else if (period.From > today)
        {
            errors["period"] = [$"{period.Label}尚未开始，无法考核。"];
        }

        return period;
    }
}
