using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Http;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.District;

/// <summary>
/// Red cases handed to the district (上报区级): the referral records with their delivery and answer, the signed webhook
/// that delivers them through the outbox, and the district's signed answers.
/// </summary>
public sealed class DistrictFeature : IFeature
{
    /// <summary>District options (validated at start), the webhook sender the outbox uses and its HTTP client.</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DistrictOptions>().Bind(configuration.GetSection(DistrictOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DistrictOptions>, DistrictProductionValidator>();
        services.AddRateLimitPolicy(DistrictApi.AnswersRateLimit, context => RateLimits.PerClientPerMinute(context,
            context.RequestServices.GetRequiredService<IOptions<DistrictOptions>>().Value.AnswersPerMinute));
        services.AddHttpClient(DistrictWebhookSender.HttpClientName);
        services.AddSingleton<Notifications.IDistrictWebhookSender, DistrictWebhookSender>();
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes)
    {
        routes.MapDistrictReferralsApi();
        routes.MapDistrictApi();
    }
}
