using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Organisations;

/// <summary>
/// A department liaison (下沉人员) sunk into one third-level grid (or dedicated grid) from one day to another (条块下网). Rows are
/// never deleted: an attachment that ends gets its last day, so who served where and when stays on record.
/// </summary>
public sealed class LiaisonAttachment
{
    private LiaisonAttachment()
    {
        GridCode = null!;
    }

    private LiaisonAttachment(Guid userId, Guid departmentId, string gridCode, DateOnly startsOn, Guid? createdBy, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7();
        UserId = userId;
        DepartmentId = departmentId;
        GridCode = gridCode;
        StartsOn = startsOn;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    /// <summary>The liaison's account.</summary>
    public Guid UserId { get; private set; }

    /// <summary>The department that sank them (kept even if the person later moves to another department).</summary>
    public Guid DepartmentId { get; private set; }

    /// <summary>A third-level or dedicated grid.</summary>
    public string GridCode { get; private set; }

    /// <summary>First day of service in the grid (Beijing date).</summary>
    public DateOnly StartsOn { get; private set; }

    /// <summary>Last day of service; null while it lasts.</summary>
    public DateOnly? EndsOn { get; private set; }

    public Guid? CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Whether the liaison serves the grid on <paramref name="day"/>.</summary>
    public bool IsCurrentOn(DateOnly day) => StartsOn <= day && (EndsOn is null || EndsOn >= day);

    /// <summary>
    /// Sinks <paramref name="liaison"/> of <paramref name="department"/> into <paramref name="grid"/> from <paramref name="startsOn"/>:
    /// the person holds the liaison role and works for the department, the department is a department in service, and the grid
    /// is a third-level (or dedicated) grid inside both the liaison's scope and the department's region.
    /// </summary>
    public static LiaisonAttachment Attach(UserAccount liaison, Organisation department, ScopeNode grid, DateOnly startsOn, Guid? by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(liaison);
        ArgumentNullException.ThrowIfNull(department);
        ArgumentNullException.ThrowIfNull(grid);
        EnsureMayServe(liaison, department);
        OrganisationRules.Require(grid.Level == GridLevel.Third, OrganisationRules.LiaisonGridLevel);
        OrganisationRules.Require(GridCodes.IsWithin(grid.Code, liaison.ScopeCode) && GridCodes.IsWithin(grid.Code, department.ScopeCode),
            OrganisationRules.LiaisonGridOutsideScope);
        return new LiaisonAttachment(liaison.Id, department.Id, grid.Code, startsOn, by, at);
    }

    /// <summary>The person is a liaison of this department, and the department is a department in service.</summary>
    public static void EnsureMayServe(UserAccount liaison, Organisation department)
    {
        ArgumentNullException.ThrowIfNull(liaison);
        ArgumentNullException.ThrowIfNull(department);
        OrganisationRules.Require(department.Kind == OrganisationKind.Department, OrganisationRules.LiaisonNotDepartment);
        OrganisationRules.Require(department.IsActive, OrganisationRules.Retired);
        OrganisationRules.Require(liaison.Roles.Contains(Role.DepartmentLiaison), OrganisationRules.LiaisonRole);
        OrganisationRules.Require(liaison.OrganisationId == department.Id, OrganisationRules.LiaisonDepartment);
    }

    /// <summary>Ends the attachment on <paramref name="lastDay"/> (inclusive); an attachment that never began ends the day it starts.</summary>
    public void End(DateOnly lastDay)
    {
        OrganisationRules.Require(EndsOn is null || EndsOn >= lastDay, OrganisationRules.AttachmentDates);
        EndsOn = lastDay < StartsOn ? StartsOn : lastDay;
    }

    /// <summary>
    /// What setting a liaison's grids to <paramref name="wanted"/> from <paramref name="from"/> means for the attachments in force:
    /// those for grids no longer wanted end the day before; wanted grids without one are started; the rest stay as they are.
    /// Only grids <paramref name="mayChange"/> allows are touched (a community's staff change their community's grids only).
    /// </summary>
    public static (IReadOnlyList<LiaisonAttachment> ToEnd, IReadOnlyList<string> ToStart) Plan(IEnumerable<LiaisonAttachment> current,
        IEnumerable<string> wanted, DateOnly from, Func<string, bool> mayChange)
    {
        ArgumentNullException.ThrowIfNull(mayChange);
        var inForce = current.Where(a => a.EndsOn is null || a.EndsOn >= from).ToList();
        var wantedSet = wanted.ToHashSet(StringComparer.Ordinal);
        var toEnd = inForce.Where(a => !wantedSet.Contains(a.GridCode) && mayChange(a.GridCode)).ToList();
        var toStart = wantedSet.Where(code => inForce.All(a => a.GridCode != code)).Order(StringComparer.Ordinal).ToList();
        return (toEnd, toStart);
    }
}
