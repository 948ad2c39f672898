using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Auth;

/// <summary>
/// The failed sign-in counters of one attempt: the typed name from the caller's address, and the name from every
/// address (<see cref="SignInThrottle"/>). They exist for any name typed, account or not, and the answers built from
/// them never depend on whether the account exists, so a throttled answer names no account.
/// </summary>
public sealed class FailedSignIns(CivicGridDbContext db, SecurityAudit audit, IOptions<AuthOptions> options, TimeProvider time)
{
    private SignInThrottle? _pair;
    private SignInThrottle? _account;

    private SignInThrottlePolicy Policy => options.Value.SignInThrottlePolicy;

    /// <summary>Reads the counters of <paramref name="normalizedUserName"/> from <paramref name="address"/>; none is stored until a failure.</summary>
    public async Task ReadAsync(string normalizedUserName, string address, CancellationToken ct)
    {
        var name = Key(normalizedUserName);
        var stored = await db.SignInThrottles
            .Where(t => t.NormalizedUserName == name && (t.ClientAddress == address || t.ClientAddress == SignInThrottle.AnyAddress)).ToListAsync(ct);
        var now = time.GetUtcNow();
        _pair = stored.SingleOrDefault(t => t.ClientAddress == address) ?? new SignInThrottle(name, address, now);
        _account = stored.SingleOrDefault(t => t.IsAccountWide) ?? new SignInThrottle(name, SignInThrottle.AnyAddress, now);
    }

    /// <summary>Minutes until this caller may try again (0: not throttled); <paramref name="user"/> locked otherwise counts too.</summary>
    public int MinutesLeft(UserAccount? user)
    {
        var now = time.GetUtcNow();
        var minutes = SignInThrottle.MinutesLeft([Pair, Account], now);
        return minutes == 0 && user?.LockedUntil is { } until && until > now ? Math.Max(1, (int)Math.Ceiling((until - now).TotalMinutes)) : minutes;
    }

    /// <summary>Counts a failure on both counters (stored from now on); records a lock in the audit trail. Saving is the caller's.</summary>
    /// <returns>True when the caller is throttled from now on.</returns>
    public bool Record(UserAccount? user, string typedName, string address)
    {
        var now = time.GetUtcNow();
        foreach (var counter in new[] { Pair, Account })
        {
            if (db.Entry(counter).State == EntityState.Detached)
            {
                db.SignInThrottles.Add(counter);
            }
        }

        var pairLocked = Pair.RecordFailure(now, Policy);
        var accountLocked = Account.RecordFailure(now, Policy);
        var subject = user is null ? null : SecuritySubject.User(user);
        if (pairLocked)
        {
            audit.Record(db, SecurityEventKind.LockedOut, subject,
                $"来自 {address} 连续 {Policy.PairMaxFailures} 次登录失败，该地址对此用户名锁定至 {Pair.LockedUntil:u}（其他地址不受影响）",
                SecurityOutcome.Success, actorName: typedName, actorId: user?.Id);
        }

        if (accountLocked)
        {
            user?.LockOut(Account.LockedUntil!.Value);
            audit.Record(db, SecurityEventKind.LockedOut, subject,
                $"{Policy.AccountWindow.TotalMinutes:0} 分钟内各地址共 {Policy.AccountMaxFailures} 次登录失败，此用户名锁定至 {Account.LockedUntil:u}",
                SecurityOutcome.Success, actorName: typedName, actorId: user?.Id);
        }

        return MinutesLeft(null) > 0;
    }

    /// <summary>A right password from this address: the pair's failures are forgotten (the name's, over every address, are not).</summary>
    public void Succeeded()
    {
        if (db.Entry(Pair).State != EntityState.Detached)
        {
            db.SignInThrottles.Remove(Pair);
        }
    }

    /// <summary>The answer to a throttled caller: 401 like a wrong password (nothing tells whether the account exists), with when to come back.</summary>
    public static ProblemHttpResult Throttled(HttpContext http, int minutes)
    {
        http.Response.Headers.RetryAfter = (minutes * 60).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Create(StatusCodes.Status401Unauthorized, Problems.SignInThrottledType, "Too many failed sign-ins; try again later.",
            $"尝试次数过多，请 {minutes} 分钟后再试。", new Dictionary<string, object?> { ["retryAfterMinutes"] = minutes });
    }

    /// <summary>The stored key of a typed name: no account's name is longer than the column, so a longer one is cut.</summary>
    public static string Key(string normalizedUserName) => normalizedUserName.Length <= 64 ? normalizedUserName : normalizedUserName[..64];

    private SignInThrottle Pair => _pair ?? throw new InvalidOperationException("Read the counters first.");

    private SignInThrottle Account => _account ?? throw new InvalidOperationException("Read the counters first.");
}
