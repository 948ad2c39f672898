using System.Collections.Concurrent;
using System.Text.Json;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using CivicGrid.Server.Features.Cases.Intake;

namespace CivicGrid.Server.Features.Devices;

/// <summary>Why a device message was refused; the HTTP endpoint turns it into problem details, MQTT into a log line.</summary>
public enum DeviceRefusal
{
    /// <summary>Unknown or retired device, or a signature that does not verify (one answer for both: no probing for codes).</summary>
    BadSignature,

    /// <summary>The timestamp lies outside the acceptance window.</summary>
    StaleTimestamp,

    /// <summary>The device already used this nonce inside the window.</summary>
    Replay,

    /// <summary>Signed correctly, but the body is not the JSON the endpoint expects, or names an unknown alarm type.</summary>
    Malformed,

    /// <summary>The case could not be opened (its category is retired, the device lies outside every grid).</summary>
    Refused,
}

/// <summary>A device message as it arrives, on either channel: who says it is sending, and the signature fields.</summary>
/// <param name="Timestamp">Unix seconds, as sent; null when missing or not a number.</param>
/// <param name="Door">The webhook or MQTT, for the metrics.</param>
public sealed record SignedDeviceMessage(string? DeviceCode, long? Timestamp, string? Nonce, string? Signature, byte[] Body, IntakeDoor Door = IntakeDoor.Webhook);

/// <summary>The body of an alarm.</summary>
/// <param name="Type">The alarm type, e.g. <c>smoke</c>, <c>water-level</c>, <c>manhole-tilt</c>, <c>illegal-parking</c>.</param>
/// <param name="Message">What the device measured or saw, in a sentence; optional.</param>
public sealed record DeviceAlarmBody(string? Type, string? Message);

/// <summary>What an alarm did.</summary>
/// <param name="Repeated">True when the alarm was added to the case the same device's alarm of the same type opened.</param>
public sealed record DeviceAlarmOutcome(string CaseNumber, string CategoryCode, bool Repeated);

/// <summary>The answer to one message: an outcome, or a refusal with its Chinese reason.</summary>
public sealed record DeviceMessageResult(DeviceRefusal? Refusal, string? Reason, DeviceAlarmOutcome? Alarm = null)
{
    public static DeviceMessageResult Refuse(DeviceRefusal refusal, string reason) => new(refusal, reason);
}

/// <summary>
/// What a verified message leaves behind with its effect, in the effect's transaction: its nonce (so a replay within the
/// window is refused by the nonce's key; stored only for a valid signature, so nobody can burn a device's nonces) and the
/// device's heartbeat. Neither costs a transaction of its own: for an alarm that opens a case both ride in the intake
/// writer's shared batch.
/// </summary>
public sealed record DeviceReceipt(Guid DeviceId, string Nonce, DateTimeOffset NonceExpiresAt, DateTimeOffset At)
{
    /// <summary>Adds the nonce and the heartbeat to <paramref name="db"/>'s next save (<see cref="DeviceHeartbeats"/>): for the intake writer's batch, or a transaction of the caller's.</summary>
    public void StoreWith(CivicGridDbContext db)
    {
        AddNonce(db);
        DeviceHeartbeats.Add(db, DeviceId, At);
    }

    /// <summary>Adds the nonce to <paramref name="db"/>, to be inserted by its next save (a replay fails that save on the nonce's key).</summary>
    public void AddNonce(CivicGridDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.DeviceNonces.Add(new DeviceNonce(DeviceId, Nonce, NonceExpiresAt));
    }

    /// <summary>True when the nonce is stored (a failed save was this message's replay, or a concurrent copy of it).</summary>
    public Task<bool> IsReplayAsync(CivicGridDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.DeviceNonces.AnyAsync(n => n.DeviceId == DeviceId && n.Nonce == Nonce, ct);
    }
}

