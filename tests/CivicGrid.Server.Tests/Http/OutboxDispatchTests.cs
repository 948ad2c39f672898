using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.District;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The outbox dispatcher against the real database: each message is delivered once with its stable message id,
/// failures wait for their back-off and are retried, a message that keeps failing is given up, and two
/// dispatchers sharing the database never both send a message. (All dispatching tests live in this class, so
/// they never run at the same time and take each other's messages.)
/// </summary>
public abstract class OutboxDispatchTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SmsToAnAnonymousReporter_IsSentOnce_WithItsStableMessageId()
    {
        var (number, phone) = await AnonymousCaseAsync();
        var expected = await MessageIdsAsync(phone);
        var sender = new RecordingSender();
        var dispatcher = Dispatcher(sender, new OutboxOptions(), TimeProvider.System);

        await DrainAsync(dispatcher);
        await DrainAsync(dispatcher);

        Assert.Equal(2, expected.Count);
        Assert.Equal(expected.Order(), sender.Delivered.Where(d => d.Recipient == phone).Select(d => d.MessageId).Order());
        Assert.All(sender.Delivered.Where(d => d.Recipient == phone), d => Assert.Equal(number, d.Parameters["number"]));
        var stored = await app.WithDatabaseAsync(async db => (await db.OutboxMessages.ToListAsync(Ct)).Where(m => m.Recipient == phone).ToList());
        Assert.All(stored, m =>
        {
            Assert.Equal(OutboxState.Sent, m.State);
            Assert.Equal(1, m.Attempts);
            Assert.NotNull(m.SentAt);
            Assert.Null(m.LeaseOwner);
            Assert.Equal("recorded-" + m.MessageId, m.ProviderMessageId); // the acceptance, recorded with the sending
        });
    }

    [Fact]
    public async Task FailingSender_IsRetriedAfterItsBackOff_AndDeliversWithoutADuplicate()
    {
        var (_, phone) = await AnonymousCaseAsync();
        var ids = await MessageIdsAsync(phone);
        var sender = new RecordingSender { FailFirstAttemptOf = [.. ids] };
        var time = new ManualTime(DateTimeOffset.UtcNow.AddSeconds(1));
        var options = new OutboxOptions { RetryBaseDelay = TimeSpan.FromMinutes(1) };
        var dispatcher = Dispatcher(sender, options, time);

        await DrainAsync(dispatcher);
        var afterFailure = await app.WithDatabaseAsync(async db => (await db.OutboxMessages.ToListAsync(Ct)).Where(m => m.Recipient == phone).ToList());
        Assert.All(afterFailure, m =>
        {
            Assert.Equal(OutboxState.Pending, m.State);
            Assert.Equal(1, m.Attempts);
            Assert.Equal(time.Now + TimeSpan.FromMinutes(1), m.NextAttemptAt, TimeSpan.FromSeconds(1));
            Assert.Contains("gateway refused", m.LastError, StringComparison.Ordinal);
            Assert.DoesNotContain(phone, m.LastError, StringComparison.Ordinal);
        });

        time.Advance(TimeSpan.FromSeconds(30));
        await DrainAsync(dispatcher);
        Assert.Equal(ids.Count, sender.Attempts.Count(a => ids.Contains(a))); // not due yet: nobody tried again

        time.Advance(TimeSpan.FromSeconds(31));
        await DrainAsync(dispatcher);
        await DrainAsync(dispatcher);

        Assert.Equal(ids.Order(), sender.Delivered.Where(d => d.Recipient == phone).Select(d => d.MessageId).Order());
        var stored = await app.WithDatabaseAsync(async db => (await db.OutboxMessages.ToListAsync(Ct)).Where(m => m.Recipient == phone).ToList());
        Assert.All(stored, m =>
        {
            Assert.Equal(OutboxState.Sent, m.State);
            Assert.Equal(2, m.Attempts);
            Assert.Null(m.LastError);
        });
    }

    [Fact]
    public async Task SenderThatKeepsFailing_GivesTheMessageUpAfterMaxAttempts()
    {
        var (_, phone) = await AnonymousCaseAsync();
        var ids = await MessageIdsAsync(phone);
        var sender = new RecordingSender { AlwaysFail = [.. ids] };
        var time = new ManualTime(DateTimeOffset.UtcNow.AddSeconds(1));
        var dispatcher = Dispatcher(sender, new OutboxOptions { MaxAttempts = 2, RetryBaseDelay = TimeSpan.FromSeconds(10) }, time);

        await DrainAsync(dispatcher);
        time.Advance(TimeSpan.FromSeconds(11));
        await DrainAsync(dispatcher);
        time.Advance(TimeSpan.FromHours(1));
        await DrainAsync(dispatcher);

        Assert.Equal(2 * ids.Count, sender.Attempts.Count(a => ids.Contains(a)));
        var stored = await app.WithDatabaseAsync(async db => (await db.OutboxMessages.ToListAsync(Ct)).Where(m => m.Recipient == phone).ToList());
        Assert.All(stored, m =>
        {
            Assert.Equal(OutboxState.Failed, m.State);
            Assert.Equal(2, m.Attempts);
            Assert.NotNull(m.FailedAt);
        });
    }

    [Fact]
    public async Task TwoDispatchers_SharingTheDatabase_NeverSendAMessageTwice()
    {
        var phones = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            phones.Add((await AnonymousCaseAsync()).Phone);
        }

        var sender = new RecordingSender { Delay = TimeSpan.FromMilliseconds(15) };
        var options = new OutboxOptions { BatchSize = 3 };
        var first = Dispatcher(sender, options, TimeProvider.System);
        var second = Dispatcher(sender, options, TimeProvider.System);

        await Task.WhenAll(Task.Run(() => DrainAsync(first), Ct), Task.Run(() => DrainAsync(second), Ct));

        var ours = sender.Delivered.Where(d => phones.Contains(d.Recipient)).Select(d => d.MessageId).ToList();
        Assert.Equal(8, ours.Count);
        Assert.Equal(ours.Count, ours.Distinct().Count());
    }

    [Fact]
    public async Task DistrictHandOff_SurvivesTheDistrictBeingDown_RetriedWithBackOff_EveryAttemptLogged()
    {
        var red = await DistrictKit.RedReferralAsync(app);
        var messageId = DistrictHandOff.MessageIdOf(red.ReferralId);
        var port = DistrictKit.FreePort();
        var time = new ManualTime(DateTimeOffset.UtcNow.AddSeconds(1));
        var district = new DistrictWebhookSender(app.Services.GetRequiredService<IServiceScopeFactory>(), app.Services.GetRequiredService<IHttpClientFactory>(),
            Options.Create(new DistrictOptions { WebhookUrl = new Uri($"http://127.0.0.1:{port}/hand-off"), Secret = CivicGridApp.DistrictSecret }), time);
        var dispatcher = Dispatcher(new RecordingSender(), new OutboxOptions { RetryBaseDelay = TimeSpan.FromMinutes(1) }, time, district);

        // Nobody listens: the connection is refused, and the next attempt waits one minute.
        await DrainAsync(dispatcher);
        var message = await app.WithDatabaseAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.MessageId == messageId, Ct));
        Assert.Equal(OutboxState.Pending, message.State);
        Assert.Equal(1, message.Attempts);
        Assert.Equal(time.Now + TimeSpan.FromMinutes(1), message.NextAttemptAt, TimeSpan.FromSeconds(1));

        // The district's system comes up but fails once (500), then the back-off doubles to two minutes.
        await using var receiver = await DistrictReceiver.StartAsync(port, CivicGridApp.DistrictSecret, red.ReferralId, failFirst: 1);
        time.Advance(TimeSpan.FromSeconds(61));
        await DrainAsync(dispatcher);
        message = await app.WithDatabaseAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.MessageId == messageId, Ct));
        Assert.Equal(2, message.Attempts);
        Assert.Equal(time.Now + TimeSpan.FromMinutes(2), message.NextAttemptAt, TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(60));
        await DrainAsync(dispatcher);
        Assert.Single(receiver.Received, r => r.ReferralId == red.ReferralId); // not due yet

        time.Advance(TimeSpan.FromSeconds(61));
        await DrainAsync(dispatcher);
        var received = receiver.Received.Where(r => r.ReferralId == red.ReferralId).ToList();
        Assert.Equal([500, 200], received.Select(r => r.AnsweredWith));
        Assert.All(received, r =>
        {
            Assert.Equal(SignatureCheck.Valid, r.Signature);
            Assert.Equal(messageId, r.MessageId);
            Assert.Equal(red.Number, r.Body.GetProperty("case").GetProperty("number").GetString());
            Assert.Equal("Red", r.Body.GetProperty("case").GetProperty("tier").GetString());
        });

        // The console shows every attempt; the referral counts as delivered.
        using var operations = await app.ClientForAsync("ops");
        var log = await CaseScenario.JsonAsync(await operations.GetAsync(new Uri($"/api/district-referrals/{red.ReferralId}/deliveries", UriKind.Relative), Ct));
        Assert.Equal("sent", log.GetProperty("delivery").GetString());
        Assert.Equal("delivered", log.GetProperty("referralStatus").GetString());
        var attempts = log.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], attempts.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.Equal(JsonValueKind.Null, attempts[0].GetProperty("httpStatus").ValueKind);
        Assert.False(attempts[0].GetProperty("succeeded").GetBoolean());
        Assert.Equal(500, attempts[1].GetProperty("httpStatus").GetInt32());
        Assert.Equal(200, attempts[2].GetProperty("httpStatus").GetInt32());
        Assert.True(attempts[2].GetProperty("succeeded").GetBoolean());
        using var neighbour = await app.ClientForAsync("ops-east");
        Assert.Equal(HttpStatusCode.NotFound,
            (await neighbour.GetAsync(new Uri($"/api/district-referrals/{red.ReferralId}/deliveries", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task DistrictHandOff_IsSignedWithTheCurrentKey_AndNamesIt()
    {
        const string oldKey = "old-district-secret-of-at-least-32-characters";
        const string newKey = "new-district-secret-of-at-least-32-characters";
        var red = await DistrictKit.RedReferralAsync(app);
        var port = DistrictKit.FreePort();
        var options = new DistrictOptions
        {
            WebhookUrl = new Uri($"http://127.0.0.1:{port}/hand-off"),
            Keys = new(StringComparer.Ordinal) { ["2025-old"] = oldKey, ["2026-new"] = newKey },
            CurrentKeyId = "2026-new",
        };
        var district = new DistrictWebhookSender(app.Services.GetRequiredService<IServiceScopeFactory>(), app.Services.GetRequiredService<IHttpClientFactory>(),
            Options.Create(options), TimeProvider.System);
        await using var receiver = await DistrictReceiver.StartAsync(port, newKey, red.ReferralId, failFirst: 0);

        await DrainAsync(Dispatcher(new RecordingSender(), new OutboxOptions(), TimeProvider.System, district));

        var received = Assert.Single(receiver.Received, r => r.ReferralId == red.ReferralId);
        Assert.Equal(SignatureCheck.Valid, received.Signature);
        Assert.Equal("2026-new", received.KeyId);
        Assert.Equal(200, received.AnsweredWith);
    }

    private OutboxDispatcher Dispatcher(RecordingSender sender, OutboxOptions options, TimeProvider time, IDistrictWebhookSender? district = null) =>
        new(app.Services.GetRequiredService<IServiceScopeFactory>(), sender, sender, district ?? sender, Options.Create(options), time,
            app.Services.GetRequiredService<CivicGrid.Server.Features.Metrics.CivicGridMetrics>(), NullLogger<OutboxDispatcher>.Instance);

    /// <summary>Dispatches until a round finds nothing to do.</summary>
    private static async Task DrainAsync(OutboxDispatcher dispatcher)
    {
        for (var round = 0; round < 50; round++)
        {
            var result = await dispatcher.DispatchDueAsync(Ct);
            if (result.Sent + result.Retrying + result.Failed + result.LostToOthers == 0)
            {
                return;
            }
        }
    }

    /// <summary>An anonymous report with a phone, accepted: two SMS (received, accepted).</summary>
    private async Task<(string Number, string Phone)> AnonymousCaseAsync()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var phone = CrewCases.NewPhone();
        await SmsKit.VerifiedAsync(app, phone);
        var now = DateTimeOffset.UtcNow;
        var created = await CrewCases.CreateAsync(app, crew, now.AddMinutes(-10), reporterPhone: phone,
            steps: c => c.Accept(crew.Leader, c.Version, now.AddMinutes(-5)));
        return (created.Number, phone);
    }

    private Task<List<string>> MessageIdsAsync(string phone) =>
        app.WithDatabaseAsync(async db => (await db.OutboxMessages.ToListAsync(Ct)).Where(m => m.Recipient == phone).Select(m => m.MessageId).ToList());

    private sealed record Delivery(string MessageId, string Recipient, IReadOnlyDictionary<string, string> Parameters);

    /// <summary>Both senders in one: records every attempt and delivery, and fails when told to.</summary>
    private sealed class RecordingSender : ISmsSender, IWeChatTemplateSender, IDistrictWebhookSender
    {
        private readonly ConcurrentDictionary<string, int> _attemptsById = new();

        public ConcurrentQueue<string> Attempts { get; } = new();

        public ConcurrentQueue<Delivery> Delivered { get; } = new();

        public HashSet<string> FailFirstAttemptOf { get; init; } = [];

        public HashSet<string> AlwaysFail { get; init; } = [];

        public TimeSpan Delay { get; init; }

        public async Task<string?> SendAsync(SmsMessage message, CancellationToken ct)
        {
            await Deliver(message.MessageId, message.PhoneNumber, message.Parameters, ct);
            return "recorded-" + message.MessageId;
        }

        public Task SendAsync(WeChatTemplateMessage message, CancellationToken ct) => Deliver(message.MessageId, message.OpenId, message.Data, ct);

        public Task SendAsync(DistrictWebhookMessage message, CancellationToken ct) => Deliver(message.MessageId, "district", message.Parameters, ct);

        private async Task Deliver(string id, string recipient, IReadOnlyDictionary<string, string> parameters, CancellationToken ct)
        {
            Attempts.Enqueue(id);
            var attempt = _attemptsById.AddOrUpdate(id, 1, (_, n) => n + 1);
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, ct);
            }

            if (AlwaysFail.Contains(id) || (attempt == 1 && FailFirstAttemptOf.Contains(id)))
            {
                throw new HttpRequestException($"gateway refused {recipient}");
            }

            Delivered.Enqueue(new Delivery(id, recipient, parameters));
        }
    }
}

public sealed class OutboxDispatchTestsOnSqlite(SqliteApp app) : OutboxDispatchTests(app), IClassFixture<SqliteApp>;

public sealed class OutboxDispatchTestsOnPostgres(PostgresApp app) : OutboxDispatchTests(app), IClassFixture<PostgresApp>;
