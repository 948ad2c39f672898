namespace CivicGrid.Server.Features.Devices;

/// <summary>What a registered device is; decides nothing but how it is shown and which alarm types it usually sends.</summary>
public enum DeviceKind
{
    /// <summary>烟感探测器.</summary>
    SmokeDetector = 1,

    /// <summary>水位传感器 (underpasses, low courtyards).</summary>
    WaterLevelSensor = 2,

    /// <summary>井盖倾斜传感器.</summary>
    ManholeCoverSensor = 3,

    /// <summary>视频监控 with on-camera analysis (天眼, 智慧哨兵): illegal parking, garbage overflow…</summary>
    Camera = 4,

    /// <summary>室外防水音柱: an outdoor speaker that reads emergency broadcasts aloud (text to speech) on a signed command.</summary>
    Speaker = 5,

    /// <summary>Any other sensor.</summary>
    Other = 9,
}

/// <summary>
/// A sensor or camera in the device registry (微感知): where it is, which grid that lies in, who keeps it, and the
/// per-device secret its alarms and heartbeats are signed with. The secret is stored encrypted with ASP.NET Core Data
/// Protection (the server's key ring in the data directory), never in clear, and shown once when issued.
/// </summary>
public sealed class Device
{
    public const int MaxCodeLength = 32;

    private Device()
    {
        Code = null!;
        Name = null!;
        Model = null!;
        Owner = null!;
        GridCode = null!;
        ProtectedSecret = null!;
    }

    public Device(string code, DeviceKind kind, string name, string model, string owner, double lon, double lat, string gridCode,
        string protectedSecret, DateTimeOffset registeredAt)
    {
        Id = Guid.CreateVersion7();
        Code = code;
        Kind = kind;
        Name = name;
        Model = model;
        Owner = owner;
        Lon = lon;
        Lat = lat;
        GridCode = gridCode;
        ProtectedSecret = protectedSecret;
        RegisteredAt = registeredAt;
        IsActive = true;
    }

    public Guid Id { get; private set; }

    /// <summary>The device's identifier on the wire (header <c>X-CivicGrid-Device</c>, MQTT topic): letters, digits, '-' and '_'.</summary>
    public string Code { get; private set; }

    public DeviceKind Kind { get; private set; }

    /// <summary>Where it is, in plain Chinese, e.g. 3 号楼 2 单元楼道烟感.</summary>
    public string Name { get; private set; }

    /// <summary>Maker and model, e.g. 海康 DS-2CD3T47.</summary>
    public string Model { get; private set; }

    /// <summary>Who keeps it: a property company, a department, the community.</summary>
    public string Owner { get; private set; }

    /// <summary>WGS-84 longitude.</summary>
    public double Lon { get; private set; }

    /// <summary>WGS-84 latitude.</summary>
    public double Lat { get; private set; }

    /// <summary>The grid its position is routed to at registration; scope checks use this code.</summary>
    public string GridCode { get; private set; }

    /// <summary>The signing secret, encrypted by Data Protection.</summary>
    public string ProtectedSecret { get; private set; }

    public DateTimeOffset RegisteredAt { get; private set; }

    /// <summary>The last verified heartbeat (or alarm: an alarming device is alive).</summary>
    public DateTimeOffset? LastHeartbeatAt { get; private set; }

    /// <summary>Set when the heartbeat check raised a device-offline case for the current silence; cleared by the next heartbeat.</summary>
    public DateTimeOffset? OfflineReportedAt { get; private set; }

    /// <summary>False for a retired device: its messages are refused like an unknown device's.</summary>
    public bool IsActive { get; private set; }

    /// <summary>When the device was retired; null while it is in service.</summary>
    public DateTimeOffset? RetiredAt { get; private set; }

    /// <summary>The user who retired it.</summary>
    public Guid? RetiredBy { get; private set; }

    /// <summary>Why it was retired (dismantled, replaced, broken…), as the user wrote it.</summary>
    public string? RetiredReason { get; private set; }

    /// <summary>The longest reason kept for a retirement.</summary>
    public const int MaxRetiredReasonLength = 200;

    /// <summary>Replaces the signing secret; messages signed with the old one are refused from now on.</summary>
    /// <exception cref="InvalidOperationException">The device is retired: a retired device gets no new secret.</exception>
    public void ReplaceSecret(string protectedSecret)
    {
        if (!IsActive)
        {
            throw new InvalidOperationException($"Device {Code} is retired; it gets no new secret.");
        }

        ProtectedSecret = protectedSecret;
    }

    /// <summary>
    /// Takes the device out of service for good: from now on its messages are refused like an unknown device's and its
    /// silence raises no offline case. It stays in the registry with who retired it, when and why; it is never deleted,
    /// because the cases it opened still point at it.
    /// </summary>
    /// <param name="by">The user retiring it.</param>
    /// <param name="reason">Why, 1 to <see cref="MaxRetiredReasonLength"/> characters after trimming.</param>
    /// <exception cref="ArgumentException">The reason is empty or too long.</exception>
    /// <exception cref="InvalidOperationException">The device is already retired (the first retirement is kept).</exception>
    public void Retire(Guid by, DateTimeOffset at, string reason)
    {
        var trimmed = reason?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > MaxRetiredReasonLength)
        {
            throw new ArgumentException($"A retirement needs a reason of 1 to {MaxRetiredReasonLength} characters.", nameof(reason));
        }

