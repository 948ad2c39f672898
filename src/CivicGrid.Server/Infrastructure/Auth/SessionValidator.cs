using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Infrastructure.Auth;

/// <summary>
/// Checks, on every authenticated request, that the login behind a cookie or token is still alive:
/// not logged out, not idle too long, not past its absolute limit, and its user still active; and replaces the roles and
/// scope the cookie or token carries with the account's as stored now. A session on a volunteer's
/// trusted phone follows the device's rules instead: it ends when the device is revoked, expires or lies idle too long.
/// </summary>
public sealed class SessionValidator(SessionProbe probe, IServiceProvider services, IOptions<AuthOptions> options, IOptions<TrustedDeviceOptions> deviceOptions, TimeProvider time)
{
    /// <summary>Activity is written back at most this often per session, so reads don't all become writes.</summary>
    private static readonly TimeSpan TouchGranularity = TimeSpan.FromMinutes(1);

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

        // Every authenticated request pays for this read, so it is one raw command on a connection of its own: a request
        // that needs no database context (a phone's track batch) builds none. Only a session (or device) whose activity
        // is due to be written back is loaded through EF.
        var now = time.GetUtcNow();
        var state = await probe.ReadAsync(sessionId, userId, cancellationToken);
        if (state is null)
        {
            return false;
        }

        if (state.DeviceId is not null)
        {
            if (!state.DeviceFound || state.EndedAt is not null
                || !TrustedDevice.IsAlive(state.DeviceRevokedAt, state.DeviceExpiresAt, state.DeviceLastSeenAt, now, deviceOptions.Value.Policy))
            {
                return false;
            }
        }
        else if (!UserSession.IsAlive(state.EndedAt, state.ExpiresAt, state.LastSeenAt, now, options.Value.SessionPolicy))
        {
            return false;
        }

        // The roles and scope as the account holds them now, not as the cookie or token froze them at sign-in: a role
        // taken away takes effect on the next request, on every server instance.
        principal.Reload(state.Roles, state.ScopeCode);

        // A trusted phone signed in by a QR code typed no password, so it has none to change.
        MustChangePassword = state.MustChangePassword && state.DeviceId is null;
        if (now - state.LastSeenAt < TouchGranularity && (state.DeviceId is null || now - state.DeviceLastSeenAt < TouchGranularity))
        {
            return true;
        }

        // Activity to write back (at most once a minute per session): through EF and the domain's rules.
        var db = services.GetRequiredService<CivicGridDbContext>();
        var session = await db.Sessions.IgnoreQueryFilters().SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        var device = state.DeviceId is { } deviceId
            ? await db.Set<TrustedDevice>().IgnoreQueryFilters().SingleOrDefaultAsync(d => d.Id == deviceId, cancellationToken)
            : null;
        if (session is null || (state.DeviceId is not null && device is null))
        {
            return false;
        }

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
