using CivicGrid.Server.Features.Devices;
using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Broadcast;

/// <summary>Emergency broadcast (应急广播): to the speakers (signed MQTT commands, acknowledged, retried) and grid workers (in-app, 收到) of an area.</summary>
public sealed class BroadcastFeature : IFeature
{
    /// <summary>The options, the speakers' acknowledgement handler, and the dispatcher that sends speakers' commands in the background.</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BroadcastOptions>().Bind(configuration.GetSection(BroadcastOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IDeviceCommandAcks, BroadcastAcks>();
        services.AddSingleton<BroadcastDispatcher>();
        services.AddHostedService<BroadcastDispatcherService>();
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapBroadcastsApi();
}
