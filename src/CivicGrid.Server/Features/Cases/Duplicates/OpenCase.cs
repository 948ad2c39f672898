using CivicGrid.Domain.Cases;

namespace CivicGrid.Server.Features.Cases.Duplicates;

/// <summary>One open case as the duplicate search needs it: public facts and where it is.</summary>
/// <param name="ReportedAt">
/// Kept to the whole millisecond (see <see cref="Stored"/>): SQLite stores milliseconds and PostgreSQL microseconds, so a
/// time read back from either must never be earlier than the index's own copy of it.
/// </param>
/// <param name="Version">The case's version when this was read; a newer one replaces an older one, never the reverse.</param>
public sealed record OpenCase(string Number, string CategoryCode, CaseStatus Status, DateTimeOffset ReportedAt, double Lon, double Lat, int Version)
{
    /// <summary>A case's state with its report time cut to the whole millisecond, whatever precision it came with.</summary>
    public static OpenCase Stored(string number, string categoryCode, CaseStatus status, DateTimeOffset reportedAt, double lon, double lat, int version) =>
        new(number, categoryCode, status, new DateTimeOffset(reportedAt.UtcTicks - (reportedAt.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero),
            lon, lat, version);
}

/// <summary>One answer of <see cref="OpenCaseIndex.Search"/>: where and when the case was reported, and the case.</summary>
/// <remarks>
/// The position and time are copied from the index's arrays under its lock; the case's record is another object on the
/// heap, and a search in a hotspot answers up to a hundred matches of which the caller keeps a few, so
/// <see cref="Case"/> reads the record only on demand (ADR 0014): the case's latest state at that moment, which may be
/// newer than the search (rarely, already final).
/// </remarks>
public readonly struct OpenCaseMatch
{
    private readonly OpenCaseIndex.CaseHolder _slot;

    internal OpenCaseMatch(double lon, double lat, long reportedAtTicks, OpenCaseIndex.CaseHolder slot) =>
        (Lon, Lat, ReportedAtTicks, _slot) = (lon, lat, reportedAtTicks, slot);

    public double Lon { get; }

    public double Lat { get; }

    /// <summary>The report time, UTC ticks (whole milliseconds, see <see cref="OpenCase.ReportedAt"/>).</summary>
    public long ReportedAtTicks { get; }

    /// <summary>The case's latest state in the index.</summary>
    public OpenCase Case => _slot.Case;
}

/// <summary>What one context has saved of cases and not yet seen committed (see <see cref="OpenCaseIndex"/>'s save hook).</summary>
internal sealed class OpenCaseStates
{
    /// <summary>States of the cases a save is writing, kept apart until the save succeeds.</summary>
    public List<OpenCase>? Unsaved { get; set; }

    /// <summary>States saved inside a transaction, applied when it commits and dropped when it rolls back.</summary>
    public List<OpenCase>? Pending { get; set; }
}
