namespace CivicGrid.Domain.Geography;

/// <summary>What a grid and a past version of it share for map queries: level, kind and the envelope of the boundary (WGS-84 degrees).</summary>
public interface IGridExtent
{
    GridLevel Level { get; }

    GridKind Kind { get; }

    double MinLon { get; }

    double MinLat { get; }

    double MaxLon { get; }

    double MaxLat { get; }
}
