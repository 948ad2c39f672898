using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Patrols;

/// <summary>Time and distance a patrol spent walking in one grid (the finest territorial grid a point lies in).</summary>
/// <param name="GridCode">The finest grid: a micro-grid where the territory has them, otherwise a third-level grid or above.</param>
public sealed record GridTime(string GridCode, TimeSpan Time, double Meters);

/// <summary>
/// Which grids the walked stretches of a track touched, and how long was spent in each. A stretch counts for the grid of
/// its start; long stretches are sampled every <see cref="PatrolRules.CoverageSampleMeters"/> so a grid crossed between
/// two points is touched too (with no time).
/// </summary>
public static class PatrolCoverage
{
    /// <param name="locate">The finest grid code at a WGS-84 point (lon, lat), or null outside every grid.</param>
    public static IReadOnlyList<GridTime> TimePerGrid(IEnumerable<TrackSegment> segments, Func<double, double, string?> locate, PatrolRules rules)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(locate);
        ArgumentNullException.ThrowIfNull(rules);
        var tally = new Dictionary<string, (TimeSpan Time, double Meters)>(StringComparer.Ordinal);
        void Touch(double lon, double lat)
        {
            if (locate(lon, lat) is { } touched && !tally.ContainsKey(touched))
            {
                tally[touched] = (TimeSpan.Zero, 0);
            }
        }

        // A stretch's end is the next stretch's start, located there; it is located on its own only where the walk breaks.
        TrackSegment? open = null;
        foreach (var segment in segments)
        {
            if (open is { } previous && (!segment.IsWalked || previous.To != segment.From))
            {
                Touch(previous.To.Lon, previous.To.Lat);
                open = null;
            }

            if (!segment.IsWalked)
            {
                continue;
            }

            if (locate(segment.From.Lon, segment.From.Lat) is { } start)
            {
                var (time, meters) = tally.GetValueOrDefault(start);
                tally[start] = (time + segment.Duration, meters + segment.Meters);
            }

            var samples = (int)Math.Floor(segment.Meters / rules.CoverageSampleMeters);
            for (var k = 1; k <= samples; k++)
            {
                var f = k / (double)(samples + 1);
                Touch(segment.From.Lon + ((segment.To.Lon - segment.From.Lon) * f), segment.From.Lat + ((segment.To.Lat - segment.From.Lat) * f));
            }

            open = segment;
        }

        if (open is { } last)
        {
            Touch(last.To.Lon, last.To.Lat);
        }

        return [.. tally.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new GridTime(t.Key, t.Value.Time, t.Value.Meters))];
    }

    /// <summary>
    /// The grids of one level covered by some finest grids: a micro-grid code's third-level grid is its first
    /// <see cref="GridCodes.ThirdLength"/> characters (codes are hierarchical). Finer codes shorter than the level are left out.
    /// </summary>
    public static IReadOnlySet<string> AtLevel(IEnumerable<string> finestCodes, GridLevel level)
    {
        ArgumentNullException.ThrowIfNull(finestCodes);
        var length = GridCodes.LengthOf(level, GridKind.Territorial);
        return finestCodes.Where(c => c.Length >= length).Select(c => c[..length]).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Coverage of a set of grids (those of one level in a scope) by walked grids: which were walked and which nobody walked,
    /// and whether the weekly goal is met (see <see cref="PatrolRules.MeetsWeeklyCoverage"/>).
    /// </summary>
    public static CoverageFigures Measure(IEnumerable<string> gridCodes, IReadOnlySet<string> walked, PatrolRules rules)
    {
        ArgumentNullException.ThrowIfNull(gridCodes);
        ArgumentNullException.ThrowIfNull(walked);
        var all = gridCodes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var covered = all.Where(walked.Contains).ToList();
        var missed = all.Where(c => !walked.Contains(c)).ToList();
        return new CoverageFigures(covered, missed, all.Count == 0 ? 1 : (double)covered.Count / all.Count,
            rules.MeetsWeeklyCoverage(covered.Count, all.Count));
    }
}

/// <param name="Share">Walked ÷ all, 0–1 (1 for an empty set).</param>
public sealed record CoverageFigures(IReadOnlyList<string> Walked, IReadOnlyList<string> NotWalked, double Share, bool MeetsGoal);
