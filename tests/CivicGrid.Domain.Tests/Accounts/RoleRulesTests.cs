using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Tests.Accounts;

public class RoleRulesTests
{
    [Theory]
    [InlineData(new[] { Role.CommunityStaff }, "610103099001", GridLevel.Community)]
    [InlineData(new[] { Role.GridLeader, Role.GridWorker }, "6101030990010101", GridLevel.Third)]
    [InlineData(new[] { Role.MicroGridWorker }, "610103099001010101", GridLevel.Micro)]
    [InlineData(new[] { Role.SubdistrictOperator }, "610103099", GridLevel.Subdistrict)]
    [InlineData(new[] { Role.DepartmentLiaison }, "6101030990010101", GridLevel.Third)]
    [InlineData(new[] { Role.DistrictViewer }, "610103", GridLevel.District)]
    [InlineData(new[] { Role.Resident }, "610103099001010101", GridLevel.Micro)]
    [InlineData(new[] { Role.SecurityAdmin }, "610103099", GridLevel.Subdistrict)]
    public void CheckAssignment_AllowsRolesAtTheirLevel(Role[] roles, string scope, GridLevel level) =>
        Assert.Null(RoleRules.CheckAssignment(roles, scope, level));

    [Theory]
    [InlineData(Role.SystemAdmin)]
    [InlineData(Role.SecurityAdmin)]
    [InlineData(Role.AuditAdmin)]
    public void CheckAssignment_AWholeSystemScope_IsForAnAdministratorAlone(Role role) =>
        Assert.Null(RoleRules.CheckAssignment([role], string.Empty, null));

    [Theory]
    [InlineData(Role.CommunityStaff)]
    [InlineData(Role.SubdistrictOperator)]
    [InlineData(Role.DistrictViewer)]
    [InlineData(Role.Resident)]
    public void CheckAssignment_AWholeSystemScope_IsRefusedToEveryoneElse(Role role) =>
        Assert.Contains("只有管理员", RoleRules.CheckAssignment([role], string.Empty, null));

    [Fact]
    public void CheckAssignment_ResidentWithAStaffRole_IsRefused_WhateverTheScope()
    {
        Assert.Contains("居民角色不能", RoleRules.CheckAssignment([Role.Resident, Role.CommunityStaff], string.Empty, null));
        Assert.Contains("居民角色不能", RoleRules.CheckAssignment([Role.Resident, Role.MicroGridWorker], "610103099001010101", GridLevel.Micro));
    }

    [Fact]
    public void CheckAssignment_AnAdministratorWithABusinessRole_IsRefused()
    {
        Assert.Contains("三员分立", RoleRules.CheckAssignment([Role.SecurityAdmin, Role.CommunityStaff], "610103099001", GridLevel.Community));
        Assert.Contains("三员分立", RoleRules.CheckAssignment([Role.AuditAdmin, Role.SubdistrictOperator], "610103099", GridLevel.Subdistrict));
    }

    [Fact]
    public void CheckAssignment_TwoAdministratorRolesInOneAccount_AreRefused() =>
        Assert.Contains("不同账户", RoleRules.CheckAssignment([Role.SystemAdmin, Role.SecurityAdmin], string.Empty, null));

    [Theory]
    [InlineData(Role.GridWorker, GridLevel.Subdistrict)]
    [InlineData(Role.GridWorker, GridLevel.Community)]
    [InlineData(Role.MicroGridWorker, GridLevel.Third)]
    [InlineData(Role.CommunityStaff, GridLevel.Subdistrict)]
    [InlineData(Role.SubdistrictOperator, GridLevel.Community)]
    [InlineData(Role.DistrictViewer, GridLevel.Subdistrict)]
    public void CheckAssignment_ARoleAtAnotherLevel_IsRefused_NamingTheLevelsItNeeds(Role role, GridLevel level)
    {
        var reason = RoleRules.CheckAssignment([role], "610103099", level);

        Assert.NotNull(reason);
        Assert.Contains(role.ToChinese(), reason);
        Assert.Contains(level.ToChinese(), reason);
    }

