using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Broadcast;
using CivicGrid.Server.Features.Devices;

namespace CivicGrid.Server.Demo;

/// <summary>
/// Yesterday evening's flood warning in the broadcast log (应急广播): two speakers acknowledged, one never did and failed
/// after its retries, the grid workers of those grids mostly pressed 收到.
/// </summary>
public static class DemoBroadcasts
{
    public static IReadOnlyList<object> Build(IReadOnlyList<Device> devices, IReadOnlyList<UserAccount> users, DateTimeOffset now)
    {
        var speakers = devices.Where(d => d.Kind == DeviceKind.Speaker).OrderBy(d => d.Code, StringComparer.Ordinal).Take(3).ToList();
        var sender = users.FirstOrDefault(u => u.IsActive && u.HasRole(Role.SubdistrictOperator) && u.ScopeCode == "610103099");
        if (speakers.Count < 3 || sender is null)
        {
            return [];
        }

        var grids = speakers.Select(s => s.GridCode[..Math.Min(s.GridCode.Length, GridCodes.ThirdLength)]).Distinct(StringComparer.Ordinal).ToList();
        var sentAt = new DateTimeOffset(now.ToOffset(TimeSpan.FromHours(8)).Date.AddDays(-1).AddHours(19), TimeSpan.FromHours(8)).ToUniversalTime();
        var broadcast = new EmergencyBroadcast(sender.ScopeCode, "气象台发布暴雨橙色预警：今晚至明天有大暴雨。请居民不要在河道、地下通道附近停留，地下车库车辆尽快移至高处。", 2, true,
            sender.Id, sender.DisplayName, sentAt, grids, null);
        var rows = new List<object> { broadcast };
        for (var i = 0; i < speakers.Count; i++)
        {
            var speaker = speakers[i];
            var delivery = BroadcastDelivery.ToSpeaker(broadcast.Id, speaker.Id, speaker.Code, speaker.Name, speaker.GridCode, sentAt);
            if (i < 2)
            {
                delivery.RecordHistory(DeliveryState.Acknowledged, 1, sentAt.AddSeconds(1), sentAt.AddSeconds(3 + i), null, null);
            }
            else
            {
                delivery.RecordHistory(DeliveryState.Failed, 3, sentAt.AddSeconds(1), null, sentAt.AddSeconds(91), "音柱在 3 次发送后仍未确认收到。");
            }

            rows.Add(delivery);
        }

        var workers = users.Where(u => u.IsActive && u.Roles.Any(BroadcastTargets.WorkerRoles.Contains)
                && grids.Any(g => u.ScopeCode.StartsWith(g, StringComparison.Ordinal)
                    || (u.ScopeCode.Length >= GridCodes.SecondLength && g.StartsWith(u.ScopeCode, StringComparison.Ordinal))))
            .OrderBy(u => u.UserName, StringComparer.Ordinal).ToList();
        for (var i = 0; i < workers.Count; i++)
        {
            var worker = workers[i];
            var delivery = BroadcastDelivery.ToWorker(broadcast.Id, worker.Id, worker.UserName, worker.DisplayName, worker.ScopeCode, sentAt);
            if (i % 4 != 3)
            {
                delivery.Acknowledge(sentAt.AddMinutes(2 + (i * 3)));
            }

            rows.Add(delivery);
        }

        return rows;
    }
}
