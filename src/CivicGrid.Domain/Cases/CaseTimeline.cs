using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CivicGrid.Domain.Cases;

/// <summary>
/// The hash chain over a case's timeline. Each entry's hash is SHA-256 over the previous entry's hash (for the
/// first entry, the case number) and the canonical form of every field but the hash itself, so changing,
/// removing or reordering an entry breaks the chain from that entry on.
/// </summary>
/// <remarks>
/// The chain makes tampering detectable, not impossible: whoever can rewrite the whole table can recompute every
/// hash. The operator command <c>audit verify</c> checks chains; keeping the last hash elsewhere (an export, a
/// signed log) catches a rewrite. Dropping entries from the end is caught by comparing the count with
/// <see cref="Case.Version"/> (see <see cref="Case.VerifyTimeline"/>).
/// </remarks>
public static class CaseTimeline
{
    private const string Format = "civicgrid.case-timeline.v1";

    /// <summary>
    /// The one canonical serialisation of an entry, hashed by <see cref="HashOf"/>. Every field except
    /// <see cref="CaseTimelineEntry.Hash"/> appears, in a fixed order, as <c>name=</c> followed by the value's
    /// length in UTF-16 code units, <c>:</c>, the value, and a line feed; the length prefix makes the form
    /// unambiguous whatever the values contain. Enums are written by name, times as UTC to the microsecond,
    /// details in ordinal key order whatever comparer the dictionary was built with.
    /// </summary>
    /// <remarks>Changing this changes every hash: add a new format version instead.</remarks>
    public static string Canonical(CaseTimelineEntry entry)
    {
        var text = new StringBuilder();
        Field(text, "format", Format);
        Field(text, "sequence", entry.Sequence.ToString(CultureInfo.InvariantCulture));
        Field(text, "at", entry.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        Field(text, "actor-id", entry.ActorId.ToString("D"));
        Field(text, "actor-name", entry.ActorName);
        Field(text, "action", entry.Action);
        Field(text, "from-status", entry.FromStatus?.ToString());
        Field(text, "to-status", entry.ToStatus.ToString());
        Field(text, "from-tier", entry.FromTier.ToString());
        Field(text, "to-tier", entry.ToTier.ToString());
        Field(text, "from-grid", entry.FromGridCode);
        Field(text, "to-grid", entry.ToGridCode);
        Field(text, "note", entry.Note);
        Field(text, "details", entry.Details.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in entry.Details.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            Field(text, "detail-key", key);
            Field(text, "detail-value", value);
        }

        Field(text, "attachments", entry.AttachmentIds.Length.ToString(CultureInfo.InvariantCulture));
        foreach (var id in entry.AttachmentIds)
        {
            Field(text, "attachment", id.ToString("D"));
        }

        Field(text, "public", entry.IsPublic ? "1" : "0");
        Field(text, "public-text", entry.PublicText);
        return text.ToString();
    }

    /// <summary>The hash an entry must carry when it follows <paramref name="previousHash"/> (the case number for the first).</summary>
    public static string HashOf(CaseTimelineEntry entry, string previousHash)
    {
        var bytes = Encoding.UTF8.GetBytes(previousHash + "\n" + Canonical(entry));
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>
    /// Checks a case's entries, in stored order. Returns the sequence number of the first entry that is out of
    /// place or whose hash does not match, or null when the whole chain holds.
    /// </summary>
    /// <param name="caseNumber">The case the chain belongs to; it anchors the first hash.</param>
    public static int? Verify(string caseNumber, IReadOnlyList<CaseTimelineEntry> entries)
    {
        var previous = caseNumber;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Sequence != i + 1 || entry.Hash != HashOf(entry, previous))
            {
                return i + 1;
            }

            previous = entry.Hash;
        }

        return null;
    }

    /// <summary>The entry with its hash set, chained to <paramref name="previousHash"/>.</summary>
    internal static CaseTimelineEntry Seal(CaseTimelineEntry entry, string previousHash) =>
        entry with { Hash = HashOf(entry, previousHash) };

    /// <summary>UTC, to the microsecond: what PostgreSQL's <c>timestamptz</c> keeps, so a stored entry hashes the same.</summary>
    internal static DateTimeOffset Normalise(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    private static void Field(StringBuilder text, string name, string? value)
    {
        text.Append(name).Append('=');
        if (value is null)
        {
            text.Append('-');
        }
        else
        {
            text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
        }

        text.Append('\n');
    }
}
