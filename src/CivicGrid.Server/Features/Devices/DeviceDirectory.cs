using System.Collections.Concurrent;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Devices;

/// <summary>What the message pipeline needs of an active device: who it is, where it stands, its stored secret.</summary>
public sealed record DeviceCard(Guid Id, string Code, string Name, double Lon, double Lat, string ProtectedSecret)
{
    public static DeviceCard Of(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new(device.Id, device.Code, device.Name, device.Lon, device.Lat, device.ProtectedSecret);
    }
}

/// <summary>
/// The active devices and the alarm types in memory, for the message pipeline: reading a device and its alarm type for
/// every message was two of a device alarm's four database reads. Devices are registered, given a new secret or retired
/// a few times a day; alarm types are remapped a few times a year.
/// <list type="bullet">
/// <item>A change on this instance takes effect at once (the API invalidates the directory).</item>
/// <item>A device registered on another instance is read on its first message.</item>
/// <item>A message whose signature fails against the held secret is checked once more against a fresh read, so a secret
/// replaced on another instance works here at once.</item>
/// <item>A device retired, or a secret replaced, on another instance stops being accepted here with the old secret within
/// <see cref="CacheFor"/>; so does an alarm type remapped there (ADR 0024 lists what each instance keeps).</item>
/// </list>
/// The whole set is reloaded when older than <see cref="CacheFor"/> (<see cref="TimedSnapshot{T}"/>).
/// </summary>
public sealed class DeviceDirectory(IServiceScopeFactory scopes, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private sealed record Loaded(ConcurrentDictionary<string, DeviceCard> Devices, IReadOnlyDictionary<string, DeviceAlarmType> AlarmTypes);

    private readonly TimedSnapshot<Loaded> _loaded = new(ct => LoadAsync(scopes, ct), time, CacheFor);

    /// <summary>The active device with this code; null for an unknown or retired one.</summary>
    public async Task<DeviceCard?> FindActiveAsync(string code, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(code);
        var loaded = await _loaded.GetAsync(ct);
        if (loaded.Devices.TryGetValue(code, out var card))
        {
            return card;
        }

        // Registered on another instance since the load, or no active device: an unknown code costs the one indexed read
        // it always cost.
        var found = await ReadDeviceAsync(code, ct);
        if (found is not null)
        {
            loaded.Devices[code] = found;
        }

        return found;
    }

    /// <summary>The device read afresh (after its signature failed against the held secret); null when it is not active.</summary>
    public async Task<DeviceCard?> RereadAsync(string code, CancellationToken ct)
    {
        var found = await ReadDeviceAsync(code, ct);
        if (_loaded.Current is { } loaded)
        {
            if (found is null)
            {
                loaded.Devices.TryRemove(code, out _);
            }
            else
            {
                loaded.Devices[code] = found;
            }
        }

        return found;
    }

    /// <summary>The alarm type with this code; null when there is none.</summary>
    public async Task<DeviceAlarmType?> FindAlarmTypeAsync(string code, CancellationToken ct)
    {
        var loaded = await _loaded.GetAsync(ct);
        if (loaded.AlarmTypes.TryGetValue(code, out var type))
        {
            return type;
        }

        // Added on another instance since the load, or no such type.
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CivicGridDbContext>().DeviceAlarmTypes.AsNoTracking()
            .SingleOrDefaultAsync(t => t.Code == code, ct);
    }

    public void Dispose() => _loaded.Dispose();

    /// <summary>Forgets what is loaded, after this instance registered, retired or re-keyed a device or saved an alarm type.</summary>
    public void Invalidate() => _loaded.Invalidate();

    private static async Task<Loaded> LoadAsync(IServiceScopeFactory scopes, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var devices = await db.Devices.IgnoreQueryFilters().AsNoTracking().Where(d => d.IsActive)
            .Select(d => new DeviceCard(d.Id, d.Code, d.Name, d.Lon, d.Lat, d.ProtectedSecret)).ToListAsync(ct);
        var types = await db.DeviceAlarmTypes.AsNoTracking().ToDictionaryAsync(t => t.Code, StringComparer.Ordinal, ct);
        return new Loaded(new ConcurrentDictionary<string, DeviceCard>(devices.Select(d => KeyValuePair.Create(d.Code, d)), StringComparer.Ordinal),
            types);
    }

    private async Task<DeviceCard?> ReadDeviceAsync(string code, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CivicGridDbContext>().Devices.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.Code == code && d.IsActive)
            .Select(d => new DeviceCard(d.Id, d.Code, d.Name, d.Lon, d.Lat, d.ProtectedSecret)).SingleOrDefaultAsync(ct);
    }
}
