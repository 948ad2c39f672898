using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Users;

/// <summary>Accounts and organisations in the caller's scope.</summary>
public sealed class UsersFeature : IFeature
{
    public static void MapEndpoints(IEndpointRouteBuilder routes)
    {
        routes.MapUsersApi();
        routes.MapAccountLifecycleApi();
    }
}
