using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Sms;

/// <summary>
/// The rules every SMS passes (ADR 0033): only to a mainland mobile number; case messages only to a verified number
/// (held until it is, dropped after <see cref="SmsOptions.HoldFor"/>); at most <see cref="SmsOptions.PerNumberPerDay"/>
/// SMS to one number in 24 hours, counted in the database so the cap holds across server instances. The dispatcher
/// asks before each SMS (<see cref="ISmsGate"/>); the code endpoint asks before each code.
/// </summary>
public sealed partial class SmsRules(IOptions<SmsOptions> options) : ISmsGate
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public static bool IsMobile(string phone) => Mobile().IsMatch(phone);

    public static string PhoneIndex(CivicGridDbContext db, string phone) => db.BlindIndex(FieldVault.PhoneField, phone);

    /// <summary>True once the number was verified by a code or vouched for by staff.</summary>
    public static Task<bool> IsVerifiedAsync(CivicGridDbContext db, string phoneIndex, CancellationToken ct) =>
        db.PhoneVerifications.AnyAsync(v => v.PhoneIndex == phoneIndex && v.VerifiedAt != null, ct);

    /// <summary>SMS the provider accepted for the number in the 24 hours before <paramref name="now"/>.</summary>
    public static Task<int> SentTodayAsync(CivicGridDbContext db, string phoneIndex, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - Day;
        return db.OutboxMessages.CountAsync(m => EF.Property<string?>(m, OutboxMessageConfiguration.RecipientIndexProperty) == phoneIndex
            && m.Channel == OutboxChannel.Sms && m.State == OutboxState.Sent && m.SentAt >= since, ct);
    }

    /// <summary>The number's held messages go out now (it was just verified).</summary>
    public static Task<int> ReleaseHeldAsync(CivicGridDbContext db, string phoneIndex, DateTimeOffset now, CancellationToken ct) =>
        db.OutboxMessages.Where(m => EF.Property<string?>(m, OutboxMessageConfiguration.RecipientIndexProperty) == phoneIndex
                && m.Channel == OutboxChannel.Sms && m.State == OutboxState.Held)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Pending).SetProperty(m => m.NextAttemptAt, now), ct);

    public string CapReason(int sent) =>
        string.Create(CultureInfo.InvariantCulture, $"超过每日上限：该号码 24 小时内已接收 {sent} 条短信（上限 {options.Value.PerNumberPerDay} 条）。");

    public async Task<(SmsGateDecision Decision, string? Reason, DateTimeOffset? HoldUntil)> CheckAsync(CivicGridDbContext db, OutboxMessage message,
        DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        if (!IsMobile(message.Recipient))
        {
            return (SmsGateDecision.Refuse, "不是手机号码，无法发送短信。", null);
        }

        var index = PhoneIndex(db, message.Recipient);
        if (!await IsVerifiedAsync(db, index, ct))
        {
            var until = message.CreatedAt + settings.HoldFor;
            return until <= now
                ? (SmsGateDecision.Refuse, "号码未在规定时间内完成验证，消息未发送。", null)
                : (SmsGateDecision.Hold, null, until);
        }

        var sent = await SentTodayAsync(db, index, now, ct);
        return sent >= settings.PerNumberPerDay ? (SmsGateDecision.Refuse, CapReason(sent), null) : (SmsGateDecision.Send, null, null);
    }

    /// <summary>A new 6-digit code.</summary>
    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The stored form of a code: keyed with the index key and the row's id, so equal codes hash differently.</summary>
    public static string CodeHash(CivicGridDbContext db, Guid verificationId, string code) =>
        db.BlindIndex("sms-code", string.Create(CultureInfo.InvariantCulture, $"{verificationId:N}:{code}"));

    public static bool CodeMatches(string? stored, string computed) =>
        stored is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(stored), Encoding.UTF8.GetBytes(computed));

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex Mobile();
}
