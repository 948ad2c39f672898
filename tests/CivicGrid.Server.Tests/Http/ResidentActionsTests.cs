using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Cases.Tracking;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Server.Tests.Photos;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// A resident who gets something back (issue 22, ADR 0038): the receipt's expected time, categories residents may choose, the
/// reporter's 补充 / 催办 / 撤回 and rating comment through the follow token and through their account, the result and reply on
/// their case page, and the public map of nearby reports.
/// </summary>
public abstract class ResidentActionsTests(CivicGridApp app)
{
    private const string MainSubdistrict = "610103099";

    private readonly CaseScenario _scenario = new(app);
    private readonly TestCases _cases = new(app);

    [Fact]
    public async Task Receipt_SaysWhenTheReportIsExpectedToBeHandled_AndAStaffOnlyCategoryIsRefusedFromAResident()
    {
        var place = await _scenario.CertainPlaceAsync();
        using var anonymous = app.CreateClient();

        var created = await ReportAsync(anonymous, ReportFields(place.Lon, place.Lat, "C0102"), [TestPhotos.Jpeg(200, 150)]);
        var sensor = await ReportAsync(anonymous, ReportFields(place.Lon, place.Lat, "C0103", "设备离线"), [TestPhotos.Jpeg(200, 150)]);
        var categories = await anonymous.GetFromJsonAsync<JsonElement>("/api/categories", Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var receipt = await JsonAsync(created);
        var expected = receipt.GetProperty("expectedBy").GetDateTimeOffset();
        Assert.True(expected > DateTimeOffset.UtcNow.AddHours(1), $"路灯损坏 has 48 working hours, expected {expected:u}");
        Assert.True(expected < DateTimeOffset.UtcNow.AddDays(30));
        Assert.Equal(HttpStatusCode.BadRequest, sensor.StatusCode);
        var problem = await JsonAsync(sensor);
        Assert.Contains("由工作人员或设备上报", problem.GetProperty("errors").GetProperty("categoryCode")[0].GetString(), StringComparison.Ordinal);
        var byCode = categories.EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!);
        Assert.True(byCode["C0103"].GetProperty("staffOnly").GetBoolean());
        Assert.False(byCode["C0102"].GetProperty("staffOnly").GetBoolean());

        // Staff still report a sensor gone offline.
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        var patrol = await ReportAsync(leader, ReportFields(place.Lon, place.Lat, "C0103", "烟感设备离线"), [TestPhotos.Jpeg(200, 150)]);
        Assert.Equal(HttpStatusCode.Created, patrol.StatusCode);
    }

