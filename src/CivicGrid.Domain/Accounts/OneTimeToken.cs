using System.Security.Cryptography;

namespace CivicGrid.Domain.Accounts;

/// <summary>
/// Random bearer secrets that are shown once and stored only as a hash: sign-in challenges, volunteers' sign-in codes.
/// 32 random bytes leave nothing to guess, so a plain SHA-256 is enough (no salt, no stretching) and the hash can be
/// looked up directly.
/// </summary>
public static class OneTimeToken
{
    /// <summary>A new token (base64url, 43 characters) and its hash to store.</summary>
    public static (string Token, string Hash) New()
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    /// <summary>Hex SHA-256 of the token as given (64 characters).</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Where a one-time grant stands at a given instant.</summary>
public enum GrantState
{
    Open,
    Expired,
    Used,
}

/// <summary>
/// Something a person may use once, within minutes, by presenting a token whose hash is kept here: the second step of a
/// sign-in, a volunteer's sign-in code. Used or expired, it is refused; it is never reopened.
/// </summary>
public abstract class OneTimeGrant
{
    protected OneTimeGrant()
    {
        TokenHash = null!;
    }

    protected OneTimeGrant(Guid userId, string tokenHash, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        Id = Guid.CreateVersion7();
        UserId = userId;
        TokenHash = tokenHash;
        CreatedAt = now;
        ExpiresAt = now + lifetime;
    }

    public Guid Id { get; private set; }

    /// <summary>The account the grant signs in.</summary>
    public Guid UserId { get; private set; }

    /// <summary>SHA-256 of the token (<see cref="OneTimeToken.Hash"/>); the token itself is never stored.</summary>
    public string TokenHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? UsedAt { get; private set; }

    public GrantState StateAt(DateTimeOffset now) => UsedAt is not null ? GrantState.Used : now >= ExpiresAt ? GrantState.Expired : GrantState.Open;

    /// <summary>Uses the grant up.</summary>
    /// <exception cref="InvalidOperationException">It is not open at <paramref name="now"/>.</exception>
    public void Use(DateTimeOffset now)
    {
        if (StateAt(now) != GrantState.Open)
        {
            throw new InvalidOperationException($"The grant is {StateAt(now)}.");
        }

        UsedAt = now;
    }
}

/// <summary>What a password sign-in still needs before it becomes a session.</summary>
public enum SecondFactorStep
{
    /// <summary>Nothing: the password was enough.</summary>
    None,

    /// <summary>A code from the enrolled authenticator, or a recovery code.</summary>
    Verify,

    /// <summary>The user must enrol an authenticator now (required by role, or reset by the security admin).</summary>
    Enrol,
}

/// <summary>
/// The second step of one sign-in: the password was right, the session waits for a code (or an enrolment). Lives a few
/// minutes and completes once.
/// </summary>
public sealed class SignInChallenge : OneTimeGrant
{
    private SignInChallenge()
    {
    }

    public SignInChallenge(Guid userId, string tokenHash, SecondFactorStep step, bool useCookie, DateTimeOffset now, TimeSpan lifetime)
        : base(userId, tokenHash, now, lifetime)
    {
        if (step == SecondFactorStep.None)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "A challenge asks for a second factor.");
        }

        Step = step;
        UseCookie = useCookie;
    }

    public SecondFactorStep Step { get; private set; }

    /// <summary>Whether the sign-in asked for a browser cookie (kept from the password step).</summary>
    public bool UseCookie { get; private set; }
}

/// <summary>
/// A one-time sign-in code for a field volunteer's phone (shown as a QR code by community staff): valid a few minutes,
/// used once, after which the phone is a <see cref="TrustedDevice"/>.
/// </summary>
public sealed class SignInCode : OneTimeGrant
{
    private SignInCode()
    {
    }

    public SignInCode(Guid userId, Guid issuedBy, string tokenHash, DateTimeOffset now, TimeSpan lifetime)
        : base(userId, tokenHash, now, lifetime)
    {
        IssuedBy = issuedBy;
    }

    /// <summary>The community staff member who issued it.</summary>
    public Guid IssuedBy { get; private set; }
}
