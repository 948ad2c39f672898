namespace CivicGrid.Server.Features.Sms;

/// <summary>How a number came to be trusted with case messages.</summary>
public enum PhoneVerificationMethod
{
    /// <summary>A one-time code sent to the number was typed back on the phone page.</summary>
    Code = 1,

    /// <summary>Staff typed the number in while speaking with the caller (a phone call, a walk-in); the staff member is recorded.</summary>
    StaffEntry = 2,
}

/// <summary>
/// One verification of a phone number: a one-time code sent to it (kept only as a keyed hash, valid for minutes, a few
/// tries, then a cool-down), or a staff member's attestation of a caller's number. A number with a verified row may
/// receive case messages; until then they are held. Rows are kept: they are the record of who asked for codes, from
/// which address, and who vouched for a number. The number itself is kept only as its blind index.
/// </summary>
public sealed class PhoneVerification
{
    public const int IndexLength = Infrastructure.Privacy.FieldVault.IndexLength;

    private PhoneVerification()
    {
        PhoneIndex = null!;
    }

    private PhoneVerification(string phoneIndex, PhoneVerificationMethod method, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneIndex);
        Id = Guid.CreateVersion7();
        PhoneIndex = phoneIndex;
        Method = method;
        CreatedAt = createdAt;
    }

    /// <summary>A code request: the code's hash is set by <see cref="SetCodeHash"/> (it is keyed with this row's id).</summary>
    public static PhoneVerification ForCode(string phoneIndex, string? addressIndex, DateTimeOffset now, TimeSpan lifetime) =>
        new(phoneIndex, PhoneVerificationMethod.Code, now) { AddressIndex = addressIndex, ExpiresAt = now + lifetime };

    /// <summary>A caller's number vouched for by the staff member who entered their call as case <paramref name="caseNumber"/>.</summary>
    public static PhoneVerification ByStaff(string phoneIndex, Guid staffId, string caseNumber, DateTimeOffset now) =>
        new(phoneIndex, PhoneVerificationMethod.StaffEntry, now) { AttestedBy = staffId, CaseNumber = caseNumber, ExpiresAt = now, VerifiedAt = now };

    public Guid Id { get; private set; }

    /// <summary>The blind index of the number (<c>FieldVault.Index("phone", …)</c>).</summary>
    public string PhoneIndex { get; private set; }

    public PhoneVerificationMethod Method { get; private set; }

    /// <summary>The blind index of the client address that asked for the code (the per-address cap).</summary>
    public string? AddressIndex { get; private set; }

    /// <summary>HMAC of the row id and the code under the index key; never the code.</summary>
    public string? CodeHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>Wrong codes typed so far.</summary>
    public int Attempts { get; private set; }

    /// <summary>Set when the tries ran out: no new code for the number before then.</summary>
    public DateTimeOffset? LockedUntil { get; private set; }

    public DateTimeOffset? VerifiedAt { get; private set; }

    public Guid? AttestedBy { get; private set; }

    public string? CaseNumber { get; private set; }

    public void SetCodeHash(string hash) => CodeHash = hash;
}
