using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using CivicGrid.Domain.Cases;
using CivicGrid.Spatial;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Features.Cases.Duplicates;

/// <summary>The <c>Duplicates</c> section: what counts as "the same problem, already reported nearby".</summary>
public sealed class DuplicateOptions
{
    public const string Section = "Duplicates";

    /// <summary>How far from the new report an open case may lie, metres.</summary>
    [Range(1, 2_000)]
    public double RadiusMeters { get; set; } = 100;

    /// <summary>How long before the new report an open case may have been reported.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How often the in-memory index of open cases is read again from the database, to take in what other server
    /// instances and operator commands changed (this instance's own changes are applied as they commit).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// An open case that may be the same problem as a new report. Public facts only: no names, phones, descriptions,
/// staff or grid — a resident sees it before reporting, anonymously.
/// </summary>
/// <param name="CategoryName">The subcategory's Chinese name.</param>
/// <param name="Status">Where it stands, in plain Chinese (已立案, 处置中…).</param>
/// <param name="DistanceMeters">
/// From the new report: to the metre for staff; for the public the upper bound of its band (50, 100, 200, 500 m…, see
/// <see cref="DuplicateDisclosure"/>), so that distances from several points cannot locate a home.
/// </param>
/// <param name="Banded">True when <paramref name="DistanceMeters"/> is a band's bound ("within 50 m"), not the distance.</param>
public sealed record DuplicateCandidate(string Number, string CategoryName, string Status, int DistanceMeters, DateTimeOffset ReportedAt, bool Banded);

/// <summary>
/// Finds open cases of the same or a related category (same major category) within <see cref="DuplicateOptions.RadiusMeters"/>
/// and reported within <see cref="DuplicateOptions.Window"/> before the new report: nearest first, at most
/// <see cref="MaxCandidates"/>. Used by the anonymous "already reported nearby — follow it?" endpoint, by intake and
/// by the case detail staff see.
/// </summary>
/// <remarks>
/// A reporter sees across scopes (an anonymous one has no scope at all), so the search is not scoped and answers only
/// public facts; the public (<see cref="DuplicateAudience.Public"/>) gets banded distances and no case of a sensitive
/// category, which is left out before the nearest are chosen. It runs on every report, so it reads no database: the candidates come from <see cref="OpenCaseIndex"/>
/// (every open case in memory, bucketed by position), inside a lon/lat box around the point; then the exact
/// great-circle distance decides.
/// </remarks>
public sealed class DuplicateFinder(IOptions<DuplicateOptions> options, Catalogue.CategoryCache categories, OpenCaseIndex index)
{
    public const int MaxCandidates = 5;

    /// <summary>
    /// The most recent open cases considered from the box. A hotspot (an alarm storm, a street everyone reports) must
    /// not make every report sort hundreds of cases; the nearest five among the latest hundred in 100 m are as good a
    /// suggestion.
    /// </summary>
    public const int MaxRowsRead = 100;

    /// <summary>Slack on the box so that the sphere's metres per degree never cut off a case the exact distance keeps.</summary>
    private const double BoxMargin = 1.02;

    public DuplicateOptions Options => options.Value;

