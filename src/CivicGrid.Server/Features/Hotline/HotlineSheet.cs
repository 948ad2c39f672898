using System.Globalization;
using System.Text;
using MiniExcelLibs;

namespace CivicGrid.Server.Features.Hotline;

/// <summary>One data row of a hotline file: its row number as a spreadsheet shows it (the header is row 1) and its cells by header.</summary>
public sealed record HotlineRow(int Row, IReadOnlyDictionary<string, string> Cells)
{
    public string Cell(string column) => Cells.TryGetValue(column, out var value) ? value.Trim() : string.Empty;
}

/// <summary>Why a hotline file could not be read at all (not one row's fault).</summary>
public sealed class HotlineFileException(string chineseMessage) : Exception(chineseMessage)
{
    public string ChineseMessage { get; } = chineseMessage;
}

/// <summary>
/// Reads a hotline work-order file: Excel (.xlsx, first sheet, header in row 1) or CSV in UTF-8 (with or without BOM)
/// or GB18030 — the hotline centres' exports are often GBK, a subset of GB18030. Bytes that are not valid UTF-8 are
/// read as GB18030.
/// </summary>
public static class HotlineSheet
{
    static HotlineSheet() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <exception cref="HotlineFileException">Not an Excel workbook or a CSV file, or no header row.</exception>
    public static List<HotlineRow> Read(byte[] content, string fileName)
    {
        ArgumentNullException.ThrowIfNull(content);
        var isExcel = content.Length > 4 && content[0] == 'P' && content[1] == 'K';
        if (fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || isExcel)
        {
            return isExcel ? ReadExcel(content) : throw new HotlineFileException("文件不是有效的 Excel（.xlsx）工作簿。");
        }

        return ReadCsv(Decode(content));
    }

    /// <summary>Reads an uploaded file: its rows, or the Chinese reason it cannot be read (also for the roster's import).</summary>
    public static async Task<(List<HotlineRow>? Rows, string? Error)> ReadAsync(IFormFile file, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            return (Read(buffer.ToArray(), file.FileName), null);
        }
        catch (HotlineFileException e)
        {
            return (null, e.ChineseMessage);
        }
    }

    /// <summary>UTF-8 when the bytes are valid UTF-8, else GB18030.</summary>
    public static string Decode(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            var text = new UTF8Encoding(false, true).GetString(content);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding("GB18030").GetString(content);
        }
    }

    private static List<HotlineRow> ReadExcel(byte[] content)
    {
        try
        {
            using var stream = new MemoryStream(content);
            var rows = new List<HotlineRow>();
            var number = 1;
            foreach (IDictionary<string, object?> row in MiniExcel.Query(stream, useHeaderRow: true, excelType: ExcelType.XLSX))
            {
                number++;
                var cells = row.ToDictionary(c => c.Key.Trim(), c => Text(c.Value), StringComparer.Ordinal);
                if (cells.Values.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }

                rows.Add(new HotlineRow(number, cells));
            }

            return rows;
        }
        catch (Exception e) when (e is not HotlineFileException and not OutOfMemoryException)
        {
            throw new HotlineFileException("无法读取 Excel 文件，请确认它是有效的 .xlsx 工作簿。");
        }
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        DateTime at => at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        double d => d.ToString("0.##########", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static List<HotlineRow> ReadCsv(string text)
    {
        var records = ParseCsv(text);
        if (records.Count == 0 || records[0].All(string.IsNullOrWhiteSpace))
        {
            throw new HotlineFileException("CSV 文件没有表头行。");
        }

        var header = records[0].Select(h => h.Trim()).ToList();
        var rows = new List<HotlineRow>();
        for (var i = 1; i < records.Count; i++)
        {
            if (records[i].All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var c = 0; c < header.Count; c++)
            {
                cells.TryAdd(header[c], c < records[i].Count ? records[i][c] : string.Empty);
            }

            rows.Add(new HotlineRow(i + 1, cells));
        }

        return rows;
    }

    /// <summary>RFC 4180: fields separated by commas, quoted with double quotes (doubled inside), records by CRLF or LF.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    record.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    record.Add(field.ToString());
                    field.Clear();
                    records.Add(record);
                    record = [];
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }

        if (quoted)
        {
            throw new HotlineFileException("CSV 文件中有未闭合的引号。");
        }

        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }

        return records;
    }
}
