using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure;
using CivicGrid.Server.Infrastructure.Hosting;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.WeChat;

/// <summary>
/// The residents' WeChat end (居民微信端): sign-in by the official account's web authorisation, the JS-SDK configuration
/// for the report page, template messages for the public steps of a case, the access token and ticket shared in the
/// database. Registered before the notifications feature, whose logging sender stays only while no AppID is configured.
/// </summary>
public sealed class WeChatFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WeChatOptions>().Bind(configuration.GetSection(WeChatOptions.Section)).PostConfigure<DataDirectory>((o, data) =>
        {
            // The AppSecret from the environment (WeChat__AppSecret), else from the data directory; never from committed settings.
            if (string.IsNullOrWhiteSpace(o.AppSecret) && File.Exists(Path.Combine(data.KeysPath, WeChatOptions.SecretFileName)))
            {
                o.AppSecret = File.ReadAllText(Path.Combine(data.KeysPath, WeChatOptions.SecretFileName)).Trim();
            }
        }).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(WeChatApiClient.HttpClientName);
        services.AddSingleton<WeChatApiClient>();
        services.AddSingleton<WeChatCredentials>();
        // The real sender once an AppID is configured; until then the logging one (chosen when first needed, from the options).
        services.AddSingleton<IWeChatTemplateSender>(sp => sp.GetRequiredService<IOptions<WeChatOptions>>().Value.Enabled
            ? ActivatorUtilities.CreateInstance<WeChatTemplateSender>(sp)
            : ActivatorUtilities.CreateInstance<LoggingWeChatSender>(sp));
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapWeChatApi();
}
