using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Jobs;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Duty;

/// <summary>
/// Every minute: (a) raises an alert for each open case whose category counts natural time and whose due time passed
/// (once per case and due time: the alert's unique source key), and (b) escalates every open alert whose time to
/// acknowledge ran out to the leader on call (or the operations centre's staff). Each alert is saved on its own with its
/// notifications; its version makes the second of two instances (or runs) fail its save and leave it, so an alert is
/// escalated once.
/// </summary>
public sealed class DutyAlertJob(CivicGridDbContext db, IOptions<DutyOptions> duty, IOptions<DutyAlertJobOptions> options, ILogger<DutyAlertJob> logger)
    : IScheduledJob
{
    public string Name => "duty-alerts";

    public ScheduledJobOptions Schedule => options.Value;

    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken ct) => await RaiseOverdueAsync(now, ct) + await EscalateAsync(now, ct);

    private async Task<int> RaiseOverdueAsync(DateTimeOffset now, CancellationToken ct)
    {
        var since = now - duty.Value.OverdueLookBack;
        var natural = new[] { TimeLimitUnit.NaturalHours, TimeLimitUnit.NaturalDays };
        var overdue = await (
                from c in db.Cases.IgnoreQueryFilters().AsNoTracking()
                join k in db.CaseCategories.IgnoreQueryFilters().AsNoTracking() on c.CategoryCode equals k.Code
                where natural.Contains(k.TimeLimitUnit) && c.Status != CaseStatus.Rejected && c.Status != CaseStatus.Closed && c.Status != CaseStatus.Merged && c.Status != CaseStatus.Withdrawn
                    && c.Status != CaseStatus.Handled && c.Status != CaseStatus.Verified && c.Status != CaseStatus.Parked
                    && c.DueAt != null && c.DueAt < now && c.DueAt > since
                select c.Id)
            .Take(500).ToListAsync(ct);
        var raised = 0;
        foreach (var id in overdue)
        {
            try
            {
                var subject = await db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == id, ct);
                var writer = new NotificationWriter(db);
                var alert = await DutyDesk.RaiseAsync(db, writer, DutyAlertKind.UrgentOverdue, $"overdue:{id:N}:{subject.DueAt!.Value.UtcTicks}", subject, now,
                    duty.Value.AcknowledgeWithin, ct);
                if (alert is null)
                {
                    continue;
                }

                await db.SaveChangesAsync(ct);
                raised++;
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                logger.LogInformation("Job {Job}: the overdue alert of case {CaseId} was raised by another run", Name, id);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }

        return raised;
    }

    private async Task<int> EscalateAsync(DateTimeOffset now, CancellationToken ct)
    {
        var due = await db.DutyAlerts.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.State == DutyAlertState.Open && a.AcknowledgeBy <= now).OrderBy(a => a.AcknowledgeBy).Select(a => a.Id).Take(500).ToListAsync(ct);
        var escalated = 0;
        foreach (var id in due)
        {
            try
            {
                var alert = await db.DutyAlerts.IgnoreQueryFilters().SingleAsync(a => a.Id == id, ct);
                if (alert.State != DutyAlertState.Open || alert.AcknowledgeBy > now)
                {
                    continue;
                }

                await DutyDesk.EscalateAsync(db, new NotificationWriter(db), alert, now, ct);
                await db.SaveChangesAsync(ct);
                escalated++;
            }
            catch (Exception e) when (e is DbUpdateConcurrencyException or DutyRuleException || (e is DbUpdateException u && DbErrors.IsUniqueViolation(u)))
            {
                logger.LogInformation("Job {Job} left alert {AlertId}: it changed meanwhile ({Reason})", Name, id, e.GetType().Name);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }

        return escalated;
    }
}
