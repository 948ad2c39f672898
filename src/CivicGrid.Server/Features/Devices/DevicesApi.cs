using CivicGrid.Server.Features.Audit;
using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Devices;

/// <summary>A registered device as staff see it; never its secret.</summary>
/// <param name="Kind">smoke-detector, water-level-sensor, manhole-cover-sensor, camera or other.</param>
/// <param name="Online">False once the device has been silent longer than the configured silence, and for a retired device.</param>
/// <param name="RetiredBy">The display name of the user who retired it.</param>
public sealed record DeviceResponse(string Code, DeviceKind Kind, string Name, string Model, string Owner, double Lon, double Lat, string GridCode,
    DateTimeOffset RegisteredAt, DateTimeOffset? LastHeartbeatAt, bool Online, bool IsActive, DateTimeOffset? RetiredAt, string? RetiredBy,
    string? RetiredReason);

/// <param name="Reason">Why the device is taken out of service (dismantled, replaced, broken…), up to 200 characters.</param>
public sealed record RetireDeviceRequest(string? Reason);

/// <summary>An alarm type devices send and the catalogue subcategory it opens.</summary>
/// <param name="CategoryName">The subcategory's name, or null when it is no longer in the catalogue.</param>
/// <param name="CategoryActive">False when the subcategory was retired from the catalogue: alarms of this type open no case until remapped.</param>
public sealed record DeviceAlarmTypeResponse(string Code, string Name, string CategoryCode, string? CategoryName, bool CategoryActive,
    DateTimeOffset? UpdatedAt);

/// <param name="Name">Plain Chinese for case titles, e.g. 烟感报警; up to 100 characters.</param>
/// <param name="CategoryCode">An active subcategory of the catalogue, e.g. E0403.</param>
public sealed record SaveDeviceAlarmTypeRequest(string? Name, string? CategoryCode);

/// <summary>A device with its signing secret, answered once when the secret is issued.</summary>
/// <param name="Secret">The HMAC key, shown only in this answer; store it in the device.</param>
public sealed record DeviceSecretResponse(DeviceResponse Device, string Secret);

/// <param name="Code">Letters, digits, '-' and '_', up to 32, e.g. SMK-0001.</param>
/// <param name="Kind">smoke-detector, water-level-sensor, manhole-cover-sensor, camera or other.</param>
/// <param name="Lon">WGS-84 longitude.</param>
/// <param name="Lat">WGS-84 latitude.</param>
public sealed record RegisterDeviceRequest(string? Code, [property: ApiEnum(typeof(DeviceKind))] string? Kind, string? Name, string? Model, string? Owner, double? Lon, double? Lat);

/// <summary>What the webhook answers for an alarm.</summary>
/// <param name="Repeated">True when the alarm was added to the open case the device's earlier alarm of the same type opened.</param>
public sealed record DeviceAlarmResponse(string CaseNumber, string CategoryCode, bool Repeated);

/// <summary>
/// The device registry (system admin and subdistrict operators register devices in their scope; staff read the devices of
/// their scope), and the signed webhook devices post alarms and heartbeats to (authenticated by signature, not by a user;
/// docs/adr/0012-devices.md).
/// </summary>
public static class DevicesApi
{
    public const string DeviceHeader = "X-CivicGrid-Device";
    public const string TimestampHeader = "X-CivicGrid-Timestamp";
    public const string NonceHeader = "X-CivicGrid-Nonce";
    public const string SignatureHeader = "X-CivicGrid-Signature";

    /// <summary>The rate-limit policy of the webhook: per device named in a signed request, else per client address.</summary>
    public const string WebhookRateLimit = "device-webhook";

    private static readonly string[] Registrars = [Role.SystemAdmin.ToClaimValue(), Role.SubdistrictOperator.ToClaimValue()];

