using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// A transaction that is the caller's own, or nothing when the context already runs in one (a keyed request's, see
/// <c>IdempotencySetup.WithIdempotency</c>): then the work joins it, <see cref="CommitAsync"/> does nothing and the outer
/// transaction commits or rolls back everything together.
/// </summary>
public sealed class OwnTransaction : IAsyncDisposable
{
    private readonly IDbContextTransaction? _own;

    private OwnTransaction(IDbContextTransaction? own)
    {
        _own = own;
    }

    public Task CommitAsync(CancellationToken ct) => _own?.CommitAsync(ct) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _own?.DisposeAsync() ?? ValueTask.CompletedTask;

    internal static async Task<OwnTransaction> BeginAsync(DatabaseFacade database, CancellationToken ct) =>
        new(database.CurrentTransaction is not null ? null : await database.BeginTransactionAsync(ct));
}

public static class TransactionExtensions
{
    /// <summary>Begins a transaction unless the context is already in one, which the work then joins (see <see cref="OwnTransaction"/>).</summary>
    public static Task<OwnTransaction> BeginOwnTransactionAsync(this DatabaseFacade database, CancellationToken ct) =>
        OwnTransaction.BeginAsync(database, ct);
}
