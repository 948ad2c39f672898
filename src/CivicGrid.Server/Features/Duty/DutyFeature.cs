using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Jobs;
using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Features.Duty;

/// <summary>The operations centre's 7×24 duty: roster, who is on duty, urgent alerts with escalation, handovers (值班值守).</summary>
public sealed class DutyFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DutyOptions>().Bind(configuration.GetSection(DutyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSaveHook<DutyAlertHook>();
        services.AddScheduledJob<DutyAlertJob, DutyAlertJobOptions>(configuration, DutyAlertJobOptions.Section);
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapDutyApi();
}
