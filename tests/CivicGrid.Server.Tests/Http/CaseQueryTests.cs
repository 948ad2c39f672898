using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using CivicGrid.Server.Features.Cases.Queries;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// Search and filters on GET /api/cases and the inboxes: every filter narrows exactly, bad filters are all reported
/// in Chinese, and nobody finds a case outside their scope through any of them.
/// </summary>
public abstract class CaseQueryTests(CivicGridApp app)
{
    private const string MainSubdistrict = "610103099";
    private const string NeighbourSubdistrict = "610103098";

    private readonly TestCases _cases = new(app);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_FiltersByStatusTierCategoryChannelGridAndText()
    {
        var token = TestCases.Token();
        var (g1, _) = await _cases.GridAsync(MainSubdistrict, GridLevel.Micro);
        var (g2, _) = await _cases.GridAsync(MainSubdistrict + "002", GridLevel.Micro);
        var now = DateTimeOffset.UtcNow;
        var a = await _cases.AddAsync(g1, $"{token} 暴露垃圾", reportedAt: now.AddHours(-2));
        var b = await _cases.AddAsync(g1, $"{token} 渣土", c => c.Accept(TestCases.OwnerOf(g1, CaseTier.Yellow), 0, now), CaseTier.Yellow, "E0102",
            CaseChannel.ResidentApp, reportedAt: now.AddHours(-3));
        var c = await _cases.AddAsync(g2, $"{token} 小广告", x => x.Reject(TestCases.OwnerOf(g2, CaseTier.Green), 0, now, "重复上报"), category: "E0201",
            channel: CaseChannel.Hotline12345, reportedAt: now.AddHours(-4));
        var d = await _cases.AddAsync(g2, "井盖破损", category: "C0101", channel: CaseChannel.StaffEntry, reportedAt: now.AddHours(-5),
            description: $"描述里有 {token}");
        using var admin = await app.ClientForAsync("district"); // a whole-district reader (administrators see no case)

        Assert.Equal([a.Number, b.Number, c.Number, d.Number], await NumbersAsync(admin, $"text={token}"));
        Assert.Equal([a.Number, d.Number], await NumbersAsync(admin, $"text={token}&status=reported"));
        Assert.Equal([a.Number, b.Number, d.Number], await NumbersAsync(admin, $"text={token}&status=reported,accepted"));
        Assert.Equal([a.Number, c.Number, d.Number], await NumbersAsync(admin, $"text={token}&status=reported&status=rejected"));
        Assert.Equal([b.Number], await NumbersAsync(admin, $"text={token}&tier=yellow"));
        Assert.Equal([a.Number, b.Number], await NumbersAsync(admin, $"text={token}&category=E01"));
        Assert.Equal([a.Number], await NumbersAsync(admin, $"text={token}&category=E0101"));
        Assert.Equal([c.Number], await NumbersAsync(admin, $"text={token}&channel=hotline12345"));
        Assert.Equal([a.Number, b.Number], await NumbersAsync(admin, $"text={token}&gridCode={g1[..GridCodes.CommunityLength]}"));
        Assert.Equal([c.Number], await NumbersAsync(admin, $"text={c.Number}"));

        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/cases?text={token}&pageSize=2&page=2", Ct);
        Assert.Equal(4, page.GetProperty("total").GetInt32());
        Assert.Equal([c.Number, d.Number], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()));
    }

    [Fact]
    public async Task List_ByPeriod_TakesBeijingDatesAsWholeDaysAndInstantsInclusively()
    {
        var token = TestCases.Token();
        var (grid, _) = await _cases.GridAsync(MainSubdistrict, GridLevel.Micro, skip: 3);
        var lateOnMarch1 = await _cases.AddAsync(grid, token, reportedAt: new DateTimeOffset(2026, 3, 1, 23, 30, 0, TimeSpan.FromHours(8)));
        var earlyOnMarch2 = await _cases.AddAsync(grid, token, reportedAt: new DateTimeOffset(2026, 3, 2, 0, 30, 0, TimeSpan.FromHours(8)));
        using var admin = await app.ClientForAsync("district"); // a whole-district reader (administrators see no case)

        Assert.Equal([earlyOnMarch2.Number], await NumbersAsync(admin, $"text={token}&reportedFrom=2026-03-02"));
        Assert.Equal([lateOnMarch1.Number], await NumbersAsync(admin, $"text={token}&reportedTo=2026-03-01"));
        Assert.Equal([lateOnMarch1.Number], await NumbersAsync(admin,
            $"text={token}&reportedFrom=2026-03-01T15:30:00Z&reportedTo={Uri.EscapeDataString("2026-03-01T23:30:00+08:00")}"));
        Assert.Equal([earlyOnMarch2.Number, lateOnMarch1.Number], await NumbersAsync(admin, $"text={token}&reportedFrom=2026-03-01&reportedTo=2026-03-02"));
    }

    [Fact]
    public async Task List_OverdueSupervisedAssignedToMe_AndSortedByDue()
    {
        var token = TestCases.Token();
        var (third, _) = await _cases.GridAsync(MainSubdistrict + "003", GridLevel.Third, skip: 1);
        var leader = await app.CreateUserAsync(CivicGridApp.UniqueName("q-leader"), third, Role.GridLeader);
        var me = CaseAssignee.User(leader.Id, leader.DisplayName);
        var owner = TestCases.OwnerOf(third, CaseTier.Green);
        var now = DateTimeOffset.UtcNow;
        var dueSoon = await _cases.AddAsync(third, token, c =>
        {
            c.Accept(owner, 0, now.AddDays(-1));
            c.Assign(owner, 1, now.AddDays(-1), me, now.AddHours(2));
            c.StartHandling(owner, 2, now.AddHours(-1));
        }, reportedAt: now.AddDays(-2));
        var overdue = await _cases.AddAsync(third, token, c =>
        {
            c.Accept(owner, 0, now.AddDays(-3));
            c.Assign(owner, 1, now.AddDays(-3), me, now.AddDays(-1));
        }, reportedAt: now.AddDays(-4));
        var supervised = await _cases.AddAsync(third, token, c =>
        {
            c.Accept(owner, 0, now.AddHours(-2));
            c.Supervise(TestCases.Staff(Role.CommunityStaff, third[..GridCodes.CommunityLength]), 1, now.AddHours(-1), "请尽快交办", now.AddDays(1));
        }, reportedAt: now.AddHours(-3));
        var reported = await _cases.AddAsync(third, token, reportedAt: now.AddHours(-1));
        using var client = await app.ClientForAsync(leader.UserName);

        Assert.Equal([overdue.Number], await NumbersAsync(client, $"text={token}&overdue=true"));
        Assert.Equal([reported.Number, supervised.Number, dueSoon.Number], await NumbersAsync(client, $"text={token}&overdue=false"));
        Assert.Equal([supervised.Number], await NumbersAsync(client, $"text={token}&supervised=true"));
        Assert.Equal([dueSoon.Number, overdue.Number], await NumbersAsync(client, $"text={token}&assignedToMe=true"));
        // Soonest deadline first: the reported case by its acceptance deadline (on the work calendar, so wherever the clock puts it
        // between the due times), the accepted case without one last.
        var byDue = await NumbersAsync(client, $"text={token}&sort=due");
        Assert.Equal([overdue.Number, dueSoon.Number, supervised.Number], byDue.Where(n => n != reported.Number));
        Assert.Equal(supervised.Number, byDue[^1]);
        var item = (await client.GetFromJsonAsync<JsonElement>($"/api/cases?text={token}&overdue=true", Ct)).GetProperty("items")[0];
        Assert.True(item.GetProperty("overdue").GetBoolean());
    }

    [Fact]
    public async Task List_BadFilters_Answer400ListingEveryBadFieldInChinese()
    {
        using var client = await app.ClientForAsync("ops");

        var response = await client.GetAsync(new Uri("/api/cases?status=reported,Nope&tier=Purple&category=Z99&channel=Pigeon&gridCode=61x"
            + "&reportedFrom=yesterday&reportedTo=2026-13-01&overdue=maybe&supervised=2&assignedToMe=yes&sort=oldest&page=0&pageSize=500&text="
            + new string('字', 101), UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("/problems/validation", problem.GetProperty("type").GetString());
        var errors = problem.GetProperty("errors");
        string[] fields = ["status", "tier", "category", "channel", "gridCode", "reportedFrom", "reportedTo", "overdue", "supervised", "assignedToMe",
            "sort", "page", "pageSize", "text"];
        Assert.All(fields, f =>
        {
            Assert.True(errors.TryGetProperty(f, out var messages), $"no error for {f}");
            Assert.All(messages.EnumerateArray(), m => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", m.GetString()!));
        });
        Assert.Equal(fields.Length, errors.EnumerateObject().Count());
        Assert.Contains("Nope", errors.GetProperty("status")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_AGridLeaderNeverSeesASiblingGridsCase_NorAResidentAnotherResidentsReport()
    {
        var token = TestCases.Token();
        var leader = await _cases.UserAsync("leader01");
        var own = await _cases.AddAsync(leader.ScopeCode, token);
        var siblingCode = (await _cases.GridAsync(GridCodes.ParentCodeOf(leader.ScopeCode)!, GridLevel.Third)).Code;
        if (siblingCode == leader.ScopeCode)
        {
            siblingCode = (await _cases.GridAsync(GridCodes.ParentCodeOf(leader.ScopeCode)!, GridLevel.Third, skip: 1)).Code;
        }

        var sibling = await _cases.AddAsync(siblingCode, token);
        var resident1 = await _cases.UserAsync("resident001");
        var resident2 = await _cases.UserAsync("resident002");
        var mine = await _cases.AddAsync(leader.ScopeCode, token, channel: CaseChannel.ResidentApp, reporterId: resident1.Id);
        var theirs = await _cases.AddAsync(leader.ScopeCode, token, channel: CaseChannel.ResidentApp, reporterId: resident2.Id);
        using var leaderClient = await app.ClientForAsync("leader01");
        using var residentClient = await app.ClientForAsync("resident001");

        var seenByLeader = await NumbersAsync(leaderClient, $"text={token}");
        Assert.Contains(own.Number, seenByLeader);
        Assert.DoesNotContain(sibling.Number, seenByLeader);
        Assert.Empty(await NumbersAsync(leaderClient, $"text={token}&gridCode={siblingCode}"));
        Assert.Equal([mine.Number], await NumbersAsync(residentClient, $"text={token}"));
        Assert.DoesNotContain(theirs.Number, await NumbersAsync(residentClient, $"text={theirs.Number}"));
    }

    [Fact]
    public async Task ACaseAssignedToStaffOutsideItsGrid_IsVisibleToThatAssignee_AndStillNotToTheirNeighbours()
    {
        var token = TestCases.Token();
        var (third, _) = await _cases.GridAsync(MainSubdistrict + "004", GridLevel.Third, skip: 3);
        var (siblingThird, _) = await _cases.GridAsync(GridCodes.ParentCodeOf(third)!, GridLevel.Third, skip: 0);
        Assert.NotEqual(third, siblingThird);
        var helper = await app.CreateUserAsync(CivicGridApp.UniqueName("q-helper"), siblingThird, Role.GridWorker);
        var colleague = await app.CreateUserAsync(CivicGridApp.UniqueName("q-colleague"), siblingThird, Role.GridWorker);
        var owner = TestCases.OwnerOf(third, CaseTier.Green);
        var now = DateTimeOffset.UtcNow;
        var assigned = await _cases.AddAsync(third, token, c =>
        {
            c.Accept(owner, 0, now.AddHours(-1));
            c.Assign(owner, 1, now.AddHours(-1), CaseAssignee.User(helper.Id, helper.DisplayName), now.AddDays(1));
        });
        using var helperClient = await app.ClientForAsync(helper.UserName);
        using var colleagueClient = await app.ClientForAsync(colleague.UserName);

        Assert.Equal(HttpStatusCode.OK, (await helperClient.GetAsync($"/api/cases/{assigned.Number}", Ct)).StatusCode);
        Assert.Equal([assigned.Number], await InboxAsync(helperClient, "mine", token));
        Assert.Equal(HttpStatusCode.NotFound, (await colleagueClient.GetAsync($"/api/cases/{assigned.Number}", Ct)).StatusCode);
        Assert.Empty(await NumbersAsync(colleagueClient, $"text={token}"));
    }

    [Fact]
    public async Task Inboxes_CountAndListWhatIsTheCallersToDo_AndNothingOfASiblingGrid()
    {
        var token = TestCases.Token();
        var (third, _) = await _cases.GridAsync(MainSubdistrict + "004", GridLevel.Third, skip: 2);
        var (siblingThird, _) = await _cases.GridAsync(GridCodes.ParentCodeOf(third)!, GridLevel.Third, skip: 0);
        Assert.NotEqual(third, siblingThird);
        var micro = (await _cases.GridAsync(third, GridLevel.Micro)).Code;
        var leader = await app.CreateUserAsync(CivicGridApp.UniqueName("q-inbox"), third, Role.GridLeader);
        var community = await app.CreateUserAsync(CivicGridApp.UniqueName("q-community"), third[..GridCodes.CommunityLength], Role.CommunityStaff);
        using var client = await app.ClientForAsync(leader.UserName);
        using var communityClient = await app.ClientForAsync(community.UserName);
        var before = await CountsAsync(client);

        var owner = TestCases.OwnerOf(micro, CaseTier.Green);
        var me = CaseAssignee.User(leader.Id, leader.DisplayName);
        var now = DateTimeOffset.UtcNow;
        var toAccept = await _cases.AddAsync(micro, token);
        var yellow = await _cases.AddAsync(micro, token, tier: CaseTier.Yellow);
        var dueSoon = await _cases.AddAsync(micro, token, c =>
        {
            c.Accept(owner, 0, now.AddHours(-1));
            c.Assign(owner, 1, now.AddHours(-1), me, now.AddHours(3));
        });
        var overdue = await _cases.AddAsync(micro, token, c =>
        {
            c.Accept(owner, 0, now.AddDays(-3));
            c.Assign(owner, 1, now.AddDays(-3), me, now.AddDays(-1));
            c.StartHandling(owner, 2, now.AddDays(-2));
        }, reportedAt: now.AddDays(-4));
        var supervised = await _cases.AddAsync(micro, token, c =>
        {
            c.Accept(owner, 0, now.AddHours(-1));
            c.Supervise(TestCases.Staff(Role.SubdistrictOperator, MainSubdistrict), 1, now.AddMinutes(-30), "请加快处理", now.AddDays(1));
        });
        var elsewhere = await _cases.AddAsync(siblingThird, token);
        var after = await CountsAsync(client);

        Assert.Equal(1, after["to-accept"] - before["to-accept"]);
        Assert.Equal(4, after["grid-open"] - before["grid-open"]);
        Assert.Equal(2, after["mine"] - before["mine"]);
        Assert.Equal(1, after["due-soon"] - before["due-soon"]);
        Assert.Equal(1, after["overdue"] - before["overdue"]);
        Assert.Equal(1, after["supervised"] - before["supervised"]);

        Assert.Equal([toAccept.Number], await InboxAsync(client, "to-accept", token));
        Assert.Equal([supervised.Number, dueSoon.Number, toAccept.Number, overdue.Number], await InboxAsync(client, "grid-open", token));
        Assert.Equal([overdue.Number, dueSoon.Number], await InboxAsync(client, "mine", token));
        Assert.Equal([dueSoon.Number], await InboxAsync(client, "due-soon", token));
        Assert.Equal([overdue.Number], await InboxAsync(client, "overdue", token));
        Assert.Equal([supervised.Number], await InboxAsync(client, "supervised", token));
        Assert.DoesNotContain(elsewhere.Number, await InboxAsync(client, "grid-open", elsewhere.Number));

        // The community owns the yellow case and watches the whole community's deadlines.
        Assert.Equal([yellow.Number], await InboxAsync(communityClient, "to-accept", token));
        Assert.Equal([overdue.Number], await InboxAsync(communityClient, "overdue", token));
        Assert.Empty(await InboxAsync(communityClient, "mine", token));
    }

    [Fact]
    public async Task Inbox_Mine_ForALiaison_HoldsWhatIsAssignedToTheirDepartment()
    {
        var token = TestCases.Token();
        var liaison = await _cases.UserAsync("police01");
        var (micro, _) = await _cases.GridAsync(MainSubdistrict + "005", GridLevel.Micro);
        var owner = TestCases.OwnerOf(micro, CaseTier.Green);
        var now = DateTimeOffset.UtcNow;
        var assigned = await _cases.AddAsync(micro, token, c =>
        {
            c.Accept(owner, 0, now.AddHours(-1));
            c.Assign(owner, 1, now.AddHours(-1), CaseAssignee.Department(liaison.OrganisationId!.Value, "派出所"), now.AddDays(1));
        });
        var notAssigned = await _cases.AddAsync(micro, token);
        using var client = await app.ClientForAsync("police01");

        Assert.Equal([assigned.Number], await InboxAsync(client, "mine", token));
        Assert.Empty(await InboxAsync(client, "grid-open", token));
        Assert.Empty(await InboxAsync(client, "to-accept", notAssigned.Number));
    }

    [Fact]
    public async Task Inbox_UnknownBoxIs404_AndResidentsHaveNoInbox()
    {
        using var ops = await app.ClientForAsync("ops");
        using var resident = await app.ClientForAsync("resident001");

        var unknown = await ops.GetAsync(new Uri("/api/cases/inbox/nope", UriKind.Relative), Ct);
        var counts = await ops.GetFromJsonAsync<JsonElement>("/api/cases/inbox", Ct);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(["mine", "grid-open", "to-accept", "due-soon", "overdue", "supervised"],
            counts.GetProperty("boxes").EnumerateArray().Select(b => b.GetProperty("box").GetString()));
        Assert.All(counts.GetProperty("boxes").EnumerateArray(), b => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", b.GetProperty("title").GetString()!));
        Assert.Equal(HttpStatusCode.Forbidden, (await resident.GetAsync(new Uri("/api/cases/inbox", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await resident.GetAsync(new Uri("/api/cases/inbox/mine", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task Detail_ForOwnerStaff_HasEverythingAConsoleNeeds_AndTheVerbsTheyMayTake()
    {
        var (micro, _) = await _cases.GridAsync(MainSubdistrict + "006", GridLevel.Micro);
        var communityCode = micro[..GridCodes.CommunityLength];
        var staff = await app.CreateUserAsync(CivicGridApp.UniqueName("q-detail"), communityCode, Role.CommunityStaff);
        var owner = TestCases.OwnerOf(micro, CaseTier.Yellow);
        var now = DateTimeOffset.UtcNow;
        var subject = await _cases.AddAsync(micro, "楼道堆物", c =>
        {
            c.Accept(owner, 0, now.AddHours(-3));
            c.Assign(owner, 1, now.AddHours(-3), CaseAssignee.Department(Guid.NewGuid(), "区城管执法局"), now.AddDays(2));
            c.RecordMediation(owner, 2, now.AddHours(-2), ["张网格长", "城管队员"], now.AddHours(-2), "社区议事厅", "三日内清理");
            c.Supervise(TestCases.Staff(Role.SubdistrictOperator, MainSubdistrict), 3, now.AddHours(-1), "请加快", now.AddDays(1));
        }, CaseTier.Yellow, "E0102", CaseChannel.Hotline12345, reporterName: "张三丰", reporterPhone: "13912345678",
            description: "3 号楼楼道堆满杂物");
        using var client = await app.ClientForAsync(staff.UserName);

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/cases/{subject.Number}", Ct);
        var timeline = await client.GetFromJsonAsync<JsonElement>($"/api/cases/{subject.Number}/timeline", Ct);

        Assert.Equal("积存垃圾渣土", detail.GetProperty("categoryName").GetString());
        Assert.Equal("市容环境", detail.GetProperty("majorCategoryName").GetString());
        Assert.Equal("3 号楼楼道堆满杂物", detail.GetProperty("description").GetString());
        Assert.Equal("区城管执法局", detail.GetProperty("assigneeName").GetString());
        Assert.Equal("已交办", detail.GetProperty("statusText").GetString());
        Assert.Equal(JsonValueKind.String, detail.GetProperty("dueAt").ValueKind);
        Assert.Equal(JsonValueKind.String, detail.GetProperty("supervisionDueAt").ValueKind);
        Assert.Equal(4, detail.GetProperty("version").GetInt32());
        Assert.Equal("张**", detail.GetProperty("reporterName").GetString());
        Assert.Equal("139****5678", detail.GetProperty("reporterPhone").GetString());
        Assert.Equal(["张网格长", "城管队员"], detail.GetProperty("mediations")[0].GetProperty("participants").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(0, detail.GetProperty("meetingDecisions").GetArrayLength());
        var actions = detail.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal(["assign", "start-handling", "return", "transfer", "escalate", "park", "merge", "record-mediation"], actions);
        Assert.Equal("张**", timeline.GetProperty("entries")[0].GetProperty("actorName").GetString());
    }

    [Fact]
    public async Task Detail_ForTheReportingResident_IsReducedAndOffersTheirVerbs()
    {
        var resident = await _cases.UserAsync("resident001");
        var (micro, _) = await _cases.GridAsync(MainSubdistrict + "006", GridLevel.Micro, skip: 1);
        var owner = TestCases.OwnerOf(micro, CaseTier.Green);
        var photo = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var subject = await _cases.AddAsync(micro, "路灯不亮", c =>
        {
            c.Accept(owner, 0, now.AddHours(-3));
            c.Assign(owner, 1, now.AddHours(-3), CaseAssignee.User(Guid.NewGuid(), "李网格员"), now.AddDays(1));
            c.StartHandling(owner, 2, now.AddHours(-2));
            c.RecordHandled(owner, 3, now.AddHours(-1), "已更换灯泡", [photo]);
        }, channel: CaseChannel.ResidentApp, reporterId: resident.Id, reportedAt: now.AddHours(-4));
        using var client = await app.ClientForAsync("resident001");

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/cases/{subject.Number}", Ct);

        Assert.Equal(JsonValueKind.Null, detail.GetProperty("assigneeName").ValueKind);
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("mediations").ValueKind);
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("meetingDecisions").ValueKind);
        // A handled case: check the result, say it is not fixed, or add information while it is not finished.
        Assert.Equal(["verify", "reopen", "supplement"], detail.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal([photo], detail.GetProperty("photoIds").EnumerateArray().Select(p => p.GetGuid()));
        Assert.Matches(@"^.\*+$", detail.GetProperty("reporterName").GetString()!);
    }

    [Fact]
    public async Task Export_HoldsTheFilteredCasesInScope_WithChineseHeadersBeijingTimesAndMaskedPhones()
    {
        var token = TestCases.Token();
        var (micro, _) = await _cases.GridAsync(MainSubdistrict + "007", GridLevel.Micro);
        var (neighbour, _) = await _cases.GridAsync(NeighbourSubdistrict, GridLevel.Micro);
        var reportedAt = new DateTimeOffset(2026, 3, 1, 15, 30, 0, TimeSpan.Zero);
        var first = await _cases.AddAsync(micro, $"{token} 一", reporterPhone: "13912345678", reportedAt: reportedAt);
        var second = await _cases.AddAsync(micro, $"{token} 二", category: "C0102", reportedAt: reportedAt.AddHours(-1));
        await _cases.AddAsync(neighbour, $"{token} 邻街道", reporterPhone: "13700001111", reportedAt: reportedAt);
        using var ops = await app.ClientForAsync("ops");

        var response = await ops.GetAsync(new Uri($"/api/cases/export.xlsx?text={token}", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        var rows = await ExcelRows(response);
        Assert.Equal(Features.Cases.Queries.CaseExport.Headers, rows.Headers);
        Assert.Equal([first.Number, second.Number], rows.Items.Select(r => r["案件编号"]));
        Assert.Equal("2026-03-01 23:30:00", rows.Items[0]["上报时间"]);
        Assert.Equal("139****5678", rows.Items[0]["报告人电话"]);
        Assert.Equal("暴露垃圾", rows.Items[0]["事件小类"]);
        Assert.Equal("市容环境", rows.Items[0]["事件大类"]);
        Assert.Equal("已上报", rows.Items[0]["状态"]);
        Assert.Equal("绿色", rows.Items[0]["颜色"]);
        Assert.Equal("网格巡查", rows.Items[0]["上报渠道"]);
        Assert.Equal("路灯损坏", rows.Items[1]["事件小类"]);
        Assert.DoesNotContain(rows.Items, r => r.Values.Any(v => v.Contains("13912345678", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Export_RefusesBadFiltersResidentsAndSelectionsOverTheCap()
    {
        var token = TestCases.Token();
        var (micro, _) = await _cases.GridAsync(MainSubdistrict + "007", GridLevel.Micro, skip: 1);
        for (var k = 0; k < 3; k++)
        {
            await _cases.AddAsync(micro, token);
        }

        using var ops = await app.ClientForAsync("ops");
        using var resident = await app.ClientForAsync("resident001");
        await using var capped = app.WithWebHostBuilder(b => b.UseSetting("CaseQueries:ExportMaxRows", "2"));
        using var cappedOps = capped.CreateClient();
        cappedOps.DefaultRequestHeaders.Authorization = ops.DefaultRequestHeaders.Authorization;

        var bad = await ops.GetAsync(new Uri("/api/cases/export.xlsx?status=Nope", UriKind.Relative), Ct);
        var forResident = await resident.GetAsync(new Uri("/api/cases/export.xlsx", UriKind.Relative), Ct);
        var tooMany = await cappedOps.GetAsync(new Uri($"/api/cases/export.xlsx?text={token}", UriKind.Relative), Ct);
        var narrowEnough = await cappedOps.GetAsync(new Uri($"/api/cases/export.xlsx?text={token}&pageSize=1", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forResident.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        var problem = await tooMany.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("/problems/export-too-large", problem.GetProperty("type").GetString());
        Assert.Equal(3, problem.GetProperty("count").GetInt32());
        Assert.Contains("上限 2 件", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, narrowEnough.StatusCode); // paging does not apply to an export
    }

    [Fact]
    public async Task ListAndDetail_NameTheGrid_AndGiveEveryWaitingStageItsDeadline_SortedSoonestFirst()
    {
        var token = TestCases.Token();
        var (micro, _) = await _cases.GridAsync(MainSubdistrict, GridLevel.Micro, skip: 2);
        var gridName = await app.WithDatabaseAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Grids.Where(g => g.Code == micro).Select(g => g.Name), Ct));
        var owner = TestCases.OwnerOf(micro, CaseTier.Green);
        var now = DateTimeOffset.UtcNow;
        var reportedAt = now.AddDays(-20);
        var reported = await _cases.AddAsync(micro, token, reportedAt: reportedAt);
        var assigned = await _cases.AddAsync(micro, token, c =>
        {
            c.Accept(owner, 0, now.AddHours(-2));
            c.Assign(owner, 1, now.AddHours(-2), CaseAssignee.User(Guid.NewGuid(), "张网格"), now.AddDays(3));
        }, reportedAt: now.AddHours(-3));
        var parked = await _cases.AddAsync(micro, token, c =>
        {
            c.Accept(owner, 0, now.AddHours(-2));
            c.Park(owner, 1, now.AddHours(-1), "等待管线改造", DateOnly.FromDateTime(now.AddDays(40).UtcDateTime));
        }, reportedAt: now.AddHours(-4));
        var accepted = await _cases.AddAsync(micro, token, c => c.Accept(owner, 0, now.AddHours(-1)), reportedAt: now.AddHours(-5));
        using var client = await app.ClientForAsync("district");

        var page = await client.GetFromJsonAsync<JsonElement>($"/api/cases?text={token}&sort=due&pageSize=200", Ct);
        var items = page.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("number").GetString()!);
        Assert.All(items.Values, i => Assert.Equal(gridName, i.GetProperty("gridName").GetString()));
        // Reported 20 days ago: its acceptance time (2 working hours on the work calendar) has run out, holidays and all.
        var accept = items[reported.Number];
        Assert.Equal("accept", accept.GetProperty("deadlineKind").GetString());
        var acceptBy = accept.GetProperty("deadline").GetDateTimeOffset();
        Assert.InRange(acceptBy, reportedAt.AddHours(2).AddSeconds(-1), now);
        Assert.Equal(JsonValueKind.Null, accept.GetProperty("dueAt").ValueKind); // the stored due time alone left it blank
        Assert.Equal("handle", items[assigned.Number].GetProperty("deadlineKind").GetString());
        Assert.Equal(assigned.DueAt!.Value.ToUnixTimeMilliseconds(), items[assigned.Number].GetProperty("deadline").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal("张网格", items[assigned.Number].GetProperty("assigneeName").GetString());
        Assert.Equal("review", items[parked.Number].GetProperty("deadlineKind").GetString());
        Assert.Equal(JsonValueKind.Null, items[accepted.Number].GetProperty("deadline").ValueKind);
        Assert.Equal([reported.Number, assigned.Number, parked.Number, accepted.Number],
            page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()));
        // A page of the deadline order is the same order cut.
        var second = await client.GetFromJsonAsync<JsonElement>($"/api/cases?text={token}&sort=due&pageSize=2&page=2", Ct);
        Assert.Equal(4, second.GetProperty("total").GetInt32());
        Assert.Equal([parked.Number, accepted.Number], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()));

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/cases/{reported.Number}", Ct);
        Assert.Equal("accept", detail.GetProperty("deadlineKind").GetString());
        Assert.Equal(acceptBy, detail.GetProperty("deadline").GetDateTimeOffset());
    }

    [Fact]
    public async Task Timeline_GivesStaffAWorkLogWithRolesAndGridNames_AndResidentsTheirOwnSentences()
    {
        var token = TestCases.Token();
        var (from, _) = await _cases.GridAsync(MainSubdistrict, GridLevel.Micro, skip: 3);
        var (to, _) = await _cases.GridAsync(MainSubdistrict, GridLevel.Micro, skip: 4);
        var names = await app.WithDatabaseAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToDictionaryAsync(
            db.Grids.Where(g => g.Code == from || g.Code == to), g => g.Code, g => g.Name, Ct));
        var leader = await app.CreateUserAsync(CivicGridApp.UniqueName("log-leader"), from[..GridCodes.ThirdLength], Role.GridLeader);
        var actor = Actor.Of(leader);
        var now = DateTimeOffset.UtcNow;
        var subject = await _cases.AddAsync(from, token, c =>
        {
            c.Accept(actor, 0, now.AddHours(-3));
            c.Assign(actor, 1, now.AddHours(-3), CaseAssignee.User(leader.Id, leader.DisplayName), new DateTimeOffset(2099, 3, 1, 2, 0, 0, TimeSpan.Zero));
            c.Transfer(actor, 2, now.AddHours(-2), to, "位置在相邻网格");
        }, reportedAt: now.AddHours(-4));
        using var client = await app.ClientForAsync("district");

        var entries = (await client.GetFromJsonAsync<JsonElement>($"/api/cases/{subject.Number}/timeline", Ct)).GetProperty("entries").EnumerateArray().ToList();
        var texts = entries.Select(e => e.GetProperty("staffText").GetString()).ToList();
        Assert.Equal(["上报（网格员上报）", "立案受理，由网格长负责", $"交办给 {leader.DisplayName}，办理时限 3月1日 10:00", $"转办：{names[from]} → {names[to]}"], texts);
        Assert.All(entries, e => Assert.DoesNotContain("您反映", e.GetProperty("staffText").GetString(), StringComparison.Ordinal));
        Assert.Equal(leader.DisplayName, entries[1].GetProperty("actorName").GetString());
        Assert.Equal("网格长", entries[1].GetProperty("actorRole").GetString());
        Assert.Equal(names[to], entries[3].GetProperty("toGridName").GetString());
        Assert.StartsWith("您反映的问题", entries[1].GetProperty("text").GetString(), StringComparison.Ordinal); // the resident's sentence is kept as it was
    }

    private static async Task<List<string>> NumbersAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync(new Uri("/api/cases?pageSize=200&" + query, UriKind.Relative), Ct);
        Assert.True(response.IsSuccessStatusCode, $"/api/cases?{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        var page = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()!)];
    }

    private static async Task<List<string>> InboxAsync(HttpClient client, string box, string text)
    {
        var response = await client.GetAsync(new Uri($"/api/cases/inbox/{box}?pageSize=200&text={text}", UriKind.Relative), Ct);
        Assert.True(response.IsSuccessStatusCode, $"inbox {box}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        var page = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()!)];
    }

    private static async Task<Dictionary<string, int>> CountsAsync(HttpClient client)
    {
        var counts = await client.GetFromJsonAsync<JsonElement>("/api/cases/inbox", Ct);
        return counts.GetProperty("boxes").EnumerateArray().ToDictionary(b => b.GetProperty("box").GetString()!, b => b.GetProperty("count").GetInt32());
    }

    /// <summary>Reads a workbook back: the header row and every row as header → text.</summary>
    internal static async Task<(IReadOnlyList<string> Headers, List<Dictionary<string, string>> Items)> ExcelRows(HttpResponseMessage response)
    {
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        var raw = MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: false).Cast<IDictionary<string, object?>>().ToList();
        var headers = raw[0].Values.Select(v => v?.ToString() ?? string.Empty).ToList();
        var items = raw.Skip(1).Select(r => r.Values.Select((v, i) => (headers[i], Text: v?.ToString() ?? string.Empty))
            .ToDictionary(x => x.Item1, x => x.Text)).ToList();
        return (headers, items);
    }
}

public sealed class CaseQueryTestsOnSqlite(SqliteApp app) : CaseQueryTests(app), IClassFixture<SqliteApp>;

public sealed class CaseQueryTestsOnPostgres(PostgresApp app) : CaseQueryTests(app), IClassFixture<PostgresApp>;