    [Fact]
    public async Task AnonymousReporter_Supplements_IsToldChasingIsTooSoon_AndWithdraws_AndStaffSeeAndHearOfIt()
    {
        var place = await _scenario.CertainPlaceAsync();
        using var anonymous = app.CreateClient();
        var report = await JsonAsync(await ReportAsync(anonymous, ReportFields(place.Lon, place.Lat), [TestPhotos.Jpeg(200, 150)]));
        var number = report.GetProperty("number").GetString()!;
        var token = report.GetProperty("followToken").GetString()!;
        var other = await JsonAsync(await ReportAsync(anonymous, ReportFields(place.Lon, place.Lat), [TestPhotos.Jpeg(200, 150)]));

        var before = await TrackAsync(anonymous, number, token);
        Assert.True(before.GetProperty("canSupplement").GetBoolean());
        Assert.True(before.GetProperty("canWithdraw").GetBoolean());
        Assert.False(before.GetProperty("canChase").GetBoolean());
        Assert.True(before.GetProperty("chaseAvailableAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(2));
        Assert.True(before.GetProperty("expectedBy").GetDateTimeOffset() > DateTimeOffset.UtcNow);

        // 补充 with words and a photo, as a multipart form.
        using var form = new MultipartFormDataContent
        {
            { new StringContent("0"), "expectedVersion" },
            { new StringContent("灯杆底部还有电线裸露"), "text" },
            { new ByteArrayContent(TestPhotos.Jpeg(320, 240)), "photos", "more.jpg" },
        };
        var supplemented = await SendTrackAsync(anonymous, number, token, "supplement", form);
        Assert.True(supplemented.StatusCode == HttpStatusCode.OK, await supplemented.Content.ReadAsStringAsync(Ct));

        // Another case's token, or none, is refused as an unknown case.
        var wrongToken = await SendTrackAsync(anonymous, number, other.GetProperty("followToken").GetString()!, "chase", JsonContent.Create(new { expectedVersion = 1 }));
        Assert.Equal(HttpStatusCode.NotFound, wrongToken.StatusCode);

        var tooSoon = await SendTrackAsync(anonymous, number, token, "chase", JsonContent.Create(new { expectedVersion = 1 }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooSoon.StatusCode);
        var refusal = await JsonAsync(tooSoon);
        Assert.Equal(CaseRules.ChaseOnlyWhenLate.Name, refusal.GetProperty("rule").GetString());
        Assert.Equal(CaseRules.ChaseOnlyWhenLate.ChineseMessage, refusal.GetProperty("detail").GetString());

        var withdrawn = await SendTrackAsync(anonymous, number, token, "withdraw", JsonContent.Create(new { expectedVersion = 1, reason = "路灯今晚已经亮了" }));
        Assert.True(withdrawn.StatusCode == HttpStatusCode.OK, await withdrawn.Content.ReadAsStringAsync(Ct));

        var after = await TrackAsync(anonymous, number, token);
        Assert.Equal("已撤回", after.GetProperty("statusText").GetString());
        Assert.False(after.GetProperty("canSupplement").GetBoolean());
        Assert.Equal(["您反映的问题已收到，案件编号 " + number + "。", "您补充了情况说明和 1 张照片。", "您已撤回反映的问题。原因：路灯今晚已经亮了"],
            after.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("text").GetString()));
        Assert.Equal(2, after.GetProperty("photoIds").GetArrayLength());

        // Staff see who did what with the reporter's words, and the grid leader was told of the withdrawal.
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        var timeline = await leader.GetFromJsonAsync<JsonElement>($"/api/cases/{number}/timeline", Ct);
        var entries = timeline.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["report", "supplement", "withdraw"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal("灯杆底部还有电线裸露", entries[1].GetProperty("note").GetString());
        Assert.Single(entries[1].GetProperty("attachmentIds").EnumerateArray());
        Assert.Equal("路灯今晚已经亮了", entries[2].GetProperty("note").GetString());
        // …in the staff log's words, not the resident's (您补充了…).
        Assert.Equal(["报告人补充情况（附照片 1 张）", "报告人撤回上报，案件终止"], entries.Skip(1).Select(e => e.GetProperty("staffText").GetString()));
        Assert.True(timeline.GetProperty("intact").GetBoolean());
        var detail = await leader.GetFromJsonAsync<JsonElement>($"/api/cases/{number}", Ct);
        Assert.Equal("withdrawn", detail.GetProperty("status").GetString());
        Assert.Empty(detail.GetProperty("allowedActions").EnumerateArray());
        var told = await app.WithDatabaseAsync(db => db.Notifications.IgnoreQueryFilters()
            .Where(n => n.CaseNumber == number && n.UserId == place.LeaderId).Select(n => n.Kind).ToListAsync(Ct));
        Assert.Contains(NotificationKinds.CaseWithdrawn, told);
        Assert.Contains(NotificationKinds.CaseSupplemented, told);
    }

    [Fact]
    public async Task SignedInReporter_CannotWithdrawAfterAcceptance_SeesTheResultAndReply_AndRatesWithAComment()
    {
        var place = await _scenario.CertainPlaceAsync();
        using var resident = await app.ClientForAsync("resident001");
        var report = await JsonAsync(await ReportAsync(resident, ReportFields(place.Lon, place.Lat, "C0101", $"井盖破损 {Guid.NewGuid():N}"),
            [TestPhotos.Jpeg(200, 150)]));
        var number = report.GetProperty("number").GetString()!;
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        var version = await ActAsync(leader, number, "accept", new { expectedVersion = 0 });

        var late = await PostAsync(resident, $"/api/cases/{number}/withdraw", new { expectedVersion = version, reason = "不需要了" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, late.StatusCode);
        var refusal = await JsonAsync(late);
        Assert.Equal(CaseRules.WithdrawOnlyBeforeAccepted.Name, refusal.GetProperty("rule").GetString());
        Assert.StartsWith("该问题已受理，不能撤回", refusal.GetProperty("detail").GetString(), StringComparison.Ordinal);

        version = await ActAsync(leader, number, "assign", new { expectedVersion = version, userId = place.LeaderId });
        version = await ActAsync(leader, number, "start-handling", new { expectedVersion = version });
        using var photo = new MultipartFormDataContent { { new ByteArrayContent(TestPhotos.Jpeg(400, 300)), "photos", "after.jpg" } };
        var uploaded = await (await leader.PostAsync(new Uri($"/api/cases/{number}/photos", UriKind.Relative), photo, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var photoId = uploaded[0].GetProperty("id").GetGuid();
        version = await ActAsync(leader, number, "record-handled", new { expectedVersion = version, note = "已更换新井盖并加固。", photoIds = new[] { photoId } });

        var progress = await resident.GetFromJsonAsync<JsonElement>($"/api/cases/{number}/progress", Ct);
        Assert.True(progress.GetProperty("mine").GetBoolean());
        Assert.True(progress.GetProperty("canVerify").GetBoolean());
        var result = progress.GetProperty("result");
        Assert.Equal("已更换新井盖并加固。", result.GetProperty("reply").GetString());
        Assert.Equal("网格长", result.GetProperty("unit").GetString());
        Assert.Equal(photoId, Assert.Single(result.GetProperty("photoIds").EnumerateArray()).GetGuid());
        var leaderName = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Id == place.LeaderId).Select(u => u.DisplayName).SingleAsync(Ct));
        Assert.DoesNotContain(leaderName, progress.GetRawText(), StringComparison.Ordinal);

        version = await ActAsync(resident, number, "verify", new { expectedVersion = version, passed = true });
        await ActAsync(resident, number, "evaluate", new { expectedVersion = version, rating = 4, comment = "修得及时，建议定期检查" });

        var staffView = await leader.GetFromJsonAsync<JsonElement>($"/api/cases/{number}", Ct);
        Assert.Equal("修得及时，建议定期检查", staffView.GetProperty("evaluationComment").GetString());
        var rated = await resident.GetFromJsonAsync<JsonElement>($"/api/cases/{number}/progress", Ct);
        Assert.Equal((4, "修得及时，建议定期检查"), (rated.GetProperty("rating").GetInt32(), rated.GetProperty("evaluationComment").GetString()));

        // Whoever handled the case sees its progress but is offered nothing of the reporter's.
        var handlerView = await leader.GetFromJsonAsync<JsonElement>($"/api/cases/{number}/progress", Ct);
        Assert.False(handlerView.GetProperty("mine").GetBoolean());
        Assert.False(handlerView.GetProperty("canEvaluate").GetBoolean());
    }

    [Fact]
    public async Task SignedInReporter_ChasesACaseOpenForFourDays_OnceIn24Hours_AndTheAssigneeHearsOfIt()
    {
        var resident = await _cases.UserAsync("resident001");
        var (micro, _) = await _cases.GridAsync(MainSubdistrict, GridLevel.Micro, skip: 3);
        var worker = TestCases.OwnerOf(micro, CaseTier.Green);
        var assignee = await _scenario.LeaderOfAsync(micro[..GridCodes.ThirdLength]);
        var subject = await _cases.AddAsync(micro, "楼道堆物", channel: CaseChannel.ResidentApp, reporterId: resident.Id,
            reportedAt: DateTimeOffset.UtcNow.AddDays(-4), walk: c =>
            {
                c.Accept(worker, c.Version, DateTimeOffset.UtcNow.AddDays(-4).AddMinutes(5));
                c.Assign(worker, c.Version, DateTimeOffset.UtcNow.AddDays(-4).AddMinutes(6), CaseAssignee.User(assignee.Id, "测试承办人"),
                    DateTimeOffset.UtcNow.AddDays(2));
            });
        using var client = await app.ClientForAsync("resident001");

        var chased = await PostAsync(client, $"/api/cases/{subject.Number}/chase", new { expectedVersion = subject.Version });
        var again = await PostAsync(client, $"/api/cases/{subject.Number}/chase", new { expectedVersion = subject.Version + 1 });
        var noVersion = await PostAsync(client, $"/api/cases/{subject.Number}/chase", new { });

        Assert.True(chased.StatusCode == HttpStatusCode.OK, await chased.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Equal(CaseRules.ChaseOncePerDay.ChineseMessage, (await JsonAsync(again)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, noVersion.StatusCode);
        var progress = await client.GetFromJsonAsync<JsonElement>($"/api/cases/{subject.Number}/progress", Ct);
        Assert.False(progress.GetProperty("canChase").GetBoolean());
        Assert.True(progress.GetProperty("chaseAvailableAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(23));
        var told = await app.WithDatabaseAsync(db => db.Notifications.IgnoreQueryFilters()
            .Where(n => n.CaseNumber == subject.Number && n.Kind == NotificationKinds.CaseChased).Select(n => new { n.UserId, n.Body }).ToListAsync(Ct));
        Assert.Contains(told, n => n.UserId == assignee.Id);
        Assert.All(told, n => Assert.Contains("反映人催办了该案件", n.Body, StringComparison.Ordinal));

        // Another resident's account does not see the case at all.
        using var neighbour = await app.ClientForAsync("resident002");
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(neighbour, $"/api/cases/{subject.Number}/chase", new { expectedVersion = subject.Version + 1 })).StatusCode);
    }

    [Fact]
    public async Task NearbyReports_ArePublic_Recent_Coarsened_Banded_Paged_AndNeverSensitive()
    {
        var (grid, origin) = await _cases.GridAsync(MainSubdistrict, GridLevel.Micro, skip: 5);
        var at = DateTimeOffset.UtcNow.AddHours(-2).AddSeconds(-Random.Shared.Next(1, 3_000));
        var near = new Point(origin.X + 0.0001, origin.Y + 0.0001);
        await _cases.AddAsync(grid, "暴露垃圾 公开", category: "E0101", reportedAt: at, location: near, description: "张三家门口的垃圾 13800001234");
        await _cases.AddAsync(grid, "独居老人需要帮扶", category: "G0201", reportedAt: at.AddMinutes(1), location: near);
        await _cases.AddAsync(grid, "很久以前的垃圾", category: "E0102", reportedAt: DateTimeOffset.UtcNow.AddDays(-45), location: near);
        using var anonymous = app.CreateClient();
        var query = string.Create(CultureInfo.InvariantCulture, $"lon={origin.X:R}&lat={origin.Y:R}&crs=wgs84&radius=300");

        var all = await anonymous.GetFromJsonAsync<JsonElement>($"/api/public/nearby?{query}&pageSize=50", Ct);
        var firstPage = await anonymous.GetFromJsonAsync<JsonElement>($"/api/public/nearby?{query}&pageSize=1", Ct);
        var bad = await anonymous.GetAsync($"/api/public/nearby?lon={origin.X}&lat={origin.Y}&crs=wgs84&radius=50000", Ct);

        var items = all.GetProperty("items").EnumerateArray().ToList();
        var ours = Assert.Single(items, i => Math.Abs((i.GetProperty("reportedAt").GetDateTimeOffset() - at).TotalMilliseconds) < 1);
        Assert.Equal(("暴露垃圾", "市容环境"), (ours.GetProperty("categoryName").GetString(), ours.GetProperty("majorName").GetString()));
        Assert.Equal(NearbyApi.Coarse(near.X), ours.GetProperty("lon").GetDouble(), 9);
        Assert.Equal(NearbyApi.Coarse(near.Y), ours.GetProperty("lat").GetDouble(), 9);
        Assert.Equal(50, ours.GetProperty("distanceMeters").GetInt32());
        Assert.DoesNotContain(items, i => i.GetProperty("categoryName").GetString() is "老人帮扶" or "邻里纠纷" or "可疑人员");
        Assert.All(items, i => Assert.True(i.GetProperty("reportedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(-31)));
        Assert.All(items, i => Assert.Contains(i.GetProperty("distanceMeters").GetInt32(), new[] { 50, 100, 200, 500 }));
        var text = all.GetRawText();
        Assert.DoesNotContain("张三", text, StringComparison.Ordinal);
        Assert.DoesNotContain("13800001234", text, StringComparison.Ordinal);
        Assert.DoesNotContain("number", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(all.GetProperty("total").GetInt32(), firstPage.GetProperty("total").GetInt32());
        Assert.Single(firstPage.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", (await JsonAsync(bad)).GetProperty("errors").GetProperty("radius")[0].GetString()!);
    }

    private static async Task<JsonElement> TrackAsync(HttpClient client, string number, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/track/{number}");
        request.Headers.Add("Follow-Token", token);
        var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    private static async Task<HttpResponseMessage> SendTrackAsync(HttpClient client, string number, string token, string verb, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/track/{number}/{verb}") { Content = content };
        request.Headers.Add("Follow-Token", token);
        var response = await client.SendAsync(request, Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }
}

public sealed class ResidentActionsTestsOnSqlite(SqliteApp app) : ResidentActionsTests(app), IClassFixture<SqliteApp>;

public sealed class ResidentActionsTestsOnPostgres(PostgresApp app) : ResidentActionsTests(app), IClassFixture<PostgresApp>;
