namespace CivicGrid.Domain.Geography;

/// <summary>The names of levels and kinds used in files and the API (<c>grid-2</c>, <c>dedicated</c>…), stable.</summary>
public static class GridLevelNames
{
    private static readonly Dictionary<GridLevel, string> Names = new()
    {
        [GridLevel.District] = "district",
        [GridLevel.Subdistrict] = "subdistrict",
        [GridLevel.Community] = "community",
        [GridLevel.Second] = "grid-2",
        [GridLevel.Third] = "grid-3",
        [GridLevel.Micro] = "micro",
    };

    public static IReadOnlyCollection<string> All => Names.Values;

    public static string ToApiName(this GridLevel level) => Names[level];

    public static string ToApiName(this GridKind kind) => kind == GridKind.Dedicated ? "dedicated" : "territorial";

    public static bool TryParse(string? name, out GridLevel level)
    {
        foreach (var (key, value) in Names)
        {
            if (string.Equals(value, name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                level = key;
                return true;
            }
        }

        level = default;
        return false;
    }

    public static bool TryParseKind(string? name, out GridKind kind)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case null or "" or "territorial":
                kind = GridKind.Territorial;
                return true;
            case "dedicated":
                kind = GridKind.Dedicated;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    /// <summary>Chinese name of a level, for people.</summary>
    public static string ToChinese(this GridLevel level) => level switch
    {
        GridLevel.District => "区",
        GridLevel.Subdistrict => "街道",
        GridLevel.Community => "社区",
        GridLevel.Second => "二级网格",
        GridLevel.Third => "三级网格",
        GridLevel.Micro => "微网格",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };
}
