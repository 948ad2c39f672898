namespace CivicGrid.Domain.Accounts;

/// <summary>
/// How failed sign-ins are throttled (MLPS 2.0 level 3 "login failure handling") without handing an attacker the power
/// to lock a real user out: failures are counted per (user name, client address) pair, which locks only the address
/// that keeps failing, and per user name over every address, a slower limit that stops a spread-out guess.
/// </summary>
/// <param name="PairMaxFailures">Failures of one name from one address within <paramref name="PairWindow"/> that lock that pair; at least 1.</param>
/// <param name="PairWindow">How long a pair's failures are remembered.</param>
/// <param name="PairLockout">How long a locked pair refuses every password, even the right one.</param>
/// <param name="AccountMaxFailures">Failures of one name from every address within <paramref name="AccountWindow"/> that lock the name everywhere.</param>
/// <param name="AccountWindow">How long the name's failures are remembered.</param>
/// <param name="AccountLockout">How long a name locked everywhere refuses every password.</param>
public sealed record SignInThrottlePolicy(int PairMaxFailures, TimeSpan PairWindow, TimeSpan PairLockout,
    int AccountMaxFailures, TimeSpan AccountWindow, TimeSpan AccountLockout)
{
    /// <summary>The failure limit of a counter: the pair's, or the name's over every address.</summary>
    public (int MaxFailures, TimeSpan Window, TimeSpan Lockout) For(SignInThrottle counter)
    {
        ArgumentNullException.ThrowIfNull(counter);
        return counter.IsAccountWide ? (AccountMaxFailures, AccountWindow, AccountLockout) : (PairMaxFailures, PairWindow, PairLockout);
    }
}

/// <summary>
/// A counter of failed sign-ins for a user name, from one client address or (<see cref="AnyAddress"/>) from all. It is
/// kept for any name typed, whether or not such an account exists, so that a throttled answer tells nobody which
/// accounts exist.
/// </summary>
public sealed class SignInThrottle
{
    /// <summary>The address of the counter of a name over every address.</summary>
    public const string AnyAddress = "*";

    private SignInThrottle()
    {
        NormalizedUserName = null!;
        ClientAddress = null!;
    }

    /// <param name="normalizedUserName">The name as <see cref="UserAccount.Normalize"/> gives it.</param>
    /// <param name="clientAddress">The client's address (after trusted proxies), or <see cref="AnyAddress"/>.</param>
    public SignInThrottle(string normalizedUserName, string clientAddress, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(normalizedUserName);
        ArgumentException.ThrowIfNullOrEmpty(clientAddress);
        NormalizedUserName = normalizedUserName;
        ClientAddress = clientAddress;
        WindowStartedAt = now;
    }

    public string NormalizedUserName { get; private set; }

    public string ClientAddress { get; private set; }

    /// <summary>Failures since <see cref="WindowStartedAt"/>.</summary>
    public int Failures { get; private set; }

    /// <summary>When the first failure still remembered happened.</summary>
    public DateTimeOffset WindowStartedAt { get; private set; }

    public DateTimeOffset? LockedUntil { get; private set; }

    public bool IsAccountWide => ClientAddress == AnyAddress;

    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>Counts a failure; a failure after the window starts a new one. Locks when the limit is reached.</summary>
    /// <returns>True when this failure locked the counter.</returns>
    public bool RecordFailure(DateTimeOffset now, SignInThrottlePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var (maxFailures, window, lockout) = policy.For(this);
        if (now - WindowStartedAt >= window || (LockedUntil is { } until && until <= now))
        {
            WindowStartedAt = now;
            Failures = 0;
            LockedUntil = null;
        }

        Failures++;
        if (Failures < maxFailures || IsLocked(now))
        {
            return false;
        }

        LockedUntil = now + lockout;
        return true;
    }

    /// <summary>Forgets the failures (a right password from this address, or an administrator's unlock).</summary>
    public void Clear()
    {
        Failures = 0;
        LockedUntil = null;
    }

    /// <summary>Whole minutes until the latest of <paramref name="counters"/> unlocks, at least 1; 0 when none is locked.</summary>
    public static int MinutesLeft(IEnumerable<SignInThrottle> counters, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(counters);
        var until = counters.Where(c => c.IsLocked(now)).Select(c => c.LockedUntil!.Value).DefaultIfEmpty(now).Max();
        return until <= now ? 0 : Math.Max(1, (int)Math.Ceiling((until - now).TotalMinutes));
    }
}
