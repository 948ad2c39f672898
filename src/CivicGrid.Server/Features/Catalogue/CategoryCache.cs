using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Catalogue;

/// <summary>
/// The case catalogue in memory for intake and deadlines, which read it on every report: a few dozen rows that change
/// a few times a year. A change on this instance takes effect at once, one on another instance within <see cref="CacheFor"/>.
/// </summary>
public sealed class CategoryCache(IServiceScopeFactory scopes, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly TimedSnapshot<IReadOnlyDictionary<string, CaseCategory>> _categories = new(ct => LoadAsync(scopes, ct), time, CacheFor);

    /// <summary>The category with this code, retired ones included; null when there is none.</summary>
    public async Task<CaseCategory?> FindAsync(string code, CancellationToken ct)
    {
        var all = await GetAllAsync(ct);
        return all.TryGetValue(code, out var category) ? category : null;
    }

    public async Task<IReadOnlyDictionary<string, CaseCategory>> GetAllAsync(CancellationToken ct) => await _categories.GetAsync(ct);

    /// <summary>Forgets the cached catalogue, after this instance changed it.</summary>
    public void Invalidate() => _categories.Invalidate();

    public void Dispose() => _categories.Dispose();

    private static async Task<IReadOnlyDictionary<string, CaseCategory>> LoadAsync(IServiceScopeFactory scopes, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        return await db.CaseCategories.AsNoTracking().ToDictionaryAsync(c => c.Code, StringComparer.Ordinal, ct);
    }
}
