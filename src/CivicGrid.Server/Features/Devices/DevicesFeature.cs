using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Http;

namespace CivicGrid.Server.Features.Devices;

/// <summary>Sensors and cameras: the registry, signed alarms and heartbeats over the webhook and MQTT, silence checks.</summary>
public sealed class DevicesFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddDevices(configuration);
        services.AddRateLimitPolicy(DevicesApi.WebhookRateLimit, DevicesApi.RateLimitPartition, DevicesApi.RateLimitRefusal);
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapDevicesApi();
}
