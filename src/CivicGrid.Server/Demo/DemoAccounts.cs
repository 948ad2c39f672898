using CivicGrid.Domain.Accounts;

namespace CivicGrid.Server.Demo;

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

    /// <summary>One account of each kind, in the order the start-up banner lists them.</summary>
    public static IReadOnlyList<string> WellKnown { get; } =
    [
        Admin, SecurityAdmin, AuditAdmin, DistrictViewer, Operator, NeighbourOperator, CommunityStaff, GridWorker,
        GridLeader, MicroGridWorker, PropertyStaff, DepartmentLiaison, Resident,
    ];
}
