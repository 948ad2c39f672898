using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using CivicGrid.Server.Features.Cases;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.District;

/// <summary>What the district's system receives for a red case: the referral and the case's public facts (no reporter data).</summary>
public sealed record DistrictHandOffPayload(string MessageId, string Kind, DistrictHandOffReferral Referral, DistrictHandOffCase Case);

public sealed record DistrictHandOffReferral(Guid Id, string SubdistrictCode, string Summary, DateTimeOffset ReferredAt);

public sealed record DistrictHandOffCase(string Number, string Title, string Description, string CategoryCode, string Tier, string GridCode,
    string? Address, DateTimeOffset ReportedAt);

/// <summary>
/// Delivers a red case's hand-off for the outbox (<see cref="OutboxChannel.DistrictWebhook"/>): builds the payload from
/// the referral as it stands, POSTs it signed (<see cref="DistrictSignature"/>) to <see cref="DistrictOptions.WebhookUrl"/>,
/// and writes a <see cref="DistrictDelivery"/> row for the attempt whatever its outcome. A 2xx answer marks a pending
/// referral delivered; anything else throws, and the outbox retries with its back-off.
/// </summary>
public sealed class DistrictWebhookSender(IServiceScopeFactory scopes, IHttpClientFactory clients, IOptions<DistrictOptions> options, TimeProvider time)
    : IDistrictWebhookSender
{
    public const string HttpClientName = "district";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    public async Task SendAsync(DistrictWebhookMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        if (!Guid.TryParse(message.Parameters.GetValueOrDefault("referralId"), out var referralId))
        {
            throw new InvalidOperationException($"District message {message.MessageId} names no referral.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var referral = await db.DistrictReferrals.IgnoreQueryFilters().SingleAsync(r => r.Id == referralId, ct);
        var subject = await db.Cases.IgnoreQueryFilters().AsNoTracking().Where(c => c.Id == referral.CaseId)
            .Select(c => new DistrictHandOffCase(c.Number, c.Title, c.Description, c.CategoryCode, c.Tier.ToString(), c.GridCode, c.Address, c.ReportedAt))
            .SingleAsync(ct);
        var body = JsonSerializer.SerializeToUtf8Bytes(new DistrictHandOffPayload(message.MessageId, message.TemplateCode,
            new DistrictHandOffReferral(referral.Id, referral.SubdistrictCode, referral.Summary, referral.CreatedAt), subject), Json);

        var startedAt = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        int? status = null;
        string? error = null;
        try
        {
            if (settings.WebhookUrl is null || settings.SigningKey is not { } key)
            {
                throw new InvalidOperationException("District:WebhookUrl and District:Secret (or District:Keys with District:CurrentKeyId) are not configured.");
            }

            var timestamp = startedAt.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, settings.WebhookUrl) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(DistrictSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(DistrictSignature.SignatureHeader, DistrictSignature.Sign(key.Secret, timestamp, body));
            request.Headers.Add(DistrictSignature.KeyIdHeader, key.KeyId);
            request.Headers.Add(DistrictSignature.MessageIdHeader, message.MessageId);
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, ct);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"The district answered {status} {response.ReasonPhrase}.", null, response.StatusCode);
            }
        }
        catch (Exception e)
        {
            error = Notification.Truncate($"{e.GetType().Name}: {e.Message}", DistrictDelivery.MaxErrorLength);
            throw;
        }
        finally
        {
            db.DistrictDeliveries.Add(new DistrictDelivery
            {
                Id = Guid.CreateVersion7(), ReferralId = referral.Id, SubdistrictCode = referral.SubdistrictCode, MessageId = message.MessageId,
                Attempt = message.Attempt, AttemptedAt = startedAt, HttpStatus = status, Error = error, DurationMs = (int)clock.ElapsedMilliseconds,
            });
            if (error is null && referral.Status == ReferralStatus.Pending)
            {
                referral.Status = ReferralStatus.Delivered;
                referral.DeliveredAt = time.GetUtcNow();
            }

            await db.SaveChangesAsync(CancellationToken.None);
        }
    }
}
