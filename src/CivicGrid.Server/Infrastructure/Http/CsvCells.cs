namespace CivicGrid.Server.Infrastructure.Http;

/// <summary>
/// How every CSV export writes a cell: neutralised against formula injection, then quoted where RFC 4180 needs it.
/// A cell that a spreadsheet would read as a formula (one starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a
/// carriage return) gets a leading apostrophe, as OWASP's "CSV Injection" advice says: text typed by a resident or a
/// hotline caller (<c>=HYPERLINK(…)</c>) then opens as text, never as a formula that runs on a staff member's machine.
/// Excel exports need none of this: their cells are written as typed strings, never as formulas.
/// </summary>
public static class CsvCells
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    private static readonly char[] NeedsQuotes = [',', '"', '\r', '\n'];

    /// <summary>One line of cells, each neutralised and quoted, ended by CRLF.</summary>
    public static string Line(IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell)) + "\r\n";

    /// <summary>A cell as written: <see cref="Neutralise"/>d, then quoted when it holds a comma, a quote or a line break.</summary>
    public static string Cell(string? value)
    {
        var text = Neutralise(value ?? string.Empty);
        return text.IndexOfAny(NeedsQuotes) < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>The value with an apostrophe in front when a spreadsheet would take it for a formula; unchanged otherwise.</summary>
    public static string Neutralise(string value) =>
        value.Length > 0 && Array.IndexOf(FormulaStarts, value[0]) >= 0 ? "'" + value : value;
}