    public static IEndpointRouteBuilder MapDevicesApi(this IEndpointRouteBuilder routes)
    {
        var registry = routes.MapGroup("/api/devices").WithTags("Devices").RequireAuthorization(Policies.Staff);
        registry.MapGet("/", List).WithName("ListDevices").WithSummary("The devices registered in the caller's scope, with their last heartbeat.");
        registry.MapGet("/{code}", Get).WithName("GetDevice").WithSummary("One device of the caller's scope.");
        registry.MapPost("/", Register).RequireAuthorization(p => p.RequireRole(Registrars)).WithName("RegisterDevice").WithSecurityEvent(SecurityEventKind.DeviceSecretIssued, "device", "登记设备并签发设备密钥")
            .WithSummary("Register a device in the caller's scope (system admin, subdistrict operator); the answer carries its signing secret, shown once.");
        registry.MapGet("/alarm-types", ListAlarmTypes).WithName("ListDeviceAlarmTypes")
            .WithSummary("The alarm types devices send and the catalogue subcategory each opens.");
        registry.MapPut("/alarm-types/{code}", SaveAlarmType).RequireAuthorization(Policies.SystemAdmin).WithName("SaveDeviceAlarmType").WithSecurityEvent(SecurityEventKind.ConfigurationChanged, "configuration", "修改设备告警类型")
            .WithSummary("Map an alarm type (new or existing) to a name and an active subcategory (system admin).");
        registry.MapPost("/{code}/retire", Retire).RequireAuthorization(p => p.RequireRole(Registrars)).WithName("RetireDevice")
            .WithSummary("Take a device out of service for good (system admin, subdistrict operator): its messages are refused, its silence raises nothing; it stays listed as retired.");
        registry.MapPost("/{code}/secret", ReplaceSecret).RequireAuthorization(p => p.RequireRole(Registrars)).WithName("ReplaceDeviceSecret").WithSecurityEvent(SecurityEventKind.DeviceSecretIssued, "device", "更换设备密钥")
            .WithSummary("Issue a new signing secret (system admin, subdistrict operator); the old one stops working. Shown once.");

        var webhook = routes.MapGroup("/api/device-webhook").WithTags("Devices").AllowAnonymous().DisableAntiforgery()
            .RequireRateLimiting(WebhookRateLimit);
        // No Accepts<T>: the body is read raw for the signature, and a content-type mismatch must not turn into the
        // framework's 415 (which the login requirement of its fallback endpoint would turn into a 401 without our type).
        webhook.MapPost("/alarms", Alarm).WithName("PostDeviceAlarm")
            .WithSummary("A device's alarm, a JSON body {\"type\": \"smoke\", \"message\": \"…\"} signed with its secret (X-CivicGrid-Device, -Timestamp, -Nonce, -Signature): opens a case, or adds to the open case of the same device and alarm type.");
        webhook.MapPost("/heartbeats", Heartbeat).WithName("PostDeviceHeartbeat")
            .WithSummary("A device's heartbeat, signed like an alarm (any body, e.g. {}); a device silent too long gets a device-offline case.");
        return routes;
    }

    public static async Task<Ok<List<DeviceResponse>>> List(CivicGridDbContext db, IOptions<DeviceHeartbeatOptions> heartbeat, TimeProvider time, CancellationToken ct)
    {
        var devices = await db.Devices.AsNoTracking().OrderBy(d => d.GridCode).ThenBy(d => d.Code).ToListAsync(ct);
        var now = time.GetUtcNow();
        var retirers = await NamesAsync(db, devices, ct);
        return TypedResults.Ok(devices.Select(d => Describe(d, now, heartbeat.Value.Silence, retirers)).ToList());
    }

    public static async Task<Results<Ok<DeviceResponse>, ProblemHttpResult>> Get(string code, CivicGridDbContext db, IOptions<DeviceHeartbeatOptions> heartbeat,
        TimeProvider time, CancellationToken ct)
    {
        var device = await db.Devices.AsNoTracking().SingleOrDefaultAsync(d => d.Code == code, ct);
        return device is null ? NotFound(code) : TypedResults.Ok(Describe(device, time.GetUtcNow(), heartbeat.Value.Silence, await NamesAsync(db, [device], ct)));
    }

