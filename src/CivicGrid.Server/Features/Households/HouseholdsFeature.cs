using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Households;

/// <summary>The household register (人地事物组织) with residents' personal data sealed at rest, and door-knocking visits (叮咚敲门).</summary>
public sealed class HouseholdsFeature : IFeature
{
    /// <summary>The residents' key ring (keys in the data directory) and the visit settings, validated at start.</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HouseholdsOptions>().Bind(configuration.GetSection(HouseholdsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ResidentVault>();
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes)
    {
        routes.MapHouseholdsApi();
        routes.MapVisitsApi();
    }
}
