using System.Net;
using System.Text.Json;
using CivicGrid.Server.Features.District;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The district's system answering a red case's hand-off over real HTTP: a signed answer goes onto the case's timeline
/// once however often it is sent; a wrong or missing signature, a stale timestamp and a malformed body are refused and
/// change nothing. (Delivery with retries lives in <see cref="OutboxDispatchTests"/>, which owns the outbox.)
/// </summary>
public abstract class DistrictHandOffTests(CivicGridApp app)
{
    [Fact]
    public async Task SignedAnswer_GoesOntoTheCaseTimeline_OnceHoweverOftenItIsSent()
    {
        var red = await DistrictKit.RedReferralAsync(app);
        using var client = app.CreateClient();
        var accepted = Answer(red.ReferralId, "accepted", "区城管局已受理，三日内更换井盖。");

        var first = await SendAsync(client, DistrictKit.SignedAnswer(accepted, CivicGridApp.DistrictSecret, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("accepted", (await JsonAsync(first)).GetProperty("status").GetString());
        var again = await SendAsync(client, DistrictKit.SignedAnswer(accepted, CivicGridApp.DistrictSecret, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var closed = await SendAsync(client, DistrictKit.SignedAnswer(Answer(red.ReferralId, "closed", "井盖已更换。"), CivicGridApp.DistrictSecret,
            DateTimeOffset.UtcNow));
        Assert.Equal("closed", (await JsonAsync(closed)).GetProperty("status").GetString());

        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == red.Number, Ct));
        var answers = stored.Timeline.Where(e => e.Action == "district-answer").ToList();
        Assert.Equal(2, answers.Count);
        Assert.Equal(red.Version + 2, stored.Version);
        Assert.Null(stored.VerifyTimeline());
        using var operations = await app.ClientForAsync("ops");
        var referral = (await JsonAsync(await operations.GetAsync(new Uri("/api/district-referrals", UriKind.Relative), Ct))).EnumerateArray()
            .Single(r => r.GetProperty("caseNumber").GetString() == red.Number);
        Assert.Equal("井盖已更换。", referral.GetProperty("answer").GetString());
    }

    [Fact]
    public async Task AnswerWithAWrongOrMissingSignature_IsRefused_AndChangesNothing()
    {
        var red = await DistrictKit.RedReferralAsync(app);
        using var client = app.CreateClient();
        var body = Answer(red.ReferralId, "closed", "伪造的答复");

        var wrongSecret = await SendAsync(client, DistrictKit.SignedAnswer(body, "another-secret-of-at-least-32-characters", DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        Assert.Equal(DistrictApi.SignatureType, (await JsonAsync(wrongSecret)).GetProperty("type").GetString());

        var tampered = DistrictKit.SignedAnswer(body, CivicGridApp.DistrictSecret, DateTimeOffset.UtcNow);
        tampered.Content = new StringContent(Answer(red.ReferralId, "closed", "篡改后的答复"), System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, tampered)).StatusCode);

        using var unsigned = new HttpRequestMessage(HttpMethod.Post, "/api/district/answers")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, unsigned)).StatusCode);

