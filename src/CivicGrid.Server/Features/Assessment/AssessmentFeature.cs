using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>
/// Five stars, explained: the indicator catalogue (stored versions) and grids' scores computed from the platform's records with
/// their evidence; runs stored with their input digest, deliberated and published; the computation of ended periods.
/// </summary>
public sealed class AssessmentFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AssessmentOptions>().Bind(configuration.GetSection(AssessmentOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AssessmentOptions>, AssessmentOptionsValidation>();
        services.AddScoped<AssessmentCalculator>();
        services.AddScoped<IIndicatorSource, CaseIndicatorSource>();
        services.AddScoped<IIndicatorSource, FieldWorkIndicatorSource>();
        services.AddScoped<IIndicatorSource, TeamIndicatorSource>();
        services.AddScoped<IIndicatorSource, CouncilScoreSource>();
        services.AddScoped<IIndicatorSource, BranchActivitySource>();
        services.AddScoped<AssessmentRuns>();
        services.AddScheduledJob<AssessmentPeriodCloseJob, AssessmentPeriodCloseOptions>(configuration, AssessmentPeriodCloseOptions.Section);
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapAssessmentApi();
}
