using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Tests.Assessment;

public class AssessmentRunTests
{
    private static readonly DateTimeOffset At = new(2026, 7, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Staff = Guid.NewGuid();
    private const string East = "110101001001";
    private const string West = "110101001002";

    private static AssessmentRun.Computation Final(string digest = "abc123abc123abc") =>
        new(1, digest, At, At.AddDays(-1), true, [East, West, East]);

    private static AssessmentRun Computed(bool ended = true) =>
        AssessmentRun.Start(Guid.NewGuid(), "110101001", AssessmentPeriod.Quarter(2026, 2), "grid", GridLevel.Third,
            ended ? Final() : Final() with { PeriodEnded = false }, null, "系统");

    private static RunRuleException Broken(Action act) => Assert.Throws<RunRuleException>(act);

    private static void Review(AssessmentRun run, string community)
    {
        run.RecordReview(ReviewStage.Community, community, Guid.NewGuid(), Staff, "社区", At, "二季度评议会");
        run.ApproveCommunity(community, "东关社区", Staff, "社区", At);
    }

    [Fact]
    public void Start_IsProvisional_WithEachCommunityOnce_AndAttributed()
    {
        var run = Computed();

        Assert.Equal(RunStatus.Provisional, run.Status);
        Assert.Equal([East, West], run.Communities);
        var entry = Assert.Single(run.History);
        Assert.Equal(RunAction.Compute, entry.Action);
        Assert.Equal("系统", entry.ByName);
    }

    [Fact]
    public void FullPath_CouncilThenBothCommunitiesThenSubdistrict_Publishes()
    {
        var run = Computed();
        run.OpenCouncil(Staff, "街道", At);
        run.CloseCouncil(Staff, "街道", At);
        Review(run, East);
        Assert.Equal(RunStatus.CouncilClosed, run.Status); // one community of two
        Review(run, West);
        Assert.Equal(RunStatus.CommunityReviewed, run.Status);
        run.RecordReview(ReviewStage.Subdistrict, "110101001", Guid.NewGuid(), Staff, "街道", At, "街道评议会");
        run.ApproveSubdistrict(Staff, "街道", At);
        run.Publish(Staff, "街道", At);

        Assert.Equal(RunStatus.Published, run.Status);
        Assert.Equal(
            [RunAction.Compute, RunAction.OpenCouncil, RunAction.CloseCouncil, RunAction.RecordReview, RunAction.ApproveCommunity, RunAction.RecordReview,
             RunAction.ApproveCommunity, RunAction.RecordReview, RunAction.ApproveSubdistrict, RunAction.Publish],
            run.History.Select(h => h.Action));
        Assert.All(run.History.Zip(run.History.Skip(1)), p => Assert.Equal(p.First.To, p.Second.From));
    }

    [Fact]
    public void Publish_BeforeBothApprovals_IsRefused()
    {
        var run = Computed();
        Assert.Equal("publish-after-approval", Broken(() => run.Publish(Staff, "街道", At)).Rule);
        Review(run, East);
        Review(run, West);
        Assert.Equal("publish-after-approval", Broken(() => run.Publish(Staff, "街道", At)).Rule);
        Assert.Equal("subdistrict-meeting-first", Broken(() => run.ApproveSubdistrict(Staff, "街道", At)).Rule);
    }

    [Fact]
    public void Approval_WithoutAMeeting_AndTheSubdistrictBeforeTheCommunities_AreRefused()
    {
        var run = Computed();
        Assert.Equal("community-meeting-first", Broken(() => run.ApproveCommunity(East, "东关社区", Staff, "社区", At)).Rule);
        Assert.Equal("communities-first", Broken(() => run.ApproveSubdistrict(Staff, "街道", At)).Rule);
        var refused = Broken(() => run.RecordReview(ReviewStage.Subdistrict, "110101001", Guid.NewGuid(), Staff, "街道", At, "早了"));
        Assert.Contains("各社区", refused.ChineseMessage);
    }

    [Fact]
    public void Review_WhileTheCouncilScores_OrBeforeThePeriodEnds_OrOfAnotherCommunity_IsRefused()
    {
        var open = Computed();
        open.OpenCouncil(Staff, "街道", At);
        Assert.Contains("议事会评议尚在进行", open.WhyNoReview(ReviewStage.Community, East));

        Assert.Contains("尚未结束", Computed(ended: false).WhyNoReview(ReviewStage.Community, East));
        Assert.Contains("没有该社区", Computed().WhyNoReview(ReviewStage.Community, "110101001009"));
    }

    [Fact]
    public void Recompute_IsAllowedUntilTheFirstReview_AndNeverAfterPublication()
    {
        var run = Computed();
        run.Recompute(Final("fedcba987654321"), null, "系统");
        Assert.Equal("fedcba987654321", run.InputDigest);

        run.RecordReview(ReviewStage.Community, East, Guid.NewGuid(), Staff, "社区", At, "评议");
        Assert.False(run.MayRecompute);
        Assert.Equal("recompute-after-review", Broken(() => run.Recompute(Final(), null, "系统")).Rule);
    }

    [Fact]
    public void Council_ClosesOnlyWhenOpen_AndOpensOnlyFromProvisional()
    {
        var run = Computed();
        Assert.Equal("council-close-when-open", Broken(() => run.CloseCouncil(Staff, "街道", At)).Rule);
        run.OpenCouncil(Staff, "街道", At);
        Assert.Equal("council-open-from-provisional", Broken(() => run.OpenCouncil(Staff, "街道", At)).Rule);
    }

    [Fact]
    public void ACommunity_ApprovesOnce()
    {
        var run = Computed();
        Review(run, East);
        Assert.Contains("已审议通过", run.WhyNoReview(ReviewStage.Community, East));
        Assert.Equal("community-review-not-open", Broken(() => run.ApproveCommunity(East, "东关社区", Staff, "社区", At)).Rule);
    }

    [Fact]
    public void AppealCorrection_IsRecordedOnlyOnAPublishedRun_WhichStaysPublished_WithItsDigest()
    {
        var run = Computed();
        Assert.Null(run.PublishedAt);
        Assert.Equal("appeal-after-publication", Broken(() => run.RecordAppealCorrection(Staff, "社区", At, "更正")).Rule);

        Review(run, East);
        Review(run, West);
        run.RecordReview(ReviewStage.Subdistrict, "110101001", Guid.NewGuid(), Staff, "街道", At, "街道评议");
        run.ApproveSubdistrict(Staff, "街道", At);
        run.Publish(Staff, "街道", At.AddHours(1));
        var digest = run.InputDigest;
        var version = run.Version;

        run.RecordAppealCorrection(Staff, "社区复核人", At.AddDays(2), "东区·按时处置率：0/1 → 1/1（停电）");

        Assert.Equal(RunStatus.Published, run.Status);
        Assert.Equal(At.AddHours(1), run.PublishedAt);
        Assert.Equal(digest, run.InputDigest);
        Assert.Equal(version + 1, run.Version);
        var entry = run.History[^1];
        Assert.Equal((RunAction.CorrectOnAppeal, RunStatus.Published, RunStatus.Published, "社区复核人"), (entry.Action, entry.From, entry.To, entry.ByName));
        Assert.Contains("停电", entry.Note);
    }

    [Fact]
    public void AWorkersRun_HasNoLevel_AndIsDeliberatedPublishedAndCorrectedOnAppeal_LikeAGridsRun()
    {
        var run = AssessmentRun.Start(Guid.NewGuid(), "110101001", AssessmentPeriod.Quarter(2026, 2), "worker", null, Final(), null, "系统");
        Review(run, East);
        Review(run, West);
        run.RecordReview(ReviewStage.Subdistrict, "110101001", Guid.NewGuid(), Staff, "街道", At, "网格人员评议会");
        run.ApproveSubdistrict(Staff, "街道", At);
        run.Publish(Staff, "街道", At);
        run.RecordAppealCorrection(Staff, "社区复核人", At.AddDays(2), "张三·巡查步数达标率：1/63 → 63/63（纸质记录）");

        Assert.Equal(("worker", (GridLevel?)null, RunStatus.Published), (run.Subject, run.Level, run.Status));
        Assert.Equal([East, West], run.CommunityApprovals.Select(a => a.CommunityCode));
        Assert.Equal(At, run.PublishedAt);
        Assert.Equal("recompute-after-review", Broken(run.EnsureMayRecompute).Rule);
    }
}
