using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Accounts;

/// <summary>
/// Which roles an account may hold together and at which level of the tree (MLPS level 3 separation of duties and
/// least privilege), and who may grant them. Each check answers null when allowed, else the reason in Chinese.
/// </summary>
public static class RoleRules
{
    /// <summary>Roles that work on cases: every staff role but the three administrators.</summary>
    public static readonly IReadOnlySet<Role> Business = new HashSet<Role>(Roles.Staff.Except(Roles.Administrators));

    /// <summary>What community staff may create and manage in their own community: the micro-grid volunteers (and residents).</summary>
    public static readonly IReadOnlySet<Role> CommunityGrantable = new HashSet<Role> { Role.MicroGridWorker, Role.Resident };

    /// <summary>The levels of the tree a holder of each role may be scoped to (a grid worker to grids, not to a subdistrict).</summary>
    public static IReadOnlySet<GridLevel> LevelsFor(Role role) => role switch
    {
        Role.Resident => new HashSet<GridLevel> { GridLevel.Community, GridLevel.Second, GridLevel.Third, GridLevel.Micro },
        Role.MicroGridWorker => new HashSet<GridLevel> { GridLevel.Micro },
        Role.GridWorker => new HashSet<GridLevel> { GridLevel.Second, GridLevel.Third },
        Role.GridLeader => new HashSet<GridLevel> { GridLevel.Community, GridLevel.Second, GridLevel.Third },
        Role.PropertyStaff => new HashSet<GridLevel> { GridLevel.Community, GridLevel.Second, GridLevel.Third },
        Role.CommunityStaff => new HashSet<GridLevel> { GridLevel.Community },
        Role.SubdistrictOperator => new HashSet<GridLevel> { GridLevel.Subdistrict },
        Role.DepartmentLiaison => new HashSet<GridLevel> { GridLevel.Subdistrict, GridLevel.Community, GridLevel.Second, GridLevel.Third },
        Role.DistrictViewer => new HashSet<GridLevel> { GridLevel.District },
        Role.SystemAdmin or Role.SecurityAdmin or Role.AuditAdmin => new HashSet<GridLevel> { GridLevel.District, GridLevel.Subdistrict },
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>
    /// Checks a set of roles with a scope: at least one role; residents hold no staff role; administrators hold no business
    /// role; an empty (whole-system) scope only for administrators; otherwise the scope's level fits every role.
    /// </summary>
    /// <param name="scopeLevel">The level of the grid named by the scope code; null when the code is empty.</param>
    public static string? CheckAssignment(IReadOnlyCollection<Role> roles, string scopeCode, GridLevel? scopeLevel)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(scopeCode);
        if (roles.Count == 0)
        {
            return "至少选择一个角色。";
        }

        if (roles.Contains(Role.Resident) && roles.Any(r => r != Role.Resident))
        {
            return "居民角色不能与工作人员角色同时授予同一账户，请为工作人员另建账户。";
        }

        var administrators = roles.Count(Roles.Administrators.Contains);
        if (administrators > 0 && administrators < roles.Count)
        {
            return "管理员（系统、安全、审计）不得兼任业务角色（三员分立）。";
        }

        if (administrators > 1)
        {
            return "系统管理员、安全管理员、审计管理员须由不同账户担任（三员分立）。";
        }

        if (scopeCode.Length == 0)
        {
            return administrators == roles.Count ? null : "只有管理员可以管辖全部范围，请选择网格。";
        }

        if (scopeLevel is not { } level)
        {
            return $"找不到编号为 {scopeCode} 的网格。";
        }

        foreach (var role in roles)
        {
            if (!LevelsFor(role).Contains(level))
            {
                return $"{role.ToChinese()}的管辖范围须为{string.Join("或", LevelsFor(role).Order().Select(l => l.ToChinese()))}，不能是{level.ToChinese()}。";
            }
        }

        return null;
    }

    /// <summary>
    /// Whether someone holding <paramref name="granterRoles"/> may give an account the <paramref name="roles"/>: the
    /// security administrator any role (administrator roles then wait for a second administrator's approval); community
    /// staff only volunteers and residents; nobody else.
    /// </summary>
    public static string? CheckGranter(IReadOnlyCollection<Role> granterRoles, IReadOnlyCollection<Role> roles)
    {
        if (granterRoles.Contains(Role.SecurityAdmin))
        {
            return null;
        }

        if (granterRoles.Contains(Role.CommunityStaff) && roles.All(CommunityGrantable.Contains))
        {
            return null;
        }

        return granterRoles.Contains(Role.CommunityStaff)
            ? "社区工作人员只能为微网格员和居民建立账户，其他角色请联系安全管理员。"
            : "只有安全管理员可以管理账户和角色。";
    }

    /// <summary>True when granting these roles needs a second administrator's approval (any administrator role).</summary>
    public static bool NeedsApproval(IEnumerable<Role> roles) => roles.Any(Roles.Administrators.Contains);
}
