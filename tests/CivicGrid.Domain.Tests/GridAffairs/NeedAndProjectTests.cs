using CivicGrid.Domain.GridAffairs;

namespace CivicGrid.Domain.Tests.GridAffairs;

public class NeedAndProjectTests
{
    private const string Micro = "610103099001010101";
    private const string Third = "6101030990010101";
    private const string OtherThird = "6101030990010102";
    private static readonly DateTimeOffset Now = new(2026, 5, 6, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateOnly Today = new(2026, 5, 6);

    private static Need Need(ServiceKind kind = ServiceKind.ElderlyCare) =>
        new(kind, NeedUrgency.Normal, "独居老人需要每周助餐", "3号楼独居老人", Micro, null, null, 108.95, 34.25, NeedSource.Visit, "visit-1", null, Now);

    private static Project Project(params string[] grids) =>
        new("光合共创·助老餐桌", ProjectKind.PublicService, "为独居老人每周送餐两次", grids, [], Today, null, null, Now);

    private static CommunityRule Broken(Action action) => Assert.Throws<CommunityRuleException>(action).Rule;

    [Fact]
    public void Need_StartsOpen_WithItsSourceKept()
    {
        var need = Need();
        Assert.Equal(NeedStatus.Open, need.Status);
        Assert.Equal((NeedSource.Visit, "visit-1"), (need.Source, need.SourceReference));
    }

    [Fact]
    public void Match_AResourceThatOffersTheKind_MakesTheNeedMatched()
    {
        var need = Need();
        var resource = Guid.NewGuid();
        need.Match(resource, [ServiceKind.ElderlyCare, ServiceKind.Health], resourceActive: true);
        Assert.Equal((NeedStatus.Matched, resource), (need.Status, need.ResourceId));
    }

    [Fact]
    public void Match_AResourceOfferingSomethingElse_BreaksResourceDoesNotOffer()
    {
        var need = Need();
        Assert.Equal(CommunityRules.ResourceDoesNotOffer, Broken(() => need.Match(Guid.NewGuid(), [ServiceKind.Legal], true)));
        Assert.Equal(NeedStatus.Open, need.Status);
    }

    [Fact]
    public void Match_ARetiredResource_BreaksResourceInactive() =>
        Assert.Equal(CommunityRules.ResourceInactive, Broken(() => Need().Match(Guid.NewGuid(), [ServiceKind.ElderlyCare], false)));

    [Fact]
    public void Meet_ByAProjectPlantedInTheNeedsGrid_LinksTheProject()
    {
        var need = Need();
        var project = Project(Third);
        need.Meet("已纳入助老餐桌", Now, project);
        Assert.Equal((NeedStatus.Met, project.Id), (need.Status, need.ProjectId));
    }

    [Fact]
    public void Meet_ByAProjectOfAnotherGrid_BreaksNeedOutsideProject()
    {
        var need = Need();
        Assert.Equal(CommunityRules.NeedOutsideProject, Broken(() => need.Meet("已纳入", Now, Project(OtherThird))));
        Assert.Equal(NeedStatus.Open, need.Status);
    }

    [Fact]
    public void Meet_ByACancelledProject_BreaksProjectNotRunning()
    {
        var project = Project(Third);
        project.Cancel(Today);
        Assert.Equal(CommunityRules.ProjectNotRunning, Broken(() => Need().Meet("已纳入", Now, project)));
    }

    [Fact]
    public void MetOrClosedNeed_CannotChangeAgain_ButAClosedOneReopens()
    {
        var met = Need();
        met.Meet("已解决", Now);
        Assert.Equal(CommunityRules.NeedNotOpen, Broken(() => met.Close("不需要了", Now)));
        Assert.Equal(CommunityRules.NeedNotClosed, Broken(met.Reopen));

        var closed = Need();
        closed.Match(Guid.NewGuid(), [ServiceKind.ElderlyCare], true);
        closed.Close("已搬走", Now);
        Assert.Equal(CommunityRules.NeedNotOpen, Broken(() => closed.Match(Guid.NewGuid(), [ServiceKind.ElderlyCare], true)));
        closed.Reopen();
        Assert.Equal(NeedStatus.Matched, closed.Status);
    }

    [Fact]
    public void Close_WithoutAReason_BreaksTextRequired() => Assert.Equal(CommunityRules.TextRequired, Broken(() => Need().Close("  ", Now)));

    [Fact]
    public void Project_PlannedRunningCompleted_KeepsItsFigures_AndRefusesOtherTransitions()
    {
        var project = Project(Third, OtherThird);
        Assert.Equal(CommunityRules.ProjectTransition, Broken(() => project.Complete(Today, 3, 10)));
        project.Start(Today);
        project.Count(5, 20);
        project.Complete(Today.AddDays(30), 8, 40);
        Assert.Equal((ProjectStatus.Completed, 8, 40, Today.AddDays(30)), (project.Status, project.Participants, project.Beneficiaries, project.EndOn));
        Assert.Equal(CommunityRules.ProjectNotRunning, Broken(() => project.Count(9, 41)));
        Assert.Equal(CommunityRules.ProjectTransition, Broken(() => project.Cancel(Today)));
    }

    [Fact]
    public void Project_NegativeCounts_NoGrids_OrEndBeforeStart_AreRefused()
    {
        Assert.Equal(CommunityRules.ProjectGrids, Broken(() => Project()));
        Assert.Equal(CommunityRules.ProjectDates,
            Broken(() => _ = new Project("项目", ProjectKind.Governance, "目标", [Third], [], Today, Today.AddDays(-1), null, Now)));
        Assert.Equal(CommunityRules.NegativeCount, Broken(() => Project(Third).Count(-1, 0)));
    }

    [Theory]
    [InlineData(new[] { "6101030990010101" }, "6101030990010101")]
    [InlineData(new[] { "6101030990010101", "6101030990010102" }, "61010309900101")]
    [InlineData(new[] { "6101030990010101", "6101030990020101" }, "610103099")]
    [InlineData(new[] { "610103099001010101", "6101030990010301" }, "610103099001")]
    public void CommonNode_IsTheNearestWholeLevelHoldingEveryGrid(string[] grids, string expected) => Assert.Equal(expected, CivicGrid.Domain.GridAffairs.Project.CommonNode(grids));
}
