using System.Data.Common;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CivicGrid.Server.Features.Cases.Duplicates;

/// <summary>Applying this instance's committed case changes to the index.</summary>
public sealed partial class OpenCaseIndex
{
    /// <summary>
    /// Collects the cases a save adds or changes, and applies them when they are committed: right after the save when
    /// it ran in its own transaction, else when the caller's transaction commits (dropped on rollback).
    /// </summary>
    private sealed class CommitHook(OpenCaseIndex index) : SaveChangesInterceptor, IDbTransactionInterceptor, INewRowsSaveHook
    {
        public void Saving(DbContext context) => Collect(context);

        public void Saved(DbContext context) => AfterSave(context);

        public void Failed(DbContext context) => ForgetUnsaved(context);

        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            Collect(eventData.Context);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            Collect(eventData.Context);
            return ValueTask.FromResult(result);
        }

        public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
        {
            AfterSave(eventData.Context);
            return result;
        }

        public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            AfterSave(eventData.Context);
            return ValueTask.FromResult(result);
        }

        public override void SaveChangesFailed(DbContextErrorEventData eventData) => ForgetUnsaved(eventData.Context);

        public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            ForgetUnsaved(eventData.Context);
            return Task.CompletedTask;
        }

        public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData.Context);

        public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Flush(eventData.Context);
            return Task.CompletedTask;
        }

        public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Drop(eventData.Context);

        public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Drop(eventData.Context);
            return Task.CompletedTask;
        }

        public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Drop(eventData.Context);

        public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Drop(eventData.Context);
            return Task.CompletedTask;
        }

        private static void Collect(DbContext? context)
        {
            if (context is null)
            {
                return;
            }

            List<OpenCase>? states = null;
            foreach (var entry in context.ChangeTracker.Entries<Case>())
            {
                if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
                {
                    var c = entry.Entity;
                    var status = entry.State == EntityState.Deleted ? CaseStatus.Closed : c.Status;
                    (states ??= []).Add(OpenCase.Stored(c.Number, c.CategoryCode, status, c.ReportedAt, c.Location.X, c.Location.Y,
                        entry.State == EntityState.Deleted ? int.MaxValue : c.Version));
                }
            }

            if (states is not null && context is CivicGridDbContext db)
            {
                db.SaveState<OpenCaseStates>(create: true)!.Unsaved = states;
            }
        }

        private void AfterSave(DbContext? context)
        {
            if ((context as CivicGridDbContext)?.SaveState<OpenCaseStates>(create: false) is not { Unsaved: { } states } tracked)
            {
                return;
            }

            tracked.Unsaved = null;
            if (context.Database.CurrentTransaction is null)
            {
                foreach (var state in states)
                {
                    index.Apply(state);
                }

                return;
            }

            (tracked.Pending ??= []).AddRange(states);
        }

        private static void ForgetUnsaved(DbContext? context)
        {
            if ((context as CivicGridDbContext)?.SaveState<OpenCaseStates>(create: false) is { } tracked)
            {
                tracked.Unsaved = null;
            }
        }

        private void Flush(DbContext? context)
        {
            if ((context as CivicGridDbContext)?.SaveState<OpenCaseStates>(create: false) is not { Pending: { } states } tracked)
            {
                return;
            }

            tracked.Pending = null;
            foreach (var state in states)
            {
                index.Apply(state);
            }
        }

        private static void Drop(DbContext? context)
        {
            if ((context as CivicGridDbContext)?.SaveState<OpenCaseStates>(create: false) is { } tracked)
            {
                tracked.Pending = null;
                tracked.Unsaved = null;
            }
        }
    }
}
