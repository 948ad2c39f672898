using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Features.Sms;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Server.Tests.Photos;
using CivicGrid.Testing.Fakes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// SMS through the real Aliyun and Tencent adapters against local fake providers that implement the documented APIs and
/// verify every signature on their own (<see cref="FakeAliyunSms"/>, <see cref="FakeTencentSms"/>): verified numbers get
/// the public steps, unverified ones are held and dropped, a wrong signature, a skewed clock, a provider error and a
/// timeout are retried by the outbox and recorded, and a timeout never sends an SMS twice; the codes' tries, cool-down
/// and caps; a staff-entered call's follow link. (All SMS dispatching of this app lives in this class.)
/// </summary>
public abstract class SmsTests(CivicGridApp app)
{
    private const string AliyunId = "LTAI-fake-id";
    private const string AliyunSecret = "fake-aliyun-secret";
    private const string TencentId = "AKID-fake-id";
    private const string TencentKey = "fake-tencent-secret-key";
    private const string AppId = "1400000001";
    private const string ReceiptToken = "receipt-token-for-tests";

    private static readonly (string Code, string Id, string[] Parameters)[] Templates =
    [
        (SmsTemplates.VerificationCode, "100001", ["code"]),
        (OutboxTemplates.CaseProgress, "100002", ["number", "text"]),
        (SmsTemplates.FollowLink, "100003", ["number", "link"]),
    ];

