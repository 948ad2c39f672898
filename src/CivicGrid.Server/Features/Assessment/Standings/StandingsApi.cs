using System.Globalization;
using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Cases.Queries;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MiniExcelLibs;

namespace CivicGrid.Server.Features.Assessment.Standings;

/// <summary>One place on an award list.</summary>
/// <param name="Place">The subject's place among those eligible (shared on equal scores).</param>
/// <param name="Score">The period's score, or for the 1 July list the mean over the four quarters.</param>
/// <param name="Stars">The stars, or for the 1 July list the lowest of the four quarters.</param>
public sealed record AwardWinner(int Place, string Code, string Name, int Stars, double Score);

/// <summary>One subdistrict's award list.</summary>
/// <param name="MissingPeriods">Quarters whose results are not yet published (the 1 July list needs all four).</param>
/// <param name="Waiting">Subjects that would qualify but have an undecided appeal: the list names them once it is decided.</param>
public sealed record AwardList(string SubdistrictCode, string SubdistrictName, IReadOnlyList<string> MissingPeriods, IReadOnlyList<AwardWinner> Winners,
    IReadOnlyList<string> Waiting);

/// <param name="Kind">quarter or july-first.</param>
/// <param name="Title">The period in words (2026年第3季度, 2026年“七一”).</param>
/// <param name="Periods">The published periods drawn from.</param>
public sealed record AwardsResponse([property: ApiValues(typeof(StandingsApi), nameof(StandingsApi.AwardKinds))] string Kind, string Title, string Level,
    string Name, int Top, int MinimumStars, IReadOnlyList<string> Periods, IReadOnlyList<AwardList> Lists);

/// <summary>A grid's published result of one period.</summary>
/// <param name="Rank">Its place among the rated grids of its level in its subdistrict; null when not rated.</param>
/// <param name="Rated">How many grids of its level and subdistrict were rated.</param>
/// <param name="Corrections">The corrections of its figures, in review meetings and on appeal, with their reasons.</param>
public sealed record HistoryEntry(string Period, string Label, int? Stars, double Score, int? Rank, int Rated, int CatalogueVersion, DateTimeOffset? PublishedAt,
    IReadOnlyList<AdjustmentResponse> Corrections);

/// <summary>A grid's published results across periods, newest first, for renewal decisions.</summary>
public sealed record HistoryResponse(string Code, string Name, string Level, IReadOnlyList<HistoryEntry> Periods);

/// <summary>
/// The use of published results (评优与排名): award lists per quarter and the annual 1 July list drawn by the configured rules,
/// a grid's history across periods, and the Excel workbooks a subdistrict hands upwards (the ranking table, an award list).
/// </summary>
public static class StandingsApi
{
    public static IReadOnlyList<string> AwardKinds { get; } = ["quarter", "july-first"];

    /// <summary>The lists drawn: of a grid level, or of the grid workers (worker; the 1 July list by default).</summary>
    public static IReadOnlyList<string> AwardLevels { get; } = ["grid-2", "grid-3", "micro", "worker"];

    /// <summary>Who exports: the community's staff, the operations centre and the district.</summary>
    private static readonly Role[] Exporters = [Role.CommunityStaff, Role.SubdistrictOperator, Role.DistrictViewer];

    public static RouteGroupBuilder MapStandings(this RouteGroupBuilder group)
    {
        group.MapGet("/awards", Awards).WithName("GetAssessmentAwards")
            .WithSummary("An award list drawn from published results: a quarter's (period=2026-Q3) or the annual 1 July list (kind=july-first&year=2026), per level.");
        group.MapGet("/awards/export.xlsx", ExportAwards).WithName("ExportAssessmentAwards")
            .WithSecurityEvent(SecurityEventKind.Exported, "export", "导出评优名单")
            .WithSummary("The award list as an Excel workbook (community staff, operations centre, district).");
        group.MapGet("/history/{gridCode}", History).WithName("GetAssessmentHistory")
            .WithSummary("A grid's (or, by account id, a grid worker's) published stars, score and place in each period, with the corrections made and why.");
        group.MapGet("/runs/{id:guid}/export.xlsx", ExportRanking).WithName("ExportAssessmentRanking")
            .WithSecurityEvent(SecurityEventKind.Exported, "export", "导出考核排名表")
            .WithSummary("A published run's ranking table as an Excel workbook: 排名, 网格, 星级, 得分, then each indicator's value and points.");
        return group;
    }

