using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;

namespace CivicGrid.Domain.Tests.Cases;

/// <summary>Codes of one small territory: a micro-grid inside a 3rd-level grid, its siblings and its ancestors.</summary>
internal static class Codes
{
    public const string District = "610103";
    public const string Subdistrict = "610103099";
    public const string Community = "610103099001";
    public const string SecondGrid = "61010309900101";
    public const string ThirdGrid = "6101030990010101";
    public const string MicroGrid = "610103099001010101";
    public const string SiblingThirdGrid = "6101030990010102";
    public const string OtherCommunity = "610103099002";
    public const string NeighbouringSubdistrictGrid = "6101030980010101";
}

/// <summary>The people who act on cases in the tests, each with the roles and scope the workflow checks.</summary>
internal static class Actors
{
    public static readonly Guid ReporterId = Guid.Parse("00000000-0000-0000-0000-00000000a001");
    public static readonly Guid WorkerId = Guid.Parse("00000000-0000-0000-0000-00000000b001");
    public static readonly Guid CityManagementId = Guid.Parse("00000000-0000-0000-0000-00000000d001");

    public static Actor Reporter { get; } = Resident(ReporterId, "王居民");

    /// <summary>The grid worker cases are assigned to by <see cref="CaseBuilder"/>.</summary>
    public static Actor Worker { get; } = Staff(WorkerId, "李网格员", Codes.ThirdGrid, Role.GridWorker);

    public static Actor Resident(Guid id, string name) =>
        new(id, name, new HashSet<Role> { Role.Resident }, new Scope(Codes.MicroGrid, true, id));

    public static Actor ANeighbour() => Resident(Guid.NewGuid(), "赵邻居");

    public static Actor GridLeaderOf(string gridCode) => Staff(Guid.NewGuid(), "张网格长", gridCode, Role.GridLeader);

    public static Actor GridWorkerOf(string gridCode) => Staff(Guid.NewGuid(), "陈网格员", gridCode, Role.GridWorker);

    public static Actor MicroGridWorkerOf(string gridCode) => Staff(Guid.NewGuid(), "孙微网格员", gridCode, Role.MicroGridWorker);

    public static Actor CommunityStaffOf(string communityCode) => Staff(Guid.NewGuid(), "刘社区干部", communityCode, Role.CommunityStaff);

    public static Actor OperatorOf(string subdistrictCode) => Staff(Guid.NewGuid(), "周值班员", subdistrictCode, Role.SubdistrictOperator);

    public static Actor DistrictUserOf(string districtCode) => Staff(Guid.NewGuid(), "吴区级干部", districtCode, Role.DistrictViewer);

    public static Actor SystemAdmin() => Staff(Guid.NewGuid(), "系统管理员", string.Empty, Role.SystemAdmin);

    public static Actor LiaisonOf(Guid departmentId, string scopeCode = Codes.Subdistrict) =>
        Staff(Guid.NewGuid(), "郑下沉人员", scopeCode, Role.DepartmentLiaison) with { DepartmentId = departmentId };

    /// <summary>Staff of the level that owns a case of this colour in <see cref="Codes"/>' territory.</summary>
    public static Actor OwnerOf(CaseTier tier) => tier switch
    {
        CaseTier.Green => GridLeaderOf(Codes.ThirdGrid),
        CaseTier.Yellow => CommunityStaffOf(Codes.Community),
        CaseTier.Blue => OperatorOf(Codes.Subdistrict),
        CaseTier.Red => DistrictUserOf(Codes.District),
        _ => throw new ArgumentOutOfRangeException(nameof(tier)),
    };

    private static Actor Staff(Guid id, string name, string scopeCode, Role role) =>
        new(id, name, new HashSet<Role> { role }, new Scope(scopeCode, false, id));
}

/// <summary>Asserts that a verb is refused by the named rule.</summary>
internal static class Refused
{
    public static CaseRuleException By(string rule, Action act)
    {
        var refusal = Assert.Throws<CaseRuleException>(act);
        Assert.Equal(rule, refusal.Rule);
        Assert.False(string.IsNullOrWhiteSpace(refusal.Message));
        Assert.False(string.IsNullOrWhiteSpace(refusal.ChineseMessage));
        return refusal;
    }
}
