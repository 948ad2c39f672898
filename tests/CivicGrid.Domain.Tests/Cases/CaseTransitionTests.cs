using CivicGrid.Domain.Cases;
using static CivicGrid.Domain.Tests.Cases.CaseBuilder;

namespace CivicGrid.Domain.Tests.Cases;

/// <summary>Each verb's happy path, and each of its status and argument rules by name.</summary>
public class CaseTransitionTests
{
    private static readonly Actor Leader = Actors.GridLeaderOf(Codes.ThirdGrid);

    [Fact]
    public void Report_CreatesReportedCaseAtVersionZeroWithOneEntry()
    {
        var subject = ACase().Build();

        Assert.Equal(CaseStatus.Reported, subject.Status);
        Assert.Equal(0, subject.Version);
        var entry = Assert.Single(subject.Timeline);
        Assert.Equal("report", entry.Action);
        Assert.Null(entry.FromStatus);
        Assert.Equal(Actors.ReporterId, entry.ActorId);
    }

    [Fact]
    public void Accept_WhenReported_BecomesAccepted()
    {
        var subject = ACase().Build();

        subject.Accept(Leader, 0, Now);

        Assert.Equal(CaseStatus.Accepted, subject.Status);
        Assert.Equal(1, subject.Version);
        var entry = subject.Timeline[^1];
        Assert.Equal(("accept", CaseStatus.Reported, CaseStatus.Accepted), (entry.Action, entry.FromStatus, entry.ToStatus));
        Assert.Equal((Leader.UserId, Leader.DisplayName), (entry.ActorId, entry.ActorName));
    }

    [Theory]
    [InlineData(CaseStatus.Accepted)]
    [InlineData(CaseStatus.InHandling)]
    [InlineData(CaseStatus.Evaluated)]
    public void Accept_WhenNotReported_IsRefused(CaseStatus status)
    {
        var subject = ACase().In(status).Build();

        Refused.By("case.accept.only-when-reported", () => subject.Accept(Leader, subject.Version, Now));
    }

    [Fact]
    public void Refusal_ChangesNothing()
    {
        var subject = ACase().In(CaseStatus.Accepted).Build();
        var (version, entries, status) = (subject.Version, subject.Timeline.Count, subject.Status);

        Refused.By("case.accept.only-when-reported", () => subject.Accept(Leader, subject.Version, Now));

        Assert.Equal((version, entries, status), (subject.Version, subject.Timeline.Count, subject.Status));
    }

    [Fact]
    public void Reject_WithReason_BecomesRejectedAndFinal()
    {
        var subject = ACase().Build();

        subject.Reject(Leader, 0, Now, "不属于政府职责范围");

        Assert.Equal(CaseStatus.Rejected, subject.Status);
        Assert.True(subject.Status.IsFinal());
        Assert.Equal(Now, subject.ClosedAt);
        Assert.Equal("不属于政府职责范围", subject.Timeline[^1].Note);
        Assert.Contains("不属于政府职责范围", subject.Timeline[^1].PublicText, StringComparison.Ordinal);
    }

