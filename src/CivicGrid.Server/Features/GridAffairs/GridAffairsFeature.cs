using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.GridAffairs;

/// <summary>The three lists (needs, resources, projects), claims and courtyard councils, with the figures the assessment reads.</summary>
public sealed class GridAffairsFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes)
    {
        routes.MapNeedsApi();
        routes.MapResourcesApi();
        routes.MapProjectsApi();
        routes.MapClaimsApi();
        routes.MapCouncilsApi();
        routes.MapGridAffairsFiguresApi();
    }
}
