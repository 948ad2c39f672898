using CivicGrid.Domain.Routing;
using CivicGrid.Spatial.Indexing;

namespace CivicGrid.Server.Features.Geography;

/// <summary>How a routing answer was reached, in the order the router tries them.</summary>
public enum RoutingMethod
{
    /// <summary>An explicit building code.</summary>
    Building,

    /// <summary>An explicit compound code.</summary>
    Compound,

    /// <summary>A known building or compound address found in the address text.</summary>
    Address,

    /// <summary>A learned lesson for the building, compound or address overrode the map.</summary>
    Lesson,

    /// <summary>Point in polygon with the accuracy circle.</summary>
    Location,
}

/// <summary>Where a report goes and how sure the router is.</summary>
/// <param name="GridCode">The finest territorial grid; null when the point is outside every grid and nothing matched.</param>
/// <param name="Chain">Codes from the root down to <paramref name="GridCode"/>.</param>
/// <param name="DedicatedCodes">Dedicated grids covering the point.</param>
/// <param name="DistanceToBoundaryMeters">From the point to the edge of the grid it lies in; for an outside point, to the nearest grid.</param>
/// <param name="Candidates">For an ambiguous point the grids the accuracy circle touches (by share); for an outside point the nearest grids.</param>
/// <param name="Match">The building or compound that decided, if any.</param>
/// <param name="Lesson">The learned lesson that decided, if any.</param>
public sealed record RoutingAnswer(RoutingMethod Method, LocateConfidence Confidence, string? GridCode, IReadOnlyList<string> Chain,
    IReadOnlyList<string> DedicatedCodes, double? DistanceToBoundaryMeters, IReadOnlyList<LeafCandidate> Candidates,
    KnownAddress? Match, RoutingOverride? Lesson);

/// <summary>
/// Decides the grid of a report: an explicit building or compound code, or an address match, first
/// (with any learned lesson for it); then point in polygon with the accuracy circle. The position
/// is WGS-84 here: callers normalise it once, at the edge.
/// </summary>
public static class Router
{
    /// <param name="lon">WGS-84 longitude, degrees.</param>
    /// <param name="lat">WGS-84 latitude, degrees.</param>
    /// <param name="accuracyMeters">Radius of the position's accuracy circle; 0 when unknown.</param>
    public static RoutingAnswer Route(GeographySnapshot geography, double lon, double lat, double accuracyMeters,
        string? buildingCode = null, string? compoundCode = null, string? address = null)
    {
        var located = geography.Index.Explain(lon, lat, accuracyMeters);
        var distance = located.DistanceToBoundaryMeters ?? (located.Candidates.Count > 0 ? located.Candidates[0].DistanceMeters : null);

        var (match, method) = FindMatch(geography, buildingCode, compoundCode, address);
        var lesson = FindLesson(geography, match, address);
        string? decided = null;
        if (lesson is not null)
        {
            (decided, method) = (lesson.ToGridCode, RoutingMethod.Lesson);
        }
        else if (match is not null && geography.Grids.ContainsKey(match.GridCode))
        {
            decided = match.GridCode;
        }

        if (decided is null)
        {
            return new RoutingAnswer(RoutingMethod.Location, located.Confidence, located.Code, located.Chain, located.DedicatedCodes,
                distance, located.Candidates, null, null);
        }

        // An explicit match names the grid; the map's own view of the point stays in the candidates
        // so that staff can see when the two disagree.
        return new RoutingAnswer(method, LocateConfidence.Certain, decided, ChainOf(geography, decided), located.DedicatedCodes,
            distance, located.Candidates, match, lesson);
    }

    /// <summary>
    /// The building or compound that an explicit code or the address text names (what decides before the map); null when
    /// none does. For reports that come with an address but no position.
    /// </summary>
    public static KnownAddress? Match(GeographySnapshot geography, string? buildingCode, string? compoundCode, string? address) =>
        FindMatch(geography, buildingCode, compoundCode, address).Match;

    /// <summary>Codes from the root down to <paramref name="code"/>, following parent codes.</summary>
    public static IReadOnlyList<string> ChainOf(GeographySnapshot geography, string code)
    {
        var chain = new List<string>();
        for (var current = code; current is not null && geography.Grids.TryGetValue(current, out var info) && chain.Count < 16; current = info.ParentCode)
        {
            chain.Add(current);
        }

        chain.Reverse();
        return chain;
    }

    private static (KnownAddress? Match, RoutingMethod Method) FindMatch(GeographySnapshot geography, string? buildingCode, string? compoundCode, string? address)
    {
        if (!string.IsNullOrWhiteSpace(buildingCode) && geography.Buildings.TryGetValue(buildingCode.Trim(), out var building))
        {
            return (building, RoutingMethod.Building);
        }

        if (!string.IsNullOrWhiteSpace(compoundCode) && geography.Compounds.TryGetValue(compoundCode.Trim(), out var compound))
        {
            return (compound, RoutingMethod.Compound);
        }

        if (!string.IsNullOrWhiteSpace(address))
        {
            var text = AddressText.Normalize(address);
            foreach (var known in geography.AddressesLongestFirst)
            {
                if (text.Contains(known.NormalizedAddress, StringComparison.Ordinal))
                {
                    return (known, RoutingMethod.Address);
                }
            }
        }

        return (null, RoutingMethod.Location);
    }

    private static RoutingOverride? FindLesson(GeographySnapshot geography, KnownAddress? match, string? address)
    {
        RoutingOverride? lesson = null;
        if (match is not null)
        {
            geography.Overrides.TryGetValue((match.Subject, match.Code), out lesson);
        }

        if (lesson is null && !string.IsNullOrWhiteSpace(address))
        {
            geography.Overrides.TryGetValue((OverrideSubject.Address, AddressText.Normalize(address)), out lesson);
        }

        if (lesson is null && match is not null)
        {
            geography.Overrides.TryGetValue((OverrideSubject.Address, match.NormalizedAddress), out lesson);
        }

        // A lesson pointing at a grid that no longer exists teaches nothing.
        return lesson is not null && geography.Grids.ContainsKey(lesson.ToGridCode) ? lesson : null;
    }
}
