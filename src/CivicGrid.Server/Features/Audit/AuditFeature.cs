using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Audit;

/// <summary>Verifying the hash chains of case timelines (the <c>audit verify</c> command).</summary>
public sealed class AuditFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddScoped<TimelineAudit>();
}
