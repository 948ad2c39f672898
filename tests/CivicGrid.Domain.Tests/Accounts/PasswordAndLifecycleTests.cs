using CivicGrid.Domain.Accounts;

namespace CivicGrid.Domain.Tests.Accounts;

public class PasswordRulesTests
{
    [Theory]
    [InlineData("P@ssw0rd")]
    [InlineData("Passw0rd!")]
    [InlineData("Admin@123")]
    [InlineData("Aa123456")]
    [InlineData("Qwerty123!")]
    [InlineData("1qaz@WSX")]
    [InlineData("Woaini1314!")]
    [InlineData("Huawei@2026")]
    [InlineData("Abc@12345")]
    [InlineData("PasswordPassword1")]
    public void Check_AWellKnownPasswordThatPassesTheComposition_IsRefused(string password)
    {
        var reason = PasswordRules.Check(password, "zhangsan");

        Assert.NotNull(reason);
        Assert.Contains("常见", reason);
    }

    [Theory]
    [InlineData("CivicGrid#2026")]
    [InlineData("Strong#Pass2026")]
    [InlineData("Hx7-kWq2-Rt9#")]
    [InlineData("Lao-Wang-Li-9")]
    public void Check_AnUncommonPassword_OfThreeKinds_IsAccepted(string password) => Assert.Null(PasswordRules.Check(password, "zhangsan"));

    [Fact]
    public void Check_TheCompositionRules_StillApply()
    {
        Assert.Contains("8", PasswordRules.Check("Ab1#", "u"));
        Assert.Contains("三类", PasswordRules.Check("abcdefghij", "u"));
        Assert.Contains("用户名", PasswordRules.Check("Zhangsan#2026x", "zhangsan"));
    }
}

public class AccountLifecycleDomainTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);
    private static readonly LockoutPolicy Policy = new(3, TimeSpan.FromMinutes(15));

    private static UserAccount Volunteer() => new("micro99", "李阿姨", [Role.MicroGridWorker], "610103099001010101", Now);

    [Fact]
    public void ResetPassword_RequiresAChangeAtTheNextSignIn_AndUnlocks_ChangingItClearsTheRequirement()
    {
        var user = Volunteer();
        for (var i = 0; i < 3; i++)
        {
            user.RecordFailedLogin(Now, Policy);
        }

        Assert.True(user.IsLockedOut(Now));
        user.ResetPassword("hash-one-time", Now);

        Assert.True(user.MustChangePassword);
        Assert.False(user.IsLockedOut(Now));
        user.ChangePassword("hash-new", Now.AddMinutes(1));
        Assert.False(user.MustChangePassword);
        Assert.Equal(Now.AddMinutes(1), user.PasswordChangedAt);
    }

    [Fact]
    public void Deactivate_KeepsWhen_ReactivateClearsIt()
    {
        var user = Volunteer();

        user.Deactivate(Now);
        user.Deactivate(Now.AddDays(1));
        Assert.False(user.IsActive);
        Assert.Equal(Now, user.DeactivatedAt);

        user.Reactivate();
        Assert.True(user.IsActive);
        Assert.Null(user.DeactivatedAt);
    }

    [Fact]
    public void Assign_ReplacesRolesAndScope_ButNeverGivesStaffTheWholeSystem()
    {
        var user = Volunteer();

        user.Assign([Role.GridWorker, Role.GridLeader, Role.GridWorker], "6101030990010101");
        Assert.Equal([Role.GridWorker, Role.GridLeader], user.Roles);
        Assert.Equal("6101030990010101", user.ScopeCode);

        Assert.Throws<ArgumentException>(() => user.Assign([Role.GridWorker], string.Empty));
        Assert.Throws<ArgumentException>(() => user.Assign([Role.Resident, Role.CommunityStaff], string.Empty));
        Assert.Throws<ArgumentException>(() => user.Assign([], "610103099"));
    }

    [Fact]
    public void Constructor_AResidentWithAStaffRole_CannotHaveTheWholeSystem() =>
        Assert.Throws<ArgumentException>(() => new UserAccount("mixed", "混合", [Role.Resident, Role.CommunityStaff], string.Empty, Now));

    [Fact]
    public void Unlock_ForgetsTheFailures()
    {
        var user = Volunteer();
        user.RecordFailedLogin(Now, Policy);
        user.RecordFailedLogin(Now, Policy);

        user.Unlock();

        Assert.False(user.RecordFailedLogin(Now, Policy));
        Assert.False(user.RecordFailedLogin(Now, Policy));
    }
}
