using CivicGrid.Spatial;

namespace CivicGrid.Domain.Patrols;

/// <summary>
/// Turns the raw positions of a patrol into what was walked: points with poor accuracy are dropped, stretches faster than
/// walking are not counted, distance is the haversine length of the walked stretches, steps are the phone's own count or
/// the distance over the stride.
/// </summary>
public static class TrackFilter
{
    /// <summary>
    /// Filters and measures a track (points in any order). A run of consecutive stretches faster than
    /// <see cref="PatrolRules.MaxWalkingSpeed"/> lasting at least <see cref="PatrolRules.SustainedSeconds"/> is a vehicle
    /// (its length is reported as <see cref="TrackSummary.VehicleMeters"/>); a shorter run is a GPS jump and counts for
    /// nothing either. A stretch after a silence longer than <see cref="PatrolRules.MaxGapSeconds"/> is not walked.
    /// </summary>
    public static TrackSummary Analyse(IEnumerable<TrackPoint> points, PatrolRules rules)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(rules);
        var ordered = points.ToList();
        ordered.Sort((a, b) => a.At.CompareTo(b.At));
        var kept = new List<TrackPoint>(ordered.Count);
        var dropped = 0;
        int? phoneSteps = null;
        foreach (var point in ordered)
        {
            if (point.Steps is { } steps && steps >= 0)
            {
                phoneSteps = Math.Max(phoneSteps ?? 0, steps);
            }

            if (point.AccuracyMeters is { } accuracy && (double.IsNaN(accuracy) || accuracy > rules.MaxAccuracyMeters)
                || (kept.Count > 0 && kept[^1].At == point.At))
            {
                dropped++;
                continue;
            }

            kept.Add(point);
        }

        var segments = new List<TrackSegment>(Math.Max(0, kept.Count - 1));
        double walked = 0, vehicle = 0;
        var walkedTime = TimeSpan.Zero;
        var i = 0;
        while (i < kept.Count - 1)
        {
            var first = Segment(kept[i], kept[i + 1]);
            if (!IsFast(first, rules))
            {
                var isWalked = first.Duration.TotalSeconds <= rules.MaxGapSeconds;
                segments.Add(first with { IsWalked = isWalked });
                if (isWalked)
                {
                    walked += first.Meters;
                    walkedTime += first.Duration;
                }

                i++;
                continue;
            }

            // A run of fast stretches: a vehicle when sustained, a jump otherwise; neither is walked.
            var run = new List<TrackSegment> { first };
            var j = i + 1;
            while (j < kept.Count - 1 && Segment(kept[j], kept[j + 1]) is var next && IsFast(next, rules))
            {
                run.Add(next);
                j++;
            }

            var runSeconds = (run[^1].To.At - run[0].From.At).TotalSeconds;
            if (runSeconds >= rules.SustainedSeconds)
            {
                vehicle += run.Sum(s => s.Meters);
            }

            segments.AddRange(run);
            i = j;
        }

        var total = phoneSteps ?? rules.EstimateSteps(walked);
        return new TrackSummary(kept, segments, dropped, walked, vehicle, walkedTime, total, phoneSteps is not null);
    }

    private static TrackSegment Segment(TrackPoint from, TrackPoint to) =>
        new(from, to, Geodesy.DistanceMeters(from.Lon, from.Lat, to.Lon, to.Lat), IsWalked: false);

    private static bool IsFast(TrackSegment segment, PatrolRules rules) => segment.SpeedMetersPerSecond > rules.MaxWalkingSpeed;
}
