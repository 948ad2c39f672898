using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Jobs;
using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Features.Devices;

/// <summary>Sensors and cameras: the registry, signed alarms and heartbeats over the webhook and MQTT, silence checks.</summary>
public sealed class DevicesFeature : IFeature
{
    /// <summary>
    /// The device message pipeline, the webhook's rate limit, the MQTT listener (idle unless a broker is configured), the
    /// heartbeat check, and the save hook that closes a device's link to a case made final.
    /// </summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeviceOptions>().Bind(configuration.GetSection(DeviceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DeviceDirectory>();
        services.AddSingleton<DeviceMessages>();
        services.AddSaveHook<DeviceCaseLinks>();
        services.AddSaveHook<DeviceHeartbeats>();
        services.AddRateLimitPolicy(DevicesApi.WebhookRateLimit, DevicesApi.RateLimitPartition, DevicesApi.RateLimitRefusal);
        services.AddSingleton<DeviceMqttListener>();
        services.AddSingleton<DeviceCommands>();
        services.AddHostedService(sp => sp.GetRequiredService<DeviceMqttListener>());
        services.AddHealthChecks().AddCheck<DeviceMqttHealthCheck>("device-mqtt", tags: ["ready"]);
        services.AddScheduledJob<DeviceHeartbeatJob, DeviceHeartbeatOptions>(configuration, DeviceHeartbeatOptions.Section);
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapDevicesApi();
}
