using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Features.Patrols;

/// <summary>"110" patrols: start, positions in batches, end; tracks, coverage and workers' days; cases reported on the way linked.</summary>
public sealed class PatrolsFeature : IFeature
{
    /// <summary>The patrol rules (section <c>Patrols</c>, validated at start) and the save hook that links cases to open patrols.</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PatrolRules>().Bind(configuration.GetSection(PatrolRules.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSaveHook<PatrolCaseLinks>();
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapPatrolsApi();
}
