using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Patrols;

namespace CivicGrid.Domain.Tests.Patrols;

public class PatrolCoverageTests
{
    private const string West = "610103099001010101";
    private const string East = "610103099001010102";
    private const string OtherThird = "610103099001010201";
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Two micro-grids split at longitude 116.4001; nothing east of 116.401.</summary>
    private static string? Locate(double lon, double lat) => lon switch
    {
        < 116.4001 => West,
        < 116.401 => East,
        _ => null,
    };

    private static TrackSegment Segment(double fromLon, double toLon, int seconds, bool walked = true)
    {
        var from = new TrackPoint(Start, fromLon, 39.9);
        var to = new TrackPoint(Start.AddSeconds(seconds), toLon, 39.9);
        return new TrackSegment(from, to, Spatial.Geodesy.DistanceMeters(fromLon, 39.9, toLon, 39.9), walked);
    }

    [Fact]
    public void TimePerGrid_CountsEachStretchForTheGridOfItsStart()
    {
        var grids = PatrolCoverage.TimePerGrid([Segment(116.39995, 116.40000, 4), Segment(116.40015, 116.40020, 5)], Locate, new PatrolRules());

        Assert.Equal([West, East], grids.Select(g => g.GridCode));
        Assert.Equal(TimeSpan.FromSeconds(4), grids[0].Time);
        Assert.Equal(TimeSpan.FromSeconds(5), grids[1].Time);
    }

    [Fact]
    public void TimePerGrid_ALongStretchTouchesTheGridItCrosses()
    {
        var grids = PatrolCoverage.TimePerGrid([Segment(116.39990, 116.40030, 30)], Locate, new PatrolRules { CoverageSampleMeters = 10 });

        Assert.Equal([West, East], grids.Select(g => g.GridCode));
        Assert.Equal(TimeSpan.Zero, grids[1].Time);
    }

    [Fact]
    public void TimePerGrid_LeavesOutVehicleStretchesAndPlacesOutsideTheTerritory()
    {
        var grids = PatrolCoverage.TimePerGrid([Segment(116.39990, 116.40030, 5, walked: false), Segment(116.402, 116.4021, 10)], Locate, new PatrolRules());

        Assert.Empty(grids);
    }

    [Fact]
    public void AtLevel_MapsMicroGridsToTheirThirdLevelGrid()
    {
        var third = PatrolCoverage.AtLevel([West, East, OtherThird, "610103099001"], GridLevel.Third);

        Assert.Equal(["6101030990010101", "6101030990010102"], third.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Measure_ListsTheGridsNobodyWalked_AndTheWeeklyGoal()
    {
        var figures = PatrolCoverage.Measure([West, East, OtherThird], new HashSet<string> { West, East }, new PatrolRules { WeeklyCoverageGoal = 0.6 });

        Assert.Equal([OtherThird], figures.NotWalked);
        Assert.Equal(2 / 3.0, figures.Share, 6);
        Assert.True(figures.MeetsGoal);
        Assert.False(new PatrolRules { WeeklyCoverageGoal = 1 }.MeetsWeeklyCoverage(2, 3));
    }
}
