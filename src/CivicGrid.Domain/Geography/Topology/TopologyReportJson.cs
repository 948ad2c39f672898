using System.Text.Json.Serialization;

namespace CivicGrid.Domain.Geography.Topology;

/// <summary>
/// A <see cref="TopologyReport"/> as plain data for <c>System.Text.Json</c>. Property names are fixed in
/// camelCase, whatever the serializer options, so files and API responses read the same.
/// </summary>
public sealed record TopologyReportJson(
    [property: JsonPropertyName("errorCount")] int ErrorCount,
    [property: JsonPropertyName("warningCount")] int WarningCount,
    [property: JsonPropertyName("isAcceptable")] bool IsAcceptable,
    [property: JsonPropertyName("problems")] IReadOnlyList<TopologyProblemJson> Problems);

/// <summary>One <see cref="TopologyProblem"/> as plain data.</summary>
/// <param name="Severity"><c>error</c> or <c>warning</c>.</param>
/// <param name="Kind">Kebab-case kind, e.g. <c>outside-parent</c>; see <see cref="TopologyNames"/>.</param>
/// <param name="AreaSquareMeters">Area in m², rounded to 0.1; null when the problem has no area.</param>
/// <param name="Location">The location as WKT in WGS-84 lon/lat with 7 decimals, or null.</param>
public sealed record TopologyProblemJson(
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("featureIndex")] int? FeatureIndex,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("otherCode")] string? OtherCode,
    [property: JsonPropertyName("areaSquareMeters")] double? AreaSquareMeters,
    [property: JsonPropertyName("messageZh")] string MessageZh,
    [property: JsonPropertyName("messageEn")] string MessageEn,
    [property: JsonPropertyName("location")] string? Location);

/// <summary>The names of severities and problem kinds in files and the API (<c>error</c>, <c>outside-parent</c>…), stable.</summary>
public static class TopologyNames
{
    public static string Of(TopologySeverity severity) => severity switch
    {
        TopologySeverity.Error => "error",
        TopologySeverity.Warning => "warning",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "Unknown severity."),
    };

    public static string Of(TopologyProblemKind kind) => kind switch
    {
        TopologyProblemKind.InvalidGeometry => "invalid-geometry",
        TopologyProblemKind.EmptyGeometry => "empty-geometry",
        TopologyProblemKind.DuplicateCode => "duplicate-code",
        TopologyProblemKind.BadCode => "bad-code",
        TopologyProblemKind.MissingParent => "missing-parent",
        TopologyProblemKind.ParentLevelMismatch => "parent-level-mismatch",
        TopologyProblemKind.Overlap => "overlap",
        TopologyProblemKind.Gap => "gap",
        TopologyProblemKind.OutsideParent => "outside-parent",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown problem kind."),
    };
}
