using System.Collections.Immutable;

namespace CivicGrid.Domain.Cases;

/// <summary>
/// One change to a case (an "event" in the domain's words): who, when, what, from → to, note, attachments.
/// Entries are appended by the verbs on <see cref="Case"/> and never change; <see cref="Hash"/> chains each
/// entry to the one before (see <see cref="CaseTimeline"/>), so an edit to any stored field is detectable.
/// </summary>
/// <remarks>
/// A <c>with</c> expression makes a changed copy, not a changed entry; its hash no longer verifies, which is
/// exactly what <see cref="CaseTimeline.Verify"/> reports.
/// </remarks>
public sealed record CaseTimelineEntry
{
    /// <summary>1 for the report, then one more per entry, without gaps.</summary>
    public required int Sequence { get; init; }

    /// <summary>When it happened, in UTC, truncated to whole microseconds so that it survives a database round trip.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The acting user; <see cref="Guid.Empty"/> for the system or an anonymous reporter.</summary>
    public required Guid ActorId { get; init; }

    public required string ActorName { get; init; }

    /// <summary>What happened, a stable kebab-case name: <c>report</c>, <c>accept</c>, <c>transfer</c>, <c>escalate</c>…</summary>
    public required string Action { get; init; }

    /// <summary>The status before; null for the report, which creates the case.</summary>
    public CaseStatus? FromStatus { get; init; }

    public required CaseStatus ToStatus { get; init; }

    public required CaseTier FromTier { get; init; }

    public required CaseTier ToTier { get; init; }

    /// <summary>The grid before, set only when the entry moved the case (a transfer).</summary>
    public string? FromGridCode { get; init; }

    /// <summary>The grid after, set only when the entry moved the case (a transfer).</summary>
    public string? ToGridCode { get; init; }

    /// <summary>The person's words: a reason, a handling note, a comment. Staff only unless quoted in <see cref="PublicText"/>.</summary>
    public string? Note { get; init; }

    /// <summary>Facts of the verb that are not a status, e.g. <c>assignee</c>, <c>due</c>, <c>rating</c>, <c>merged-into</c>.</summary>
    public ImmutableSortedDictionary<string, string> Details { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Photos and documents, by their stored file id.</summary>
    public ImmutableArray<Guid> AttachmentIds { get; init; } = [];

    /// <summary>True when a resident who reported the case sees this entry, as <see cref="PublicText"/>.</summary>
    public required bool IsPublic { get; init; }

    /// <summary>Plain Chinese for residents, e.g. 您反映的问题已交由网格长处理。 Set on every entry, shown only when public.</summary>
    public required string PublicText { get; init; }

    /// <summary>Lower-case hex SHA-256 over <see cref="CaseTimeline.Canonical"/> of this entry and the previous entry's hash.</summary>
    public string Hash { get; init; } = string.Empty;
}
