using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Accounts;

/// <summary>
/// What a caller may see and change: a subtree of the territorial tree given by its root code, or,
/// for a resident, only the records they own. Every query in CivicGrid is filtered by one of these.
/// </summary>
/// <param name="Code">Root of the subtree; empty for the whole system.</param>
/// <param name="OwnRecordsOnly">True for residents: only records whose owner is <paramref name="UserId"/>.</param>
/// <param name="UserId">The caller; <see cref="Guid.Empty"/> for the system itself or an anonymous caller.</param>
/// <param name="OwnCasesOnly">
/// True for property staff and micro-grid volunteers (<see cref="Roles.SeeOwnCasesOnly"/>): of the cases, only those they
/// reported or that are assigned to them, wherever they lie; the rest of their subtree (grids, places, rooms) as any staff.
/// </param>
public sealed record Scope(string Code, bool OwnRecordsOnly, Guid UserId, bool OwnCasesOnly = false)
{
    /// <summary>The system acting for itself (start-up, operator commands, background jobs).</summary>
    public static Scope System { get; } = new(string.Empty, false, Guid.Empty);

    /// <summary>Someone not logged in: sees no scoped records at all.</summary>
    public static Scope Nobody { get; } = new("-", true, Guid.Empty);

    public bool IsWholeSystem => !OwnRecordsOnly && Code.Length == 0;

    /// <summary>True when a node or record under <paramref name="code"/> is inside this scope's subtree.</summary>
    public bool Covers(string code) => !OwnRecordsOnly && GridCodes.IsWithin(code, Code);

    /// <summary>The scope of a user: residents own records only; everyone else a subtree.</summary>
    public static Scope Of(UserAccount user) => For(user.ScopeCode, user.Roles, user.Id);

    /// <summary>
    /// The scope of someone holding <paramref name="roles"/> at <paramref name="code"/>: residents own records only;
    /// property staff and volunteers a subtree with their own cases only (<see cref="Roles.SeeOwnCasesOnly"/>); everyone
    /// else a subtree.
    /// </summary>
    public static Scope For(string code, IReadOnlyCollection<Role> roles, Guid userId)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return new(code, roles.All(r => r == Role.Resident), userId, Roles.SeeOwnCasesOnly(roles));
    }
}
