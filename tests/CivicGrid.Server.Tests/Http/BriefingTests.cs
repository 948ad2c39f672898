using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Features.Briefings;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Policy briefings over real HTTP on each provider: sending to recipients resolved by grid, kind and organisation (kept as
/// sent), the live count, each refusal, the worker's own inbox with reading and confirming, the sender's read figures, and
/// reminders (the sender's "remind now" and the daily job) without duplicates.
/// </summary>
public abstract class BriefingTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Send_ByGridAndKind_ReachesExactlyThoseWorkers_AndNotifiesEachOnce()
    {
        var community = await ScopeOfAsync("community01");
        var expected = await app.WithDatabaseAsync(db => db.Users.Where(u => u.IsActive && u.ScopeCode.StartsWith(community))
            .ToListAsync(Ct));
        var leaders = expected.Where(u => u.Roles.Contains(Role.GridLeader)).Select(u => u.Id).Order().ToList();
        using var staff = await app.ClientForAsync("community01");

        var preview = await JsonAsync(await staff.PostAsJsonAsync("/api/briefings/preview", new { gridCodes = new[] { community }, kinds = new[] { "grid-leader" } }, Ct));
        var sent = await SendAsync(staff, new { gridCodes = new[] { community }, kinds = new[] { "grid-leader" } });

        Assert.Equal(leaders.Count, preview.GetProperty("count").GetInt32());
        Assert.NotEmpty(leaders);
        var receipts = sent.GetProperty("receipts").EnumerateArray().ToList();
        Assert.Equal(leaders, receipts.Select(r => r.GetProperty("userId").GetGuid()).Order());
        Assert.All(receipts, r => Assert.Equal(["grid-leader"], r.GetProperty("kinds").EnumerateArray().Select(k => k.GetString())));
        Assert.Equal(leaders.Count, sent.GetProperty("summary").GetProperty("outstanding").GetInt32());
        var id = sent.GetProperty("summary").GetProperty("id").GetGuid();
        var notified = await app.WithDatabaseAsync(db => db.Notifications.Where(n => n.SourceKey == $"briefing:{id:N}:sent")
            .Select(n => n.UserId).ToListAsync(Ct));
        Assert.Equal(leaders, notified.Order());
    }

    [Fact]
    public async Task Send_ByOrganisation_ReachesItsLiaison_AndTheWholeGridTreeOfTheOperationsCentre()
    {
        var police = await app.WithDatabaseAsync(db => db.Organisations.SingleAsync(o => o.Code == "dept-police", Ct));
        var liaison = await app.WithDatabaseAsync(db => db.Users.SingleAsync(u => u.UserName == "police01", Ct));
        using var ops = await app.ClientForAsync("ops");

        var sent = await SendAsync(ops, new { organisationIds = new[] { police.Id } });

        Assert.Equal([liaison.Id], sent.GetProperty("receipts").EnumerateArray().Select(r => r.GetProperty("userId").GetGuid()));
        Assert.Equal([police.Name], sent.GetProperty("audience").GetProperty("organisations").EnumerateArray().Select(o => o.GetString()));
    }

    [Fact]
    public async Task Recipients_AreKeptAsSent_WhenTheAccountChangesLater()
    {
        var community = await ScopeOfAsync("community01");
        var grid = await app.WithDatabaseAsync(db => db.Grids.Where(g => g.ParentCode == community).OrderBy(g => g.Code).Select(g => g.Code).FirstAsync(Ct));
        var volunteer = await app.CreateUserAsync(CivicGridApp.UniqueName("vol"), grid + "0101", Role.MicroGridWorker);
        using var staff = await app.ClientForAsync("community01");
        var sent = await SendAsync(staff, new { gridCodes = new[] { grid + "0101" }, kinds = new[] { "micro-grid-worker" } });
        var id = sent.GetProperty("summary").GetProperty("id").GetGuid();

        await app.WithDatabaseAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Id == volunteer.Id, Ct);
            user.DisplayName = "改名之后";
            user.Deactivate(DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync(Ct);
        });
        var detail = await JsonAsync(await staff.GetAsync($"/api/briefings/{id}", Ct));

        var receipt = Assert.Single(detail.GetProperty("receipts").EnumerateArray(), r => r.GetProperty("userId").GetGuid() == volunteer.Id);
        Assert.Equal("测试用户", receipt.GetProperty("name").GetString());
        Assert.Equal(grid + "0101", receipt.GetProperty("gridCode").GetString());
    }

    [Fact]
    public async Task Worker_SeesOnlyBriefingsSentToThem_AndStaffOnlyThoseOfTheirScope()
    {
        var leader = await app.WithDatabaseAsync(db => db.Users.SingleAsync(u => u.UserName == "leader01", Ct));
        var worker = await app.WithDatabaseAsync(db => db.Users.SingleAsync(u => u.UserName == "worker01", Ct));
        using var staff = await app.ClientForAsync("community01");
        var toLeader = await IdOf(SendAsync(staff, new { gridCodes = new[] { leader.ScopeCode }, kinds = new[] { "grid-leader" } }));
        var toWorker = await IdOf(SendAsync(staff, new { gridCodes = new[] { worker.ScopeCode }, kinds = new[] { "grid-worker" } }));
        using var workerClient = await app.ClientForAsync("worker01");
        using var otherCommunity = await app.ClientForAsync("community02");
        using var ops = await app.ClientForAsync("ops");
        using var opsEast = await app.ClientForAsync("ops-east");

        var inbox = await JsonAsync(await workerClient.GetAsync("/api/briefings/inbox", Ct));
        var ids = inbox.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
        var openOthers = await workerClient.PostAsync(new Uri($"/api/briefings/inbox/{toLeader}/open", UriKind.Relative), null, Ct);

        Assert.Contains(toWorker, ids);
        Assert.DoesNotContain(toLeader, ids);
        await AssertProblemAsync(openOthers, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Forbidden, (await workerClient.GetAsync(new Uri("/api/briefings", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await workerClient.GetAsync(new Uri($"/api/briefings/{toWorker}", UriKind.Relative), Ct)).StatusCode);
        await AssertProblemAsync(await otherCommunity.GetAsync(new Uri($"/api/briefings/{toWorker}", UriKind.Relative), Ct), HttpStatusCode.NotFound);
        Assert.DoesNotContain(toWorker, await ListedIdsAsync(otherCommunity));
        Assert.DoesNotContain(toWorker, await ListedIdsAsync(opsEast));
        Assert.Contains(toWorker, await ListedIdsAsync(ops));
        Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync(new Uri($"/api/briefings/{toWorker}", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task Reading_ThenConfirming_IsRecordedOnce_AndShowsInTheSendersFigures()
    {
        var leader = await app.WithDatabaseAsync(db => db.Users.SingleAsync(u => u.UserName == "leader01", Ct));
        using var staff = await app.ClientForAsync("community01");
        var id = await IdOf(SendAsync(staff, new { gridCodes = new[] { leader.ScopeCode }, kinds = new[] { "grid-leader" } }, requiresConfirmation: true));
        using var reader = await app.ClientForAsync("leader01");
        var before = await JsonAsync(await reader.GetAsync("/api/briefings/inbox", Ct));

        var opened = await JsonAsync(await reader.PostAsync(new Uri($"/api/briefings/inbox/{id}/open", UriKind.Relative), null, Ct));
        var afterOpening = await JsonAsync(await staff.GetAsync($"/api/briefings/{id}", Ct));
        var confirmed = await JsonAsync(await reader.PostAsync(new Uri($"/api/briefings/inbox/{id}/confirm", UriKind.Relative), null, Ct));
        var again = await JsonAsync(await reader.PostAsync(new Uri($"/api/briefings/inbox/{id}/confirm", UriKind.Relative), null, Ct));
        var afterConfirming = await JsonAsync(await staff.GetAsync($"/api/briefings/{id}", Ct));
        var after = await JsonAsync(await reader.GetAsync("/api/briefings/inbox", Ct));

        Assert.Equal(id, before.GetProperty("items")[0].GetProperty("id").GetGuid()); // unread first
        Assert.Equal("请于本周五前学习。", opened.GetProperty("body").GetString());
        Assert.Equal(JsonValueKind.Null, opened.GetProperty("briefing").GetProperty("confirmedAt").ValueKind);
        Assert.Equal(1, afterOpening.GetProperty("summary").GetProperty("read").GetInt32());
        Assert.Equal(0, afterOpening.GetProperty("summary").GetProperty("confirmed").GetInt32());
        Assert.Equal(1, afterOpening.GetProperty("summary").GetProperty("outstanding").GetInt32()); // confirmation is asked for
        Assert.Contains(afterOpening.GetProperty("outstandingByGrid").EnumerateArray(), g => g.GetProperty("gridCode").GetString() == leader.ScopeCode);
        Assert.Equal(confirmed.GetProperty("briefing").GetProperty("confirmedAt").GetDateTimeOffset(),
            again.GetProperty("briefing").GetProperty("confirmedAt").GetDateTimeOffset());
        Assert.Equal(opened.GetProperty("briefing").GetProperty("firstOpenedAt").GetDateTimeOffset(),
            confirmed.GetProperty("briefing").GetProperty("firstOpenedAt").GetDateTimeOffset());
        Assert.Equal(1, afterConfirming.GetProperty("summary").GetProperty("confirmed").GetInt32());
        Assert.Equal(0, afterConfirming.GetProperty("summary").GetProperty("outstanding").GetInt32());
        Assert.Equal(0, afterConfirming.GetProperty("outstandingByGrid").GetArrayLength());
        Assert.Equal(before.GetProperty("unread").GetInt32() - 1, after.GetProperty("unread").GetInt32());
    }

    [Fact]
    public async Task Remind_RemindsTheOutstandingOnce_ARepeatRemindsNobody_AndTheDailyJobOnceADay()
    {
        var community = await ScopeOfAsync("community01");
        using var staff = await app.ClientForAsync("community01");
        var sent = await SendAsync(staff, new { gridCodes = new[] { community }, kinds = new[] { "grid-leader" } }, dueInDays: 3);
        var id = sent.GetProperty("summary").GetProperty("id").GetGuid();
        var sentAt = sent.GetProperty("summary").GetProperty("sentAt").GetDateTimeOffset();
        var recipients = sent.GetProperty("receipts").GetArrayLength();
        using var reader = await app.ClientForAsync("leader01");
        await reader.PostAsync(new Uri($"/api/briefings/inbox/{id}/open", UriKind.Relative), null, Ct);

        var first = await JsonAsync(await staff.PostAsync(new Uri($"/api/briefings/{id}/remind", UriKind.Relative), null, Ct));
        var second = await JsonAsync(await staff.PostAsync(new Uri($"/api/briefings/{id}/remind", UriKind.Relative), null, Ct));
        var afterManual = await RemindersAsync(id);

        Assert.Equal(recipients - 1, first.GetProperty("reminded").GetInt32());
        Assert.False(first.GetProperty("repeated").GetBoolean());
        Assert.True(second.GetProperty("repeated").GetBoolean());
        Assert.Equal(0, second.GetProperty("reminded").GetInt32());
        Assert.Equal(recipients - 1, afterManual.Count);
        Assert.DoesNotContain(await UserIdAsync("leader01"), afterManual);

        // The next morning at 10:00 Beijing time the job reminds the same people once, however often it runs.
        var nextMorning = new DateTimeOffset(sentAt.ToOffset(TimeSpan.FromHours(8)).Date.AddDays(1).AddHours(10), TimeSpan.FromHours(8)).ToUniversalTime();
        await RunJobAsync(nextMorning);
        await RunJobAsync(nextMorning.AddMinutes(30));
        var afterJob = await RemindersAsync(id);

        Assert.Equal(2 * (recipients - 1), afterJob.Count);
        Assert.Equal(recipients - 1, afterJob.Distinct().Count());
        Assert.All(afterJob.GroupBy(u => u), g => Assert.Equal(2, g.Count()));
    }

    [Fact]
    public async Task Remind_AfterTheDeadline_OrWhenEveryoneRead_IsRefusedInChinese_AndOutsideTheScopeIsNotFound()
    {
        var leader = await app.WithDatabaseAsync(db => db.Users.SingleAsync(u => u.UserName == "leader01", Ct));
        using var staff = await app.ClientForAsync("community01");
        var id = await IdOf(SendAsync(staff, new { gridCodes = new[] { leader.ScopeCode }, kinds = new[] { "grid-leader" } }, dueInDays: 2));
        using var reader = await app.ClientForAsync("leader01");
        using var otherCommunity = await app.ClientForAsync("community02");

        var outside = await otherCommunity.PostAsync(new Uri($"/api/briefings/{id}/remind", UriKind.Relative), null, Ct);
        await reader.PostAsync(new Uri($"/api/briefings/inbox/{id}/open", UriKind.Relative), null, Ct);
        var allRead = await staff.PostAsync(new Uri($"/api/briefings/{id}/remind", UriKind.Relative), null, Ct);
        await app.WithDatabaseAsync(db => db.Briefings.Where(b => b.Id == id).ExecuteUpdateAsync(s => s.SetProperty(b => b.DueAt, DateTimeOffset.UtcNow.AddHours(-1)), Ct));
        var late = await staff.PostAsync(new Uri($"/api/briefings/{id}/remind", UriKind.Relative), null, Ct);

        await AssertProblemAsync(outside, HttpStatusCode.NotFound);
        Assert.Equal("/problems/briefing-all-read", (await AssertProblemAsync(allRead, HttpStatusCode.UnprocessableEntity)).GetProperty("type").GetString());
        Assert.Equal("/problems/briefing-closed", (await AssertProblemAsync(late, HttpStatusCode.UnprocessableEntity)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Send_WithABadAudience_IsRefusedNamingTheRule()
    {
        var own = await ScopeOfAsync("community01");
        var other = await ScopeOfAsync("community02");
        var police = await app.WithDatabaseAsync(db => db.Organisations.SingleAsync(o => o.Code == "dept-police", Ct));
        using var staff = await app.ClientForAsync("community01");
        using var opsEast = await app.ClientForAsync("ops-east");

        var nothing = await staff.PostAsJsonAsync("/api/briefings", Body(new { }), Ct);
        var outside = await staff.PostAsJsonAsync("/api/briefings", Body(new { gridCodes = new[] { own, other } }), Ct);
        var unknown = await staff.PostAsJsonAsync("/api/briefings", Body(new { gridCodes = new[] { own + "88" } }), Ct);
        var nobody = await staff.PostAsJsonAsync("/api/briefings", Body(new { kinds = new[] { "department-liaison" } }), Ct);
        var foreignOrganisation = await opsEast.PostAsJsonAsync("/api/briefings", Body(new { organisationIds = new[] { police.Id } }), Ct);
        var badKind = await staff.PostAsJsonAsync("/api/briefings", Body(new { kinds = new[] { "resident" } }), Ct);

        Assert.Equal("audience-empty", (await AssertProblemAsync(nothing, HttpStatusCode.UnprocessableEntity)).GetProperty("rule").GetString());
        var outsideProblem = await AssertProblemAsync(outside, HttpStatusCode.Forbidden);
        Assert.Equal("grid-outside-scope", outsideProblem.GetProperty("rule").GetString());
        Assert.Contains(other, outsideProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True((await AssertProblemAsync(unknown, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("audience.gridCodes", out _));
        Assert.Equal("no-recipients", (await AssertProblemAsync(nobody, HttpStatusCode.UnprocessableEntity)).GetProperty("rule").GetString());
        Assert.Equal("organisation-outside-scope", (await AssertProblemAsync(foreignOrganisation, HttpStatusCode.Forbidden)).GetProperty("rule").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Equal(0, await app.WithDatabaseAsync(db => db.Briefings.CountAsync(b => b.Title == "无效的通知", Ct)));
    }

    [Fact]
    public async Task Send_WithBadFields_OrByAWorker_IsRefused()
    {
        var own = await ScopeOfAsync("community01");
        using var staff = await app.ClientForAsync("community01");
        using var worker = await app.ClientForAsync("worker01");
        using var admin = await app.ClientForAsync("admin");
        var audience = new { gridCodes = new[] { own } };

        var fields = await staff.PostAsJsonAsync("/api/briefings", new
        {
            title = " ",
            body = "",
            attachmentUrl = "javascript:alert(1)",
            dueAt = DateTimeOffset.UtcNow.AddDays(-1),
            audience,
        }, Ct);
        var tooLate = await staff.PostAsJsonAsync("/api/briefings", Body(audience) with { DueAt = DateTimeOffset.UtcNow.AddDays(91) }, Ct);
        var byWorker = await worker.PostAsJsonAsync("/api/briefings", Body(audience), Ct);
        var byAdmin = await admin.PostAsJsonAsync("/api/briefings", Body(audience), Ct);

        var errors = (await AssertProblemAsync(fields, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal(["attachmentUrl", "body", "dueAt", "title"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.True((await AssertProblemAsync(tooLate, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("dueAt", out _));
        Assert.Equal(HttpStatusCode.Forbidden, byWorker.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byAdmin.StatusCode);
    }

    [Fact]
    public async Task Send_RetriedWithTheSameIdempotencyKey_SendsOnce()
    {
        var leader = await app.WithDatabaseAsync(db => db.Users.SingleAsync(u => u.UserName == "leader01", Ct));
        using var staff = await app.ClientForAsync("community01");
        var key = Guid.NewGuid().ToString();
        var title = CivicGridApp.UniqueName("重发");

        async Task<HttpResponseMessage> PostAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/briefings")
            {
                Content = JsonContent.Create(Body(new { gridCodes = new[] { leader.ScopeCode } }) with { Title = title }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await staff.SendAsync(request, Ct);
        }

        var first = await PostAsync();
        var second = await PostAsync();

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(1, await app.WithDatabaseAsync(db => db.Briefings.CountAsync(b => b.Title == title, Ct)));
    }

    [Fact]
    public async Task Demo_HasBriefingsReadAndUnread_AndLeader01HasNotReadTheFloodNotice()
    {
        using var ops = await app.ClientForAsync("ops");
        using var leader = await app.ClientForAsync("leader01");

        var listed = (await JsonAsync(await ops.GetAsync("/api/briefings", Ct))).EnumerateArray().ToList();
        var inbox = await JsonAsync(await leader.GetAsync("/api/briefings/inbox", Ct));

        var flood = Assert.Single(listed, b => b.GetProperty("title").GetString() == "关于做好汛期安全巡查工作的通知");
        Assert.InRange(flood.GetProperty("confirmed").GetInt32(), 1, flood.GetProperty("recipients").GetInt32() - 1);
        Assert.Contains(listed, b => b.GetProperty("outstanding").GetInt32() == 0);
        Assert.Contains(inbox.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == flood.GetProperty("id").GetGuid()
            && i.GetProperty("firstOpenedAt").ValueKind == JsonValueKind.Null);
    }

    private sealed record SendBody(string Title, string Body, string? AttachmentUrl, bool RequiresConfirmation, DateTimeOffset? DueAt, object Audience);

    private static SendBody Body(object audience) => new("无效的通知", "正文", null, false, null, audience);

    private static async Task<JsonElement> SendAsync(HttpClient client, object audience, bool requiresConfirmation = false, int? dueInDays = null)
    {
        var response = await client.PostAsJsonAsync("/api/briefings", new SendBody("关于做好汛期安全巡查的通知", "请于本周五前学习。", "/files/flood.pdf",
            requiresConfirmation, dueInDays is { } days ? DateTimeOffset.UtcNow.AddDays(days) : null, audience), Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"send refused: {body}");
        return body;
    }

    private static async Task<Guid> IdOf(Task<JsonElement> sent) => (await sent).GetProperty("summary").GetProperty("id").GetGuid();

    private static async Task<List<Guid>> ListedIdsAsync(HttpClient client) =>
        [.. (await JsonAsync(await client.GetAsync("/api/briefings", Ct))).EnumerateArray().Select(b => b.GetProperty("id").GetGuid())];

    private Task<string> ScopeOfAsync(string userName) =>
        app.WithDatabaseAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.ScopeCode).SingleAsync(Ct));

    private Task<Guid> UserIdAsync(string userName) =>
        app.WithDatabaseAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync(Ct));

    private Task<List<Guid>> RemindersAsync(Guid id) =>
        app.WithDatabaseAsync(db => db.Notifications.Where(n => n.SourceKey.StartsWith($"briefing:{id:N}:remind:") && n.Kind == BriefingNotices.ReminderKind)
            .Select(n => n.UserId).ToListAsync(Ct));

    private async Task<int> RunJobAsync(DateTimeOffset now)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BriefingReminderJob>().RunAsync(now, Ct);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>Asserts the status and that the answer is a problem with a Chinese detail; returns it.</summary>
    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {problem}");
        Assert.Contains(problem.GetProperty("detail").GetString()!, c => c >= '\u4e00' && c <= '\u9fff');
        return problem;
    }
}

public sealed class BriefingTestsOnSqlite(SqliteApp app) : BriefingTests(app), IClassFixture<SqliteApp>;

public sealed class BriefingTestsOnPostgres(PostgresApp app) : BriefingTests(app), IClassFixture<PostgresApp>;
