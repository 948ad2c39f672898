using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Organisations;

/// <summary>
/// The organisation register (departments, property companies with the compounds they serve, owners' committees, public units,
/// business alliances) and the department liaisons sunk into third-level grids (条块下网).
/// </summary>
public sealed class OrganisationsFeature : IFeature
{
    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapOrganisationsApi();
}
