using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>Five stars, explained: the indicator catalogue and grids' scores computed from the platform's records with their evidence.</summary>
public sealed class AssessmentFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AssessmentOptions>().Bind(configuration.GetSection(AssessmentOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<AssessmentCalculator>();
        services.AddScoped<IIndicatorSource, CaseIndicatorSource>();
        services.AddScoped<IIndicatorSource, FieldWorkIndicatorSource>();
        services.AddScoped<IIndicatorSource, TeamIndicatorSource>();
        services.AddScoped<IIndicatorSource, CouncilScoreSource>();
        services.AddScoped<IIndicatorSource, BranchActivitySource>();
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapAssessmentApi();
}
