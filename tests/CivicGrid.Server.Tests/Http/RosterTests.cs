using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Roster;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Server.Tests.Photos;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The grid-worker roster, training and work IDs over real HTTP on each provider: assignments with history and the
/// kind/level rule, vacancies, turnover, the Excel import (bad rows store nothing), scope refusals, courses, sessions,
/// attendance, issuing, photo, revoking, the holder's own card and the anonymous check page.
/// </summary>
public abstract class RosterTests(CivicGridApp app)
{
    private const string Community = "610103099001";
    private const string OtherCommunity = "610103099002";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    /// <summary>A mobile number no demo account or other test uses (139 + 8 random digits).</summary>
    private static string Phone() => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<List<string>> GridsAsync(string within, GridLevel level) =>
        await app.WithDatabaseAsync(db => db.Grids.IgnoreQueryFilters().AsNoTracking()
            .Where(g => g.Code.StartsWith(within) && g.Level == level && g.Kind == GridKind.Territorial).OrderBy(g => g.Code).Select(g => g.Code).ToListAsync(Ct));

    private static Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK) => HttpAnswers.OkAsync(response, expected);

    private static Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string? type = null) =>
        HttpAnswers.ProblemAsync(response, expected, type);

    private static async Task<JsonElement> CreateAsync(HttpClient client, string kind, string? gridCode, string ageBand = "40-59", string? phone = null,
        string? joinedOn = null) =>
        await OkAsync(await client.PostAsJsonAsync("/api/roster/members",
            new { kind, name = "测试人员", phone = phone ?? Phone(), ageBand, gridCode, joinedOn }, Ct), HttpStatusCode.Created);

    [Fact]
    public async Task Member_AssignMoveEndAndLeave_KeepEveryAssignmentWithItsDates()
    {
        using var staff = await app.ClientForAsync("community01");
        var thirds = await GridsAsync(Community, GridLevel.Third);
        var created = await CreateAsync(staff, "full-time-worker", thirds[0], joinedOn: "2025-03-01");
        var id = created.GetProperty("id").GetString();
        Assert.Equal(Community, created.GetProperty("communityCode").GetString());
        Assert.Matches(@"^139\*{4}\d{4}$", created.GetProperty("phone").GetString()!);
        var first = created.GetProperty("assignments")[0];
        Assert.Equal("2025-03-01", first.GetProperty("startOn").GetString());

        // The kind must fit the grid's level: a full-time worker is not put on a micro-grid.
        var micro = (await GridsAsync(thirds[1], GridLevel.Micro))[0];
        var refused = await ProblemAsync(await staff.PostAsJsonAsync($"/api/roster/members/{id}/assignments", new { gridCode = micro }, Ct),
            HttpStatusCode.UnprocessableEntity, RosterRules.RuleType);
        Assert.Equal("kind-does-not-fit-level", refused.GetProperty("rule").GetString());
        Assert.Contains("三级网格", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var moved = await OkAsync(await staff.PostAsJsonAsync($"/api/roster/members/{id}/move",
            new { assignmentId = first.GetProperty("id").GetString(), gridCode = thirds[1], on = "2025-09-01" }, Ct));
        var history = moved.GetProperty("assignments").EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal((thirds[1], "2025-09-01", JsonValueKind.Null), (history[0].GetProperty("gridCode").GetString(), history[0].GetProperty("startOn").GetString(),
            history[0].GetProperty("endOn").ValueKind));
        Assert.Equal((thirds[0], "2025-09-01"), (history[1].GetProperty("gridCode").GetString(), history[1].GetProperty("endOn").GetString()));

        var second = history[0].GetProperty("id").GetString();
        var ended = await OkAsync(await staff.PostAsJsonAsync($"/api/roster/members/{id}/assignments/{second}/end", new { endOn = "2026-01-10" }, Ct));
        Assert.All(ended.GetProperty("assignments").EnumerateArray(), a => Assert.NotEqual(JsonValueKind.Null, a.GetProperty("endOn").ValueKind));
        var again = await ProblemAsync(await staff.PostAsJsonAsync($"/api/roster/members/{id}/assignments/{second}/end", new { }, Ct),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal("assignment-already-ended", again.GetProperty("rule").GetString());

        await ProblemAsync(await staff.PostAsJsonAsync($"/api/roster/members/{id}/leave", new { on = "2026-02-01" }, Ct), HttpStatusCode.BadRequest);
        var left = await OkAsync(await staff.PostAsJsonAsync($"/api/roster/members/{id}/leave", new { on = "2026-02-01", reason = "辞职" }, Ct));
        Assert.Equal("2026-02-01", left.GetProperty("leftOn").GetString());
        Assert.False(left.GetProperty("active").GetBoolean());
        var hasLeft = await ProblemAsync(await staff.PostAsJsonAsync($"/api/roster/members/{id}/assignments", new { gridCode = thirds[0] }, Ct),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal("member-has-left", hasLeft.GetProperty("rule").GetString());

        var detail = await OkAsync(await staff.GetAsync($"/api/roster/members/{id}", Ct));
        Assert.Equal(2, detail.GetProperty("assignments").GetArrayLength());
        var leavers = await OkAsync(await staff.GetAsync("/api/roster/members?status=left", Ct));
        Assert.Contains(leavers.EnumerateArray(), m => m.GetProperty("id").GetString() == id);
        var active = await OkAsync(await staff.GetAsync("/api/roster/members", Ct));
        Assert.DoesNotContain(active.EnumerateArray(), m => m.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Create_RefusesBadFields_ADuplicatePhone_AndAGridOfAnotherCommunity()
    {
        using var staff = await app.ClientForAsync("community01");
        var bad = await ProblemAsync(await staff.PostAsJsonAsync("/api/roster/members", new { kind = "boss", name = "", phone = "12", ageBand = "old" }, Ct),
            HttpStatusCode.BadRequest, "/problems/validation");
        var errors = bad.GetProperty("errors");
        Assert.All(new[] { "kind", "name", "phone", "ageBand" }, f => Assert.True(errors.TryGetProperty(f, out _), f));

        var phone = Phone();
        await CreateAsync(staff, "micro-volunteer", null, phone: phone);
        await ProblemAsync(await staff.PostAsJsonAsync("/api/roster/members", new { kind = "micro-volunteer", name = "重复", phone, ageBand = "60-69" }, Ct),
            HttpStatusCode.Conflict);

        var elsewhere = (await GridsAsync(OtherCommunity, GridLevel.Third))[0];
        var outside = await ProblemAsync(await staff.PostAsJsonAsync("/api/roster/members",
            new { kind = "grid-leader", name = "越界", phone = Phone(), ageBand = "40-59", gridCode = elsewhere }, Ct), HttpStatusCode.BadRequest);
        Assert.True(outside.GetProperty("errors").TryGetProperty("gridCode", out _));

        var created = await CreateAsync(staff, "grid-leader", null);
        await ProblemAsync(await staff.PostAsJsonAsync($"/api/roster/members/{created.GetProperty("id").GetString()}/assignments", new { gridCode = elsewhere }, Ct),
            HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Scope_CommunityStaffKeep_OperatorsAndLeadersRead_OthersAreRefused()
    {
        using var staff = await app.ClientForAsync("community01");
        var created = await CreateAsync(staff, "micro-volunteer", null, "70-plus");
        var id = created.GetProperty("id").GetString();
        Assert.True(created.GetProperty("elderFriendly").GetBoolean());

        using var ops = await app.ClientForAsync("ops");
        var all = await OkAsync(await ops.GetAsync("/api/roster/members", Ct));
        Assert.All(all.EnumerateArray(), m => Assert.StartsWith("610103099", m.GetProperty("communityCode").GetString(), StringComparison.Ordinal));
        Assert.Contains(all.EnumerateArray(), m => m.GetProperty("id").GetString() == id);
        var opsCreate = await ProblemAsync(await ops.PostAsJsonAsync("/api/roster/members", new { kind = "micro-volunteer", name = "x", phone = Phone(), ageBand = "60-69" }, Ct),
            HttpStatusCode.Forbidden);
        Assert.Equal("/problems/forbidden", opsCreate.GetProperty("type").GetString());

        using var east = await app.ClientForAsync("ops-east");
        Assert.DoesNotContain((await OkAsync(await east.GetAsync("/api/roster/members", Ct))).EnumerateArray(),
            m => m.GetProperty("communityCode").GetString()!.StartsWith("610103099", StringComparison.Ordinal));
        await ProblemAsync(await east.GetAsync($"/api/roster/members/{id}", Ct), HttpStatusCode.NotFound);

        using var neighbour = await app.ClientForAsync("community02");
        await ProblemAsync(await neighbour.GetAsync($"/api/roster/members/{id}", Ct), HttpStatusCode.NotFound);
        await ProblemAsync(await neighbour.PostAsJsonAsync($"/api/roster/members/{id}/leave", new { reason = "x" }, Ct), HttpStatusCode.NotFound);

        // A grid leader reads the people of their grid only.
        var leaderGrid = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.UserName == "leader01").Select(u => u.ScopeCode).SingleAsync(Ct));
        using var leader = await app.ClientForAsync("leader01");
        var mine = await OkAsync(await leader.GetAsync("/api/roster/members", Ct));
        Assert.NotEmpty(mine.EnumerateArray());
        Assert.All(mine.EnumerateArray(), m => Assert.Contains(m.GetProperty("assignments").EnumerateArray(),
            a => a.GetProperty("gridCode").GetString()!.StartsWith(leaderGrid, StringComparison.Ordinal)));
        await ProblemAsync(await leader.GetAsync($"/api/roster/members/{id}", Ct), HttpStatusCode.NotFound);
        await ProblemAsync(await leader.PostAsJsonAsync("/api/roster/members", new { }, Ct), HttpStatusCode.Forbidden);

        foreach (var user in new[] { "admin", "secadmin", "auditor", "resident001", "micro01", "police01" })
        {
            using var other = await app.ClientForAsync(user);
            await ProblemAsync(await other.GetAsync("/api/roster/members", Ct), HttpStatusCode.Forbidden);
            await ProblemAsync(await other.GetAsync("/api/work-ids", Ct), HttpStatusCode.Forbidden);
            await ProblemAsync(await other.GetAsync("/api/training/courses", Ct), HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task Vacancies_ListUnstaffedGridsOfTheScope_AndAVolunteerFillsOne()
    {
        using var staff = await app.ClientForAsync("community01");
        var vacancies = (await OkAsync(await staff.GetAsync("/api/roster/vacancies", Ct))).EnumerateArray().ToList();
        Assert.NotEmpty(vacancies);
        Assert.All(vacancies, v => Assert.StartsWith(Community, v.GetProperty("gridCode").GetString(), StringComparison.Ordinal));
        Assert.All(vacancies, v => Assert.NotEmpty(v.GetProperty("gridName").GetString()!));
        var micro = vacancies.First(v => v.GetProperty("level").GetString() == "micro");
        Assert.Equal(["micro-volunteer"], micro.GetProperty("missing").EnumerateArray().Select(k => k.GetString()));

        await CreateAsync(staff, "micro-volunteer", micro.GetProperty("gridCode").GetString(), "60-69");

        var after = await OkAsync(await staff.GetAsync("/api/roster/vacancies", Ct));
        Assert.DoesNotContain(after.EnumerateArray(), v => v.GetProperty("gridCode").GetString() == micro.GetProperty("gridCode").GetString());
        using var ops = await app.ClientForAsync("ops");
        var subdistrict = await OkAsync(await ops.GetAsync("/api/roster/vacancies", Ct));
        Assert.True(subdistrict.GetArrayLength() > after.GetArrayLength());
    }

    [Fact]
    public async Task Turnover_PerCommunityAndQuarter_AddsUp_AndCountsALeaving()
    {
        using var ops = await app.ClientForAsync("ops");
        var rows = (await OkAsync(await ops.GetAsync("/api/roster/turnover?quarters=8", Ct))).EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.StartsWith("610103099", r.GetProperty("communityCode").GetString(), StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Equal(r.GetProperty("atStart").GetInt32() + r.GetProperty("joined").GetInt32() - r.GetProperty("left").GetInt32(),
            r.GetProperty("atEnd").GetInt32()));
        Assert.Contains(rows, r => r.GetProperty("left").GetInt32() > 0);
        Assert.Equal(8, rows.Select(r => r.GetProperty("quarter").GetString()).Distinct().Count());
        await ProblemAsync(await ops.GetAsync("/api/roster/turnover?quarters=0", Ct), HttpStatusCode.BadRequest);

        using var staff = await app.ClientForAsync("community01");
        var before = await CurrentQuarterAsync(staff);
        var thirds = await GridsAsync(Community, GridLevel.Third);
        var member = await CreateAsync(staff, "sunk-staff", thirds[2], joinedOn: "2024-01-02");
        await OkAsync(await staff.PostAsJsonAsync($"/api/roster/members/{member.GetProperty("id").GetString()}/leave", new { reason = "调回原单位" }, Ct));
        var after = await CurrentQuarterAsync(staff);
        Assert.Equal(before.GetProperty("left").GetInt32() + 1, after.GetProperty("left").GetInt32());
        Assert.Equal(before.GetProperty("atStart").GetInt32() + 1, after.GetProperty("atStart").GetInt32());
        var expected = Math.Round(after.GetProperty("left").GetInt32() / ((after.GetProperty("atStart").GetInt32() + after.GetProperty("atEnd").GetInt32()) / 2.0), 4);
        Assert.Equal(expected, after.GetProperty("rate").GetDouble());
    }

    private static async Task<JsonElement> CurrentQuarterAsync(HttpClient client) =>
        (await OkAsync(await client.GetAsync("/api/roster/turnover?quarters=1", Ct))).EnumerateArray().Single(r => r.GetProperty("communityCode").GetString() == Community);

    [Fact]
    public async Task Import_WithBadRows_AnswersEveryRowsErrors_AndStoresNothing_UnlessAskedForTheGoodRows()
    {
        using var staff = await app.ClientForAsync("community01");
        var micros = await GridsAsync(Community, GridLevel.Micro);
        var gridName = await app.WithDatabaseAsync(db => db.Grids.IgnoreQueryFilters().Where(g => g.Code == micros[5]).Select(g => g.Name).SingleAsync(Ct));
        var goodPhone = Phone();
        var file = Excel(
        [
            ["王秀英", "微网格员", goodPhone, "60-69岁", "", gridName, "2026-03-01"],
            ["李强", "队长", Phone(), "72", "", "", ""],
            ["", "专职网格员", "123", "40-59岁", "", "不存在的网格", "昨天"],
        ]);
        var count = await MembersAsync();

        var refused = await ProblemAsync(await ImportAsync(staff, file, partial: false), HttpStatusCode.UnprocessableEntity, RosterImport.RowsType);
        var report = refused.GetProperty("report");
        Assert.False(report.GetProperty("stored").GetBoolean());
        Assert.Equal(2, report.GetProperty("failed").GetInt32());
        var errors = report.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString())).ToList();
        Assert.Contains((3, "人员类别"), errors);
        Assert.Contains((4, "姓名"), errors);
        Assert.Contains((4, "手机号码"), errors);
        Assert.Contains((4, "网格"), errors);
        Assert.Contains((4, "到岗日期"), errors);
        Assert.DoesNotContain(errors, e => e.Item1 == 2);
        Assert.Equal(count, await MembersAsync());

        var partial = await OkAsync(await ImportAsync(staff, file, partial: true));
        Assert.Equal((1, 0, 2, true), (partial.GetProperty("created").GetInt32(), partial.GetProperty("updated").GetInt32(), partial.GetProperty("failed").GetInt32(),
            partial.GetProperty("stored").GetBoolean()));
        Assert.Equal(count + 1, await MembersAsync());
        var imports = await EventsAsync(SecurityEventKind.Imported, "roster-import");
        Assert.Contains(imports, e => e.ActorName == "community01" && e.Detail.Contains("新建 1", StringComparison.Ordinal) && e.ScopeCode == Community);

        // The same person again, now 70: updated, not a second record.
        var again = await OkAsync(await ImportAsync(staff, Excel([["王秀英", "微网格员", goodPhone, "70岁及以上", "", gridName, "2026-03-01"]]), partial: false));
        Assert.Equal((0, 1), (again.GetProperty("created").GetInt32(), again.GetProperty("updated").GetInt32()));
        Assert.Equal(count + 1, await MembersAsync());

        await ProblemAsync(await ImportAsync(staff, "not a workbook"u8.ToArray(), partial: false, fileName: "x.xlsx"), HttpStatusCode.BadRequest, RosterImport.FileType);
        using var ops = await app.ClientForAsync("ops");
        await ProblemAsync(await ImportAsync(ops, file, partial: true), HttpStatusCode.Forbidden);

        var template = await staff.GetAsync("/api/roster/import-template.xlsx", Ct);
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        using var stream = new MemoryStream(await template.Content.ReadAsByteArrayAsync(Ct));
        var header = ((IDictionary<string, object?>)stream.Query(useHeaderRow: true, excelType: ExcelType.XLSX).First()).Keys.ToList();
        Assert.Equal(Header, header);
    }

    private static readonly string[] Header = ["姓名", "人员类别", "手机号码", "年龄段", "所属社区", "网格", "到岗日期", "登录账号"];

    private Task<List<SecurityEvent>> EventsAsync(SecurityEventKind kind, string subjectKind) =>
        app.WithDatabaseAsync(db => db.Set<SecurityEvent>().AsNoTracking().Where(e => e.Kind == kind && e.SubjectKind == subjectKind).ToListAsync(Ct));

    private Task<int> MembersAsync() => app.WithDatabaseAsync(db => db.RosterMembers.IgnoreQueryFilters().CountAsync(Ct));

    private static byte[] Excel(List<string[]> rows)
    {
        var sheet = rows.Select(r => Header.Select((h, i) => (h, i < r.Length ? r[i] : string.Empty)).ToDictionary(c => c.h, c => (object)c.Item2)).ToList();
        using var stream = new MemoryStream();
        stream.SaveAs(sheet, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient client, byte[] file, bool partial, string fileName = "名单.xlsx")
    {
        using var content = new MultipartFormDataContent();
        content.Add(new ByteArrayContent(file), "file", fileName);
        var response = await client.PostAsync(new Uri($"/api/roster/imports?partial={(partial ? "true" : "false")}", UriKind.Relative), content, Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }

    [Fact]
    public async Task Training_ThenWorkId_IssuedOnlyAfterPassing_PrintedWithAQr_CheckedPublicly_AndRevoked()
    {
        using var ops = await app.ClientForAsync("ops");
        using var staff = await app.ClientForAsync("community01");
        var course = await OkAsync(await ops.PostAsJsonAsync("/api/training/courses",
            new { kind = "safety", title = "夜间巡查安全培训" + Guid.NewGuid().ToString("N")[..4], hours = 3, passMark = 80, requiredForWorkId = true }, Ct), HttpStatusCode.Created);
        var courseId = course.GetProperty("id").GetString();
        Assert.Equal("示范街道", course.GetProperty("scopeName").GetString()![..4]);
        await ProblemAsync(await ops.PostAsJsonAsync("/api/training/courses", new { kind = "fun", title = "", hours = 0, passMark = 101 }, Ct), HttpStatusCode.BadRequest);
        await ProblemAsync(await staff.PutAsJsonAsync($"/api/training/courses/{courseId}/required", new { required = false }, Ct), HttpStatusCode.Forbidden);

        var session = await OkAsync(await ops.PostAsJsonAsync("/api/training/sessions",
            new { courseId, heldOn = "2026-05-20", place = "街道党群服务中心", trainer = "消防救援站 王教练" }, Ct), HttpStatusCode.Created);
        var sessionId = session.GetProperty("id").GetString();
        var thirds = await GridsAsync(Community, GridLevel.Third);
        var member = await CreateAsync(staff, "full-time-worker", thirds[3]);
        var memberId = member.GetProperty("id").GetString();

        // Not yet passed: the demo's required courses and this one are missing.
        var notYet = await ProblemAsync(await staff.PostAsJsonAsync("/api/work-ids", new { memberId }, Ct), HttpStatusCode.UnprocessableEntity, "/problems/training-not-passed");
        Assert.Contains(course.GetProperty("title").GetString()!, notYet.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // A neighbour community cannot mark someone else's member; a score without attendance is refused.
        using var neighbour = await app.ClientForAsync("community02");
        await ProblemAsync(await neighbour.PutAsJsonAsync($"/api/training/sessions/{sessionId}/attendance", new { entries = new[] { new { memberId, attended = true, score = 90 } } }, Ct),
            HttpStatusCode.NotFound);
        await ProblemAsync(await staff.PutAsJsonAsync($"/api/training/sessions/{sessionId}/attendance", new { entries = new[] { new { memberId, attended = false, score = 90 } } }, Ct),
            HttpStatusCode.BadRequest);

        var courses = (await OkAsync(await staff.GetAsync("/api/training/courses", Ct))).EnumerateArray().Where(c => c.GetProperty("requiredForWorkId").GetBoolean()).ToList();
        var sessions = (await OkAsync(await staff.GetAsync("/api/training/sessions", Ct))).EnumerateArray().ToList();
        foreach (var required in courses)
        {
            var id = sessions.First(s => s.GetProperty("courseId").GetString() == required.GetProperty("id").GetString()).GetProperty("id").GetString();
            var score = required.GetProperty("id").GetString() == courseId ? 79 : 95;
            var recorded = await OkAsync(await staff.PutAsJsonAsync($"/api/training/sessions/{id}/attendance", new { entries = new[] { new { memberId, attended = true, score } } }, Ct));
            Assert.Contains(recorded.GetProperty("attendance").EnumerateArray(), a => a.GetProperty("memberId").GetString() == memberId
                && a.GetProperty("passed").GetBoolean() == (score >= required.GetProperty("passMark").GetInt32()));
        }

        var eligibility = (await OkAsync(await staff.GetAsync("/api/training/eligibility", Ct))).EnumerateArray().Single(e => e.GetProperty("memberId").GetString() == memberId);
        Assert.False(eligibility.GetProperty("eligible").GetBoolean());
        Assert.Equal([course.GetProperty("title").GetString()], eligibility.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        await OkAsync(await staff.PutAsJsonAsync($"/api/training/sessions/{sessionId}/attendance", new { entries = new[] { new { memberId, attended = true, score = 80 } } }, Ct));

        var card = await OkAsync(await staff.PostAsJsonAsync("/api/work-ids", new { memberId, validFrom = "2026-01-01", validUntil = "2030-12-31" }, Ct), HttpStatusCode.Created);
        var workId = card.GetProperty("id").GetString();
        Assert.Matches(@"^610103099\d{4}\d{4}$", card.GetProperty("number").GetString()!);
        Assert.Equal("valid", card.GetProperty("status").GetString());
        Assert.StartsWith("data:image/svg+xml;base64,", card.GetProperty("qrCode").GetString(), StringComparison.Ordinal);
        var verifyUrl = card.GetProperty("verifyUrl").GetString()!;
        var token = verifyUrl[(verifyUrl.LastIndexOf('/') + 1)..];
        Assert.DoesNotContain(card.GetProperty("number").GetString()!, verifyUrl, StringComparison.Ordinal);
        await ProblemAsync(await staff.PostAsJsonAsync("/api/work-ids", new { memberId }, Ct), HttpStatusCode.Conflict);

        // The photo is stored without its metadata and served as JPEG.
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent(TestPhotos.WithExif(TestPhotos.Jpeg(300, 400), 1, (34, 15, 0), (108, 57, 36))), "photo", "me.jpg");
            var withPhoto = await OkAsync(await staff.PostAsync(new Uri($"/api/work-ids/{workId}/photo", UriKind.Relative), form, Ct));
            Assert.True(withPhoto.GetProperty("hasPhoto").GetBoolean());
        }

        var photo = await staff.GetAsync($"/api/work-ids/{workId}/photo", Ct);
        Assert.Equal("image/jpeg", photo.Content.Headers.ContentType?.MediaType);
        var served = await photo.Content.ReadAsByteArrayAsync(Ct);
        Assert.Null(MetadataExtractor.ImageMetadataReader.ReadMetadata(new MemoryStream(served)).OfType<MetadataExtractor.Formats.Exif.GpsDirectory>().FirstOrDefault());

        // The public page: anonymous, only the masked name, the grid and the status.
        using var anonymous = app.CreateClient();
        var check = await OkAsync(await anonymous.GetAsync($"/api/public/work-ids/{token}", Ct));
        Assert.Equal(["maskedName", "gridName", "status"], check.EnumerateObject().Select(p => p.Name));
        Assert.Equal("测**员", check.GetProperty("maskedName").GetString());
        Assert.Equal("valid", check.GetProperty("status").GetString());
        Assert.DoesNotContain(member.GetProperty("phone").GetString()![^4..], check.GetRawText(), StringComparison.Ordinal);
        await ProblemAsync(await anonymous.GetAsync("/api/public/work-ids/not-a-real-token-000000", Ct), HttpStatusCode.NotFound);
        await ProblemAsync(await anonymous.GetAsync($"/api/public/work-ids/{card.GetProperty("number").GetString()}", Ct), HttpStatusCode.NotFound);
        await ProblemAsync(await anonymous.GetAsync($"/api/work-ids/{workId}", Ct), HttpStatusCode.Unauthorized);

        await ProblemAsync(await staff.PostAsJsonAsync($"/api/work-ids/{workId}/revoke", new { reason = "" }, Ct), HttpStatusCode.BadRequest);
        var revoked = await OkAsync(await staff.PostAsJsonAsync($"/api/work-ids/{workId}/revoke", new { reason = "证件遗失" }, Ct));
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());
        await ProblemAsync(await staff.PostAsJsonAsync($"/api/work-ids/{workId}/revoke", new { reason = "again" }, Ct), HttpStatusCode.Conflict);
        Assert.Equal("revoked", (await OkAsync(await anonymous.GetAsync($"/api/public/work-ids/{token}", Ct))).GetProperty("status").GetString());
        var list = await OkAsync(await staff.GetAsync("/api/work-ids?status=revoked", Ct));
        Assert.Contains(list.EnumerateArray(), w => w.GetProperty("id").GetString() == workId);

        // A reissued ID is revoked when its holder leaves.
        var reissued = await OkAsync(await staff.PostAsJsonAsync("/api/work-ids", new { memberId }, Ct), HttpStatusCode.Created);
        await OkAsync(await staff.PostAsJsonAsync($"/api/roster/members/{memberId}/leave", new { reason = "搬离本社区" }, Ct));
        var afterLeaving = await OkAsync(await staff.GetAsync($"/api/work-ids/{reissued.GetProperty("id").GetString()}", Ct));
        Assert.Equal("revoked", afterLeaving.GetProperty("status").GetString());
        Assert.Contains("搬离本社区", afterLeaving.GetProperty("revokedReason").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await staff.PostAsJsonAsync("/api/work-ids", new { memberId }, Ct), HttpStatusCode.Conflict);

        // Issuing and both revocations are in the security audit trail, under the work ID's number.
        var number = card.GetProperty("number").GetString();
        Assert.Contains(await EventsAsync(SecurityEventKind.WorkIdIssued, "work-id"), e => e.SubjectName == number && e.ActorName == "community01");
        var revocations = (await EventsAsync(SecurityEventKind.WorkIdRevoked, "work-id")).Where(e => e.SubjectId == workId || e.SubjectId == reissued.GetProperty("id").GetString()).ToList();
        Assert.Equal(2, revocations.Count);
        Assert.Contains(revocations, e => e.Detail.Contains("搬离本社区", StringComparison.Ordinal));
        Assert.DoesNotContain("测试人员", string.Concat(revocations.Select(e => e.Detail)), StringComparison.Ordinal);

        // Another community's staff do not see the ID.
        await ProblemAsync(await neighbour.GetAsync($"/api/work-ids/{workId}", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DemoWorkIds_SomeExpired_ExpiringOnesListed_AndTheVolunteerSeesTheirOwnCard()
    {
        using var ops = await app.ClientForAsync("ops");
        var expired = await OkAsync(await ops.GetAsync("/api/work-ids?status=expired", Ct));
        Assert.NotEmpty(expired.EnumerateArray());
        Assert.All(expired.EnumerateArray(), w => Assert.Equal("expired", w.GetProperty("status").GetString()));
        var expiring = await OkAsync(await ops.GetAsync("/api/work-ids?status=expiring", Ct));
        Assert.All(expiring.EnumerateArray(), w => Assert.True(w.GetProperty("expiringSoon").GetBoolean()));
        await ProblemAsync(await ops.GetAsync("/api/work-ids?status=lost", Ct), HttpStatusCode.BadRequest);

        using var volunteer = await app.ClientForAsync("micro01");
        var mine = await OkAsync(await volunteer.GetAsync("/api/work-ids/mine", Ct));
        Assert.True(mine.GetProperty("elderFriendly").GetBoolean());
        Assert.Equal("micro-volunteer", mine.GetProperty("kind").GetString());
        Assert.Equal("valid", mine.GetProperty("workId").GetProperty("status").GetString());
        Assert.Contains("微网格", mine.GetProperty("gridName").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await volunteer.GetAsync("/api/work-ids/mine/photo", Ct), HttpStatusCode.NotFound);

        using var resident = await app.ClientForAsync("resident001");
        await ProblemAsync(await resident.GetAsync("/api/work-ids/mine", Ct), HttpStatusCode.NotFound);
    }
}

public sealed class RosterTestsOnSqlite(SqliteApp app) : RosterTests(app), IClassFixture<SqliteApp>;

public sealed class RosterTestsOnPostgres(PostgresApp app) : RosterTests(app), IClassFixture<PostgresApp>;
