using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CivicGrid.Server.Features.Notifications;

public static class NotificationsSetup
{
    /// <summary>
    /// Outbox options (validated at start), the logging SMS and WeChat senders unless a real one was registered
    /// before, and the dispatcher with its background loop. Register after the database initializer.
    /// </summary>
    public static IServiceCollection AddCivicGridNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ISmsSender, LoggingSmsSender>();
        services.TryAddSingleton<IWeChatTemplateSender, LoggingWeChatSender>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService<OutboxDispatcherService>();
        return services;
    }
}
