using CivicGrid.Server.Infrastructure.Jobs;
using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Features.Devices;

public static class DevicesSetup
{
    /// <summary>The device message pipeline, the MQTT listener (idle unless a broker is configured) the heartbeat check, and the save hook that closes a device's link to a case made final.</summary>
    public static IServiceCollection AddDevices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeviceOptions>().Bind(configuration.GetSection(DeviceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DeviceMessages>();
        services.AddSaveHook<DeviceCaseLinks>();
        services.AddSingleton<DeviceMqttListener>();
        services.AddHostedService(sp => sp.GetRequiredService<DeviceMqttListener>());
        services.AddScheduledJob<DeviceHeartbeatJob, DeviceHeartbeatOptions>(configuration, DeviceHeartbeatOptions.Section);
        return services;
    }
}