        await AssertUnansweredAsync(red);
    }

    [Fact]
    public async Task DuringKeyRotation_AnAnswerSignedWithTheOldKeyIsAccepted_AndAnUnknownKeyIdIsRefused()
    {
        const string oldKey = "old-district-secret-of-at-least-32-characters";
        const string newKey = "new-district-secret-of-at-least-32-characters";
        var red = await DistrictKit.RedReferralAsync(app);
        await using var rotating = app.WithWebHostBuilder(b =>
        {
            b.UseSetting("District:Secret", string.Empty);
            b.UseSetting("District:Keys:2025-old", oldKey);
            b.UseSetting("District:Keys:2026-new", newKey);
            b.UseSetting("District:CurrentKeyId", "2026-new");
        });
        using var client = rotating.CreateClient();

        var unknown = await SendAsync(client, DistrictKit.SignedAnswer(Answer(red.ReferralId, "accepted", "已受理。"), oldKey, DateTimeOffset.UtcNow, "2024-retired"));
        var wrongKeyForId = await SendAsync(client, DistrictKit.SignedAnswer(Answer(red.ReferralId, "accepted", "已受理。"), oldKey, DateTimeOffset.UtcNow, "2026-new"));
        var byOldKey = await SendAsync(client, DistrictKit.SignedAnswer(Answer(red.ReferralId, "accepted", "已受理。"), oldKey, DateTimeOffset.UtcNow, "2025-old"));
        var byNewKey = await SendAsync(client, DistrictKit.SignedAnswer(Answer(red.ReferralId, "replied", "已派员处置。"), newKey, DateTimeOffset.UtcNow, "2026-new"));
        var noKeyIdIsTheCurrentKey = await SendAsync(client, DistrictKit.SignedAnswer(Answer(red.ReferralId, "closed", "已办结。"), newKey, DateTimeOffset.UtcNow));
        var noKeyIdOldSecret = await SendAsync(client, DistrictKit.SignedAnswer(Answer(red.ReferralId, "closed", "已办结。"), oldKey, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var unknownProblem = await JsonAsync(unknown);
        Assert.Equal(DistrictApi.UnknownKeyType, unknownProblem.GetProperty("type").GetString());
        Assert.Contains("2024-retired", unknownProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKeyForId.StatusCode);
        Assert.Equal(DistrictApi.SignatureType, (await JsonAsync(wrongKeyForId)).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, byOldKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byNewKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, noKeyIdIsTheCurrentKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noKeyIdOldSecret.StatusCode);
        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == red.Number, Ct));
        Assert.Equal(3, stored.Timeline.Count(e => e.Action == "district-answer"));
    }

    [Fact]
    public async Task AnswerWithAStaleTimestamp_IsRefusedAsAReplay()
    {
        var red = await DistrictKit.RedReferralAsync(app);
        using var client = app.CreateClient();
        var body = Answer(red.ReferralId, "accepted", "十分钟前的答复");

        var old = await SendAsync(client, DistrictKit.SignedAnswer(body, CivicGridApp.DistrictSecret, DateTimeOffset.UtcNow.AddMinutes(-10)));
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.Equal(DistrictApi.StaleSignatureType, (await JsonAsync(old)).GetProperty("type").GetString());
        var future = await SendAsync(client, DistrictKit.SignedAnswer(body, CivicGridApp.DistrictSecret, DateTimeOffset.UtcNow.AddMinutes(10)));
        Assert.Equal(HttpStatusCode.Unauthorized, future.StatusCode);

        await AssertUnansweredAsync(red);
    }

    /// <summary>
    /// Security review (issue 21): a captured answer replayed within the signature's window was applied again (here an
    /// older "accepted" after "replied" would have moved the referral back). Now the message id, stored with the answer's
    /// effect, makes the replay an acknowledgement that changes nothing.
    /// </summary>
    [Fact]
    public async Task ReplayedAnswer_WithTheSameMessageId_IsAcknowledged_AndNotAppliedTwice()
    {
        var red = await DistrictKit.RedReferralAsync(app);
        using var client = app.CreateClient();
        var accepted = Answer(red.ReferralId, "accepted", "区城管局已受理。");
        var replied = Answer(red.ReferralId, "replied", "已派员处置。");

        var first = await SendAsync(client, DistrictKit.SignedAnswer(accepted, CivicGridApp.DistrictSecret, DateTimeOffset.UtcNow));
        var second = await SendAsync(client, DistrictKit.SignedAnswer(replied, CivicGridApp.DistrictSecret, DateTimeOffset.UtcNow));
        var replay = await SendAsync(client, DistrictKit.SignedAnswer(accepted, CivicGridApp.DistrictSecret, DateTimeOffset.UtcNow));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], new[] { first.StatusCode, second.StatusCode, replay.StatusCode });
        Assert.Equal("replied", (await JsonAsync(replay)).GetProperty("status").GetString());
        var (status, answer, messages) = await app.WithDatabaseAsync(async db =>
        {
            var referral = await db.DistrictReferrals.IgnoreQueryFilters().AsNoTracking().SingleAsync(r => r.Id == red.ReferralId, Ct);
            var stored = await db.DistrictInboundMessages.CountAsync(m => m.ReferralId == red.ReferralId, Ct);
            return (referral.Status, referral.Answer, stored);
        });
        Assert.Equal(ReferralStatus.Replied, status);
        Assert.Equal("已派员处置。", answer);
        Assert.Equal(2, messages);
    }

    /// <summary>The body is read with a 64 KiB limit before the signature is checked, whatever Content-Length says.</summary>
    [Fact]
    public async Task OversizedAnswer_Is413_BeforeTheSignature_ReadWithALimit()
    {
        using var client = app.CreateClient();
        var huge = new string('x', DistrictApi.MaxAnswerBytes + 10);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/district/answers") { Content = new UnsizedContent(System.Text.Encoding.UTF8.GetBytes(huge)) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(DistrictSignature.TimestampHeader, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(DistrictSignature.SignatureHeader, "sha256=" + new string('0', 64));

        var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("64 KB", (await JsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The test server buffers what it is sent and names its length; Kestrel does not for a chunked body, so the read
        // itself stops one byte past the limit on a stream that says nothing of its length.
        var under = await DistrictApi.ReadBoundedAsync(new System.IO.Compression.GZipStream(Zipped(new byte[1000]), System.IO.Compression.CompressionMode.Decompress), 1024, Ct);
        var over = await DistrictApi.ReadBoundedAsync(new System.IO.Compression.GZipStream(Zipped(new byte[100_000]), System.IO.Compression.CompressionMode.Decompress), 1024, Ct);
        Assert.Equal(1000, under!.Length);
        Assert.Null(over);
    }

    [Fact]
    public async Task Answers_PastTheAddressesLimit_Are429InChinese_BeforeTheirSignatureIsChecked()
    {
        await using var limited = app.WithWebHostBuilder(b => b.UseSetting("District:AnswersPerMinute", "3"));
        using var client = limited.CreateClient();
        // Unsigned answers: each is refused on its signature while the address has budget, and by the limit once it has none.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await SendAsync(client, DistrictKit.SignedAnswer("{}", "not-the-secret", DateTimeOffset.UtcNow))).StatusCode);
        }

        Assert.Equal(new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized }, statuses.Take(3));
        Assert.All(statuses.Skip(3), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        var refused = await SendAsync(client, DistrictKit.SignedAnswer("{}", CivicGridApp.DistrictSecret, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", (await JsonAsync(refused)).GetProperty("detail").GetString()!);
    }

    [Fact]
    public async Task MalformedAnswer_IsA400_NamingTheFields_AndAnUnknownReferralA404()
    {
        var red = await DistrictKit.RedReferralAsync(app);
        using var client = app.CreateClient();

        var notJson = await SendAsync(client, DistrictKit.SignedAnswer("{\"referralId\": ", CivicGridApp.DistrictSecret, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        var badFields = await SendAsync(client, DistrictKit.SignedAnswer(JsonSerializer.Serialize(new { referralId = red.ReferralId, outcome = "maybe" }),
            CivicGridApp.DistrictSecret, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.BadRequest, badFields.StatusCode);
        var errors = (await JsonAsync(badFields)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("outcome", out _));
        Assert.True(errors.TryGetProperty("answer", out _));
        Assert.True(errors.TryGetProperty("messageId", out _));
        var unknown = await SendAsync(client, DistrictKit.SignedAnswer(Answer(Guid.NewGuid(), "accepted", "答复"), CivicGridApp.DistrictSecret, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        await AssertUnansweredAsync(red);
    }

    [Fact]
    public async Task DeliveryLog_IsVisibleOnlyWhereTheReferralIs()
    {
        var red = await DistrictKit.RedReferralAsync(app);
        var path = new Uri($"/api/district-referrals/{red.ReferralId}/deliveries", UriKind.Relative);
        using var operations = await app.ClientForAsync("ops");
        var log = await JsonAsync(await operations.GetAsync(path, Ct));
        Assert.Contains(log.GetProperty("delivery").GetString(), new[] { "pending", "sent" }); // the dispatch tests may deliver it meanwhile
        using var district = await app.ClientForAsync("district");
        Assert.Equal(HttpStatusCode.OK, (await district.GetAsync(path, Ct)).StatusCode);
        using var neighbour = await app.ClientForAsync("ops-east");
        Assert.Equal(HttpStatusCode.NotFound, (await neighbour.GetAsync(path, Ct)).StatusCode);
        using var resident = await app.ClientForAsync("resident001");
        Assert.Equal(HttpStatusCode.Forbidden, (await resident.GetAsync(path, Ct)).StatusCode);
    }

    [Fact]
    public async Task GivenUpHandOff_IsListedAsFailed_AndRetryNow_MakesItDueAgain_AttributedToWhoAsked()
    {
        var red = await DistrictKit.RedReferralAsync(app);
        var messageId = DistrictHandOff.MessageIdOf(red.ReferralId);
        await app.WithDatabaseAsync(db => db.OutboxMessages.Where(m => m.MessageId == messageId).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.State, OutboxState.Failed).SetProperty(m => m.Attempts, 24).SetProperty(m => m.FailedAt, DateTimeOffset.UtcNow)
            .SetProperty(m => m.LastError, "HttpRequestException: Connection refused"), Ct));
        using var operations = await app.ClientForAsync("ops");

        var failed = await JsonAsync(await operations.GetAsync(new Uri("/api/district-referrals?delivery=failed", UriKind.Relative), Ct));
        var listed = failed.EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == red.ReferralId);
        Assert.Equal("failed", listed.GetProperty("delivery").GetString());
        Assert.Equal("HttpRequestException: Connection refused", listed.GetProperty("lastError").GetString());
        Assert.All(failed.EnumerateArray(), r => Assert.Equal("failed", r.GetProperty("delivery").GetString()));
        Assert.DoesNotContain((await JsonAsync(await operations.GetAsync(new Uri("/api/district-referrals?delivery=sent", UriKind.Relative), Ct))).EnumerateArray(),
            r => r.GetProperty("id").GetGuid() == red.ReferralId);
        Assert.Equal(HttpStatusCode.BadRequest, (await operations.GetAsync(new Uri("/api/district-referrals?delivery=stuck", UriKind.Relative), Ct)).StatusCode);

        var retry = new Uri($"/api/district-referrals/{red.ReferralId}/retry", UriKind.Relative);
        using var neighbour = await app.ClientForAsync("ops-east");
        Assert.Equal(HttpStatusCode.NotFound, (await neighbour.PostAsync(retry, null, Ct)).StatusCode);
        using var worker = await app.ClientForAsync("worker01");
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.PostAsync(retry, null, Ct)).StatusCode);
        Assert.Equal(OutboxState.Failed, await StateAsync(messageId));

        var before = DateTimeOffset.UtcNow;
        var answered = await operations.PostAsync(retry, null, Ct);

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var log = await JsonAsync(answered);
        Assert.Contains(log.GetProperty("delivery").GetString(), new[] { "pending", "sent" }); // the dispatch tests' dispatcher may send it at once
        Assert.False(string.IsNullOrWhiteSpace(log.GetProperty("retryRequestedBy").GetString()));
        Assert.NotEqual(OutboxState.Failed, await StateAsync(messageId));
        var message = await app.WithDatabaseAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.MessageId == messageId, Ct));
        Assert.True(message.State == OutboxState.Sent || message.NextAttemptAt <= DateTimeOffset.UtcNow);
        var referral = await app.WithDatabaseAsync(db => db.DistrictReferrals.IgnoreQueryFilters().AsNoTracking().SingleAsync(r => r.Id == red.ReferralId, Ct));
        var opsId = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.UserName == "ops").Select(u => u.Id).SingleAsync(Ct));
        Assert.Equal(opsId, referral.RetryRequestedBy);
        Assert.True(referral.RetryRequestedAt >= before.AddSeconds(-1));

        // Once delivered there is nothing to retry.
        await app.WithDatabaseAsync(db => db.OutboxMessages.Where(m => m.MessageId == messageId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Sent).SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), Ct));
        Assert.Equal(HttpStatusCode.Conflict, (await operations.PostAsync(retry, null, Ct)).StatusCode);
    }

    private Task<OutboxState> StateAsync(string messageId) =>
        app.WithDatabaseAsync(db => db.OutboxMessages.Where(m => m.MessageId == messageId).Select(m => m.State).SingleAsync(Ct));

    /// <summary>A stream of <paramref name="bytes"/> gzipped: unzipping it gives a stream that cannot tell its length.</summary>
    private static MemoryStream Zipped(byte[] bytes)
    {
        var zipped = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(zipped, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        zipped.Position = 0;
        return zipped;
    }

    /// <summary>A body sent without Content-Length (chunked), as a client that streams it would.</summary>
    private sealed class UnsizedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    /// <summary>A new message of the district each call (its own message id).</summary>
    private static string Answer(Guid referralId, string outcome, string answer) =>
        JsonSerializer.Serialize(new { referralId, outcome, answer, messageId = "D-" + Guid.NewGuid().ToString("N") });

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            var response = await client.SendAsync(request, Ct);
            await response.Content.LoadIntoBufferAsync(Ct);
            return response;
        }
    }

    private async Task AssertUnansweredAsync(RedReferral red)
    {
        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == red.Number, Ct));
        Assert.Equal(red.Version, stored.Version);
        Assert.DoesNotContain("district-answer", stored.Timeline.Select(e => e.Action));
        var referral = await app.WithDatabaseAsync(db => db.DistrictReferrals.IgnoreQueryFilters().AsNoTracking().SingleAsync(r => r.Id == red.ReferralId, Ct));
        Assert.Null(referral.Answer);
    }
}

public sealed class DistrictHandOffTestsOnSqlite(SqliteApp app) : DistrictHandOffTests(app), IClassFixture<SqliteApp>;

public sealed class DistrictHandOffTestsOnPostgres(PostgresApp app) : DistrictHandOffTests(app), IClassFixture<PostgresApp>;
