namespace CivicGrid.Domain.Accounts;

/// <summary>
/// How long a trusted phone stays signed in: <paramref name="Lifetime"/> after its last use (sliding), and not past
/// <paramref name="IdleTimeout"/> without any use. Both are positive; the idle limit is at most the lifetime.
/// </summary>
public sealed record TrustedDevicePolicy(TimeSpan Lifetime, TimeSpan IdleTimeout);

/// <summary>
/// A volunteer's phone signed in by a one-time code (<see cref="SignInCode"/>): it stays signed in without a password
/// under its own <see cref="TrustedDevicePolicy"/>, until it is revoked (by the community staff or the volunteer), it
/// expires, or it lies idle too long. Sessions on it (<see cref="UserSession.TrustedDeviceId"/>) end with it.
/// </summary>
public sealed class TrustedDevice
{
    public const int MaxLabelLength = 100;

    private TrustedDevice()
    {
        ScopeCode = null!;
        Label = null!;
    }

    public TrustedDevice(Guid userId, string scopeCode, string label, DateTimeOffset now, TrustedDevicePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Id = Guid.CreateVersion7();
        UserId = userId;
        ScopeCode = scopeCode;
        Label = string.IsNullOrWhiteSpace(label) ? "手机" : label.Trim()[..Math.Min(label.Trim().Length, MaxLabelLength)];
        CreatedAt = now;
        LastSeenAt = now;
        ExpiresAt = now + policy.Lifetime;
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The volunteer's scope when the device was trusted: the community staff of that subtree see and revoke it.</summary>
    public string ScopeCode { get; private set; }

    /// <summary>What the phone is, in words (from its browser's user agent), e.g. “Android 手机 · 微信”.</summary>
    public string Label { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset LastSeenAt { get; private set; }

    /// <summary>The end of the device's sign-in unless it is used again (each use moves it by the policy's lifetime).</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public Guid? RevokedBy { get; private set; }

    public bool IsAlive(DateTimeOffset now, TrustedDevicePolicy policy) => IsAlive(RevokedAt, ExpiresAt, LastSeenAt, now, policy);

    /// <summary>The rule of <see cref="IsAlive(DateTimeOffset, TrustedDevicePolicy)"/> on a device's stored values, for a check that reads only them.</summary>
    public static bool IsAlive(DateTimeOffset? revokedAt, DateTimeOffset expiresAt, DateTimeOffset lastSeenAt, DateTimeOffset now, TrustedDevicePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return revokedAt is null && now < expiresAt && now - lastSeenAt < policy.IdleTimeout;
    }

    /// <summary>Marks use and slides the expiry. Returns true when the stored values moved enough to be worth saving.</summary>
    public bool Touch(DateTimeOffset now, TimeSpan granularity, TrustedDevicePolicy policy)
    {
        if (now - LastSeenAt < granularity)
        {
            return false;
        }

        LastSeenAt = now;
        ExpiresAt = now + policy.Lifetime;
        return true;
    }

    /// <summary>Ends the device's sign-in for good (its sessions are refused from the next request).</summary>
    public void Revoke(Guid by, DateTimeOffset now)
    {
        if (RevokedAt is not null)
        {
            return;
        }

        RevokedAt = now;
        RevokedBy = by;
    }
}
