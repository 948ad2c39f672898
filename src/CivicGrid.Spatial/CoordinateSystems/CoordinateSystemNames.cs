using System.Collections.Frozen;

namespace CivicGrid.Spatial.CoordinateSystems;

/// <summary>
/// The names by which the API accepts and reports a <see cref="CoordinateSystem"/>:
/// <c>wgs84</c>, <c>cgcs2000</c>, <c>gcj02</c>, <c>bd09</c>.
/// </summary>
public static class CoordinateSystemNames
{
    private static readonly FrozenDictionary<string, CoordinateSystem> ByName =
        new Dictionary<string, CoordinateSystem>(StringComparer.OrdinalIgnoreCase)
        {
            ["wgs84"] = CoordinateSystem.Wgs84,
            ["cgcs2000"] = CoordinateSystem.Cgcs2000,
            ["gcj02"] = CoordinateSystem.Gcj02,
            ["bd09"] = CoordinateSystem.Bd09,
            // GIS clients name the two systems that have an EPSG code by that code.
            ["epsg:4326"] = CoordinateSystem.Wgs84,
            ["epsg:4490"] = CoordinateSystem.Cgcs2000,
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The canonical API names, one per <see cref="CoordinateSystem"/> in declaration order. The
    /// EPSG aliases accepted by <see cref="TryParse"/> are not listed: they are input-only.
    /// </summary>
    public static IReadOnlyList<string> ApiNames { get; } = ["wgs84", "cgcs2000", "gcj02", "bd09"];

    /// <summary>
    /// Reads a coordinate system name as sent to the API: one of <see cref="ApiNames"/>, or
    /// <c>epsg:4326</c> (WGS-84) or <c>epsg:4490</c> (CGCS2000). Case-insensitive; surrounding
    /// white space is ignored. Nothing else is guessed at: <c>WGS-84</c>, <c>4326</c> or
    /// <c>baidu</c> are rejected, so a client that sends them learns at once.
    /// </summary>
    /// <param name="name">The name to read; may be <see langword="null"/>.</param>
    /// <param name="crs">The coordinate system named, or <see cref="CoordinateSystem.Wgs84"/> when
    /// the name is not recognised (check the return value, not this).</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> names a coordinate system.</returns>
    public static bool TryParse(string? name, out CoordinateSystem crs)
    {
        crs = default;
        return name is not null && ByName.TryGetValue(name.Trim(), out crs);
    }

    /// <summary>The canonical API name of <paramref name="crs"/>, e.g. <c>gcj02</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="crs"/> is not a defined value.</exception>
    public static string ToApiName(this CoordinateSystem crs) => crs switch
    {
        CoordinateSystem.Wgs84 => "wgs84",
        CoordinateSystem.Cgcs2000 => "cgcs2000",
        CoordinateSystem.Gcj02 => "gcj02",
        CoordinateSystem.Bd09 => "bd09",
        _ => throw new ArgumentOutOfRangeException(nameof(crs), crs, "Not a defined coordinate system."),
    };
}
