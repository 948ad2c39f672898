using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Catalogue;

/// <summary>
/// The case catalogue in memory for intake and deadlines, which read it on every report: a few dozen rows that change
/// a few times a year. A change on this instance takes effect at once, one on another instance within <see cref="CacheFor"/>.
/// </summary>
public sealed class CategoryCache(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private (IReadOnlyDictionary<string, CaseCategory> Categories, DateTimeOffset LoadedAt)? _cached;

    /// <summary>The category with this code, retired ones included; null when there is none.</summary>
    public async Task<CaseCategory?> FindAsync(string code, CancellationToken ct)
    {
        var all = await GetAllAsync(ct);
        return all.TryGetValue(code, out var category) ? category : null;
    }

    public async Task<IReadOnlyDictionary<string, CaseCategory>> GetAllAsync(CancellationToken ct)
    {
        if (_cached is { } cached && time.GetUtcNow() - cached.LoadedAt < CacheFor)
        {
            return cached.Categories;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var categories = await db.CaseCategories.AsNoTracking().ToDictionaryAsync(c => c.Code, StringComparer.Ordinal, ct);
        _cached = (categories, time.GetUtcNow());
        return categories;
    }

    /// <summary>Forgets the cached catalogue, after this instance changed it.</summary>
    public void Invalidate() => _cached = null;
}
