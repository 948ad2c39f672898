using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Cases.Workflow;

/// <summary>The verbs of the six-step loop and the four colours, one route each (<c>docs/adr/0008-case-workflow.md</c>).</summary>
public sealed class WorkflowFeature : IFeature
{
    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapWorkflowApi();
}
