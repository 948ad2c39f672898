using CivicGrid.Server.Features.Audit;
using System.Security.Claims;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Dashboard;

/// <param name="Reported">Cases reported in the period (counted where and what they are now).</param>
/// <param name="Closed">Cases closed (办结) in the period.</param>
/// <param name="ClosedOnTime">Of the closed cases that had a handling deadline, those handled by it.</param>
/// <param name="OnTimeRate">ClosedOnTime / closed cases with a deadline, 0–1; null when none had one.</param>
/// <param name="ReportedNowClosed">Of the cases reported in the period, those closed by now.</param>
/// <param name="ClosureRate">结案率: ReportedNowClosed / Reported, 0–1; null when nothing was reported.</param>
public sealed record DashboardFlow(int Reported, int ReportedNowClosed, int Closed, int ClosedWithDeadline, int ClosedOnTime, double? OnTimeRate,
    double? ClosureRate);

/// <param name="Open">Cases not yet closed, rejected or merged (parked ones included, and counted apart).</param>
/// <param name="Overdue">Assigned or in handling past their handling deadline, now.</param>
/// <param name="Supervised">Open cases under a supervision (督办).</param>
public sealed record DashboardOpen(int Open, int Overdue, int Supervised, int Parked, IReadOnlyDictionary<string, int> ByTier,
    IReadOnlyDictionary<string, int> ByStatus);

/// <param name="Day">A Beijing date (yyyy-MM-dd).</param>
public sealed record DashboardDay(string Day, int Reported, int Closed);

/// <param name="SolvedAt">Cases closed in the period by the colour they were closed at: green (in the grid), yellow (community), blue (subdistrict), red (district).</param>
/// <param name="ReportedByChannel">Cases reported in the period per channel (API names).</param>
/// <param name="ReportedToday">Cases reported today (Beijing) per channel.</param>
/// <param name="Trend">Every day of the period (at most the last 31 shown), reported and closed.</param>
public sealed record DashboardSummary(string ScopeCode, string ScopeName, string From, string To, DateTimeOffset AsOf, DashboardFlow Period,
    DashboardOpen Now, IReadOnlyDictionary<string, int> SolvedAt, IReadOnlyDictionary<string, int> ReportedByChannel,
    IReadOnlyDictionary<string, int> ReportedToday, IReadOnlyList<DashboardDay> Trend);

/// <param name="Key">The category code or the department's id.</param>
/// <param name="Name">The category's or the department's name.</param>
public sealed record DashboardBreakdownLine(string Key, string Name, int Reported, int ReportedNowClosed, int Closed, int ClosedWithDeadline, int ClosedOnTime,
    double? OnTimeRate, double? ClosureRate);

/// <param name="From">First month (yyyy-MM).</param>
/// <param name="To">Last month (yyyy-MM), inclusive.</param>
public sealed record DashboardBreakdown(string ScopeCode, string ScopeName, string Dimension, string From, string To, IReadOnlyList<DashboardBreakdownLine> Lines);

