using System.Globalization;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Devices;

/// <summary>
/// Records the heartbeats of the device messages a save stores (<see cref="DeviceReceipt"/>) as one UPDATE in that
/// save's transaction: the intake writer's batch carries hundreds of alarms, and one UPDATE each, on its single thread,
/// was a round trip per alarm on PostgreSQL.
/// </summary>
public sealed class DeviceHeartbeats : ISaveHook
{
    /// <summary>The heartbeats waiting for the context's next save (its save state).</summary>
    internal sealed class Pending
    {
        public Dictionary<Guid, DateTimeOffset> LatestByDevice { get; } = [];
    }

    /// <summary>Adds a heartbeat of <paramref name="deviceId"/> at <paramref name="at"/> to <paramref name="db"/>'s next save.</summary>
    public static void Add(CivicGridDbContext db, Guid deviceId, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(db);
        var pending = db.SaveState<Pending>(create: true)!.LatestByDevice;
        if (!pending.TryGetValue(deviceId, out var known) || known < at)
        {
            pending[deviceId] = at;
        }
    }

    public async ValueTask<Action<bool>?> SavingAsync(CivicGridDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.SaveState<Pending>(create: false) is not { LatestByDevice.Count: > 0 } pending)
        {
            return null;
        }

        // One time for the batch, the latest (milliseconds apart): a heartbeat is "alive at about now". Never moves a
        // heartbeat back (messages of one device may be handled out of order); clears a reported silence, as
        // Device.RecordHeartbeat does. Plain SQL with the values as EF stores them.
        var at = pending.LatestByDevice.Values.Max();
        var ids = pending.LatestByDevice.Keys.ToList();
        pending.LatestByDevice.Clear();
        var parameters = new List<object> { PlainReads.AsStored(at, db.Provider) };
        parameters.AddRange(ids.Select(id => PlainReads.AsStored(id, db.Provider)));
        var list = string.Join(", ", Enumerable.Range(1, ids.Count).Select(i => "{" + i.ToString(CultureInfo.InvariantCulture) + "}"));
        var sql = $$"""
            UPDATE devices SET "LastHeartbeatAt" = {0}, "OfflineReportedAt" = NULL
            WHERE "Id" IN ({{list}}) AND ("LastHeartbeatAt" IS NULL OR "LastHeartbeatAt" < {0})
            """;
        await db.Database.ExecuteSqlRawAsync(sql, parameters, ct);
        return null;
    }
}
