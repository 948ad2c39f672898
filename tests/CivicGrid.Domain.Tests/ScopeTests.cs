using CivicGrid.Domain.Accounts;

namespace CivicGrid.Domain.Tests;

public class ScopeTests
{
    [Fact]
    public void Covers_WhenCodeIsInsideSubtree_IsTrue()
    {
        var scope = new Scope("610103099001", false, Guid.NewGuid());

        Assert.True(scope.Covers("610103099001"));
        Assert.True(scope.Covers("61010309900101"));
        Assert.False(scope.Covers("610103099002"));
        Assert.False(scope.Covers("610103099"));
    }

    [Fact]
    public void Covers_ForResident_IsNeverTrue()
    {
        var scope = new Scope("610103099001", true, Guid.NewGuid());

        Assert.False(scope.Covers("61010309900101"));
    }

    [Fact]
    public void System_CoversEverything()
    {
        Assert.True(Scope.System.IsWholeSystem);
        Assert.True(Scope.System.Covers("610103"));
        Assert.False(Scope.Nobody.Covers("610103"));
    }

    [Theory]
    [InlineData(new[] { Role.PropertyStaff }, true)]
    [InlineData(new[] { Role.MicroGridWorker }, true)]
    [InlineData(new[] { Role.MicroGridWorker, Role.Resident }, true)]
    [InlineData(new[] { Role.PropertyStaff, Role.MicroGridWorker }, true)]
    [InlineData(new[] { Role.MicroGridWorker, Role.GridWorker }, false)]
    [InlineData(new[] { Role.PropertyStaff, Role.DepartmentLiaison }, false)]
    [InlineData(new[] { Role.GridLeader }, false)]
    [InlineData(new[] { Role.CommunityStaff }, false)]
    [InlineData(new[] { Role.SubdistrictOperator }, false)]
    [InlineData(new[] { Role.Resident }, false)]
    [InlineData(new Role[0], false)]
    public void SeeOwnCasesOnly_HoldsForPropertyStaffAndVolunteers_WithNothingThatWatchesARegion(Role[] roles, bool expected) =>
        Assert.Equal(expected, Roles.SeeOwnCasesOnly(roles));

    [Fact]
    public void For_PropertyStaff_KeepsTheSubtree_ButOnlyTheirOwnCases()
    {
        var id = Guid.NewGuid();

        var property = Scope.For("610103099001", [Role.PropertyStaff], id);
        var leader = Scope.For("610103099001001", [Role.GridLeader], id);
        var resident = Scope.For("61010309900100101", [Role.Resident], id);

        Assert.True(property.OwnCasesOnly);
        Assert.False(property.OwnRecordsOnly);
        Assert.True(property.Covers("61010309900101")); // grids, places and rooms as before: only cases narrow
        Assert.False(leader.OwnCasesOnly);
        Assert.False(resident.OwnCasesOnly);
        Assert.True(resident.OwnRecordsOnly);
    }
}
