using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>The one save path: the features' save hooks, then EF's update pipeline or, for batches of new rows, prepared inserts.</summary>
public abstract partial class CivicGridDbContext
{
    private IReadOnlyList<ISaveHook>? _saveHooks;

    /// <summary>Saves, with what the registered <see cref="ISaveHook"/>s add written in the same transaction.</summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default) =>
        SaveAsync(acceptAllChangesOnSuccess, newRowsOnly: false, synchronous: false, cancellationToken);

    /// <inheritdoc cref="SaveChangesAsync(bool, CancellationToken)"/>
    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveAsync(acceptAllChangesOnSuccess, newRowsOnly: false, synchronous: true, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Saves exactly like <see cref="SaveChangesAsync(bool, CancellationToken)"/> (the same save hooks and interceptors),
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
    /// Blocking database calls: the returned task is then complete, unless a hook had to wait for something it loads
    /// now and then (the notifications' recipient directory), which the caller waits for.
    /// </param>
    private async Task<int> SaveAsync(bool acceptAllChangesOnSuccess, bool newRowsOnly, bool synchronous, CancellationToken cancellationToken)
    {
        var after = new List<Action<bool>>();
        var written = false;
        var own = Database.CurrentTransaction is null && SaveHooks().Any(h => h.NeedsTransaction(this))
            ? synchronous ? Database.BeginTransaction() : await Database.BeginTransactionAsync(cancellationToken)
            : null;
        try
        {
            foreach (var hook in SaveHooks())
            {
                if (await hook.SavingAsync(this, cancellationToken) is { } done)
                {
                    after.Add(done);
                }
            }

            SealedColumns.IndexChanges(this, Vault);

            int count;
            if (newRowsOnly && Database.CurrentTransaction is not null && NewRowHooks() is { } hooks && AddedRowsInserter.TryPlan(this) is { } plan)
            {
                count = await InsertNewRowsAsync(plan, hooks, acceptAllChangesOnSuccess, synchronous, cancellationToken);
            }
            else
            {
                count = synchronous ? base.SaveChanges(acceptAllChangesOnSuccess) : await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }

            if (own is not null)
            {
                if (synchronous)
                {
                    own.Commit();
                }
                else
                {
                    await own.CommitAsync(CancellationToken.None);
                }
            }

            written = true;
            return count;
        }
        finally
        {
            own?.Dispose();
            foreach (var done in after)
            {
                done(written);
            }
        }
    }

    /// <summary>The hooks registered in the application's services (none for a context made without them, e.g. at design time).</summary>
    private IReadOnlyList<ISaveHook> SaveHooks() =>
        _saveHooks ??= this.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider
            ?.GetService<IEnumerable<ISaveHook>>()?.ToList() ?? [];

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
