using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Notifications derived from case changes inside the same save: who hears of what, nothing from a failed save,
/// SMS for anonymous reporters, followers after a merge, and the inbox API that shows each user only their own.
/// </summary>
public abstract class NotificationTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Assign_NotifiesTheAssigneeExactlyOnce_AndNotTheActor()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var now = DateTimeOffset.UtcNow;
        var reported = await CrewCases.CreateAsync(app, crew, now.AddMinutes(-30), steps: c => c.Accept(crew.Leader, c.Version, now.AddMinutes(-20)));

        await CrewCases.ChangeAsync(app, reported.Number, c =>
            c.Assign(crew.Leader, c.Version, now, CaseAssignee.User(crew.Worker.UserId, crew.Worker.DisplayName), now.AddDays(1)));

        var assignKey = CaseNotificationRules.SourceKeyOf(reported.Id, 3);
        var forAssign = await app.WithDatabaseAsync(db => db.Notifications.Where(n => n.SourceKey == assignKey).ToListAsync(Ct));
        var assigned = Assert.Single(forAssign);
        Assert.Equal(crew.Worker.UserId, assigned.UserId);
        Assert.Equal(NotificationKinds.CaseAssigned, assigned.Kind);
        Assert.Equal(reported.Number, assigned.CaseNumber);
        Assert.Contains("交办", assigned.Body, StringComparison.Ordinal);

        // The report told the owning grid's leader; the leader's own accept told nobody on the staff.
        var reportKey = CaseNotificationRules.SourceKeyOf(reported.Id, 1);
        var acceptKey = CaseNotificationRules.SourceKeyOf(reported.Id, 2);
        Assert.True(await app.WithDatabaseAsync(db => db.Notifications.AnyAsync(n => n.SourceKey == reportKey && n.UserId == crew.Leader.UserId
            && n.Kind == NotificationKinds.CaseReported, Ct)));
        Assert.False(await app.WithDatabaseAsync(db => db.Notifications.AnyAsync(n => n.SourceKey == acceptKey, Ct)));
    }

    [Fact]
    public async Task AssignOverHttp_ReachesTheAssigneesInbox_WithTheDueTimeTheCategorySets()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var worker = await app.CreateUserAsync(CivicGridApp.UniqueName("worker"), crew.MicroGridCode, Role.GridWorker);
        var now = DateTimeOffset.UtcNow;
        var accepted = await CrewCases.CreateAsync(app, crew, now.AddMinutes(-30), steps: c => c.Accept(crew.Leader, c.Version, now.AddMinutes(-20)));
        using var leader = await app.ClientForAsync("leader01");

        var response = await leader.PostAsJsonAsync($"/api/cases/{accepted.Number}/assign", new { expectedVersion = accepted.Version, userId = worker.Id }, Ct);

        Assert.True(response.IsSuccessStatusCode, $"assign answered {response.StatusCode}");
        using var assignee = await app.ClientForAsync(worker.UserName);
        var inbox = await assignee.GetFromJsonAsync<NotificationPage>("/api/notifications?unread=true", Ct);
        var item = Assert.Single(inbox!.Items);
        Assert.Equal(accepted.Number, item.CaseNumber);
        Assert.Equal(NotificationKinds.CaseAssigned, item.Kind);
        var due = (await CrewCases.ReadAsync(app, accepted.Number)).DueAt!.Value;
        Assert.Contains(CaseNotificationRules.BeijingTime(due), item.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssignToADepartment_NotifiesEveryActiveLiaisonOfIt()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var police = await app.WithDatabaseAsync(db => db.Users.SingleAsync(u => u.UserName == "police01", Ct));
        var department = police.OrganisationId!.Value;
        var inactive = await app.CreateUserAsync(CivicGridApp.UniqueName("liaison"), police.ScopeCode, Role.DepartmentLiaison);
        await app.WithDatabaseAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Id == inactive.Id, Ct);
            user.OrganisationId = department;
            user.Deactivate(DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync(Ct);
        });
        var liaisons = await app.WithDatabaseAsync(db => db.Users.Where(u => u.OrganisationId == department && u.IsActive && u.Roles.Contains(Role.DepartmentLiaison))
            .Select(u => u.Id).ToListAsync(Ct));
        var now = DateTimeOffset.UtcNow;

        var assigned = await CrewCases.CreateAsync(app, crew, now.AddMinutes(-30), steps: c =>
        {
            c.Accept(crew.Leader, c.Version, now.AddMinutes(-20));
            c.Assign(crew.Leader, c.Version, now.AddMinutes(-10), CaseAssignee.Department(department, "派出所"), now.AddDays(1));
        });

        var key = CaseNotificationRules.SourceKeyOf(assigned.Id, 3);
        var told = await app.WithDatabaseAsync(db => db.Notifications.Where(n => n.SourceKey == key).Select(n => n.UserId).ToListAsync(Ct));
        Assert.NotEmpty(liaisons);
        Assert.Equal(liaisons.Order(), told.Order());
        Assert.DoesNotContain(inactive.Id, told);
    }

    [Fact]
    public async Task ReporterWhoBoundWeChat_GetsATemplateMessageBesidesTheInbox()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var resident = await app.CreateUserAsync(CivicGridApp.UniqueName("resident"), crew.MicroGridCode, Role.Resident);
        var openId = "oTest" + Guid.NewGuid().ToString("N")[..20];
        await app.WithDatabaseAsync(async db =>
        {
            db.UserChannelAddresses.Add(new UserChannelAddress(resident.Id, OutboxChannel.WeChat, openId, DateTimeOffset.UtcNow));
            return await db.SaveChangesAsync(Ct);
        });
        var now = DateTimeOffset.UtcNow;

        var accepted = await CrewCases.CreateAsync(app, crew, now.AddMinutes(-30), reporterId: resident.Id,
            steps: c => c.Accept(crew.Leader, c.Version, now.AddMinutes(-20)));

        var key = CaseNotificationRules.SourceKeyOf(accepted.Id, 2);
        var inbox = await app.WithDatabaseAsync(db => db.Notifications.SingleAsync(n => n.SourceKey == key && n.UserId == resident.Id, Ct));
        Assert.Equal(NotificationKinds.CaseProgress, inbox.Kind);
        var message = await app.WithDatabaseAsync(async db => (await db.OutboxMessages.ToListAsync(Ct)).Single(m => m.Recipient == openId && m.MessageId == OutboxMessage.MessageIdFor(key, OutboxChannel.WeChat, openId)));
        Assert.Equal(OutboxChannel.WeChat, message.Channel);
        Assert.Equal(OutboxMessage.MessageIdFor(key, OutboxChannel.WeChat, openId), message.MessageId);
        Assert.Equal(inbox.Body, message.Parameters()["text"]);
        Assert.Equal("accept", message.Parameters()["step"]);
        // The report was the resident's own act: no message about it in the inbox; WeChat confirms its receipt (issue 20).
        var receiptKey = CaseNotificationRules.SourceKeyOf(accepted.Id, 1);
        Assert.Contains(await app.WithDatabaseAsync(db => db.OutboxMessages.Select(m => m.MessageId).ToListAsync(Ct)), id => id == OutboxMessage.MessageIdFor(receiptKey, OutboxChannel.WeChat, openId));
        Assert.False(await app.WithDatabaseAsync(db => db.Notifications.AnyAsync(n => n.SourceKey == CaseNotificationRules.SourceKeyOf(accepted.Id, 1) && n.UserId == resident.Id, Ct)));
    }

    [Fact]
    public async Task Channels_EachUserSetsTheirOwnSmsAndWeChatAddress_SeesThemMasked_AndBadAddressesAre400()
    {
        var user = await app.CreateUserAsync(CivicGridApp.UniqueName("n-channels"), "610103099001", Role.CommunityStaff);
        var other = await app.CreateUserAsync(CivicGridApp.UniqueName("n-channels"), "610103099001", Role.CommunityStaff);
        using var client = await app.ClientForAsync(user.UserName);
        using var otherClient = await app.ClientForAsync(other.UserName);

        var badPhone = await client.PutAsJsonAsync("/api/notifications/channels/sms", new { address = "029-88886666" }, Ct);
        var badChannel = await client.PutAsJsonAsync("/api/notifications/channels/email", new { address = "a@b.cn" }, Ct);
        var badOpenId = await client.PutAsJsonAsync("/api/notifications/channels/wechat", new { address = "短" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badPhone.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badChannel.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badOpenId.StatusCode);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", (await badPhone.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString()!);

        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/notifications/channels/sms", new { address = "13812345678" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/notifications/channels/sms", new { address = "13987654321" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/notifications/channels/wechat", new { address = "oAbCdEfGhIjKlMnOpQrStUvWxYz1" }, Ct)).StatusCode);

        var listed = await client.GetFromJsonAsync<JsonElement>("/api/notifications/channels", Ct);
        Assert.Equal(["sms:139****4321", "wechat:oAbC…"], listed.EnumerateArray().Select(a => $"{a.GetProperty("channel").GetString()}:{a.GetProperty("address").GetString()}"));
        Assert.DoesNotContain("13987654321", listed.GetRawText(), StringComparison.Ordinal);
        Assert.Empty((await otherClient.GetFromJsonAsync<JsonElement>("/api/notifications/channels", Ct)).EnumerateArray());
        var stored = await app.WithDatabaseAsync(db => db.UserChannelAddresses.IgnoreQueryFilters().Where(a => a.UserId == user.Id).ToListAsync(Ct));
        Assert.Equal(["13987654321", "oAbCdEfGhIjKlMnOpQrStUvWxYz1"], stored.OrderBy(a => a.Channel).Select(a => a.Address));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(new Uri("/api/notifications/channels/sms", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(["wechat"], (await client.GetFromJsonAsync<JsonElement>("/api/notifications/channels", Ct)).EnumerateArray().Select(a => a.GetProperty("channel").GetString()));
    }

    [Fact]
    public async Task FailedSave_WritesNoNotification()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var other = await app.CreateUserAsync(CivicGridApp.UniqueName("worker"), crew.MicroGridCode, Role.GridWorker);
        var now = DateTimeOffset.UtcNow;
        var reported = await CrewCases.CreateAsync(app, crew, now.AddMinutes(-30), steps: c => c.Accept(crew.Leader, c.Version, now.AddMinutes(-20)));
        await using var scopeA = app.Services.CreateAsyncScope();
        await using var scopeB = app.Services.CreateAsyncScope();
        var dbA = scopeA.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var dbB = scopeB.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var first = await dbA.Cases.SingleAsync(c => c.Number == reported.Number, Ct);
        var second = await dbB.Cases.SingleAsync(c => c.Number == reported.Number, Ct);

        first.Assign(crew.Leader, first.Version, now, CaseAssignee.User(crew.Worker.UserId, crew.Worker.DisplayName), now.AddDays(1));
        await dbA.SaveChangesAsync(Ct);
        second.Assign(crew.Leader, second.Version, now, CaseAssignee.User(other.Id, other.DisplayName), now.AddDays(2));

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => dbB.SaveChangesAsync(Ct));
        Assert.False(await app.WithDatabaseAsync(db => db.Notifications.AnyAsync(n => n.UserId == other.Id, Ct)));
        Assert.Empty(dbB.ChangeTracker.Entries<Notification>());
        var key = CaseNotificationRules.SourceKeyOf(reported.Id, 3);
        Assert.Equal(crew.Worker.UserId, (await app.WithDatabaseAsync(db => db.Notifications.SingleAsync(n => n.SourceKey == key, Ct))).UserId);
    }

    [Fact]
    public async Task AnonymousReporterWithAPhone_GetsAnSmsForEveryPublicStep_WithStableMessageIds()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var phone = CrewCases.NewPhone();
        var now = DateTimeOffset.UtcNow;

        var reported = await CrewCases.CreateAsync(app, crew, now.AddMinutes(-30), reporterPhone: phone, steps: c =>
        {
            c.Accept(crew.Leader, c.Version, now.AddMinutes(-20));
            c.Assign(crew.Leader, c.Version, now.AddMinutes(-10), CaseAssignee.User(crew.Worker.UserId, crew.Worker.DisplayName), now.AddDays(1));
            c.Supervise(Actor.System, c.Version, now.AddMinutes(-5), "请加快处理", now.AddDays(1)); // not public: no SMS
        });

        var messages = await app.WithDatabaseAsync(async db => (await db.OutboxMessages.ToListAsync(Ct)).Where(m => m.Recipient == phone).OrderBy(m => m.CreatedAt).ToList());
        Assert.Equal(3, messages.Count);
        Assert.All(messages, m =>
        {
            Assert.Equal(OutboxChannel.Sms, m.Channel);
            Assert.Equal(OutboxTemplates.CaseProgress, m.TemplateCode);
            Assert.Equal(reported.Number, m.Parameters()["number"]);
        });
        Assert.Equal(
            [1, 2, 3],
            messages.Select(m => Enumerable.Range(1, 4).Single(s => OutboxMessage.MessageIdFor(CaseNotificationRules.SourceKeyOf(reported.Id, s), OutboxChannel.Sms, phone) == m.MessageId)));
        Assert.Contains("已收到", messages[0].Parameters()["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merge_MakesTheMergedCasesReporterAFollowerWhoHearsOfTheTargetsPublicSteps()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var resident = await app.CreateUserAsync(CivicGridApp.UniqueName("resident"), crew.MicroGridCode, Role.Resident);
        var anonymousPhone = CrewCases.NewPhone();
        var targetPhone = CrewCases.NewPhone();
        var now = DateTimeOffset.UtcNow;
        var target = await CrewCases.CreateAsync(app, crew, now.AddMinutes(-40), reporterPhone: targetPhone,
            steps: c => c.Accept(crew.Leader, c.Version, now.AddMinutes(-35)));
        var duplicate = await CrewCases.CreateAsync(app, crew, now.AddMinutes(-30), reporterId: resident.Id);
        var anonymousDuplicate = await CrewCases.CreateAsync(app, crew, now.AddMinutes(-30), reporterPhone: anonymousPhone);

        await CrewCases.ChangeAsync(app, duplicate.Number, c => c.MergeInto(crew.Leader, c.Version, now.AddMinutes(-20), target.Number));
        await CrewCases.ChangeAsync(app, anonymousDuplicate.Number, c => c.MergeInto(crew.Leader, c.Version, now.AddMinutes(-20), target.Number));
        var worked = await CrewCases.ChangeAsync(app, target.Number, c =>
            c.Assign(crew.Leader, c.Version, now, CaseAssignee.User(crew.Worker.UserId, crew.Worker.DisplayName), now.AddDays(1)));

        var followers = await app.WithDatabaseAsync(db => db.CaseFollowers.Where(f => f.CaseNumber == target.Number).OrderBy(f => f.SourceCaseNumber).ToListAsync(Ct));
        Assert.Equal(2, followers.Count);
        Assert.Contains(followers, f => f.SourceCaseNumber == duplicate.Number && f.UserId == resident.Id && f.Phone is null);
        Assert.Contains(followers, f => f.SourceCaseNumber == anonymousDuplicate.Number && f.UserId is null && f.Phone == anonymousPhone);

        var assignKey = CaseNotificationRules.SourceKeyOf(worked.Id, worked.Version + 1);
        var residentInbox = await app.WithDatabaseAsync(db => db.Notifications.Where(n => n.UserId == resident.Id).ToListAsync(Ct));
        Assert.Contains(residentInbox, n => n.CaseNumber == duplicate.Number && n.Kind == NotificationKinds.CaseProgress && n.Body.Contains(target.Number, StringComparison.Ordinal));
        var followed = Assert.Single(residentInbox, n => n.SourceKey == assignKey);
        Assert.Equal(NotificationKinds.FollowedCaseProgress, followed.Kind);
        Assert.Equal(target.Number, followed.CaseNumber);

        // Both anonymous reporters get the target's assignment by SMS: the target's own and the merged one's.
        foreach (var phone in new[] { targetPhone, anonymousPhone })
        {
            var id = OutboxMessage.MessageIdFor(assignKey, OutboxChannel.Sms, phone);
            Assert.True(await app.WithDatabaseAsync(db => db.OutboxMessages.AnyAsync(m => m.MessageId == id, Ct)), $"an SMS to {phone[..3]}… for the assignment");
        }
    }

    [Fact]
    public async Task RestoredHistory_NotifiesNobody()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var phone = CrewCases.NewPhone();
        var imported = await CrewCases.CreateAsync(app, crew, DateTimeOffset.UtcNow.AddDays(-30), reporterPhone: phone,
            steps: c => c.RestoreHistory(CaseTier.Green, CaseStatus.Closed, DateTimeOffset.UtcNow.AddDays(-20), null));

        var prefix = $"case:{imported.Id:N}:";
        Assert.False(await app.WithDatabaseAsync(db => db.Notifications.AnyAsync(n => n.SourceKey.StartsWith(prefix), Ct)));
        Assert.False(await app.WithDatabaseAsync(async db => (await db.OutboxMessages.ToListAsync(Ct)).Any(m => m.Recipient == phone)));
    }

    [Fact]
    public async Task Inbox_ShowsAndChangesOnlyTheCallersOwnNotifications()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var me = await app.CreateUserAsync(CivicGridApp.UniqueName("resident"), crew.MicroGridCode, Role.Resident);
        var someoneElse = await app.CreateUserAsync(CivicGridApp.UniqueName("resident"), crew.MicroGridCode, Role.Resident);
        var now = DateTimeOffset.UtcNow;
        var mine = await app.WithDatabaseAsync(async db =>
        {
            var list = Enumerable.Range(1, 3).Select(i => new Notification(me.Id, $"test:{Guid.NewGuid():N}", NotificationKinds.CaseProgress, "案件进展",
                $"第 {i} 条", "7000000000001", now.AddMinutes(i))).ToList();
            list[0].MarkRead(now.AddMinutes(5));
            db.Notifications.AddRange(list);
            db.Notifications.AddRange(Enumerable.Range(1, 2).Select(i => new Notification(someoneElse.Id, $"test:{Guid.NewGuid():N}",
                NotificationKinds.CaseProgress, "案件进展", $"别人的第 {i} 条", "7000000000002", now.AddMinutes(i))));
            await db.SaveChangesAsync(Ct);
            return list;
        });
        var theirs = await app.WithDatabaseAsync(db => db.Notifications.Where(n => n.UserId == someoneElse.Id).Select(n => n.Id).FirstAsync(Ct));
        using var client = await app.ClientForAsync(me.UserName);

        var page = await client.GetFromJsonAsync<NotificationPage>("/api/notifications", Ct);
        Assert.Equal(3, page!.Total);
        Assert.Equal(2, page.Unread);
        Assert.Equal(mine.Select(n => n.Id).Reverse(), page.Items.Select(i => i.Id));
        Assert.Equal("第 3 条", page.Items[0].Body);
        Assert.Equal(2, (await client.GetFromJsonAsync<NotificationPage>("/api/notifications?unread=true", Ct))!.Items.Count);

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync(new Uri($"/api/notifications/{theirs}/read", UriKind.Relative), null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync(new Uri($"/api/notifications/{mine[1].Id}/read", UriKind.Relative), null, Ct)).StatusCode);
        Assert.Equal(1, (await client.GetFromJsonAsync<UnreadCount>("/api/notifications/unread-count", Ct))!.Unread);
        var marked = await (await client.PostAsync(new Uri("/api/notifications/read-all", UriKind.Relative), null, Ct)).Content.ReadFromJsonAsync<MarkedRead>(Ct);
        Assert.Equal(1, marked!.Marked);
        Assert.Equal(0, (await client.GetFromJsonAsync<UnreadCount>("/api/notifications/unread-count", Ct))!.Unread);
        Assert.Equal(2, await app.WithDatabaseAsync(db => db.Notifications.CountAsync(n => n.UserId == someoneElse.Id && n.ReadAt == null, Ct)));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(new Uri("/api/notifications?pageSize=0", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task Inbox_OfAnAdministrator_HoldsOnlyTheirOwn()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var resident = await app.CreateUserAsync(CivicGridApp.UniqueName("resident"), crew.MicroGridCode, Role.Resident);
        var admin = await app.WithDatabaseAsync(db => db.Users.SingleAsync(u => u.UserName == "admin", Ct));
        var notForAdmin = await app.WithDatabaseAsync(async db =>
        {
            var n = new Notification(resident.Id, $"test:{Guid.NewGuid():N}", NotificationKinds.CaseProgress, "案件进展", "不是管理员的", null, DateTimeOffset.UtcNow.AddDays(1));
            db.Notifications.Add(n);
            await db.SaveChangesAsync(Ct);
            return n.Id;
        });
        // Tests running beside this one may notify the administrator, so the total is bounded by
        // counts read on both sides of the request.
        var ownBefore = await app.WithDatabaseAsync(db => db.Notifications.CountAsync(n => n.UserId == admin.Id, Ct));
        using var client = await app.ClientForAsync("admin");

        var page = await client.GetFromJsonAsync<NotificationPage>("/api/notifications?pageSize=100", Ct);
        var ownAfter = await app.WithDatabaseAsync(db => db.Notifications.CountAsync(n => n.UserId == admin.Id, Ct));

        Assert.InRange(page!.Total, ownBefore, ownAfter);
        Assert.DoesNotContain(page.Items, i => i.Id == notForAdmin);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync(new Uri($"/api/notifications/{notForAdmin}/read", UriKind.Relative), null, Ct)).StatusCode);
    }
}

public sealed class NotificationTestsOnSqlite(SqliteApp app) : NotificationTests(app), IClassFixture<SqliteApp>;

public sealed class NotificationTestsOnPostgres(PostgresApp app) : NotificationTests(app), IClassFixture<PostgresApp>;
