using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Notifications;

/// <summary>In-app inboxes, SMS and WeChat through the outbox, and the channel addresses of accounts.</summary>
public sealed class NotificationsFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddCivicGridNotifications(configuration);

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapNotificationsApi();
}
