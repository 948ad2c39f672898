using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Jobs;

/// <summary>The scheduled jobs' status and "run now", over HTTP and as operator commands (the runner is infrastructure).</summary>
public sealed class JobsFeature : IFeature
{
    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapJobsApi();
}
