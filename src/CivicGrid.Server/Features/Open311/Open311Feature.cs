using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Open311;

/// <summary>Open311 GeoReport v2 and the API keys of its clients.</summary>
public sealed class Open311Feature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Open311Options>().Bind(configuration.GetSection(Open311Options.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiKeyCache>();
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes)
    {
        routes.MapApiKeysApi();
        routes.MapOpen311Api();
    }
}
