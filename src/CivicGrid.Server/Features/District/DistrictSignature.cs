using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CivicGrid.Server.Features.District;

/// <summary>What a signature check found.</summary>
public enum SignatureCheck
{
    Valid,

    /// <summary>Headers missing or not in the expected form.</summary>
    Missing,

    /// <summary>The HMAC does not match the body and timestamp.</summary>
    Mismatch,

    /// <summary>The timestamp lies outside the tolerance (a replay or a wrong clock).</summary>
    Stale,
}

/// <summary>
/// The signature of every request between CivicGrid and the district's system, both ways:
/// <c>X-CivicGrid-Timestamp</c> is the Unix time in seconds, <c>X-CivicGrid-Signature</c> is <c>v1=</c> followed by the
/// lowercase hex HMAC-SHA256, keyed with the shared secret (UTF-8), of <c>{timestamp}.{body}</c> where body is the raw
/// request bytes. Signing the timestamp lets the receiver refuse old requests replayed later. <c>X-CivicGrid-Key-Id</c>
/// names the shared key, so that a new key can be introduced while the old one still works.
/// </summary>
public static class DistrictSignature
{
    public const string TimestampHeader = "X-CivicGrid-Timestamp";
    public const string SignatureHeader = "X-CivicGrid-Signature";
    public const string MessageIdHeader = "X-CivicGrid-Message-Id";

    /// <summary>Which shared key signed the request (<c>District:Keys</c>), so that keys can be rotated.</summary>
    public const string KeyIdHeader = "X-CivicGrid-Key-Id";
    private const string Version = "v1=";

    /// <summary>The <see cref="SignatureHeader"/> value for <paramref name="body"/> sent at <paramref name="timestamp"/> (Unix seconds).</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Version + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>Checks a request's headers against its body, in constant time, and its timestamp against <paramref name="now"/>.</summary>
    public static SignatureCheck Verify(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now,
        TimeSpan tolerance)
    {
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || signatureHeader is null || !signatureHeader.StartsWith(Version, StringComparison.Ordinal))
        {
            return SignatureCheck.Missing;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signatureHeader.Trim())))
        {
            return SignatureCheck.Mismatch;
        }

        return Math.Abs(now.ToUnixTimeSeconds() - timestamp) > tolerance.TotalSeconds ? SignatureCheck.Stale : SignatureCheck.Valid;
    }
}