    /// <param name="period">The quarter (2026-Q3) of a quarterly list; the last complete quarter when absent.</param>
    /// <param name="year">The year of a 1 July list (drawn from Q3 and Q4 of the year before and Q1 and Q2 of this one).</param>
    /// <param name="kind">quarter (default) or july-first.</param>
    /// <param name="level">grid-2, grid-3 (default), micro, or worker (the grid workers).</param>
    public static async Task<Results<Ok<AwardsResponse>, ProblemHttpResult>> Awards(string? period, int? year,
        [ApiValues(typeof(StandingsApi), nameof(AwardKinds))] string? kind, [ApiValues(typeof(StandingsApi), nameof(AwardLevels))] string? level,
        CivicGridDbContext db, IOptions<AssessmentOptions> options, TimeProvider time, CancellationToken ct)
    {
        var (awards, problem) = await DrawAsync(period, year, kind, level, db, options.Value, time, ct);
        return awards is not null ? TypedResults.Ok(awards) : problem!;
    }

    /// <param name="period">The quarter (2026-Q3) of a quarterly list; the last complete quarter when absent.</param>
    /// <param name="year">The year of a 1 July list.</param>
    /// <param name="kind">quarter (default) or july-first.</param>
    /// <param name="level">grid-2, grid-3 (default) or micro.</param>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAwards(string? period, int? year,
        [ApiValues(typeof(StandingsApi), nameof(AwardKinds))] string? kind, [ApiValues(typeof(StandingsApi), nameof(AwardLevels))] string? level,
        ClaimsPrincipal caller, CivicGridDbContext db, IOptions<AssessmentOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (!caller.GetRoles().Any(Exporters.Contains))
        {
            return Problems.Forbidden("评优名单由社区工作人员、街道城运中心或区级导出。");
        }

        var (awards, problem) = await DrawAsync(period, year, kind, level, db, options.Value, time, ct);
        if (awards is null)
        {
            return problem!;
        }

        var workers = awards.Level == "worker";
        var rows = awards.Lists.SelectMany(list => list.Winners.Select(w => new Dictionary<string, object?>
        {
            ["评优名称"] = awards.Name, ["考核期"] = awards.Title, ["街道"] = list.SubdistrictName, ["名次"] = w.Place, [workers ? "姓名" : "网格"] = w.Name,
            [workers ? "账号编号" : "网格编码"] = w.Code, ["星级"] = w.Stars, ["得分"] = Math.Round(w.Score, 2),
        })).ToList();
        if (rows.Count == 0)
        {
            rows.Add(new Dictionary<string, object?> { ["评优名称"] = awards.Name, ["考核期"] = awards.Title, ["街道"] = "（暂无符合条件的对象）" });
        }

