using NetTopologySuite.Geometries;

namespace CivicGrid.Domain.Geography;

/// <summary>
/// A node of the territorial tree: a district, subdistrict or community (administrative regions)
/// or a 2nd-level, 3rd-level, micro or dedicated grid. Boundaries are WGS-84 longitude/latitude
/// (SRID 4326); CGCS2000 data agrees to about a metre and is stored as is.
/// </summary>
public sealed class Grid : IGridExtent
{
    private Grid()
    {
        Code = null!;
        Name = null!;
        Boundary = null!;
    }

    /// <param name="validFrom">When this boundary took effect; the Unix epoch ("since records began") when not given.</param>
    public Grid(string code, string name, GridLevel level, GridKind kind, string? parentCode, Geometry boundary, DateTimeOffset? validFrom = null)
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
        SetBoundary(boundary);
        ValidFrom = validFrom ?? DateTimeOffset.UnixEpoch;
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

    /// <summary>When the current boundary, name and parent took effect. Earlier ones are kept as <see cref="GridVersion"/>s.</summary>
    public DateTimeOffset ValidFrom { get; private set; }

    /// <summary>
    /// Redraws the grid from <paramref name="at"/> on: the current state is returned as a closed
    /// <see cref="GridVersion"/> (to be kept), and the grid takes the new boundary, name and parent.
    /// Cases keep the grid code they were routed to; "as of" queries read the versions.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="at"/> is not after the current version's start.</exception>
    public GridVersion Redraw(Geometry boundary, string name, string? parentCode, DateTimeOffset at)
    {
        if (at <= ValidFrom)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, "A new boundary version starts after the current one.");
        }

        if (GridCodes.Validate(Code, Level, Kind, parentCode) is { } broken)
        {
            throw new ArgumentException($"Grid code '{Code}' under '{parentCode}': {broken}", nameof(parentCode));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var previous = Retire(at);
        SetBoundary(boundary);
        Name = name;
        ParentCode = parentCode;
        ValidFrom = at;
        return previous;
    }

    /// <summary>The current state as a version closed at <paramref name="at"/>, for the history (the grid itself is then redrawn or removed).</summary>
    public GridVersion Retire(DateTimeOffset at) => new(this, at);

    private void SetBoundary(Geometry boundary)
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
