using CivicGrid.Domain.Accounts;

namespace CivicGrid.Domain.Tests.Accounts;

/// <summary>Who may read the operational metrics: the installation's operators, nobody who works on cases.</summary>
public class MetricsReadersTests
{
    [Theory]
    [InlineData(Role.SystemAdmin)]
    [InlineData(Role.SecurityAdmin)]
    public void MayReadMetrics_TheSystemAndSecurityAdministrators_May(Role role) =>
        Assert.True(Roles.MayReadMetrics([role]));

    [Fact]
    public void MayReadMetrics_NoBusinessRole_NorTheAuditAdministrator_May() =>
        Assert.All(Enum.GetValues<Role>().Where(r => r is not Role.SystemAdmin and not Role.SecurityAdmin),
            role => Assert.False(Roles.MayReadMetrics([role]), $"{role} must not read the metrics"));

    [Fact]
    public void MayReadMetrics_AnyOperatorRoleAmongOthers_Suffices_AndNoRoleAtAllDoesNot()
    {
        Assert.True(Roles.MayReadMetrics([Role.CommunityStaff, Role.SecurityAdmin]));
        Assert.False(Roles.MayReadMetrics([]));
    }
}
