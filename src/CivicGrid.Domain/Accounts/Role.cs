namespace CivicGrid.Domain.Accounts;

/// <summary>What a user does in CivicGrid. A user may hold several (community staff often lead a grid too).</summary>
public enum Role
{
    Resident = 1,
    MicroGridWorker = 2,
    GridWorker = 3,
    GridLeader = 4,
    PropertyStaff = 5,
    CommunityStaff = 6,
    SubdistrictOperator = 7,
    DepartmentLiaison = 8,
    DistrictViewer = 9,

    /// <summary>Runs the system (configuration, imports). MLPS level 3 separates the three administrators.</summary>
    SystemAdmin = 10,

    /// <summary>Manages accounts, roles and security settings.</summary>
    SecurityAdmin = 11,

    /// <summary>Reads the audit trail; changes nothing else.</summary>
    AuditAdmin = 12,
}

public static class Roles
{
    /// <summary>Roles whose holders work on cases of a region (everyone but residents).</summary>
    public static readonly IReadOnlySet<Role> Staff = new HashSet<Role>
    {
        Role.MicroGridWorker, Role.GridWorker, Role.GridLeader, Role.PropertyStaff, Role.CommunityStaff,
        Role.SubdistrictOperator, Role.DepartmentLiaison, Role.DistrictViewer,
        Role.SystemAdmin, Role.SecurityAdmin, Role.AuditAdmin,
    };

    public static readonly IReadOnlySet<Role> Administrators = new HashSet<Role>
    {
        Role.SystemAdmin, Role.SecurityAdmin, Role.AuditAdmin,
    };

    /// <summary>
    /// Roles that may see a case reporter's name and phone in full, one case at a time and audited (查看完整个人信息):
    /// the community (社区两委), the subdistrict operations centre and the district, who call reporters back and settle
    /// matters with them. Everyone else works with masked data.
    /// </summary>
    public static readonly IReadOnlySet<Role> RevealPersonalData = new HashSet<Role>
    {
        Role.CommunityStaff, Role.SubdistrictOperator, Role.DistrictViewer,
    };

    /// <summary>
    /// Roles that handle what they are given rather than watch a region (物业, 微网格员): of the cases, they see only those
    /// they reported and those assigned to them (ADR 0026). Property staff fix their compounds' problems, volunteers
    /// report and help in a few buildings; neither needs the descriptions, photos and reporters of their neighbours' cases.
    /// </summary>
    public static readonly IReadOnlySet<Role> OwnCasesOnly = new HashSet<Role> { Role.PropertyStaff, Role.MicroGridWorker };

    /// <summary>
    /// True when <paramref name="roles"/> see only their own cases: at least one role of <see cref="OwnCasesOnly"/> and
    /// nothing that watches a region besides (a resident's account held beside it adds nothing; a grid worker who is also
    /// a volunteer keeps the grid worker's reach).
    /// </summary>
    public static bool SeeOwnCasesOnly(IEnumerable<Role> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var held = roles as IReadOnlyCollection<Role> ?? [.. roles];
        return held.Any(OwnCasesOnly.Contains) && held.All(r => OwnCasesOnly.Contains(r) || r == Role.Resident);
    }

    /// <summary>
    /// Roles that may read the server's operational metrics (运行指标: request rates, intake and job counters): the system
    /// and security administrators who run the installation. The audit administrator reviews records rather than running
    /// the system, and business roles have no need for them; none of the metrics carries case content.
    /// </summary>
    public static readonly IReadOnlySet<Role> ReadMetrics = new HashSet<Role>
    {
        Role.SystemAdmin, Role.SecurityAdmin,
    };

    /// <summary>True when one of <paramref name="roles"/> may read the operational metrics (<see cref="ReadMetrics"/>).</summary>
    public static bool MayReadMetrics(IEnumerable<Role> roles) => roles.Any(ReadMetrics.Contains);

    /// <summary>
    /// Roles that sign in with a password and a second factor (TOTP) where the installation requires it: the three
    /// administrators and every role that may reveal personal data (MLPS level 3 asks for two factors for both).
    /// </summary>
    public static readonly IReadOnlySet<Role> NeedSecondFactor = new HashSet<Role>(Administrators.Concat(RevealPersonalData));

    /// <summary>
    /// True for someone who may be signed in on a phone by a one-time code a community staff member issues: a field
    /// volunteer (a micro-grid worker) or a resident council member (a resident's account), holding no staff-grade role
    /// besides. Staff-grade roles always sign in with their password (and second factor).
    /// </summary>
    public static bool MaySignInByCode(IReadOnlyCollection<Role> roles) =>
        roles.Count > 0 && roles.All(r => r is Role.MicroGridWorker or Role.Resident);

    /// <summary>The role name used in tokens, cookies and the API (kebab-case, stable).</summary>
    public static string ToClaimValue(this Role role) => role switch
    {
        Role.Resident => "resident",
        Role.MicroGridWorker => "micro-grid-worker",
        Role.GridWorker => "grid-worker",
        Role.GridLeader => "grid-leader",
        Role.PropertyStaff => "property-staff",
        Role.CommunityStaff => "community-staff",
        Role.SubdistrictOperator => "subdistrict-operator",
        Role.DepartmentLiaison => "department-liaison",
        Role.DistrictViewer => "district-viewer",
        Role.SystemAdmin => "system-admin",
        Role.SecurityAdmin => "security-admin",
        Role.AuditAdmin => "audit-admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static bool TryParseClaimValue(string value, out Role role)
    {
        foreach (var candidate in Enum.GetValues<Role>())
        {
            if (candidate.ToClaimValue() == value)
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }

    /// <summary>Chinese display name of a role.</summary>
    public static string ToChinese(this Role role) => role switch
    {
        Role.Resident => "居民",
        Role.MicroGridWorker => "微网格员",
        Role.GridWorker => "网格员",
        Role.GridLeader => "网格长",
        Role.PropertyStaff => "物业人员",
        Role.CommunityStaff => "社区工作人员",
        Role.SubdistrictOperator => "街道城运中心值班员",
        Role.DepartmentLiaison => "下沉人员",
        Role.DistrictViewer => "区级用户",
        Role.SystemAdmin => "系统管理员",
        Role.SecurityAdmin => "安全管理员",
        Role.AuditAdmin => "审计管理员",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };
}
