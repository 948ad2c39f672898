using NetTopologySuite.Geometries;

namespace CivicGrid.Domain.Geography;

/// <summary>
/// A past state of a grid: its boundary, name and parent during [<see cref="ValidFrom"/>,
/// <see cref="ValidTo"/>). Kept forever so that a case can be shown on the boundary it was routed
/// by and so that "as of" queries answer for any date. Immutable.
/// </summary>
public sealed class GridVersion : IGridExtent
{
    private GridVersion()
    {
        Code = null!;
        Name = null!;
        Boundary = null!;
    }

    internal GridVersion(Grid grid, DateTimeOffset validTo)
    {
        if (validTo <= grid.ValidFrom)
        {
            throw new ArgumentOutOfRangeException(nameof(validTo), validTo, "A version ends after it starts.");
        }

        Id = Guid.CreateVersion7();
        Code = grid.Code;
        Name = grid.Name;
        Level = grid.Level;
        Kind = grid.Kind;
        ParentCode = grid.ParentCode;
        Boundary = grid.Boundary.Copy();
        Boundary.SRID = 4326;
        MinLon = grid.MinLon;
        MinLat = grid.MinLat;
        MaxLon = grid.MaxLon;
        MaxLat = grid.MaxLat;
        Households = grid.Households;
        ValidFrom = grid.ValidFrom;
        ValidTo = validTo;
    }

    public Guid Id { get; private set; }

    public string Code { get; private set; }

    public string Name { get; private set; }

    public GridLevel Level { get; private set; }

    public GridKind Kind { get; private set; }

    public string? ParentCode { get; private set; }

    /// <summary>WGS-84 lon/lat, SRID 4326.</summary>
    public Geometry Boundary { get; private set; }

    public double MinLon { get; private set; }

    public double MinLat { get; private set; }

    public double MaxLon { get; private set; }

    public double MaxLat { get; private set; }

    public int? Households { get; private set; }

    /// <summary>Start of the period, inclusive.</summary>
    public DateTimeOffset ValidFrom { get; private set; }

    /// <summary>End of the period, exclusive.</summary>
    public DateTimeOffset ValidTo { get; private set; }
}
