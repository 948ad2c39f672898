using System.Globalization;
using System.Text;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Cases;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using CivicGrid.Server.Features.Cases.Queries;

namespace CivicGrid.Server.Features.Hotline;

/// <summary>
/// Status and replies of imported 12345 orders, back in the hotline's columns (工单编号 first), as Excel or as CSV
/// (UTF-8 with BOM, which Excel opens correctly, or GB18030 for older hotline software on Windows). The caller's scope
/// applies, as for every case query.
/// </summary>
public static class HotlineExport
{
    public const int MaxRows = 20_000;

    static HotlineExport() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static readonly IReadOnlyList<string> Headers = ["工单编号", "案件编号", "办理状态", "办结时间", "答复内容", "最后更新时间"];

    /// <param name="from">First Beijing date of reporting (inclusive); default 30 days before <paramref name="to"/>.</param>
    /// <param name="to">Last Beijing date of reporting (inclusive); default today.</param>
    public static Task<Results<FileContentHttpResult, ProblemHttpResult>> Excel(DateOnly? from, DateOnly? to, CivicGridDbContext db, TimeProvider time,
        CancellationToken ct) => ExportAsync(from, to, db, time, excel: true, ct);

    /// <param name="from">First Beijing date of reporting (inclusive); default 30 days before <paramref name="to"/>.</param>
    /// <param name="to">Last Beijing date of reporting (inclusive); default today.</param>
    /// <param name="encoding"><c>utf-8</c> (default, with a BOM) or <c>gb18030</c> (no BOM), for hotline systems that expect GBK/GB18030.</param>
    public static Task<Results<FileContentHttpResult, ProblemHttpResult>> Csv(DateOnly? from, DateOnly? to, string? encoding, CivicGridDbContext db,
        TimeProvider time, CancellationToken ct)
    {
        var gb18030 = encoding?.Trim().ToLowerInvariant() switch
        {
            null or "" or "utf-8" or "utf8" => false,
            "gb18030" => true,
            _ => (bool?)null,
        };
        return gb18030 is { } chosen
            ? ExportAsync(from, to, db, time, excel: false, ct, chosen)
            : Task.FromResult<Results<FileContentHttpResult, ProblemHttpResult>>(Problems.Validation("encoding", "编码只能是 utf-8 或 gb18030。"));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(DateOnly? from, DateOnly? to, CivicGridDbContext db,
        TimeProvider time, bool excel, CancellationToken ct, bool gb18030 = false)
    {
        var now = time.GetUtcNow();
        var last = to ?? DateOnly.FromDateTime(now.ToOffset(CaseFilter.BeijingOffset).DateTime);
        var first = from ?? last.AddDays(-30);
        if (first > last)
        {
            return Problems.Validation("from", "开始日期不能晚于结束日期。");
        }

        var start = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), CaseFilter.BeijingOffset).ToUniversalTime();
        var end = new DateTimeOffset(last.AddDays(1).ToDateTime(TimeOnly.MinValue), CaseFilter.BeijingOffset).ToUniversalTime();
        var cases = await db.Cases.AsNoTracking()
            .Where(c => c.ExternalSource == ExternalSources.Hotline12345 && c.ReportedAt >= start && c.ReportedAt < end)
            .OrderBy(c => c.ReportedAt).Take(MaxRows + 1).ToListAsync(ct);
        if (cases.Count > MaxRows)
        {
            return Problems.Validation("from", $"所选时间段内的 12345 工单超过 {MaxRows} 件，请缩小时间范围后分批导出。");
        }

        var rows = cases.Select(c =>
        {
            var timeline = c.Timeline.OrderBy(e => e.Sequence).ToList();
            var handled = timeline.LastOrDefault(e => e.Action == "record-handled" && !string.IsNullOrWhiteSpace(e.Note));
            var reply = handled?.Note ?? timeline.LastOrDefault(e => e.IsPublic)?.PublicText ?? string.Empty;
            return new[] { c.ExternalNumber ?? string.Empty, c.Number, c.Status.ToChinese(), Beijing(c.ClosedAt), reply, Beijing(timeline[^1].At) };
        }).ToList();
        var stamp = now.ToOffset(CaseFilter.BeijingOffset).ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture);
        if (excel)
        {
            var sheet = rows.Select(r => Headers.Select((h, i) => (h, r[i])).ToDictionary(c => c.h, c => (object?)c.Item2)).ToList();
            using var buffer = new MemoryStream();
            await buffer.SaveAsAsync(sheet, sheetName: "12345工单", cancellationToken: ct);
            return TypedResults.File(buffer.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"12345工单办理情况-{stamp}.xlsx");
        }

        var csv = new StringBuilder(CsvCells.Line(Headers));
        foreach (var row in rows)
        {
            csv.Append(CsvCells.Line(row));
        }

        return gb18030
            ? TypedResults.File(Encoding.GetEncoding("GB18030").GetBytes(csv.ToString()), "text/csv; charset=gb18030", $"12345工单办理情况-{stamp}.csv")
            : TypedResults.File([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())], "text/csv; charset=utf-8",
                $"12345工单办理情况-{stamp}.csv");
    }

    private static string Beijing(DateTimeOffset? at) =>
        at?.ToOffset(CaseFilter.BeijingOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? string.Empty;
}
