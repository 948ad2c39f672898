using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CivicGrid.Server.Features.Notifications;

public static class NotificationsSetup
{
    /// <summary>
    /// Outbox options (validated at start), the logging SMS and WeChat senders unless a real one was registered
    /// before, and the dispatcher with its background loop, and the save hooks that derive notifications from case changes and keep the recipient directory current. Register after the database initializer.
    /// </summary>
    public static IServiceCollection AddCivicGridNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ISmsSender, LoggingSmsSender>();
        services.TryAddSingleton<IWeChatTemplateSender, LoggingWeChatSender>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService<OutboxDispatcherService>();
        services.AddSaveHook<CaseNotifier>();
        services.AddSaveHook<RecipientDirectory.ForgetOnChange>();
        return services;
    }
}
