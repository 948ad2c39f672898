using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Cases.Tracking;

/// <summary>The anonymous reporter's view of their case through its follow token: progress, verify, rate, reopen, add information, chase, withdraw; and the public map of nearby reports.</summary>
public sealed class TrackingFeature : IFeature
{
    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapTrackApi().MapNearbyApi();
}
