using CivicGrid.Domain.Cases;
using static CivicGrid.Domain.Tests.Cases.CaseBuilder;

namespace CivicGrid.Domain.Tests.Cases;

/// <summary>The whole loop of each colour, from report to close, through the verbs only.</summary>
public class CaseLoopTests
{
    private DateTimeOffset _at = ReportedAt;

    [Fact]
    public void GreenCase_GoesFromReportToCloseWithTheGridLeader()
    {
        var subject = ACase().Build();
        var leader = Actors.GridLeaderOf(Codes.ThirdGrid);

        subject.Accept(leader, subject.Version, Next());
        subject.Assign(leader, subject.Version, Next(), CaseAssignee.User(Actors.WorkerId, "李网格员"), _at.AddDays(2));
        subject.StartHandling(Actors.Worker, subject.Version, Next());
        subject.RecordHandled(Actors.Worker, subject.Version, Next(), "已清理楼道杂物", [Guid.NewGuid()]);
        subject.Verify(leader, subject.Version, Next(), true, "现场核查已清理");
        subject.Evaluate(Actors.Reporter, subject.Version, Next(), 5, "处理及时");
        subject.Close(leader, subject.Version, Next());

        Assert.Equal(CaseStatus.Closed, subject.Status);
        Assert.Equal(7, subject.Version);
        Assert.Equal(
            ["report", "accept", "assign", "start-handling", "record-handled", "verify", "evaluate", "close"],
            subject.Timeline.Select(e => e.Action));
        Assert.Null(subject.VerifyTimeline());
    }

    [Fact]
    public void YellowCase_NeedsAJointMediationBeforeItCloses()
    {
        var subject = ACase().Build();
        var leader = Actors.GridLeaderOf(Codes.ThirdGrid);
        var community = Actors.CommunityStaffOf(Codes.Community);

        subject.Accept(leader, subject.Version, Next());
        subject.Escalate(leader, subject.Version, Next(), "涉及相邻两栋楼居民，网格协调不成", automatic: false);
        Assert.Equal(CaseTier.Yellow, subject.Tier);
        Refused.By("case.actor.owner-staff-only",
            () => subject.Assign(leader, subject.Version, Next(), CaseAssignee.User(Actors.WorkerId, "李网格员"), _at.AddDays(2)));
        subject.Assign(community, subject.Version, Next(), CaseAssignee.User(Actors.WorkerId, "李网格员"), _at.AddDays(5));
        subject.StartHandling(Actors.Worker, subject.Version, Next());
        subject.RecordMediation(community, subject.Version, Next(), ["张网格长", "社区民警", "两栋楼居民代表"], _at.AddHours(-1), "社区议事厅", "约定杂物统一清运");
        subject.RecordHandled(Actors.Worker, subject.Version, Next(), "按联调约定清运完毕", [Guid.NewGuid()]);
        subject.Verify(community, subject.Version, Next(), true, null);
        subject.Evaluate(Actors.Reporter, subject.Version, Next(), 4, null);
        subject.Close(community, subject.Version, Next());

        Assert.Equal((CaseStatus.Closed, CaseTier.Yellow), (subject.Status, subject.Tier));
        Assert.Null(subject.VerifyTimeline());
    }

    [Fact]
    public void YellowCase_WithoutMediation_IsRefusedAtClose()
    {
        var subject = ACase().OfTier(CaseTier.Yellow).In(CaseStatus.Evaluated).Build();

        Refused.By("case.close.yellow-requires-mediation", () => subject.Close(Actors.CommunityStaffOf(Codes.Community), subject.Version, Now));
    }

