using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CivicGrid.Server.Features.Notifications;

/// <summary>In-app inboxes, SMS and WeChat through the outbox, and the channel addresses of accounts.</summary>
public sealed class NotificationsFeature : IFeature
{
    /// <summary>
    /// Outbox options (validated at start), the logging SMS and WeChat senders unless a real one was registered before,
    /// the dispatcher with its background loop, and the save hooks that derive notifications from case changes and keep
    /// the recipient directory current.
    /// </summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ISmsSender, LoggingSmsSender>();
        services.TryAddSingleton<IWeChatTemplateSender, LoggingWeChatSender>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService<OutboxDispatcherService>();
        services.AddSaveHook<CaseNotifier>();
        services.AddSaveHook<RecipientDirectory.ForgetOnChange>();
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapNotificationsApi();
}
