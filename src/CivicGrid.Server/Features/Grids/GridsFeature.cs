using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Grids;

/// <summary>The territorial tree, compounds (院) and buildings (栋), and the place search.</summary>
public sealed class GridsFeature : IFeature
{
    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapGridsApi();
}
