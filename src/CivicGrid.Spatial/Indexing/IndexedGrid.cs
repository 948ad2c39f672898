using NetTopologySuite.Geometries;

namespace CivicGrid.Spatial.Indexing;

/// <summary>
/// One node of the territorial tree as the locator sees it.
/// </summary>
/// <param name="Code">Hierarchical code (see docs/adr/0003-hierarchical-codes.md); unique in one index.</param>
/// <param name="ParentCode">The parent's code, or null for a root.</param>
/// <param name="IsDedicated">A dedicated grid (专属网格) lies over the territorial tiling and is indexed apart from it.</param>
/// <param name="Boundary">Polygon or multipolygon, WGS-84 longitude/latitude in degrees (x = lon, y = lat).
/// Other geometry types contribute their polygonal parts only.</param>
public sealed record IndexedGrid(string Code, string? ParentCode, bool IsDedicated, Geometry Boundary);

/// <summary>How sure <see cref="GridIndex.Locate"/> is of its answer.</summary>
public enum LocateConfidence
{
    /// <summary>The point lies in the leaf and the whole accuracy circle lies inside that leaf: the
    /// distance from the point to the leaf's boundary is greater than the accuracy. Never wrong.</summary>
    Certain,

    /// <summary>The point lies in the leaf as given, but the accuracy circle reaches another leaf or
    /// beyond the territory (the point is within the accuracy of the leaf's boundary), or the data
    /// has overlapping leaves there.</summary>
    Ambiguous,

    /// <summary>The point lies in no territorial leaf.</summary>
    Outside,
}

/// <summary>The fast answer of <see cref="GridIndex.Locate"/>; allocation-free.</summary>
/// <param name="Confidence">See <see cref="LocateConfidence"/>.</param>
/// <param name="Leaf">Index of the territorial leaf containing the point, 0 ≤ Leaf &lt; <see cref="GridIndex.Count"/>;
/// -1 when <see cref="LocateConfidence.Outside"/>.</param>
/// <param name="BoundaryClearanceMeters">A guaranteed lower bound of the distance in metres from the point
/// to the leaf's boundary; 0 when unknown (always 0 for ambiguous and outside answers). For a certain
/// answer with a positive accuracy it is greater than the accuracy.</param>
public readonly record struct LocateResult(LocateConfidence Confidence, int Leaf, double BoundaryClearanceMeters);

/// <summary>A leaf that an accuracy circle touches, or one near a point outside the territory.</summary>
/// <param name="Leaf">Index of the leaf.</param>
/// <param name="Code">The leaf's code.</param>
/// <param name="Share">Fraction 0..1 of the accuracy circle's area inside this leaf (0 for outside answers).</param>
/// <param name="DistanceMeters">Distance in metres from the point to the leaf; 0 when the point lies in it.</param>
public sealed record LeafCandidate(int Leaf, string Code, double Share, double DistanceMeters);

/// <summary>The full answer of <see cref="GridIndex.Explain"/>.</summary>
/// <param name="Confidence">The same confidence <see cref="GridIndex.Locate"/> gives.</param>
/// <param name="Leaf">Index of the leaf containing the point, -1 when outside.</param>
/// <param name="Code">The leaf's code, null when outside.</param>
/// <param name="DistanceToBoundaryMeters">Exact distance in metres from the point to the leaf's boundary
/// (in the index's local projection); null when outside.</param>
/// <param name="Chain">Codes from the root down to the leaf; empty when outside.</param>
/// <param name="DedicatedCodes">Codes of the dedicated grids covering the point.</param>
/// <param name="Candidates">Certain: the leaf alone with share 1. Ambiguous: every leaf the accuracy
/// circle touches, by share (largest first), then distance. Outside: up to 3 nearest leaves within
/// <see cref="GridIndex.OutsideSearchRadiusMeters"/>, nearest first, with share 0.</param>
public sealed record LocationDetail(
    LocateConfidence Confidence,
    int Leaf,
    string? Code,
    double? DistanceToBoundaryMeters,
    IReadOnlyList<string> Chain,
    IReadOnlyList<string> DedicatedCodes,
    IReadOnlyList<LeafCandidate> Candidates);

/// <summary>Tuning of the raster behind a <see cref="GridIndex"/>.</summary>
/// <param name="CellsPerLeaf">Target raster cells per average leaf area; more cells answer more points
/// from a table lookup at the cost of memory.</param>
/// <param name="MaxCells">Upper bound of raster cells; the cell size grows to respect it.</param>
public sealed record GridIndexOptions(double CellsPerLeaf = 12, int MaxCells = 8_000_000)
{
    public static GridIndexOptions Default { get; } = new();
}
