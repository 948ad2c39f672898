using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace CivicGrid.Domain.Geography.Topology;

/// <summary>The sentences of a topology report, in Chinese and English, with codes and areas in them.</summary>
internal static class TopologyMessages
{
    public static (string Zh, string En) EmptyGeometry(string code) =>
        ($"网格 {code} 的边界为空。", $"Grid {code} has an empty boundary.");

    public static (string Zh, string En) NotPolygonal(string code, Geometry boundary) =>
        ($"网格 {code} 的边界是 {boundary.GeometryType}，不是多边形（Polygon/MultiPolygon）。",
            $"Grid {code} has a {boundary.GeometryType} boundary, not a Polygon or MultiPolygon.");

    public static (string Zh, string En) NotLonLat(string code) =>
        ($"网格 {code} 的边界坐标不是 WGS-84 经纬度（经度 -180～180，纬度 -90～90）：可能是投影坐标，或经纬度颠倒。",
            $"Grid {code} has coordinates outside WGS-84 longitude -180…180 and latitude -90…90: projected, or longitude and latitude swapped?");

    public static (string Zh, string En) InvalidBoundary(string code, TopologyValidationError error)
    {
        var at = error.Coordinate is { } c && double.IsFinite(c.X) && double.IsFinite(c.Y)
            ? string.Create(CultureInfo.InvariantCulture, $" ({c.X:0.0000000}, {c.Y:0.0000000})")
            : string.Empty;
        return ($"网格 {code} 的边界无效：{Chinese(error.ErrorType)}{at}。",
            $"Grid {code} has an invalid boundary: {error.Message}{at}.");
    }

    public static (string Zh, string En) DuplicateCode(string code, int firstIndex, int index) =>
        (string.Create(CultureInfo.InvariantCulture, $"编码 {code} 重复：第 {firstIndex} 项和第 {index} 项使用了同一个编码。"),
            string.Create(CultureInfo.InvariantCulture, $"Code {code} is used twice: by feature {firstIndex} and by feature {index}."));

    public static (string Zh, string En) UnknownLevelOrKind(string code) =>
        ($"网格 {code} 的层级或类别无法识别。", $"Grid {code} has an unknown level or kind.");

    /// <summary>
    /// <see cref="GridCodes.Validate"/> names the broken rule in English only, so the Chinese sentence states
    /// the whole rule for the grid's level and kind instead of the one part that broke.
    /// </summary>
    public static (string Zh, string En) BadCode(string code, GridLevel level, GridKind kind, string? parentCode, string rule)
    {
        var expected = GridCodes.LengthOf(level, kind);
        var form = kind == GridKind.Dedicated
            ? "专属网格按三级网格管理，编码为所属社区编码加 9 再加两位数字（共 15 位）"
            : level == GridLevel.Second
                ? $"{level.ToChinese()}编码为 {expected} 位数字，末两位为 01～89（9x 留给专属网格）"
                : level is GridLevel.District or GridLevel.Subdistrict
                    ? $"{level.ToChinese()}编码为 {expected} 位数字，或统计用区划代码的 12 位写法（{expected} 位后补 {GridCodes.CommunityLength - expected} 个 0，本级代码不能全为 0）"
                    : $"{level.ToChinese()}编码为 {expected} 位数字";
        var parent = parentCode is null ? string.Empty : $"，并以上一层级的上级编码 {parentCode} 开头";
        return ($"网格 {code} 的编码不合规（{code.Length} 位）：{form}{parent}。", $"Grid {code} has a malformed code: {rule}");
    }

    public static (string Zh, string En) MissingParent(string code, string parentCode) =>
        ($"网格 {code} 的上级 {parentCode} 不在本次数据中，未检查它是否位于上级之内。",
            $"Grid {code} names parent {parentCode}, which is not in the set, so it was not checked against its parent.");

    public static (string Zh, string En) ParentLevelMismatch(string code, GridLevel level, GridKind kind, string parentCode, GridLevel parentLevel, GridKind parentKind)
    {
        if (parentKind == GridKind.Dedicated)
        {
            return ($"网格 {code} 的上级 {parentCode} 是专属网格，专属网格不能有下级。",
                $"Grid {code} has parent {parentCode}, a dedicated grid; dedicated grids have no children.");
        }

        var self = kind == GridKind.Dedicated ? "专属网格" : level.ToChinese();
        var selfEn = kind == GridKind.Dedicated ? "dedicated" : level.ToApiName();
        return GridCodes.ParentLevelOf(level, kind) is { } expected
            ? ($"网格 {code}（{self}）的上级 {parentCode} 是{parentLevel.ToChinese()}，应为{expected.ToChinese()}。",
                $"Grid {code} ({selfEn}) has parent {parentCode} at level {parentLevel.ToApiName()}; its parent must be at level {expected.ToApiName()}.")
            : ($"网格 {code}（{self}）是最高层级，不能有上级 {parentCode}。",
                $"Grid {code} ({selfEn}) is at the top level and cannot have parent {parentCode}.");
    }

