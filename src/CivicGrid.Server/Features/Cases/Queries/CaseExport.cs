using System.Globalization;
using System.Security.Claims;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MiniExcelLibs;

namespace CivicGrid.Server.Features.Cases.Queries;

/// <summary>
/// The case list as an Excel workbook for reports and meetings: the list's filters (parsed once, by <see cref="CaseFilter"/>),
/// the caller's scope (the context's filter), Chinese headers, times in Beijing time, phone numbers masked.
/// </summary>
public static class CaseExport
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string TooManyRowsType = "/problems/export-too-large";

    /// <summary>The column headers, in order.</summary>
    public static readonly IReadOnlyList<string> Headers =
    [
        "案件编号", "上报时间", "事件大类", "事件小类", "标题", "问题描述", "网格编码", "颜色", "状态", "上报渠道", "承办人", "办理时限", "是否超期",
        "督办时限", "办结时间", "评价星级", "经度", "纬度", "报告人电话",
    ];

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export(CaseQuery query, ClaimsPrincipal principal,
        CivicGridDbContext db, IOptions<CaseQueryOptions> options, TimeProvider time, CancellationToken ct)
    {
        var (filter, caller, problem) = await CaseFilter.PrepareAsync(query, principal, db, ct);
        if (problem is not null || filter is null || caller is null)
        {
            return problem!;
        }

        var now = time.GetUtcNow();
        var selected = filter.Apply(db.Cases.AsNoTracking(), caller, now);
        var limit = options.Value.ExportMaxRows;
        var count = await selected.CountAsync(ct);
        if (count > limit)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, TooManyRowsType, "The export holds too many rows.",
                $"符合条件的案件有 {count} 件，超过单次导出上限 {limit} 件。请缩小时间范围或增加筛选条件后分批导出。",
                new Dictionary<string, object?> { ["count"] = count, ["limit"] = limit });
        }

        // Only the columns the sheet needs: no timeline, no mediations.
        var rows = await filter.Order(selected).Select(c => new
        {
            c.Number, c.ReportedAt, c.CategoryCode, c.Title, c.Description, c.GridCode, c.Tier, c.Status, c.Channel, c.AssigneeName,
            c.DueAt, c.SupervisionDueAt, c.ClosedAt, c.Rating, c.Location, c.ReporterPhone,
        }).ToListAsync(ct);
        var categories = await db.CaseCategories.AsNoTracking().ToDictionaryAsync(c => c.Code, c => (c.Name, c.MajorName), ct);

        var sheet = rows.Select(r =>
        {
            var category = categories.GetValueOrDefault(r.CategoryCode);
            var overdue = r.Status is CaseStatus.Assigned or CaseStatus.InHandling && r.DueAt is { } due && due < now;
            var values = new object?[]
            {
                r.Number, Beijing(r.ReportedAt), category.MajorName, category.Name ?? r.CategoryCode, r.Title, r.Description, r.GridCode,
                TierName(r.Tier), r.Status.ToChinese(), ChannelName(r.Channel), r.AssigneeName, Beijing(r.DueAt), overdue ? "是" : "否",
                Beijing(r.SupervisionDueAt), Beijing(r.ClosedAt), r.Rating, Math.Round(r.Location.X, 6), Math.Round(r.Location.Y, 6),
                Masking.Phone(r.ReporterPhone),
            };
            var row = new Dictionary<string, object?>(Headers.Count);
            for (var i = 0; i < Headers.Count; i++)
            {
                row[Headers[i]] = values[i];
            }

            return row;
        });

        using var buffer = new MemoryStream();
        await buffer.SaveAsAsync(sheet, sheetName: "案件", cancellationToken: ct);
        var file = $"案件导出-{now.ToOffset(CaseFilter.BeijingOffset).ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}.xlsx";
        return TypedResults.File(buffer.ToArray(), ContentType, file);
    }

    /// <summary>A time as Beijing wall-clock time, "yyyy-MM-dd HH:mm:ss", as people read it.</summary>
    private static string? Beijing(DateTimeOffset? at) =>
        at?.ToOffset(CaseFilter.BeijingOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string TierName(CaseTier tier) => tier switch
    {
        CaseTier.Green => "绿色",
        CaseTier.Yellow => "黄色",
        CaseTier.Blue => "蓝色",
        CaseTier.Red => "红色",
        _ => tier.ToString(),
    };

    internal static string ChannelName(CaseChannel channel) => channel switch
    {
        CaseChannel.ResidentApp => "居民随手拍",
        CaseChannel.GridPatrol => "网格巡查",
        CaseChannel.PropertyStaff => "物业上报",
        CaseChannel.StaffEntry => "工作人员录入",
        CaseChannel.Sensor => "智能感知",
        CaseChannel.Hotline12345 => "12345热线",
        CaseChannel.Open311 => "Open311",
        _ => channel.ToString(),
    };
}
