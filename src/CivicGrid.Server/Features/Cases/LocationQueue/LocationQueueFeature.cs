using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Cases.LocationQueue;

/// <summary>The confirm-location queue: an ambiguous case offered to each candidate grid until one claims it.</summary>
public sealed class LocationQueueFeature : IFeature
{
    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapLocationQueueApi();
}
