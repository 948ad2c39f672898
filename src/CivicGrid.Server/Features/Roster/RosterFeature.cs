using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Http;

namespace CivicGrid.Server.Features.Roster;

/// <summary>The grid-worker roster (assignments, vacancies, turnover, Excel import), training and work IDs with their public check page.</summary>
public sealed class RosterFeature : IFeature
{
    /// <summary>The public work ID check's rate limit (per client address, 30 a minute).</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddRateLimitPolicy(WorkIdsApi.VerifyRateLimit, WorkIdsApi.RateLimitPartition);

    public static void MapEndpoints(IEndpointRouteBuilder routes)
    {
        routes.MapRosterApi();
        routes.MapTrainingApi();
        routes.MapWorkIdsApi();
    }
}
