namespace CivicGrid.Domain.Accounts;

public enum RoleGrantStatus
{
    Pending = 1,
    Approved,
    Rejected,
}

/// <summary>
/// A request to give an account an administrator role (MLPS level 3: granting an administrator needs a second
/// administrator's approval). The account keeps its roles (a new one stays inactive) until another administrator than the
/// one who asked approves; then <see cref="Roles"/> and <see cref="ScopeCode"/> replace the account's.
/// </summary>
public sealed class RoleGrantRequest
{
    private RoleGrantRequest()
    {
        ScopeCode = null!;
        RequestedByName = null!;
    }

    public RoleGrantRequest(Guid userId, IEnumerable<Role> roles, string scopeCode, bool activatesAccount, Guid requestedBy, string requestedByName,
        DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        UserId = userId;
        Roles = roles.Distinct().Order().ToList();
        ScopeCode = scopeCode;
        ActivatesAccount = activatesAccount;
        RequestedBy = requestedBy;
        RequestedByName = requestedByName;
        RequestedAt = now;
        Status = RoleGrantStatus.Pending;
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The account's whole role set once approved.</summary>
    public List<Role> Roles { get; private set; } = [];

    public string ScopeCode { get; private set; }

    /// <summary>True for a new account created with the role: approval also activates it.</summary>
    public bool ActivatesAccount { get; private set; }

    public Guid RequestedBy { get; private set; }

    public string RequestedByName { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public RoleGrantStatus Status { get; private set; }

    public Guid? DecidedBy { get; private set; }

    public string? DecidedByName { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public string? Note { get; private set; }

    /// <summary>Null when <paramref name="decider"/> may decide it, else why not (Chinese).</summary>
    public string? CheckDecider(Guid decider, IReadOnlyCollection<Role> deciderRoles)
    {
        if (Status != RoleGrantStatus.Pending)
        {
            return "该申请已处理。";
        }

        if (decider == RequestedBy)
        {
            return "授予管理员角色须由另一名管理员审批，申请人不能审批自己的申请。";
        }

        if (decider == UserId)
        {
            return "不能审批授予自己的角色。";
        }

        return deciderRoles.Contains(Role.SecurityAdmin) || deciderRoles.Contains(Role.SystemAdmin)
            ? null
            : "只有系统管理员或安全管理员可以审批管理员角色的授予。";
    }

    public void Decide(bool approve, Guid decider, string deciderName, string? note, DateTimeOffset now)
    {
        if (Status != RoleGrantStatus.Pending)
        {
            throw new InvalidOperationException("The request was already decided.");
        }

        Status = approve ? RoleGrantStatus.Approved : RoleGrantStatus.Rejected;
        DecidedBy = decider;
        DecidedByName = deciderName;
        DecidedAt = now;
        Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
    }
}
