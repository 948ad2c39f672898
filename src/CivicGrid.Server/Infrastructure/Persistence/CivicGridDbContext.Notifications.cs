using CivicGrid.Server.Features.Devices;
using CivicGrid.Server.Features.Notifications;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>The save hook: case changes carry their notifications (and a final case its device links' closing) into the same transaction.</summary>
public abstract partial class CivicGridDbContext
{
    /// <summary>
    /// Saves, with the notifications that new case timeline entries call for derived into the same transaction
    /// (<see cref="CaseNotifier"/>); if the save fails they are taken back with it.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        await DeviceCaseLinks.CloseForFinalCasesAsync(this, cancellationToken);
        var notifications = await CaseNotifier.AddForNewEntriesAsync(this, cancellationToken);
        var recipientsChange = RecipientDirectory.Touches(this);
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch
        {
            notifications?.Undo();
            throw;
        }
        finally
        {
            if (recipientsChange)
            {
                RecipientDirectory.Invalidate(this);
            }
        }
    }

    /// <inheritdoc cref="SaveChangesAsync(bool, CancellationToken)"/>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        // No synchronisation context in ASP.NET Core or the commands; the async path is the one in use.
        DeviceCaseLinks.CloseForFinalCasesAsync(this, CancellationToken.None).GetAwaiter().GetResult();
        var notifications = CaseNotifier.AddForNewEntriesAsync(this, CancellationToken.None).GetAwaiter().GetResult();
        var recipientsChange = RecipientDirectory.Touches(this);
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        catch
        {
            notifications?.Undo();
            throw;
        }
        finally
        {
            if (recipientsChange)
            {
                RecipientDirectory.Invalidate(this);
            }
        }
    }
}
