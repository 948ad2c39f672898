using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.FieldWork;

/// <summary>
/// Field-work figures per grid and per person for a period. A feature of its own because it reads four others (patrols,
/// door-knocks, the three lists with claims and councils, liaisons) and none of them should depend on the rest; it owns no
/// table.
/// </summary>
public sealed class FieldWorkFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapFieldWorkApi();
}