    private readonly CaseScenario _scenario = new(app);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("aliyun")]
    [InlineData("tencent")]
    public async Task AVerifiedReporter_GetsEachPublicStepBySms_AcceptedOnce_AndItsReceiptRecorded(string provider)
    {
        var (fake, server) = await ProviderAsync(provider);
        await using var _ = fake;
        await using var __ = server;
        using var anonymous = server.CreateClient();
        var phone = CrewCases.NewPhone();

        var code = await RequestCodeAsync(anonymous, fake, provider, phone);
        var confirmed = await anonymous.PostAsJsonAsync("/api/sms/codes/confirm", new { phone, code }, Ct);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);

        var (number, version, place) = await ReportAsync(anonymous, phone);
        using var leader = await ClientAsync(server, place.LeaderUserName);
        await CaseScenario.ActAsync(leader, number, "accept", new { expectedVersion = version });
        await DrainAsync(Dispatcher(server, TimeProvider.System));
        await DrainAsync(Dispatcher(server, TimeProvider.System));

        var progress = fake.Sent.Where(s => s.Phone == Addressed(provider, phone) && s.TemplateId == Template(provider, "100002")).ToList();
        Assert.Equal(2, progress.Count); // received, accepted
        Assert.All(progress, s =>
        {
            Assert.Equal("阳光街道", s.SignName);
            Assert.Equal(number, Values(provider, s)[0]);
        });
        Assert.Contains(progress, s => Values(provider, s)[1].Contains("受理", StringComparison.Ordinal));
        var stored = await OutboxAsync(phone);
        var messages = stored.Where(m => m.TemplateCode == OutboxTemplates.CaseProgress).ToList();
        Assert.All(messages, m =>
        {
            Assert.Equal(OutboxState.Sent, m.State);
            Assert.Equal(1, m.Attempts);
            Assert.Contains(progress, s => s.ProviderId == m.ProviderMessageId && s.OurId == m.MessageId);
        });
        var codeRecord = Assert.Single(stored, m => m.TemplateCode == SmsTemplates.VerificationCode);
        Assert.DoesNotContain(code, codeRecord.ParametersJson, StringComparison.Ordinal); // the code is never stored

        // The provider pushes its delivery receipts in its documented format.
        var receipts = provider == "aliyun" ? ((FakeAliyunSms)fake).ReceiptsJson() : ((FakeTencentSms)fake).ReceiptsJson();
        var pushed = await anonymous.PostAsync(new Uri($"/api/sms/receipts/{provider}?token={ReceiptToken}", UriKind.Relative),
            new StringContent(receipts, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);
        Assert.All((await OutboxAsync(phone)).Where(m => m.State == OutboxState.Sent), m =>
        {
            Assert.Equal(DeliveryState.Delivered, m.Delivery);
            Assert.Equal(provider == "aliyun" ? "DELIVERED" : "DELIVRD", m.DeliveryCode);
        });
        var forged = await anonymous.PostAsync(new Uri($"/api/sms/receipts/{provider}?token=guess", UriKind.Relative),
            new StringContent(receipts, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }

    [Fact]
    public async Task AnUnverifiedNumber_IsHeld_SentOnceVerified_AndDroppedWhenNeverVerified()
    {
        var (fake, server) = await ProviderAsync("aliyun");
        await using var _ = fake;
        await using var __ = server;
        using var anonymous = server.CreateClient();
        var later = CrewCases.NewPhone();
        var never = CrewCases.NewPhone();
        await ReportAsync(anonymous, later);
        await ReportAsync(anonymous, never);
        var time = new ManualTime(DateTimeOffset.UtcNow.AddSeconds(1));

        await DrainAsync(Dispatcher(server, time));
        Assert.All((await OutboxAsync(later)).Concat(await OutboxAsync(never)), m => Assert.Equal(OutboxState.Held, m.State));
        Assert.DoesNotContain(fake.Sent, s => s.Phone == later || s.Phone == never);

        var code = await RequestCodeAsync(anonymous, fake, "aliyun", later);
        var confirmed = await JsonAsync(await anonymous.PostAsJsonAsync("/api/sms/codes/confirm", new { phone = later, code }, Ct));
        Assert.Equal(1, confirmed.GetProperty("released").GetInt32());
        time.Now = DateTimeOffset.UtcNow.AddSeconds(1); // released now, by the server's clock
        await DrainAsync(Dispatcher(server, time));
        Assert.Single(fake.Sent, s => s.Phone == later && s.TemplateId == Template("aliyun", "100002"));

        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await DrainAsync(Dispatcher(server, time));
        var dropped = Assert.Single(await OutboxAsync(never));
        Assert.Equal(OutboxState.Refused, dropped.State);
        Assert.Contains("未在规定时间内完成验证", dropped.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(fake.Sent, s => s.Phone == never);
    }

    [Theory]
    [InlineData("aliyun", "SignatureDoesNotMatch")]
    [InlineData("tencent", "AuthFailure.SignatureFailure")]
    public async Task AWrongSignature_IsRefusedByTheProvider_TheOutboxRetriesAndRecordsIt(string provider, string error)
    {
        var (fake, server) = await ProviderAsync(provider, secret: "not-the-secret");
        await using var _ = fake;
        await using var __ = server;
        using var anonymous = server.CreateClient();
        var phone = CrewCases.NewPhone();

        var code = await anonymous.PostAsJsonAsync("/api/sms/codes", new { phone }, Ct);
        Assert.Equal(HttpStatusCode.BadGateway, code.StatusCode);
        Assert.Equal("短信发送失败，请稍后再试。", (await JsonAsync(code)).GetProperty("detail").GetString());

        await SmsKit.VerifiedAsync(app, phone);
        await ReportAsync(anonymous, phone);
        await DrainAsync(Dispatcher(server, new ManualTime(DateTimeOffset.UtcNow.AddSeconds(1))));

        var message = Assert.Single(await OutboxAsync(phone), m => m.TemplateCode == OutboxTemplates.CaseProgress);
        Assert.Equal(OutboxState.Pending, message.State);
        Assert.Equal(1, message.Attempts);
        Assert.Contains(error, message.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(phone, message.LastError, StringComparison.Ordinal);
        Assert.Contains(fake.Refused, r => r.Code == error);
        Assert.Empty(fake.Sent);
    }

    [Theory]
    [InlineData("aliyun", "InvalidTimeStamp.Expired")]
    [InlineData("tencent", "AuthFailure.SignatureExpire")]
    public async Task ASkewedClock_IsRefusedAsExpired_AndSentWhenTheClockIsRight(string provider, string error)
    {
        var (fake, server) = await ProviderAsync(provider);
        await using var _ = fake;
        await using var __ = server;
        using var anonymous = server.CreateClient();
        var phone = CrewCases.NewPhone();
        await SmsKit.VerifiedAsync(app, phone);
        await ReportAsync(anonymous, phone);

        // The provider adapter as registered, but with a clock 20 minutes behind.
        var skewed = new ManualTime(DateTimeOffset.UtcNow.AddMinutes(-20));
        var options = server.Services.GetRequiredService<IOptions<SmsOptions>>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        ISmsSender sender = provider == "aliyun" ? new AliyunSmsSender(http, options, skewed) : new TencentSmsSender(http, options, skewed);
        var dispatchTime = new ManualTime(DateTimeOffset.UtcNow.AddSeconds(1));
        await DrainAsync(Dispatcher(server, dispatchTime, sender));

        var message = Assert.Single(await OutboxAsync(phone));
        Assert.Equal(OutboxState.Pending, message.State);
        Assert.Contains(error, message.LastError, StringComparison.Ordinal);

        dispatchTime.Advance(TimeSpan.FromMinutes(1));
        await DrainAsync(Dispatcher(server, dispatchTime));
        Assert.Equal(OutboxState.Sent, Assert.Single(await OutboxAsync(phone)).State);
        Assert.Single(fake.Sent, s => s.Phone == Addressed(provider, phone));
    }

    [Theory]
    [InlineData("aliyun", "isv.BUSINESS_LIMIT_CONTROL")]
    [InlineData("tencent", "LimitExceeded.PhoneNumberDailyLimit")]
    public async Task AProviderErrorCode_IsRecorded_AndTheMessageRetried(string provider, string error)
    {
        var (fake, server) = await ProviderAsync(provider);
        await using var _ = fake;
        await using var __ = server;
        using var anonymous = server.CreateClient();
        var phone = CrewCases.NewPhone();
        await SmsKit.VerifiedAsync(app, phone);
        await ReportAsync(anonymous, phone);
        fake.ErrorCode = error;
        fake.FailNext(1);
        var time = new ManualTime(DateTimeOffset.UtcNow.AddSeconds(1));

        await DrainAsync(Dispatcher(server, time));
        var failed = Assert.Single(await OutboxAsync(phone));
        Assert.Equal(OutboxState.Pending, failed.State);
        Assert.Contains(error, failed.LastError, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(1));
        await DrainAsync(Dispatcher(server, time));
        var sent = Assert.Single(await OutboxAsync(phone));
        Assert.Equal(OutboxState.Sent, sent.State);
        Assert.Equal(2, sent.Attempts);
        Assert.Single(fake.Sent, s => s.Phone == Addressed(provider, phone));
    }

    [Theory]
    [InlineData("aliyun")]
    [InlineData("tencent")]
    public async Task AProviderAnsweringTooSlowly_IsRetried_AndTheSmsIsSentOnce(string provider)
    {
        var (fake, server) = await ProviderAsync(provider);
        await using var _ = fake;
        await using var __ = server;
        using var anonymous = server.CreateClient();
        var phone = CrewCases.NewPhone();
        await SmsKit.VerifiedAsync(app, phone);
        await ReportAsync(anonymous, phone);
        fake.AnswerSlowly(1, TimeSpan.FromSeconds(3)); // the client gives up after 1 s; the provider took the message
        var time = new ManualTime(DateTimeOffset.UtcNow.AddSeconds(1));

        await DrainAsync(Dispatcher(server, time));
        var timedOut = Assert.Single(await OutboxAsync(phone));
        Assert.Equal(OutboxState.Pending, timedOut.State);
        Assert.NotNull(timedOut.LastError);

        time.Advance(TimeSpan.FromMinutes(1));
        await DrainAsync(Dispatcher(server, time));
        var sent = Assert.Single(await OutboxAsync(phone));
        Assert.Equal(OutboxState.Sent, sent.State);
        var delivered = Assert.Single(fake.Sent, s => s.Phone == Addressed(provider, phone));
        Assert.Equal(sent.MessageId, delivered.OurId);
        Assert.Equal(delivered.ProviderId, sent.ProviderMessageId);
        Assert.Equal(2, fake.Requests);
    }

    [Fact]
    public async Task WrongCodes_AreCounted_ThenTheNumberCoolsDown_AndCodesExpire()
    {
        var clock = new ManualTime(DateTimeOffset.UtcNow);
        var (fake, server) = await ProviderAsync("tencent", b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        await using var _ = fake;
        await using var __ = server;
        fake.AllowedSkew = TimeSpan.FromHours(1); // this test moves the server's clock
        using var anonymous = server.CreateClient();
        var phone = CrewCases.NewPhone();

        var code = await RequestCodeAsync(anonymous, fake, "tencent", phone);
        var again = await anonymous.PostAsJsonAsync("/api/sms/codes", new { phone }, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.Equal(SmsApi.ResendType, (await JsonAsync(again)).GetProperty("type").GetString());

        var wrong = code == "000000" ? "111111" : "000000";
        for (var left = 4; left >= 1; left--)
        {
            var answer = await anonymous.PostAsJsonAsync("/api/sms/codes/confirm", new { phone, code = wrong }, Ct);
            var problem = await JsonAsync(answer);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.StatusCode);
            Assert.Equal(SmsApi.WrongCodeType, problem.GetProperty("type").GetString());
            Assert.Equal($"验证码不正确，还可以再试 {left} 次。", problem.GetProperty("detail").GetString());
        }

        var fifth = await anonymous.PostAsJsonAsync("/api/sms/codes/confirm", new { phone, code = wrong }, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        Assert.Equal(SmsApi.CooldownType, (await JsonAsync(fifth)).GetProperty("type").GetString());
        var right = await anonymous.PostAsJsonAsync("/api/sms/codes/confirm", new { phone, code }, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode); // the right code no longer helps
        clock.Advance(TimeSpan.FromMinutes(2));
        var newCode = await anonymous.PostAsJsonAsync("/api/sms/codes", new { phone }, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, newCode.StatusCode);
        Assert.Contains("分钟后再重新获取", (await JsonAsync(newCode)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // After the cool-down a new code works, but not once it has expired.
        clock.Advance(TimeSpan.FromMinutes(14));
        var fresh = await RequestCodeAsync(anonymous, fake, "tencent", phone);
        clock.Advance(TimeSpan.FromMinutes(6));
        var expired = await anonymous.PostAsJsonAsync("/api/sms/codes/confirm", new { phone, code = fresh }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, expired.StatusCode);
        Assert.Equal(SmsApi.ExpiredType, (await JsonAsync(expired)).GetProperty("type").GetString());
        Assert.False(await app.WithDatabaseAsync(db => SmsRules.IsVerifiedAsync(db, db.BlindIndex("phone", phone), Ct)));
    }

    [Fact]
    public async Task DailyCaps_PerNumberAndPerAddress_AreChineseProblems_AndTheRefusalIsRecorded()
    {
        // A clock two days ahead: this app's codes are the only ones of its day.
        var clock = new ManualTime(DateTimeOffset.UtcNow.AddDays(2));
        var (fake, server) = await ProviderAsync("aliyun", b =>
        {
            b.UseSetting("Sms:PerNumberPerDay", "2");
            b.UseSetting("Sms:PerAddressPerDay", "4");
            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock));
        });
        await using var _ = fake;
        await using var __ = server;
        fake.AllowedSkew = TimeSpan.FromDays(3);
        using var anonymous = server.CreateClient();
        var phone = CrewCases.NewPhone();

        await RequestCodeAsync(anonymous, fake, "aliyun", phone);
        clock.Advance(TimeSpan.FromSeconds(61));
        await RequestCodeAsync(anonymous, fake, "aliyun", phone);
        clock.Advance(TimeSpan.FromSeconds(61));
        var third = await anonymous.PostAsJsonAsync("/api/sms/codes", new { phone }, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        var problem = await JsonAsync(third);
        Assert.Equal(SmsApi.CapType, problem.GetProperty("type").GetString());
        Assert.Equal("该号码今日接收短信已达上限（2 条），请明天再试。", problem.GetProperty("detail").GetString());
        Assert.Equal(2, fake.Sent.Count(s => s.Phone == phone));
        var refused = Assert.Single(await OutboxAsync(phone), m => m.State == OutboxState.Refused);
        Assert.Contains("超过每日上限", refused.LastError, StringComparison.Ordinal);

        // The address asked for two codes; two more numbers use up its four, the fifth is refused.
        await RequestCodeAsync(anonymous, fake, "aliyun", CrewCases.NewPhone());
        await RequestCodeAsync(anonymous, fake, "aliyun", CrewCases.NewPhone());
        var overAddress = await anonymous.PostAsJsonAsync("/api/sms/codes", new { phone = CrewCases.NewPhone() }, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, overAddress.StatusCode);
        Assert.Contains("当前网络今日获取验证码的次数已达上限", (await JsonAsync(overAddress)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, fake.Sent.Count);
    }

    [Theory]
    [InlineData("aliyun")]
    [InlineData("tencent")]
    public async Task AStaffEnteredCall_GivesNoFollowToken_TheCallerGetsTheLinkBySms_AndTheStaffCannotVerifyOrRate(string provider)
    {
        var (fake, server) = await ProviderAsync(provider);
        await using var _ = fake;
        await using var __ = server;
        var place = await _scenario.CertainPlaceAsync();
        var (communityName, _) = await _scenario.UserAtAsync(place.GridCode[..12], Domain.Accounts.Role.CommunityStaff);
        using var staff = await ClientAsync(server, communityName);
        var phone = CrewCases.NewPhone();
        var fields = CaseScenario.ReportFields(place.Lon, place.Lat, "C0101", "来电反映：井盖丢失。");
        fields["callerName"] = "王大爷";
        fields["phone"] = phone;

        var created = await CaseScenario.ReportAsync(staff, fields);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var answer = await JsonAsync(created);
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("followToken").ValueKind);
        var number = answer.GetProperty("number").GetString()!;

        await DrainAsync(Dispatcher(server, TimeProvider.System));
        var link = Assert.Single(fake.Sent, s => s.Phone == Addressed(provider, phone) && s.TemplateId == Template(provider, "100003"));
        Assert.Equal(number, Values(provider, link)[0]);
        Assert.Contains($"/m/mine/{number}#token=", Values(provider, link)[1], StringComparison.Ordinal);
        var token = Values(provider, link)[1].Split("#token=")[1];
        Assert.Contains(fake.Sent, s => s.Phone == Addressed(provider, phone) && s.TemplateId == Template(provider, "100002")); // 已收到, the number vouched for by staff

        // The caller follows with the token; the leader handles the case; then neither the staff member who entered the call nor
        // the one who handled it may verify or rate it with the token.
        using var caller = server.CreateClient();
        caller.DefaultRequestHeaders.Add("Follow-Token", token);
        Assert.Equal(HttpStatusCode.OK, (await caller.GetAsync(new Uri($"/api/track/{number}", UriKind.Relative), Ct)).StatusCode);
        var leaderUser = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().AsNoTracking().SingleAsync(u => u.UserName == place.LeaderUserName, Ct));
        var leaderActor = Domain.Cases.Actor.Of(leaderUser);
        var now = DateTimeOffset.UtcNow;
        var handled = await CrewCases.ChangeAsync(app, number, c =>
        {
            c.Accept(leaderActor, c.Version, now);
            c.Assign(leaderActor, c.Version, now, Domain.Cases.CaseAssignee.User(leaderActor.UserId, leaderActor.DisplayName), now.AddDays(2));
            c.StartHandling(leaderActor, c.Version, now);
            c.RecordHandled(leaderActor, c.Version, now, "已补装井盖", [Guid.NewGuid()]);
        });
        Assert.Equal(answer.GetProperty("version").GetInt32() + 4, handled.Version);

        using var leader = await ClientAsync(server, place.LeaderUserName);
        foreach (var person in new[] { staff, leader })
        {
            person.DefaultRequestHeaders.Remove("Follow-Token");
            person.DefaultRequestHeaders.Add("Follow-Token", token);
            var view = await JsonAsync(await person.GetAsync(new Uri($"/api/track/{number}", UriKind.Relative), Ct));
            Assert.False(view.GetProperty("canVerify").GetBoolean());
            var verify = await CaseScenario.PostAsync(person, $"/api/track/{number}/verify", new { expectedVersion = handled.Version, passed = true });
            Assert.Equal(HttpStatusCode.Forbidden, verify.StatusCode);
            var problem = await JsonAsync(verify);
            Assert.Equal(Domain.Cases.CaseRules.NotByWhoEnteredOrHandled.Name, problem.GetProperty("rule").GetString());
            Assert.Equal("代为登记或处置过该案件的工作人员不能核查或评价该案件。", problem.GetProperty("detail").GetString());
            var rate = await CaseScenario.PostAsync(person, $"/api/track/{number}/evaluate", new { expectedVersion = handled.Version, rating = 5 });
            Assert.Equal(HttpStatusCode.Forbidden, rate.StatusCode);
        }

        // The caller may.
        Assert.True((await JsonAsync(await caller.GetAsync(new Uri($"/api/track/{number}", UriKind.Relative), Ct))).GetProperty("canVerify").GetBoolean());
        var verified = await CaseScenario.PostAsync(caller, $"/api/track/{number}/verify", new { expectedVersion = handled.Version, passed = true });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var rated = await CaseScenario.PostAsync(leader, $"/api/track/{number}/evaluate", new { expectedVersion = handled.Version + 1, rating = 5 });
        Assert.Equal(HttpStatusCode.Forbidden, rated.StatusCode);
    }

    private async Task<(FakeSmsProvider Fake, WebApplicationFactory<Program> Server)> ProviderAsync(string provider, Action<IWebHostBuilder>? more = null,
        string? secret = null)
    {
        // Each test starts with no SMS waiting, so that one test's retry is never another's first attempt.
        await app.WithDatabaseAsync(db => db.OutboxMessages.Where(m => m.Channel == OutboxChannel.Sms && (m.State == OutboxState.Pending || m.State == OutboxState.Held))
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.State, OutboxState.Refused), Ct));
        FakeSmsProvider fake = provider == "aliyun"
            ? await FakeAliyunSms.StartAsync(AliyunId, AliyunSecret)
            : await FakeTencentSms.StartAsync(TencentId, TencentKey, AppId);
        var server = app.WithWebHostBuilder(b =>
        {
            b.UseSetting("Sms:Provider", provider);
            b.UseSetting("Sms:SignName", "阳光街道");
            b.UseSetting("Sms:Timeout", "00:00:01");
            b.UseSetting("Sms:ReceiptToken", ReceiptToken);
            b.UseSetting("Sms:PerAddressPerDay", "1000");
            b.UseSetting("Sms:CodeRequestsPerMinute", "1000");
            if (provider == "aliyun")
            {
                b.UseSetting("Sms:Aliyun:Endpoint", fake.Endpoint.ToString());
                b.UseSetting("Sms:Aliyun:AccessKeyId", AliyunId);
                b.UseSetting("Sms:Aliyun:AccessKeySecret", secret ?? AliyunSecret);
            }
            else
            {
                b.UseSetting("Sms:Tencent:Endpoint", fake.Endpoint.ToString());
                b.UseSetting("Sms:Tencent:SdkAppId", AppId);
                b.UseSetting("Sms:Tencent:SecretId", TencentId);
                b.UseSetting("Sms:Tencent:SecretKey", secret ?? TencentKey);
            }

            foreach (var (code, id, parameters) in Templates)
            {
                b.UseSetting($"Sms:Templates:{code}:TemplateId", provider == "aliyun" ? $"SMS_{id}" : id);
                for (var i = 0; i < parameters.Length; i++)
                {
                    b.UseSetting($"Sms:Templates:{code}:Parameters:{i}", parameters[i]);
                }
            }

            more?.Invoke(b);
        });
        return (fake, server);
    }

    private async Task<HttpClient> ClientAsync(WebApplicationFactory<Program> server, string userName)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.LoginAsync(userName));
        return client;
    }

    /// <summary>Asks for a code and reads it from what the fake provider sent.</summary>
    private async Task<string> RequestCodeAsync(HttpClient client, FakeSmsProvider fake, string provider, string phone)
    {
        var before = fake.Sent.Count;
        var response = await client.PostAsJsonAsync("/api/sms/codes", new { phone }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var errors = response.StatusCode == HttpStatusCode.Accepted ? [] : (await OutboxAsync(phone)).Select(m => m.LastError);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"code request answered {(int)response.StatusCode}: {text} {string.Join("; ", errors)}");
        var sms = fake.Sent.Skip(before).Last(s => s.Phone == Addressed(provider, phone));
        Assert.Equal(provider == "aliyun" ? "SMS_100001" : "100001", sms.TemplateId);
        return Values(provider, sms)[0];
    }

    private async Task<(string Number, int Version, DemoPlace Place)> ReportAsync(HttpClient client, string phone)
    {
        var place = await _scenario.CertainPlaceAsync();
        var fields = CaseScenario.ReportFields(place.Lon, place.Lat);
        fields["phone"] = phone;
        var response = await CaseScenario.ReportAsync(client, fields, [TestPhotos.Jpeg(60, 60)]);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var answer = await JsonAsync(response);
        return (answer.GetProperty("number").GetString()!, answer.GetProperty("version").GetInt32(), place);
    }

    private static OutboxDispatcher Dispatcher(WebApplicationFactory<Program> server, TimeProvider time, ISmsSender? sms = null) =>
        new(server.Services.GetRequiredService<IServiceScopeFactory>(), sms ?? server.Services.GetRequiredService<ISmsSender>(),
            server.Services.GetRequiredService<IWeChatTemplateSender>(), server.Services.GetRequiredService<IDistrictWebhookSender>(),
            Options.Create(new OutboxOptions { RetryBaseDelay = TimeSpan.FromSeconds(30) }), time,
            server.Services.GetRequiredService<Features.Metrics.CivicGridMetrics>(), NullLogger<OutboxDispatcher>.Instance);

    private static async Task DrainAsync(OutboxDispatcher dispatcher)
    {
        for (var round = 0; round < 20; round++)
        {
            var result = await dispatcher.DispatchDueAsync(Ct);
            if (result.Sent + result.Retrying + result.Failed + result.LostToOthers == 0)
            {
                return;
            }
        }
    }

    private Task<List<OutboxMessage>> OutboxAsync(string phone) =>
        app.WithDatabaseAsync(async db => (await db.OutboxMessages.AsNoTracking().Where(m => m.Channel == OutboxChannel.Sms).ToListAsync(Ct))
            .Where(m => m.Recipient == phone).ToList());

    private static string Template(string provider, string id) => provider == "aliyun" ? $"SMS_{id}" : id;

    private static string Addressed(string provider, string phone) => provider == "aliyun" ? phone : "+86" + phone;

    /// <summary>The template parameters' values in order (the Aliyun fake records <c>name=value</c>).</summary>
    private static List<string> Values(string provider, FakeSms sms) =>
        [.. sms.Parameters.Select(p => provider == "aliyun" ? p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..] : p)];

    private static Task<JsonElement> JsonAsync(HttpResponseMessage response) => CaseScenario.JsonAsync(response);
}

public sealed class SmsTestsOnSqlite(SqliteApp app) : SmsTests(app), IClassFixture<SqliteApp>;

public sealed class SmsTestsOnPostgres(PostgresApp app) : SmsTests(app), IClassFixture<PostgresApp>;
