namespace CivicGrid.Domain.GridAffairs;

/// <summary>
/// One task of a project (项目任务: "清扫楼道 6 月 8 日 需要 4 人") that a party member or a public unit claims (认领). Its scope is
/// the project's. A task is added while the project is planned or running, on a day inside the project's dates.
/// </summary>
public sealed class ProjectTask
{
    public const int MaxPeopleWanted = 1000;

    private ProjectTask()
    {
        Name = null!;
        ScopeCode = null!;
    }

    /// <param name="on">The Beijing day the task is done.</param>
    /// <param name="peopleWanted">How many people it needs, 1–<see cref="MaxPeopleWanted"/>.</param>
    public ProjectTask(Project project, string name, DateOnly on, int peopleWanted, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(project);
        CommunityRules.Require(project.IsLive, CommunityRules.ProjectNotRunning);
        CommunityRules.Require(on >= project.StartOn && (project.EndOn is null || on <= project.EndOn), CommunityRules.TaskOutsideProject);
        CommunityRules.Require(peopleWanted is >= 1 and <= MaxPeopleWanted, CommunityRules.TaskPeople);
        Id = Guid.CreateVersion7();
        ProjectId = project.Id;
        ScopeCode = project.ScopeCode;
        Name = CommunityRules.Text(name, CommunityRules.TextRequired, CommunityRules.MaxNameLength);
        On = on;
        PeopleWanted = peopleWanted;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    /// <summary>The project's scope code; the scope of the record.</summary>
    public string ScopeCode { get; private set; }

    public string Name { get; private set; }

    /// <summary>The Beijing day the task is done.</summary>
    public DateOnly On { get; private set; }

    public int PeopleWanted { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}
