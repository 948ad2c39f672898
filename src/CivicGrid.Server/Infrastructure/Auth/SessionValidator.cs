using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Infrastructure.Auth;

/// <summary>
/// Checks, on every authenticated request, that the login behind a cookie or token is still alive:
/// not logged out, not idle too long, not past its absolute limit, and its user still active. A session on a volunteer's
/// trusted phone follows the device's rules instead: it ends when the device is revoked, expires or lies idle too long.
/// </summary>
public sealed class SessionValidator(CivicGridDbContext db, IOptions<AuthOptions> options, IOptions<TrustedDeviceOptions> deviceOptions, TimeProvider time)
{
    /// <summary>Activity is written back at most this often per session, so reads don't all become writes.</summary>
    private static readonly TimeSpan TouchGranularity = TimeSpan.FromMinutes(1);

    private sealed record SessionOfUser(UserSession Session, bool MustChangePassword);

    /// <summary>
    /// After <see cref="IsAliveAsync"/> answered true: the user was given a one-time password and must change it before
    /// anything else (<see cref="PasswordChangeGate"/> lets only that through). Never for a volunteer's trusted phone.
    /// </summary>
    public bool MustChangePassword { get; private set; }

    public async Task<bool> IsAliveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (principal.GetSessionId() is not { } sessionId || principal.GetUserId() is not { } userId)
        {
            return false;
        }

        // One round trip for the session (tracked, so its activity can be written back) and its account: every
        // authenticated request pays for it.
        var found = await (from s in db.Sessions.IgnoreQueryFilters()
                           join u in db.Users.IgnoreQueryFilters() on s.UserId equals u.Id
                           where s.Id == sessionId && s.UserId == userId && u.IsActive
                           select new SessionOfUser(s, u.MustChangePassword)).SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return false;
        }

        var session = found.Session;

        var now = time.GetUtcNow();
        TrustedDevice? device = null;
        if (session.TrustedDeviceId is { } deviceId)
        {
            device = await db.Set<TrustedDevice>().IgnoreQueryFilters().SingleOrDefaultAsync(d => d.Id == deviceId, cancellationToken);
            if (device is null || !session.IsAliveOn(device, now, deviceOptions.Value.Policy))
            {
                return false;
            }
        }
        else if (!session.IsAlive(now, options.Value.SessionPolicy))
        {
            return false;
        }

        // A trusted phone signed in by a QR code typed no password, so it has none to change.
        MustChangePassword = found.MustChangePassword && device is null;

        var deviceTouched = device?.Touch(now, TouchGranularity, deviceOptions.Value.Policy) ?? false;
        if (deviceTouched)
        {
            session.FollowDevice(device!);
        }

        if (session.Touch(now, TouchGranularity) | deviceTouched)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }
}
