using System.Globalization;
using System.Text;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace CivicGrid.Domain.Geography.Topology;

/// <summary>
/// The outcome of <see cref="GridTopologyValidator.Validate"/>: every problem found, in the order the
/// checks found them, and the three forms it is shown in (text, a JSON model, GeoJSON for the map).
/// </summary>
public sealed record TopologyReport(IReadOnlyList<TopologyProblem> Problems)
{
    /// <summary>Number of problems that block an import.</summary>
    public int ErrorCount => Problems.Count(problem => problem.Severity == TopologySeverity.Error);

    public int WarningCount => Problems.Count(problem => problem.Severity == TopologySeverity.Warning);

    /// <summary>True when there are no errors: the set may be imported, warnings and all.</summary>
    public bool IsAcceptable => ErrorCount == 0;

    /// <summary>
    /// A report for people: a summary line, then one line per problem (severity, kind, feature index, code,
    /// other code, area in m², message), errors first, each group in feature order. Lines end in <c>\n</c>.
    /// </summary>
    /// <param name="language"><c>zh</c> (the default) or <c>en</c>; regional forms such as <c>zh-CN</c> are accepted.</param>
    /// <exception cref="ArgumentException"><paramref name="language"/> is neither Chinese nor English.</exception>
    public string ToText(string language = "zh")
    {
        var chinese = IsLanguage(language, "zh");
        if (!chinese && !IsLanguage(language, "en"))
        {
            throw new ArgumentException($"Language '{language}' is not supported; use 'zh' or 'en'.", nameof(language));
        }

        var text = new StringBuilder();
        text.Append(Summary(chinese)).Append('\n');
        foreach (var problem in Problems.OrderByDescending(p => p.Severity).ThenBy(p => p.FeatureIndex))
        {
            var fields = new[]
            {
                SeverityName(problem.Severity, chinese),
                KindName(problem.Kind, chinese),
                problem.FeatureIndex is { } index ? string.Create(CultureInfo.InvariantCulture, $"#{index}") : "-",
                problem.Code.Length > 0 ? problem.Code : "-",
                problem.OtherCode ?? "-",
                problem.AreaSquareMeters is { } area ? $"{TopologyMessages.Area(area)} {(chinese ? "平方米" : "m²")}" : "-",
                chinese ? problem.MessageZh : problem.MessageEn,
            };
            text.AppendJoin("  ", fields).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// The report as plain records for <c>System.Text.Json</c> (no NTS converters needed): severity and kind
    /// as stable kebab-case names, areas in m² rounded to 0.1, locations as WKT (lon lat, 7 decimals).
    /// </summary>
    public TopologyReportJson ToJsonModel()
    {
        var wkt = new WKTWriter { OutputOrdinates = Ordinates.XY, PrecisionModel = new PrecisionModel(1e7) };
        return new TopologyReportJson(
            ErrorCount,
            WarningCount,
            IsAcceptable,
            Problems.Select(problem => ToJsonProblem(problem, wkt)).ToList());
    }

    /// <summary>
    /// The located problems as an RFC 7946 GeoJSON FeatureCollection (lon/lat, 7 decimals, exterior rings
    /// counter-clockwise) with the properties of <see cref="ToJsonModel"/>, for the console map. Problems
    /// without a location (an empty boundary) are left out; the JSON model has them all.
    /// </summary>
    public string ToGeoJson() => TopologyGeoJsonWriter.Write(this);

    /// <summary>One problem as plain data; the location is left out (null) when <paramref name="wkt"/> is null.</summary>
    internal static TopologyProblemJson ToJsonProblem(TopologyProblem problem, WKTWriter? wkt) => new(
        TopologyNames.Of(problem.Severity),
        TopologyNames.Of(problem.Kind),
        problem.FeatureIndex,
        problem.Code,
        problem.OtherCode,
        problem.AreaSquareMeters is { } area ? Math.Round(area, 1, MidpointRounding.AwayFromZero) : null,
        problem.MessageZh,
        problem.MessageEn,
        wkt is not null && problem.Location is { IsEmpty: false } location ? wkt.Write(location) : null);

    private string Summary(bool chinese)
    {
        if (Problems.Count == 0)
        {
            return chinese ? "拓扑检查：未发现问题，可以导入。" : "Topology check: no problems found; the set can be imported.";
        }

        return chinese
            ? string.Create(CultureInfo.InvariantCulture, $"拓扑检查：{ErrorCount} 个错误，{WarningCount} 个警告；{(IsAcceptable ? "可以导入" : "修正错误后才能导入")}。")
            : string.Create(CultureInfo.InvariantCulture,
                $"Topology check: {ErrorCount} {(ErrorCount == 1 ? "error" : "errors")}, {WarningCount} {(WarningCount == 1 ? "warning" : "warnings")}; {(IsAcceptable ? "the set can be imported" : "fix the errors before importing")}.");
    }

    private static bool IsLanguage(string language, string code) =>
        string.Equals(language, code, StringComparison.OrdinalIgnoreCase)
        || (language?.StartsWith(code + "-", StringComparison.OrdinalIgnoreCase) ?? false);

    private static string SeverityName(TopologySeverity severity, bool chinese) => chinese
        ? severity == TopologySeverity.Error ? "错误" : "警告"
        : TopologyNames.Of(severity);

    private static string KindName(TopologyProblemKind kind, bool chinese) => !chinese
        ? TopologyNames.Of(kind)
        : kind switch
        {
            TopologyProblemKind.InvalidGeometry => "几何无效",
            TopologyProblemKind.EmptyGeometry => "几何为空",
            TopologyProblemKind.DuplicateCode => "编码重复",
            TopologyProblemKind.BadCode => "编码不合规",
            TopologyProblemKind.MissingParent => "上级缺失",
            TopologyProblemKind.ParentLevelMismatch => "上级层级不符",
            TopologyProblemKind.Overlap => "重叠",
            TopologyProblemKind.Gap => "空隙",
            TopologyProblemKind.OutsideParent => "超出上级",
            _ => kind.ToString(),
        };
}
