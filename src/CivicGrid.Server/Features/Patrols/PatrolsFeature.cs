using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Jobs;
using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Features.Patrols;

/// <summary>"110" patrols: start, positions in batches, end; tracks, coverage and workers' days; cases reported on the way linked.</summary>
public sealed class PatrolsFeature : IFeature
{
    /// <summary>
    /// The patrol rules (section <c>Patrols</c>, validated at start), the track writer (group commit of batches and ends),
    /// the nightly close of patrols left open (<c>Jobs:PatrolNightlyClose</c>) and the save hook that links cases to open patrols.
    /// </summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PatrolRules>().Bind(configuration.GetSection(PatrolRules.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TrackWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<TrackWriter>());
        services.AddScheduledJob<PatrolNightlyCloseJob, PatrolNightlyCloseOptions>(configuration, PatrolNightlyCloseOptions.Section);
        services.AddSaveHook<PatrolCaseLinks>();
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapPatrolsApi();
}
