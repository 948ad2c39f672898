using System.Security.Cryptography;

namespace CivicGrid.Domain.Accounts;

/// <summary>
/// A user's second factor: a TOTP authenticator (RFC 6238) and ten one-time recovery codes. The secret is kept
/// encrypted by the server (<see cref="ProtectedSecret"/> is opaque here); the methods that check a code take the
/// decrypted secret. One row per user; it exists from the first enrolment start, and a reset by the security admin
/// keeps it (empty, with <see cref="MustEnrol"/>) so that the next sign-in enrols again.
/// </summary>
public sealed class SecondFactor
{
    /// <summary>How many recovery codes an enrolment (or a regeneration) gives.</summary>
    public const int RecoveryCodeCount = 10;

    private readonly List<RecoveryCode> _recoveryCodes = [];

    private SecondFactor()
    {
    }

    public SecondFactor(Guid userId, DateTimeOffset now)
    {
        UserId = userId;
        CreatedAt = now;
    }

    public Guid UserId { get; private set; }

    /// <summary>The authenticator secret as the server's data protection encrypted it; null when none is being enrolled or enrolled.</summary>
    public string? ProtectedSecret { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the authenticator was confirmed with a code; null while none is enrolled.</summary>
    public DateTimeOffset? EnrolledAt { get; private set; }

    /// <summary>The TOTP step of the last code accepted; codes of that step and earlier are refused (replay).</summary>
    public long LastUsedStep { get; private set; }

    /// <summary>Set by a reset: the user enrols again at the next sign-in, whatever their roles.</summary>
    public bool MustEnrol { get; private set; }

    public DateTimeOffset? ResetAt { get; private set; }

    public Guid? ResetBy { get; private set; }

    public IReadOnlyList<RecoveryCode> RecoveryCodes => _recoveryCodes;

    public bool IsEnrolled => EnrolledAt is not null;

    /// <summary>True while a secret waits to be confirmed.</summary>
    public bool IsPending => !IsEnrolled && ProtectedSecret is not null;

    public int RecoveryCodesLeft => _recoveryCodes.Count(c => c.UsedAt is null);

    /// <summary>Starts (or restarts) an enrolment with a new secret, encrypted by the caller.</summary>
    /// <exception cref="InvalidOperationException">An authenticator is already enrolled: it must be reset first.</exception>
    public void StartEnrolment(string protectedSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(protectedSecret);
        if (IsEnrolled)
        {
            throw new InvalidOperationException("An authenticator is already enrolled.");
        }

        ProtectedSecret = protectedSecret;
        LastUsedStep = 0;
    }

    /// <summary>
    /// Confirms the pending enrolment with the first code the authenticator shows; on success the user is enrolled and
    /// gets fresh recovery codes (returned in clear, to be shown once).
    /// </summary>
    /// <exception cref="InvalidOperationException">No enrolment is pending.</exception>
    public (TotpOutcome Outcome, IReadOnlyList<string> RecoveryCodes) ConfirmEnrolment(ReadOnlySpan<byte> secret, string? code, DateTimeOffset now)
    {
        if (!IsPending)
        {
            throw new InvalidOperationException("No enrolment is pending.");
        }

        var verdict = Totp.Verify(secret, code, now, LastUsedStep);
        if (verdict.Outcome != TotpOutcome.Accepted)
        {
            return (verdict.Outcome, []);
        }

        LastUsedStep = verdict.Step;
        EnrolledAt = now;
        MustEnrol = false;
        return (TotpOutcome.Accepted, IssueRecoveryCodes(now));
    }

    /// <summary>Checks a code of the enrolled authenticator; an accepted code's step cannot be used again.</summary>
    /// <exception cref="InvalidOperationException">No authenticator is enrolled.</exception>
    public TotpOutcome VerifyCode(ReadOnlySpan<byte> secret, string? code, DateTimeOffset now)
    {
        if (!IsEnrolled)
        {
            throw new InvalidOperationException("No authenticator is enrolled.");
        }

        var verdict = Totp.Verify(secret, code, now, LastUsedStep);
        if (verdict.Outcome == TotpOutcome.Accepted)
        {
            LastUsedStep = verdict.Step;
        }

        return verdict.Outcome;
    }

    /// <summary>Uses up the recovery code typed, if it is one of this user's unused codes (dashes, spaces and case ignored).</summary>
    public bool UseRecoveryCode(string? code, DateTimeOffset now)
    {
        if (!IsEnrolled || string.IsNullOrWhiteSpace(code))
        {
            return false;
        }

        var hash = RecoveryCode.Hash(code);
        var match = _recoveryCodes.FirstOrDefault(c => c.UsedAt is null && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(c.CodeHash), System.Text.Encoding.ASCII.GetBytes(hash)));
        if (match is null)
        {
            return false;
        }

        match.MarkUsed(now);
        return true;
    }

