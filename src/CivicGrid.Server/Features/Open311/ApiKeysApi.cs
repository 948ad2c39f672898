using CivicGrid.Server.Features.Audit;
using System.Security.Claims;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CivicGrid.Server.Features.Open311;

/// <param name="Name">Who will use the key (an app, a partner's system).</param>
/// <param name="Jurisdiction">A subdistrict code to restrict the key to; absent for every jurisdiction.</param>
public sealed record CreateApiKeyRequest(string? Name, string? Jurisdiction);

/// <param name="Key">The key itself, shown this once: only its hash is stored.</param>
public sealed record CreatedApiKey(Guid Id, string Name, string Prefix, string? JurisdictionCode, DateTimeOffset CreatedAt, string Key);

/// <summary>The system administrator issues, lists and revokes Open311 API keys (also the <c>apikeys</c> operator command).</summary>
public static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin/apikeys").WithTags("Open311").RequireAuthorization(Policies.SystemAdmin);
        group.MapGet("/", List).WithName("ListApiKeys").WithSummary("Open311 API keys, revoked ones included (never the keys themselves).");
        group.MapPost("/", Create).WithName("CreateApiKey").WithSecurityEvent(SecurityEventKind.ApiKeyIssued, "api-key", "签发接口密钥").WithIdempotency()
            .WithSummary("Issue an Open311 API key, optionally restricted to one subdistrict; the key is in the answer once.");
        group.MapDelete("/{id:guid}", Revoke).WithName("RevokeApiKey").WithSecurityEvent(SecurityEventKind.ApiKeyRevoked, "api-key", "吊销接口密钥").WithSummary("Revoke a key; it is kept, and stops working at once on this server (within 30 s on other instances).");
        return routes;
    }

    public static async Task<Ok<List<ApiKeyInfo>>> List(CivicGridDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await ApiKeys.ListAsync(db, ct));

    public static async Task<Results<Created<CreatedApiKey>, ProblemHttpResult>> Create(CreateApiKeyRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, ApiKeyCache keys, TimeProvider time, ILogger<CreateApiKeyRequest> logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(keys);
        var admin = caller.FindFirst(CivicGridClaims.UserName)?.Value ?? "admin";
        try
        {
            var (key, secret) = await ApiKeys.IssueAsync(db, request.Name, request.Jurisdiction, admin, time.GetUtcNow(), ct);
            keys.Invalidate();
            logger.LogInformation("Administrator {UserName} issued Open311 API key {Prefix} ({Name})", admin, key.Prefix, key.Name);
            return TypedResults.Created($"/api/admin/apikeys/{key.Id}",
                new CreatedApiKey(key.Id, key.Name, key.Prefix, key.JurisdictionCode, key.CreatedAt, secret));
        }
        catch (ApiKeyRefusedException e)
        {
            return Problems.Validation(e.Field, e.Message);
        }
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Revoke(Guid id, ClaimsPrincipal caller, CivicGridDbContext db, ApiKeyCache keys,
        TimeProvider time, ILogger<CreateApiKeyRequest> logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var key = await ApiKeys.RevokeAsync(db, id.ToString(), time.GetUtcNow(), ct);
        keys.Invalidate();
        if (key is null)
        {
            return Problems.NotFound("没有这个 API 密钥。");
        }

        logger.LogInformation("Administrator {UserName} revoked Open311 API key {Prefix} ({Name})", caller.FindFirst(CivicGridClaims.UserName)?.Value, key.Prefix, key.Name);
        return TypedResults.NoContent();
    }
}
