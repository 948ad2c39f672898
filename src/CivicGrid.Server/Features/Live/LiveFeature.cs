using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Features.Live;

/// <summary>Live updates: events written with each case change, read by every instance, streamed to screens and queues (SSE).</summary>
public sealed class LiveFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LiveOptions>().Bind(configuration.GetSection(LiveOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSaveHook<LiveEventHook>();
        services.AddSingleton<LiveFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFeed>());
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapLiveApi();
}
