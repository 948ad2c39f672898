namespace CivicGrid.Domain.Geography.Topology;

/// <summary>
/// How <see cref="GridTopologyValidator"/> weighs an area defect (an overlap, a gap or a part of a grid
/// outside its parent). Real survey data has slivers along shared boundaries, so small defects are
/// warnings rather than refusals. Areas and widths are measured in metres on a local projection.
/// </summary>
/// <param name="IgnoreBelowSquareMeters">
/// Defects with an area of at most this many m² are dropped as floating-point noise. Default 1 m².
/// </param>
/// <param name="SliverMaxSquareMeters">
/// Defects with an area of at most this many m² are slivers: reported as warnings. Default 200 m².
/// </param>
/// <param name="SliverMaxWidthMeters">
/// Defects whose mean width, area ÷ (perimeter ÷ 2) in metres, is at most this are slivers too, however
/// long: a 1 m wide strip along a 600 m street is a warning. Default 2 m. Everything else is an error.
/// </param>
public sealed record TopologyOptions(double IgnoreBelowSquareMeters = 1.0, double SliverMaxSquareMeters = 200.0, double SliverMaxWidthMeters = 2.0)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a threshold is negative or not a number.</summary>
    internal void EnsureValid()
    {
        Ensure(IgnoreBelowSquareMeters, nameof(IgnoreBelowSquareMeters));
        Ensure(SliverMaxSquareMeters, nameof(SliverMaxSquareMeters));
        Ensure(SliverMaxWidthMeters, nameof(SliverMaxWidthMeters));

        static void Ensure(double value, string name)
        {
            if (double.IsNaN(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(name, value, "A topology threshold is zero or more.");
            }
        }
    }

    /// <summary>The severity of a defect of this area and perimeter, or null when it is noise to drop.</summary>
    internal TopologySeverity? Classify(double areaSquareMeters, double perimeterMeters)
    {
        if (areaSquareMeters <= IgnoreBelowSquareMeters)
        {
            return null;
        }

        var meanWidth = perimeterMeters > 0 ? areaSquareMeters / (perimeterMeters / 2) : double.PositiveInfinity;
        return areaSquareMeters <= SliverMaxSquareMeters || meanWidth <= SliverMaxWidthMeters
            ? TopologySeverity.Warning
            : TopologySeverity.Error;
    }
}
