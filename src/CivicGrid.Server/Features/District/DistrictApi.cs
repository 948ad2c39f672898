using System.Security.Claims;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Cases;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.District;

/// <param name="ReferralId">The referral the hand-off carried (<c>referral.id</c>).</param>
/// <param name="Outcome">accepted, replied or closed.</param>
/// <param name="Answer">The district's words, which go onto the case's timeline.</param>
/// <param name="MessageId">
/// The district's id of this message (at most 100 characters), inside the signed body: the same message sent again is
/// acknowledged and not applied twice.
/// </param>
public sealed record DistrictAnswerMessage(Guid? ReferralId, string? Outcome, string? Answer, string? MessageId = null);

public sealed record DistrictDeliveryAttempt(int Attempt, DateTimeOffset AttemptedAt, int? HttpStatus, string? Error, int DurationMs, bool Succeeded);

/// <param name="Delivery">pending (an attempt is due at <paramref name="NextAttemptAt"/>), sent, failed (given up), or none (no webhook configured).</param>
/// <param name="RetryRequestedAt">When a user last asked for an attempt now ("retry now"), and <paramref name="RetryRequestedBy"/> who (display name).</param>
public sealed record DistrictDeliveryLog(Guid ReferralId, string CaseNumber, ReferralStatus ReferralStatus,
    [property: ApiValues(typeof(DistrictDeliveryState), nameof(DistrictDeliveryState.Deliveries))] string Delivery, DateTimeOffset? NextAttemptAt,
    IReadOnlyList<DistrictDeliveryAttempt> Attempts, DateTimeOffset? RetryRequestedAt = null, string? RetryRequestedBy = null);

/// <summary>
/// The district's side of a red case's hand-off: the delivery log of the outbound webhook (console) and the signed inbound
/// endpoint where the district's system answers (<c>docs/adr/0013-hotline-and-district.md</c>).
/// </summary>
public static class DistrictApi
{
    public const string SignatureType = "/problems/district-signature";
    public const string StaleSignatureType = "/problems/district-signature-stale";
    public const string UnknownKeyType = "/problems/district-key-unknown";
    public const string AnswersRateLimit = "district-answers";

