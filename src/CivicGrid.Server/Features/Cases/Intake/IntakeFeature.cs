using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Http;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Cases.Intake;

/// <summary>Reporting a problem: the one intake pipeline every channel goes through, and its batching writer.</summary>
public sealed class IntakeFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CaseOptions>().Bind(configuration.GetSection(CaseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CaseIntake>();
        services.AddSingleton<IntakeWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<IntakeWriter>());
        services.AddRateLimitPolicy(IntakeApi.CreateRateLimit, context =>
            RateLimits.PerClientPerMinute(context, context.RequestServices.GetRequiredService<IOptions<CaseOptions>>().Value.CreatesPerMinute));
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapIntakeApi();
}
