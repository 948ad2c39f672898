using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Council;

/// <summary>
/// The resident council's evaluation (双评): members and terms, assignments, progress and the members' phone page; and
/// branch activities, the staff-entered indicator. Their indicator sources are registered by the assessment feature.
/// </summary>
public sealed class CouncilFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddOptions<CouncilOptions>().Bind(configuration.GetSection(CouncilOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

    public static void MapEndpoints(IEndpointRouteBuilder routes)
    {
        routes.MapCouncilApi();
        routes.MapCouncilEvaluationApi();
        routes.MapBranchActivitiesApi();
    }
}
