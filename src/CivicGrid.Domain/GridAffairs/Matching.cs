namespace CivicGrid.Domain.GridAffairs;

/// <summary>A need as matching sees it: what, where (finest grid code) and, when known, the WGS-84 position.</summary>
public sealed record NeedSpot(ServiceKind Kind, string GridCode, double? Lon, double? Lat);

/// <summary>A resource as matching sees it.</summary>
public sealed record ResourceSpot(Guid Id, string Name, IReadOnlyCollection<ServiceKind> Offers, bool Active, string GridCode, double? Lon, double? Lat);

/// <summary>A suggested resource.</summary>
/// <param name="DistanceMeters">Great-circle distance between the need and the resource; null when either has no position.</param>
/// <param name="SameCommunity">Both lie in one community (the first 12 digits of their codes agree).</param>
public sealed record ResourceMatch(Guid ResourceId, string Name, double? DistanceMeters, bool SameCommunity, int SharedCodeLength);

/// <summary>
/// Suggests resources for a need (供需对接): only active resources offering the need's kind; nearest first where both
/// have a position, then those of the same grid branch (longest shared code prefix), then by name. Resources without a
/// position rank after every resource with one.
/// </summary>
public static class Matching
{
    private const double EarthRadiusMeters = 6_371_008.8;

    public static IReadOnlyList<ResourceMatch> Suggest(NeedSpot need, IEnumerable<ResourceSpot> resources, int max = 10)
    {
        ArgumentNullException.ThrowIfNull(need);
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return [.. resources
            .Where(r => r.Active && r.Offers.Contains(need.Kind))
            .Select(r => new ResourceMatch(r.Id, r.Name, Distance(need.Lon, need.Lat, r.Lon, r.Lat),
                need.GridCode.Length >= 12 && r.GridCode.Length >= 12 && string.CompareOrdinal(need.GridCode, 0, r.GridCode, 0, 12) == 0,
                SharedPrefix(need.GridCode, r.GridCode)))
            .OrderBy(m => m.DistanceMeters is null)
            .ThenBy(m => m.DistanceMeters ?? 0)
            .ThenByDescending(m => m.SharedCodeLength)
            .ThenBy(m => m.Name, StringComparer.Ordinal)
            .Take(max)];
    }

    /// <summary>Haversine distance in metres between two WGS-84 positions; null when either is missing.</summary>
    public static double? Distance(double? lon1, double? lat1, double? lon2, double? lat2)
    {
        if (lon1 is not { } x1 || lat1 is not { } y1 || lon2 is not { } x2 || lat2 is not { } y2)
        {
            return null;
        }

        static double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(y2 - y1);
        var dLon = Rad(x2 - x1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Rad(y1)) * Math.Cos(Rad(y2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    private static int SharedPrefix(string a, string b)
    {
        var n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n])
        {
            n++;
        }

        return n;
    }
}
