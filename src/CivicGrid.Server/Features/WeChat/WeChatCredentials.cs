using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.WeChat;

/// <summary>
/// The official account's access token and JS-SDK ticket, shared by every instance through <see cref="WeChatCredential"/>
/// rows. A value is used until <see cref="WeChatOptions.RefreshEarly"/> before its expiry; then one instance claims the
/// row's lease with a conditional update on its version (one row affected: it is ours), fetches a new value and writes it
/// with the next version. The others keep using the old value while it lasts, or wait for the new version. A call that
/// WeChat refuses with an invalid-token code (40001, 42001) forces one refresh of the version it used, and is retried once.
/// </summary>
public sealed class WeChatCredentials(IServiceScopeFactory scopes, WeChatApiClient api, IOptions<WeChatOptions> options, TimeProvider time,
    ILogger<WeChatCredentials> logger)
{
    /// <summary>How long a refreshing instance holds the lease: longer than a token call may take.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan WaitStep = TimeSpan.FromMilliseconds(100);

    /// <summary>This instance's name on the leases it takes.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A cached value and the version it has in the database.</summary>
    public sealed record Cached(string Value, int Version);

    /// <summary>Runs <paramref name="call"/> with the access token; when WeChat says the token is invalid, refreshes it once and runs it again.</summary>
    public async Task<T> WithAccessTokenAsync<T>(Func<string, Task<T>> call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var token = await GetAsync(WeChatCredential.AccessToken, null, ct);
        try
        {
            return await call(token.Value);
        }
        catch (WeChatApiException e) when (e.IsInvalidToken)
        {
            logger.LogWarning("WeChat refused access token version {Version} ({ErrCode}); refreshing it once", token.Version, e.ErrCode);
            var fresh = await GetAsync(WeChatCredential.AccessToken, token.Version, ct);
            return await call(fresh.Value);
        }
    }

    /// <summary>The JS-SDK ticket (<c>jsapi_ticket</c>).</summary>
    public async Task<string> JsApiTicketAsync(CancellationToken ct) => (await GetAsync(WeChatCredential.JsApiTicket, null, ct)).Value;

    /// <summary>
    /// The current value of <paramref name="kind"/>, refreshed first when it is due, or when it is the version
    /// <paramref name="rejected"/> that WeChat refused.
    /// </summary>
    public async Task<Cached> GetAsync(string kind, int? rejected, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + Lease;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            var row = await db.WeChatCredentials.AsNoTracking().SingleOrDefaultAsync(c => c.Kind == kind, ct);
            if (row is null)
            {
                await CreateAsync(db, kind, ct);
                continue;
            }

            var now = time.GetUtcNow();
            var usable = row.Value is not null && row.ExpiresAt > now && row.Version != rejected;
            if (usable && row.ExpiresAt - options.Value.RefreshEarly > now)
            {
                return new Cached(row.Value!, row.Version);
            }

            var leaseUntil = now + Lease;
            var claimed = await db.WeChatCredentials
                .Where(c => c.Kind == kind && c.Version == row.Version && (c.LeaseUntil == null || c.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LeaseOwner, InstanceId).SetProperty(c => c.LeaseUntil, leaseUntil), ct);
            if (claimed == 1)
            {
                return await RefreshAsync(db, kind, row.Version, ct);
            }

            // Another instance is refreshing: the old value serves while it lasts, else wait for the new version.
            if (usable)
            {
                return new Cached(row.Value!, row.Version);
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new WeChatUnavailableException($"Another instance did not finish refreshing the WeChat {kind} in time");
            }

            await Task.Delay(WaitStep, time, ct);
        }
    }

    private async Task<Cached> RefreshAsync(CivicGridDbContext db, string kind, int version, CancellationToken ct)
    {
        WeChatTokenAnswer answer;
        try
        {
            answer = kind == WeChatCredential.AccessToken
                ? await api.FetchAccessTokenAsync(ct)
                : await WithAccessTokenAsync(token => api.FetchJsApiTicketAsync(token, ct), ct);
        }
        catch
        {
            await db.WeChatCredentials.Where(c => c.Kind == kind && c.LeaseOwner == InstanceId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LeaseOwner, (string?)null).SetProperty(c => c.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
            throw;
        }

        var expiresAt = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(answer.ExpiresInSeconds, 60));
        var next = version + 1;
        var written = await db.WeChatCredentials.Where(c => c.Kind == kind && c.LeaseOwner == InstanceId && c.Version == version)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Value, answer.Value)
                .SetProperty(c => c.ExpiresAt, expiresAt)
                .SetProperty(c => c.Version, next)
                .SetProperty(c => c.LeaseOwner, (string?)null)
                .SetProperty(c => c.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
        if (written != 1)
        {
            logger.LogWarning("The lease on the WeChat {Kind} ran out while this instance refreshed it; its value is used once and not stored", kind);
        }

        logger.LogInformation("WeChat {Kind} refreshed to version {Version}, valid until {ExpiresAt}", kind, next, expiresAt);
        return new Cached(answer.Value, next);
    }

    private static async Task CreateAsync(CivicGridDbContext db, string kind, CancellationToken ct)
    {
        db.WeChatCredentials.Add(new WeChatCredential(kind));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance created the row at the same moment: the next round reads it.
        }
    }
}
