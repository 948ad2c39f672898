using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Patrols;

/// <summary>
/// Links a case to its reporter's open patrol in the same save that files it, whichever way it was filed (the quick report,
/// 随手拍 signed in, the intake writer's batches): the intake knows the reporter, and a reporter has at most one open patrol.
/// Only channels a walker reports through are looked at, so other intake pays nothing.
/// </summary>
public sealed class PatrolCaseLinks : ISaveHook
{
    public async ValueTask<Action<bool>?> SavingAsync(CivicGridDbContext db, CancellationToken ct)
    {
        if (!db.ChangeTracker.HasChanges())
        {
            return null;
        }

        var reported = db.ChangeTracker.Entries<Case>()
            .Where(e => e.State == EntityState.Added && e.Entity.ReporterId is not null && e.Entity.Channel is CaseChannel.GridPatrol or CaseChannel.ResidentApp)
            .Select(e => e.Entity).ToList();
        if (reported.Count == 0)
        {
            return null;
        }

        var reporters = reported.Select(c => c.ReporterId!.Value).Distinct().ToList();
        var open = await db.Patrols.IgnoreQueryFilters().AsNoTracking()
            .Where(p => reporters.Contains(p.WorkerId) && p.Status == PatrolStatus.Open)
            .Select(p => new { p.Id, p.WorkerId, p.GridCode }).ToListAsync(ct);
        foreach (var patrol in open)
        {
            foreach (var c in reported.Where(c => c.ReporterId == patrol.WorkerId))
            {
                db.PatrolCases.Add(new PatrolCase { PatrolId = patrol.Id, CaseId = c.Id, CaseNumber = c.Number, GridCode = patrol.GridCode, ReportedAt = c.ReportedAt });
            }
        }

        return null;
    }
}
