namespace CivicGrid.Domain.Patrols;

/// <summary>How a stretch of a track was travelled, as <see cref="TrackFilter"/> judged it.</summary>
public enum StretchKind
{
    /// <summary>On foot: counted in the distance, the steps and the time per grid.</summary>
    Walked,

    /// <summary>Faster than walking for at least <see cref="PatrolRules.SustainedSeconds"/>: a vehicle, not counted.</summary>
    Vehicle,

    /// <summary>Faster than walking for a moment only: a GPS jump, not counted.</summary>
    Jump,

    /// <summary>A silence longer than <see cref="PatrolRules.MaxGapSeconds"/> between two points: not counted.</summary>
    Gap,
}

/// <summary>Consecutive segments of one kind, joined end to end.</summary>
/// <param name="Points">The stretch's points in time order (at least two; the last is the next stretch's first).</param>
/// <param name="Meters">Haversine length, metres.</param>
public sealed record TrackStretch(StretchKind Kind, IReadOnlyList<TrackPoint> Points, double Meters, TimeSpan Duration);

/// <summary>
/// Cuts a measured track into stretches of one kind each, so a page can draw what was walked apart from what was driven
/// and from the jumps and silences that were left out; the walked stretches add up to <see cref="TrackSummary.WalkedMeters"/>
/// and the vehicle stretches to <see cref="TrackSummary.VehicleMeters"/>.
/// </summary>
public static class TrackStretches
{
    public static IReadOnlyList<TrackStretch> Of(TrackSummary summary, PatrolRules rules)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(rules);
        var segments = summary.Segments;
        var kinds = new StretchKind[segments.Count];
        var i = 0;
        while (i < segments.Count)
        {
            if (segments[i].SpeedMetersPerSecond <= rules.MaxWalkingSpeed)
            {
                kinds[i] = segments[i].IsWalked ? StretchKind.Walked : StretchKind.Gap;
                i++;
                continue;
            }

            // A run of fast segments is judged as a whole, the way the filter judged it.
            var j = i;
            while (j < segments.Count && segments[j].SpeedMetersPerSecond > rules.MaxWalkingSpeed)
            {
                j++;
            }

            var kind = (segments[j - 1].To.At - segments[i].From.At).TotalSeconds >= rules.SustainedSeconds ? StretchKind.Vehicle : StretchKind.Jump;
            Array.Fill(kinds, kind, i, j - i);
            i = j;
        }

        var stretches = new List<TrackStretch>();
        var start = 0;
        for (var k = 1; k <= segments.Count; k++)
        {
            if (k < segments.Count && kinds[k] == kinds[start])
            {
                continue;
            }

            var run = segments.Skip(start).Take(k - start).ToList();
            stretches.Add(new TrackStretch(kinds[start], [run[0].From, .. run.Select(s => s.To)], run.Sum(s => s.Meters), run[^1].To.At - run[0].From.At));
            start = k;
        }

        return stretches;
    }
}
