using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Hotline;

/// <summary>12345 hotline work orders: import by a stored column mapping, export back in the hotline's columns.</summary>
public sealed class HotlineFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddScoped<HotlineImporter>();

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapHotlineApi();
}
