using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Routing;

/// <summary>What a learned routing rule is keyed by.</summary>
public enum OverrideSubject
{
    /// <summary>A building code (17 digits).</summary>
    Building = 1,

    /// <summary>A compound code (16 digits).</summary>
    Compound = 2,

    /// <summary>A normalised address text (see <see cref="AddressText.Normalize"/>).</summary>
    Address = 3,
}

/// <summary>
/// A lesson from a misrouted case: reports about this building, compound or address belong to
/// <see cref="ToGridCode"/>, whatever the map says. Staff teach it when they transfer a case
/// (the transfer itself is part of the case workflow); the router applies it before the map.
/// The newest active lesson for a subject wins; a lesson is never deleted, only withdrawn.
/// </summary>
public sealed class RoutingOverride
{
    private RoutingOverride()
    {
        SubjectKey = null!;
        ToGridCode = null!;
        Reason = null!;
    }

    public RoutingOverride(OverrideSubject subject, string subjectKey, string? fromGridCode, string toGridCode, string reason,
        Guid? taughtBy, string? caseNumber, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (toGridCode.Length < GridCodes.CommunityLength || !toGridCode.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A case is routed to a community or a grid below it.", nameof(toGridCode));
        }

        if (fromGridCode == toGridCode)
        {
            throw new ArgumentException("A lesson moves reports to another grid.", nameof(toGridCode));
        }

        Id = Guid.CreateVersion7();
        Subject = subject;
        SubjectKey = subject == OverrideSubject.Address ? AddressText.Normalize(subjectKey) : subjectKey.Trim();
        FromGridCode = fromGridCode;
        ToGridCode = toGridCode;
        Reason = reason.Trim();
        TaughtBy = taughtBy;
        CaseNumber = caseNumber;
        CreatedAt = at;
    }

    public Guid Id { get; private set; }

    public OverrideSubject Subject { get; private set; }

    /// <summary>Building or compound code, or normalised address.</summary>
    public string SubjectKey { get; private set; }

    /// <summary>Where the map sent such reports; null when unknown.</summary>
    public string? FromGridCode { get; private set; }

    /// <summary>Where they belong; scope checks use this code.</summary>
    public string ToGridCode { get; private set; }

    public string Reason { get; private set; }

    public Guid? TaughtBy { get; private set; }

    /// <summary>The case whose transfer taught the lesson, if any.</summary>
    public string? CaseNumber { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? WithdrawnAt { get; private set; }

    public bool IsActive => WithdrawnAt is null;

    public void Withdraw(DateTimeOffset at) => WithdrawnAt ??= at;
}

/// <summary>Address text in one canonical form, so that "长乐路１２号院 ３号楼" and "长乐路12号院3号楼" match.</summary>
public static class AddressText
{
    /// <summary>
    /// Full-width letters and digits become half-width, letters upper case, and white space and
    /// common punctuation go. Province, city and district names are kept: matching looks for a
    /// known address inside the text, so a prefix does no harm.
    /// </summary>
    public static string Normalize(string address)
    {
        var builder = new System.Text.StringBuilder(address.Length);
        foreach (var c in address.Normalize(System.Text.NormalizationForm.FormKC))
        {
            if (char.IsWhiteSpace(c) || c is ',' or '，' or '、' or '·' or '-' or '—' or '(' or ')' or '（' or '）')
            {
                continue;
            }

            builder.Append(char.ToUpperInvariant(c));
        }

        return builder.ToString();
    }
}