    public static async Task<Results<Created<DeviceSecretResponse>, ProblemHttpResult>> Register(RegisterDeviceRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, GeographyIndex geography, DeviceMessages messages, IOptions<DeviceHeartbeatOptions> heartbeat, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var code = request.Code?.Trim() ?? string.Empty;
        if (code.Length is 0 or > Device.MaxCodeLength || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            || code.Equals("alarm-types", StringComparison.OrdinalIgnoreCase))
        {
            errors["code"] = ["设备编号须为 1–32 位字母、数字、“-”或“_”。"];
        }

        if (!ApiEnums.TryParse<DeviceKind>(request.Kind, out var kind))
        {
            errors["kind"] = [$"设备类型须为 {ApiEnums.List<DeviceKind>()} 之一。"];
        }

        foreach (var (field, value) in new[] { ("name", request.Name), ("model", request.Model), ("owner", request.Owner) })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > 100)
            {
                errors[field] = ["此项必填，100 字以内。"];
            }
        }

        if (request.Lon is not (>= -180 and <= 180) || request.Lat is not (>= -90 and <= 90))
        {
            errors["location"] = ["请提供设备的 WGS-84 经纬度（lon、lat）。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var snapshot = await geography.GetAsync(ct);
        var routing = Router.Route(snapshot, request.Lon!.Value, request.Lat!.Value, 5);
        if (routing.GridCode is not { Length: >= GridCodes.CommunityLength } gridCode)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "/problems/outside-territory", "The location is outside every grid.",
                "该位置不在本平台管辖的网格范围内。");
        }

        if (!caller.GetScope().Covers(gridCode))
        {
            return Problems.Forbidden("该位置不在您的管辖范围内，不能在此登记设备。");
        }

        if (await db.Devices.IgnoreQueryFilters().AnyAsync(d => d.Code == code, ct))
        {
            return Problems.Conflict($"设备编号 {code} 已登记。");
        }

        var secret = DeviceSignature.NewSecret();
        var device = new Device(code, kind, request.Name!.Trim(), request.Model!.Trim(), request.Owner!.Trim(), request.Lon.Value, request.Lat.Value,
            gridCode, messages.Protect(secret), time.GetUtcNow());
        db.Devices.Add(device);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/devices/{code}", new DeviceSecretResponse(Describe(device, time.GetUtcNow(), heartbeat.Value.Silence), secret));
    }

    public static async Task<Results<Ok<DeviceSecretResponse>, ProblemHttpResult>> ReplaceSecret(string code, CivicGridDbContext db, DeviceMessages messages,
        DeviceDirectory directory, IOptions<DeviceHeartbeatOptions> heartbeat, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var device = await db.Devices.SingleOrDefaultAsync(d => d.Code == code, ct);
        if (device is null)
        {
            return NotFound(code);
        }

        if (!device.IsActive)
        {
            return Problems.Conflict($"设备 {code} 已停用，不能再签发密钥。");
        }

        var secret = DeviceSignature.NewSecret();
        device.ReplaceSecret(messages.Protect(secret));
        await db.SaveChangesAsync(ct);
        directory.Invalidate();
        return TypedResults.Ok(new DeviceSecretResponse(Describe(device, time.GetUtcNow(), heartbeat.Value.Silence), secret));
    }

    /// <summary>
    /// Retires a device of the caller's scope (404 outside it): 400 without a reason, 409 when it is already retired (the
    /// first retirement is kept). Who, when and why are stored on the device.
    /// </summary>
    public static async Task<Results<Ok<DeviceResponse>, ProblemHttpResult>> Retire(string code, RetireDeviceRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, DeviceDirectory directory, IOptions<DeviceHeartbeatOptions> heartbeat, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var reason = request.Reason?.Trim() ?? string.Empty;
        if (reason.Length is 0 or > Device.MaxRetiredReasonLength)
        {
            return Problems.Validation("reason", $"请填写停用原因（{Device.MaxRetiredReasonLength} 字以内）。");
        }

        var device = await db.Devices.SingleOrDefaultAsync(d => d.Code == code, ct);
        if (device is null)
        {
            return NotFound(code);
        }

        if (!device.IsActive)
        {
            return Problems.Conflict($"设备 {code} 已于 {device.RetiredAt?.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm} 停用。");
        }

        device.Retire(caller.GetUserId()!.Value, time.GetUtcNow(), reason);
        await db.SaveChangesAsync(ct);
        directory.Invalidate();
        return TypedResults.Ok(Describe(device, time.GetUtcNow(), heartbeat.Value.Silence, await NamesAsync(db, [device], ct)));
    }

    public static async Task<Ok<List<DeviceAlarmTypeResponse>>> ListAlarmTypes(CivicGridDbContext db, Catalogue.CategoryCache categories, CancellationToken ct)
    {
        var types = await db.DeviceAlarmTypes.AsNoTracking().OrderBy(t => t.Code).ToListAsync(ct);
        var catalogue = await categories.GetAllAsync(ct);
        return TypedResults.Ok(types.Select(t => Describe(t, catalogue)).ToList());
    }

    /// <summary>
    /// Creates or remaps an alarm type (system admin): 400 for a malformed code or name, 422 when the subcategory is not
    /// an active one of the catalogue. There is no delete, so every type (the heartbeat check's <c>offline</c> among them)
    /// always opens some category.
    /// </summary>
    public static async Task<Results<Ok<DeviceAlarmTypeResponse>, ProblemHttpResult>> SaveAlarmType(string code, SaveDeviceAlarmTypeRequest request,
        ClaimsPrincipal caller, CivicGridDbContext db, Catalogue.CategoryCache categories, DeviceDirectory directory, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var errors = new Dictionary<string, string[]>();
        if (!DeviceAlarmType.IsValidCode(code))
        {
            errors["code"] = [$"报警类型编码须为 1–{DeviceAlarmType.MaxCodeLength} 位小写字母、数字，用“-”连接，如 smoke、water-level。"];
        }

        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 100)
        {
            errors["name"] = ["请填写报警类型名称（100 字以内）。"];
        }

        if (string.IsNullOrWhiteSpace(request.CategoryCode))
        {
            errors["categoryCode"] = ["请选择报警对应的事件小类。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var categoryCode = request.CategoryCode!.Trim();
        if (await categories.FindAsync(categoryCode, ct) is not { IsActive: true })
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "/problems/alarm-type-category", "The category does not exist or is retired.",
                $"事件小类 {categoryCode} 不存在或已停用，报警类型只能对应在用的小类。", new Dictionary<string, object?> { ["categoryCode"] = categoryCode });
        }

        var type = await db.DeviceAlarmTypes.SingleOrDefaultAsync(t => t.Code == code, ct);
        if (type is null)
        {
            type = new DeviceAlarmType(code, request.Name!.Trim(), categoryCode);
            db.DeviceAlarmTypes.Add(type);
        }

        type.Remap(request.Name!, categoryCode, caller.GetUserId()!.Value, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        directory.Invalidate();
        return TypedResults.Ok(Describe(type, await categories.GetAllAsync(ct)));
    }

    public static async Task<Results<Created<DeviceAlarmResponse>, Ok<DeviceAlarmResponse>, ProblemHttpResult>> Alarm(HttpRequest request, DeviceMessages messages,
        IOptions<DeviceOptions> options, CancellationToken ct)
    {
        if (await ReadAsync(request, options.Value, ct) is not { } message)
        {
            return TooLarge(options.Value);
        }

        var result = await messages.AlarmAsync(message, ct);
        if (result.Alarm is not { } alarm)
        {
            return Refused(result);
        }

        var response = new DeviceAlarmResponse(alarm.CaseNumber, alarm.CategoryCode, alarm.Repeated);
        return alarm.Repeated ? TypedResults.Ok(response) : TypedResults.Created($"/api/cases/{alarm.CaseNumber}", response);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Heartbeat(HttpRequest request, DeviceMessages messages, IOptions<DeviceOptions> options,
        CancellationToken ct)
    {
        if (await ReadAsync(request, options.Value, ct) is not { } message)
        {
            return TooLarge(options.Value);
        }

        var result = await messages.HeartbeatAsync(message, ct);
        return result.Refusal is null ? TypedResults.NoContent() : Refused(result);
    }

    /// <summary>
    /// The partition of a webhook request: a request that names a device and carries the signature headers counts against
    /// that device from that address (<c>Devices:MessagesPerMinute</c>), so devices behind one carrier NAT do not share a
    /// budget, and forged requests naming a device from elsewhere cannot spend the real device's budget (the limit runs
    /// before the signature is checked, which is what it protects); anything else counts against its client address
    /// (<c>Devices:UnsignedPerMinute</c>).
    /// </summary>
    public static RateLimitPartition<string> RateLimitPartition(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<DeviceOptions>>().Value;
        var headers = context.Request.Headers;
        var device = headers[DeviceHeader].ToString().Trim();
        var signed = device.Length is > 0 and <= Device.MaxCodeLength
            && !string.IsNullOrEmpty(headers[TimestampHeader]) && !string.IsNullOrEmpty(headers[NonceHeader]) && !string.IsNullOrEmpty(headers[SignatureHeader]);
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return signed
            ? PerMinute($"device:{device}@{address}", options.MessagesPerMinute)
            : PerMinute($"address:{address}", options.UnsignedPerMinute);

        static RateLimitPartition<string> PerMinute(string key, int permits) => System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(key,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
    }

    /// <summary>The 429 problem of the webhook's rate limit, with a Chinese detail naming what is limited.</summary>
    public static ProblemHttpResult RateLimitRefusal(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<DeviceOptions>>().Value;
        var device = context.Request.Headers[DeviceHeader].ToString().Trim();
        var detail = device.Length > 0 && !string.IsNullOrEmpty(context.Request.Headers[SignatureHeader])
            ? $"设备 {device} 的消息过于频繁（每分钟最多 {options.MessagesPerMinute} 条），请按 Retry-After 稍后重发。"
            : $"未签名的设备消息过于频繁（每个地址每分钟最多 {options.UnsignedPerMinute} 条），请稍后再试。";
        return Problems.Create(StatusCodes.Status429TooManyRequests, Problems.TooManyRequestsType, "Too many requests.", detail);
    }

    /// <summary>The problem for a refused device message: 401 for signature, time and replay failures, 400 for a bad body.</summary>
    public static ProblemHttpResult Refused(DeviceMessageResult result) => result.Refusal switch
    {
        DeviceRefusal.BadSignature => Problems.Create(StatusCodes.Status401Unauthorized, "/problems/device-signature",
            "The device or its signature is not recognised.", result.Reason!),
        DeviceRefusal.StaleTimestamp => Problems.Create(StatusCodes.Status401Unauthorized, "/problems/device-timestamp",
            "The message's timestamp is outside the accepted window.", result.Reason!),
        DeviceRefusal.Replay => Problems.Create(StatusCodes.Status401Unauthorized, "/problems/device-replay",
            "The message was already received.", result.Reason!),
        DeviceRefusal.Malformed => Problems.Validation("body", result.Reason!),
        _ => Problems.Create(StatusCodes.Status422UnprocessableEntity, "/problems/device-alarm-refused", "The alarm opened no case.", result.Reason!),
    };

    private static async Task<SignedDeviceMessage?> ReadAsync(HttpRequest request, DeviceOptions options, CancellationToken ct)
    {
        if (request.ContentLength > options.MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > options.MaxBodyBytes)
            {
                return null;
            }
        }

        var timestamp = long.TryParse(request.Headers[TimestampHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : (long?)null;
        return new SignedDeviceMessage(request.Headers[DeviceHeader].ToString(), timestamp, request.Headers[NonceHeader].ToString(),
            request.Headers[SignatureHeader].ToString(), buffer.ToArray());
    }

    private static ProblemHttpResult TooLarge(DeviceOptions options) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, "/problems/too-large", "The request is too large.", $"设备消息不能超过 {options.MaxBodyBytes} 字节。");

    private static ProblemHttpResult NotFound(string code) => Problems.NotFound($"找不到编号为 {code} 的设备，或它不在您的管辖范围内。");

    private static DeviceResponse Describe(Device d, DateTimeOffset now, TimeSpan silence, IReadOnlyDictionary<Guid, string>? names = null) =>
        new(d.Code, d.Kind, d.Name, d.Model, d.Owner, d.Lon, d.Lat, d.GridCode, d.RegisteredAt, d.LastHeartbeatAt,
            d.IsActive && now - d.SilentSince <= silence, d.IsActive, d.RetiredAt,
            d.RetiredBy is { } by ? names?.GetValueOrDefault(by) ?? by.ToString("D") : null, d.RetiredReason);

    /// <summary>Display names of the users who retired <paramref name="devices"/>, across scopes (an admin may have retired it).</summary>
    private static async Task<Dictionary<Guid, string>> NamesAsync(CivicGridDbContext db, IReadOnlyCollection<Device> devices, CancellationToken ct)
    {
        var ids = devices.Select(d => d.RetiredBy).OfType<Guid>().Distinct().ToList();
        return ids.Count == 0
            ? []
            : await db.Users.IgnoreQueryFilters().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
    }

    private static DeviceAlarmTypeResponse Describe(DeviceAlarmType t, IReadOnlyDictionary<string, Domain.Cases.CaseCategory> catalogue)
    {
        var category = catalogue.GetValueOrDefault(t.CategoryCode);
        return new(t.Code, t.Name, t.CategoryCode, category?.Name, category?.IsActive ?? false, t.UpdatedAt);
    }
}
