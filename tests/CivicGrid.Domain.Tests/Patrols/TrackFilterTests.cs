using CivicGrid.Domain.Patrols;

namespace CivicGrid.Domain.Tests.Patrols;

public class TrackFilterTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>About 1.1 m of latitude per 0.00001°; a walk north at a given speed, one point every 5 s.</summary>
    private const double MetersPerDegreeLat = 111_195;

    private static TrackPoint At(int seconds, double northMeters, double? accuracy = 10, int? steps = null) =>
        new(Start.AddSeconds(seconds), 116.4, 39.9 + (northMeters / MetersPerDegreeLat), accuracy, steps);

    private static List<TrackPoint> Walk(int points, double speed, int startSecond = 0, double startMeters = 0) =>
        [.. Enumerable.Range(0, points).Select(i => At(startSecond + (i * 5), startMeters + (i * 5 * speed)))];

    [Fact]
    public void Analyse_WhenWalkingSteadily_CountsTheWholeDistance()
    {
        var summary = TrackFilter.Analyse(Walk(121, 1.2), new PatrolRules());

        Assert.Equal(720, summary.WalkedMeters, 0);
        Assert.Equal(0, summary.VehicleMeters);
        Assert.Equal(TimeSpan.FromMinutes(10), summary.WalkedTime);
        Assert.Equal(0, summary.Dropped);
    }

    [Fact]
    public void Analyse_DropsPointsWithPoorAccuracy()
    {
        var points = Walk(11, 1);
        points[5] = points[5] with { Lat = points[5].Lat + 0.01, AccuracyMeters = 300 };

        var summary = TrackFilter.Analyse(points, new PatrolRules { MaxAccuracyMeters = 50 });

        Assert.Equal(1, summary.Dropped);
        Assert.Equal(10, summary.Kept.Count);
        Assert.Equal(50, summary.WalkedMeters, 0);
    }

    [Fact]
    public void Analyse_WhenAPointIsAShortJump_CountsNeitherWalkNorVehicle()
    {
        var points = Walk(11, 1);
        points[5] = points[5] with { Lat = points[5].Lat + (200 / MetersPerDegreeLat) };

        var summary = TrackFilter.Analyse(points, new PatrolRules());

        Assert.Equal(40, summary.WalkedMeters, 0);
        Assert.Equal(0, summary.VehicleMeters);
    }

    [Fact]
    public void Analyse_WhenSustainedFasterThanWalking_FlagsAVehicleAndLeavesItOut()
    {
        var walk = Walk(13, 1);
        var bus = Walk(13, 8, startSecond: 60, startMeters: 60).Skip(1);
        var walkAgain = Walk(13, 1, startSecond: 120, startMeters: 60 + 480).Skip(1);

        var summary = TrackFilter.Analyse([.. walk, .. bus, .. walkAgain], new PatrolRules { MaxWalkingSpeed = 2.5 });

        Assert.Equal(120, summary.WalkedMeters, 0);
        Assert.Equal(480, summary.VehicleMeters, 0);
        Assert.All(summary.Segments.Where(s => !s.IsWalked), s => Assert.True(s.SpeedMetersPerSecond > 2.5));
    }

    [Fact]
    public void Analyse_WhenThePhoneWasSilentTooLong_DoesNotCountTheGap()
    {
        var before = Walk(5, 1);
        var after = Walk(5, 1, startSecond: 3600, startMeters: 1000);

        var summary = TrackFilter.Analyse([.. before, .. after], new PatrolRules { MaxGapSeconds = 600 });

        Assert.Equal(40, summary.WalkedMeters, 0);
    }

    [Fact]
    public void Analyse_SortsPointsAndDropsRepeatedTimes()
    {
        var points = Walk(5, 1);
        List<TrackPoint> shuffled = [points[3], points[0], points[4], points[1], points[2], points[2]];

        var summary = TrackFilter.Analyse(shuffled, new PatrolRules());

        Assert.Equal(1, summary.Dropped);
        Assert.Equal(points, summary.Kept);
    }

    [Fact]
    public void Steps_AreEstimatedFromTheStride_WhenThePhoneSendsNone()
    {
        var summary = TrackFilter.Analyse(Walk(101, 1.4), new PatrolRules { StrideMeters = 0.7 });

        Assert.False(summary.StepsFromPhone);
        Assert.Equal(1000, summary.Steps);
    }

    [Fact]
    public void Steps_ThePhonesOwnCountWins()
    {
        var points = Walk(101, 1.4);
        points[^1] = points[^1] with { Steps = 876 };
        points[50] = points[50] with { Steps = 400 };

        var summary = TrackFilter.Analyse(points, new PatrolRules());

        Assert.True(summary.StepsFromPhone);
        Assert.Equal(876, summary.Steps);
    }

    [Theory]
    [InlineData(9_999, false)]
    [InlineData(10_000, true)]
    public void DailyGoal_IsTenThousandStepsByDefault(int steps, bool met) => Assert.Equal(met, new PatrolRules().MeetsDailyGoal(steps));
}
