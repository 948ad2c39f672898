using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Cases.Queries;

/// <summary>Reading cases: the list with its filters, the detail and timeline, the inboxes, map points and the Excel export.</summary>
public sealed class QueriesFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddCaseQueries(configuration);

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapCasesApi();
}
