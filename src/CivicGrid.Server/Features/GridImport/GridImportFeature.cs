using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.GridImport;

/// <summary>Importing grids, compounds and buildings from GeoJSON or Shapefiles, and checking the stored topology.</summary>
public sealed class GridImportFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddScoped<GridImporter>();

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapGridImportApi();
}
