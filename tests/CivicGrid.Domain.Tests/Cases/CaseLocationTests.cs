using CivicGrid.Domain.Cases;
using NetTopologySuite.Geometries;
using static CivicGrid.Domain.Tests.Cases.CaseBuilder;

namespace CivicGrid.Domain.Tests.Cases;

/// <summary>
/// Where a case belongs: the confirm-location queue of an ambiguous report, moving the pin, the anonymous reporter
/// proven by the follow token, and the district's answer to a red case. Tests are named after the rule they check.
/// </summary>
public class CaseLocationTests
{
    private const string Micro = Codes.MicroGrid;
    private const string SiblingMicro = Codes.SiblingThirdGrid + "01";

    private static readonly DateTimeOffset Due = Now.AddHours(2);

    [Fact]
    public void AwaitLocation_PutsTheCaseInTheQueue_WithItsOwnGridFirst()
    {
        var subject = ACase().InGrid(Micro).Build();

        subject.AwaitLocationConfirmation(Actor.System, 0, Now, [SiblingMicro, Micro], Due);

        Assert.True(subject.IsLocationPending);
        Assert.Equal([Micro, SiblingMicro], subject.LocationCandidates);
        Assert.Equal(CaseStatus.Reported, subject.Status);
        Assert.Equal("await-location", subject.Timeline[^1].Action);
        Assert.False(subject.Timeline[^1].IsPublic);
    }

    [Fact]
    public void AwaitLocation_ByAPerson_IsRefused() =>
        Refused.By("case.actor.system-only", () => ACase().InGrid(Micro).Build()
            .AwaitLocationConfirmation(Actors.GridLeaderOf(Codes.ThirdGrid), 0, Now, [Micro, SiblingMicro], Due));

    [Fact]
    public void AwaitLocation_WithoutItsOwnGridAmongTheCandidates_IsRefused() =>
        Refused.By("case.await-location.two-candidates-required", () => ACase().InGrid(Micro).Build()
            .AwaitLocationConfirmation(Actor.System, 0, Now, [SiblingMicro, Codes.OtherCommunity], Due));

    [Fact]
    public void AwaitLocation_WithOneCandidate_IsRefused() =>
        Refused.By("case.await-location.two-candidates-required", () => ACase().InGrid(Micro).Build()
            .AwaitLocationConfirmation(Actor.System, 0, Now, [Micro], Due));

    [Fact]
    public void AwaitLocation_WhenAccepted_IsRefused() =>
        Refused.By("case.await-location.only-when-reported", () =>
        {
            var subject = ACase().InGrid(Micro).In(CaseStatus.Accepted).Build();
            subject.AwaitLocationConfirmation(Actor.System, subject.Version, Now, [Micro, SiblingMicro], Due);
        });

    [Fact]
    public void ConfirmLocation_ByStaffOfTheOtherCandidate_MovesTheCaseThere()
    {
        var subject = Pending();

        subject.ConfirmLocation(Actors.GridLeaderOf(Codes.SiblingThirdGrid), 1, Now.AddMinutes(5), SiblingMicro, automatic: false);

        Assert.Equal(SiblingMicro, subject.GridCode);
        Assert.False(subject.IsLocationPending);
        Assert.Empty(subject.LocationCandidates);
        var entry = subject.Timeline[^1];
        Assert.Equal(("confirm-location", Micro, SiblingMicro), (entry.Action, entry.FromGridCode, entry.ToGridCode));
    }

    [Fact]
    public void ConfirmLocation_ByStaffOfANonCandidate_IsRefused() =>
        Refused.By("case.actor.staff-of-candidate-only", () =>
            Pending().ConfirmLocation(Actors.GridLeaderOf(Codes.NeighbouringSubdistrictGrid), 1, Now, SiblingMicro, automatic: false));

    [Fact]
    public void ConfirmLocation_ForAGridThatIsNoCandidate_IsRefused() =>
        Refused.By("case.confirm-location.candidate-only", () =>
            Pending().ConfirmLocation(Actors.CommunityStaffOf(Codes.Community), 1, Now, Codes.SiblingThirdGrid + "02", automatic: false));

