using System.Security.Claims;
using System.Text.RegularExpressions;
using CivicGrid.Server.Features.Cases;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using CivicGrid.Server.Features.Cases.Intake;

namespace CivicGrid.Server.Features.Notifications;

/// <param name="Channel">sms or wechat.</param>
/// <param name="Address">Masked: the phone as 138****0000, an openid by its first characters.</param>
/// <param name="OptedOut">The user turned this channel off: nothing is sent to it (我的消息设置).</param>
public sealed record ChannelAddressResponse(string Channel, string Address, DateTimeOffset CreatedAt, bool OptedOut);

/// <param name="OptedOut">True to stop messages to this channel, false to receive them again.</param>
public sealed record ChannelOptOutRequest(bool OptedOut);

/// <param name="Address">A mobile number for sms; the openid the WeChat official account gave this user for wechat.</param>
public sealed record ChannelAddressRequest(string? Address);

/// <summary>
/// Where the caller's notifications may also go outside the app: an SMS number, a WeChat openid (set by the WeChat
/// bridge after the user follows the official account). Each user manages only their own; nothing is sent to a channel
/// without an address here. Addresses are personal data and come back masked.
/// </summary>
public static partial class NotificationChannelsApi
{
    public static RouteGroupBuilder MapNotificationChannels(this RouteGroupBuilder notifications)
    {
        notifications.MapGet("/channels", List).WithName("ListNotificationChannels")
            .WithSummary("The caller's own SMS and WeChat addresses for notifications (masked).");
        notifications.MapPut("/channels/{channel}", Set).WithName("SetNotificationChannel")
            .WithSummary("Sets the caller's SMS number or WeChat openid for notifications.");
        notifications.MapPut("/channels/{channel}/opt-out", SetOptOut).WithName("SetNotificationChannelOptOut")
            .WithSummary("Turns one of the caller's channels off (or on again) without forgetting its address.");
        notifications.MapDelete("/channels/{channel}", Remove).WithName("RemoveNotificationChannel")
            .WithSummary("Stops notifications to one of the caller's channels.");
        return notifications;
    }

    public static async Task<Ok<List<ChannelAddressResponse>>> List(ClaimsPrincipal caller, CivicGridDbContext db, CancellationToken ct)
    {
        var userId = caller.GetUserId();
        var rows = await db.UserChannelAddresses.AsNoTracking().Where(a => a.UserId == userId).OrderBy(a => a.Channel).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(Describe).ToList());
    }

    /// <param name="channel">sms or wechat.</param>
    public static async Task<Results<Ok<ChannelAddressResponse>, ProblemHttpResult>> Set(string channel, ChannelAddressRequest? request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (ParseChannel(channel) is not { } kind)
        {
            return Problems.Validation("channel", "通知渠道只能是 sms（短信）或 wechat（微信）。");
        }

        var raw = request?.Address?.Trim() ?? string.Empty;
        string address;
        if (kind == OutboxChannel.Sms)
        {
            if (!IntakeApi.TryNormalizePhone(raw, out address) || !MobileNumber().IsMatch(address))
            {
                return Problems.Validation("address", "短信通知需要 11 位手机号。");
            }
        }
        else
        {
            if (!OpenId().IsMatch(raw))
            {
                return Problems.Validation("address", "微信 openid 应为 10–64 位字母、数字、下划线或短横线，由公众号授权后获得。");
            }

            address = raw;
        }

        var userId = caller.GetUserId()!.Value;
        // One save either way: a changed number never leaves the user without one in between.
        var row = await db.UserChannelAddresses.SingleOrDefaultAsync(a => a.UserId == userId && a.Channel == kind, ct);
        if (row is null)
        {
            row = new UserChannelAddress(userId, kind, address, time.GetUtcNow());
            db.UserChannelAddresses.Add(row);
        }
        else
        {
            row.ChangeTo(address, time.GetUtcNow());
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Describe(row));
    }

    /// <param name="channel">sms or wechat.</param>
    public static async Task<Results<Ok<ChannelAddressResponse>, ProblemHttpResult>> SetOptOut(string channel, ChannelOptOutRequest request, ClaimsPrincipal caller,
        CivicGridDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (ParseChannel(channel) is not { } kind)
        {
            return Problems.Validation("channel", "通知渠道只能是 sms（短信）或 wechat（微信）。");
        }

        var userId = caller.GetUserId();
        var row = await db.UserChannelAddresses.SingleOrDefaultAsync(a => a.UserId == userId && a.Channel == kind, ct);
        if (row is null)
        {
            return Problems.NotFound(kind == OutboxChannel.Sms ? "您还没有登记接收通知的手机号。" : "您还没有绑定微信，从公众号进入本平台即可绑定。");
        }

        row.SetOptedOut(request.OptedOut, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Describe(row));
    }

    /// <param name="channel">sms or wechat.</param>
    public static async Task<Results<NoContent, ProblemHttpResult>> Remove(string channel, ClaimsPrincipal caller, CivicGridDbContext db, CancellationToken ct)
    {
        if (ParseChannel(channel) is not { } kind)
        {
            return Problems.Validation("channel", "通知渠道只能是 sms（短信）或 wechat（微信）。");
        }

        var userId = caller.GetUserId();
        await db.UserChannelAddresses.Where(a => a.UserId == userId && a.Channel == kind).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    private static OutboxChannel? ParseChannel(string channel) => channel switch
    {
        "sms" => OutboxChannel.Sms,
        "wechat" => OutboxChannel.WeChat,
        _ => null,
    };

    private static ChannelAddressResponse Describe(UserChannelAddress a) => new(
        a.Channel == OutboxChannel.Sms ? "sms" : "wechat",
        a.Channel == OutboxChannel.Sms ? Masking.Phone(a.Address)! : $"{a.Address[..Math.Min(4, a.Address.Length)]}…",
        a.CreatedAt, a.OptedOut);

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex MobileNumber();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{10,64}$")]
    private static partial Regex OpenId();
}
