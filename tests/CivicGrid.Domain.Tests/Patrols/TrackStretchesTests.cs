using CivicGrid.Domain.Patrols;

namespace CivicGrid.Domain.Tests.Patrols;

public class TrackStretchesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));
    private const double MetersPerDegreeLat = 111_195;
    private static readonly PatrolRules Rules = new();

    private static TrackPoint At(int seconds, double northMeters) => new(Start.AddSeconds(seconds), 116.4, 39.9 + (northMeters / MetersPerDegreeLat), 8);

    /// <summary>Points every 5 s from (second, metres) at a speed in m/s; answers the points and where the walk ended.</summary>
    private static (List<TrackPoint> Points, int Second, double Meters) Leg(int count, double speed, int second, double meters)
    {
        var points = Enumerable.Range(1, count).Select(i => At(second + (i * 5), meters + (i * 5 * speed))).ToList();
        return (points, second + (count * 5), meters + (count * 5 * speed));
    }

    [Fact]
    public void Of_ASteadyWalk_IsOneWalkedStretch()
    {
        var (walk, _, _) = Leg(20, 1.2, 0, 0);
        var summary = TrackFilter.Analyse([At(0, 0), .. walk], Rules);

        var stretch = Assert.Single(TrackStretches.Of(summary, Rules));

        Assert.Equal(StretchKind.Walked, stretch.Kind);
        Assert.Equal(21, stretch.Points.Count);
        Assert.Equal(summary.WalkedMeters, stretch.Meters, 3);
        Assert.Equal(TimeSpan.FromSeconds(100), stretch.Duration);
    }

    [Fact]
    public void Of_AWalkABusRideAndAWalk_SeparatesTheRideAndMatchesTheFiltersFigures()
    {
        var (first, s1, m1) = Leg(10, 1.2, 0, 0);
        var (bus, s2, m2) = Leg(8, 8, s1, m1);
        var (last, _, _) = Leg(10, 1.2, s2, m2);
        var summary = TrackFilter.Analyse([At(0, 0), .. first, .. bus, .. last], Rules);

        var stretches = TrackStretches.Of(summary, Rules);

        Assert.Equal([StretchKind.Walked, StretchKind.Vehicle, StretchKind.Walked], stretches.Select(s => s.Kind));
        Assert.Equal(summary.VehicleMeters, stretches[1].Meters, 3);
        Assert.Equal(summary.WalkedMeters, stretches.Where(s => s.Kind == StretchKind.Walked).Sum(s => s.Meters), 3);
        // Stretches join end to end: each starts where the one before ended.
        Assert.Equal(stretches[0].Points[^1], stretches[1].Points[0]);
        Assert.Equal(stretches[1].Points[^1], stretches[2].Points[0]);
    }

    [Fact]
    public void Of_AMomentaryJumpAndALongSilence_AreNeitherWalkedNorVehicle()
    {
        var (first, s1, m1) = Leg(6, 1, 0, 0);
        var jump = At(s1 + 5, m1 + 200);
        var back = At(s1 + 10, m1 + 10);
        var (after, s2, m2) = Leg(6, 1, s1 + 10, m1 + 10);
        var late = At(s2 + 1200, m2 + 5);
        var summary = TrackFilter.Analyse([At(0, 0), .. first, jump, back, .. after, late], Rules);

        var kinds = TrackStretches.Of(summary, Rules).Select(s => s.Kind).ToList();

        Assert.Equal([StretchKind.Walked, StretchKind.Jump, StretchKind.Walked, StretchKind.Gap], kinds);
        Assert.Equal(0, summary.VehicleMeters);
    }

    [Fact]
    public void Of_ATrackOfOnePoint_HasNoStretches()
    {
        Assert.Empty(TrackStretches.Of(TrackFilter.Analyse([At(0, 0)], Rules), Rules));
    }
}