    [Fact]
    public void ConfirmLocation_Twice_IsRefused_TheSecondClaimSeesItGone()
    {
        var subject = Pending();
        subject.ConfirmLocation(Actors.GridLeaderOf(Codes.SiblingThirdGrid), 1, Now, SiblingMicro, automatic: false);

        Refused.By("case.confirm-location.only-when-pending", () =>
            subject.ConfirmLocation(Actors.GridLeaderOf(Codes.ThirdGrid), 2, Now, Micro, automatic: false));
    }

    [Fact]
    public void ConfirmLocation_Automatically_BeforeTheDeadline_IsRefused() =>
        Refused.By("case.confirm-location.automatic-only-when-due", () => Pending().ConfirmLocation(Actor.System, 1, Due.AddSeconds(-1), Micro, automatic: true));

    [Fact]
    public void ConfirmLocation_Automatically_AtTheDeadline_KeepsTheBestCandidate()
    {
        var subject = Pending();

        subject.ConfirmLocation(Actor.System, 1, Due, Micro, automatic: true);

        Assert.Equal(Micro, subject.GridCode);
        Assert.False(subject.IsLocationPending);
        Assert.Null(subject.Timeline[^1].ToGridCode);
    }

    [Fact]
    public void ConfirmLocation_Automatically_ByAPerson_IsRefused() =>
        Refused.By("case.actor.system-only", () => Pending().ConfirmLocation(Actors.GridLeaderOf(Codes.ThirdGrid), 1, Due, Micro, automatic: true));

    [Fact]
    public void Accepting_APendingCase_TakesItOutOfTheQueue()
    {
        var subject = Pending();

        subject.Accept(Actors.GridLeaderOf(Codes.ThirdGrid), 1, Now);

        Assert.False(subject.IsLocationPending);
        Refused.By("case.confirm-location.only-when-pending", () =>
            subject.ConfirmLocation(Actors.GridLeaderOf(Codes.SiblingThirdGrid), 2, Now, SiblingMicro, automatic: false));
    }

    [Fact]
    public void MovePin_IntoAnotherGrid_ReRoutesTheCase_Unassigned()
    {
        var subject = ACase().InGrid(Micro).In(CaseStatus.Assigned).Build();

        subject.MovePin(Actors.CommunityStaffOf(Codes.Community), subject.Version, Now, new Point(108.96, 34.27), SiblingMicro, "定位偏差");

        Assert.Equal((CaseStatus.Reported, SiblingMicro), (subject.Status, subject.GridCode));
        Assert.Null(subject.AssigneeUserId);
        Assert.Equal((108.96, 34.27), (subject.Location.X, subject.Location.Y));
        Assert.Equal("move-pin", subject.Timeline[^1].Action);
    }

    [Fact]
    public void MovePin_InsideTheGrid_OnlyCorrectsThePosition()
    {
        var subject = ACase().InGrid(Micro).In(CaseStatus.Assigned).Build();

        subject.MovePin(Actors.GridLeaderOf(Codes.ThirdGrid), subject.Version, Now, new Point(108.951, 34.261), Micro, "挪到准确的楼前");

        Assert.Equal(CaseStatus.Assigned, subject.Status);
        Assert.NotNull(subject.AssigneeUserId);
        Assert.Null(subject.Timeline[^1].ToGridCode);
    }

    [Fact]
    public void MovePin_WithoutAReason_IsRefused() =>
        Refused.By("case.move-pin.reason-required", () =>
            ACase().InGrid(Micro).Build().MovePin(Actors.GridLeaderOf(Codes.ThirdGrid), 0, Now, new Point(108.96, 34.27), SiblingMicro, " "));

    [Fact]
    public void MovePin_ToABadCode_IsRefused() =>
        Refused.By("case.move-pin.to-valid-grid", () =>
            ACase().InGrid(Micro).Build().MovePin(Actors.GridLeaderOf(Codes.ThirdGrid), 0, Now, new Point(108.96, 34.27), Codes.Subdistrict, "定位偏差"));

