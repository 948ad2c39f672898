using CivicGrid.Domain.Cases;
using static CivicGrid.Domain.Tests.Cases.CaseBuilder;

namespace CivicGrid.Domain.Tests.Cases;

/// <summary>The reporter's own verbs (ADR 0038): 补充 adds words and photos, 催办 chases a late case once a day, 撤回 takes a report back before it is accepted.</summary>
public class ResidentActionsTests
{
    [Fact]
    public void Supplement_ByTheReporter_KeepsTheStatus_AndRecordsWordsAndPhotosPublicly()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();
        var photo = Guid.NewGuid();

        subject.Supplement(Actors.Reporter, subject.Version, Now, "  还有两袋建筑垃圾  ", [photo]);

        var entry = subject.Timeline[^1];
        Assert.Equal((CaseVerbs.Supplement, CaseStatus.InHandling, CaseStatus.InHandling, true), (entry.Action, entry.FromStatus, entry.ToStatus, entry.IsPublic));
        Assert.Equal(("还有两袋建筑垃圾", Actors.ReporterId), (entry.Note, entry.ActorId));
        Assert.Equal([photo], entry.AttachmentIds);
        Assert.Equal("您补充了情况说明和 1 张照片。", entry.PublicText);
        Assert.Null(subject.VerifyTimeline());
    }

    [Fact]
    public void Supplement_WithNothing_OrTooMuch_OrByANeighbour_OrOnAClosedCase_IsRefused()
    {
        var open = ACase().In(CaseStatus.Accepted).Build();
        Assert.Equal(CaseRules.SupplementContentRequired.Name,
            Assert.Throws<CaseRuleException>(() => open.Supplement(Actors.Reporter, open.Version, Now, "  ", [])).Rule);
        Assert.Equal(CaseRules.SupplementContentRequired.Name,
            Assert.Throws<CaseRuleException>(() => open.Supplement(Actors.Reporter, open.Version, Now, new string('字', 501), [])).Rule);
        Assert.Equal(CaseRules.ReporterOnly.Name,
            Assert.Throws<CaseRuleException>(() => open.Supplement(Actors.ANeighbour(), open.Version, Now, "补充", [])).Rule);

        var rejected = ACase().Build();
        rejected.Reject(Actors.GridLeaderOf(Codes.ThirdGrid), rejected.Version, Now, "不属于受理范围");
        Assert.Equal(CaseRules.SupplementOnlyWhenOpen.Name,
            Assert.Throws<CaseRuleException>(() => rejected.Supplement(Actors.Reporter, rejected.Version, Now, "补充", [])).Rule);
    }

    [Fact]
    public void Supplement_ByTheAnonymousReporterWithTheFollowToken_IsAllowed()
    {
        var subject = ACase().Anonymous().Build();

        subject.Supplement(Actor.AnonymousReporter(subject.Number), subject.Version, Now, "在 3 号楼东侧", []);

        Assert.Equal(CaseVerbs.Supplement, subject.Timeline[^1].Action);
    }

    [Fact]
    public void Chase_BeforeThreeDaysAndWithinTheDeadline_IsTooSoon_AfterThreeDaysItIsRecorded_AndAgainWithin24HoursRefused()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();

        Assert.Equal(CaseRules.ChaseOnlyWhenLate.Name, Assert.Throws<CaseRuleException>(() => subject.Chase(Actors.Reporter, subject.Version, Now)).Rule);
        Assert.Equal(ReportedAt.AddDays(3), CaseRules.ChaseAvailableAt(subject, Now));

        var late = ReportedAt.AddDays(3).AddMinutes(1);
        subject.Chase(Actors.Reporter, subject.Version, late);
        var entry = subject.Timeline[^1];
        Assert.Equal((CaseVerbs.Chase, CaseStatus.InHandling, true), (entry.Action, entry.ToStatus, entry.IsPublic));
        Assert.Equal("1", entry.Details["chase"]);

        var again = late.AddHours(23);
        Assert.Equal(CaseRules.ChaseOncePerDay.Name, Assert.Throws<CaseRuleException>(() => subject.Chase(Actors.Reporter, subject.Version, again)).Rule);
        Assert.Equal(late.AddHours(24), CaseRules.ChaseAvailableAt(subject, again));
        subject.Chase(Actors.Reporter, subject.Version, late.AddHours(24));
        Assert.Equal("2", subject.Timeline[^1].Details["chase"]);
    }

    [Fact]
    public void Chase_OfAnOverdueAssignment_IsAllowedBeforeThreeDays_AndSaysItIsOverdue()
    {
        var subject = ACase().In(CaseStatus.Accepted).Build();
        subject.Assign(Actors.GridLeaderOf(Codes.ThirdGrid), subject.Version, Now, CaseAssignee.User(Actors.WorkerId, "李网格员"), Now.AddHours(4));

        subject.Chase(Actors.Reporter, subject.Version, Now.AddHours(5));

        Assert.Equal("true", subject.Timeline[^1].Details["overdue"]);
    }

    [Fact]
    public void Chase_OfAHandledCase_OrByStaff_IsRefused()
    {
        var handled = ACase().In(CaseStatus.Handled).Build();
        Assert.Equal(CaseRules.ChaseOnlyWhileInWork.Name,
            Assert.Throws<CaseRuleException>(() => handled.Chase(Actors.Reporter, handled.Version, ReportedAt.AddDays(5))).Rule);
        Assert.Null(CaseRules.ChaseAvailableAt(handled, Now));

        var open = ACase().In(CaseStatus.InHandling).Build();
        Assert.Equal(CaseRules.ReporterOnly.Name,
            Assert.Throws<CaseRuleException>(() => open.Chase(Actors.Worker, open.Version, ReportedAt.AddDays(5))).Rule);
    }

    [Fact]
    public void Withdraw_BeforeAcceptance_EndsTheCase_WithTheReasonStaffSee()
    {
        var subject = ACase().Build();

        subject.Withdraw(Actors.Reporter, subject.Version, Now, " 已经自行解决 ");

        Assert.Equal(CaseStatus.Withdrawn, subject.Status);
        Assert.True(subject.Status.IsFinal());
        Assert.Equal(Now, subject.ClosedAt);
        var entry = subject.Timeline[^1];
        Assert.Equal((CaseVerbs.Withdraw, "已经自行解决", "您已撤回反映的问题。原因：已经自行解决"), (entry.Action, entry.Note, entry.PublicText));
        Assert.Empty(CaseRules.AllowedActions(Actors.GridLeaderOf(Codes.ThirdGrid), subject, Now));
        Assert.Equal("已撤回", CaseStatus.Withdrawn.ToChinese());
    }

    [Fact]
    public void Withdraw_AfterAcceptance_OrWithoutAReason_IsRefused()
    {
        var accepted = ACase().In(CaseStatus.Accepted).Build();
        var refused = Assert.Throws<CaseRuleException>(() => accepted.Withdraw(Actors.Reporter, accepted.Version, Now, "不需要了"));
        Assert.Equal(CaseRules.WithdrawOnlyBeforeAccepted.Name, refused.Rule);
        Assert.Contains("已受理，不能撤回", refused.ChineseMessage, StringComparison.Ordinal);

        var reported = ACase().Build();
        Assert.Equal(CaseRules.WithdrawReasonRequired.Name,
            Assert.Throws<CaseRuleException>(() => reported.Withdraw(Actors.Reporter, reported.Version, Now, " ")).Rule);
        Assert.Equal(CaseStatus.Reported, reported.Status);
    }

    [Fact]
    public void Evaluate_KeepsTheReportersComment_OnTheCaseAndItsEntry()
    {
        var subject = ACase().In(CaseStatus.Verified).Build();

        subject.Evaluate(Actors.Reporter, subject.Version, Now, 4, " 清理及时，希望多巡查 ");

        Assert.Equal("清理及时，希望多巡查", subject.EvaluationComment);
        Assert.Equal("清理及时，希望多巡查", subject.Timeline[^1].Note);
    }
}
