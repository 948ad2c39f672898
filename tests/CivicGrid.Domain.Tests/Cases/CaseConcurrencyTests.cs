using CivicGrid.Domain.Cases;
using static CivicGrid.Domain.Tests.Cases.CaseBuilder;

namespace CivicGrid.Domain.Tests.Cases;

/// <summary>Optimistic concurrency: a transition made on a stale read is refused with the current state.</summary>
public class CaseConcurrencyTests
{
    [Fact]
    public void Transition_WithStaleVersion_ThrowsConcurrencyExceptionWithCurrentState()
    {
        var subject = ACase().Build();
        var leader = Actors.GridLeaderOf(Codes.ThirdGrid);
        var community = Actors.CommunityStaffOf(Codes.Community);
        var seenByBoth = subject.Version;
        subject.Accept(leader, seenByBoth, Now);

        var stale = Assert.Throws<CaseConcurrencyException>(() => subject.Reject(community, seenByBoth, Now, "重复上报"));

        Assert.Equal((seenByBoth, 1, CaseStatus.Accepted), (stale.ExpectedVersion, stale.CurrentVersion, stale.CurrentStatus));
        Assert.Equal(subject.Number, stale.CaseNumber);
        Assert.Contains("已立案", stale.ChineseMessage, StringComparison.Ordinal);
        Assert.Equal(CaseStatus.Accepted, subject.Status);
    }

    [Fact]
    public void StaleVersion_IsReportedBeforeAnyRule()
    {
        var subject = ACase().In(CaseStatus.Accepted).Build();

        var stale = Assert.Throws<CaseConcurrencyException>(() => subject.Accept(Actors.ANeighbour(), subject.Version - 1, Now));

        Assert.Equal(subject.Version, stale.CurrentVersion);
    }

    [Fact]
    public void FutureVersion_IsAlsoStale()
    {
        var subject = ACase().Build();

        Assert.Throws<CaseConcurrencyException>(() => subject.Accept(Actors.GridLeaderOf(Codes.ThirdGrid), 5, Now));
    }

    [Fact]
    public void EveryTransition_IncrementsTheVersionByOne_AndAppendsOneEntry()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();
        var before = subject.Version;

        subject.Supervise(Actors.CommunityStaffOf(Codes.Community), before, Now, "请加快", Now.AddDays(1));

        Assert.Equal(before + 1, subject.Version);
        Assert.Equal(subject.Version + 1, subject.Timeline.Count);
    }
}
