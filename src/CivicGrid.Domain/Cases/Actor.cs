using CivicGrid.Domain.Accounts;

namespace CivicGrid.Domain.Cases;

/// <summary>
/// Who performs a case transition: a signed-in user with their roles and scope, or the system itself
/// (background jobs: overdue escalation, automatic evaluation). <see cref="CaseRules"/> decides what each may do.
/// </summary>
/// <param name="UserId">The user; <see cref="Guid.Empty"/> only for <see cref="System"/>.</param>
/// <param name="DisplayName">The name written on the timeline (staff see it; residents do not).</param>
/// <param name="Roles">The roles the user holds.</param>
/// <param name="Scope">The subtree the user works in, or own records only for a resident.</param>
/// <param name="DepartmentId">
/// The organisation the user works for; a department liaison (下沉人员) handles cases assigned to it.
/// </param>
public sealed record Actor(Guid UserId, string DisplayName, IReadOnlySet<Role> Roles, Scope Scope, Guid? DepartmentId = null)
{
    /// <summary>The system acting for itself. Only this instance counts as the system, whatever its fields.</summary>
    public static Actor System { get; } = new(Guid.Empty, "系统", new HashSet<Role>(), Scope.System);

    /// <summary>True only for <see cref="System"/>; a user can never act as the system.</summary>
    public bool IsSystem => ReferenceEquals(this, System);

    /// <summary>
    /// Set only for <see cref="AnonymousReporter"/>: the case this caller proved, with the follow token handed out at
    /// intake, to have reported without an account.
    /// </summary>
    public string? ReporterOfCaseNumber { get; init; }

    public bool HasRole(Role role) => Roles.Contains(role);

    /// <summary>
    /// The anonymous reporter of one case, who proved it with the case's follow token: may verify and evaluate that
    /// case like a signed-in reporter, nothing else.
    /// </summary>
    public static Actor AnonymousReporter(string caseNumber)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseNumber);
        return new(Guid.Empty, "匿名报告人", new HashSet<Role>(), Scope.Nobody) { ReporterOfCaseNumber = caseNumber };
    }

    /// <summary>The actor for a signed-in user.</summary>
    public static Actor Of(UserAccount user) =>
        new(user.Id, user.DisplayName, user.Roles.ToHashSet(), Scope.Of(user), user.OrganisationId);
}
