using System.Globalization;
using System.Security.Cryptography;

namespace CivicGrid.Domain.Roster;

/// <summary>What a work ID is on a given day.</summary>
public enum WorkIdStatus
{
    Valid = 1,
    Expired = 2,
    Revoked = 3,

    /// <summary>Issued ahead of its first valid day.</summary>
    NotYetValid = 4,
}

/// <summary>
/// A grid worker's work ID (网格员工作证), issued after the required training. Its number is printed on the card; its
/// <see cref="VerifyToken"/> (random, unrelated to the number) is in the card's QR code and opens the public check page.
/// </summary>
public sealed class WorkId
{
    public const int SequenceDigits = 4;

    private WorkId()
    {
        Number = null!;
        VerifyToken = null!;
        CommunityCode = null!;
    }

    /// <param name="validFrom">First valid day (Beijing date).</param>
    /// <param name="validUntil">Last valid day, inclusive; not before <paramref name="validFrom"/>.</param>
    public WorkId(Guid memberId, string communityCode, string number, DateOnly validFrom, DateOnly validUntil, Guid issuedBy, DateTimeOffset issuedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        if (validUntil < validFrom)
        {
            throw new ArgumentOutOfRangeException(nameof(validUntil), validUntil, "A work ID's last valid day is not before its first.");
        }

        Id = Guid.CreateVersion7();
        MemberId = memberId;
        CommunityCode = communityCode;
        Number = number;
        VerifyToken = NewToken();
        ValidFrom = validFrom;
        ValidUntil = validUntil;
        IssuedBy = issuedBy;
        IssuedAt = issuedAt;
    }

    public Guid Id { get; private set; }

    public Guid MemberId { get; private set; }

    /// <summary>The member's community at issue; the scope of the record.</summary>
    public string CommunityCode { get; private set; }

    /// <summary>Subdistrict code (9) + year (4) + sequence (4), e.g. 6101030992026 0007 without the space; unique.</summary>
    public string Number { get; private set; }

    /// <summary>128 random bits, base64url: the public page's key. Not derivable from the number.</summary>
    public string VerifyToken { get; private set; }

    /// <summary>The card's photo (stored like case photos, metadata stripped); null until uploaded.</summary>
    public Guid? PhotoId { get; set; }

    public DateOnly ValidFrom { get; private set; }

    public DateOnly ValidUntil { get; private set; }

    public Guid IssuedBy { get; private set; }

    public DateTimeOffset IssuedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public string? RevokedReason { get; private set; }

    /// <summary>The status on <paramref name="today"/>: revoked wins, then the validity dates (both inclusive).</summary>
    public WorkIdStatus StatusOn(DateOnly today) =>
        RevokedAt is not null ? WorkIdStatus.Revoked
        : today < ValidFrom ? WorkIdStatus.NotYetValid
        : today > ValidUntil ? WorkIdStatus.Expired
        : WorkIdStatus.Valid;

    /// <summary>Valid today but its last day is within <paramref name="days"/> days.</summary>
    public bool ExpiresWithin(DateOnly today, int days) => StatusOn(today) == WorkIdStatus.Valid && ValidUntil <= today.AddDays(days);

    /// <exception cref="InvalidOperationException">Already revoked (the first revocation is kept).</exception>
    public void Revoke(string reason, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (RevokedAt is not null)
        {
            throw new InvalidOperationException($"Work ID {Number} was revoked at {RevokedAt}.");
        }

        RevokedAt = at;
        RevokedReason = reason.Trim();
    }

    /// <summary>The number of the <paramref name="sequence"/>th ID of a subdistrict in a year.</summary>
    public static string FormatNumber(string subdistrictCode, int year, int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{subdistrictCode}{year:D4}{sequence.ToString("D" + SequenceDigits, CultureInfo.InvariantCulture)}");

    /// <summary>The name as the public page shows it: first and last character kept, the middle starred (张*华, 李*, 欧**峰).</summary>
    public static string MaskName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var n = name.Trim();
        return n.Length switch
        {
            0 or 1 => n,
            2 => string.Concat(n.AsSpan(0, 1), "*"),
            _ => string.Concat(n.AsSpan(0, 1), new string('*', n.Length - 2), n.AsSpan(n.Length - 1)),
        };
    }

    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
