using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Catalogue;

/// <summary>The case catalogue: major and subcategories with their time limits and responsible departments.</summary>
public sealed class CatalogueFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddSingleton<CategoryCache>();

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapCatalogueApi();
}
