using CivicGrid.Domain.Cases;
using static CivicGrid.Domain.Tests.Cases.CaseBuilder;

namespace CivicGrid.Domain.Tests.Cases;

/// <summary>认领: an anonymous report taken into the account of the resident who made it (signed in by WeChat since).</summary>
public class ClaimReportTests
{
    [Fact]
    public void ClaimReport_OfAnAnonymousReport_MakesTheResidentItsReporter_WithAPrivateEntry()
    {
        var subject = ACase().Anonymous().Build();
        var resident = Actors.ANeighbour();

        subject.ClaimReport(resident, Now);

        Assert.Equal(resident.UserId, subject.ReporterId);
        var entry = subject.Timeline[^1];
        Assert.Equal(("claim-report", CaseStatus.Reported, CaseStatus.Reported, false), (entry.Action, entry.FromStatus, entry.ToStatus, entry.IsPublic));
        Assert.Equal(resident.UserId, entry.ActorId);
    }

    [Fact]
    public void ClaimReport_OfACaseWithAReporterAccount_BreaksReportAlreadyClaimed()
    {
        var subject = ACase().Build();

        var refused = Assert.Throws<CaseRuleException>(() => subject.ClaimReport(Actors.ANeighbour(), Now));

        Assert.Equal(CaseRules.ReportAlreadyClaimed.Name, refused.Rule);
        Assert.Equal(Actors.ReporterId, subject.ReporterId);
    }

    [Fact]
    public void ClaimReport_ByTheSystem_BreaksReporterOnly()
    {
        var subject = ACase().Anonymous().Build();

        var refused = Assert.Throws<CaseRuleException>(() => subject.ClaimReport(Actor.System, Now));

        Assert.Equal(CaseRules.ReporterOnly.Name, refused.Rule);
        Assert.Null(subject.ReporterId);
    }
}
