using System.Text.Json;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure;
using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Http;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Sms;

/// <summary>
/// SMS that is really sent and cannot be abused (ADR 0033): the provider chosen by <c>Sms:Provider</c> (Aliyun or Tencent,
/// each over a typed HTTP client with a timeout and no retries of its own), the rules the dispatcher asks before each SMS,
/// phone verification codes and delivery receipts. Registered before the notifications feature, whose logging sender is
/// only the fallback.
/// </summary>
public sealed class SmsFeature : IFeature
{
    /// <summary>The file in the data directory's keys folder that may hold the providers' secrets.</summary>
    public const string SecretsFile = "sms.json";

    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SmsOptions>().Bind(configuration.GetSection(SmsOptions.Section))
            .PostConfigure<DataDirectory>(ReadSecretsFile).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SmsRules>();
        services.AddSingleton<ISmsGate>(sp => sp.GetRequiredService<SmsRules>());
        services.AddRateLimitPolicy(SmsApi.CodeRateLimit, context =>
            RateLimits.PerClientPerMinute(context, context.RequestServices.GetRequiredService<IOptions<SmsOptions>>().Value.CodeRequestsPerMinute));

        var provider = configuration[$"{SmsOptions.Section}:{nameof(SmsOptions.Provider)}"]?.ToLowerInvariant();
        switch (provider)
        {
            case SmsOptions.AliyunProvider:
                AddProvider<AliyunSmsSender>(services);
                break;
            case SmsOptions.TencentProvider:
                AddProvider<TencentSmsSender>(services);
                break;
            default:
                break;
        }
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapSmsApi();

    /// <summary>
    /// The sender as a typed client: the timeout is <see cref="SmsOptions.Timeout"/>, nothing retries inside (the outbox
    /// does), and pooled connections are renewed so that a singleton sender follows the provider's DNS.
    /// </summary>
    private static void AddProvider<TSender>(IServiceCollection services)
        where TSender : class, ISmsSender
    {
        services.AddHttpClient<TSender>((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<SmsOptions>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<TSender>());
    }

    /// <summary>Secrets not set in the environment are read from <c>keys/sms.json</c> (same shape as the section) when it exists.</summary>
    private static void ReadSecretsFile(SmsOptions options, DataDirectory data)
    {
        var path = Path.Combine(data.Path, "keys", SecretsFile);
        if (!File.Exists(path))
        {
            return;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        string? Read(string section, string name) =>
            root.TryGetProperty(section, out var s) && s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        options.Aliyun.AccessKeyId ??= Read("Aliyun", "AccessKeyId");
        options.Aliyun.AccessKeySecret ??= Read("Aliyun", "AccessKeySecret");
        options.Tencent.SecretId ??= Read("Tencent", "SecretId");
        options.Tencent.SecretKey ??= Read("Tencent", "SecretKey");
    }
}
