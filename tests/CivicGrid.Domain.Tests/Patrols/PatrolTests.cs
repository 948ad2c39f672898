using CivicGrid.Domain.Patrols;

namespace CivicGrid.Domain.Tests.Patrols;

public class PatrolTests
{
    private static readonly DateTimeOffset Started = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));

    private static Patrol NewPatrol() => new(Guid.NewGuid(), "王芳", "6101030990010101", Started, new DateOnly(2026, 12, 7));

    private static TrackPoint Point(int minutes, double lon = 116.4, double lat = 39.9) => new(Started.AddMinutes(minutes), lon, lat, 8);

    [Fact]
    public void RefusalOf_AcceptsAGoodBatch() => Assert.Null(NewPatrol().RefusalOf([Point(1), Point(2)], Started.AddMinutes(3)));

    [Theory]
    [InlineData(181, 39.9)]
    [InlineData(116.4, -91)]
    [InlineData(double.NaN, 39.9)]
    [InlineData(0, 0)]
    public void RefusalOf_ImpossibleCoordinates(double lon, double lat) =>
        Assert.Equal(PatrolRefusals.ImpossibleCoordinates, NewPatrol().RefusalOf([Point(1), Point(2, lon, lat)], Started.AddMinutes(3)));

    [Fact]
    public void RefusalOf_ATimeInTheFuture() =>
        Assert.Equal(PatrolRefusals.InTheFuture, NewPatrol().RefusalOf([Point(30)], Started.AddMinutes(10)));

    [Fact]
    public void RefusalOf_ATimeBeforeThePatrolStarted() =>
        Assert.Equal(PatrolRefusals.TooOld, NewPatrol().RefusalOf([Point(-60)], Started.AddMinutes(10)));

    [Fact]
    public void End_ClosesThePatrol_KeepsItsFiguresAndTrack_AndRefusesMorePoints()
    {
        var patrol = NewPatrol();
        List<TrackPoint> points = [Point(1), Point(2, lat: 39.9005), Point(3, lat: 39.901)];
        patrol.Accept(points);

        patrol.End(Started.AddMinutes(4), TrackFilter.Analyse(points, new PatrolRules()));

        Assert.Equal(PatrolStatus.Closed, patrol.Status);
        Assert.Equal(3, patrol.PointCount);
        Assert.InRange(patrol.WalkedMeters, 110, 112);
        Assert.Equal(3, patrol.Track!.NumPoints);
        Assert.Equal(PatrolRefusals.Closed, patrol.RefusalOf([Point(5)], Started.AddMinutes(6)));
        Assert.Throws<InvalidOperationException>(() => patrol.End(Started.AddMinutes(7), TrackFilter.Analyse([], new PatrolRules())));
    }

    [Fact]
    public void RefusalOfPoints_SaysWhatABatchShowsAlone_WithoutItsPatrol()
    {
        var now = Started.AddMinutes(10);
        Assert.Null(Patrol.RefusalOfPoints([Point(1), Point(-60)], now)); // before the start: only its patrol can tell
        Assert.Equal(PatrolRefusals.Empty, Patrol.RefusalOfPoints([], now));
        Assert.Equal(PatrolRefusals.ImpossibleCoordinates, Patrol.RefusalOfPoints([Point(1, lon: 200)], now));
        Assert.Equal(PatrolRefusals.ImpossibleCoordinates, Patrol.RefusalOfPoints([Point(1) with { Steps = -1 }], now));
        Assert.Equal(PatrolRefusals.InTheFuture, Patrol.RefusalOfPoints([Point(1), Point(30)], now));
    }

    [Fact]
    public void RefusalOf_AClosedPatrol_IsClosedBeforeAnythingElse()
    {
        var patrol = NewPatrol();
        patrol.End(Started.AddMinutes(1), TrackFilter.Analyse([], new PatrolRules()));

        Assert.Equal(PatrolRefusals.Closed, patrol.RefusalOf([Point(1, lon: 200)], Started.AddMinutes(2)));
    }

    [Fact]
    public void End_BySystem_IsMarked_AndByTheWorker_IsNot()
    {
        var bySystem = NewPatrol();
        var byWorker = NewPatrol();

        bySystem.End(Started.AddMinutes(5), TrackFilter.Analyse([Point(1), Point(5)], new PatrolRules()), bySystem: true);
        byWorker.End(Started.AddMinutes(5), TrackFilter.Analyse([Point(1), Point(5)], new PatrolRules()));

        Assert.True(bySystem.EndedBySystem);
        Assert.False(byWorker.EndedBySystem);
        Assert.Equal(Started.AddMinutes(5), bySystem.EndedAt);
    }
}
