using CivicGrid.Domain.Accounts;

namespace CivicGrid.Server.Demo;

/// <summary>A well-known demo login, for the start-up banner.</summary>
/// <param name="UserName">The login name.</param>
/// <param name="Role">What the account does, in Chinese (e.g. 网格长).</param>
/// <param name="ScopeName">Where it works, in Chinese: the name of its scope node, with its organisation if any.</param>
public sealed record DemoAccountInfo(string UserName, string Role, string ScopeName);

/// <summary>
/// User names of the demo accounts that exist in every generated dataset, one per kind of user, so a
/// presenter can log in as each of them. Numbered accounts (leader02, resident117…) exist too.
/// </summary>
public static class DemoAccounts
{
    public const string Admin = "admin";
    public const string SecurityAdmin = "secadmin";
    public const string AuditAdmin = "auditor";
    public const string DistrictViewer = "district";

    /// <summary>Duty operator of the main subdistrict's operations centre.</summary>
    public const string Operator = "ops";
    public const string CommunityStaff = "community01";
    public const string GridLeader = "leader01";
    public const string GridWorker = "worker01";
    public const string MicroGridWorker = "micro01";
    public const string PropertyStaff = "property01";
    public const string DepartmentLiaison = "police01";
    public const string Resident = "resident001";

    /// <summary>Duty operator of the neighbouring subdistrict: sees none of the main subdistrict's cases.</summary>
    public const string NeighbourOperator = "ops-east";

    private static readonly string[] WellKnown =
    [
        Admin, SecurityAdmin, AuditAdmin, DistrictViewer, Operator, NeighbourOperator, CommunityStaff, GridWorker,
        GridLeader, MicroGridWorker, PropertyStaff, DepartmentLiaison, Resident,
    ];

    /// <summary>The well-known accounts of <paramref name="dataset"/> with their role and scope in Chinese.</summary>
    public static IReadOnlyList<DemoAccountInfo> Describe(DemoDataset dataset)
    {
        var gridNames = dataset.Grids.ToDictionary(g => g.Code, g => g.Name);
        var organisationNames = dataset.Organisations.ToDictionary(o => o.Id, o => o.Name);
        var users = dataset.Users.ToDictionary(u => u.UserName);
        var described = new List<DemoAccountInfo>(WellKnown.Length);
        foreach (var userName in WellKnown)
        {
            if (!users.TryGetValue(userName, out var user))
            {
                continue;
            }

            var scope = user.ScopeCode.Length == 0 ? "全系统" : gridNames.GetValueOrDefault(user.ScopeCode, user.ScopeCode);
            if (user.OrganisationId is { } organisationId && organisationNames.TryGetValue(organisationId, out var organisation))
            {
                scope = $"{organisation}（{scope}）";
            }

            described.Add(new DemoAccountInfo(user.UserName, string.Join("、", user.Roles.Select(r => r.ToChinese())), scope));
        }

        return described;
    }
}