    /// <summary>The most an answer's body may hold; read with this limit before the signature is checked.</summary>
    public const int MaxAnswerBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapDistrictApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/district-referrals/{id:guid}/deliveries", Deliveries).WithTags("Colour records").RequireAuthorization(Policies.Staff, Policies.CaseContent)
            .WithName("DistrictReferralDeliveries").WithSummary("Every attempt to deliver a red case's hand-off to the district's webhook, and what is next.");
        routes.MapPost("/api/district-referrals/{id:guid}/retry", Retry).WithTags("Colour records").RequireAuthorization(Policies.Staff, Policies.CaseContent)
            .WithName("RetryDistrictDelivery")
            .WithSummary("Try a pending or given-up hand-off again now (operations centre, system admin): one more attempt at once, logged like every other.");
        routes.MapPost("/api/district/answers", ReceiveAnswer).WithTags("Colour records").AllowAnonymous().RequireRateLimiting(AnswersRateLimit)
            .Accepts<DistrictAnswerMessage>("application/json")
            .WithName("ReceiveDistrictAnswer")
            .WithSummary("The district's system answers a hand-off (accepted, replied, closed); signed with a shared key (X-CivicGrid-Timestamp, X-CivicGrid-Signature, X-CivicGrid-Key-Id).");
        return routes;
    }

    public static async Task<Results<Ok<DistrictDeliveryLog>, ProblemHttpResult>> Deliveries(Guid id, CivicGridDbContext db, CancellationToken ct)
    {
        var referral = await db.DistrictReferrals.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (referral is null)
        {
            return Problems.NotFound("找不到该上报记录，或它不在您的查看范围内。");
        }

        var attempts = await db.DistrictDeliveries.AsNoTracking().Where(d => d.ReferralId == id).OrderBy(d => d.Attempt).ThenBy(d => d.AttemptedAt)
            .Select(d => new DistrictDeliveryAttempt(d.Attempt, d.AttemptedAt, d.HttpStatus, d.Error, d.DurationMs, d.Error == null)).ToListAsync(ct);
        var messageId = DistrictHandOff.MessageIdOf(id);
        var message = await db.OutboxMessages.AsNoTracking().Where(m => m.MessageId == messageId)
            .Select(m => new { m.State, m.NextAttemptAt }).SingleOrDefaultAsync(ct);
        var delivery = message is null ? "none" : message.State.ToString().ToLowerInvariant();
        var retriedBy = referral.RetryRequestedBy is { } by
            ? await db.Users.IgnoreQueryFilters().Where(u => u.Id == by).Select(u => u.DisplayName).SingleOrDefaultAsync(ct)
            : null;
        return TypedResults.Ok(new DistrictDeliveryLog(id, referral.CaseNumber, referral.Status, delivery,
            message?.State == OutboxState.Pending ? message.NextAttemptAt : null, attempts, referral.RetryRequestedAt, retriedBy));
    }

    /// <summary>
    /// Makes a referral's webhook message due now: a pending one (waiting for its back-off) is brought forward, a failed
    /// one (given up) gets one more attempt — its attempt count is kept, so if that attempt fails it is given up again at
    /// once rather than starting another 17-hour series. 404 outside the caller's scope; 403 for roles other than the
    /// operations centre and the system admin; 409 when there is nothing to retry (no webhook, already sent, being sent
    /// right now). Who asked and when is stored on the referral.
    /// </summary>
    public static async Task<Results<Ok<DistrictDeliveryLog>, ProblemHttpResult>> Retry(Guid id, ClaimsPrincipal caller, CivicGridDbContext db,
        TimeProvider time, CancellationToken ct)
    {
        if (!caller.GetRoles().Any(r => r is Role.SubdistrictOperator or Role.SystemAdmin))
        {
            return Problems.Forbidden("只有街道城运中心或系统管理员可以重新推送。");
        }

        var referral = await db.DistrictReferrals.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (referral is null)
        {
            return Problems.NotFound("找不到该上报记录，或它不在您的查看范围内。");
        }

        var messageId = DistrictHandOff.MessageIdOf(id);
        var message = await db.OutboxMessages.AsNoTracking().Where(m => m.MessageId == messageId)
            .Select(m => new { m.Id, m.State, m.LeaseUntil }).SingleOrDefaultAsync(ct);
        var now = time.GetUtcNow();
        if (message is null)
        {
            return Problems.Conflict("该案件移交时未配置区级接口（District:WebhookUrl），没有可重新推送的消息。");
        }

        if (message.State == OutboxState.Sent)
        {
            return Problems.Conflict("该移交已成功推送至区级系统，无需重试。");
        }

        var requeued = await db.OutboxMessages
            .Where(m => m.Id == message.Id && m.State != OutboxState.Sent && (m.LeaseUntil == null || m.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, OutboxState.Pending)
                .SetProperty(m => m.NextAttemptAt, now)
                .SetProperty(m => m.FailedAt, (DateTimeOffset?)null), ct);
        if (requeued != 1)
        {
            return Problems.Conflict("该移交正在推送中，请稍后刷新查看结果。");
        }

        referral.RetryRequestedAt = now;
        referral.RetryRequestedBy = caller.GetUserId();
        await db.SaveChangesAsync(ct);
        return await Deliveries(id, db, ct) is { Result: Ok<DistrictDeliveryLog> ok } ? ok : Problems.NotFound("找不到该上报记录。");
    }

    /// <summary>
    /// Reads at most <see cref="MaxAnswerBytes"/> (413 beyond, whatever the Content-Length said), checks the signature
    /// before parsing anything (401 when it is missing, wrong or stale), then records the answer on the case's timeline as
    /// the system (the signature stands for the district), with its message id in the same transaction. A message id
    /// already received, or the same answer again, is acknowledged without a second timeline entry, so the district may
    /// retry freely and a replayed request changes nothing. Rate-limited per client address.
    /// </summary>
    public static async Task<Results<Ok<ReferralResponse>, ProblemHttpResult>> ReceiveAnswer(HttpRequest request, CivicGridDbContext db,
        IOptions<DistrictOptions> options, TimeProvider time, CancellationToken ct)
    {
        var settings = options.Value;
        if (settings.SigningKey is not { } current)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "/problems/district-not-configured", "The district interface is not configured.",
                "本平台尚未配置与区级系统的对接密钥（District:Secret 或 District:Keys）。");
        }

        // The key the district names (any configured key, so it can rotate); without a key id, the current key.
        var keyId = request.Headers[DistrictSignature.KeyIdHeader].ToString().Trim();
        string secret;
        if (keyId.Length == 0)
        {
            secret = current.Secret;
        }
        else if (!settings.AllKeys.TryGetValue(keyId, out secret!))
        {
            var shown = keyId.Length > 64 ? keyId[..64] + "…" : keyId;
            return Problems.Create(StatusCodes.Status401Unauthorized, UnknownKeyType, "The signing key is not known.",
                $"密钥编号“{shown}”未在本平台配置（或已停用），请求被拒绝，请使用双方约定的现行密钥签名。");
        }

        if (request.ContentLength > MaxAnswerBytes)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "/problems/too-large", "The answer is too large.", "答复内容过大（上限 64 KB）。");
        }

        if (await ReadBoundedAsync(request.Body, MaxAnswerBytes, ct) is not { } body)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "/problems/too-large", "The answer is too large.", "答复内容过大（上限 64 KB）。");
        }

        var check = DistrictSignature.Verify(secret, request.Headers[DistrictSignature.TimestampHeader], request.Headers[DistrictSignature.SignatureHeader],
            body, time.GetUtcNow(), settings.SignatureTolerance);
        switch (check)
        {
            case SignatureCheck.Stale:
                return Problems.Create(StatusCodes.Status401Unauthorized, StaleSignatureType, "The signature's timestamp is too old or in the future.",
                    $"签名时间戳与本平台时间相差超过 {settings.SignatureTolerance.TotalMinutes:0} 分钟，请求被拒绝（防止重放）。");
            case SignatureCheck.Missing:
            case SignatureCheck.Mismatch:
                return Problems.Create(StatusCodes.Status401Unauthorized, SignatureType, "The request is not signed by the district.",
                    "签名缺失或不正确，请求被拒绝。");
        }

        DistrictAnswerMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<DistrictAnswerMessage>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return Problems.Validation("body", "答复不是有效的 JSON。");
        }

        var outcome = message?.Outcome?.Trim().ToLowerInvariant();
        var errors = new Dictionary<string, string[]>();
        if (message?.ReferralId is null)
        {
            errors["referralId"] = ["请提供上报记录编号 referralId。"];
        }

        if (outcome is not ("accepted" or "replied" or "closed"))
        {
            errors["outcome"] = ["outcome 须为 accepted、replied 或 closed。"];
        }

        if (string.IsNullOrWhiteSpace(message?.Answer) || message.Answer.Length > 4000)
        {
            errors["answer"] = ["请填写答复内容（不超过 4000 字）。"];
        }

        var messageId = message?.MessageId?.Trim();
        if (string.IsNullOrEmpty(messageId) || messageId.Length > DistrictInboundMessage.MaxMessageIdLength)
        {
            errors["messageId"] = [$"请提供消息编号 messageId（不超过 {DistrictInboundMessage.MaxMessageIdLength} 个字符），同一消息重发时保持不变。"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var referral = await db.DistrictReferrals.IgnoreQueryFilters().SingleOrDefaultAsync(r => r.Id == message!.ReferralId, ct);
        if (referral is null)
        {
            return Problems.NotFound($"找不到上报记录 {message!.ReferralId}。");
        }

        var answer = message!.Answer!.Trim();
        if (await db.DistrictInboundMessages.AnyAsync(m => m.MessageId == messageId, ct)
            || (referral.Status == DistrictReferralsApi.StatusOf(outcome!) && referral.Answer == answer))
        {
            return TypedResults.Ok(DistrictReferralsApi.Describe(referral));
        }

        var subject = await db.Cases.IgnoreQueryFilters().SingleAsync(c => c.Id == referral.CaseId, ct);
        var result = await CaseActing.RunAsync(subject, Actor.System, db, time, (c, a, now) =>
        {
            DistrictReferralsApi.RecordAnswer(referral, c, a, c.Version, now, outcome!, answer);
            db.DistrictInboundMessages.Add(new DistrictInboundMessage { MessageId = messageId!, ReferralId = referral.Id, ReceivedAt = now });
            return Task.FromResult<ProblemHttpResult?>(null);
        }, ct);
        if (result.Result is ProblemHttpResult problem)
        {
            // The same message applied by a concurrent request in between: acknowledged as received.
            return await db.DistrictInboundMessages.AsNoTracking().AnyAsync(m => m.MessageId == messageId, ct)
                ? TypedResults.Ok(DistrictReferralsApi.Describe(
                    await db.DistrictReferrals.IgnoreQueryFilters().AsNoTracking().SingleAsync(r => r.Id == referral.Id, ct)))
                : problem;
        }

        return TypedResults.Ok(DistrictReferralsApi.Describe(referral));
    }

    /// <summary>
    /// The whole body when it holds at most <paramref name="limit"/> bytes, else null, having read no more than one byte
    /// past the limit: a chunked body without Content-Length cannot make the server buffer more.
    /// </summary>
    internal static async Task<byte[]?> ReadBoundedAsync(Stream body, int limit, CancellationToken ct)
    {
        var buffer = new byte[limit + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await body.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0)
            {
                return buffer[..read];
            }

            read += n;
        }

        return null;
    }
}
