using CivicGrid.Domain.Accounts;

namespace CivicGrid.Domain.Tests.Accounts;

public class SignInGrantTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);
    private static readonly TrustedDevicePolicy DevicePolicy = new(Lifetime: TimeSpan.FromDays(90), IdleTimeout: TimeSpan.FromDays(30));

    [Fact]
    public void SignInCode_IsOpenUntilItExpires_AndUsableOnce()
    {
        var (token, hash) = OneTimeToken.New();
        var code = new SignInCode(Guid.NewGuid(), Guid.NewGuid(), hash, Now, TimeSpan.FromMinutes(5));

        Assert.Equal(OneTimeToken.Hash(token), code.TokenHash);
        Assert.Equal(GrantState.Open, code.StateAt(Now.AddMinutes(4)));
        Assert.Equal(GrantState.Expired, code.StateAt(Now.AddMinutes(5)));

        code.Use(Now.AddMinutes(1));

        Assert.Equal(GrantState.Used, code.StateAt(Now.AddMinutes(2)));
        Assert.Throws<InvalidOperationException>(() => code.Use(Now.AddMinutes(2)));
    }

    [Fact]
    public void SignInChallenge_Expired_CannotBeUsed()
    {
        var challenge = new SignInChallenge(Guid.NewGuid(), OneTimeToken.New().Hash, SecondFactorStep.Verify, useCookie: true, Now, TimeSpan.FromMinutes(5));

        Assert.Throws<InvalidOperationException>(() => challenge.Use(Now.AddMinutes(6)));
    }

    [Fact]
    public void OneTimeToken_IsLongAndDifferentEachTime()
    {
        var (a, _) = OneTimeToken.New();
        var (b, _) = OneTimeToken.New();

        Assert.NotEqual(a, b);
        Assert.True(a.Length >= 43);
        Assert.DoesNotContain('+', a);
        Assert.DoesNotContain('/', a);
    }

    [Theory]
    [InlineData(new[] { Role.MicroGridWorker }, true)]
    [InlineData(new[] { Role.MicroGridWorker, Role.Resident }, true)]
    [InlineData(new[] { Role.MicroGridWorker, Role.GridWorker }, false)]
    [InlineData(new[] { Role.MicroGridWorker, Role.CommunityStaff }, false)]
    [InlineData(new[] { Role.GridWorker }, false)]
    [InlineData(new[] { Role.Resident }, true)]
    [InlineData(new[] { Role.Resident, Role.GridWorker }, false)]
    [InlineData(new Role[0], false)]
    [InlineData(new[] { Role.SystemAdmin }, false)]
    public void MaySignInByCode_OnlyVolunteersAndResidentsWithoutAStaffGradeRole(Role[] roles, bool expected) =>
        Assert.Equal(expected, Roles.MaySignInByCode(roles));

    [Fact]
    public void TrustedDevice_SlidesItsExpiryWithUse()
    {
        var device = new TrustedDevice(Guid.NewGuid(), "610103099001", "Android 手机", Now, DevicePolicy);

        for (var day = 20; day <= 200; day += 20)
        {
            Assert.True(device.IsAlive(Now.AddDays(day), DevicePolicy));
            Assert.True(device.Touch(Now.AddDays(day), TimeSpan.FromMinutes(1), DevicePolicy));
        }

        Assert.Equal(Now.AddDays(200 + 90), device.ExpiresAt);
    }

    [Fact]
    public void TrustedDevice_IdleLongerThanItsIdleRule_IsNoLongerAlive()
    {
        var device = new TrustedDevice(Guid.NewGuid(), "610103099001", "Android 手机", Now, DevicePolicy);

        Assert.True(device.IsAlive(Now.AddDays(29), DevicePolicy));
        Assert.False(device.IsAlive(Now.AddDays(30), DevicePolicy));
    }

    [Fact]
    public void TrustedDevice_UnusedPastItsLifetime_IsNoLongerAlive()
    {
        var policy = DevicePolicy with { IdleTimeout = TimeSpan.FromDays(90) };
        var device = new TrustedDevice(Guid.NewGuid(), "610103099001", "Android 手机", Now, policy);

        Assert.False(device.IsAlive(Now.AddDays(90), policy));
    }

    [Fact]
    public void TrustedDevice_Revoked_IsNotAliveAndNeitherAreItsSessions()
    {
        var device = new TrustedDevice(Guid.NewGuid(), "610103099001", "Android 手机", Now, DevicePolicy);
        var session = UserSession.OnTrustedDevice(device, "10.0.0.1", Now);
        Assert.True(session.IsAliveOn(device, Now.AddHours(1), DevicePolicy));

        device.Revoke(Guid.NewGuid(), Now.AddHours(2));

        Assert.False(device.IsAlive(Now.AddHours(2), DevicePolicy));
        Assert.False(session.IsAliveOn(device, Now.AddHours(2), DevicePolicy));
    }

    [Fact]
    public void SessionOnTrustedDevice_OutlivesAPasswordSessionsLimits()
    {
        var device = new TrustedDevice(Guid.NewGuid(), "610103099001", "Android 手机", Now, DevicePolicy);
        var session = UserSession.OnTrustedDevice(device, null, Now);

        Assert.Equal(device.Id, session.TrustedDeviceId);
        Assert.Equal(UserSession.DeviceChannel, session.Channel);
        Assert.True(session.IsAliveOn(device, Now.AddDays(10), DevicePolicy));

        device.Touch(Now.AddDays(10), TimeSpan.FromMinutes(1), DevicePolicy);
        session.FollowDevice(device);
        Assert.Equal(Now.AddDays(100), session.ExpiresAt);
    }
}
