using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Live;

/// <summary>
/// Adds a <see cref="LiveEvent"/> to a save for each case it adds, and for each case whose colour, status or grid it
/// changes: the event commits with the change or not at all, so a screen never shows what did not happen.
/// </summary>
public sealed class LiveEventHook(TimeProvider time) : ISaveHook
{
    public ValueTask<Action<bool>?> SavingAsync(CivicGridDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        List<LiveEvent>? events = null;
        var now = time.GetUtcNow();
        foreach (var entry in db.ChangeTracker.Entries<Case>())
        {
            var c = entry.Entity;
            if (entry.State == EntityState.Added)
            {
                (events ??= []).Add(Of(c, LiveEventKinds.Reported, c.Tier, now));
            }
            else if (entry.State == EntityState.Modified)
            {
                var tier = (CaseTier)entry.OriginalValues[nameof(Case.Tier)]!;
                var status = (CaseStatus)entry.OriginalValues[nameof(Case.Status)]!;
                var grid = (string)entry.OriginalValues[nameof(Case.GridCode)]!;
                if (tier != c.Tier || status != c.Status || grid != c.GridCode)
                {
                    (events ??= []).Add(Of(c, LiveEventKinds.Changed, tier, now));
                }
            }
        }

        if (events is not null)
        {
            db.LiveEvents.AddRange(events);
        }

        return ValueTask.FromResult<Action<bool>?>(null);
    }

    private static LiveEvent Of(Case c, string kind, CaseTier previousTier, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now), At = now, Kind = kind, CaseNumber = c.Number, GridCode = c.GridCode, CategoryCode = c.CategoryCode,
        Title = c.Title.Length > 200 ? c.Title[..200] : c.Title, Channel = c.Channel, Tier = c.Tier, PreviousTier = previousTier, Status = c.Status,
        Lon = c.Location.X, Lat = c.Location.Y,
    };
}
