using System.Globalization;
using System.Security.Claims;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Cases.Queries;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace CivicGrid.Server.Features.Dashboard;

/// <summary>
/// The subdistrict's monthly report (网格化服务管理月度报表) as the workbook it hands upwards: overall figures (reported,
/// closed, 结案率, 按时办结率, where the closed cases were solved), then the month by channel, by category, by department
/// and by the grids one level down; all from the roll-ups of the scope (no scan of the cases), in Chinese.
/// </summary>
public static class MonthlyReport
{
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export(string? month, string? grid, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(CaseFilter.BeijingOffset).DateTime);
        // The default is the last whole month: the report of a month is made after it ends.
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        if (!string.IsNullOrWhiteSpace(month)
            && !DateOnly.TryParseExact(month.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first))
        {
            return Problems.Validation("month", "月份格式应为 yyyy-MM，例如 2026-11。");
        }

        var (scope, scopeName, problem) = await DashboardApi.ScopeOfAsync(caller, grid, geography, ct);
        if (problem is not null)
        {
            return problem;
        }

        var start = DashboardApi.Day(first);
        var totals = await db.CaseCountRollups.AsNoTracking()
            .Where(r => r.Period == RollupPeriod.Month && r.ScopeCode == scope && r.Start == start)
            .Select(r => new { r.Channel, r.Tier, r.Reported, r.ReportedNowClosed, r.Closed, r.ClosedWithDeadline, r.ClosedOnTime }).ToListAsync(ct);
        var snapshot = await geography.GetAsync(ct);
        var children = snapshot.Grids.Values.Where(g => g.ParentCode == (scope.Length == 0 ? null : scope)).OrderBy(g => g.Code, StringComparer.Ordinal).ToList();
        var childCodes = children.Select(c => c.Code).ToList();
        var byChild = (await db.CaseCountRollups.AsNoTracking()
                .Where(r => r.Period == RollupPeriod.Month && childCodes.Contains(r.ScopeCode) && r.Start == start)
                .GroupBy(r => r.ScopeCode)
                .Select(g => new { Code = g.Key, Reported = g.Sum(r => r.Reported), ReportedNowClosed = g.Sum(r => r.ReportedNowClosed), Closed = g.Sum(r => r.Closed),
                    ClosedWithDeadline = g.Sum(r => r.ClosedWithDeadline), ClosedOnTime = g.Sum(r => r.ClosedOnTime) })
                .ToListAsync(ct))
            .ToDictionary(r => r.Code, StringComparer.Ordinal);
        var categories = await DashboardApi.BreakdownLinesAsync(db, RollupDimension.Category, scope, start, start, ct);
        var departments = await DashboardApi.BreakdownLinesAsync(db, RollupDimension.Department, scope, start, start, ct);

        var reported = totals.Sum(r => r.Reported);
        var closed = totals.Sum(r => r.Closed);
        var label = first.ToString("yyyy年M月", CultureInfo.InvariantCulture);
        var overall = new List<Dictionary<string, object?>>
        {
            Line("统计范围", scopeName), Line("统计月份", label),
            Line("上报案件（件）", reported), Line("其中本月已办结（件）", totals.Sum(r => r.ReportedNowClosed)),
            Line("结案率", Rate(totals.Sum(r => r.ReportedNowClosed), reported)),
            Line("本月办结（件）", closed), Line("按时办结率", Rate(totals.Sum(r => r.ClosedOnTime), totals.Sum(r => r.ClosedWithDeadline))),
        };
        foreach (var tier in Enum.GetValues<CaseTier>())
        {
            var n = totals.Where(r => r.Tier == tier).Sum(r => r.Closed);
            overall.Add(Line($"{SolvedAt(tier)}解决（件，占本月办结）", $"{n}（{Rate(n, closed)}）"));
        }

        overall.Add(Line("生成时间", now.ToOffset(CaseFilter.BeijingOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)));
        var channels = totals.GroupBy(r => r.Channel).OrderBy(g => g.Key)
            .Select(g => new Dictionary<string, object?> { ["上报渠道"] = CaseExport.ChannelName(g.Key), ["上报（件）"] = g.Sum(r => r.Reported), ["占比"] = Rate(g.Sum(r => r.Reported), reported) })
            .ToList();
        var sheets = new Dictionary<string, object>
        {
            ["总体情况"] = overall,
            ["按渠道"] = channels.Count > 0 ? channels : [new Dictionary<string, object?> { ["上报渠道"] = "本月无上报", ["上报（件）"] = 0, ["占比"] = "—" }],
            ["按事件类别"] = Lines(categories, "事件类别", "类别编码"),
            ["按职能部门"] = Lines(departments, "职能部门", null),
            ["按下级网格"] = children.Count == 0
                ? [new Dictionary<string, object?> { ["网格"] = "（本级以下无网格）" }]
                : children.Select(c =>
                {
                    var r = byChild.GetValueOrDefault(c.Code);
                    return new Dictionary<string, object?>
                    {
                        ["网格"] = c.Name, ["网格编码"] = c.Code, ["上报（件）"] = r?.Reported ?? 0, ["结案率"] = Rate(r?.ReportedNowClosed ?? 0, r?.Reported ?? 0),
                        ["办结（件）"] = r?.Closed ?? 0, ["按时办结率"] = Rate(r?.ClosedOnTime ?? 0, r?.ClosedWithDeadline ?? 0),
                    };
                }).ToList(),
        };

        using var buffer = new MemoryStream();
        await buffer.SaveAsAsync(sheets, cancellationToken: ct);
        return TypedResults.File(buffer.ToArray(), CaseExport.ContentType, $"{scopeName}-{label}-网格化服务管理月度报表.xlsx");
    }

    private static Dictionary<string, object?> Line(string item, object? value) => new() { ["项目"] = item, ["数值"] = value };

    private static List<Dictionary<string, object?>> Lines(List<DashboardBreakdownLine> lines, string nameHeader, string? codeHeader)
    {
        if (lines.Count == 0)
        {
            return [new Dictionary<string, object?> { [nameHeader] = "本月无数据" }];
        }

        return [.. lines.Select(l =>
        {
            var row = new Dictionary<string, object?> { [nameHeader] = l.Name };
            if (codeHeader is not null)
            {
                row[codeHeader] = l.Key;
                row["上报（件）"] = l.Reported;
                row["结案率"] = Rate(l.ReportedNowClosed, l.Reported);
            }

            row["办结（件）"] = l.Closed;
            row["按时办结（件）"] = l.ClosedOnTime;
            row["按时办结率"] = Rate(l.ClosedOnTime, l.ClosedWithDeadline);
            return row;
        })];
    }

    private static string Rate(int part, int whole) => whole == 0 ? "—" : ((double)part / whole).ToString("P1", CultureInfo.InvariantCulture);

    private static string SolvedAt(CaseTier tier) => tier switch
    {
        CaseTier.Green => "网格（绿）",
        CaseTier.Yellow => "社区（黄）",
        CaseTier.Blue => "街道（蓝）",
        _ => "区级（红）",
    };
}
