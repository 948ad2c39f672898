using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Cases.Queries;

/// <summary>
/// Where a case is in words, for whoever goes there, the one description every page shows (lists, the case, the phone's task,
/// the printed work order): the building or compound the report named, with its address (“长乐路12号院3号楼（3号楼）”), else
/// the address the reporter gave, else the address of the nearest building of the case's grid within
/// <see cref="NearbyMeters"/> (“长乐路12号院3号楼附近”). A GPS report carries no address, and a chain of grid names does not
/// tell a worker which door to knock on. Buildings' and compounds' addresses are public (they are on the door), so they are
/// read whatever the caller's scope, like a grid's name.
/// </summary>
internal static class CasePlaces
{
    /// <summary>How far from the case a building may stand to describe it, in metres.</summary>
    public const double NearbyMeters = 150;

    private const double MetersPerDegree = 111_320;

    /// <summary>The place of each case by number; cases with neither an address nor a building nearby are left out.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> DescribeAsync(CivicGridDbContext db, IReadOnlyCollection<Case> cases, CancellationToken ct)
    {
        var places = new Dictionary<string, string>(StringComparer.Ordinal);
        var buildingCodes = cases.Where(c => c.BuildingCode is not null).Select(c => c.BuildingCode!).Distinct().ToList();
        var named = buildingCodes.Count == 0 ? [] : await db.Buildings.IgnoreQueryFilters().AsNoTracking().Where(b => buildingCodes.Contains(b.Code))
            .Select(b => new { b.Code, b.Name, b.Address }).ToDictionaryAsync(b => b.Code, b => Named(b.Name, b.Address), StringComparer.Ordinal, ct);
        var compoundCodes = cases.Where(c => c.BuildingCode is null && c.CompoundCode is not null).Select(c => c.CompoundCode!).Distinct().ToList();
        var compounds = compoundCodes.Count == 0 ? [] : await db.Compounds.IgnoreQueryFilters().AsNoTracking().Where(o => compoundCodes.Contains(o.Code))
            .Select(o => new { o.Code, o.Name, o.Address }).ToDictionaryAsync(o => o.Code, o => Named(o.Name, o.Address), StringComparer.Ordinal, ct);
        foreach (var c in cases)
        {
            if (c.BuildingCode is { } building && named.TryGetValue(building, out var b))
            {
                places[c.Number] = b;
            }
            else if (c.CompoundCode is { } compound && compounds.TryGetValue(compound, out var o))
            {
                places[c.Number] = o;
            }
            else if (!string.IsNullOrWhiteSpace(c.Address))
            {
                places[c.Number] = c.Address.Trim();
            }
        }

        var unaddressed = cases.Where(c => !places.ContainsKey(c.Number)).ToList();
        if (unaddressed.Count == 0)
        {
            return places;
        }

        // Buildings carry the code of the finest grid they lie in, as cases do: only the buildings of these cases' grids are
        // read. A building's address is public (it is on the door), so the caller's scope over buildings does not apply.
        var grids = unaddressed.Select(c => c.GridCode).Distinct().ToList();
        var buildings = await db.Buildings.IgnoreQueryFilters().AsNoTracking().Where(b => grids.Contains(b.GridCode))
            .Select(b => new { b.GridCode, b.Address, b.Location }).ToListAsync(ct);
        var byGrid = buildings.ToLookup(b => b.GridCode, StringComparer.Ordinal);
        foreach (var c in unaddressed)
        {
            var nearest = byGrid[c.GridCode]
                .Select(b => (b.Address, Meters: DistanceMeters(c.Location.X, c.Location.Y, b.Location.X, b.Location.Y)))
                .Where(b => b.Meters <= NearbyMeters).OrderBy(b => b.Meters).FirstOrDefault();
            if (nearest.Address is { Length: > 0 } address)
            {
                places[c.Number] = $"{address}附近";
            }
        }

        return places;
    }

    private static string Named(string name, string? address) => string.IsNullOrWhiteSpace(address) ? name : $"{address}（{name}）";

    /// <summary>Metres between two WGS-84 points a few hundred metres apart (equirectangular, well under 1 % off at that range).</summary>
    private static double DistanceMeters(double lon1, double lat1, double lon2, double lat2)
    {
        var dx = (lon2 - lon1) * Math.Cos((lat1 + lat2) / 2 * Math.PI / 180) * MetersPerDegree;
        var dy = (lat2 - lat1) * MetersPerDegree;
        return Math.Sqrt(dx * dx + dy * dy);
    }
}