/// <summary>
/// The operations centre's and the console's numbers, from the roll-ups (<see cref="CaseCountRollup"/>,
/// <see cref="CaseOpenCount"/>) of the caller's scope, never from a scan of the cases.
/// </summary>
public static class DashboardApi
{
    private const int MaxDays = 366;

    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/dashboard").WithTags("Dashboard").RequireAuthorization(Policies.Staff).RequireAuthorization(Policies.CaseContent);
        group.MapGet("/summary", Summary).WithName("GetDashboardSummary")
            .WithSummary("Counts and rates of the caller's scope (or a grid inside it): reported, closed, closure and on-time rates for a period; open, overdue, supervised now; where cases were solved; intake by channel; the daily trend.");
        group.MapGet("/breakdown", Breakdown).WithName("GetDashboardBreakdown")
            .WithSummary("Counts and rates of the caller's scope (or a grid inside it) for whole months, one line per category or per department (on-time handling of the cases each closed).");
        group.MapGet("/report.xlsx", MonthlyReport.Export).WithName("ExportMonthlyReport")
            .WithSecurityEvent(SecurityEventKind.Exported, "export", "导出月度报表")
            .WithSummary("The monthly report of the caller's scope (or a grid inside it) as an Excel workbook: overall figures, by channel, category, department and the grids one level down (month=yyyy-MM, default last month).");
        return routes;
    }

    private const int MaxMonths = 36;

    /// <param name="dimension">category or department.</param>
    /// <param name="from">First month, yyyy-MM (default this month).</param>
    /// <param name="to">Last month, yyyy-MM, inclusive (default this month); at most 36 months.</param>
    /// <param name="grid">A grid code inside the caller's scope (default the whole scope).</param>
    public static async Task<Results<Ok<DashboardBreakdown>, ProblemHttpResult>> Breakdown(string? dimension, string? from, string? to, string? grid,
        ClaimsPrincipal caller, CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var dim = dimension?.Trim() switch
        {
            "category" => RollupDimension.Category,
            "department" => RollupDimension.Department,
            _ => (RollupDimension?)null,
        };
        if (dim is null)
        {
            return Problems.Validation("dimension", "请选择分组方式：category（按事件类别）或 department（按职能部门）。");
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        if (!TryMonth(from, thisMonth, out var first) || !TryMonth(to, thisMonth, out var last))
        {
            return Problems.Validation("from", "月份格式应为 yyyy-MM，例如 2026-11。");
        }

        if (first > last || ((last.Year - first.Year) * 12) + last.Month - first.Month + 1 > MaxMonths)
        {
            return Problems.Validation("from", $"统计月份应为 1 到 {MaxMonths} 个月，且开始月份不晚于结束月份。");
        }

        var (subtree, scopeName, problem) = await ScopeOfAsync(caller, grid, geography, ct);
        if (problem is not null)
        {
            return problem;
        }

        var lines = await BreakdownLinesAsync(db, dim.Value, subtree, Day(first), Day(last), ct);
        return TypedResults.Ok(new DashboardBreakdown(subtree, scopeName, dim == RollupDimension.Category ? "category" : "department",
            first.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), last.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), lines));
    }

    /// <summary>One line per category or department of a scope's months <paramref name="start"/>–<paramref name="end"/> (yyyymm01), named, largest first.</summary>
    internal static async Task<List<DashboardBreakdownLine>> BreakdownLinesAsync(CivicGridDbContext db, RollupDimension dim, string subtree, int start, int end,
        CancellationToken ct)
    {
        var rows = await db.CaseBreakdownRollups.AsNoTracking()
            .Where(r => r.Dimension == dim && r.ScopeCode == subtree && r.Start >= start && r.Start <= end)
            .GroupBy(r => r.Member)
            .Select(g => new { Key = g.Key, Reported = g.Sum(r => r.Reported), ReportedNowClosed = g.Sum(r => r.ReportedNowClosed), Closed = g.Sum(r => r.Closed),
                ClosedWithDeadline = g.Sum(r => r.ClosedWithDeadline), ClosedOnTime = g.Sum(r => r.ClosedOnTime) })
            .ToListAsync(ct);
        var keys = rows.Select(r => r.Key).ToList();
        Dictionary<string, string> names;
        if (dim == RollupDimension.Category)
        {
            names = await db.CaseCategories.IgnoreQueryFilters().AsNoTracking().Where(c => keys.Contains(c.Code)).ToDictionaryAsync(c => c.Code, c => c.Name, ct);
        }
        else
        {
            var ids = keys.Select(k => Guid.TryParseExact(k, "N", out var id) ? id : Guid.Empty).ToList();
            names = (await db.Organisations.IgnoreQueryFilters().AsNoTracking().Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.Name }).ToListAsync(ct))
                .ToDictionary(o => o.Id.ToString("N"), o => o.Name);
        }

        return rows.Select(r => new DashboardBreakdownLine(r.Key, names.GetValueOrDefault(r.Key) ?? "（已删除）", r.Reported, r.ReportedNowClosed, r.Closed,
                r.ClosedWithDeadline, r.ClosedOnTime, r.ClosedWithDeadline == 0 ? null : Math.Round((double)r.ClosedOnTime / r.ClosedWithDeadline, 4),
                r.Reported == 0 ? null : Math.Round((double)r.ReportedNowClosed / r.Reported, 4)))
            .OrderByDescending(l => dim == RollupDimension.Category ? l.Reported : l.Closed).ThenBy(l => l.Key, StringComparer.Ordinal).ToList();
    }

    private static bool TryMonth(string? text, DateOnly fallback, out DateOnly month)
    {
        month = fallback;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text.Trim() + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed))
        {
            month = parsed;
            return true;
        }

        return false;
    }

    /// <summary>The scope asked (the caller's, or a grid inside it) and its name, or the problem: outside the caller's scope, or no such grid.</summary>
    internal static async Task<(string Code, string Name, ProblemHttpResult? Problem)> ScopeOfAsync(ClaimsPrincipal caller, string? grid, GeographyIndex geography,
        CancellationToken ct)
    {
        var scope = caller.GetScope();
        var subtree = string.IsNullOrWhiteSpace(grid) ? scope.Code : grid.Trim();
        if (!scope.IsWholeSystem && !subtree.StartsWith(scope.Code, StringComparison.Ordinal))
        {
            return (subtree, string.Empty, Problems.Forbidden("该网格不在您的管辖范围内。"));
        }

        var snapshot = await geography.GetAsync(ct);
        GridInfo? info = null;
        if (subtree.Length != 0 && !snapshot.Grids.TryGetValue(subtree, out info))
        {
            return (subtree, string.Empty, Problems.NotFound($"没有编码为“{subtree}”的网格。"));
        }

        return (subtree, info?.Name ?? "全部", null);
    }

    /// <param name="from">First Beijing date (default 29 days before today: the last 30 days).</param>
    /// <param name="to">Last Beijing date, inclusive (default today); at most 366 days.</param>
    /// <param name="grid">A grid code inside the caller's scope (default the whole scope).</param>
    public static async Task<Results<Ok<DashboardSummary>, ProblemHttpResult>> Summary(DateOnly? from, DateOnly? to, string? grid, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var last = to ?? today;
        var first = from ?? last.AddDays(-29);
        if (first > last || last.DayNumber - first.DayNumber + 1 > MaxDays)
        {
            return Problems.Validation("from", $"统计期间应为 1 到 {MaxDays} 天，且开始日期不晚于结束日期。");
        }

        var (subtree, scopeName, problem) = await ScopeOfAsync(caller, grid, geography, ct);
        if (problem is not null)
        {
            return problem;
        }

        var rows = await RowsAsync(db, subtree, first, last, ct);
        var todayRows = await db.CaseCountRollups.AsNoTracking()
            .Where(r => r.Period == RollupPeriod.Day && r.Start == Day(today) && r.ScopeCode == subtree)
            .GroupBy(r => r.Channel).Select(g => new { Channel = g.Key, Reported = g.Sum(r => r.Reported) }).ToListAsync(ct);
        var trendFrom = Day(last.DayNumber - first.DayNumber >= 31 ? last.AddDays(-30) : first);
        var trend = await db.CaseCountRollups.AsNoTracking()
            .Where(r => r.Period == RollupPeriod.Day && r.Start >= trendFrom && r.Start <= Day(last) && r.ScopeCode == subtree)
            .GroupBy(r => r.Start).Select(g => new { Start = g.Key, Reported = g.Sum(r => r.Reported), Closed = g.Sum(r => r.Closed) }).ToListAsync(ct);
        var open = await db.CaseOpenCounts.AsNoTracking().Where(r => r.ScopeCode == subtree)
            .GroupBy(r => new { r.Tier, r.Status, r.Supervised, Past = r.DueHour != 0 && r.DueHour < CaseContribution.HourOf(now) })
            .Select(g => new { g.Key.Tier, g.Key.Status, g.Key.Supervised, g.Key.Past, Count = g.Sum(r => r.Count) }).ToListAsync(ct);
        // The current hour's cases come from the cases themselves: few, and found by the (status, due) index.
        var hourStart = DateTimeOffset.FromUnixTimeSeconds(CaseContribution.HourOf(now) * 3600);
        var dueThisHour = await db.Cases.AsNoTracking()
            .Where(c => (c.Status == CaseStatus.Assigned || c.Status == CaseStatus.InHandling) && c.DueAt >= hourStart && c.DueAt < now
                && c.GridCode.StartsWith(subtree))
            .CountAsync(ct);

        var reported = rows.Sum(r => r.Reported);
        var reportedNowClosed = rows.Sum(r => r.ReportedNowClosed);
        var closed = rows.Sum(r => r.Closed);
        var withDeadline = rows.Sum(r => r.ClosedWithDeadline);
        var onTime = rows.Sum(r => r.ClosedOnTime);
        var flow = new DashboardFlow(reported, reportedNowClosed, closed, withDeadline, onTime,
            withDeadline == 0 ? null : Math.Round((double)onTime / withDeadline, 4), reported == 0 ? null : Math.Round((double)reportedNowClosed / reported, 4));
        var working = open.Where(o => o.Status is CaseStatus.Assigned or CaseStatus.InHandling);
        var now_ = new DashboardOpen(
            open.Sum(o => o.Count),
            working.Where(o => o.Past).Sum(o => o.Count) + dueThisHour,
            open.Where(o => o.Supervised).Sum(o => o.Count),
            open.Where(o => o.Status == CaseStatus.Parked).Sum(o => o.Count),
            Enum.GetValues<CaseTier>().ToDictionary(ApiEnums.Name, t => open.Where(o => o.Tier == t).Sum(o => o.Count)),
            open.GroupBy(o => o.Status).OrderBy(g => g.Key).ToDictionary(g => ApiEnums.Name(g.Key), g => g.Sum(o => o.Count)));
        var solvedAt = Enum.GetValues<CaseTier>().ToDictionary(ApiEnums.Name, t => rows.Where(r => r.Tier == t).Sum(r => r.Closed));
        var byChannel = rows.GroupBy(r => r.Channel).Where(g => g.Sum(r => r.Reported) != 0).OrderBy(g => g.Key)
            .ToDictionary(g => ApiEnums.Name(g.Key), g => g.Sum(r => r.Reported));
        var todayByChannel = todayRows.Where(r => r.Reported != 0).OrderBy(r => r.Channel).ToDictionary(r => ApiEnums.Name(r.Channel), r => r.Reported);
        var days = trend.ToDictionary(d => d.Start);
        var series = new List<DashboardDay>();
        for (var d = FromDay(trendFrom); d <= last; d = d.AddDays(1))
        {
            var found = days.GetValueOrDefault(Day(d));
            series.Add(new DashboardDay(d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), found?.Reported ?? 0, found?.Closed ?? 0));
        }

        return TypedResults.Ok(new DashboardSummary(subtree, scopeName, first.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            last.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), now, flow, now_, solvedAt, byChannel, todayByChannel, series));
    }

    /// <summary>One row per tier × channel of the period's counts: whole months from the month rows, the partial months at either end from the day rows.</summary>
    private static async Task<List<PeriodRow>> RowsAsync(CivicGridDbContext db, string subtree, DateOnly first, DateOnly last, CancellationToken ct)
    {
        var result = new List<PeriodRow>();
        var firstWholeMonth = first.Day == 1 ? first : new DateOnly(first.Year, first.Month, 1).AddMonths(1);
        var endOfLastWholeMonth = last.AddDays(1).Day == 1 ? last : new DateOnly(last.Year, last.Month, 1).AddDays(-1);
        if (firstWholeMonth <= endOfLastWholeMonth)
        {
            result.AddRange(await SumAsync(db, subtree, RollupPeriod.Month, Day(firstWholeMonth), Day(endOfLastWholeMonth), ct));
            if (first < firstWholeMonth)
            {
                result.AddRange(await SumAsync(db, subtree, RollupPeriod.Day, Day(first), Day(firstWholeMonth.AddDays(-1)), ct));
            }

            if (last > endOfLastWholeMonth)
            {
                result.AddRange(await SumAsync(db, subtree, RollupPeriod.Day, Day(endOfLastWholeMonth.AddDays(1)), Day(last), ct));
            }
        }
        else
        {
            result.AddRange(await SumAsync(db, subtree, RollupPeriod.Day, Day(first), Day(last), ct));
        }

        return result;
    }

    private sealed record PeriodRow(CaseTier Tier, CaseChannel Channel, int Reported, int ReportedNowClosed, int Closed, int ClosedWithDeadline, int ClosedOnTime);

    private static Task<List<PeriodRow>> SumAsync(CivicGridDbContext db, string subtree, RollupPeriod period, int start, int end, CancellationToken ct) =>
        db.CaseCountRollups.AsNoTracking()
            .Where(r => r.Period == period && r.Start >= start && r.Start <= end && r.ScopeCode == subtree)
            .GroupBy(r => new { r.Tier, r.Channel })
            .Select(g => new PeriodRow(g.Key.Tier, g.Key.Channel, g.Sum(r => r.Reported), g.Sum(r => r.ReportedNowClosed), g.Sum(r => r.Closed),
                g.Sum(r => r.ClosedWithDeadline), g.Sum(r => r.ClosedOnTime)))
            .ToListAsync(ct);

    internal static int Day(DateOnly d) => (d.Year * 10000) + (d.Month * 100) + d.Day;

    private static DateOnly FromDay(int day) => new(day / 10000, day / 100 % 100, day % 100);
}
