using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Features.Audit;

/// <summary>
/// The two audit trails: case timelines (hash-chained per case) and the security audit trail (one hash chain per
/// installation, append-only), read by the audit administrator and checked by <c>audit verify</c>.
/// </summary>
public sealed class AuditFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<TimelineAudit>();
        services.AddScoped<SecurityChainVerifier>();
        services.AddScoped<SecurityAudit>();
        services.AddSaveHook<SecurityChainHook>();
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapSecurityEventsApi();
}
