using CivicGrid.Domain.Calendar;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Assessment;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Cases.Queries;

/// <summary>Which deadline a case's stage is working against.</summary>
public enum CaseDeadlineKind
{
    /// <summary>受理时限: a reported case is to be accepted or refused within the acceptance time on the work calendar.</summary>
    Accept = 1,

    /// <summary>办理时限: an assigned case or one in handling is due by its assignment's due time.</summary>
    Handle = 2,

    /// <summary>督办时限: a supervised case in work without a due time of its own.</summary>
    Supervision = 3,

    /// <summary>复查日期: a parked case is reviewed on its review date (from the start of that Beijing day).</summary>
    Review = 4,
}

/// <summary>
/// The deadline a case is working against now, for lists and the detail. Only a stored due time used to be shown, which
/// an assignment sets and a transfer, an escalation or a return clears, so reported, escalated and parked cases — most of
/// an inbox — showed none. Here each waiting stage has its own: reported → the acceptance time (AssessmentOptions, the same
/// rule the acceptance indicator counts), assigned or in handling → the due time (or the supervision's when there is
/// none), parked → the review date. Accepted cases waiting to be assigned, results waiting for verification and final
/// cases have no deadline.
/// </summary>
public sealed record CaseDeadline(DateTimeOffset At, CaseDeadlineKind Kind)
{
    public static CaseDeadline? Of(Case c, WorkCalendar calendar, double acceptWithinWorkingHours)
    {
        ArgumentNullException.ThrowIfNull(c);
        return Of(c.Status, c.ReportedAt, c.DueAt, c.SupervisionDueAt, c.ParkedUntil, calendar, acceptWithinWorkingHours);
    }

    /// <summary>The deadline from the facts it depends on (what the deadline sort reads for a whole selection).</summary>
    public static CaseDeadline? Of(CaseStatus status, DateTimeOffset reportedAt, DateTimeOffset? dueAt, DateTimeOffset? supervisionDueAt, DateOnly? parkedUntil,
        WorkCalendar calendar, double acceptWithinWorkingHours)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return status switch
        {
            CaseStatus.Reported => new CaseDeadline(calendar.AddWorkingHours(reportedAt, acceptWithinWorkingHours).ToUniversalTime(), CaseDeadlineKind.Accept),
            CaseStatus.Assigned or CaseStatus.InHandling when dueAt is { } due => new CaseDeadline(due, CaseDeadlineKind.Handle),
            CaseStatus.Assigned or CaseStatus.InHandling when supervisionDueAt is { } supervision => new CaseDeadline(supervision, CaseDeadlineKind.Supervision),
            CaseStatus.Parked when parkedUntil is { } review =>
                new CaseDeadline(new DateTimeOffset(review.ToDateTime(TimeOnly.MinValue), CaseFilter.BeijingOffset).ToUniversalTime(), CaseDeadlineKind.Review),
            _ => null,
        };
    }

    /// <summary>Whether the deadline has passed at <paramref name="now"/>.</summary>
    public bool IsPast(DateTimeOffset now) => At < now;
}

/// <summary>What a page of case summaries needs besides the cases: grid names, the calendar and the acceptance time.</summary>
internal sealed record CaseListContext(IReadOnlyDictionary<string, string> GridNames, WorkCalendar Calendar, double AcceptWithinWorkingHours, bool Resident)
{
    public static async Task<CaseListContext> LoadAsync(CivicGridDbContext db, IEnumerable<string> gridCodes, WorkCalendar calendar,
        AssessmentOptions assessment, bool resident, CancellationToken ct) =>
        new(await GridNamesAsync(db, gridCodes, ct), calendar, assessment.AcceptWithinWorkingHours, resident);

    /// <summary>
    /// The names of the given grids whatever the caller's scope, as <see cref="CivicGridDbContext.GridNameAsync"/> for one:
    /// a name shown beside a case the caller already sees.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> GridNamesAsync(CivicGridDbContext db, IEnumerable<string> codes, CancellationToken ct)
    {
        var wanted = codes.Where(c => !string.IsNullOrEmpty(c)).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var rows = await db.Grids.IgnoreQueryFilters().AsNoTracking().Where(g => wanted.Contains(g.Code)).Select(g => new { g.Code, g.Name }).ToListAsync(ct);
        return rows.GroupBy(r => r.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
    }
}