    /// <param name="wgs84">Where the new report is, WGS-84 lon/lat.</param>
    /// <param name="categoryCode">The new report's subcategory; cases of any subcategory of its major category count.</param>
    /// <param name="at">When the new report is made.</param>
    /// <param name="audience">Who is told: the public sees banded distances and no sensitive category (<see cref="DuplicateDisclosure"/>).</param>
    public async Task<IReadOnlyList<DuplicateCandidate>> FindAsync(Point wgs84, string categoryCode, DateTimeOffset at, DuplicateAudience audience,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(wgs84);
        var (lon, lat) = (wgs84.X, wgs84.Y);
        var radius = Options.RadiusMeters;
        var until = at.ToUniversalTime();
        var since = until - Options.Window;

        // Categories are not scoped; the catalogue is cached, and so is each major category's family of codes.
        var family = Family(await categories.GetAllAsync(ct), categoryCode);

        if (!index.Loaded.IsCompleted)
        {
            await index.Loaded.WaitAsync(ct);
        }

        var box = BoxAround(lon, lat, radius);
        var rows = index.Search(box.MinLon, box.MinLat, box.MaxLon, box.MaxLat, since, until,
            audience == DuplicateAudience.Staff ? family.Codes : family.PublicCodes, MaxRowsRead);

        // The nearest few, the more recent first at equal distance: kept sorted by insertion, no LINQ sort of every row
        // (this runs on every report, and a hotspot fills the box). Distances come from the matches' own copies of the
        // position; only the few kept have their case records read.
        var best = new List<(OpenCaseMatch Row, double Distance)>(MaxCandidates + 1);
        foreach (var row in rows)
        {
            var distance = Geodesy.DistanceMeters(lon, lat, row.Lon, row.Lat);
            if (distance > radius || (best.Count == MaxCandidates && !Before(distance, row, best[^1])))
            {
                continue;
            }

            var place = best.Count;
            while (place > 0 && Before(distance, row, best[place - 1]))
            {
                place--;
            }

            best.Insert(place, (row, distance));
            if (best.Count > MaxCandidates)
            {
                best.RemoveAt(MaxCandidates);
            }
        }

        var found = new List<DuplicateCandidate>(best.Count);
        foreach (var (row, distance) in best)
        {
            // Read now, after the search: a case closed in between is no longer a suggestion.
            var subject = row.Case;
            if (!subject.Status.IsFinal())
            {
                found.Add(new DuplicateCandidate(subject.Number, family.Names.GetValueOrDefault(subject.CategoryCode, subject.CategoryCode),
                    subject.Status.ToChinese(), DuplicateDisclosure.DistanceFor(audience, distance), subject.ReportedAt,
                    audience == DuplicateAudience.Public));
            }
        }

        return found;
    }

    /// <summary>The lon/lat box a search reads around a point: every place within <paramref name="radiusMeters"/>, with slack.</summary>
    internal static (double MinLon, double MinLat, double MaxLon, double MaxLat) BoxAround(double lon, double lat, double radiusMeters)
    {
        var metresPerDegree = Math.PI / 180 * Geodesy.MeanEarthRadiusMeters;
        var dLat = radiusMeters / metresPerDegree * BoxMargin;
        var dLon = radiusMeters / (metresPerDegree * Math.Max(Math.Cos(lat * Math.PI / 180), 0.01)) * BoxMargin;
        return (lon - dLon, lat - dLat, lon + dLon, lat + dLat);
    }

    private static bool Before(double distance, OpenCaseMatch row, (OpenCaseMatch Row, double Distance) other) =>
        distance < other.Distance || (distance == other.Distance && row.ReportedAtTicks > other.Row.ReportedAtTicks);

    /// <summary>
    /// The codes (and Chinese names) of the subcategories sharing a major category, per cached catalogue, and those of
    /// them the public may be shown.
    /// </summary>
    private sealed record CategoryFamily(IReadOnlySet<string> Codes, IReadOnlySet<string> PublicCodes, IReadOnlyDictionary<string, string> Names);

    private (IReadOnlyDictionary<string, CaseCategory> Catalogue, ConcurrentDictionary<string, CategoryFamily> Families)? _families;

    private CategoryFamily Family(IReadOnlyDictionary<string, CaseCategory> catalogue, string categoryCode)
    {
        var cached = _families;
        if (cached is not { } current || !ReferenceEquals(current.Catalogue, catalogue))
        {
            current = (catalogue, new ConcurrentDictionary<string, CategoryFamily>(StringComparer.Ordinal));
            _families = current;
        }

        return current.Families.GetOrAdd(categoryCode, code =>
        {
            // An unknown code still matches cases of exactly that code.
            if (!catalogue.TryGetValue(code, out var category))
            {
                var alone = new HashSet<string>(StringComparer.Ordinal) { code };
                return new CategoryFamily(alone, alone, new Dictionary<string, string>(StringComparer.Ordinal));
            }

            var members = catalogue.Values.Where(c => c.MajorCode == category.MajorCode).ToList();
            return new CategoryFamily(members.Select(c => c.Code).ToHashSet(StringComparer.Ordinal),
                members.Where(c => DuplicateDisclosure.MayShow(DuplicateAudience.Public, c)).Select(c => c.Code).ToHashSet(StringComparer.Ordinal),
                members.ToDictionary(c => c.Code, c => c.Name, StringComparer.Ordinal));
        });
    }
}
