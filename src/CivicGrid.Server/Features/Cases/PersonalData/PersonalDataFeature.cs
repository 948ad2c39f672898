using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Cases.PersonalData;

/// <summary>Revealing a reporter's name and phone (a permission and an audit entry each time), and that audit trail.</summary>
public sealed class PersonalDataFeature : IFeature
{
    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapPersonalDataApi();
}
