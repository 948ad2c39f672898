using System.Globalization;
using System.Text.Json;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Sms;

public sealed record SmsCodeRequest(string? Phone);

public sealed record SmsCodeConfirmation(string? Phone, string? Code);

/// <param name="ExpiresAt">When the code stops working.</param>
/// <param name="ResendAfterSeconds">How long the page waits before it offers another code.</param>
public sealed record SmsCodeSent(string Phone, DateTimeOffset ExpiresAt, int ResendAfterSeconds);

public sealed record SmsPhoneVerified(string Phone, bool Verified, int Released);

/// <summary>
/// The phone page's verification of a reporter's number (<c>/api/sms/codes</c>: ask for a code, confirm it) and the
/// providers' delivery receipts (<c>/api/sms/receipts/{aliyun|tencent}</c>). Anonymous: the caps, the per-number
/// resend wait and the cool-down bound what a stranger can make the server send.
/// </summary>
public static class SmsApi
{
    public const string CodeRateLimit = "sms-code";
    public const string CapType = "/problems/sms-daily-cap";
    public const string ResendType = "/problems/sms-resend-too-soon";
    public const string CooldownType = "/problems/sms-cooldown";
    public const string WrongCodeType = "/problems/sms-code-wrong";
    public const string ExpiredType = "/problems/sms-code-expired";
    public const string ProviderType = "/problems/sms-provider";

    public static IEndpointRouteBuilder MapSmsApi(this IEndpointRouteBuilder routes)
    {
        var g = routes.MapGroup("/api/sms").WithTags("SMS").AllowAnonymous();
        g.MapPost("/codes", RequestCode).RequireRateLimiting(CodeRateLimit).WithName("RequestSmsCode")
            .WithSummary("Sends a 6-digit verification code to a mobile number (valid 5 minutes; limited per number and per address).");
        g.MapPost("/codes/confirm", ConfirmCode).RequireRateLimiting(CodeRateLimit).WithName("ConfirmSmsCode")
            .WithSummary("Confirms a code: the number is verified and its held case messages are sent.");
        g.MapPost("/receipts/{provider}", Receipts).WithName("SmsDeliveryReceipts")
            .WithSummary("Delivery receipts pushed by the SMS provider (Aliyun SmsReport, Tencent status callback); ?token= the configured receipt token.");
        return routes;
    }

