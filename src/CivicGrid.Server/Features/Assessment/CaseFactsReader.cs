using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Calendar;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>A case's facts with the grid and people it belongs to, for grouping by subject.</summary>
public sealed record SubjectCase(string GridCode, Guid? AssigneeUserId, Guid? ReporterId, CaseFacts Facts);

/// <summary>
/// Reads the facts of every case (in the caller's scope) that can count in a period: reported in it or in the
/// <see cref="CaseIndicators.RepeatWindow"/> before it, or still in work at its start, or handled, closed or due in it.
/// One query, with each case's first screening decision.
/// </summary>
public static class CaseFactsReader
{
    /// <param name="gridPrefix">Only the cases of this grid's subtree, when given.</param>
    /// <param name="person">Only the cases assigned to or reported by this account, when given.</param>
    public static async Task<List<SubjectCase>> ReadAsync(CivicGridDbContext db, WorkCalendar calendar, AssessmentOptions options,
        DateTimeOffset start, DateTimeOffset end, CancellationToken ct, string? gridPrefix = null, Guid? person = null)
    {
        // PostgreSQL takes instants in UTC only.
        (start, end) = (start.ToUniversalTime(), end.ToUniversalTime());
        var lookBack = start - CaseIndicators.RepeatWindow;
        var cases = db.Cases.AsNoTracking();
        // A subtree is read through the grid-code index as a range of codes.
        cases = cases.InSubtree(c => c.GridCode, gridPrefix);

        if (person is { } id)
        {
            cases = cases.Where(c => c.AssigneeUserId == id || c.ReporterId == id);
        }

        // One query: each case with its first screening decision (cases filed already accepted have none), read through the
        // timeline's key (case, sequence) for each case rather than in a second round of queries.
        var rows = await cases
            .Where(c => c.ReportedAt < end && (c.ReportedAt >= lookBack || c.ClosedAt == null || c.ClosedAt >= start || c.HandledAt >= start || c.DueAt >= start))
            .Select(c => new
            {
                c.Number, c.CategoryCode, c.Channel, c.Status, c.Tier, c.Location, c.GridCode, c.ReportedAt, c.DueAt, c.HandledAt, c.ClosedAt,
                c.Rating, c.ReopenCount, c.SupervisionCount, c.AssigneeUserId, c.ReporterId, Mediations = c.Mediations.Count,
                Screened = c.ReportedAt >= start
                    ? c.Timeline.Where(e => e.Action == "accept" || e.Action == "reject").OrderBy(e => e.Sequence).Select(e => (DateTimeOffset?)e.At).FirstOrDefault()
                    : null,
            })
            .ToListAsync(ct);

        // In case-number order (the order of filing) whatever plan the database chose, so that the evidence lists the same cases
        // in the same order whether one grid or the whole scope was read.
        return [.. rows.OrderBy(r => r.Number, StringComparer.Ordinal).Select(r =>
        {
            // Only the screening of a case reported in the period is assessed.
            var acceptedAt = r.ReportedAt >= start ? r.Screened : null;
            // A case that was never screened by a person (filed already accepted by staff or a sensor rule) has no
            // acceptance to be late with; one waiting for screening has.
            DateTimeOffset? acceptDue = acceptedAt is not null || r.Status == CaseStatus.Reported
                ? calendar.AddWorkingHours(r.ReportedAt, options.AcceptWithinWorkingHours)
                : null;
            return new SubjectCase(r.GridCode, r.AssigneeUserId, r.ReporterId, new CaseFacts(r.Number, r.CategoryCode, r.Channel, r.Status, r.Tier,
                r.Location.X, r.Location.Y, r.ReportedAt, acceptDue, acceptedAt, r.DueAt, r.HandledAt, r.ClosedAt, r.Rating, r.ReopenCount,
                r.SupervisionCount, r.Mediations));
        })];
    }
}
