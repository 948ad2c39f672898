using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Cases.Queries;

/// <summary>Reading cases: the list with its filters, the detail and timeline, the inboxes, map points and the Excel export.</summary>
public sealed class QueriesFeature : IFeature
{
    /// <summary>The list's settings (validated at start-up) and the built-in inboxes.</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CaseQueryOptions>().Bind(configuration.GetSection(CaseQueryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddBuiltInCaseInboxes();
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapCasesApi();
}
