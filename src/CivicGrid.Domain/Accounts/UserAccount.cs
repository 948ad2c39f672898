namespace CivicGrid.Domain.Accounts;

/// <summary>Lockout after repeated failed logins (MLPS 2.0 level 3: "login failure handling").</summary>
/// <param name="MaxFailedAttempts">Failures in a row that lock the account; at least 1.</param>
/// <param name="LockoutDuration">How long a locked account refuses every password, even the right one.</param>
public sealed record LockoutPolicy(int MaxFailedAttempts, TimeSpan LockoutDuration);

/// <summary>
/// A person's login. Passwords are kept only as ASP.NET Core Identity hashes; phone numbers are
/// personal data and leave the server masked unless the caller holds the permission to reveal them.
/// </summary>
public sealed class UserAccount
{
    private UserAccount()
    {
        UserName = null!;
        NormalizedUserName = null!;
        DisplayName = null!;
        PasswordHash = null!;
        ScopeCode = null!;
    }

    public UserAccount(string userName, string displayName, IEnumerable<Role> roles, string scopeCode, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        Id = Guid.CreateVersion7();
        UserName = userName.Trim();
        NormalizedUserName = Normalize(userName);
        DisplayName = displayName;
        Roles = roles.Distinct().Order().ToList();
        if (Roles.Count == 0)
        {
            throw new ArgumentException("A user holds at least one role.", nameof(roles));
        }

        CheckWholeSystem(Roles, scopeCode);

        ScopeCode = scopeCode;
        PasswordHash = string.Empty;
        CreatedAt = createdAt;
        IsActive = true;
    }

    public Guid Id { get; private set; }

    public string UserName { get; private set; }

    /// <summary>Upper-case invariant form of the user name, unique across the system.</summary>
    public string NormalizedUserName { get; private set; }

    public string DisplayName { get; set; }

    /// <summary>Mobile phone number in full; personal data, masked on output (see <c>Masking</c>).</summary>
    public string? PhoneNumber { get; set; }

    public string PasswordHash { get; private set; }

    public List<Role> Roles { get; private set; } = [];

    /// <summary>Root code of the subtree this user works in (for a resident: their home grid).</summary>
    public string ScopeCode { get; private set; }

    /// <summary>The department or property company the user works for, if any.</summary>
    public Guid? OrganisationId { get; set; }

    public bool IsActive { get; private set; }

    /// <summary>Set by a password reset: the one-time password given out must be replaced at the next sign-in.</summary>
    public bool MustChangePassword { get; private set; }

    /// <summary>When the account was deactivated (a leaver); null while active.</summary>
    public DateTimeOffset? DeactivatedAt { get; private set; }

    public int FailedLoginCount { get; private set; }

    public DateTimeOffset? LockedUntil { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? LastLoginAt { get; private set; }

    public DateTimeOffset? PasswordChangedAt { get; private set; }

    public bool HasRole(Role role) => Roles.Contains(role);

    public bool IsStaff => Roles.Any(Accounts.Roles.Staff.Contains);

    public bool IsLockedOut(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>Sets a new password hash (hashing is the caller's: ASP.NET Core Identity's hasher).</summary>
    public void ChangePassword(string passwordHash, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        PasswordHash = passwordHash;
        PasswordChangedAt = now;
        MustChangePassword = false;
    }

    /// <summary>Sets a one-time password (hashed by the caller) that must be changed at the next sign-in; unlocks the account.</summary>
    public void ResetPassword(string oneTimePasswordHash, DateTimeOffset now)
    {
        ChangePassword(oneTimePasswordHash, now);
        MustChangePassword = true;
        Unlock();
    }

    public void Rename(string displayName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        DisplayName = displayName.Trim();
    }

    /// <summary>
    /// Replaces the roles and the scope. The caller has checked them with <see cref="RoleRules.CheckAssignment"/> (which
    /// needs the scope's level); this only keeps the invariants the account can check alone.
    /// </summary>
    public void Assign(IEnumerable<Role> roles, string scopeCode)
    {
        var list = roles.Distinct().Order().ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A user holds at least one role.", nameof(roles));
        }

        CheckWholeSystem(list, scopeCode);
        Roles = list;
        ScopeCode = scopeCode;
    }

    /// <summary>Lifts a lockout and forgets the failed attempts.</summary>
    public void Unlock()
    {
        LockedUntil = null;
        FailedLoginCount = 0;
    }

    /// <summary>
    /// Locks the account everywhere until <paramref name="until"/> (sign-ins failed from too many addresses; see
    /// <see cref="SignInThrottle"/>), so that the account list shows it and an administrator can lift it.
    /// </summary>
    public void LockOut(DateTimeOffset until)
    {
        if (LockedUntil is not { } current || current < until)
        {
            LockedUntil = until;
        }
    }

    /// <summary>Counts a wrong password; locks the account when the policy's limit is reached.</summary>
    /// <returns>True when this failure locked the account.</returns>
    public bool RecordFailedLogin(DateTimeOffset now, LockoutPolicy policy)
    {
        FailedLoginCount++;
        if (FailedLoginCount < policy.MaxFailedAttempts)
        {
            return false;
        }

        LockedUntil = now + policy.LockoutDuration;
        FailedLoginCount = 0;
        return true;
    }

    public void RecordSuccessfulLogin(DateTimeOffset now)
    {
        FailedLoginCount = 0;
        LockedUntil = null;
        LastLoginAt = now;
    }

    /// <summary>Deactivates the account (a leaver): it can no longer sign in, and its sessions are refused from the next request.</summary>
    public void Deactivate(DateTimeOffset now)
    {
        if (IsActive)
        {
            IsActive = false;
            DeactivatedAt = now;
        }
    }

    public void Reactivate()
    {
        IsActive = true;
        DeactivatedAt = null;
        Unlock();
    }

    private static void CheckWholeSystem(IReadOnlyCollection<Role> roles, string scopeCode)
    {
        ArgumentNullException.ThrowIfNull(scopeCode);
        // An empty scope is the whole system for staff; residents only ever see their own records whatever the code.
        if (scopeCode.Length == 0 && !roles.All(Accounts.Roles.Administrators.Contains) && !roles.All(r => r == Role.Resident))
        {
            throw new ArgumentException("Only administrators may be scoped to the whole system.", nameof(scopeCode));
        }
    }

    public static string Normalize(string userName) => userName.Trim().ToUpperInvariant();
}
