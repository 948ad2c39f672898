using System.ComponentModel.DataAnnotations;

namespace CivicGrid.Server.Features.Geography;

/// <summary>The <c>Geo</c> section.</summary>
public sealed class GeoOptions
{
    public const string Section = "Geo";

    /// <summary>Anonymous and logged-in locate calls allowed per client address per minute.</summary>
    [Range(1, 10_000_000)]
    public int LocatePerMinute { get; set; } = 600;
}
