using CivicGrid.Domain.Accounts;

namespace CivicGrid.Domain.Tests;

public class UserAccountTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);
    private static readonly LockoutPolicy Policy = new(MaxFailedAttempts: 3, LockoutDuration: TimeSpan.FromMinutes(15));

    private static UserAccount Leader() => new("leader01", "王建国", [Role.GridLeader], "6101030990010101", Now);

    [Fact]
    public void RecordFailedLogin_AtTheLimit_LocksForTheLockoutDuration()
    {
        var user = Leader();

        Assert.False(user.RecordFailedLogin(Now, Policy));
        Assert.False(user.RecordFailedLogin(Now, Policy));
        Assert.True(user.RecordFailedLogin(Now, Policy));

        Assert.True(user.IsLockedOut(Now.AddMinutes(14)));
        Assert.False(user.IsLockedOut(Now.AddMinutes(15)));
    }

    [Fact]
    public void RecordSuccessfulLogin_ResetsTheFailureCount()
    {
        var user = Leader();
        user.RecordFailedLogin(Now, Policy);
        user.RecordFailedLogin(Now, Policy);

        user.RecordSuccessfulLogin(Now);

        Assert.False(user.RecordFailedLogin(Now, Policy));
        Assert.Equal(Now, user.LastLoginAt);
    }

    [Fact]
    public void NewUser_WithWholeSystemScope_MustBeAnAdministrator()
    {
        Assert.Throws<ArgumentException>(() => new UserAccount("ops", "值班员", [Role.SubdistrictOperator], string.Empty, Now));
        var admin = new UserAccount("admin", "管理员", [Role.SystemAdmin, Role.SecurityAdmin], string.Empty, Now);
        Assert.True(Scope.Of(admin).IsWholeSystem);
    }

    [Fact]
    public void ScopeOf_AResident_IsTheirOwnRecordsOnly()
    {
        var resident = new UserAccount("resident001", "李秀英", [Role.Resident], "610103099001010101", Now);

        var scope = Scope.Of(resident);

        Assert.True(scope.OwnRecordsOnly);
        Assert.Equal(resident.Id, scope.UserId);
        Assert.False(scope.Covers("610103099001010101"));
    }

    [Fact]
    public void ScopeOf_AResidentWhoIsAlsoAVolunteer_IsTheirSubtree()
    {
        var volunteer = new UserAccount("micro99", "赵大爷", [Role.Resident, Role.MicroGridWorker], "610103099001010101", Now);

        Assert.True(Scope.Of(volunteer).Covers("610103099001010101"));
    }

    [Fact]
    public void UserName_IsNormalisedForUniqueness()
    {
        Assert.Equal("LEADER01", new UserAccount(" Leader01 ", "王", [Role.GridLeader], "610103099", Now).NormalizedUserName);
    }
}

public class UserSessionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);
    private static readonly SessionPolicy Policy = new(IdleTimeout: TimeSpan.FromMinutes(30), AbsoluteTimeout: TimeSpan.FromHours(12));

    [Fact]
    public void IsAlive_AfterTheIdleLimit_IsFalse()
    {
        var session = new UserSession(Guid.NewGuid(), "web", null, Now, Policy);

        Assert.True(session.IsAlive(Now.AddMinutes(29), Policy));
        Assert.False(session.IsAlive(Now.AddMinutes(30), Policy));
    }

    [Fact]
    public void IsAlive_PastTheAbsoluteLimit_IsFalseWhateverTheActivity()
    {
        var session = new UserSession(Guid.NewGuid(), "web", null, Now, Policy);
        for (var t = Now; t < Now.AddHours(12); t = t.AddMinutes(20))
        {
            session.Touch(t, TimeSpan.FromMinutes(1));
        }

        Assert.False(session.IsAlive(Now.AddHours(12).AddMinutes(1), Policy));
    }

    [Fact]
    public void Touch_WithinTheGranularity_ChangesNothing()
    {
        var session = new UserSession(Guid.NewGuid(), "api", null, Now, Policy);

        Assert.False(session.Touch(Now.AddSeconds(30), TimeSpan.FromMinutes(1)));
        Assert.True(session.Touch(Now.AddMinutes(2), TimeSpan.FromMinutes(1)));
        Assert.Equal(Now.AddMinutes(2), session.LastSeenAt);
    }

    [Fact]
    public void End_MakesTheSessionDeadAtOnce()
    {
        var session = new UserSession(Guid.NewGuid(), "web", null, Now, Policy);

        session.End(Now.AddMinutes(1));

        Assert.False(session.IsAlive(Now.AddMinutes(1), Policy));
    }
}

public class PasswordRulesTests
{
    [Theory]
    [InlineData("CivicGrid#2026", null)]
    [InlineData("Short1!", "8")]
    [InlineData("alllowercase1", "三类")]
    [InlineData("Leader01#pass", "用户名")]
    public void Check_NamesTheBrokenRule(string password, string? expectedFragment)
    {
        var broken = PasswordRules.Check(password, "leader01");

        if (expectedFragment is null)
        {
            Assert.Null(broken);
        }
        else
        {
            Assert.Contains(expectedFragment, broken, StringComparison.Ordinal);
        }
    }
}
