namespace CivicGrid.Server.Features.District;

public static class DistrictSetup
{
    /// <summary>District options (validated at start), the webhook sender the outbox uses and its HTTP client.</summary>
    public static IServiceCollection AddDistrictHandOff(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DistrictOptions>().Bind(configuration.GetSection(DistrictOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(DistrictWebhookSender.HttpClientName);
        services.AddSingleton<Notifications.IDistrictWebhookSender, DistrictWebhookSender>();
        return services;
    }
}
