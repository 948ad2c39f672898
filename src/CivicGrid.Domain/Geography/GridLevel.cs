namespace CivicGrid.Domain.Geography;

/// <summary>
/// The level of a node in the territorial tree. The top three levels are administrative regions
/// (区, 街道, 社区); the lower three are the grids the subdistrict draws (二级网格, 三级网格, 微网格).
/// Values are ordered from the top of the tree to the bottom.
/// </summary>
public enum GridLevel
{
    District = 1,
    Subdistrict = 2,
    Community = 3,
    Second = 4,
    Third = 5,
    Micro = 6,
}

/// <summary>Whether a grid belongs to the whole-territory tiling or is laid over it for one place.</summary>
public enum GridKind
{
    /// <summary>Part of the gap-free, overlap-free tiling of the territory (基础网格).</summary>
    Territorial = 1,

    /// <summary>
    /// A grid for one office tower, institution, street of shops or construction site (专属网格).
    /// It lies inside its community and over the territorial grids; it is not part of the tiling.
    /// </summary>
    Dedicated = 2,
}
