using System.Security.Cryptography;
using System.Text;

namespace CivicGrid.Server.Features.Devices;

/// <summary>
/// The signature of a device message: <c>sha256=</c> + lower-case hex of HMAC-SHA256, keyed with the UTF-8 bytes of the
/// device's secret, over <c>timestamp + "\n" + nonce + "\n" + body</c> (the timestamp in Unix seconds as decimal
/// digits, the body's bytes exactly as sent). See docs/adr/0012-devices.md.
/// </summary>
public static class DeviceSignature
{
    public const string Prefix = "sha256=";

    /// <summary>The signature a device with <paramref name="secret"/> sends for this message.</summary>
    public static string Compute(string secret, long timestamp, string nonce, ReadOnlySpan<byte> body)
    {
        var head = Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n");
        var signed = new byte[head.Length + body.Length];
        head.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(head.Length));
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>True when <paramref name="signature"/> is the message's signature; compared in constant time.</summary>
    public static bool Matches(string secret, long timestamp, string nonce, ReadOnlySpan<byte> body, string? signature)
    {
        if (signature is null || !signature.StartsWith(Prefix, StringComparison.Ordinal) || signature.Length != Prefix.Length + 64)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(secret, timestamp, nonce, body));
        var given = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>A new device secret: 256 random bits, URL-safe base64 (43 characters).</summary>
    public static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
