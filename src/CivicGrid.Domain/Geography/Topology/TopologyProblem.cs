using NetTopologySuite.Geometries;

namespace CivicGrid.Domain.Geography.Topology;

/// <summary>How bad a topology problem is: a set with errors must not be imported.</summary>
public enum TopologySeverity
{
    /// <summary>Worth a look (a sliver, a parent not in the set), but the set can be imported.</summary>
    Warning = 1,

    /// <summary>The set breaks a rule of the territorial tree and must be fixed before it is imported.</summary>
    Error = 2,
}

/// <summary>The rule a grid breaks. Stable names for files and the API: see <see cref="TopologyProblemJson"/>.</summary>
public enum TopologyProblemKind
{
    /// <summary>The boundary is not a polygon or multipolygon, has coordinates that are not lon/lat, or is not valid (self-intersection, bad rings).</summary>
    InvalidGeometry = 1,

    /// <summary>The boundary is missing or empty.</summary>
    EmptyGeometry,

    /// <summary>Two features have the same code.</summary>
    DuplicateCode,

    /// <summary>The code is malformed for the grid's level and kind, or does not extend its parent's (see <see cref="GridCodes.Validate"/>).</summary>
    BadCode,

    /// <summary>The parent code names no grid in the set (a warning: the parent may already be stored).</summary>
    MissingParent,

    /// <summary>The parent is not at the level directly above, or is a dedicated grid.</summary>
    ParentLevelMismatch,

    /// <summary>Two territorial siblings share some area.</summary>
    Overlap,

    /// <summary>Part of a parent is covered by none of its territorial children.</summary>
    Gap,

    /// <summary>Part of a grid lies outside its parent.</summary>
    OutsideParent,
}

/// <summary>One problem found by <see cref="GridTopologyValidator"/>.</summary>
/// <param name="Severity">Error (blocks the import) or warning.</param>
/// <param name="Kind">The rule broken.</param>
/// <param name="FeatureIndex">
/// <see cref="GridShape.Index"/> of the grid the problem belongs to: the first of an overlapping pair, the
/// parent of a gap, the child sticking out of its parent, the later of two duplicates.
/// </param>
/// <param name="Code">That grid's code.</param>
/// <param name="OtherCode">The other grid involved: the other of an overlapping pair, or the parent; else null.</param>
/// <param name="Location">
/// Where the problem is, WGS-84 lon/lat: the overlap polygon, the gap polygon, the part outside the parent,
/// the point where a boundary is invalid; for a code or parent problem, the grid's boundary. Null when
/// there is nothing to show (an empty boundary, coordinates that are not lon/lat).
/// </param>
/// <param name="AreaSquareMeters">Area of an overlap, gap or outside part in m²; null for other problems.</param>
/// <param name="MessageZh">A complete sentence in Chinese naming the codes and the area.</param>
/// <param name="MessageEn">The same sentence in English.</param>
public sealed record TopologyProblem(
    TopologySeverity Severity,
    TopologyProblemKind Kind,
    int? FeatureIndex,
    string Code,
    string? OtherCode,
    Geometry? Location,
    double? AreaSquareMeters,
    string MessageZh,
    string MessageEn);