    public static async Task<Results<Accepted<SmsCodeSent>, ProblemHttpResult>> RequestCode(SmsCodeRequest request, HttpContext http, CivicGridDbContext db,
        ISmsSender sender, SmsRules rules, IOptions<SmsOptions> options, TimeProvider time, ILogger<SmsCodeRequest> logger, CancellationToken ct)
    {
        var settings = options.Value;
        if (Mobile(request.Phone) is not { } phone)
        {
            return Problems.Validation("phone", "请填写正确的 11 位手机号。");
        }

        var now = time.GetUtcNow();
        var index = SmsRules.PhoneIndex(db, phone);
        var codes = db.PhoneVerifications.Where(v => v.PhoneIndex == index && v.Method == PhoneVerificationMethod.Code);
        if (await codes.Where(v => v.LockedUntil > now).Select(v => v.LockedUntil).FirstOrDefaultAsync(ct) is { } locked)
        {
            return Cooldown(locked, now);
        }

        var last = await codes.OrderByDescending(v => v.CreatedAt).Select(v => (DateTimeOffset?)v.CreatedAt).FirstOrDefaultAsync(ct);
        if (last is { } sentAt && sentAt + settings.ResendAfter > now)
        {
            var wait = (int)Math.Ceiling((sentAt + settings.ResendAfter - now).TotalSeconds);
            return Problems.Create(StatusCodes.Status429TooManyRequests, ResendType, "A code was sent to this number a moment ago.",
                string.Create(CultureInfo.InvariantCulture, $"验证码已发送，请 {wait} 秒后再重新获取。"), new Dictionary<string, object?> { ["retryAfterSeconds"] = wait });
        }

        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var addressIndex = db.BlindIndex("address", address);
        var since = now - TimeSpan.FromDays(1);
        if (await db.PhoneVerifications.CountAsync(v => v.AddressIndex == addressIndex && v.CreatedAt >= since, ct) >= settings.PerAddressPerDay)
        {
            return Problems.Create(StatusCodes.Status429TooManyRequests, CapType, "This address asked for too many codes today.",
                "当前网络今日获取验证码的次数已达上限，请明天再试，或拨打 12345 反映问题。");
        }

        var verification = PhoneVerification.ForCode(index, addressIndex, now, settings.CodeLifetime);
        var code = SmsRules.NewCode();
        verification.SetCodeHash(SmsRules.CodeHash(db, verification.Id, code));
        var messageId = OutboxMessage.MessageIdFor($"sms-code:{verification.Id:N}", OutboxChannel.Sms, phone);

        // Recorded like every SMS (the caps count them), with the code itself blanked out.
        var record = new OutboxMessage(messageId, OutboxChannel.Sms, phone, SmsTemplates.VerificationCode,
            new Dictionary<string, string> { ["code"] = "******" }, null, now);
        db.OutboxMessages.Add(record);
        var sent = await SmsRules.SentTodayAsync(db, index, now, ct);
        if (sent >= settings.PerNumberPerDay)
        {
            record.RecordRefused(rules.CapReason(sent), now);
            await db.SaveChangesAsync(ct);
            return Problems.Create(StatusCodes.Status429TooManyRequests, CapType, "This number received too many SMS today.",
                string.Create(CultureInfo.InvariantCulture, $"该号码今日接收短信已达上限（{settings.PerNumberPerDay} 条），请明天再试。"));
        }

        db.PhoneVerifications.Add(verification);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(settings.Timeout);
            var providerId = await sender.SendAsync(new SmsMessage(messageId, phone, SmsTemplates.VerificationCode,
                new Dictionary<string, string> { ["code"] = code }), timeout.Token);
            record.RecordSent(providerId, time.GetUtcNow());
        }
        catch (Exception e) when (e is HttpRequestException or SmsProviderException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Verification code {MessageId} to {Phone} was not sent: {Error}", messageId, Masking.Phone(phone), e.Message);
            record.RecordFailed($"{e.GetType().Name}: {e.Message}", time.GetUtcNow());
            db.PhoneVerifications.Remove(verification);
            await db.SaveChangesAsync(ct);
            return Problems.Create(StatusCodes.Status502BadGateway, ProviderType, "The SMS provider did not take the code.", "短信发送失败，请稍后再试。");
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Accepted((string?)null, new SmsCodeSent(Masking.Phone(phone) ?? string.Empty, verification.ExpiresAt, (int)settings.ResendAfter.TotalSeconds));
    }

    public static async Task<Results<Ok<SmsPhoneVerified>, ProblemHttpResult>> ConfirmCode(SmsCodeConfirmation request, CivicGridDbContext db,
        IOptions<SmsOptions> options, TimeProvider time, CancellationToken ct)
    {
        var settings = options.Value;
        if (Mobile(request.Phone) is not { } phone)
        {
            return Problems.Validation("phone", "请填写正确的 11 位手机号。");
        }

        var code = request.Code?.Trim() ?? string.Empty;
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            return Problems.Validation("code", "请输入短信中的 6 位数字验证码。");
        }

        var now = time.GetUtcNow();
        var index = SmsRules.PhoneIndex(db, phone);
        var latest = await db.PhoneVerifications.Where(v => v.PhoneIndex == index && v.Method == PhoneVerificationMethod.Code)
            .OrderByDescending(v => v.CreatedAt).FirstOrDefaultAsync(ct);
        if (latest?.LockedUntil is { } locked && locked > now)
        {
            return Cooldown(locked, now);
        }

