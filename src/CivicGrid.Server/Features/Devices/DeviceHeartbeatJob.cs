using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Infrastructure.Jobs;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Devices;

/// <summary>
/// Raises a device-offline case (alarm type <see cref="DeviceAlarmType.Offline"/>, through the same intake as alarms)
/// for every active device silent longer than <see cref="DeviceHeartbeatOptions.Silence"/>, once per silence: the device
/// is claimed by one conditional UPDATE of <see cref="Device.OfflineReportedAt"/> before the case is opened (released
/// again if intake refuses), so a second run or instance finds it claimed; the next heartbeat clears the claim. Also
/// deletes nonces whose window has passed.
/// </summary>
public sealed class DeviceHeartbeatJob(CivicGridDbContext db, DeviceMessages messages, IOptions<DeviceHeartbeatOptions> options,
    ILogger<DeviceHeartbeatJob> logger) : IScheduledJob
{
    public string Name => "device-heartbeats";

    public ScheduledJobOptions Schedule => options.Value;

    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var settings = options.Value;
        await db.DeviceNonces.Where(n => n.ExpiresAt < now).ExecuteDeleteAsync(ct);

        var silentBefore = now - settings.Silence;
        var silent = await db.Devices.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.IsActive && d.OfflineReportedAt == null
                && ((d.LastHeartbeatAt != null && d.LastHeartbeatAt < silentBefore) || (d.LastHeartbeatAt == null && d.RegisteredAt < silentBefore)))
            .OrderBy(d => d.Code).Take(settings.BatchSize).ToListAsync(ct);

        var raised = 0;
        foreach (var device in silent)
        {
            var claimed = await db.Devices.IgnoreQueryFilters()
                .Where(d => d.Id == device.Id && d.OfflineReportedAt == null && d.LastHeartbeatAt == device.LastHeartbeatAt)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.OfflineReportedAt, now), ct);
            if (claimed != 1)
            {
                continue;
            }

            var minutes = (int)(now - device.SilentSince).TotalMinutes;
            var result = await messages.RaiseAsync(db, DeviceCard.Of(device), DeviceAlarmType.Offline, $"已 {minutes} 分钟未收到心跳。", IntakeDoor.Heartbeat, ct);
            if (result.Alarm is null)
            {
                logger.LogWarning("Device {Device} is silent but no case was opened: {Reason}", device.Code, result.Reason);
                await db.Devices.IgnoreQueryFilters().Where(d => d.Id == device.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.OfflineReportedAt, (DateTimeOffset?)null), CancellationToken.None);
                continue;
            }

            raised++;
        }

        return raised;
    }
}
