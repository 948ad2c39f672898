using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Npgsql;

namespace CivicGrid.Server.Features.Devices;

/// <summary>
/// Keeps <see cref="DeviceCase.IsOpen"/> true exactly while the linked case is not final: the save hook of
/// (<see cref="ISaveHook"/>) clears it in the same transaction as the verb that closes, rejects or merges the case,
/// whichever endpoint or job that is.
/// </summary>
public sealed class DeviceCaseLinks : ISaveHook
{
    /// <summary>The partial unique index on (device, alarm type) of the open links.</summary>
    public const string OpenIndexName = "IX_device_cases_open";

    /// <summary>Closes the open device links of the cases this save makes final.</summary>
    public async ValueTask<Action<bool>?> SavingAsync(CivicGridDbContext db, CancellationToken ct)
    {
        await CloseForFinalCasesAsync(db, ct);
        return null;
    }

    private static async Task CloseForFinalCasesAsync(CivicGridDbContext db, CancellationToken ct)
    {
        if (!db.ChangeTracker.HasChanges())
        {
            return;
        }

        var finals = db.ChangeTracker.Entries<Case>()
            .Where(e => e.State == EntityState.Modified && e.Entity.Channel == CaseChannel.Sensor && e.Entity.Status.IsFinal() && StatusChanged(e))
            .Select(e => e.Entity.Id).ToList();
        if (finals.Count == 0)
        {
            return;
        }

        var links = await db.DeviceCases.IgnoreQueryFilters().Where(l => finals.Contains(l.CaseId) && l.IsOpen).ToListAsync(ct);
        foreach (var link in links)
        {
            link.Close();
        }
    }

    /// <summary>True when a save failed because another instance opened the case for the same device and alarm type first.</summary>
    public static bool IsOpenLinkConflict(DbUpdateException e) => DbErrors.IsUniqueViolation(e) && e.InnerException switch
    {
        PostgresException p => p.ConstraintName == OpenIndexName,
        // SQLite names the columns, not the index: "UNIQUE constraint failed: device_cases.DeviceId, device_cases.AlarmType".
        Microsoft.Data.Sqlite.SqliteException s => s.Message.Contains("device_cases.DeviceId", StringComparison.Ordinal),
        _ => false,
    };

    private static bool StatusChanged(EntityEntry<Case> entry)
    {
        var status = entry.Property(c => c.Status);
        return status.IsModified && !Equals(status.OriginalValue, status.CurrentValue);
    }
}
