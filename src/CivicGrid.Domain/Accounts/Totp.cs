using System.Security.Cryptography;

namespace CivicGrid.Domain.Accounts;

/// <summary>
/// Time-based one-time passwords (RFC 6238) over HMAC-based ones (RFC 4226): HMAC-SHA1 of the step counter, dynamic
/// truncation, the last <see cref="Digits"/> decimal digits. A step is <see cref="StepSeconds"/> seconds of Unix time,
/// as every authenticator app uses by default.
/// </summary>
public static class Totp
{
    public const int Digits = 6;

    public const int StepSeconds = 30;

    /// <summary>Steps either side of the current one that are still accepted (phone clocks drift, people type slowly).</summary>
    public const int AllowedDrift = 1;

    /// <summary>Length of a new secret in bytes (160 bits, the size of an HMAC-SHA1 block's digest, as RFC 4226 recommends).</summary>
    public const int SecretLength = 20;

    /// <summary>The HOTP value of <paramref name="counter"/> (RFC 4226 §5.3) with <paramref name="digits"/> digits (6 to 8), zero-padded.</summary>
    public static string Hotp(ReadOnlySpan<byte> secret, long counter, int digits = Digits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digits, 6);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 8);
        Span<byte> message = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(message, counter);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
        // RFC 6238 as every authenticator app implements it is HMAC-SHA1; as a MAC over a counter it is not weakened by
        // SHA-1's collisions (RFC 4226 appendix A.4), and the app, not the server, decides the algorithm in practice.
#pragma warning disable CA5350
        HMACSHA1.HashData(secret, message, hash);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        var modulus = (int)Math.Pow(10, digits);
        return (binary % modulus).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    /// <summary>The step that contains <paramref name="at"/>: whole <see cref="StepSeconds"/> since the Unix epoch.</summary>
    public static long StepAt(DateTimeOffset at) => at.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The code an authenticator shows at <paramref name="at"/>.</summary>
    public static string CodeAt(ReadOnlySpan<byte> secret, DateTimeOffset at, int digits = Digits) => Hotp(secret, StepAt(at), digits);

    /// <summary>
    /// Checks <paramref name="code"/> against the current step and <see cref="AllowedDrift"/> steps either side. A code of
    /// a step at or before <paramref name="lastUsedStep"/> is a replay (a code works once, and never after a later one);
    /// spaces and dashes in the code are ignored; the comparison takes the same time whatever the code.
    /// </summary>
    public static TotpVerdict Verify(ReadOnlySpan<byte> secret, string? code, DateTimeOffset now, long lastUsedStep)
    {
        var typed = Normalize(code);
        if (typed is null)
        {
            return new TotpVerdict(TotpOutcome.Wrong, 0);
        }

        var current = StepAt(now);
        var verdict = new TotpVerdict(TotpOutcome.Wrong, 0);
        for (var step = current - AllowedDrift; step <= current + AllowedDrift; step++)
        {
            var expected = System.Text.Encoding.ASCII.GetBytes(Hotp(secret, step));
            if (CryptographicOperations.FixedTimeEquals(expected, System.Text.Encoding.ASCII.GetBytes(typed)) && verdict.Outcome != TotpOutcome.Accepted)
            {
                verdict = step > lastUsedStep ? new TotpVerdict(TotpOutcome.Accepted, step) : new TotpVerdict(TotpOutcome.Replayed, step);
            }
        }

        return verdict;
    }

    /// <summary>The <c>otpauth://</c> URI an authenticator app reads from a QR code (Google Authenticator's key URI format).</summary>
    public static string KeyUri(string issuer, string accountName, ReadOnlySpan<byte> secret)
    {
        var label = Uri.EscapeDataString(issuer) + ":" + Uri.EscapeDataString(accountName);
        return $"otpauth://totp/{label}?secret={Base32.Encode(secret)}&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits={Digits}&period={StepSeconds}";
    }

    /// <summary>A new random secret of <see cref="SecretLength"/> bytes.</summary>
    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretLength);

    private static string? Normalize(string? code)
    {
        if (code is null)
        {
            return null;
        }

        var digits = string.Concat(code.Where(c => !char.IsWhiteSpace(c) && c != '-'));
        return digits.Length == Digits && digits.All(char.IsAsciiDigit) ? digits : null;
    }
}

public enum TotpOutcome
{
    Wrong,

    /// <summary>The right code, but its step was already used: someone may have seen it.</summary>
    Replayed,

    Accepted,
}

/// <param name="Step">The step the code belongs to (for <see cref="TotpOutcome.Accepted"/>, the new last used step).</param>
public readonly record struct TotpVerdict(TotpOutcome Outcome, long Step);

/// <summary>RFC 4648 base32 (upper-case alphabet, no padding), the form authenticator apps take a secret in by hand.</summary>
public static class Base32
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var output = new System.Text.StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                output.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            output.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return output.ToString();
    }

    /// <summary>Decodes base32, ignoring case, spaces and padding.</summary>
    /// <exception cref="FormatException">A character outside the alphabet.</exception>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var output = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            if (c is ' ' or '=' or '-')
            {
                continue;
            }

            var value = Alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException($"'{c}' is not a base32 character.");
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)((buffer >> (bits - 8)) & 0xff));
                bits -= 8;
            }
        }

        return [.. output];
    }
}
