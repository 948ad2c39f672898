using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Features.Dashboard;

/// <summary>
/// Dashboards on maintained aggregates: case counts per day and month, and open cases now, kept in the transaction of
/// every case change (<see cref="CaseRollupHook"/>), checked and rebuilt by <c>rollups verify</c> / <c>rollups rebuild</c>.
/// </summary>
public sealed class DashboardFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSaveHook<CaseRollupHook>();
        services.AddScoped<CaseRollupCheck>();
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapDashboardApi();
}