    /// <summary>Replaces every recovery code with <see cref="RecoveryCodeCount"/> new ones, returned in clear once.</summary>
    public IReadOnlyList<string> IssueRecoveryCodes(DateTimeOffset now)
    {
        if (!IsEnrolled)
        {
            throw new InvalidOperationException("Recovery codes belong to an enrolled authenticator.");
        }

        _recoveryCodes.Clear();
        var codes = new List<string>(RecoveryCodeCount);
        for (var i = 0; i < RecoveryCodeCount; i++)
        {
            var code = RecoveryCode.NewText();
            codes.Add(code);
            _recoveryCodes.Add(new RecoveryCode(UserId, RecoveryCode.Hash(code), now));
        }

        return codes;
    }

    /// <summary>The security admin's reset: the authenticator and recovery codes are gone; the user enrols again at the next sign-in.</summary>
    public void Reset(Guid by, DateTimeOffset now)
    {
        ProtectedSecret = null;
        EnrolledAt = null;
        LastUsedStep = 0;
        _recoveryCodes.Clear();
        MustEnrol = true;
        ResetAt = now;
        ResetBy = by;
    }

    /// <summary>
    /// What a sign-in with the right password still needs: a code when an authenticator is enrolled; an enrolment when
    /// the security admin reset it, or when the user's roles need a second factor (<see cref="Roles.NeedSecondFactor"/>)
    /// and <paramref name="requiredByRole"/> is on (the installation's setting); otherwise nothing.
    /// </summary>
    public static SecondFactorStep NextStep(IReadOnlyCollection<Role> roles, SecondFactor? factor, bool requiredByRole)
    {
        if (factor is { IsEnrolled: true })
        {
            return SecondFactorStep.Verify;
        }

        if (factor is { MustEnrol: true } || (requiredByRole && roles.Any(Accounts.Roles.NeedSecondFactor.Contains)))
        {
            return SecondFactorStep.Enrol;
        }

        return SecondFactorStep.None;
    }
}

/// <summary>One of a user's one-time recovery codes, kept as a SHA-256 hash (a code has 50 random bits and is used once).</summary>
public sealed class RecoveryCode
{
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    private RecoveryCode()
    {
        CodeHash = null!;
    }

    internal RecoveryCode(Guid userId, string codeHash, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        UserId = userId;
        CodeHash = codeHash;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public string CodeHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? UsedAt { get; private set; }

    internal void MarkUsed(DateTimeOffset now) => UsedAt = now;

    /// <summary>A new code as shown to the user: ten characters in two groups (<c>K7QM2-XR4PN</c>), no look-alike characters.</summary>
    internal static string NewText()
    {
        var text = RandomNumberGenerator.GetString(Alphabet, 10);
        return $"{text[..5]}-{text[5..]}";
    }

    /// <summary>Hex SHA-256 of the code without dashes or spaces, upper case.</summary>
    public static string Hash(string code)
    {
        var normalized = string.Concat(code.Where(char.IsAsciiLetterOrDigit)).ToUpperInvariant();
        return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(normalized)));
    }
}