    [Fact]
    public void Reject_WhenNotReported_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Accepted).Build();

        Refused.By("case.reject.only-when-reported", () => subject.Reject(Leader, subject.Version, Now, "重复"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Reject_WithoutReason_IsRefused(string reason)
    {
        var subject = ACase().Build();

        Refused.By("case.reject.reason-required", () => subject.Reject(Leader, 0, Now, reason));
    }

    [Fact]
    public void Assign_ToUser_BecomesAssignedWithDue()
    {
        var subject = ACase().In(CaseStatus.Accepted).Build();

        subject.Assign(Leader, subject.Version, Now, CaseAssignee.User(Actors.WorkerId, "李网格员"), Now.AddDays(2));

        Assert.Equal(CaseStatus.Assigned, subject.Status);
        Assert.Equal((Actors.WorkerId, "李网格员", Now.AddDays(2)), (subject.AssigneeUserId, subject.AssigneeName, subject.DueAt));
        Assert.Equal(Actors.WorkerId.ToString("D"), subject.Timeline[^1].Details["assignee-user"]);
        Assert.Equal("您反映的问题已交由网格长处理。", subject.Timeline[^1].PublicText);
    }

    [Fact]
    public void Assign_ToDepartment_LetsItsLiaisonHandle()
    {
        var subject = ACase().In(CaseStatus.Accepted).Build();
        subject.Assign(Leader, subject.Version, Now, CaseAssignee.Department(Actors.CityManagementId, "区城管执法局"), Now.AddDays(2));

        subject.StartHandling(Actors.LiaisonOf(Actors.CityManagementId), subject.Version, Now.AddHours(1));

        Assert.Equal(CaseStatus.InHandling, subject.Status);
        Assert.Equal(Actors.CityManagementId, subject.AssigneeDepartmentId);
        Assert.Equal("您反映的问题已交由区城管执法局处理。", subject.Timeline[^2].PublicText);
    }

    [Fact]
    public void Assign_WhenInHandling_ReassignsTheCase()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();
        var other = Guid.NewGuid();

        subject.Assign(Leader, subject.Version, Now, CaseAssignee.User(other, "陈网格员"), Now.AddDays(1));

        Assert.Equal(CaseStatus.Assigned, subject.Status);
        Assert.Equal(other, subject.AssigneeUserId);
    }

    [Theory]
    [InlineData(CaseStatus.Reported)]
    [InlineData(CaseStatus.Handled)]
    public void Assign_WhenNotAcceptedOrInWork_IsRefused(CaseStatus status)
    {
        var subject = ACase().In(status).Build();

        Refused.By("case.assign.only-when-accepted-or-in-work",
            () => subject.Assign(Leader, subject.Version, Now, CaseAssignee.User(Actors.WorkerId, "李网格员"), Now.AddDays(1)));
    }

    [Fact]
    public void Assign_WithDueInThePast_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Accepted).Build();

        Refused.By("case.assign.due-after-now",
            () => subject.Assign(Leader, subject.Version, Now, CaseAssignee.User(Actors.WorkerId, "李网格员"), Now));
    }

    [Fact]
    public void StartHandling_ByAssignee_BecomesInHandling()
    {
        var subject = ACase().In(CaseStatus.Assigned).Build();

        subject.StartHandling(Actors.Worker, subject.Version, Now);

        Assert.Equal(CaseStatus.InHandling, subject.Status);
    }

    [Fact]
    public void StartHandling_WhenNotAssigned_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Accepted).Build();

        Refused.By("case.start-handling.only-when-assigned", () => subject.StartHandling(Leader, subject.Version, Now));
    }

    [Fact]
    public void RecordHandled_WithNoteAndPhotos_BecomesHandled()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();
        Guid[] photos = [Guid.NewGuid(), Guid.NewGuid()];

        subject.RecordHandled(Actors.Worker, subject.Version, Now, "已清理", photos);

        Assert.Equal(CaseStatus.Handled, subject.Status);
        Assert.Equal((Actors.WorkerId, Now), (subject.HandledBy, subject.HandledAt));
        Assert.Equal(photos, subject.Timeline[^1].AttachmentIds);
        Assert.Equal("已清理", subject.Timeline[^1].Note);
    }

    [Fact]
    public void RecordHandled_WhenNotInHandling_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Assigned).Build();

        Refused.By("case.record-handled.only-when-in-handling",
            () => subject.RecordHandled(Actors.Worker, subject.Version, Now, "已清理", [Guid.NewGuid()]));
    }

    [Fact]
    public void RecordHandled_WithoutNote_IsRefused()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();

        Refused.By("case.record-handled.note-required",
            () => subject.RecordHandled(Actors.Worker, subject.Version, Now, " ", [Guid.NewGuid()]));
    }

    [Fact]
    public void RecordHandled_WithoutPhoto_IsRefused()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();

        Refused.By("case.record-handled.photo-required", () => subject.RecordHandled(Actors.Worker, subject.Version, Now, "已清理", []));
    }

    [Fact]
    public void Verify_WhenPassed_BecomesVerified()
    {
        var subject = ACase().In(CaseStatus.Handled).Build();

        subject.Verify(Leader, subject.Version, Now, true, "现场已清理");

        Assert.Equal(CaseStatus.Verified, subject.Status);
        Assert.Equal(Now, subject.VerifiedAt);
        Assert.Equal("verify", subject.Timeline[^1].Action);
    }

    [Fact]
    public void Verify_ByReporter_BecomesVerified()
    {
        var subject = ACase().In(CaseStatus.Handled).Build();

        subject.Verify(Actors.Reporter, subject.Version, Now, true, null);

        Assert.Equal(CaseStatus.Verified, subject.Status);
    }

    [Fact]
    public void Verify_WhenFailed_ReopensForMoreWork()
    {
        var subject = ACase().In(CaseStatus.Handled).Build();

        subject.Verify(Leader, subject.Version, Now, false, "楼道仍有杂物");

        Assert.Equal(CaseStatus.InHandling, subject.Status);
        Assert.Equal(1, subject.ReopenCount);
        Assert.Null(subject.HandledBy);
        Assert.Equal(Actors.WorkerId, subject.AssigneeUserId);
        Assert.Equal("verify-failed", subject.Timeline[^1].Action);
    }

    [Fact]
    public void Verify_WhenNotHandled_IsRefused()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();

        Refused.By("case.verify.only-when-handled", () => subject.Verify(Leader, subject.Version, Now, true, null));
    }

    [Fact]
    public void Verify_ByWhoeverHandledIt_IsRefused()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();
        subject.RecordHandled(Leader, subject.Version, Now, "网格长亲自清理", [Guid.NewGuid()]);

        Refused.By("case.verify.not-by-handler", () => subject.Verify(Leader, subject.Version, Now, true, null));
    }

    [Fact]
    public void Verify_FailedWithoutNote_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Handled).Build();

        Refused.By("case.verify.note-required-when-failed", () => subject.Verify(Leader, subject.Version, Now, false, null));
    }

    [Fact]
    public void Evaluate_ByReporter_BecomesEvaluated()
    {
        var subject = ACase().In(CaseStatus.Verified).Build();

        subject.Evaluate(Actors.Reporter, subject.Version, Now, 4, "基本满意");

        Assert.Equal(CaseStatus.Evaluated, subject.Status);
        Assert.Equal((4, "基本满意"), (subject.Rating, subject.EvaluationComment));
        Assert.Equal("4", subject.Timeline[^1].Details["rating"]);
    }

    [Fact]
    public void Evaluate_WhenNotVerified_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Handled).Build();

        Refused.By("case.evaluate.only-when-verified", () => subject.Evaluate(Actors.Reporter, subject.Version, Now, 5, null));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-1)]
    public void Evaluate_WithRatingOutsideOneToFive_IsRefused(int rating)
    {
        var subject = ACase().In(CaseStatus.Verified).Build();

        Refused.By("case.evaluate.rating-1-to-5", () => subject.Evaluate(Actors.Reporter, subject.Version, Now, rating, null));
    }

    [Fact]
    public void AutoEvaluate_AfterWaitingPeriod_EvaluatesWithoutInventingARating()
    {
        var subject = ACase().In(CaseStatus.Verified).Build();

        subject.AutoEvaluate(Actor.System, subject.Version, subject.VerifiedAt!.Value.AddDays(7), TimeSpan.FromDays(7));

        Assert.Equal(CaseStatus.Evaluated, subject.Status);
        Assert.True(subject.EvaluatedAutomatically);
        Assert.Null(subject.Rating);
        Assert.Equal("auto-evaluate", subject.Timeline[^1].Action);
    }

    [Fact]
    public void AutoEvaluate_BeforeWaitingPeriod_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Verified).Build();

        Refused.By("case.auto-evaluate.only-after-waiting-period",
            () => subject.AutoEvaluate(Actor.System, subject.Version, subject.VerifiedAt!.Value.AddDays(6), TimeSpan.FromDays(7)));
    }

    [Fact]
    public void AutoEvaluate_WhenNotVerified_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Handled).Build();

        Refused.By("case.auto-evaluate.only-when-verified",
            () => subject.AutoEvaluate(Actor.System, subject.Version, Now.AddDays(30), TimeSpan.FromDays(7)));
    }

    [Fact]
    public void AutoEvaluate_ByAUser_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Verified).Build();

        Refused.By("case.actor.system-only", () => subject.AutoEvaluate(Leader, subject.Version, Now.AddDays(30), TimeSpan.FromDays(7)));
    }

    [Fact]
    public void Close_WhenEvaluated_BecomesClosed()
    {
        var subject = ACase().In(CaseStatus.Evaluated).Build();

        subject.Close(Leader, subject.Version, Now);

        Assert.Equal(CaseStatus.Closed, subject.Status);
        Assert.Equal(Now, subject.ClosedAt);
    }

    [Fact]
    public void Close_WhenVerifiedAndNobodyCanEvaluate_BecomesClosed()
    {
        var subject = ACase().Anonymous().In(CaseStatus.Verified).Build();

        subject.Close(Leader, subject.Version, Now);

        Assert.Equal(CaseStatus.Closed, subject.Status);
    }

    [Theory]
    [InlineData(CaseStatus.Handled)]
    [InlineData(CaseStatus.Verified)]
    public void Close_WhenNotEvaluated_IsRefused(CaseStatus status)
    {
        var subject = ACase().In(status).Build();

        Refused.By("case.close.only-when-evaluated", () => subject.Close(Leader, subject.Version, Now));
    }

    [Fact]
    public void Return_ByAssignee_GoesBackToAcceptedWithoutAssignee()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();

        subject.Return(Actors.Worker, subject.Version, Now, "属于物业维修范围");

        Assert.Equal(CaseStatus.Accepted, subject.Status);
        Assert.Null(subject.AssigneeUserId);
        Assert.Null(subject.DueAt);
        Assert.Equal(("return", "属于物业维修范围", false), (subject.Timeline[^1].Action, subject.Timeline[^1].Note, subject.Timeline[^1].IsPublic));
    }

    [Fact]
    public void Return_WhenNotAssigned_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Accepted).Build();

        Refused.By("case.return.only-when-assigned-or-in-handling", () => subject.Return(Leader, subject.Version, Now, "不归我们管"));
    }

    [Fact]
    public void Return_WithoutReason_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Assigned).Build();

        Refused.By("case.return.reason-required", () => subject.Return(Actors.Worker, subject.Version, Now, ""));
    }

    [Fact]
    public void Transfer_ToSiblingGrid_ReroutesAndRecordsFromTo()
    {
        var subject = ACase().In(CaseStatus.Assigned).Build();

        subject.Transfer(Leader, subject.Version, Now, Codes.SiblingThirdGrid, "位置在隔壁网格");

        Assert.Equal((CaseStatus.Reported, Codes.SiblingThirdGrid), (subject.Status, subject.GridCode));
        Assert.Null(subject.AssigneeUserId);
        var entry = subject.Timeline[^1];
        Assert.Equal(("transfer", Codes.MicroGrid, Codes.SiblingThirdGrid), (entry.Action, entry.FromGridCode, entry.ToGridCode));
    }

    [Fact]
    public void Transfer_ToNeighbouringSubdistrict_LeavesItToThemToAccept()
    {
        var subject = ACase().Build();

        subject.Transfer(Leader, 0, Now, Codes.NeighbouringSubdistrictGrid, "定位偏差，实际在相邻街道");

        Assert.Equal(Codes.NeighbouringSubdistrictGrid, subject.GridCode);
        Refused.By("case.actor.owner-staff-only", () => subject.Accept(Leader, subject.Version, Now));
        subject.Accept(Actors.GridLeaderOf(Codes.NeighbouringSubdistrictGrid), subject.Version, Now);
        Assert.Equal(CaseStatus.Accepted, subject.Status);
    }

    [Theory]
    [InlineData(CaseStatus.Handled)]
    [InlineData(CaseStatus.Evaluated)]
    public void Transfer_AfterHandling_IsRefused(CaseStatus status)
    {
        var subject = ACase().In(status).Build();

        Refused.By("case.transfer.only-before-handled", () => subject.Transfer(Leader, subject.Version, Now, Codes.SiblingThirdGrid, "错派"));
    }

    [Fact]
    public void Transfer_WithoutReason_IsRefused()
    {
        var subject = ACase().Build();

        Refused.By("case.transfer.reason-required", () => subject.Transfer(Leader, 0, Now, Codes.SiblingThirdGrid, " "));
    }

    [Theory]
    [InlineData(Codes.MicroGrid)]
    [InlineData(Codes.Subdistrict)]
    [InlineData("61010309900101010")]
    [InlineData("61010309900A0102")]
    [InlineData("")]
    public void Transfer_ToTheSameOrAMalformedGrid_IsRefused(string toGridCode)
    {
        var subject = ACase().Build();

        Refused.By("case.transfer.to-another-valid-grid", () => subject.Transfer(Leader, 0, Now, toGridCode, "错派"));
    }

    [Fact]
    public void Escalate_GreenCaseByHand_BecomesYellowForTheCommunityToAssign()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();

        subject.Escalate(Leader, subject.Version, Now, "涉及多户居民纠纷，网格无法解决", automatic: false);

        Assert.Equal((CaseTier.Yellow, CaseStatus.Accepted), (subject.Tier, subject.Status));
        Assert.Null(subject.AssigneeUserId);
        var entry = subject.Timeline[^1];
        Assert.Equal((CaseTier.Green, CaseTier.Yellow, "false"), (entry.FromTier, entry.ToTier, entry.Details["automatic"]));
    }

    [Fact]
    public void Escalate_WhenReported_StaysReportedForTheNewOwner()
    {
        var subject = ACase().Build();

        subject.Escalate(Leader, 0, Now, "需社区协调", automatic: false);

        Assert.Equal((CaseTier.Yellow, CaseStatus.Reported), (subject.Tier, subject.Status));
    }

    [Fact]
    public void Escalate_WhenGreenCaseIsOverdue_BecomesYellow()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();
        var afterDue = subject.DueAt!.Value.AddMinutes(1);
        Assert.True(subject.IsOverdue(afterDue));

        subject.Escalate(Actor.System, subject.Version, afterDue, "超期未办结，自动升级", automatic: true);

        Assert.Equal(CaseTier.Yellow, subject.Tier);
        Assert.Equal("true", subject.Timeline[^1].Details["automatic"]);
        Assert.False(subject.IsOverdue(afterDue));
    }

    [Fact]
    public void Escalate_AutomaticallyWhenNotOverdue_IsRefused()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();

        Refused.By("case.escalate.automatic-only-when-overdue", () => subject.Escalate(Actor.System, subject.Version, Now, "超期", automatic: true));
    }

    [Fact]
    public void Escalate_AutomaticallyByAUser_IsRefused()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();

        Refused.By("case.actor.system-only", () => subject.Escalate(Leader, subject.Version, Now.AddDays(5), "超期", automatic: true));
    }

    [Fact]
    public void Escalate_RedCase_IsRefused()
    {
        var subject = ACase().OfTier(CaseTier.Red).In(CaseStatus.Accepted).Build();

        Refused.By("case.escalate.not-beyond-red",
            () => subject.Escalate(Actors.DistrictUserOf(Codes.District), subject.Version, Now, "再升级", automatic: false));
    }

    [Fact]
    public void Escalate_ClosedCase_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Evaluated).Build();
        subject.Close(Leader, subject.Version, Now);

        Refused.By("case.escalate.only-before-handled", () => subject.Escalate(Leader, subject.Version, Now, "升级", automatic: false));
    }

    [Fact]
    public void Escalate_HandledCase_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Handled).Build();

        Refused.By("case.escalate.only-before-handled", () => subject.Escalate(Leader, subject.Version, Now, "升级", automatic: false));
    }

    [Fact]
    public void Escalate_WithoutReason_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Accepted).Build();

        Refused.By("case.escalate.reason-required", () => subject.Escalate(Leader, subject.Version, Now, "", automatic: false));
    }

    [Fact]
    public void Park_WithReasonAndReviewDate_BecomesParked()
    {
        var subject = ACase().In(CaseStatus.Assigned).Build();
        var reviewOn = new DateOnly(2027, 3, 1);

        subject.Park(Leader, subject.Version, Now, "需等待老旧小区改造项目", reviewOn);

        Assert.Equal((CaseStatus.Parked, reviewOn, CaseStatus.Assigned), (subject.Status, subject.ParkedUntil, subject.StatusBeforeParking));
        Assert.Contains("2027年3月1日", subject.Timeline[^1].PublicText, StringComparison.Ordinal);
    }

    [Fact]
    public void Park_WhenReported_IsRefused()
    {
        var subject = ACase().Build();

        Refused.By("case.park.only-when-in-work", () => subject.Park(Leader, 0, Now, "等待改造", new DateOnly(2027, 3, 1)));
    }

    [Fact]
    public void Park_WithoutReason_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Accepted).Build();

        Refused.By("case.park.reason-required", () => subject.Park(Leader, subject.Version, Now, "", new DateOnly(2027, 3, 1)));
    }

    [Fact]
    public void Park_WithReviewDateTodayInChina_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Accepted).Build();
        var lateEveningUtc = new DateTimeOffset(2026, 11, 28, 17, 0, 0, TimeSpan.Zero);

        Refused.By("case.park.review-date-in-future",
            () => subject.Park(Leader, subject.Version, lateEveningUtc, "等待改造", new DateOnly(2026, 11, 29)));
    }

    [Fact]
    public void Resume_WhenParked_ReturnsToWhereItWas()
    {
        var subject = ACase().In(CaseStatus.Parked).Build();

        subject.Resume(Leader, subject.Version, Now);

        Assert.Equal(CaseStatus.Assigned, subject.Status);
        Assert.Null(subject.ParkedUntil);
    }

    [Fact]
    public void Resume_WhenNotParked_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Assigned).Build();

        Refused.By("case.resume.only-when-parked", () => subject.Resume(Leader, subject.Version, Now));
    }

    [Fact]
    public void Reopen_ByReporterAfterEvaluation_GoesBackToHandlingAndVoidsTheRating()
    {
        var subject = ACase().In(CaseStatus.Evaluated).Build();

        subject.Reopen(Actors.Reporter, subject.Version, Now, "杂物又堆回来了，没有真正解决");

        Assert.Equal(CaseStatus.InHandling, subject.Status);
        Assert.Null(subject.Rating);
        Assert.Null(subject.VerifiedAt);
        Assert.Equal(1, subject.ReopenCount);
        Assert.Equal(Actors.WorkerId, subject.AssigneeUserId);
    }

    [Theory]
    [InlineData(CaseStatus.InHandling)]
    [InlineData(CaseStatus.Reported)]
    public void Reopen_BeforeHandled_IsRefused(CaseStatus status)
    {
        var subject = ACase().In(status).Build();

        Refused.By("case.reopen.only-after-handled", () => subject.Reopen(Actors.Reporter, subject.Version, Now, "没解决"));
    }

    [Fact]
    public void Reopen_ClosedCase_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Evaluated).Build();
        subject.Close(Leader, subject.Version, Now);

        Refused.By("case.reopen.only-after-handled", () => subject.Reopen(Actors.Reporter, subject.Version, Now, "没解决"));
    }

    [Fact]
    public void Reopen_WithoutReason_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Verified).Build();

        Refused.By("case.reopen.reason-required", () => subject.Reopen(Actors.Reporter, subject.Version, Now, " "));
    }

    [Fact]
    public void MergeInto_AnotherCase_BecomesMergedAndFinal()
    {
        var subject = ACase().In(CaseStatus.Accepted).Build();

        subject.MergeInto(Leader, subject.Version, Now, "2026112700007");

        Assert.Equal((CaseStatus.Merged, "2026112700007"), (subject.Status, subject.MergedIntoNumber));
        Assert.True(subject.Status.IsFinal());
        Assert.Equal("2026112700007", subject.Timeline[^1].Details["merged-into"]);
    }

    [Fact]
    public void MergeInto_Itself_IsRefused()
    {
        var subject = ACase().Build();

        Refused.By("case.merge.into-another-case", () => subject.MergeInto(Leader, 0, Now, subject.Number));
    }

    [Fact]
    public void MergeInto_AfterHandling_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Handled).Build();

        Refused.By("case.merge.only-before-handled", () => subject.MergeInto(Leader, subject.Version, Now, "2026112700007"));
    }

    [Fact]
    public void RecordMediation_OnYellowCase_IsKeptWithoutChangingStatus()
    {
        var subject = ACase().OfTier(CaseTier.Yellow).In(CaseStatus.InHandling).Build();
        var community = Actors.CommunityStaffOf(Codes.Community);

        subject.RecordMediation(community, subject.Version, Now, ["张网格长", "派出所民警", "3 号楼居民代表"], Now.AddHours(-2), "社区议事厅", "物业三日内清理，居民不再堆放");

        Assert.Equal(CaseStatus.InHandling, subject.Status);
        var mediation = Assert.Single(subject.Mediations);
        Assert.Equal(3, mediation.Participants.Count);
        Assert.Equal("社区议事厅", mediation.Place);
    }

    [Fact]
    public void RecordMediation_OnGreenCase_IsRefused()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();

        Refused.By("case.mediation.only-yellow",
            () => subject.RecordMediation(Leader, subject.Version, Now, ["张网格长"], Now.AddHours(-1), "议事厅", "达成一致"));
    }

    [Fact]
    public void RecordMediation_OnRejectedCase_IsRefused()
    {
        var subject = ACase().OfTier(CaseTier.Yellow).Build();
        var community = Actors.CommunityStaffOf(Codes.Community);
        subject.Reject(community, 0, Now, "重复上报");

        Refused.By("case.mediation.only-when-open",
            () => subject.RecordMediation(community, subject.Version, Now, ["张网格长"], Now.AddHours(-1), "议事厅", "达成一致"));
    }

    [Theory]
    [InlineData("", "议事厅", "达成一致")]
    [InlineData(" 、 ", "议事厅", "达成一致")]
    [InlineData("张网格长", "", "达成一致")]
    [InlineData("张网格长", "议事厅", " ")]
    public void RecordMediation_Incomplete_IsRefused(string names, string place, string outcome)
    {
        var participants = names.Length == 0 ? [] : names.Split('、');
        var subject = ACase().OfTier(CaseTier.Yellow).In(CaseStatus.InHandling).Build();

        Refused.By("case.mediation.participants-place-outcome-required",
            () => subject.RecordMediation(Actors.CommunityStaffOf(Codes.Community), subject.Version, Now, participants, Now.AddHours(-1), place, outcome));
    }

    [Fact]
    public void RecordMediation_InTheFuture_IsRefused()
    {
        var subject = ACase().OfTier(CaseTier.Yellow).In(CaseStatus.InHandling).Build();

        Refused.By("case.mediation.not-in-future",
            () => subject.RecordMediation(Actors.CommunityStaffOf(Codes.Community), subject.Version, Now, ["张网格长"], Now.AddDays(1), "议事厅", "达成一致"));
    }

    [Fact]
    public void RecordMeetingDecision_OnBlueCase_IsKept()
    {
        var subject = ACase().OfTier(CaseTier.Blue).In(CaseStatus.Accepted).Build();
        var meeting = Guid.NewGuid();

        subject.RecordMeetingDecision(Actors.OperatorOf(Codes.Subdistrict), subject.Version, Now, meeting, "由城管牵头，三周内拆除违建");

        var decision = Assert.Single(subject.MeetingDecisions);
        Assert.Equal((meeting, "由城管牵头，三周内拆除违建"), (decision.MeetingId, decision.Decision));
        Assert.Equal(CaseStatus.Accepted, subject.Status);
    }

    [Fact]
    public void RecordMeetingDecision_OnYellowCase_IsRefused()
    {
        var subject = ACase().OfTier(CaseTier.Yellow).In(CaseStatus.Accepted).Build();

        Refused.By("case.meeting-decision.only-blue",
            () => subject.RecordMeetingDecision(Actors.OperatorOf(Codes.Subdistrict), subject.Version, Now, Guid.NewGuid(), "决定"));
    }

    [Fact]
    public void RecordMeetingDecision_WithoutMeetingOrDecision_IsRefused()
    {
        var subject = ACase().OfTier(CaseTier.Blue).In(CaseStatus.Accepted).Build();
        var centre = Actors.OperatorOf(Codes.Subdistrict);

        Refused.By("case.meeting-decision.meeting-and-decision-required",
            () => subject.RecordMeetingDecision(centre, subject.Version, Now, Guid.Empty, "决定"));
        Refused.By("case.meeting-decision.meeting-and-decision-required",
            () => subject.RecordMeetingDecision(centre, subject.Version, Now, Guid.NewGuid(), " "));
    }

    [Fact]
    public void RecordMeetingDecision_OnMergedCase_IsRefused()
    {
        var subject = ACase().OfTier(CaseTier.Blue).In(CaseStatus.Accepted).Build();
        var centre = Actors.OperatorOf(Codes.Subdistrict);
        subject.MergeInto(centre, subject.Version, Now, "2026112700007");

        Refused.By("case.meeting-decision.only-when-open",
            () => subject.RecordMeetingDecision(centre, subject.Version, Now, Guid.NewGuid(), "决定"));
    }

    [Fact]
    public void HandToDistrict_RedCase_KeepsTheOutboundRecord()
    {
        var subject = ACase().OfTier(CaseTier.Red).Build();
        var record = Guid.NewGuid();

        subject.HandToDistrict(Actors.OperatorOf(Codes.Subdistrict), 0, Now, record);

        Assert.Equal(record, subject.DistrictRecordId);
        Assert.Equal(CaseStatus.Reported, subject.Status);
    }

    [Fact]
    public void HandToDistrict_BlueCase_IsRefused()
    {
        var subject = ACase().OfTier(CaseTier.Blue).Build();

        Refused.By("case.hand-to-district.only-red", () => subject.HandToDistrict(Actors.OperatorOf(Codes.Subdistrict), 0, Now, Guid.NewGuid()));
    }

    [Fact]
    public void HandToDistrict_Twice_IsRefused()
    {
        var subject = ACase().OfTier(CaseTier.Red).Build();
        var centre = Actors.OperatorOf(Codes.Subdistrict);
        subject.HandToDistrict(centre, 0, Now, Guid.NewGuid());

        Refused.By("case.hand-to-district.only-once", () => subject.HandToDistrict(centre, subject.Version, Now, Guid.NewGuid()));
    }

    [Fact]
    public void HandToDistrict_WithoutRecord_IsRefused()
    {
        var subject = ACase().OfTier(CaseTier.Red).Build();

        Refused.By("case.hand-to-district.record-required", () => subject.HandToDistrict(Actors.OperatorOf(Codes.Subdistrict), 0, Now, Guid.Empty));
    }

    [Fact]
    public void HandToDistrict_RejectedCase_IsRefused()
    {
        var subject = ACase().OfTier(CaseTier.Red).Build();
        var district = Actors.DistrictUserOf(Codes.District);
        subject.Reject(district, 0, Now, "不属于区级事权");

        Refused.By("case.hand-to-district.only-when-open", () => subject.HandToDistrict(district, subject.Version, Now, Guid.NewGuid()));
    }

    [Fact]
    public void Supervise_ByTheCommunity_RecordsTheDeadlineForStaffOnly()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();

        subject.Supervise(Actors.CommunityStaffOf(Codes.Community), subject.Version, Now, "请今日内处理完毕", Now.AddHours(8));

        Assert.Equal((1, Now.AddHours(8), CaseStatus.InHandling), (subject.SupervisionCount, subject.SupervisionDueAt, subject.Status));
        Assert.False(subject.Timeline[^1].IsPublic);
    }

    [Fact]
    public void Supervise_BySystemOnOverdueCase_IsAllowed()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();
        var afterDue = subject.DueAt!.Value.AddHours(1);

        subject.Supervise(Actor.System, subject.Version, afterDue, "已超期，请尽快办理", afterDue.AddDays(1));

        Assert.Equal(1, subject.SupervisionCount);
    }

    [Fact]
    public void Supervise_ByTheOwningLevelItself_IsRefused()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();

        Refused.By("case.actor.higher-level-only", () => subject.Supervise(Leader, subject.Version, Now, "加快", Now.AddDays(1)));
    }

    [Fact]
    public void Supervise_ClosedCase_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Evaluated).Build();
        subject.Close(Leader, subject.Version, Now);

        Refused.By("case.supervise.only-when-open",
            () => subject.Supervise(Actors.CommunityStaffOf(Codes.Community), subject.Version, Now, "加快", Now.AddDays(1)));
    }

    [Fact]
    public void Supervise_WithoutNoteOrWithPastDue_IsRefused()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();
        var community = Actors.CommunityStaffOf(Codes.Community);

        Refused.By("case.supervise.note-required", () => subject.Supervise(community, subject.Version, Now, " ", Now.AddDays(1)));
        Refused.By("case.supervise.due-after-now", () => subject.Supervise(community, subject.Version, Now, "加快", Now.AddHours(-1)));
    }

    [Fact]
    public void Rules_HaveUniqueStableNamesAndBothLanguages()
    {
        var names = CaseRules.All.Select(r => r.Name).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(CaseRules.All, r => Assert.Matches("^case\\.[a-z0-9-]+\\.[a-z0-9-]+$", r.Name));
        Assert.All(CaseRules.All, r => Assert.Matches("\\p{IsCJKUnifiedIdeographs}", r.ChineseMessage));
    }
}
