using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Duty;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The operations centre's duty on each provider, in the neighbouring subdistrict (its roster is the tests' own) on a clock the
/// tests set, each test at a moment of its own so that their shifts never meet: overlaps refused, handovers signed by the
/// outgoing officer only, a red case, an urgent alarm (at night, on a holiday) or an overdue urgent case alerting the officer on duty, escalation to
/// the leader on call when nobody acknowledges (once, whatever runs the job), and who sees what.
/// </summary>
public abstract class DutyTests(CivicGridApp app) : IAsyncDisposable
{
    private const string East = "610103098";
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private readonly TestClock _clock = new();
    private WebApplicationFactory<Program>? _server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The server on the class's database with the test's clock.</summary>
    private WebApplicationFactory<Program> Server => _server ??= app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(_clock)));

    [Fact]
    public async Task AShiftOverlappingAnotherOfThePost_IsRefusedInChinese_AndARotationIsAllOrNothing()
    {
        var t = At(2027, 3, 1, 8, 30);
        SetClock(t);
        var (opsEast, staff) = await PeopleAsync();
        using var ops = await ClientAsync("ops-east");
        var post = await PostAsync(ops, DutyPostKind.Officer);

        var first = await SendAsync(ops, HttpMethod.Post, "/api/duty/shifts", new { postId = post, userId = opsEast, startsAt = t, endsAt = t.AddHours(9) });
        Assert.Equal(HttpStatusCode.Created, first.Status);
        var overlapping = await SendAsync(ops, HttpMethod.Post, "/api/duty/shifts", new { postId = post, userId = staff, startsAt = t.AddHours(4), endsAt = t.AddHours(12) });
        Assert.Equal(HttpStatusCode.Conflict, overlapping.Status);
        Assert.Equal(DutyApi.OverlapType, overlapping.Body.GetProperty("type").GetString());
        Assert.Contains("重叠", overlapping.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var day = DateOnly.FromDateTime(t.ToOffset(Beijing).DateTime);
        var clashing = await SendAsync(ops, HttpMethod.Post, "/api/duty/shifts/generate",
            new { postId = post, from = day, to = day.AddDays(2), people = new[] { opsEast, staff }, pattern = "day-night" });
        Assert.Equal(HttpStatusCode.Conflict, clashing.Status);
        Assert.Equal(1, await app.WithDatabaseAsync(db => db.DutyShifts.IgnoreQueryFilters().CountAsync(s => s.PostId == post, Ct)));

        // Touching the first shift's end is no overlap; the rotation fills the following days all at once.
        var planned = await SendAsync(ops, HttpMethod.Post, "/api/duty/shifts/generate",
            new { postId = post, from = day.AddDays(1), to = day.AddDays(3), people = new[] { opsEast, staff }, pattern = "day-night" });
        Assert.Equal(HttpStatusCode.Created, planned.Status);
        Assert.Equal(6, planned.Body.GetArrayLength());
        var evening = await SendAsync(ops, HttpMethod.Post, "/api/duty/shifts", new { postId = post, userId = staff, startsAt = t.AddHours(9), endsAt = t.AddHours(24) });
        Assert.Equal(HttpStatusCode.Created, evening.Status);

        // Moving a shift into another is refused too; a cancelled shift frees its time.
        var id = first.Body.GetProperty("id").GetGuid();
        var moved = await SendAsync(ops, HttpMethod.Put, $"/api/duty/shifts/{id}", new { startsAt = t.AddHours(2), endsAt = t.AddHours(11) });
        Assert.Equal(HttpStatusCode.Conflict, moved.Status);
        var cancelled = await SendAsync(ops, HttpMethod.Post, $"/api/duty/shifts/{id}/cancel", new { reason = "人员调休" });
        Assert.Equal(HttpStatusCode.OK, cancelled.Status);
        var again = await SendAsync(ops, HttpMethod.Post, "/api/duty/shifts", new { postId = post, userId = staff, startsAt = t.AddHours(4), endsAt = t.AddHours(9) });
        Assert.Equal(HttpStatusCode.Created, again.Status);
        Assert.Contains(await app.WithDatabaseAsync(db => db.DutyLog.IgnoreQueryFilters().Where(e => e.SubjectId == id).Select(e => e.Action).ToListAsync(Ct)),
            a => a == "shift-cancelled");

        // Only the subdistrict's own operations centre plans: community staff are refused, another subdistrict's post is not offered.
        using var community = await ClientAsync(await UserNameAsync(staff));
        var byCommunity = await SendAsync(community, HttpMethod.Post, "/api/duty/shifts", new { postId = post, userId = staff, startsAt = t.AddDays(20), endsAt = t.AddDays(20).AddHours(9) });
        Assert.Equal(HttpStatusCode.Forbidden, byCommunity.Status);
        using var mainOps = await ClientAsync("ops");
        var byNeighbour = await SendAsync(mainOps, HttpMethod.Post, "/api/duty/shifts", new { postId = post, userId = staff, startsAt = t.AddDays(20), endsAt = t.AddDays(20).AddHours(9) });
        Assert.Equal(HttpStatusCode.BadRequest, byNeighbour.Status);
    }

    [Fact]
    public async Task AHandover_WithoutTheOutgoingOfficer_IsRefused_AndTheIncomingOfficerAccepts()
    {
        var dayStart = At(2027, 3, 10, 8, 30);
        SetClock(dayStart.AddHours(8).AddMinutes(55));
        var (opsEast, staff) = await PeopleAsync();
        using var ops = await ClientAsync("ops-east");
        using var incoming = await ClientAsync(await UserNameAsync(staff));
        var post = await PostAsync(ops, DutyPostKind.Officer);
        var day = await SendAsync(ops, HttpMethod.Post, "/api/duty/shifts", new { postId = post, userId = opsEast, startsAt = dayStart, endsAt = dayStart.AddHours(9) });
        await SendAsync(ops, HttpMethod.Post, "/api/duty/shifts", new { postId = post, userId = staff, startsAt = dayStart.AddHours(9), endsAt = dayStart.AddHours(24) });
        var shift = day.Body.GetProperty("id").GetGuid();

        var unsigned = await SendAsync(ops, HttpMethod.Post, "/api/duty/handovers", new { shiftId = shift, notes = "平稳" });
        Assert.Equal(HttpStatusCode.BadRequest, unsigned.Status);
        Assert.Contains("交班人", unsigned.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var forSomeoneElse = await SendAsync(ops, HttpMethod.Post, "/api/duty/handovers", new { shiftId = shift, outgoingUserId = staff, notes = "平稳" });
        Assert.Equal(HttpStatusCode.Forbidden, forSomeoneElse.Status);

        var draft = await SendAsync(ops, HttpMethod.Get, "/api/duty/handovers/draft");
        Assert.Equal(shift, draft.Body.GetProperty("shift").GetProperty("id").GetGuid());
        var signed = await SendAsync(ops, HttpMethod.Post, "/api/duty/handovers",
            new { shiftId = shift, outgoingUserId = opsEast, notes = "东片区积水点请关注", items = new[] { new { kind = "note", reference = "", title = "水位计读数偏高" } } });
        Assert.Equal(HttpStatusCode.Created, signed.Status);
        Assert.Equal(staff, signed.Body.GetProperty("incomingUserId").GetGuid());
        Assert.Equal(JsonValueKind.Null, signed.Body.GetProperty("incomingAcceptedAt").ValueKind);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(ops, HttpMethod.Post, "/api/duty/handovers", new { shiftId = shift, outgoingUserId = opsEast })).Status);

        var id = signed.Body.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(ops, HttpMethod.Post, $"/api/duty/handovers/{id}/accept")).Status);
        var accepted = await SendAsync(incoming, HttpMethod.Post, $"/api/duty/handovers/{id}/accept");
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.NotEqual(JsonValueKind.Null, accepted.Body.GetProperty("incomingAcceptedAt").ValueKind);

        var log = await SendAsync(incoming, HttpMethod.Get, "/api/duty/handovers");
        Assert.Contains(log.Body.EnumerateArray(), h => h.GetProperty("id").GetGuid() == id && h.GetProperty("notes").GetString() == "东片区积水点请关注");
        using var mainOps = await ClientAsync("ops");
        Assert.DoesNotContain((await SendAsync(mainOps, HttpMethod.Get, "/api/duty/handovers")).Body.EnumerateArray(), h => h.GetProperty("id").GetGuid() == id);
    }

    [Fact]
    public async Task ARedCase_AlertsTheOfficerOnDuty_AndUnacknowledgedItEscalatesToTheLeaderOnce()
    {
        var t = At(2027, 3, 20, 10, 0);
        SetClock(t);
        var (opsEast, staff) = await PeopleAsync();
        using var ops = await ClientAsync("ops-east");
        await StaffAsync(ops, opsEast, staff, t);

        var red = await ReportAsync(CaseTier.Red, CaseChannel.GridPatrol, "E0101", t);
        var alert = await AlertOfAsync(red.Number);
        Assert.Equal((DutyAlertKind.RedCase, DutyAlertState.Open, DutyAlertAudience.Officer, opsEast), (alert.Kind, alert.State, alert.Audience, alert.RecipientUserId));
        Assert.Equal(1, await NotificationsAsync(opsEast, red.Number));
        var now = await SendAsync(ops, HttpMethod.Get, "/api/duty/now");
        Assert.Equal(opsEast, now.Body.GetProperty("officers")[0].GetProperty("userId").GetGuid());
        Assert.Equal(staff, now.Body.GetProperty("leader").GetProperty("userId").GetGuid());
        // The phone is masked (the big screen shows it to a room), the same mask as every list of people.
        var phone = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Id == opsEast).Select(u => u.PhoneNumber).SingleAsync(Ct));
        Assert.NotNull(phone);
        Assert.Equal(Masking.Phone(phone), now.Body.GetProperty("officers")[0].GetProperty("phone").GetString());
        Assert.DoesNotContain(phone, now.Body.GetRawText(), StringComparison.Ordinal);
        Assert.True(now.Body.GetProperty("myPendingAlerts").GetInt32() >= 1);

        await RunJobAsync(t.AddMinutes(5));
        Assert.Equal(DutyAlertState.Open, (await AlertOfAsync(red.Number)).State);
        await Task.WhenAll(Task.Run(() => RunJobAsync(t.AddMinutes(11)), Ct), Task.Run(() => RunJobAsync(t.AddMinutes(11)), Ct));
        await RunJobAsync(t.AddMinutes(12));
        alert = await AlertOfAsync(red.Number);
        Assert.Equal((DutyAlertState.Escalated, DutyAlertAudience.Leader, staff), (alert.State, alert.EscalatedTo!.Value, alert.EscalatedToUserId));
        Assert.Equal(1, await app.WithDatabaseAsync(db => db.DutyLog.IgnoreQueryFilters().CountAsync(e => e.SubjectId == alert.Id && e.Action == "alert-escalated", Ct)));
        Assert.Equal(1, await NotificationsAsync(staff, red.Number));

        SetClock(t.AddMinutes(13));
        using var leader = await ClientAsync(await UserNameAsync(staff));
        var acknowledged = await SendAsync(leader, HttpMethod.Post, $"/api/duty/alerts/{alert.Id}/acknowledge");
        Assert.Equal(HttpStatusCode.OK, acknowledged.Status);
        Assert.Equal("acknowledged", acknowledged.Body.GetProperty("state").GetString());
    }

    [Fact]
    public async Task AcknowledgingAnAlertInTime_StopsItsEscalation()
    {
        var t = At(2027, 3, 25, 15, 0);
        SetClock(t);
        var (opsEast, staff) = await PeopleAsync();
        using var ops = await ClientAsync("ops-east");
        await StaffAsync(ops, opsEast, staff, t);
        var operatorActor = Actor.Of(await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().SingleAsync(u => u.Id == opsEast, Ct)));

        // A blue case turning red alerts as a new red one does.
        var blue = await ReportAsync(CaseTier.Blue, CaseChannel.GridPatrol, "E0101", t.AddHours(-1));
        Assert.Null(await app.WithDatabaseAsync(db => db.DutyAlerts.IgnoreQueryFilters().SingleOrDefaultAsync(a => a.CaseNumber == blue.Number, Ct)));
        await ChangeAsync(blue.Number, c => c.Escalate(operatorActor, c.Version, t, "需区级协调", automatic: false));
        var alert = await AlertOfAsync(blue.Number);
        Assert.Equal(opsEast, alert.RecipientUserId);

        SetClock(t.AddMinutes(3));
        using var officer = await ClientAsync("ops-east");
        var listed = await SendAsync(officer, HttpMethod.Get, "/api/duty/alerts?mine=true");
        Assert.Contains(listed.Body.EnumerateArray(), a => a.GetProperty("id").GetGuid() == alert.Id && a.GetProperty("mayAcknowledge").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(officer, HttpMethod.Post, $"/api/duty/alerts/{alert.Id}/acknowledge")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(officer, HttpMethod.Post, $"/api/duty/alerts/{alert.Id}/acknowledge")).Status);

        await RunJobAsync(t.AddMinutes(30));
        alert = await AlertOfAsync(blue.Number);
        Assert.Equal((DutyAlertState.Acknowledged, opsEast), (alert.State, alert.AcknowledgedBy!.Value));
        Assert.Null(alert.EscalatedAt);
        Assert.Equal(0, await NotificationsAsync(staff, blue.Number));
    }

    [Fact]
    public async Task ANightTimeUrgentAlarmOnAHoliday_ReachesTheOfficerOnDuty()
    {
        // 2 a.m. on 2 October, the National Day holiday: the night shift from 17:30 on 1 October is on duty.
        var t = At(2026, 10, 2, 2, 0);
        SetClock(t);
        var (opsEast, staff) = await PeopleAsync();
        using var ops = await ClientAsync("ops-east");
        var post = await PostAsync(ops, DutyPostKind.Officer);
        var rotation = await SendAsync(ops, HttpMethod.Post, "/api/duty/shifts/generate",
            new { postId = post, from = new DateOnly(2026, 10, 1), to = new DateOnly(2026, 10, 1), people = new[] { opsEast, staff }, pattern = "day-night" });
        Assert.Equal(HttpStatusCode.Created, rotation.Status);
        var roster = await SendAsync(ops, HttpMethod.Get, "/api/duty/shifts?from=2026-10-01&to=2026-10-02");
        Assert.Contains(roster.Body.GetProperty("days").EnumerateArray(), d => d.GetProperty("date").GetString() == "2026-10-02"
            && d.GetProperty("holidayName").ValueKind == JsonValueKind.String && !d.GetProperty("isWorkingDay").GetBoolean());

        var fire = await ReportAsync(CaseTier.Green, CaseChannel.Sensor, "E0403", t);
        var alert = await AlertOfAsync(fire.Number);
        Assert.Equal((DutyAlertKind.UrgentAlarm, DutyAlertAudience.Officer, staff), (alert.Kind, alert.Audience, alert.RecipientUserId));
        Assert.Equal(t.AddMinutes(10), alert.AcknowledgeBy);
        Assert.Equal(1, await NotificationsAsync(staff, fire.Number));

        // A sensor's report of a kind counted in working time is no emergency.
        var litter = await ReportAsync(CaseTier.Green, CaseChannel.Sensor, "E0101", t);
        Assert.Null(await app.WithDatabaseAsync(db => db.DutyAlerts.IgnoreQueryFilters().SingleOrDefaultAsync(a => a.CaseNumber == litter.Number, Ct)));
    }

    [Fact]
    public async Task AnUrgentCasePastItsDueTime_AlertsTheOfficerOnDuty_OnceWhateverRunsTheJob()
    {
        var t = At(2027, 4, 10, 23, 0);
        SetClock(t);
        var (opsEast, staff) = await PeopleAsync();
        using var ops = await ClientAsync("ops-east");
        await StaffAsync(ops, opsEast, staff, t);
        var leader = await app.WithDatabaseAsync(async db =>
        {
            var grid = await db.Grids.IgnoreQueryFilters().Where(g => g.Level == GridLevel.Micro && g.Code.StartsWith(East)).OrderBy(g => g.Code).FirstAsync(Ct);
            return Actor.Of((await db.Users.IgnoreQueryFilters().Where(u => u.ScopeCode == grid.ParentCode).ToListAsync(Ct)).First(u => u.HasRole(Role.GridLeader)));
        });

        // A burst water main (counted in natural hours), assigned with a due time half an hour ago: no save of its own says so.
        var burst = await ReportAsync(CaseTier.Green, CaseChannel.GridPatrol, "E0402", t.AddHours(-3), c =>
        {
            c.Accept(leader, c.Version, t.AddHours(-3));
            c.Assign(leader, c.Version, t.AddHours(-3), CaseAssignee.User(leader.UserId, "测试网格长"), t.AddMinutes(-30));
        });
        Assert.Null(await app.WithDatabaseAsync(db => db.DutyAlerts.IgnoreQueryFilters().SingleOrDefaultAsync(a => a.CaseNumber == burst.Number, Ct)));

        await Task.WhenAll(Task.Run(() => RunJobAsync(t), Ct), Task.Run(() => RunJobAsync(t), Ct));
        await RunJobAsync(t.AddMinutes(1));
        var alert = await AlertOfAsync(burst.Number);
        Assert.Equal((DutyAlertKind.UrgentOverdue, DutyAlertAudience.Officer, opsEast), (alert.Kind, alert.Audience, alert.RecipientUserId));
        Assert.Equal(1, await NotificationsAsync(opsEast, burst.Number));
    }

    [Fact]
    public async Task WithNobodyOnDuty_TheAlertGoesToTheLeaderOnCall_AndWithNoLeaderToTheOperationsCentre()
    {
        var t = At(2027, 4, 1, 3, 0);
        SetClock(t);
        var (opsEast, staff) = await PeopleAsync();
        var nobody = await ReportAsync(CaseTier.Red, CaseChannel.GridPatrol, "E0101", t);
        var alert = await AlertOfAsync(nobody.Number);
        Assert.Equal((DutyAlertAudience.OpsStaff, (Guid?)null), (alert.Audience, alert.RecipientUserId));
        Assert.Contains("城运中心", alert.Routing, StringComparison.Ordinal);
        Assert.Equal(1, await NotificationsAsync(opsEast, nobody.Number));

        using var ops = await ClientAsync("ops-east");
        var leaderPost = await PostAsync(ops, DutyPostKind.Leader);
        var day = t.AddDays(1);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(ops, HttpMethod.Post, "/api/duty/shifts",
            new { postId = leaderPost, userId = staff, startsAt = day.AddHours(-2), endsAt = day.AddHours(20) })).Status);
        SetClock(day);
        var leaderOnly = await ReportAsync(CaseTier.Red, CaseChannel.GridPatrol, "E0101", day);
        alert = await AlertOfAsync(leaderOnly.Number);
        Assert.Equal((DutyAlertAudience.Leader, staff), (alert.Audience, alert.RecipientUserId));
        Assert.Contains("无人值班", alert.Routing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scope_EveryStaffMemberSeesTheirSubdistrictsRoster_OnlyItsOperationsCentrePlans_AndNobodySeesAnothersAlerts()
    {
        using var community = await app.ClientForAsync("community01");
        var roster = await SendAsync(community, HttpMethod.Get, "/api/duty/shifts");
        Assert.Equal(HttpStatusCode.OK, roster.Status);
        Assert.Equal("610103099", roster.Body.GetProperty("subdistrictCode").GetString());
        Assert.False(roster.Body.GetProperty("mayManage").GetBoolean());
        Assert.NotEmpty(roster.Body.GetProperty("shifts").EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(community, HttpMethod.Post, "/api/duty/posts", new { name = "值班员", kind = "officer" })).Status);

        using var ops = await app.ClientForAsync("ops");
        var mine = await SendAsync(ops, HttpMethod.Get, "/api/duty/alerts");
        Assert.All(mine.Body.EnumerateArray(), a => Assert.StartsWith("610103099", a.GetProperty("gridCode").GetString(), StringComparison.Ordinal));
        Assert.NotEmpty(mine.Body.EnumerateArray());
        var eastAlert = await app.WithDatabaseAsync(db => db.DutyAlerts.IgnoreQueryFilters().Where(a => a.SubdistrictCode == East).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(Ct));
        if (eastAlert is { } id)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(ops, HttpMethod.Post, $"/api/duty/alerts/{id}/acknowledge")).Status);
        }

        using var opsEast = await app.ClientForAsync("ops-east");
        Assert.DoesNotContain((await SendAsync(opsEast, HttpMethod.Get, "/api/duty/alerts")).Body.EnumerateArray(),
            a => a.GetProperty("gridCode").GetString()!.StartsWith("610103099", StringComparison.Ordinal));
        var someAlert = mine.Body[0].GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(opsEast, HttpMethod.Post, $"/api/duty/alerts/{someAlert}/acknowledge")).Status);

        using var district = await app.ClientForAsync("district");
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(district, HttpMethod.Get, "/api/duty/now")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(district, HttpMethod.Get, "/api/duty/now?subdistrictCode=610103099")).Status);
        foreach (var refused in new[] { "resident001", "admin" })
        {
            using var client = await app.ClientForAsync(refused);
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(client, HttpMethod.Get, "/api/duty/now")).Status);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute) => new DateTimeOffset(year, month, day, hour, minute, 0, Beijing).ToUniversalTime();

    private void SetClock(DateTimeOffset to) => _clock.Advance(to - _clock.GetUtcNow());

    /// <summary>The neighbouring subdistrict's operator and one of its community staff.</summary>
    private Task<(Guid OpsEast, Guid Staff)> PeopleAsync() => app.WithDatabaseAsync(async db =>
    {
        var opsEast = await db.Users.IgnoreQueryFilters().Where(u => u.UserName == "ops-east").Select(u => u.Id).SingleAsync(Ct);
        var staff = (await db.Users.IgnoreQueryFilters().Where(u => u.ScopeCode.StartsWith(East) && u.ScopeCode.Length == 12 && u.IsActive)
            .OrderBy(u => u.UserName).ToListAsync(Ct)).First(u => u.HasRole(Role.CommunityStaff)).Id;
        return (opsEast, staff);
    });

    private Task<string> UserNameAsync(Guid id) => app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Id == id).Select(u => u.UserName).SingleAsync(Ct));

    /// <summary>An officer post and a leader post of their own, staffed around <paramref name="t"/> by the operator and the community staff member.</summary>
    private static async Task StaffAsync(HttpClient ops, Guid officer, Guid leader, DateTimeOffset t)
    {
        var officerPost = await PostAsync(ops, DutyPostKind.Officer);
        var leaderPost = await PostAsync(ops, DutyPostKind.Leader);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(ops, HttpMethod.Post, "/api/duty/shifts",
            new { postId = officerPost, userId = officer, startsAt = t.AddHours(-2), endsAt = t.AddHours(6) })).Status);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(ops, HttpMethod.Post, "/api/duty/shifts",
            new { postId = leaderPost, userId = leader, startsAt = t.AddHours(-2), endsAt = t.AddHours(22) })).Status);
    }

    private static async Task<Guid> PostAsync(HttpClient ops, DutyPostKind kind)
    {
        var name = (kind == DutyPostKind.Officer ? "值班员" : "带班领导") + Guid.NewGuid().ToString("N")[..6];
        var created = await SendAsync(ops, HttpMethod.Post, "/api/duty/posts", new { name, kind = kind == DutyPostKind.Officer ? "officer" : "leader" });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.Body.GetProperty("id").GetGuid();
    }

    /// <summary>A case in a micro-grid of the neighbouring subdistrict, stored through the test clock's server (its save hooks run).</summary>
    private async Task<Case> ReportAsync(CaseTier tier, CaseChannel channel, string category, DateTimeOffset reportedAt, Action<Case>? steps = null)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var grid = await db.Grids.IgnoreQueryFilters().Where(g => g.Level == GridLevel.Micro && g.Code.StartsWith(East)).OrderBy(g => g.Code).FirstAsync(Ct);
        var point = grid.Boundary.InteriorPoint;
        var subject = new Case(CrewCases.NewNumber(), category, "值班测试：紧急情况", "夜间报警", new Point(point.X, point.Y), grid.Code, tier, channel, null, reportedAt,
            "测试上报人");
        steps?.Invoke(subject);
        db.Cases.Add(subject);
        await db.SaveChangesAsync(Ct);
        return subject;
    }

    private async Task ChangeAsync(string number, Action<Case> change)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var subject = await db.Cases.IgnoreQueryFilters().SingleAsync(c => c.Number == number, Ct);
        change(subject);
        await db.SaveChangesAsync(Ct);
    }

    private async Task RunJobAsync(DateTimeOffset now)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DutyAlertJob>().RunAsync(now, Ct);
    }

    private Task<DutyAlert> AlertOfAsync(string number) =>
        app.WithDatabaseAsync(db => db.DutyAlerts.IgnoreQueryFilters().AsNoTracking().SingleAsync(a => a.CaseNumber == number, Ct));

    private Task<int> NotificationsAsync(Guid user, string number) =>
        app.WithDatabaseAsync(db => db.Notifications.IgnoreQueryFilters().CountAsync(n => n.UserId == user && n.CaseNumber == number && n.Kind == DutyDesk.NotificationKind, Ct));

    private async Task<HttpClient> ClientAsync(string userName)
    {
        using var anonymous = Server.CreateClient();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName, password = CivicGridApp.DemoPassword }, Ct);
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();
        var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string uri, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(uri, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}

public sealed class DutyTestsOnSqlite(SqliteApp app) : DutyTests(app), IClassFixture<SqliteApp>;

public sealed class DutyTestsOnPostgres(PostgresApp app) : DutyTests(app), IClassFixture<PostgresApp>;