    [Fact]
    public void MovePin_AfterHandling_IsRefused() =>
        Refused.By("case.move-pin.only-before-handled", () =>
        {
            var subject = ACase().InGrid(Micro).In(CaseStatus.Handled).Build();
            subject.MovePin(Actors.GridLeaderOf(Codes.ThirdGrid), subject.Version, Now, new Point(108.96, 34.27), SiblingMicro, "定位偏差");
        });

    [Fact]
    public void MovePin_ByAResident_IsRefused() =>
        Refused.By("case.actor.owner-staff-only", () =>
            ACase().InGrid(Micro).Build().MovePin(Actors.Reporter, 0, Now, new Point(108.96, 34.27), SiblingMicro, "定位偏差"));

    [Fact]
    public void AnonymousReporter_WithTheCaseNumber_VerifiesAndEvaluatesTheirCase()
    {
        var subject = ACase().Anonymous().In(CaseStatus.Handled).Build();
        var reporter = Actor.AnonymousReporter(subject.Number);

        subject.Verify(reporter, subject.Version, Now, true, null);
        subject.Evaluate(reporter, subject.Version, Now, 4, "还行");

        Assert.Equal((CaseStatus.Evaluated, 4), (subject.Status, subject.Rating));
    }

    [Fact]
    public void AnonymousReporter_OfAnotherCase_IsRefused() =>
        Refused.By("case.actor.owner-staff-or-reporter-only", () =>
        {
            var subject = ACase().Anonymous().In(CaseStatus.Handled).Build();
            subject.Verify(Actor.AnonymousReporter("2026112799999"), subject.Version, Now, true, null);
        });

    [Fact]
    public void AnonymousReporter_OfACaseWithASignedInReporter_IsRefused() =>
        Refused.By("case.actor.reporter-only", () =>
        {
            var subject = ACase().In(CaseStatus.Verified).Build();
            subject.Evaluate(Actor.AnonymousReporter(subject.Number), subject.Version, Now, 5, null);
        });

    [Fact]
    public void DistrictAnswer_ByTheDistrict_IsOnTheTimeline()
    {
        var subject = RedHandedOver();

        subject.RecordDistrictAnswer(Actors.DistrictUserOf(Codes.District), subject.Version, Now, "replied", "已列入年度改造计划");

        Assert.Equal("district-answer", subject.Timeline[^1].Action);
        Assert.Equal("replied", subject.Timeline[^1].Details["outcome"]);
    }

    [Fact]
    public void DistrictAnswer_ByTheSubdistrict_IsRefused() =>
        Refused.By("case.actor.district-only", () =>
        {
            var subject = RedHandedOver();
            subject.RecordDistrictAnswer(Actors.OperatorOf(Codes.Subdistrict), subject.Version, Now, "replied", "已答复");
        });

    [Fact]
    public void DistrictAnswer_BeforeHandOver_IsRefused() =>
        Refused.By("case.district-answer.only-after-hand-over", () =>
        {
            var subject = ACase().OfTier(CaseTier.Red).Build();
            subject.RecordDistrictAnswer(Actors.DistrictUserOf(Codes.District), subject.Version, Now, "replied", "已答复");
        });

    [Fact]
    public void DistrictAnswer_WithAnUnknownOutcome_IsRefused() =>
        Refused.By("case.district-answer.outcome-and-answer-required", () =>
        {
            var subject = RedHandedOver();
            subject.RecordDistrictAnswer(Actors.DistrictUserOf(Codes.District), subject.Version, Now, "ignored", "不理");
        });

    private static Case Pending()
    {
        var subject = ACase().InGrid(Micro).Build();
        subject.AwaitLocationConfirmation(Actor.System, 0, Now, [Micro, SiblingMicro], Due);
        return subject;
    }

    private static Case RedHandedOver()
    {
        var subject = ACase().OfTier(CaseTier.Red).Build();
        subject.HandToDistrict(Actors.OperatorOf(Codes.Subdistrict), subject.Version, Now, Guid.NewGuid());
        return subject;
    }
}
