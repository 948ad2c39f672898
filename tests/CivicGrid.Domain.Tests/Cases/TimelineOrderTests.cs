using System.Reflection;
using CivicGrid.Domain.Cases;
using static CivicGrid.Domain.Tests.Cases.CaseBuilder;

namespace CivicGrid.Domain.Tests.Cases;

/// <summary>A database returns a case's timeline rows in no guaranteed order; the case reads and extends them by sequence.</summary>
public class TimelineOrderTests
{
    [Fact]
    public void TimelineLoadedOutOfOrder_VerifiesReadsInOrderAndChainsTheNextStepToTheLastEntry()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();
        var stored = (List<CaseTimelineEntry>)typeof(Case).GetField("_timeline", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(subject)!;
        stored.Reverse();

        Assert.Null(subject.VerifyTimeline());
        Assert.Equal([1, 2, 3, 4], subject.Timeline.Select(e => e.Sequence));

        stored.Reverse();
        (stored[0], stored[3]) = (stored[3], stored[0]);
        subject.RecordHandled(Actors.Worker, subject.Version, Now, "已处理", [Guid.NewGuid()]);

        Assert.Null(subject.VerifyTimeline());
        Assert.Equal(5, subject.Timeline[^1].Sequence);
        Assert.Equal(["report", "accept", "assign", "start-handling", "record-handled"], subject.PublicTimeline().Select(e => subject.Timeline[e.Sequence - 1].Action));
    }
}
