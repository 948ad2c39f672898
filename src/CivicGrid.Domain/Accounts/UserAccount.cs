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

        if (scopeCode.Length == 0 && !Roles.All(Accounts.Roles.Administrators.Contains) && !Roles.Contains(Role.Resident))
        {
            throw new ArgumentException("Only administrators may be scoped to the whole system.", nameof(scopeCode));
        }

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

    public void Deactivate() => IsActive = false;

    public static string Normalize(string userName) => userName.Trim().ToUpperInvariant();
}
