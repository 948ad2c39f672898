using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Households;

/// <summary>The household register (人地事物组织) with residents' personal data sealed at rest, and door-knocking visits (叮咚敲门).</summary>
public sealed class HouseholdsFeature : IFeature
{
    /// <summary>The visit settings, validated at start (the key ring of personal data, <c>FieldVault</c>, is the persistence's).</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddOptions<HouseholdsOptions>().Bind(configuration.GetSection(HouseholdsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

    public static void MapEndpoints(IEndpointRouteBuilder routes)
    {
        routes.MapHouseholdsApi();
        routes.MapVisitsApi();
    }
}
