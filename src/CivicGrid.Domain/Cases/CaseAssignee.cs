namespace CivicGrid.Domain.Cases;

/// <summary>
/// Whom a case is assigned to (交办): one person (a grid worker, property staff) or a department whose
/// liaisons (下沉人员) may all handle it. Exactly one of <see cref="UserId"/> and <see cref="DepartmentId"/> is set.
/// </summary>
public sealed record CaseAssignee
{
    private CaseAssignee(Guid? userId, Guid? departmentId, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        UserId = userId;
        DepartmentId = departmentId;
        Name = name;
    }

    public Guid? UserId { get; }

    public Guid? DepartmentId { get; }

    /// <summary>The person's or department's name, e.g. 张网格长 or 区城管执法局; shown on the timeline.</summary>
    public string Name { get; }

    /// <exception cref="ArgumentException">The id is empty.</exception>
    public static CaseAssignee User(Guid userId, string name) =>
        userId == Guid.Empty ? throw new ArgumentException("An assignee has an id.", nameof(userId)) : new(userId, null, name);

    /// <exception cref="ArgumentException">The id is empty.</exception>
    public static CaseAssignee Department(Guid departmentId, string name) =>
        departmentId == Guid.Empty ? throw new ArgumentException("A department has an id.", nameof(departmentId)) : new(null, departmentId, name);
}