/// <summary>
/// The one pipeline for device messages from the webhook and from MQTT: verifies the signature (device, HMAC, then the
/// timestamp window), then records the heartbeat or turns the alarm into a case through <see cref="CaseIntake"/> — or,
/// while the case the same device's same alarm opened is still open, into a <c>repeat-alarm</c> entry on that case — with
/// the message's <see cref="DeviceReceipt"/> stored in the same transaction.
/// </summary>
public sealed class DeviceMessages(IServiceScopeFactory scopes, CaseIntake intake, DeviceDirectory directory, PlainReads plain,
    IDataProtectionProvider protection, TimeProvider time, IOptions<DeviceOptions> options, IEnumerable<IDeviceCommandAcks> commandAcks,
    ILogger<DeviceMessages> logger)
{
    private readonly IDataProtector _secrets = protection.CreateProtector("CivicGrid.Devices.Secret.v1");

    // Secrets as decrypted, by device, with the stored form they came from (a new secret replaces the entry): unprotecting
    // one for every message was a tenth of a message's work.
    private readonly ConcurrentDictionary<Guid, (string Protected, string Secret)> _openSecrets = new();

    // One alarm at a time per device on this instance, so that two quick alarms cannot both open a case.
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _deviceLocks = new();

    /// <summary>
    /// Test seam: runs after this instance found no open case for the alarm and before it opens one, where another
    /// instance may open it first.
    /// </summary>
    internal Func<DeviceCard, string, Task>? BeforeOpeningCase { get; set; }

    /// <summary>Encrypts a new secret for storage.</summary>
    public string Protect(string secret) => _secrets.Protect(secret);

    /// <summary>Verifies and records a heartbeat (with its nonce, in one transaction).</summary>
    public Task<DeviceMessageResult> HeartbeatAsync(SignedDeviceMessage message, CancellationToken ct) =>
        WhenVerifiedAsync(message, async (db, _, receipt) =>
        {
            try
            {
                // The nonce and the heartbeat (an UPDATE its save hook runs before the insert): one transaction.
                await using var transaction = await db.Database.BeginOwnTransactionAsync(ct);
                receipt.StoreWith(db);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Replayed;
            }

            return new DeviceMessageResult(null, null);
        }, ct);

    /// <summary>Verifies an alarm and opens a case, or adds it to the open case of the same device and alarm type.</summary>
    public Task<DeviceMessageResult> AlarmAsync(SignedDeviceMessage message, CancellationToken ct) =>
        WhenVerifiedAsync(message, (db, device, receipt) => OpenOrRepeatAsync(db, device, message.Body, message.Door, receipt, ct), ct);

    /// <summary>
    /// Verifies a device's acknowledgement of a command (body <c>{"command": "id"}</c>) and hands it to the feature that
    /// sent the command, with the message's nonce and heartbeat in the same transaction.
    /// </summary>
    public Task<DeviceMessageResult> AcknowledgeAsync(SignedDeviceMessage message, CancellationToken ct) =>
        WhenVerifiedAsync(message, async (db, device, receipt) =>
        {
            DeviceAckBody? body;
            try
            {
                body = JsonSerializer.Deserialize<DeviceAckBody>(message.Body, JsonSerializerOptions.Web);
            }
            catch (JsonException)
            {
                body = null;
            }

            if (body?.Command is not { } command)
            {
                return DeviceMessageResult.Refuse(DeviceRefusal.Malformed, "确认内容应为 JSON：{\"command\": \"指令编号\"}。");
            }

            var known = false;
            try
            {
                await using var transaction = await db.Database.BeginOwnTransactionAsync(ct);
                foreach (var acks in commandAcks)
                {
                    known |= await acks.AcknowledgeAsync(db, device.Id, command, receipt.At, ct);
                }

                receipt.StoreWith(db);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Replayed;
            }

            return known ? new DeviceMessageResult(null, null)
                : DeviceMessageResult.Refuse(DeviceRefusal.Malformed, $"设备 {device.Code} 没有编号为 {command} 的指令。");
        }, ct);

    /// <summary>The device's signing secret in clear, for signing a command to it.</summary>
    /// <exception cref="DeviceCommandException">The secret cannot be decrypted with this server's key ring.</exception>
    public string SecretOf(DeviceCard device)
    {
        ArgumentNullException.ThrowIfNull(device);
        try
        {
            return OpenSecret(device);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            logger.LogError(e, "The secret of device {Device} cannot be decrypted with this server's key ring; issue a new one", device.Code);
            throw new DeviceCommandException($"设备 {device.Code} 的密钥无法解密，请重新签发密钥。", permanent: true);
        }
    }

    private string OpenSecret(DeviceCard device) =>
        _openSecrets.TryGetValue(device.Id, out var open) && open.Protected == device.ProtectedSecret
            ? open.Secret
            : (_openSecrets[device.Id] = (device.ProtectedSecret, _secrets.Unprotect(device.ProtectedSecret))).Secret;

    private static DeviceMessageResult Replayed => DeviceMessageResult.Refuse(DeviceRefusal.Replay, "该消息已处理过（随机数重复），请勿重放。");

    private async Task<DeviceMessageResult> OpenOrRepeatAsync(CivicGridDbContext db, DeviceCard device, byte[] json, IntakeDoor door, DeviceReceipt receipt,
        CancellationToken ct)
    {
        DeviceAlarmBody? body;
        try
        {
            body = JsonSerializer.Deserialize<DeviceAlarmBody>(json, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body?.Type is not { Length: > 0 and <= DeviceAlarmType.MaxCodeLength } type || body.Message is { Length: > 500 })
        {
            return DeviceMessageResult.Refuse(DeviceRefusal.Malformed, "报警内容应为 JSON：{\"type\": \"报警类型\", \"message\": \"说明（可选，500 字以内）\"}。");
        }

        return await RaiseAsync(db, device, type.Trim(), body.Message, door, ct, receipt);
    }

    /// <summary>
    /// Opens a case for <paramref name="alarmType"/> of <paramref name="device"/> (as the system, channel Sensor), or adds a
    /// <c>repeat-alarm</c> entry to the case the device's alarm of that type opened while it is open. Used by verified
    /// alarms and by the heartbeat check (alarm type <see cref="DeviceAlarmType.Offline"/>).
    /// </summary>
    /// <param name="receipt">A verified message's nonce and heartbeat, stored with the case or the repeat; null for the heartbeat check.</param>
    public async Task<DeviceMessageResult> RaiseAsync(CivicGridDbContext db, DeviceCard device, string alarmType, string? text, IntakeDoor door,
        CancellationToken ct, DeviceReceipt? receipt = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(device);
        var mapping = await directory.FindAlarmTypeAsync(alarmType, ct);
        if (mapping is null)
        {
            return DeviceMessageResult.Refuse(DeviceRefusal.Malformed, $"没有“{alarmType}”这种报警类型，请联系管理员配置报警类型与案件类别的对应关系。");
        }

        // The lock spares this instance the doomed intake of a second alarm; across instances the unique index on the open
        // links decides, and the loser adds its alarm to the winner's case.
        var gate = _deviceLocks.GetOrAdd(device.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var (repeat, staleLink) = await AddToOpenCaseAsync(db, device, mapping, text, receipt, ct);
            switch (repeat)
            {
                case { Replay: true }:
                    return Replayed;
                case { Outcome: { } repeated }:
                    return new DeviceMessageResult(null, null, repeated);
            }

            // A link still marked open whose case is final (stored before links were closed in the save) must not block. The
            // look for an open case saw it: an UPDATE takes SQLite's write lock even when it changes nothing, and the intake
            // writer wants it.
            if (staleLink)
            {
                var deviceKey = device.Id;
                await db.DeviceCases.Where(l => l.DeviceId == deviceKey && l.AlarmType == mapping.Code && l.IsOpen
                        && db.Cases.IgnoreQueryFilters().Any(c => c.Id == l.CaseId
                            && (c.Status == CaseStatus.Closed || c.Status == CaseStatus.Rejected || c.Status == CaseStatus.Merged || c.Status == CaseStatus.Withdrawn)))
                    .ExecuteUpdateAsync(u => u.SetProperty(l => l.IsOpen, false), ct);
            }

            if (BeforeOpeningCase is { } seam)
            {
                await seam(device, mapping.Code);
            }

            var description = string.IsNullOrWhiteSpace(text)
                ? $"{device.Name}（{device.Code}）{mapping.Name}。"
                : $"{device.Name}（{device.Code}）{mapping.Name}：{text.Trim()}";
            var deviceId = device.Id;
            var command = new IntakeCommand(CaseChannel.Sensor, mapping.CategoryCode, $"{mapping.Name}：{device.Name}", description, device.Lon, device.Lat,
                5, null, null, null, null, $"设备 {device.Code}", null, [],
                AlsoStore: (store, subject) =>
                {
                    store.DeviceCases.Add(new DeviceCase(deviceId, mapping.Code, subject.Id, subject.Number, subject.ReportedAt));
                    receipt?.StoreWith(store);
                }) { Door = door };
            try
            {
                var result = await intake.ReportAsync(command, ct);
                return new DeviceMessageResult(null, null, new DeviceAlarmOutcome(result.Case.Number, mapping.CategoryCode, false));
            }
            catch (IntakeRefusedException e)
            {
                logger.LogWarning("Alarm {AlarmType} of device {Device} opened no case: {Reason}", alarmType, device.Code, e.Message);
                return DeviceMessageResult.Refuse(DeviceRefusal.Refused, e.ChineseMessage);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                if (receipt is not null && await receipt.IsReplayAsync(db, ct))
                {
                    return Replayed;
                }

                if (!DeviceCaseLinks.IsOpenLinkConflict(e))
                {
                    throw;
                }

                // Another instance opened the case for this device and alarm type a moment ago: this alarm is a repeat of it.
                logger.LogInformation("Alarm {AlarmType} of device {Device} lost the race to open a case; added to the open one", alarmType, device.Code);
                db.ChangeTracker.Clear();
                switch ((await AddToOpenCaseAsync(db, device, mapping, text, receipt, ct)).Repeat)
                {
                    case { Replay: true }:
                        return Replayed;
                    case { Outcome: { } toWinner }:
                        return new DeviceMessageResult(null, null, toWinner);
                }

                throw;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private readonly record struct Repeat(DeviceAlarmOutcome? Outcome, bool Replay);

    /// <summary>
    /// Adds the alarm to the newest open case of the device's alarm type, if there is one; also says whether a link still
    /// marked open points at a final case (one read for both, as every alarm asks both).
    /// </summary>
    private async Task<(Repeat Repeat, bool StaleLink)> AddToOpenCaseAsync(CivicGridDbContext db, DeviceCard device, DeviceAlarmType mapping,
        string? text, DeviceReceipt? receipt, CancellationToken ct)
    {
        var staleLink = false;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            (var open, staleLink) = await LinksAsync(device.Id, mapping.Code, ct);
            if (open is null)
            {
                return (default, staleLink);
            }

            var subject = await db.Cases.IgnoreQueryFilters().SingleAsync(c => c.Id == open.Value, ct);
            try
            {
                subject.RecordRepeatAlarm(Actor.System, subject.Version, time.GetUtcNow(), device.Code, mapping.Code, text,
                    options.Value.RepeatAlarmNotifyInterval);
                // The repeat, the nonce and the heartbeat (an UPDATE its save hook runs before the inserts): one transaction.
                await using var transaction = receipt is null ? null : await db.Database.BeginOwnTransactionAsync(ct);
                receipt?.StoreWith(db);
                await db.SaveChangesAsync(ct);
                if (transaction is not null)
                {
                    await transaction.CommitAsync(ct);
                }

                return (new Repeat(new DeviceAlarmOutcome(subject.Number, subject.CategoryCode, true), false), false);
            }
            catch (CaseRuleException)
            {
                return (default, staleLink); // closed between the look and the load: the alarm opens a new case
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear(); // staff moved the case meanwhile: look again
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear();
                if (receipt is not null && await receipt.IsReplayAsync(db, ct))
                {
                    return (new Repeat(null, true), false);
                }

                // Another instance added its repeat first (same timeline sequence): look again.
            }
        }

        return (default, staleLink);
    }

    // The links that matter to an alarm: those of an open case, and the one link marked open (a unique index). The newest
    // two of them hold the newest open case if there is any, since at most one of them is a marked link whose case is final.
    private static readonly string LinksSql = $"""
        SELECT d."IsOpen", c."Status", c."Id" FROM device_cases d JOIN cases c ON c."Id" = d."CaseId"
        WHERE d."DeviceId" = $1 AND d."AlarmType" = $2
          AND (d."IsOpen" OR c."Status" NOT IN ({(int)CaseStatus.Closed}, {(int)CaseStatus.Rejected}, {(int)CaseStatus.Merged}, {(int)CaseStatus.Withdrawn}))
        ORDER BY d."OpenedAt" DESC
        LIMIT 2
        """;

    /// <summary>
    /// The device's newest open case of the alarm type, and whether a link marked open points at a final case: a plain read
    /// (<see cref="PlainReads"/>), as nearly every alarm of a burst is a device's first and finds neither.
    /// </summary>
    private Task<(Guid? OpenCase, bool StaleLink)> LinksAsync(Guid deviceId, string alarmType, CancellationToken ct) =>
        plain.ReadAsync(LinksSql, [deviceId, alarmType], async (reader, token) =>
        {
            (Guid? open, bool stale) = (null, false);
            while (await reader.ReadAsync(token))
            {
                var final = ((CaseStatus)reader.GetInt32(1)).IsFinal();
                open ??= final ? null : reader.GetGuid(2);
                stale |= final && reader.GetBoolean(0);
            }

            return (open, stale);
        }, ct);

    /// <summary>Runs <paramref name="act"/> in a fresh scope once the message's signature verified; else answers the refusal.</summary>
    private async Task<DeviceMessageResult> WhenVerifiedAsync(SignedDeviceMessage message,
        Func<CivicGridDbContext, DeviceCard, DeviceReceipt, Task<DeviceMessageResult>> act, CancellationToken ct)
    {
        var (device, receipt, refusal) = await VerifyAsync(message, ct);
        if (device is null)
        {
            return refusal!;
        }

        await using var scope = scopes.CreateAsyncScope();
        return await act(scope.ServiceProvider.GetRequiredService<CivicGridDbContext>(), device, receipt!);
    }

    /// <summary>What an unknown device's message is checked against, so that it takes as long as a known one's.</summary>
    private static readonly string UnknownDeviceSecret = DeviceSignature.NewSecret();

    private async Task<(DeviceCard? Device, DeviceReceipt? Receipt, DeviceMessageResult? Refusal)> VerifyAsync(SignedDeviceMessage message, CancellationToken ct)
    {
        var settings = options.Value;
        var badSignature = DeviceMessageResult.Refuse(DeviceRefusal.BadSignature, "设备签名无效：设备未登记，或签名与设备密钥不符。");
        if (string.IsNullOrWhiteSpace(message.DeviceCode) || message.DeviceCode.Length > Device.MaxCodeLength
            || string.IsNullOrEmpty(message.Nonce) || message.Nonce.Length > DeviceNonce.MaxNonceLength || message.Timestamp is not { } timestamp)
        {
            return (null, null, badSignature);
        }

        // The signature is checked before the timestamp: an unsigned message must get the same answer for a device code
        // that exists as for one that does not, whatever its timestamp, or the answers enumerate the registered devices.
        // An unknown device costs the same HMAC as a known one. It also costs the database read that a device registered on
        // another instance since the directory's load needs (a known one is in memory): a fraction of a millisecond among
        // the network's milliseconds, for a code that is a label printed on the device, not a secret, and at the rate the
        // per-address limit allows (ADR 0024).
        var device = await directory.FindActiveAsync(message.DeviceCode, ct);
        if (device is null)
        {
            _ = DeviceSignature.Matches(UnknownDeviceSecret, timestamp, message.Nonce, message.Body, message.Signature);
            return (null, null, badSignature);
        }

        if (!SignedBy(device, message, timestamp))
        {
            // The secret held may be one replaced (or the device retired) on another instance: read the device afresh once.
            device = await directory.RereadAsync(message.DeviceCode, ct);
            if (device is null || !SignedBy(device, message, timestamp))
            {
                return (null, null, badSignature);
            }
        }

        var now = time.GetUtcNow();
        var sent = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(timestamp, -62_135_596_800, 253_402_300_799));
        if ((now - sent).Duration() > settings.SignatureWindow)
        {
            return (null, null, DeviceMessageResult.Refuse(DeviceRefusal.StaleTimestamp,
                $"时间戳与服务器时间相差超过 {settings.SignatureWindow.TotalSeconds:F0} 秒，请校准设备时钟后重发。"));
        }

        // The nonce is stored with the message's effect (DeviceReceipt): a replay fails that save on the nonce's key.
        return (device, new DeviceReceipt(device.Id, message.Nonce, sent + settings.SignatureWindow, now), null);
    }

    /// <summary>Whether the message verifies against the device's secret; false, and logged, when the secret cannot be decrypted.</summary>
    private bool SignedBy(DeviceCard device, SignedDeviceMessage message, long timestamp)
    {
        string secret;
        try
        {
            secret = OpenSecret(device);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            logger.LogError(e, "The secret of device {Device} cannot be decrypted with this server's key ring; issue a new one", device.Code);
            return false;
        }

        return DeviceSignature.Matches(secret, timestamp, message.Nonce!, message.Body, message.Signature);
    }
}