    public static (string Zh, string En) Overlap(string code, int index, string otherCode, int otherIndex, double area, TopologySeverity severity)
    {
        // Two features with one (duplicate) code would read "X overlaps X"; their indexes tell them apart.
        var (which, whichEn) = code == otherCode
            ? (string.Create(CultureInfo.InvariantCulture, $"（第 {index} 项与第 {otherIndex} 项）"),
                string.Create(CultureInfo.InvariantCulture, $" (features {index} and {otherIndex})"))
            : (string.Empty, string.Empty);
        return ($"网格 {code} 与 {otherCode}{which} 重叠 {Area(area)} 平方米{SliverZh(severity)}。",
            $"Grid {code} overlaps {otherCode}{whichEn} by {Area(area)} m²{SliverEn(severity)}.");
    }

    public static (string Zh, string En) Gap(string code, double area, TopologySeverity severity) =>
        ($"网格 {code} 内有 {Area(area)} 平方米未被其下级网格覆盖{SliverZh(severity)}。",
            $"Grid {code} has a gap of {Area(area)} m² covered by none of its child grids{SliverEn(severity)}.");

    public static (string Zh, string En) OutsideParent(string code, string parentCode, double area, TopologySeverity severity) =>
        ($"网格 {code} 有 {Area(area)} 平方米超出上级 {parentCode} 的边界{SliverZh(severity)}。",
            $"Grid {code} lies {Area(area)} m² outside its parent {parentCode}{SliverEn(severity)}.");

    public static (string Zh, string En) OverlapCheckFailed(string code, string otherCode, string reason) =>
        ($"检查网格 {code} 与 {otherCode} 是否重叠时几何计算失败：{reason}",
            $"Could not check whether grid {code} overlaps {otherCode}: {reason}");

    public static (string Zh, string En) GapCheckFailed(string code, string reason) =>
        ($"检查网格 {code} 内的空隙时几何计算失败：{reason}", $"Could not check grid {code} for gaps: {reason}");

    public static (string Zh, string En) OutsideCheckFailed(string code, string parentCode, string reason) =>
        ($"检查网格 {code} 是否超出上级 {parentCode} 时几何计算失败：{reason}",
            $"Could not check whether grid {code} lies inside its parent {parentCode}: {reason}");

    public static (string Zh, string En) GeometryCheckFailed(string code, string reason) =>
        ($"检查网格 {code} 的边界时几何计算失败：{reason}", $"Could not check the boundary of grid {code}: {reason}");

    /// <summary>An area in m² with one decimal and thousands separators, the same in both languages.</summary>
    public static string Area(double squareMeters) => squareMeters.ToString("N1", CultureInfo.InvariantCulture);

    private static string SliverZh(TopologySeverity severity) =>
        severity == TopologySeverity.Warning ? "（细小或细长，可能是测绘误差）" : string.Empty;

    private static string SliverEn(TopologySeverity severity) =>
        severity == TopologySeverity.Warning ? " (a sliver, likely survey noise)" : string.Empty;

    private static string Chinese(TopologyValidationErrors error) => error switch
    {
        TopologyValidationErrors.HoleOutsideShell => "内环（洞）位于外环之外",
        TopologyValidationErrors.NestedHoles => "内环（洞）相互嵌套",
        TopologyValidationErrors.DisconnectedInteriors => "内部不连通",
        TopologyValidationErrors.SelfIntersection => "自相交",
        TopologyValidationErrors.RingSelfIntersection => "环自相交",
        TopologyValidationErrors.NestedShells => "多边形相互嵌套",
        TopologyValidationErrors.DuplicateRings => "环重复",
        TopologyValidationErrors.TooFewPoints => "点数过少",
        TopologyValidationErrors.InvalidCoordinate => "坐标无效",
        TopologyValidationErrors.RingNotClosed => "环未闭合",
        _ => "拓扑无效",
    };
}
