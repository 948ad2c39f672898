using NetTopologySuite.Geometries;

namespace CivicGrid.Domain.Geography;

/// <summary>
/// A node of the territorial tree: a district, subdistrict or community (administrative regions)
/// or a 2nd-level, 3rd-level, micro or dedicated grid. Boundaries are WGS-84 longitude/latitude
/// (SRID 4326); CGCS2000 data agrees to about a metre and is stored as is.
/// </summary>
public sealed class Grid
{
    private Grid()
    {
        Code = null!;
        Name = null!;
        Boundary = null!;
    }

    public Grid(string code, string name, GridLevel level, GridKind kind, string? parentCode, Geometry boundary)
    {
        if (GridCodes.Validate(code, level, kind, parentCode) is { } broken)
        {
            throw new ArgumentException($"Grid code '{code}': {broken}", nameof(code));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Id = Guid.CreateVersion7();
        Code = code;
        Name = name;
        Level = level;
        Kind = kind;
        ParentCode = parentCode;
        Boundary = boundary;
        Redraw(boundary);
    }

    public Guid Id { get; private set; }

    /// <summary>Hierarchical code; see <see cref="GridCodes"/>.</summary>
    public string Code { get; private set; }

    public string Name { get; private set; }

    public GridLevel Level { get; private set; }

    public GridKind Kind { get; private set; }

    /// <summary>The parent's code; null only for a root (a district, or a node imported without its parent).</summary>
    public string? ParentCode { get; private set; }

    /// <summary>Polygon or multipolygon in WGS-84 lon/lat, SRID 4326.</summary>
    public Geometry Boundary { get; private set; }

    /// <summary>West edge of the boundary's envelope, degrees of longitude. Kept for index-friendly bbox queries.</summary>
    public double MinLon { get; private set; }

    public double MinLat { get; private set; }

    public double MaxLon { get; private set; }

    public double MaxLat { get; private set; }

    /// <summary>Approximate number of households, as surveyed; null when unknown.</summary>
    public int? Households { get; set; }

    /// <summary>Replaces the boundary and the envelope kept with it.</summary>
    public void Redraw(Geometry boundary)
    {
        ArgumentNullException.ThrowIfNull(boundary);
        if (boundary is not (Polygon or MultiPolygon))
        {
            throw new ArgumentException("A grid boundary is a polygon or a multipolygon.", nameof(boundary));
        }

        boundary.SRID = 4326;
        Boundary = boundary;
        var envelope = boundary.EnvelopeInternal;
        MinLon = envelope.MinX;
        MinLat = envelope.MinY;
        MaxLon = envelope.MaxX;
        MaxLat = envelope.MaxY;
    }
}
