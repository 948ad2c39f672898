using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Organisations;

namespace CivicGrid.Server.Demo;

/// <summary>
/// Everything a demo installation starts with. All geometry is WGS-84 longitude/latitude in degrees
/// (x = longitude, y = latitude), SRID 4326, polygons with counter-clockwise shells.
/// </summary>
/// <param name="Grids">The whole territorial tree and the dedicated grids, parents before children.</param>
/// <param name="Organisations">Departments and property companies.</param>
/// <param name="Compounds">Compounds (院), each inside one micro-grid.</param>
/// <param name="Buildings">Buildings (栋), each inside its compound.</param>
/// <param name="Users">Accounts without passwords; the seeder hashes one demo password for all.</param>
/// <param name="Categories">The case catalogue.</param>
/// <param name="Cases">A year of case history before the anchor date, in number order.</param>
public sealed record DemoDataset(
    IReadOnlyList<Grid> Grids,
    IReadOnlyList<Organisation> Organisations,
    IReadOnlyList<Compound> Compounds,
    IReadOnlyList<Building> Buildings,
    IReadOnlyList<UserAccount> Users,
    IReadOnlyList<CaseCategory> Categories,
    IReadOnlyList<Case> Cases)
{
    /// <summary>How well each 3rd-level grid works, 0.1 (weak) to 1 (strong), by code; the year's activity follows it.</summary>
    public IReadOnlyDictionary<string, double> GridQuality { get; init; } = new Dictionary<string, double>();

    /// <summary>The district referrals of the red cases handed to the district.</summary>
    public IReadOnlyList<Features.District.DistrictReferral> Referrals { get; init; } = [];

    /// <summary>The streets along the lattice's lines, for the demo's base map (<see cref="DemoBasemap"/>).</summary>
    public IReadOnlyList<DemoStreet> Streets { get; init; } = [];
}

/// <summary>A demo street: its name, its class in the base map's terms (<c>primary</c>, <c>secondary</c>, <c>minor</c>) and its line.</summary>
public sealed record DemoStreet(string Name, string Class, NetTopologySuite.Geometries.LineString Line);

/// <summary>
/// Generates a realistic, fictional subdistrict (示范街道) and a smaller neighbour (东关南街道) in Xi'an's
/// old city, south-east of the Bell Tower (lon 108.950–108.985°, lat 34.235–34.255°, WGS-84), with
/// grids that tile exactly, compounds, buildings, people and a year of cases. Deterministic: the same
/// seed and anchor date give the same codes, geometry, names and cases (entity ids differ).
/// </summary>
public static class DemoSubdistrictGenerator
{
    /// <summary>碑林区, Xi'an (GB/T 2260).</summary>
    public const string DistrictCode = "610103";

    /// <summary>The demo subdistrict 示范街道 (fictional name).</summary>
    public const string SubdistrictCode = "610103099";

    /// <summary>A smaller neighbouring subdistrict 东关南街道 (fictional).</summary>
    public const string NeighbourSubdistrictCode = "610103098";

    /// <param name="today">Anchor date: the year of case history ends the day before it (Beijing time, UTC+8).</param>
    /// <param name="seed">Random seed; the same seed and date always give identical output (codes, geometry, names, cases).</param>
    public static DemoDataset Generate(DateOnly today, int seed = 2026) => new DemoWorld(today, seed).Build();
}