        return await WorkbookAsync(rows, "评优名单", $"{awards.Name}-{awards.Title}", time, ct);
    }

    /// <param name="gridCode">A grid's code; or a grid worker's account id for their own history across periods (a grid worker: only their own).</param>
    public static async Task<Results<Ok<HistoryResponse>, ProblemHttpResult>> History(string gridCode, ClaimsPrincipal caller, CivicGridDbContext db,
        CancellationToken ct)
    {
        if (Guid.TryParse(gridCode, out var userId))
        {
            return await WorkerHistoryAsync(userId, caller, db, ct);
        }

        var grid = await db.Grids.AsNoTracking().Where(g => g.Code == gridCode && g.Kind == GridKind.Territorial)
            .Select(g => new { g.Code, g.Name, g.Level }).FirstOrDefaultAsync(ct);
        if (grid is null)
        {
            return Problems.NotFound("找不到这个网格，或它不在您的管辖范围内。");
        }

        return TypedResults.Ok(new HistoryResponse(grid.Code, grid.Name, grid.Level.ToApiName(), await PeriodsOfAsync(db, grid.Code, ct)));
    }

    /// <summary>A grid worker's published results across periods, for renewal: read by those who read people, and by the worker.</summary>
    private static async Task<Results<Ok<HistoryResponse>, ProblemHttpResult>> WorkerHistoryAsync(Guid userId, ClaimsPrincipal caller, CivicGridDbContext db,
        CancellationToken ct)
    {
        if (!AssessmentApi.ReadsPeople(caller) && caller.GetUserId() != userId)
        {
            return Problems.Forbidden("网格员只能查看本人的考核结果和明细。");
        }

        var code = userId.ToString("D");
        var published = db.AssessmentRuns.Where(r => r.Subject == "worker" && r.Status == RunStatus.Published).Select(r => r.Id);
        var latest = await db.RunSubjects.AsNoTracking().Where(s => s.Code == code && published.Contains(s.RunId)).OrderByDescending(s => s.Id)
            .Select(s => new { s.Name }).FirstOrDefaultAsync(ct);
        if (latest is null)
        {
            return Problems.NotFound("这位网格人员还没有已公布的考核结果，或其不在您的管辖范围内。");
        }

        return TypedResults.Ok(new HistoryResponse(code, AssessmentApi.NameFor(caller, userId, latest.Name), "worker", await PeriodsOfAsync(db, code, ct)));
    }

    /// <summary>A subject's published periods, newest first: its stars, score and place, and the corrections made and why.</summary>
    private static async Task<List<HistoryEntry>> PeriodsOfAsync(CivicGridDbContext db, string code, CancellationToken ct)
    {
        var runIds = db.RunSubjects.Where(s => s.Code == code).Select(s => s.RunId);
        var runs = await db.AssessmentRuns.AsNoTracking().Where(r => runIds.Contains(r.Id) && r.Status == RunStatus.Published).ToListAsync(ct);
        var ranked = await PublishedStandings.RankAsync(db, runs, ct);
        var ids = runs.Select(r => r.Id).ToList();
        var corrections = (await db.AssessmentAdjustments.AsNoTracking().Where(a => a.SubjectCode == code && ids.Contains(a.RunId)).OrderBy(a => a.At)
            .ToListAsync(ct)).ToLookup(a => a.RunId);
        return [.. ranked.Select(r =>
        {
            var standing = r.Ranking.Single(s => s.Standing.Code == code);
            var period = AssessmentPeriod.Parse(r.Run.Period);
            return (period, new HistoryEntry(r.Run.Period, period.Label, standing.Standing.Stars, standing.Standing.Score, standing.Rank, r.Rated,
                r.Run.CatalogueVersion, r.Run.PublishedAt, [.. corrections[r.Run.Id].Select(AdjustmentResponse.Of)]));
        }).OrderByDescending(e => e.period.From).ThenBy(e => e.period.Kind).Select(e => e.Item2)];
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportRanking(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        TimeProvider time, CancellationToken ct)
    {
        if (!caller.GetRoles().Any(Exporters.Contains))
        {
            return Problems.Forbidden("考核排名表由社区工作人员、街道城运中心或区级导出。");
        }

        if (await db.AssessmentRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct) is not { } run)
        {
            return Problems.NotFound("找不到这个考核批次，或它不在您的管辖范围内。");
        }

        if (run.Status != RunStatus.Published)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "/problems/assessment-run-rule", "The run is not published.",
                "只有已公布的考核结果可以导出排名表；审议中的结果可在页面上查看。", new Dictionary<string, object?> { ["rule"] = "export-after-publication" });
        }

        var ranking = (await PublishedStandings.RankAsync(db, [run], ct)).Single();
        var results = await StoredResults.ResultsOfAsync(db, run, ct);
        var rows = results.OrderBy(r => ranking.RankOf(r.Code) ?? int.MaxValue).ThenBy(r => r.Code, StringComparer.Ordinal).Select(r =>
        {
            var row = run.Level is null
                ? new Dictionary<string, object?>
                {
                    ["排名"] = ranking.RankOf(r.Code), ["姓名"] = r.Name, ["所属网格编码"] = r.GridCode, ["星级"] = r.Stars, ["得分"] = Math.Round(r.Score, 2),
                }
                : new Dictionary<string, object?>
                {
                    ["排名"] = ranking.RankOf(r.Code), ["网格"] = r.Name, ["网格编码"] = r.Code, ["星级"] = r.Stars, ["得分"] = Math.Round(r.Score, 2),
                };
            foreach (var line in r.Indicators)
            {
                row[$"{line.Name}·数值{(line.Unit.Length > 0 ? $"（{line.Unit}）" : string.Empty)}"] = Shown(line);
                row[$"{line.Name}·得分"] = Math.Round(line.Points, 2);
            }

            return row;
        }).ToList();
        var label = AssessmentPeriod.Parse(run.Period).Label;
        return await WorkbookAsync(rows, "考核排名", $"考核排名表-{label}-{run.Level?.ToApiName() ?? "worker"}", time, ct);
    }

    /// <summary>An indicator's value as a person reads it: a rate in per cent, a count or a mean as it is; blank when it does not apply.</summary>
    private static double? Shown(IndicatorLine line) => line.Value is not { } value ? null : line.Unit == "%" ? Math.Round(value * 100, 1) : Math.Round(value, 2);

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> WorkbookAsync(List<Dictionary<string, object?>> rows, string sheet, string name,
        TimeProvider time, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await buffer.SaveAsAsync(rows, sheetName: sheet, cancellationToken: ct);
        var stamp = time.GetUtcNow().ToOffset(CaseFilter.BeijingOffset).ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture);
        return TypedResults.File(buffer.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{name}-{stamp}.xlsx");
    }

    private static async Task<(AwardsResponse? Awards, ProblemHttpResult? Problem)> DrawAsync(string? period, int? year, string? kind, string? level,
        CivicGridDbContext db, AssessmentOptions options, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var julyFirst = kind?.Trim() == "july-first";
        if (!string.IsNullOrWhiteSpace(kind) && !julyFirst && kind.Trim() != "quarter")
        {
            errors["kind"] = ["评优类型须为 quarter（季度）或 july-first（“七一”年度）。"];
        }

        var workers = level?.Trim() == "worker";
        var gridLevel = GridLevel.Third;
        if (!workers && !string.IsNullOrWhiteSpace(level)
            && !(GridLevelNames.TryParse(level, out gridLevel) && gridLevel is GridLevel.Second or GridLevel.Third or GridLevel.Micro))
        {
            errors["level"] = ["评优对象须为 grid-2（二级网格）、grid-3（三级网格）、micro（微网格）或 worker（网格员）。"];
        }

        var key = workers ? "worker" : gridLevel.ToApiName();
        IReadOnlyList<AssessmentPeriod> periods = [];
        if (julyFirst)
        {
            if (year is not { } y || y < 2000 || y > 2100)
            {
                errors["year"] = ["请填写“七一”评优的年份，如 2026（取上一年第三、四季度和当年第一、二季度的结果）。"];
            }
            else
            {
                periods = AwardRule.QuartersBeforeJulyFirst(y);
            }
        }
        else
        {
            var quarter = AssessmentApi.PeriodOf(period, now, errors);
            if (!errors.ContainsKey("period") && quarter.Kind != PeriodKind.Quarter)
            {
                errors["period"] = ["季度评优须选择一个季度，如 2026-Q3。"];
            }

            periods = [quarter];
        }

        var configured = julyFirst ? options.Awards.JulyFirst : options.Awards.Quarter;
        if (errors.Count == 0 && !configured.ContainsKey(key))
        {
            errors["level"] = [$"没有为{key}配置{(julyFirst ? "“七一”" : "季度")}评优规则。"];
        }

        if (errors.Count > 0)
        {
            return (null, Problems.Validation(errors));
        }

        var rule = configured[key].ToRule();
        var byPeriod = new List<List<RankedRun>>();
        foreach (var p in periods)
        {
            byPeriod.Add(await PublishedStandings.OfPeriodAsync(db, p, workers ? null : gridLevel, ct));
        }

        var subdistricts = byPeriod.SelectMany(runs => runs.Select(r => r.Run.SubdistrictCode)).Distinct().Order(StringComparer.Ordinal).ToList();
        var title = julyFirst ? $"{year}年“七一”" : periods[0].Label;
        if (subdistricts.Count == 0)
        {
            return (null, Problems.Create(StatusCodes.Status422UnprocessableEntity, "/problems/awards-not-published", "No published results to draw from.",
                $"{title}的考核结果尚未公布；评优名单只从已公布的结果中产生。"));
        }

        var names = await db.Grids.IgnoreQueryFilters().AsNoTracking().Where(g => subdistricts.Contains(g.Code)).ToDictionaryAsync(g => g.Code, g => g.Name, ct);
        var lists = subdistricts.Select(code =>
        {
            var runs = byPeriod.Select(runs => runs.FirstOrDefault(r => r.Run.SubdistrictCode == code)).ToList();
            var standings = runs.Select(r => (IReadOnlyList<Standing>)[.. r?.Ranking.Select(s => s.Standing) ?? []]).ToList();
            var all = julyFirst ? AwardRule.AcrossPeriods(standings) : standings[0];
            var winners = rule.Draw(all);
            var waiting = rule.ExcludeAppealing ? all.Where(s => s.Appealing && s.Stars >= rule.MinimumStars).Select(s => s.Name).Order(StringComparer.Ordinal).ToList() : [];
            return new AwardList(code, names.GetValueOrDefault(code) ?? code,
                [.. periods.Where((_, i) => runs[i] is null).Select(p => p.Label)],
                [.. winners.Select(w => new AwardWinner(w.Rank!.Value, w.Standing.Code, w.Standing.Name, w.Standing.Stars!.Value, Math.Round(w.Standing.Score, 2)))],
                waiting);
        }).ToList();
        return (new AwardsResponse(julyFirst ? "july-first" : "quarter", title, key, rule.Name, rule.Top, rule.MinimumStars,
            [.. periods.Select(p => p.ToString())], lists), null);
    }
}
