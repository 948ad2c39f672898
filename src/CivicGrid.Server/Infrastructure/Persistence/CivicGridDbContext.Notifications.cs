using CivicGrid.Server.Features.Devices;
using CivicGrid.Server.Features.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>The save hook: case changes carry their notifications (and a final case its device links' closing) into the same transaction.</summary>
public abstract partial class CivicGridDbContext
{
    /// <summary>
    /// Saves, with the notifications that new case timeline entries call for derived into the same transaction
    /// (<see cref="CaseNotifier"/>); if the save fails they are taken back with it.
    /// </summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default) =>
        SaveAsync(acceptAllChangesOnSuccess, newRowsOnly: false, synchronous: false, cancellationToken);

    /// <summary>
    /// Saves exactly like <see cref="SaveChangesAsync(bool, CancellationToken)"/> (the same notifications and save hooks),
    /// but when every change is a new row it writes them with one prepared INSERT per table (<see cref="AddedRowsInserter"/>)
    /// rather than through EF's per-row SQL; any other change set goes through EF. For the intake writer, whose batches are
    /// only new rows. Needs an open transaction on the context (the writer's), so a failure leaves nothing behind.
    /// </summary>
    public Task<int> SaveNewRowsAsync(CancellationToken cancellationToken = default) =>
        SaveAsync(acceptAllChangesOnSuccess: true, newRowsOnly: true, synchronous: false, cancellationToken);

    /// <summary>
    /// <see cref="SaveNewRowsAsync"/> with blocking database calls, for the intake writer's own thread (it never waits in
    /// the thread pool's queue behind the requests it serves).
    /// </summary>
    /// <param name="acceptAllChanges">
    /// False leaves the saved entries as they were (Added) for a caller that clears the tracker right after, as the
    /// writer does: accepting them snapshots every value of every row only for the snapshot to be thrown away.
    /// </param>
    public int SaveNewRows(bool acceptAllChanges = true) =>
        SaveAsync(acceptAllChanges, newRowsOnly: true, synchronous: true, CancellationToken.None).GetAwaiter().GetResult();

    /// <param name="synchronous">
    /// Blocking database calls: the returned task is then complete, unless the notification rules had to load the recipient
    /// directory (every few seconds), which the caller waits for.
    /// </param>
    private async Task<int> SaveAsync(bool acceptAllChangesOnSuccess, bool newRowsOnly, bool synchronous, CancellationToken cancellationToken)
    {
        await DeviceCaseLinks.CloseForFinalCasesAsync(this, cancellationToken);
        var notifications = await CaseNotifier.AddForNewEntriesAsync(this, cancellationToken);
        var recipientsChange = RecipientDirectory.Touches(this);
        try
        {
            if (newRowsOnly && !recipientsChange && Database.CurrentTransaction is not null && NewRowHooks() is { } hooks
                && AddedRowsInserter.TryPlan(this) is { } plan)
            {
                return await InsertNewRowsAsync(plan, hooks, acceptAllChangesOnSuccess, synchronous, cancellationToken);
            }

            return synchronous ? base.SaveChanges(acceptAllChangesOnSuccess) : await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
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

    private async Task<int> InsertNewRowsAsync(AddedRowsInserter.Plan plan, List<INewRowsSaveHook> hooks, bool acceptAllChanges, bool synchronous,
        CancellationToken cancellationToken)
    {
        foreach (var hook in hooks)
        {
            hook.Saving(this);
        }

        int written;
        try
        {
            written = await AddedRowsInserter.InsertAsync(this, plan, synchronous, cancellationToken);
        }
        catch
        {
            foreach (var hook in hooks)
            {
                hook.Failed(this);
            }

            throw;
        }

        if (acceptAllChanges)
        {
            ChangeTracker.AcceptAllChanges();
        }

        foreach (var hook in hooks)
        {
            hook.Saved(this);
        }

        return written;
    }

    /// <summary>
    /// The save interceptors registered on this context, when every one of them also follows saves made without EF's
    /// pipeline (<see cref="INewRowsSaveHook"/>); null otherwise, and the save then goes through EF so none is skipped.
    /// </summary>
    private List<INewRowsSaveHook>? NewRowHooks()
    {
        var hooks = new List<INewRowsSaveHook>();
        var interceptors = this.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors ?? [];
        foreach (var interceptor in interceptors)
        {
            if (interceptor is INewRowsSaveHook hook)
            {
                hooks.Add(hook);
            }
            else if (interceptor is ISaveChangesInterceptor)
            {
                return null;
            }
        }

        return hooks;
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

/// <summary>
/// A save interceptor that also follows the saves <see cref="CivicGridDbContext.SaveNewRowsAsync"/> makes without EF's
/// update pipeline: called where <see cref="ISaveChangesInterceptor"/>'s saving, saved and failed events would be.
/// </summary>
public interface INewRowsSaveHook
{
    /// <summary>Before the rows are written (SavingChanges).</summary>
    void Saving(DbContext context);

    /// <summary>After they were written and the changes accepted (SavedChanges).</summary>
    void Saved(DbContext context);

    /// <summary>When writing failed (SaveChangesFailed).</summary>
    void Failed(DbContext context);
}