        if (!IsActive)
        {
            throw new InvalidOperationException($"Device {Code} was already retired at {RetiredAt:O}.");
        }

        IsActive = false;
        RetiredAt = at;
        RetiredBy = by;
        RetiredReason = trimmed;
        OfflineReportedAt = null;
    }

    /// <summary>A verified message arrived: the device is alive, and a later silence is a new one.</summary>
    public void RecordHeartbeat(DateTimeOffset at)
    {
        LastHeartbeatAt = at;
        OfflineReportedAt = null;
    }

    /// <summary>When the current silence began: the last heartbeat, or the registration before any.</summary>
    public DateTimeOffset SilentSince => LastHeartbeatAt ?? RegisteredAt;
}

/// <summary>
/// One alarm type a device may send (<c>smoke</c>, <c>water-level</c>, <c>manhole-tilt</c>…) and the case category it
/// opens. Kept as data so that a subdistrict maps its own devices to its own catalogue.
/// </summary>
public sealed class DeviceAlarmType
{
    public const int MaxCodeLength = 40;

    /// <summary>The alarm type the heartbeat check raises for a silent device.</summary>
    public const string Offline = "offline";

    private DeviceAlarmType()
    {
        Code = null!;
        Name = null!;
        CategoryCode = null!;
    }

    public DeviceAlarmType(string code, string name, string categoryCode)
    {
        Code = code;
        Name = name;
        CategoryCode = categoryCode;
    }

    /// <summary>Kebab-case: lowercase ASCII letters and digits joined by single hyphens, up to <see cref="MaxCodeLength"/>.</summary>
    public static bool IsValidCode(string? code) =>
        code is { Length: > 0 and <= MaxCodeLength } && code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && code[0] != '-' && code[^1] != '-' && !code.Contains("--", StringComparison.Ordinal);

    /// <summary>Kebab-case, as devices send it in <c>type</c>.</summary>
    public string Code { get; private set; }

    /// <summary>Plain Chinese for case titles, e.g. 烟感报警.</summary>
    public string Name { get; private set; }

    /// <summary>The case category an alarm of this type opens.</summary>
    public string CategoryCode { get; private set; }

    /// <summary>When the mapping was last changed through the API; null for the seeded one.</summary>
    public DateTimeOffset? UpdatedAt { get; private set; }

    /// <summary>Who last changed it.</summary>
    public Guid? UpdatedBy { get; private set; }

    /// <summary>Maps the type to another name and category (checked against the catalogue by the caller).</summary>
    public void Remap(string name, string categoryCode, Guid by, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(categoryCode);
        Name = name.Trim();
        CategoryCode = categoryCode.Trim();
        UpdatedBy = by;
        UpdatedAt = at;
    }

    /// <summary>The demo mappings every installation starts with.</summary>
    public static IReadOnlyList<DeviceAlarmType> Standard() =>
    [
        new("smoke", "烟感报警", "E0403"),
        new("water-level", "水位超限报警", "E0404"),
        new("manhole-tilt", "井盖倾斜报警", "C0101"),
        new("illegal-parking", "视频识别：机动车乱停放", "E0503"),
        new("garbage-overflow", "视频识别：垃圾满溢", "E0101"),
        new("street-vending", "视频识别：占道经营", "E0501"),
        new(Offline, "设备离线", "C0103"),
    ];
}

/// <summary>
/// The case a device's alarm opened, so that the same device repeating the same alarm type while that case is open adds
/// to it (<see cref="Domain.Cases.Case.RecordRepeatAlarm"/>) instead of opening another. Stored in the same transaction as
/// the case. <see cref="IsOpen"/> is true until the case becomes final (cleared in the same save,
/// <see cref="DeviceCaseLinks"/>); a unique index on (device, alarm type) where it is true makes a second open case for
/// the same alarm impossible, across server instances too.
/// </summary>
public sealed class DeviceCase
{
    private DeviceCase()
    {
        AlarmType = null!;
        CaseNumber = null!;
    }

    public DeviceCase(Guid deviceId, string alarmType, Guid caseId, string caseNumber, DateTimeOffset openedAt)
    {
        Id = Guid.CreateVersion7();
        DeviceId = deviceId;
        AlarmType = alarmType;
        CaseId = caseId;
        CaseNumber = caseNumber;
        OpenedAt = openedAt;
        IsOpen = true;
    }

    public Guid Id { get; private set; }

    public Guid DeviceId { get; private set; }

    public string AlarmType { get; private set; }

    public Guid CaseId { get; private set; }

    public string CaseNumber { get; private set; }

    public DateTimeOffset OpenedAt { get; private set; }

    /// <summary>True while the case is not final (closed, rejected, merged).</summary>
    public bool IsOpen { get; private set; }

    /// <summary>The case became final: the next alarm of this device and type may open a new case.</summary>
    public void Close() => IsOpen = false;
}

/// <summary>
/// A nonce a device used in a signed message, kept until its timestamp leaves the acceptance window; the key
/// (device, nonce) refuses the same message a second time. Pruned by the heartbeat check.
/// </summary>
public sealed class DeviceNonce
{
    public const int MaxNonceLength = 64;

    private DeviceNonce()
    {
        Nonce = null!;
    }

    public DeviceNonce(Guid deviceId, string nonce, DateTimeOffset expiresAt)
    {
        DeviceId = deviceId;
        Nonce = nonce;
        ExpiresAt = expiresAt;
    }

    public Guid DeviceId { get; private set; }

    public string Nonce { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }
}
