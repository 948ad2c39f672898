using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Http;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Geography;

/// <summary>
/// Where things are: the grid map and buildings as GeoJSON, locating a position in the grids, the router every report
/// goes through and the lessons it learns from transfers (<c>/api/geo/*</c>).
/// </summary>
public sealed class GeographyFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GeoOptions>().Bind(configuration.GetSection(GeoOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimitPolicy(RoutingApi.LocateRateLimit, context =>
            RateLimits.PerClientPerMinute(context, context.RequestServices.GetRequiredService<IOptions<GeoOptions>>().Value.LocatePerMinute));

        // Hosted services start in order, after the database initializer: the first index is built on migrated (and, for
        // the demo, seeded) data.
        services.AddSingleton<GeographyIndex>();
        services.AddHostedService(sp => sp.GetRequiredService<GeographyIndex>());
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes)
    {
        routes.MapGeoApi();
        routes.MapRoutingApi();
    }
}
