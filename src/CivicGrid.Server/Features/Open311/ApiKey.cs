using System.Security.Cryptography;
using System.Text;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Open311;

/// <summary>
/// A key an Open311 client sends as <c>api_key</c> to file requests. Only the SHA-256 of the key is stored: the key itself
/// is shown once, when it is issued. A key may be restricted to one jurisdiction (a subdistrict code); a revoked key
/// is kept, so that the requests it filed still name their client.
/// </summary>
public sealed class ApiKey
{
    /// <summary>Characters of the key kept in clear to recognise it in lists (<c>cg311_</c> and 6 more).</summary>
    public const int PrefixLength = 12;

    public const int MaxNameLength = 100;

    private ApiKey()
    {
        Name = null!;
        Prefix = null!;
        Hash = null!;
        CreatedBy = null!;
    }

    public ApiKey(string name, string prefix, string hash, string? jurisdictionCode, string createdBy, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Id = Guid.CreateVersion7();
        Name = name.Trim();
        Prefix = prefix;
        Hash = hash;
        JurisdictionCode = jurisdictionCode;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    /// <summary>Who the client is (an app, a partner's system), for people reading lists and case timelines.</summary>
    public string Name { get; private set; }

    /// <summary>The first <see cref="PrefixLength"/> characters of the key.</summary>
    public string Prefix { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the whole key.</summary>
    public string Hash { get; private set; }

    /// <summary>The subdistrict the key may file requests in; null for every jurisdiction.</summary>
    public string? JurisdictionCode { get; private set; }

    /// <summary>The administrator (user name) or operator command that issued it.</summary>
    public string CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    /// <summary>Stops the key working; revoking a revoked key changes nothing.</summary>
    public void Revoke(DateTimeOffset at) => RevokedAt ??= at;
}

/// <summary>What an administrator sees of a key: never the key or its hash.</summary>
public sealed record ApiKeyInfo(Guid Id, string Name, string Prefix, string? JurisdictionCode, string CreatedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt)
{
    public static ApiKeyInfo Of(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(key.Id, key.Name, key.Prefix, key.JurisdictionCode, key.CreatedBy, key.CreatedAt, key.RevokedAt);
    }
}

/// <summary>Why a key was not issued.</summary>
public sealed class ApiKeyRefusedException(string field, string chineseMessage) : Exception(chineseMessage)
{
    public string Field { get; } = field;
}

/// <summary>Issues, finds and revokes API keys; shared by the admin endpoint and the operator command.</summary>
public static class ApiKeys
{
    private const string KeyPrefix = "cg311_";

    /// <summary>Issues a key; the returned text is the only time the key exists outside the client.</summary>
    /// <param name="jurisdictionCode">A subdistrict's code, or null for a key valid in every jurisdiction.</param>
    /// <exception cref="ApiKeyRefusedException">A blank or too long name, or a jurisdiction that is not a subdistrict.</exception>
    public static async Task<(ApiKey Key, string Secret)> IssueAsync(CivicGridDbContext db, string? name, string? jurisdictionCode, string createdBy,
        DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > ApiKey.MaxNameLength)
        {
            throw new ApiKeyRefusedException("name", $"请填写密钥的名称（使用方，不超过 {ApiKey.MaxNameLength} 字）。");
        }

        var jurisdiction = string.IsNullOrWhiteSpace(jurisdictionCode) ? null : jurisdictionCode.Trim();
        if (jurisdiction is not null
            && !await db.Grids.IgnoreQueryFilters().AnyAsync(g => g.Code == jurisdiction && g.Level == GridLevel.Subdistrict, ct))
        {
            throw new ApiKeyRefusedException("jurisdiction", $"“{jurisdiction}”不是本平台的街道编码。");
        }

        var secret = KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var key = new ApiKey(name, secret[..ApiKey.PrefixLength], HashOf(secret), jurisdiction, createdBy, now);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return (key, secret);
    }

    /// <summary>The longest <c>api_key</c> looked up; a longer one is not a key.</summary>
    public const int MaxSecretLength = 200;

    /// <summary>The active key with this hash (<see cref="HashOf"/>); null for an unknown or revoked key. Requests use <see cref="ApiKeyCache"/>.</summary>
    public static Task<ApiKey?> FindActiveByHashAsync(CivicGridDbContext db, string hash, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        // A lookup by a hash of a 192-bit random key: the hash reveals nothing and needs no constant-time compare.
        return db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Hash == hash && k.RevokedAt == null, ct);
    }

    public static async Task<List<ApiKeyInfo>> ListAsync(CivicGridDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var keys = await db.ApiKeys.AsNoTracking().ToListAsync(ct);
        return [.. keys.OrderBy(k => k.CreatedAt).Select(ApiKeyInfo.Of)];
    }

    /// <summary>Revokes the key with this id, the one key starting with this prefix, or this very key; null when none (or several) match.</summary>
    public static async Task<ApiKey?> RevokeAsync(CivicGridDbContext db, string idOrPrefix, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(idOrPrefix);
        List<ApiKey> matches = Guid.TryParse(idOrPrefix, out var id)
            ? await db.ApiKeys.Where(k => k.Id == id).ToListAsync(ct)
            : idOrPrefix.Length >= 8 ? await db.ApiKeys.Where(k => k.Prefix.StartsWith(idOrPrefix) || k.Hash == HashOf(idOrPrefix)).ToListAsync(ct) : [];
        if (matches.Count != 1)
        {
            return null;
        }

        matches[0].Revoke(now);
        await db.SaveChangesAsync(ct);
        return matches[0];
    }

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