        if (latest is null || latest.VerifiedAt is not null || latest.ExpiresAt <= now || latest.Attempts >= settings.CodeAttempts)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, ExpiredType, "The code has expired.", "验证码已过期或已使用，请重新获取。");
        }

        if (!SmsRules.CodeMatches(latest.CodeHash, SmsRules.CodeHash(db, latest.Id, code)))
        {
            // Counted in one conditional statement, so parallel guesses cannot share a try.
            var tries = settings.CodeAttempts;
            var lockUntil = now + settings.CodeCooldown;
            var counted = await db.PhoneVerifications.Where(v => v.Id == latest.Id && v.Attempts < tries)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.Attempts, v => v.Attempts + 1)
                    .SetProperty(v => v.LockedUntil, v => v.Attempts + 1 >= tries ? lockUntil : v.LockedUntil), ct);
            var left = counted == 0 ? 0 : tries - latest.Attempts - 1;
            return left <= 0
                ? Cooldown(lockUntil, now)
                : Problems.Create(StatusCodes.Status422UnprocessableEntity, WrongCodeType, "The code is wrong.",
                    string.Create(CultureInfo.InvariantCulture, $"验证码不正确，还可以再试 {left} 次。"), new Dictionary<string, object?> { ["triesLeft"] = left });
        }

        var verified = await db.PhoneVerifications.Where(v => v.Id == latest.Id && v.VerifiedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.VerifiedAt, now), ct);
        if (verified == 0)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, ExpiredType, "The code has expired.", "验证码已过期或已使用，请重新获取。");
        }

        var released = await SmsRules.ReleaseHeldAsync(db, index, now, ct);
        return TypedResults.Ok(new SmsPhoneVerified(Masking.Phone(phone) ?? string.Empty, true, released));
    }

    /// <summary>
    /// Receipts pushed by the provider: Aliyun's SmsReport (a JSON array of <c>biz_id</c>, <c>out_id</c>, <c>success</c>,
    /// <c>err_code</c>, <c>report_time</c>) or Tencent's status callback (<c>sid</c>, <c>ext</c>, <c>report_status</c>,
    /// <c>errmsg</c>, <c>user_receive_time</c>). Each names the message by the provider's id or by ours; answered in the
    /// provider's documented acknowledgement.
    /// </summary>
    public static async Task<IResult> Receipts(string provider, string? token, HttpRequest request, CivicGridDbContext db, IOptions<SmsOptions> options,
        TimeProvider time, CancellationToken ct)
    {
        var expected = options.Value.ReceiptToken;
        if (string.IsNullOrEmpty(expected) || token is null
            || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(token), System.Text.Encoding.UTF8.GetBytes(expected)))
        {
            return Problems.Forbidden("回执地址的令牌不正确。");
        }

        var aliyun = string.Equals(provider, SmsOptions.AliyunProvider, StringComparison.OrdinalIgnoreCase);
        if (!aliyun && !string.Equals(provider, SmsOptions.TencentProvider, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.NotFound("没有这个短信服务商。");
        }

        JsonElement body;
        try
        {
            body = await request.ReadFromJsonAsync<JsonElement>(ct);
        }
        catch (JsonException)
        {
            return Problems.Validation("body", "回执不是 JSON 数组。");
        }

        if (body.ValueKind != JsonValueKind.Array)
        {
            return Problems.Validation("body", "回执不是 JSON 数组。");
        }

        var now = time.GetUtcNow();
        foreach (var item in body.EnumerateArray())
        {
            var (providerId, ourId, delivered, code) = aliyun
                ? (Text(item, "biz_id"), Text(item, "out_id"), item.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.True, Text(item, "err_code"))
                : (Text(item, "sid"), Text(item, "ext"), string.Equals(Text(item, "report_status"), "SUCCESS", StringComparison.Ordinal), Text(item, "errmsg"));
            var message = await db.OutboxMessages.FirstOrDefaultAsync(m => m.Channel == OutboxChannel.Sms
                && ((providerId != null && m.ProviderMessageId == providerId) || (ourId != null && m.MessageId == ourId)), ct);
            message?.RecordDelivery(delivered, code, now);
        }

        await db.SaveChangesAsync(ct);
        return aliyun ? Results.Json(new { code = 0, msg = "成功" }) : Results.Json(new { result = 0, errmsg = "OK" });
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static ProblemHttpResult Cooldown(DateTimeOffset until, DateTimeOffset now)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling((until - now).TotalMinutes));
        return Problems.Create(StatusCodes.Status429TooManyRequests, CooldownType, "Too many wrong codes for this number.",
            string.Create(CultureInfo.InvariantCulture, $"验证码错误次数过多，请 {minutes} 分钟后再重新获取。"), new Dictionary<string, object?> { ["retryAfterSeconds"] = (int)Math.Ceiling((until - now).TotalSeconds) });
    }

    private static string? Mobile(string? raw) =>
        raw is not null && IntakeApi.TryNormalizePhone(raw, out var phone) && SmsRules.IsMobile(phone) ? phone : null;
}
