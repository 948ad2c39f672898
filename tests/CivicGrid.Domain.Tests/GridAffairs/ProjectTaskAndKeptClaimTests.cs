using System.Text.Json;
using CivicGrid.Domain.GridAffairs;

namespace CivicGrid.Domain.Tests.GridAffairs;

public class ProjectTaskAndKeptClaimTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 6, 9, 0, 0, TimeSpan.FromHours(8));

    private static CommunityRule Broken(Action action) => Assert.Throws<CommunityRuleException>(action).Rule;

    private static Project Project(DateOnly? end = null) =>
        new("楼道焕新", ProjectKind.Governance, "清理楼道", ["6101030990010102", "6101030990010103"], [], new DateOnly(2026, 3, 1), end ?? new DateOnly(2026, 12, 31), null, Now);

    private static Claim TaskClaim() => Claim.ForAffair(ClaimTarget.ProjectTask, Guid.NewGuid().ToString(), "楼道焕新 · 清扫", "61010309900101",
        ClaimerKind.PartyMember, Guid.NewGuid(), "党员李明", new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30), "带两名邻居参加", Now);

    [Fact]
    public void AddTask_TakesTheProjectsScope_AndKeepsItsDayAndPeople()
    {
        var project = Project();
        var task = new ProjectTask(project, " 清扫楼道 ", new DateOnly(2026, 6, 8), 4, Now);
        Assert.Equal((project.Id, "61010309900101", "清扫楼道", 4), (task.ProjectId, task.ScopeCode, task.Name, task.PeopleWanted));
    }

    [Fact]
    public void AddTask_OutsideTheProjectsDates_NotLive_OrWithoutPeople_IsRefused()
    {
        var project = Project();
        Assert.Equal(CommunityRules.TaskOutsideProject, Broken(() => _ = new ProjectTask(project, "清扫", new DateOnly(2026, 2, 28), 4, Now)));
        Assert.Equal(CommunityRules.TaskOutsideProject, Broken(() => _ = new ProjectTask(project, "清扫", new DateOnly(2027, 1, 1), 4, Now)));
        Assert.Equal(CommunityRules.TaskPeople, Broken(() => _ = new ProjectTask(project, "清扫", new DateOnly(2026, 6, 8), 0, Now)));
        Assert.Equal(CommunityRules.TaskPeople, Broken(() => _ = new ProjectTask(project, "清扫", new DateOnly(2026, 6, 8), 1001, Now)));
        Assert.Equal(CommunityRules.TextRequired, Broken(() => _ = new ProjectTask(project, " ", new DateOnly(2026, 6, 8), 1, Now)));
        project.Cancel(new DateOnly(2026, 4, 1));
        Assert.Equal(CommunityRules.ProjectNotRunning, Broken(() => _ = new ProjectTask(project, "清扫", new DateOnly(2026, 6, 8), 4, Now)));
    }

    [Fact]
    public void KeptDuring_IsKeptWithSomethingDone_LapsedWithout_AndNullOutsideTheClaim()
    {
        var claim = TaskClaim();
        Assert.False(claim.KeptDuring(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30)));
        claim.Fulfil(new DateOnly(2026, 6, 8), "下雨改期", "社区", done: false);
        Assert.False(claim.KeptDuring(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30)));
        claim.Fulfil(new DateOnly(2026, 6, 15), "清扫完成", "社区");
        Assert.True(claim.KeptDuring(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30)));
        Assert.False(claim.KeptDuring(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 14)));
        Assert.Null(claim.KeptDuring(new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 31)));
        claim.End(new DateOnly(2026, 6, 20));
        Assert.Null(claim.KeptDuring(new DateOnly(2026, 6, 20), new DateOnly(2026, 6, 30)));
        Assert.True(claim.KeptDuring(new DateOnly(2026, 6, 19), new DateOnly(2026, 6, 30)) is not null);
    }

    [Fact]
    public void Fulfilment_StoredBeforeTheOutcomeWasKept_ReadsAsDone()
    {
        var old = JsonSerializer.Deserialize<ClaimFulfilment>("""{"On":"2026-06-08","Note":"清理楼道","RecordedBy":"社区"}""")!;
        Assert.True(old.Done);
        var notDone = JsonSerializer.Deserialize<ClaimFulfilment>("""{"On":"2026-06-08","Note":"未到","RecordedBy":"社区","Done":false}""")!;
        Assert.False(notDone.Done);
    }
}
