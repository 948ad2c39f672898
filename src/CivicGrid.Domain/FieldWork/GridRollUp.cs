using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.FieldWork;

/// <summary>
/// Which row of a per-grid table a record counts in. Records sit on the finest grid they know (a micro-grid, a 3rd-level
/// grid, a community…); a row of a level counts every record on itself or below it, so a 2nd-level grid's figures are the sum
/// of everything under it. A record on a coarser node than the level (a community-wide project, a 2nd-level grid worker at
/// micro level) belongs to no row of that level. Dedicated grids (专属网格: code = community + 9 + 2 digits) lie over the
/// territorial tiling and are not rows of the territorial levels: a record on a dedicated grid counts in no 2nd-level,
/// 3rd-level or micro row. Patrol time and distance are located on the territorial tiling (see PatrolTracks.Locator), so a
/// walk through a school or a market counts for the territorial grid underneath it.
/// </summary>
public static class GridRollUp
{
    /// <summary>The levels a per-grid table is asked for, by API name.</summary>
    public static IReadOnlyList<string> LevelNames { get; } = ["grid-2", "grid-3", "micro"];

    /// <summary>Reads grid-2, grid-3 or micro.</summary>
    public static bool TryReadLevel(string? text, out GridLevel level) =>
        GridLevelNames.TryParse(text, out level) && level is GridLevel.Second or GridLevel.Third or GridLevel.Micro;

    /// <summary>
    /// The code of the row of <paramref name="level"/> that a record on <paramref name="code"/> counts in, or null when it counts
    /// in none (coarser than the level, or on a dedicated grid).
    /// </summary>
    public static string? RowOf(string code, GridLevel level)
    {
        ArgumentNullException.ThrowIfNull(code);
        var length = GridCodes.LengthOf(level, GridKind.Territorial);
        if (code.Length < length || IsDedicated(code))
        {
            return null;
        }

        return code[..length];
    }

    /// <summary>True for a dedicated grid's code (or a code below one).</summary>
    public static bool IsDedicated(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code.Length >= GridCodes.DedicatedLength && code[GridCodes.CommunityLength] == GridCodes.DedicatedMarker;
    }

    /// <summary>
    /// The share of a row's micro-grids walked, 0–1, rounded to 4 places: walked micro-grids ÷ all micro-grids under the row. A
    /// row with no micro-grids under it (a micro-grid itself, or a grid the territory does not divide further) is 1 when it was
    /// walked at all and 0 when not.
    /// </summary>
    public static double CoverageShare(int walkedMicroGrids, int microGrids, bool walked) =>
        microGrids == 0 ? (walked ? 1 : 0) : Math.Round((double)Math.Min(walkedMicroGrids, microGrids) / microGrids, 4);
}
