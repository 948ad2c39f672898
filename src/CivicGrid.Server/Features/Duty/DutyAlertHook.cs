using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Duty;

/// <summary>
/// Raises duty alerts in the save of the case change that calls for them, so an alert exists exactly when the change does:
/// a case reported red or turned red, and a device alarm that opens a case of a kind counted in natural time. Overdue
/// urgent cases have no save of their own: <see cref="DutyAlertJob"/> raises those. A failed save takes its alerts back.
/// </summary>
public sealed class DutyAlertHook(TimeProvider time, IOptions<DutyOptions> options) : ISaveHook
{
    public async ValueTask<Action<bool>?> SavingAsync(CivicGridDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        List<(Case Subject, DutyAlertKind Kind, string Key, bool Added)>? raised = null;
        foreach (var entry in db.ChangeTracker.Entries<Case>())
        {
            var c = entry.Entity;
            if (entry.State == EntityState.Added)
            {
                if (c.Tier == CaseTier.Red)
                {
                    (raised ??= []).Add((c, DutyAlertKind.RedCase, $"red:{c.Id:N}", true));
                }
                else if (c.Channel == CaseChannel.Sensor)
                {
                    (raised ??= []).Add((c, DutyAlertKind.UrgentAlarm, $"alarm:{c.Id:N}", true));
                }
            }
            else if (entry.State == EntityState.Modified && c.Tier == CaseTier.Red && (CaseTier)entry.OriginalValues[nameof(Case.Tier)]! != CaseTier.Red)
            {
                (raised ??= []).Add((c, DutyAlertKind.RedCase, $"red:{c.Id:N}:{c.Version}", false));
            }
        }

        if (raised is null)
        {
            return null;
        }

        var alarms = raised.Where(r => r.Kind == DutyAlertKind.UrgentAlarm).Select(r => r.Subject.CategoryCode).Distinct().ToList();
        HashSet<string> urgent = alarms.Count == 0 ? [] : (await db.CaseCategories.IgnoreQueryFilters().AsNoTracking().Where(k => alarms.Contains(k.Code))
            .Select(k => new { k.Code, k.TimeLimitUnit }).ToListAsync(ct)).Where(k => k.TimeLimitUnit.IsNatural()).Select(k => k.Code).ToHashSet();
        var now = time.GetUtcNow();
        var writer = new NotificationWriter(db);
        foreach (var (subject, kind, key, added) in raised)
        {
            if (kind == DutyAlertKind.UrgentAlarm && !urgent.Contains(subject.CategoryCode))
            {
                continue;
            }

            // A new case alerts whoever was on duty when it was reported (an alarm queued over a weak link arrives late).
            var at = added && subject.ReportedAt < now && subject.ReportedAt > now - options.Value.OverdueLookBack ? subject.ReportedAt : now;
            await DutyDesk.RaiseAsync(db, writer, kind, key, subject, at, options.Value.AcknowledgeWithin, ct);
        }

        return writer.Added.Count == 0 ? null : written =>
        {
            if (!written)
            {
                writer.Undo();
            }
        };
    }
}