    [Fact]
    public void BlueCase_NeedsAMeetingDecisionBeforeItCloses()
    {
        var subject = ACase().Build();
        var centre = Actors.OperatorOf(Codes.Subdistrict);
        var police = Guid.NewGuid();

        subject.Accept(Actors.GridLeaderOf(Codes.ThirdGrid), subject.Version, Next());
        subject.Escalate(Actors.GridLeaderOf(Codes.ThirdGrid), subject.Version, Next(), "网格无法解决", automatic: false);
        subject.Escalate(Actors.CommunityStaffOf(Codes.Community), subject.Version, Next(), "涉及多个部门", automatic: false);
        Assert.Equal(CaseTier.Blue, subject.Tier);
        subject.Assign(centre, subject.Version, Next(), CaseAssignee.Department(police, "某派出所"), _at.AddDays(10));
        subject.StartHandling(Actors.LiaisonOf(police), subject.Version, Next());
        subject.RecordHandled(Actors.LiaisonOf(police), subject.Version, Next(), "已联合执法整治", [Guid.NewGuid()]);
        subject.Verify(centre, subject.Version, Next(), true, null);
        subject.Evaluate(Actors.Reporter, subject.Version, Next(), 5, null);
        Refused.By("case.close.blue-requires-meeting-decision", () => subject.Close(centre, subject.Version, Next()));
        subject.RecordMeetingDecision(centre, subject.Version, Next(), Guid.NewGuid(), "派出所牵头，城管配合，两周内整治");
        subject.Close(centre, subject.Version, Next());

        Assert.Equal((CaseStatus.Closed, CaseTier.Blue), (subject.Status, subject.Tier));
        Assert.Null(subject.VerifyTimeline());
    }

    [Fact]
    public void RedCase_IsHandedToTheDistrictAndClosedThere()
    {
        var subject = ACase().OfTier(CaseTier.Blue).Build();
        var centre = Actors.OperatorOf(Codes.Subdistrict);
        var district = Actors.DistrictUserOf(Codes.District);

        subject.Accept(centre, subject.Version, Next());
        subject.Escalate(centre, subject.Version, Next(), "需区级审批", automatic: false);
        Assert.Equal(CaseTier.Red, subject.Tier);
        subject.HandToDistrict(centre, subject.Version, Next(), Guid.NewGuid());
        subject.Assign(district, subject.Version, Next(), CaseAssignee.Department(Guid.NewGuid(), "区住建局"), _at.AddDays(30));
        subject.StartHandling(district, subject.Version, Next());
        subject.RecordHandled(district, subject.Version, Next(), "区住建局已立项改造", [Guid.NewGuid()]);
        subject.Verify(Actors.Reporter, subject.Version, Next(), true, null);
        subject.Evaluate(Actors.Reporter, subject.Version, Next(), 3, "等了很久");
        subject.Close(district, subject.Version, Next());

        Assert.Equal((CaseStatus.Closed, CaseTier.Red), (subject.Status, subject.Tier));
        Assert.NotNull(subject.DistrictRecordId);
        Assert.Null(subject.VerifyTimeline());
    }

    [Fact]
    public void RedCase_NotHandedToTheDistrict_IsRefusedAtClose()
    {
        var subject = ACase().OfTier(CaseTier.Red).In(CaseStatus.Evaluated).Build();

        Refused.By("case.close.red-requires-district-record", () => subject.Close(Actors.DistrictUserOf(Codes.District), subject.Version, Now));
    }

    [Fact]
    public void OverdueCase_EscalatesAutomaticallyOneColourAtATime()
    {
        var subject = ACase().In(CaseStatus.Assigned).Build();
        var afterDue = subject.DueAt!.Value.AddHours(1);

        subject.Escalate(Actor.System, subject.Version, afterDue, "超期自动升级", automatic: true);
        Refused.By("case.escalate.automatic-only-when-overdue",
            () => subject.Escalate(Actor.System, subject.Version, afterDue.AddHours(1), "超期自动升级", automatic: true));
        var community = Actors.CommunityStaffOf(Codes.Community);
        subject.Assign(community, subject.Version, afterDue, CaseAssignee.User(Actors.WorkerId, "李网格员"), afterDue.AddDays(1));
        subject.Escalate(Actor.System, subject.Version, afterDue.AddDays(2), "超期自动升级", automatic: true);

        Assert.Equal(CaseTier.Blue, subject.Tier);
    }

    private DateTimeOffset Next() => _at = _at.AddMinutes(10);
}
