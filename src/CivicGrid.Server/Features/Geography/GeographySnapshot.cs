using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Routing;
using CivicGrid.Spatial.Indexing;

namespace CivicGrid.Server.Features.Geography;

/// <summary>What the router knows about a grid besides its geometry.</summary>
public sealed record GridInfo(string Code, string Name, GridLevel Level, GridKind Kind, string? ParentCode);

/// <summary>A known address: a building or a compound, its normalised address text and the grid it lies in.</summary>
public sealed record KnownAddress(string NormalizedAddress, string Code, string GridCode, OverrideSubject Subject);

/// <summary>
/// An immutable picture of the current geography for routing: the locator index over the current
/// grids, grid names and levels, building and compound addresses, and the active learned lessons.
/// A new snapshot replaces the old one whole, so a request never sees half of a change.
/// </summary>
public sealed class GeographySnapshot
{
    public GeographySnapshot(GridIndex index, IReadOnlyDictionary<string, GridInfo> grids, IReadOnlyDictionary<string, KnownAddress> buildings,
        IReadOnlyDictionary<string, KnownAddress> compounds, IReadOnlyList<KnownAddress> addressesLongestFirst,
        IReadOnlyDictionary<(OverrideSubject, string), RoutingOverride> overrides, string version, TimeSpan buildTime)
    {
        Index = index;
        Grids = grids;
        Buildings = buildings;
        Compounds = compounds;
        AddressesLongestFirst = addressesLongestFirst;
        Overrides = overrides;
        Version = version;
        BuildTime = buildTime;
        TerritorialSubdistricts = [.. grids.Values.Where(g => g.Level == GridLevel.Subdistrict && g.Kind == GridKind.Territorial)
            .Select(g => g.Code).Order(StringComparer.Ordinal)];
    }

    public GridIndex Index { get; }

    public IReadOnlyDictionary<string, GridInfo> Grids { get; }

    /// <summary>By building code.</summary>
    public IReadOnlyDictionary<string, KnownAddress> Buildings { get; }

    /// <summary>By compound code.</summary>
    public IReadOnlyDictionary<string, KnownAddress> Compounds { get; }

    /// <summary>Buildings then compounds, longest normalised address first, so the most specific match wins.</summary>
    public IReadOnlyList<KnownAddress> AddressesLongestFirst { get; }

    /// <summary>The newest active lesson per subject.</summary>
    public IReadOnlyDictionary<(OverrideSubject, string), RoutingOverride> Overrides { get; }

    /// <summary>A stamp of the data the snapshot was built from; a different stamp in the database means rebuild.</summary>
    public string Version { get; }

    public TimeSpan BuildTime { get; }

    /// <summary>The codes of the territorial subdistricts, in ordinal order (Open311's jurisdictions, read on every request).</summary>
    public IReadOnlyList<string> TerritorialSubdistricts { get; }
}
