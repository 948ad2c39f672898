using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Open311;

/// <summary>
/// The active API keys in memory, by hash: every Open311 request is checked against one, and reading it from the
/// database was a fifth of a filed request's work. A handful of partner keys, issued and revoked a few times a year.
/// A key issued or revoked on this instance takes effect at once; one issued elsewhere is found by a read on its first
/// use; one revoked on another instance or by the operator command stops working here within <see cref="CacheFor"/>
/// (ADR 0024 lists what each instance keeps).
/// </summary>
public sealed class ApiKeyCache(IServiceScopeFactory scopes, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly TimedSnapshot<Dictionary<string, ApiKey>> _active = new(ct => LoadAsync(scopes, ct), time, CacheFor);

    /// <summary>The active key whose hash matches <paramref name="secret"/>; null for a blank, unknown or revoked key.</summary>
    public async Task<ApiKey?> FindActiveAsync(string? secret, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Length > ApiKeys.MaxSecretLength)
        {
            return null;
        }

        var hash = ApiKeys.HashOf(secret.Trim());
        if ((await _active.GetAsync(ct)).TryGetValue(hash, out var key))
        {
            return key;
        }

        // Not known here: issued on another instance since the load, or not a key at all. An unknown key costs the one
        // indexed read it always cost; a found one makes the next request reload the set.
        await using var scope = scopes.CreateAsyncScope();
        var found = await ApiKeys.FindActiveByHashAsync(scope.ServiceProvider.GetRequiredService<CivicGridDbContext>(), hash, ct);
        if (found is not null)
        {
            Invalidate();
        }

        return found;
    }

    /// <summary>Forgets the loaded keys, after this instance issued or revoked one.</summary>
    public void Invalidate() => _active.Invalidate();

    public void Dispose() => _active.Dispose();

    private static async Task<Dictionary<string, ApiKey>> LoadAsync(IServiceScopeFactory scopes, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        return await db.ApiKeys.AsNoTracking().Where(k => k.RevokedAt == null).ToDictionaryAsync(k => k.Hash, StringComparer.Ordinal, ct);
    }
}
