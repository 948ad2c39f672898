namespace CivicGrid.Domain.Accounts;

/// <summary>How long a login lasts: an idle limit and an absolute limit (MLPS 2.0 level 3 "session timeout").</summary>
public sealed record SessionPolicy(TimeSpan IdleTimeout, TimeSpan AbsoluteTimeout);

/// <summary>
/// One login, shared by the web cookie and the bearer token issued with it. Every authenticated
/// request checks it, so a logout or an expiry takes effect at once for both.
/// </summary>
public sealed class UserSession
{
    private UserSession()
    {
        Channel = null!;
    }

    public UserSession(Guid userId, string channel, string? clientAddress, DateTimeOffset now, SessionPolicy policy)
    {
        Id = Guid.CreateVersion7();
        UserId = userId;
        Channel = channel;
        ClientAddress = clientAddress;
        CreatedAt = now;
        LastSeenAt = now;
        ExpiresAt = now + policy.AbsoluteTimeout;
    }

    /// <summary>
    /// A session on a volunteer's trusted phone: it follows the device's rules (<see cref="IsAliveOn"/>) instead of the
    /// idle and absolute limits of a password session.
    /// </summary>
    public static UserSession OnTrustedDevice(TrustedDevice device, string? clientAddress, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new UserSession
        {
            Id = Guid.CreateVersion7(),
            UserId = device.UserId,
            Channel = DeviceChannel,
            ClientAddress = clientAddress,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = device.ExpiresAt,
            TrustedDeviceId = device.Id,
        };
    }

    /// <summary>The channel of a session on a trusted device.</summary>
    public const string DeviceChannel = "device";

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The trusted phone this session was opened on; null for a password session.</summary>
    public Guid? TrustedDeviceId { get; private set; }

    /// <summary><c>web</c> for a browser login with a cookie, <c>api</c> for a token-only client, <c>device</c> for a trusted phone.</summary>
    public string Channel { get; private set; }

    public string? ClientAddress { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset LastSeenAt { get; private set; }

    /// <summary>The absolute end of the session, whatever the activity.</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>True while a password session may be used at <paramref name="now"/>.</summary>
    public bool IsAlive(DateTimeOffset now, SessionPolicy policy) => IsAlive(EndedAt, ExpiresAt, LastSeenAt, now, policy);

    /// <summary>The rule of <see cref="IsAlive(DateTimeOffset, SessionPolicy)"/> on a session's stored values, for a check that reads only them.</summary>
    public static bool IsAlive(DateTimeOffset? endedAt, DateTimeOffset expiresAt, DateTimeOffset lastSeenAt, DateTimeOffset now, SessionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return endedAt is null && now < expiresAt && now - lastSeenAt < policy.IdleTimeout;
    }

    /// <summary>True while a session on <paramref name="device"/> may be used: not logged out, and the device alive.</summary>
    public bool IsAliveOn(TrustedDevice device, DateTimeOffset now, TrustedDevicePolicy policy) =>
        EndedAt is null && device.Id == TrustedDeviceId && device.IsAlive(now, policy);

    /// <summary>Marks activity. Returns true when the stored value changed enough to be worth saving.</summary>
    public bool Touch(DateTimeOffset now, TimeSpan granularity)
    {
        if (now - LastSeenAt < granularity)
        {
            return false;
        }

        LastSeenAt = now;
        return true;
    }

    /// <summary>Keeps a device session's recorded end with its device's sliding expiry (the login history keeps it that long).</summary>
    public void FollowDevice(TrustedDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.Id == TrustedDeviceId)
        {
            ExpiresAt = device.ExpiresAt;
        }
    }

    public void End(DateTimeOffset now) => EndedAt ??= now;
}
