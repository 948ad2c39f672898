using CivicGrid.Server.Features.Devices;
using CivicGrid.Server.Infrastructure.Hosting;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace CivicGrid.Server.Features.Metrics;

/// <summary>
/// OpenTelemetry metrics (ADR 0029): the server's own instruments (<see cref="CivicGridMetrics"/>), ASP.NET Core's HTTP
/// server and Kestrel meters and the .NET runtime's, exported in the Prometheus text format at <c>Metrics:Path</c>
/// (<c>/metrics</c>) to an operator or a scraper holding the scrape token. <c>Metrics:Enabled=false</c> removes the
/// exporter and the endpoint; the instruments stay, unheard.
/// </summary>
public sealed class MetricsFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.HasValidToken, $"Metrics:ScrapeToken must be at least {MetricsOptions.MinTokenLength} characters; `metrics token` generates one.")
            .ValidateOnStart();
        services.AddSingleton<CivicGridMetrics>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<CivicGridMetrics>().CommitCounter);
        services.AddSingleton<ScrapeToken>();
        if (!configuration.GetValue($"{MetricsOptions.Section}:{nameof(MetricsOptions.Enabled)}", true))
        {
            return;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("civicgrid", serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithMetrics(m => m
                .AddMeter(CivicGridMetrics.MeterName, DeviceMqttListener.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                // A scrape reads the current values: Prometheus asks every 15 s or so, and tests read right after acting.
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes)
    {
        var settings = routes.ServiceProvider.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!settings.Enabled)
        {
            return;
        }

        // Anonymous to the authorization middleware: the gate in the endpoint's own pipeline accepts the scrape token too.
        routes.MapPrometheusScrapingEndpoint(settings.Path, meterProvider: null, configureBranchedPipeline: branch => branch.UseMiddleware<ScrapeGate>(),
            optionsName: null).AllowAnonymous();
    }
}
