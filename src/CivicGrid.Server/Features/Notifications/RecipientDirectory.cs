using System.Collections.Concurrent;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Notifications;

/// <summary>
/// Who may receive notifications: the active accounts with their scope, organisation and roles, and their WeChat
/// addresses (those not turned off), read once and kept for <see cref="CacheFor"/> per database. Every case change asks it for its audience
/// (owner staff, assignees, reporters), so intake reads no accounts inside its shared transaction.
/// A change of accounts or addresses saved through this server forgets it at once; one made by another instance
/// reaches the audience within <see cref="CacheFor"/>.
/// </summary>
public static class RecipientDirectory
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private static readonly ConcurrentDictionary<string, Snapshot> Snapshots = new(StringComparer.Ordinal);

    /// <summary>An active account as notifications see it.</summary>
    public sealed record Recipient(Guid Id, string ScopeCode, Guid? OrganisationId, IReadOnlyList<Role> Roles);

    public sealed class Snapshot(DateTimeOffset loadedAt, IReadOnlyList<Recipient> active, ILookup<Guid, string> weChat)
    {
        public DateTimeOffset LoadedAt { get; } = loadedAt;

        public IReadOnlyList<Recipient> Active { get; } = active;

        public IReadOnlyDictionary<Guid, Recipient> ById { get; } = active.ToDictionary(r => r.Id);

        /// <summary>The active accounts scoped exactly at a code: a case's owner staff are looked up here on every report.</summary>
        public ILookup<string, Recipient> ByScope { get; } = active.ToLookup(r => r.ScopeCode, StringComparer.Ordinal);

        public ILookup<Guid, string> WeChat { get; } = weChat;
    }

    public static async Task<Snapshot> GetAsync(CivicGridDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var key = KeyOf(db);
        if (Snapshots.TryGetValue(key, out var cached) && DateTimeOffset.UtcNow - cached.LoadedAt < CacheFor)
        {
            return cached;
        }

        var users = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => u.IsActive)
            .Select(u => new { u.Id, u.ScopeCode, u.OrganisationId, u.Roles }).ToListAsync(ct);
        var addresses = await db.UserChannelAddresses.IgnoreQueryFilters().AsNoTracking().Where(a => a.Channel == OutboxChannel.WeChat && !a.OptedOut)
            .Select(a => new { a.UserId, a.Address }).ToListAsync(ct);
        var snapshot = new Snapshot(DateTimeOffset.UtcNow, [.. users.Select(u => new Recipient(u.Id, u.ScopeCode, u.OrganisationId, u.Roles))],
            addresses.ToLookup(a => a.UserId, a => a.Address));
        Snapshots[key] = snapshot;
        return snapshot;
    }

    /// <summary>Forgets the directory of this database, after accounts or addresses changed.</summary>
    public static void Invalidate(CivicGridDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        Snapshots.TryRemove(KeyOf(db), out _);
    }

    /// <summary>True when the pending save changes accounts or their addresses.</summary>
    public static bool Touches(CivicGridDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.ChangeTracker.Entries().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
            && e.Entity is UserAccount or UserChannelAddress);
    }

    /// <summary>The save hook that forgets the directory once a save that changes accounts or their addresses is over.</summary>
    public sealed class ForgetOnChange : ISaveHook
    {
        public ValueTask<Action<bool>?> SavingAsync(CivicGridDbContext db, CancellationToken ct) =>
            ValueTask.FromResult<Action<bool>?>(Touches(db) ? _ => Invalidate(db) : null);
    }

    private static string KeyOf(CivicGridDbContext db) => db.Database.GetConnectionString() ?? string.Empty;
}
