using CivicGrid.Server.Infrastructure.Jobs;

namespace CivicGrid.Server.Features.Devices;

public static class DevicesSetup
{
    /// <summary>The device message pipeline, the MQTT listener (idle unless a broker is configured) and the heartbeat check.</summary>
    public static IServiceCollection AddDevices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeviceOptions>().Bind(configuration.GetSection(DeviceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DeviceMessages>();
        services.AddSingleton<DeviceMqttListener>();
        services.AddHostedService(sp => sp.GetRequiredService<DeviceMqttListener>());
        services.AddScheduledJob<DeviceHeartbeatJob, DeviceHeartbeatOptions>(configuration, DeviceHeartbeatOptions.Section);
        return services;
    }
}
