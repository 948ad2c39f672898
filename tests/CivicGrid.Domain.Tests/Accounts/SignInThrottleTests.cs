using CivicGrid.Domain.Accounts;

namespace CivicGrid.Domain.Tests.Accounts;

public class SignInThrottleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);

    private static readonly SignInThrottlePolicy Policy = new(PairMaxFailures: 5, PairWindow: TimeSpan.FromMinutes(15), PairLockout: TimeSpan.FromMinutes(15),
        AccountMaxFailures: 30, AccountWindow: TimeSpan.FromHours(1), AccountLockout: TimeSpan.FromMinutes(15));

    private static SignInThrottle Pair() => new("ADMIN", "198.51.100.7", Now);

    private static SignInThrottle Account() => new("ADMIN", SignInThrottle.AnyAddress, Now);

    [Fact]
    public void RecordFailure_TheFifthFromOneAddress_LocksThatPairForTheLockout()
    {
        var pair = Pair();

        var locks = Enumerable.Range(0, 5).Select(i => pair.RecordFailure(Now.AddSeconds(i), Policy)).ToList();

        Assert.Equal([false, false, false, false, true], locks);
        Assert.True(pair.IsLocked(Now.AddMinutes(14)));
        Assert.False(pair.IsLocked(Now.AddMinutes(15).AddSeconds(5)));
    }

    [Fact]
    public void RecordFailure_TheSameCountOnTheNameOverEveryAddress_DoesNotLockIt_TheAccountLimitIsSlower()
    {
        var account = Account();

        var locked = Enumerable.Range(0, 29).Select(i => account.RecordFailure(Now.AddSeconds(i), Policy)).Any(l => l);
        var thirtieth = account.RecordFailure(Now.AddMinutes(1), Policy);

        Assert.False(locked);
        Assert.True(thirtieth);
        Assert.True(account.IsAccountWide);
        Assert.Equal(Now.AddMinutes(16), account.LockedUntil);
    }

    [Fact]
    public void RecordFailure_AfterTheWindow_StartsCountingAgain()
    {
        var pair = Pair();
        for (var i = 0; i < 4; i++)
        {
            pair.RecordFailure(Now, Policy);
        }

        var later = pair.RecordFailure(Now.AddMinutes(16), Policy);

        Assert.False(later);
        Assert.Equal(1, pair.Failures);
        Assert.Equal(Now.AddMinutes(16), pair.WindowStartedAt);
    }

    [Fact]
    public void RecordFailure_AfterALockRanOut_StartsAFreshCount()
    {
        var pair = Pair();
        for (var i = 0; i < 5; i++)
        {
            pair.RecordFailure(Now, Policy);
        }

        var afterLock = pair.RecordFailure(Now.AddMinutes(15), Policy);

        Assert.False(afterLock);
        Assert.False(pair.IsLocked(Now.AddMinutes(15)));
        Assert.Equal(1, pair.Failures);
    }

    [Fact]
    public void Clear_ForgetsFailuresAndTheLock()
    {
        var pair = Pair();
        for (var i = 0; i < 5; i++)
        {
            pair.RecordFailure(Now, Policy);
        }

        pair.Clear();

        Assert.False(pair.IsLocked(Now));
        Assert.Equal(0, pair.Failures);
    }

    [Fact]
    public void MinutesLeft_IsTheLatestLockRoundedUp_AndZeroWhenNoneIsLocked()
    {
        var pair = Pair();
        var account = Account();
        for (var i = 0; i < 5; i++)
        {
            pair.RecordFailure(Now, Policy);
        }

        Assert.Equal(15, SignInThrottle.MinutesLeft([pair, account], Now));
        Assert.Equal(1, SignInThrottle.MinutesLeft([pair, account], Now.AddMinutes(14).AddSeconds(30)));
        Assert.Equal(0, SignInThrottle.MinutesLeft([pair, account], Now.AddMinutes(15)));
        Assert.Equal(0, SignInThrottle.MinutesLeft([Account()], Now));
    }

    [Fact]
    public void LockOut_OnTheAccount_ShowsItLockedUntilThen_AndUnlockLiftsIt()
    {
        var user = new UserAccount("zhang", "张三", [Role.GridWorker], "610103001", Now);

        user.LockOut(Now.AddMinutes(15));
        var locked = user.IsLockedOut(Now.AddMinutes(1));
        user.Unlock();

        Assert.True(locked);
        Assert.False(user.IsLockedOut(Now.AddMinutes(1)));
    }
}
