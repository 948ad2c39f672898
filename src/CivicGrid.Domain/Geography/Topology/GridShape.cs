using NetTopologySuite.Geometries;

namespace CivicGrid.Domain.Geography.Topology;

/// <summary>
/// One grid as it stands in a file being imported (or as stored), before it becomes a <see cref="Grid"/>:
/// nothing about it has been checked yet. <see cref="GridTopologyValidator"/> takes a set of these.
/// </summary>
/// <param name="Index">The feature's position in the imported file (0-based or 1-based, as the caller counts), repeated in reports so people can find it.</param>
/// <param name="Code">Hierarchical code, see <see cref="GridCodes"/>; may be malformed.</param>
/// <param name="Name">Name for people, e.g. 长乐坊社区网格1.</param>
/// <param name="Level">The level the file claims for the grid.</param>
/// <param name="Kind">Territorial (part of the tiling) or dedicated (laid over it).</param>
/// <param name="ParentCode">The parent's code, or null for a root of the set.</param>
/// <param name="Boundary">
/// Polygon or multipolygon in WGS-84 longitude/latitude degrees (x = longitude, y = latitude); the SRID is
/// not looked at. May be invalid, empty or of another type: that is what the validator reports.
/// </param>
public sealed record GridShape(int Index, string Code, string Name, GridLevel Level, GridKind Kind, string? ParentCode, Geometry Boundary);
