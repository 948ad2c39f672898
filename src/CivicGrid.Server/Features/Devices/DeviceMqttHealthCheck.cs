using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CivicGrid.Server.Features.Devices;

/// <summary>
/// The MQTT listener on <c>/health/ready</c>: healthy while subscribed (or when no broker is configured), degraded with the
/// reason while it cannot connect — an untrusted broker certificate, a refused client certificate, a broker that is down.
/// Degraded, not unhealthy: the instance still serves everything else, so a load balancer keeps it.
/// </summary>
public sealed class DeviceMqttHealthCheck(DeviceMqttListener listener) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(listener.Status switch
        {
            { Enabled: false } => HealthCheckResult.Healthy("MQTT off (Devices:Mqtt:Host is empty)."),
            { Connected: true } => HealthCheckResult.Healthy("Subscribed to the device topics."),
            { Problem: { } problem } => HealthCheckResult.Degraded(problem),
            _ => HealthCheckResult.Degraded("Connecting to the broker."),
        });
}
