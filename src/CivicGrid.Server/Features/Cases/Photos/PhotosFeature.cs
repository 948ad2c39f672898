using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Cases.Photos;

/// <summary>Photos of a case: handling evidence and more photos, served without metadata (the store is infrastructure).</summary>
public sealed class PhotosFeature : IFeature
{
    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapCasePhotosApi();
}
