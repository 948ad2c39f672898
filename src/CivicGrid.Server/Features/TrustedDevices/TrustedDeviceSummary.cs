using CivicGrid.Domain.Accounts;

namespace CivicGrid.Server.Features.TrustedDevices;

public enum TrustedDeviceState
{
    /// <summary>Signed in: it may be used now.</summary>
    Active,

    /// <summary>Past its expiry or idle too long: the volunteer needs a new sign-in code.</summary>
    Expired,

    Revoked,
}

/// <param name="Label">What the phone is, from its browser (e.g. Android 手机 · 微信).</param>
/// <param name="ExpiresAt">The end of its sign-in unless used again (sliding); an idle rule may end it sooner.</param>
public sealed record TrustedDeviceSummary(Guid Id, string Label, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt, TrustedDeviceState State)
{
    public static TrustedDeviceSummary Of(TrustedDevice device, DateTimeOffset now, TrustedDevicePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(device);
        var state = device.RevokedAt is not null ? TrustedDeviceState.Revoked
            : device.IsAlive(now, policy) ? TrustedDeviceState.Active : TrustedDeviceState.Expired;
        return new(device.Id, device.Label, device.CreatedAt, device.LastSeenAt, device.ExpiresAt, device.RevokedAt, state);
    }

    /// <summary>A phone's label in words from its browser's user agent: the system, and WeChat when it is WeChat's browser.</summary>
    public static string LabelFrom(string? userAgent)
    {
        var ua = userAgent ?? string.Empty;
        var system = ua.Contains("HarmonyOS", StringComparison.OrdinalIgnoreCase) ? "鸿蒙手机"
            : ua.Contains("Android", StringComparison.OrdinalIgnoreCase) ? "Android 手机"
            : ua.Contains("iPhone", StringComparison.OrdinalIgnoreCase) ? "iPhone"
            : ua.Contains("iPad", StringComparison.OrdinalIgnoreCase) ? "iPad"
            : ua.Contains("Windows", StringComparison.OrdinalIgnoreCase) ? "Windows 电脑"
            : ua.Contains("Mac OS", StringComparison.OrdinalIgnoreCase) ? "Mac 电脑"
            : "手机";
        var browser = ua.Contains("MicroMessenger", StringComparison.OrdinalIgnoreCase) ? "微信"
            : ua.Contains("Edg/", StringComparison.Ordinal) ? "Edge"
            : ua.Contains("Chrome/", StringComparison.Ordinal) ? "Chrome"
            : ua.Contains("Firefox/", StringComparison.Ordinal) ? "Firefox"
            : ua.Contains("Safari/", StringComparison.Ordinal) ? "Safari"
            : null;
        return browser is null ? system : $"{system} · {browser}";
    }
}