    [Fact]
    public void CheckAssignment_AScopeThatIsNoGrid_IsRefused() =>
        Assert.Contains("找不到", RoleRules.CheckAssignment([Role.CommunityStaff], "610103099777", null));

    [Fact]
    public void CheckAssignment_NoRole_IsRefused() => Assert.NotNull(RoleRules.CheckAssignment([], "610103099", GridLevel.Subdistrict));

    [Fact]
    public void CheckGranter_TheSecurityAdmin_GrantsAnything_CommunityStaffOnlyVolunteersAndResidents()
    {
        Assert.Null(RoleRules.CheckGranter([Role.SecurityAdmin], [Role.AuditAdmin]));
        Assert.Null(RoleRules.CheckGranter([Role.SecurityAdmin], [Role.CommunityStaff]));
        Assert.Null(RoleRules.CheckGranter([Role.CommunityStaff], [Role.MicroGridWorker]));
        Assert.Null(RoleRules.CheckGranter([Role.CommunityStaff], [Role.Resident]));
        Assert.Contains("微网格员", RoleRules.CheckGranter([Role.CommunityStaff], [Role.CommunityStaff]));
        Assert.Contains("微网格员", RoleRules.CheckGranter([Role.CommunityStaff], [Role.MicroGridWorker, Role.GridWorker]));
        Assert.Contains("安全管理员", RoleRules.CheckGranter([Role.SystemAdmin], [Role.MicroGridWorker]));
        Assert.Contains("安全管理员", RoleRules.CheckGranter([Role.SubdistrictOperator], [Role.Resident]));
    }

    [Fact]
    public void NeedsApproval_OnlyForAdministratorRoles()
    {
        Assert.True(RoleRules.NeedsApproval([Role.AuditAdmin]));
        Assert.False(RoleRules.NeedsApproval([Role.CommunityStaff, Role.GridLeader]));
    }

    [Fact]
    public void Business_IsEveryStaffRoleButTheAdministrators()
    {
        Assert.DoesNotContain(Role.SystemAdmin, RoleRules.Business);
        Assert.DoesNotContain(Role.Resident, RoleRules.Business);
        Assert.Contains(Role.DepartmentLiaison, RoleRules.Business);
        Assert.Equal(Roles.Staff.Count - 3, RoleRules.Business.Count);
    }
}

public class RoleGrantRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);
    private static readonly Guid Asker = Guid.NewGuid();
    private static readonly Guid Subject = Guid.NewGuid();

    private static RoleGrantRequest Request() => new(Subject, [Role.AuditAdmin], string.Empty, activatesAccount: true, Asker, "secadmin", Now);

    [Fact]
    public void CheckDecider_TheAskerCannotApproveTheirOwnRequest() =>
        Assert.Contains("另一名管理员", Request().CheckDecider(Asker, [Role.SecurityAdmin]));

    [Fact]
    public void CheckDecider_TheSubjectCannotApproveTheirOwnRole() =>
        Assert.Contains("自己", Request().CheckDecider(Subject, [Role.SecurityAdmin]));

    [Fact]
    public void CheckDecider_AnAuditAdminOrAStaffMember_MayNotDecide()
    {
        Assert.NotNull(Request().CheckDecider(Guid.NewGuid(), [Role.AuditAdmin]));
        Assert.NotNull(Request().CheckDecider(Guid.NewGuid(), [Role.CommunityStaff]));
    }

    [Fact]
    public void Decide_ByASecondAdministrator_IsKept_AndCannotBeDecidedAgain()
    {
        var request = Request();
        var second = Guid.NewGuid();

        Assert.Null(request.CheckDecider(second, [Role.SystemAdmin]));
        request.Decide(approve: true, second, "admin", "核实无误", Now.AddMinutes(5));

        Assert.Equal(RoleGrantStatus.Approved, request.Status);
        Assert.Equal(second, request.DecidedBy);
        Assert.Equal("核实无误", request.Note);
        Assert.Equal("该申请已处理。", request.CheckDecider(Guid.NewGuid(), [Role.SystemAdmin]));
        Assert.Throws<InvalidOperationException>(() => request.Decide(approve: false, second, "admin", null, Now));
    }
}
