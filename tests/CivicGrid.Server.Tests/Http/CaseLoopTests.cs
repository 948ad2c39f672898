using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Cases;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Server.Tests.Photos;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;
using CivicGrid.Server.Features.Cases.Duplicates;
using CivicGrid.Server.Features.Cases.LocationQueue;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The whole loop of each colour through the API alone, on each provider: intake, routing to the right person,
/// acceptance, assignment, handling with photos, verification, evaluation, the colour's own record, and closing.
/// </summary>
public abstract class CaseLoopTests(CivicGridApp app)
{
    private const string Operator = "ops";
    private const string District = "district";

    private readonly CaseScenario _scenario = new(app);

    [Fact]
    public async Task AnonymousReportWithAPhoto_ReachesTheGridLeader_IsHandledWithAPhoto_VerifiedAndRatedByTheReporter()
    {
        var place = await _scenario.CertainPlaceAsync();
        using var anonymous = app.CreateClient();
        var fields = ReportFields(place.Lon, place.Lat);
        fields["phone"] = "138 1234 5678";
        var created = await ReportAsync(anonymous, fields, [TestPhotos.Jpeg(640, 480)], Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var report = await JsonAsync(created);
        var number = report.GetProperty("number").GetString()!;
        var token = report.GetProperty("followToken").GetString()!;
        Assert.Matches(@"^\d{13}$", number);
        Assert.Equal(place.GridCode, report.GetProperty("grid").GetProperty("code").GetString());
        Assert.Equal(place.ThirdCode, report.GetProperty("ownerCode").GetString());
        Assert.Single(report.GetProperty("photoIds").EnumerateArray());

        // The grid leader of the 3rd-level grid sees it, with the phone masked; a leader of another grid does not.
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        var seen = await JsonAsync(await leader.GetAsync($"/api/cases/{number}", Ct));
        Assert.Equal("138****5678", seen.GetProperty("reporterPhone").GetString());
        var other = await _scenario.CertainPlaceAsync();
        using var otherLeader = await app.ClientForAsync(other.LeaderUserName);
        Assert.Equal(HttpStatusCode.NotFound, (await otherLeader.GetAsync($"/api/cases/{number}", Ct)).StatusCode);

        var version = await ActAsync(leader, number, "accept", new { expectedVersion = 0 });
        version = await ActAsync(leader, number, "assign", new { expectedVersion = version, userId = place.LeaderId });
        version = await ActAsync(leader, number, "start-handling", new { expectedVersion = version });
        var photoId = await UploadPhotoAsync(leader, number);
        version = await ActAsync(leader, number, "record-handled", new { expectedVersion = version, note = "已更换灯泡，恢复照明。", photoIds = new[] { photoId } });

        // The anonymous reporter follows with the token, checks the result and rates it.
        using var tracking = new HttpRequestMessage(HttpMethod.Get, $"/api/track/{number}");
        tracking.Headers.Add("Follow-Token", token);
        var tracked = await JsonAsync(await anonymous.SendAsync(tracking, Ct));
        Assert.True(tracked.GetProperty("canVerify").GetBoolean());
        Assert.Equal(version, tracked.GetProperty("version").GetInt32());
        version = await TrackActAsync(anonymous, number, token, "verify", new { expectedVersion = version, passed = true });
        version = await TrackActAsync(anonymous, number, token, "evaluate", new { expectedVersion = version, rating = 5, comment = "修得很快" });
        version = await ActAsync(leader, number, "close", new { expectedVersion = version });

        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == number, Ct));
        Assert.Equal(CaseStatus.Closed, stored.Status);
        Assert.Equal(5, stored.Rating);
        Assert.Equal(CaseChannel.ResidentApp, stored.Channel);
        Assert.Null(stored.ReporterId);
        Assert.Equal("13812345678", stored.ReporterPhone);
        Assert.Null(stored.VerifyTimeline());
        Assert.Equal(["report", "accept", "assign", "start-handling", "record-handled", "verify", "evaluate", "close"],
            stored.Timeline.Select(e => e.Action));
        Assert.Equal(photoId, Assert.Single(stored.Timeline[4].AttachmentIds));

        // The served photo carries no metadata and is a JPEG; a wrong token sees nothing.
        using var photo = await leader.GetAsync($"/api/cases/{number}/photos/{photoId}", Ct);
        Assert.Equal("image/jpeg", photo.Content.Headers.ContentType?.MediaType);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, $"/api/track/{number}");
        wrong.Headers.Add("Follow-Token", "not-the-token");
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.SendAsync(wrong, Ct)).StatusCode);
    }

    [Fact]
    public async Task RetryWithTheSameKey_MakesNoSecondCase()
    {
        var place = await _scenario.CertainPlaceAsync();
        using var anonymous = app.CreateClient();
        var key = Guid.NewGuid().ToString();
        var description = $"重复提交测试 {Guid.NewGuid():N}";
        var fields = ReportFields(place.Lon, place.Lat, description: description);

        var first = await ReportAsync(anonymous, fields, [TestPhotos.Jpeg(320, 240)], key);
        var retry = await ReportAsync(anonymous, fields, [TestPhotos.Jpeg(320, 240)], key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal((await JsonAsync(first)).GetProperty("number").GetString(), (await JsonAsync(retry)).GetProperty("number").GetString());
        Assert.Equal(1, await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().CountAsync(c => c.Description == description, Ct)));
    }

    [Fact]
    public async Task SecondReportNearby_TheReporterIsToldBeforeSubmitting_AndStaffSeeItOnTheCase()
    {
        var place = await _scenario.CertainPlaceAsync();
        using var anonymous = app.CreateClient();
        var first = await JsonAsync(await ReportAsync(anonymous, ReportFields(place.Lon, place.Lat), [TestPhotos.Jpeg(200, 150)]));
        var firstNumber = first.GetProperty("number").GetString();
        var lon = (place.Lon + 0.0002).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var lat = place.Lat.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

        var suggested = await JsonAsync(await anonymous.GetAsync($"/api/cases/duplicates?lon={lon}&lat={lat}&crs=wgs84&category=C0102", Ct));
        var match = Assert.Single(suggested.GetProperty("candidates").EnumerateArray(), d => d.GetProperty("number").GetString() == firstNumber);
        Assert.Equal(50, match.GetProperty("distanceMeters").GetInt32()); // about 20 m, told to the public as "within 50 m" (ADR 0026)
        Assert.True(match.GetProperty("banded").GetBoolean());
        Assert.False(match.TryGetProperty("reporterPhone", out _));

        var second = await JsonAsync(await ReportAsync(anonymous, ReportFields(place.Lon + 0.0002, place.Lat), [TestPhotos.Jpeg(200, 150)]));
        var secondNumber = second.GetProperty("number").GetString();
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        var detail = await JsonAsync(await leader.GetAsync($"/api/cases/{secondNumber}", Ct));
        var possible = detail.GetProperty("possibleDuplicates").EnumerateArray().Select(d => d.GetProperty("number").GetString()).ToList();
        Assert.Contains(firstNumber, possible);
        Assert.DoesNotContain(secondNumber, possible);

        var version = await ActAsync(leader, secondNumber!, "merge", new { expectedVersion = detail.GetProperty("version").GetInt32(), intoNumber = firstNumber });
        Assert.Equal(1, version);
    }

    [Fact]
    public async Task StalledGreenCase_EscalatesByRuleToYellow_IsMediatedByTheCommunity_AndCloses()
    {
        var place = await _scenario.CertainPlaceAsync();
        var (number, version) = await ReportAsResidentAsync(place);
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        version = await ActAsync(leader, number, "accept", new { expectedVersion = version });
        var due = DateTimeOffset.UtcNow.AddHours(4);
        version = await ActAsync(leader, number, "assign", new { expectedVersion = version, userId = place.LeaderId, due });

        // Nobody handles it: the overdue rule escalates it when the job runs after the due time (its clock is passed in).
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var job = scope.ServiceProvider.GetRequiredService<Features.Deadlines.OverdueEscalationJob>();
            await job.RunAsync(due.AddMinutes(1), Ct);
        }

        var escalated = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == number, Ct));
        Assert.Equal((CaseTier.Yellow, CaseStatus.Accepted), (escalated.Tier, escalated.Status));
        Assert.Equal("true", escalated.Timeline[^1].Details["automatic"]);
        version = escalated.Version;

        var (communityName, communityId) = await _scenario.UserAtAsync(place.GridCode[..12], Role.CommunityStaff);
        using var community = await app.ClientForAsync(communityName);
        version = await ActAsync(community, number, "assign", new { expectedVersion = version, userId = communityId });
        version = await ActAsync(community, number, "start-handling", new { expectedVersion = version });
        version = await ActAsync(community, number, "record-handled", new { expectedVersion = version, note = "已协调物业修复。", photoIds = new[] { await UploadPhotoAsync(community, number) } });
        using var resident = await app.ClientForAsync("resident001");
        version = await ActAsync(resident, number, "verify", new { expectedVersion = version, passed = true });
        version = await ActAsync(resident, number, "evaluate", new { expectedVersion = version, rating = 4 });

        var refused = await PostAsync(community, $"/api/cases/{number}/close", new { expectedVersion = version });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("case.close.yellow-requires-mediation", (await JsonAsync(refused)).GetProperty("rule").GetString());

        version = await ActAsync(community, number, "record-mediation", new
        {
            expectedVersion = version, participants = new[] { "社区主任", "物业经理", "居民代表" }, heldOn = DateTimeOffset.UtcNow.AddHours(-1),
            place = "社区议事厅", outcome = "物业负责维修，社区跟踪。",
        });
        await ActAsync(community, number, "close", new { expectedVersion = version });
    }

    [Fact]
    public async Task BlueCase_GoesThroughAJointAnalysisMeeting()
    {
        var place = await _scenario.CertainPlaceAsync();
        var (number, version) = await ReportAsResidentAsync(place);
        using var leader = await app.ClientForAsync(place.LeaderUserName);
        version = await ActAsync(leader, number, "escalate", new { expectedVersion = version, reason = "需社区协调。" });
        var (communityName, _) = await _scenario.UserAtAsync(place.GridCode[..12], Role.CommunityStaff);
        using var community = await app.ClientForAsync(communityName);
        version = await ActAsync(community, number, "escalate", new { expectedVersion = version, reason = "涉及多个部门，需街道研究。" });

        using var operations = await app.ClientForAsync(Operator);
        var agenda = await JsonAsync(await operations.GetAsync("/api/meetings/agenda", Ct));
        Assert.Contains(agenda.EnumerateArray(), a => a.GetProperty("number").GetString() == number);

        // The neighbouring subdistrict's operations centre does not see it; community staff may not hold the meeting.
        using var neighbour = await app.ClientForAsync("ops-east");
        Assert.DoesNotContain((await JsonAsync(await neighbour.GetAsync("/api/meetings/agenda", Ct))).EnumerateArray(),
            a => a.GetProperty("number").GetString() == number);
        var notCommunity = await PostAsync(community, "/api/meetings", new
        {
            title = "社区会议", heldAt = DateTimeOffset.UtcNow.AddMinutes(-30), place = "社区", participants = new[] { "社区主任" },
            decisions = new[] { new { caseNumber = number, expectedVersion = version, decision = "自行处理" } },
        });
        Assert.Equal(HttpStatusCode.Forbidden, notCommunity.StatusCode);

        var meeting = await PostAsync(operations, "/api/meetings", new
        {
            title = "街道联席会议", heldAt = DateTimeOffset.UtcNow.AddMinutes(-30), place = "街道城运中心会议室",
            participants = new[] { "城运中心主任", "城管执法中队", "供电所" }, summary = "研究路灯改造。",
            decisions = new[] { new { caseNumber = number, expectedVersion = version, decision = "由供电所三日内更换线路。" } },
        });
        Assert.Equal(HttpStatusCode.Created, meeting.StatusCode);
        version++;
        Assert.Contains((await JsonAsync(await operations.GetAsync("/api/meetings", Ct))).EnumerateArray(),
            m => m.GetProperty("caseNumbers").EnumerateArray().Any(n => n.GetString() == number));
        Assert.DoesNotContain((await JsonAsync(await neighbour.GetAsync("/api/meetings", Ct))).EnumerateArray(),
            m => m.GetProperty("caseNumbers").EnumerateArray().Any(n => n.GetString() == number));

        var (operatorName, operatorId) = ("ops", await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.UserName == "ops").Select(u => u.Id).SingleAsync(Ct)));
        using var ops = await app.ClientForAsync(operatorName);
        version = await ActAsync(ops, number, "accept", new { expectedVersion = version });
        version = await ActAsync(ops, number, "assign", new { expectedVersion = version, userId = operatorId });
        version = await ActAsync(ops, number, "start-handling", new { expectedVersion = version });
        version = await ActAsync(ops, number, "record-handled", new { expectedVersion = version, note = "线路已更换。", photoIds = new[] { await UploadPhotoAsync(ops, number) } });
        using var resident = await app.ClientForAsync("resident001");
        version = await ActAsync(resident, number, "verify", new { expectedVersion = version, passed = true });
        version = await ActAsync(resident, number, "evaluate", new { expectedVersion = version, rating = 5 });
        await ActAsync(ops, number, "close", new { expectedVersion = version });

        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == number, Ct));
        Assert.Equal(CaseTier.Blue, stored.Tier);
        Assert.Single(stored.MeetingDecisions);
        Assert.Contains("record-meeting-decision", stored.Timeline.Select(e => e.Action));
    }

    [Fact]
    public async Task RedCase_IsHandedToTheDistrict_WhichAnswers()
    {
        var place = await _scenario.CertainPlaceAsync();
        var (number, version) = await ReportAsResidentAsync(place);
        using var operations = await app.ClientForAsync(Operator);
        version = await ActAsync(operations, number, "escalate", new { expectedVersion = version, reason = "需社区协调。" });
        version = await ActAsync(operations, number, "escalate", new { expectedVersion = version, reason = "需街道研究。" });
        version = await ActAsync(operations, number, "escalate", new { expectedVersion = version, reason = "涉及区级权限。" });
        version = await ActAsync(operations, number, "hand-to-district", new { expectedVersion = version, summary = "主干道路灯线路老化，需区城管局改造。" });

        using var district = await app.ClientForAsync(District);
        var referrals = await JsonAsync(await district.GetAsync("/api/district-referrals", Ct));
        var referral = referrals.EnumerateArray().Single(r => r.GetProperty("caseNumber").GetString() == number);
        var id = referral.GetProperty("id").GetString();
        Assert.Equal("pending", referral.GetProperty("status").GetString());
        using var neighbour = await app.ClientForAsync("ops-east");
        Assert.DoesNotContain((await JsonAsync(await neighbour.GetAsync("/api/district-referrals", Ct))).EnumerateArray(),
            r => r.GetProperty("caseNumber").GetString() == number);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(neighbour, $"/api/district-referrals/{id}/answer",
            new { expectedVersion = version, outcome = "closed", answer = "越权答复" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(operations, $"/api/district-referrals/{id}/acknowledge", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(district, $"/api/district-referrals/{id}/acknowledge", new { })).StatusCode);
        var answered = await PostAsync(district, $"/api/district-referrals/{id}/answer", new { expectedVersion = version, outcome = "accepted", answer = "区城管局已受理，列入改造计划。" });
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("accepted", (await JsonAsync(answered)).GetProperty("status").GetString());
        version++;

        var districtId = await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.UserName == District).Select(u => u.Id).SingleAsync(Ct));
        version = await ActAsync(district, number, "accept", new { expectedVersion = version });
        version = await ActAsync(district, number, "assign", new { expectedVersion = version, userId = districtId });
        version = await ActAsync(district, number, "start-handling", new { expectedVersion = version });
        version = await ActAsync(district, number, "record-handled", new { expectedVersion = version, note = "线路改造完成。", photoIds = new[] { await UploadPhotoAsync(district, number) } });
        using var resident = await app.ClientForAsync("resident001");
        version = await ActAsync(resident, number, "verify", new { expectedVersion = version, passed = true });
        version = await ActAsync(resident, number, "evaluate", new { expectedVersion = version, rating = 3 });
        await ActAsync(district, number, "close", new { expectedVersion = version });

        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == number, Ct));
        Assert.Equal(CaseStatus.Closed, stored.Status);
        Assert.Contains("district-answer", stored.Timeline.Select(e => e.Action));
        Assert.Null(stored.VerifyTimeline());
    }

    [Fact]
    public async Task MisroutedCase_IsTransferred_AndTheNextReportFromThatBuildingRoutesRight()
    {
        // A building of the main subdistrict and a grid of another community that should have had it.
        var (building, from, to) = await app.WithDatabaseAsync(async db =>
        {
            // A building no other test has taught the router about (tests share the demo database).
            var taught = await db.RoutingOverrides.IgnoreQueryFilters().Where(o => o.Subject == Domain.Routing.OverrideSubject.Building)
                .Select(o => o.SubjectKey).ToListAsync(Ct);
            var candidates = await db.Buildings.IgnoreQueryFilters().AsNoTracking().Where(x => x.GridCode.StartsWith("610103099001"))
                .OrderBy(x => x.Code).ToListAsync(Ct);
            var fresh = candidates.Where(x => !taught.Contains(x.Code)).ToList();
            var b = fresh[Random.Shared.Next(fresh.Count)];
            var target = await db.Grids.IgnoreQueryFilters().AsNoTracking()
                .Where(g => g.Code.StartsWith("610103099002") && g.Code.Length == 16).OrderBy(g => g.Code).Select(g => g.Code).FirstAsync(Ct);
            return (b, b.GridCode, target);
        });
        using var resident = await app.ClientForAsync("resident001");
        var fields = ReportFields(building.Location.X, building.Location.Y, "C0101", "楼下井盖松动。");
        fields["building"] = building.Code;
        var first = await JsonAsync(await ReportAsync(resident, fields, [TestPhotos.Jpeg(200, 150)]));
        Assert.Equal(from, first.GetProperty("grid").GetProperty("code").GetString());
        Assert.Equal("building", first.GetProperty("method").GetString());

        var (leaderName, _) = await _scenario.LeaderOfAsync(from[..16]);
        using var leader = await app.ClientForAsync(leaderName);
        await ActAsync(leader, first.GetProperty("number").GetString()!, "transfer", new { expectedVersion = 0, toGridCode = to, reason = "该楼由邻近网格管理。" });

        var second = await JsonAsync(await ReportAsync(resident, fields, [TestPhotos.Jpeg(200, 150)]));
        Assert.Equal(to, second.GetProperty("grid").GetProperty("code").GetString());
        Assert.Equal("lesson", second.GetProperty("method").GetString());
    }

    [Fact]
    public async Task StaleTransition_Answers409WithTheCurrentState()
    {
        var place = await _scenario.CertainPlaceAsync();
        var (number, version) = await ReportAsResidentAsync(place);
        using var leader = await app.ClientForAsync(place.LeaderUserName);

        var both = await Task.WhenAll(
            PostAsync(leader, $"/api/cases/{number}/accept", new { expectedVersion = version }),
            PostAsync(leader, $"/api/cases/{number}/reject", new { expectedVersion = version, reason = "重复" }));

        Assert.Single(both, r => r.StatusCode == HttpStatusCode.OK);
        var conflict = Assert.Single(both, r => r.StatusCode == HttpStatusCode.Conflict);
        var problem = await JsonAsync(conflict);
        Assert.Equal(CaseActing.ConflictType, problem.GetProperty("type").GetString());
        Assert.Equal(1, problem.GetProperty("currentVersion").GetInt32());
        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == number, Ct));
        Assert.Equal(1, stored.Version);
        Assert.Equal(2, stored.Timeline.Count);
    }

    [Fact]
    public async Task ResidentCannotAccept_AndAMissingVersionIsABadRequest()
    {
        var place = await _scenario.CertainPlaceAsync();
        var (number, version) = await ReportAsResidentAsync(place);
        using var resident = await app.ClientForAsync("resident001");

        var refused = await PostAsync(resident, $"/api/cases/{number}/accept", new { expectedVersion = version });
        var missing = await PostAsync(resident, $"/api/cases/{number}/accept", new { });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("case.actor.owner-staff-only", (await JsonAsync(refused)).GetProperty("rule").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task AmbiguousReport_IsOfferedToBothGrids_TheFirstClaimWins_TheOtherSeesItLeave()
    {
        var (lon, lat, accuracy, candidates) = await _scenario.AmbiguousPlaceAsync();
        using var resident = await app.ClientForAsync("resident001");
        var fields = ReportFields(lon, lat);
        fields["accuracy"] = accuracy.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var report = await JsonAsync(await ReportAsync(resident, fields, [TestPhotos.Jpeg(200, 150)]));
        var number = report.GetProperty("number").GetString()!;
        Assert.True(report.GetProperty("locationPending").GetBoolean());
        Assert.Equal(2, report.GetProperty("candidates").GetArrayLength());

        var best = report.GetProperty("grid").GetProperty("code").GetString()!;
        var otherGrid = candidates.Single(c => c != best);
        var (otherLeaderName, _) = await _scenario.LeaderOfAsync(otherGrid[..16]);
        var (bestLeaderName, _) = await _scenario.LeaderOfAsync(best[..16]);
        using var otherLeader = await app.ClientForAsync(otherLeaderName);
        using var bestLeader = await app.ClientForAsync(bestLeaderName);
        Assert.Contains((await JsonAsync(await otherLeader.GetAsync("/api/cases/to-confirm", Ct))).EnumerateArray(), o => o.GetProperty("caseNumber").GetString() == number);
        Assert.Contains((await JsonAsync(await bestLeader.GetAsync("/api/cases/to-confirm", Ct))).EnumerateArray(), o => o.GetProperty("caseNumber").GetString() == number);
        Assert.Equal(HttpStatusCode.NotFound, (await otherLeader.GetAsync($"/api/cases/{number}", Ct)).StatusCode);
        using var stranger = await app.ClientForAsync("ops-east");
        Assert.DoesNotContain((await JsonAsync(await stranger.GetAsync("/api/cases/to-confirm", Ct))).EnumerateArray(), o => o.GetProperty("caseNumber").GetString() == number);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(stranger, $"/api/cases/{number}/location/claim", new { gridCode = best })).StatusCode);

        var claimed = await PostAsync(otherLeader, $"/api/cases/{number}/location/claim", new { gridCode = otherGrid });
        var late = await PostAsync(bestLeader, $"/api/cases/{number}/location/claim", new { gridCode = best });

        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        Assert.Equal(otherGrid, (await JsonAsync(claimed)).GetProperty("gridCode").GetString());
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.DoesNotContain((await JsonAsync(await bestLeader.GetAsync("/api/cases/to-confirm", Ct))).EnumerateArray(), o => o.GetProperty("caseNumber").GetString() == number);
        Assert.Equal(HttpStatusCode.OK, (await otherLeader.GetAsync($"/api/cases/{number}", Ct)).StatusCode);
    }

    [Fact]
    public async Task UnclaimedAmbiguousReport_GoesToTheBestCandidateAtTheDeadline()
    {
        var (lon, lat, accuracy, _) = await _scenario.AmbiguousPlaceAsync();
        using var resident = await app.ClientForAsync("resident001");
        var fields = ReportFields(lon, lat);
        fields["accuracy"] = accuracy.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var report = await JsonAsync(await ReportAsync(resident, fields, [TestPhotos.Jpeg(200, 150)]));
        var number = report.GetProperty("number").GetString()!;
        var best = report.GetProperty("grid").GetProperty("code").GetString()!;

        // Only this case's deadline is moved into the past: other tests' pending cases keep theirs.
        await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => c.Number == number)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.LocationConfirmDueAt, DateTimeOffset.UtcNow.AddMinutes(-1)), Ct));
        await app.WithDatabaseAsync(db => LocationQueueApi.ExpireDueAsync(db, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, Ct));

        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == number, Ct));
        Assert.False(stored.IsLocationPending);
        Assert.Equal(best, stored.GridCode);
        Assert.Equal("confirm-location", stored.Timeline[^1].Action);
        Assert.Equal(Guid.Empty, stored.Timeline[^1].ActorId);
        Assert.Equal(0, await app.WithDatabaseAsync(db => db.LocationClaims.IgnoreQueryFilters().CountAsync(c => c.CaseNumber == number && c.ResolvedAt == null, Ct)));
    }

    [Fact]
    public async Task StaffMovesThePin_AndTheCaseIsReRouted()
    {
        var place = await _scenario.CertainPlaceAsync();
        var target = await _scenario.CertainPlaceAsync();
        var (number, version) = await ReportAsResidentAsync(place);
        using var operations = await app.ClientForAsync(Operator);

        var moved = await PostAsync(operations, $"/api/cases/{number}/move-pin", new { expectedVersion = version, lon = target.Lon, lat = target.Lat, crs = "wgs84", reason = "居民定位偏差，实际在对面小区。" });

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(target.GridCode, (await JsonAsync(moved)).GetProperty("gridCode").GetString());
    }

    [Fact]
    public async Task MovedPin_IsWhereDuplicateSuggestionsFindTheCase_AfterAReloadAndARestart()
    {
        var place = await _scenario.CertainPlaceAsync();

        // A target well outside the search radius (100 m) of the reported place, so each search finds the case at one of them only.
        var target = await _scenario.CertainPlaceAsync();
        for (var attempt = 0; attempt < 50 && MetresBetween(place, target) < 300; attempt++)
        {
            target = await _scenario.CertainPlaceAsync();
        }

        Assert.True(MetresBetween(place, target) >= 300, "no demo place 300 m away from the reported one");
        var (number, version) = await ReportAsResidentAsync(place);
        using var operations = await app.ClientForAsync(Operator);
        var moved = await PostAsync(operations, $"/api/cases/{number}/move-pin", new { expectedVersion = version, lon = target.Lon, lat = target.Lat, crs = "wgs84", reason = "居民定位偏差，实际在对面小区。" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        // The plain lon/lat columns the index reloads from follow the pin.
        var columns = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => c.Number == number)
            .Select(c => new { Lon = EF.Property<double?>(c, CaseLocationColumns.Lon), Lat = EF.Property<double?>(c, CaseLocationColumns.Lat) }).SingleAsync(Ct));
        Assert.Equal(target.Lon, columns.Lon!.Value, 9);
        Assert.Equal(target.Lat, columns.Lat!.Value, 9);

        // This server's index after a reload from the database (it runs every minute).
        await app.WithDatabaseAsync(async db =>
        {
            await app.Services.GetRequiredService<OpenCaseIndex>().ReloadAsync(db, Ct);
            return 0;
        });
        using var anonymous = app.CreateClient();
        await AssertSuggestedOnlyAtTheNewPlaceAsync(anonymous);

        // A restarted server (a new host on the same database) builds its index from the database alone.
        await using var restarted = app.WithWebHostBuilder(_ => { });
        using var afterRestart = restarted.CreateClient();
        (await afterRestart.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct)).EnsureSuccessStatusCode();
        await restarted.Services.GetRequiredService<OpenCaseIndex>().Loaded.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        await AssertSuggestedOnlyAtTheNewPlaceAsync(afterRestart);

        async Task AssertSuggestedOnlyAtTheNewPlaceAsync(HttpClient client)
        {
            Assert.Contains(number, await SuggestedAtAsync(client, target.Lon, target.Lat));
            Assert.DoesNotContain(number, await SuggestedAtAsync(client, place.Lon, place.Lat));
        }
    }

    /// <summary>Approximate ground distance in metres between two demo places (an equirectangular projection, fine at this scale).</summary>
    private static double MetresBetween(DemoPlace a, DemoPlace b) =>
        Math.Sqrt(Math.Pow((a.Lon - b.Lon) * 111_320 * Math.Cos(a.Lat * Math.PI / 180), 2) + Math.Pow((a.Lat - b.Lat) * 110_540, 2));

    private static async Task<List<string?>> SuggestedAtAsync(HttpClient client, double lon, double lat)
    {
        var at = FormattableString.Invariant($"lon={lon:R}&lat={lat:R}");
        var suggested = await JsonAsync(await client.GetAsync(new Uri($"/api/cases/duplicates?{at}&crs=wgs84&category=C0101", UriKind.Relative), Ct));
        return [.. suggested.GetProperty("candidates").EnumerateArray().Select(d => d.GetProperty("number").GetString())];
    }

    [Fact]
    public async Task StaffEntryOfAPhoneCall_RecordsTheCallerAndTheChannel()
    {
        var place = await _scenario.CertainPlaceAsync();
        var (communityName, _) = await _scenario.UserAtAsync(place.GridCode[..12], Role.CommunityStaff);
        using var community = await app.ClientForAsync(communityName);
        var fields = ReportFields(place.Lon, place.Lat, "C0101", "来电反映：井盖丢失，有安全隐患。");
        fields["callerName"] = "王大爷";
        fields["phone"] = "029-87654321";

        var created = await ReportAsync(community, fields);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var number = (await JsonAsync(created)).GetProperty("number").GetString();
        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == number, Ct));
        Assert.Equal(CaseChannel.StaffEntry, stored.Channel);
        Assert.Null(stored.ReporterId);
        Assert.Equal("02987654321", stored.ReporterPhone);
        Assert.StartsWith("王大爷", stored.Timeline[0].ActorName, StringComparison.Ordinal);

        // The reporter is the caller alone: masked in the case and its history (the staff member who entered it is not),
        // in full only when revealed, and never with the entry's note attached.
        var detail = await JsonAsync(await community.GetAsync(new Uri($"/api/cases/{number}", UriKind.Relative), Ct));
        var timeline = await JsonAsync(await community.GetAsync(new Uri($"/api/cases/{number}/timeline", UriKind.Relative), Ct));
        var revealed = await JsonAsync(await community.PostAsJsonAsync($"/api/cases/{number}/personal-data", new { reason = "回电" }, Ct));
        Assert.Equal("王**", detail.GetProperty("reporterName").GetString());
        var first = timeline.GetProperty("entries")[0].GetProperty("actorName").GetString()!;
        Assert.StartsWith("王**（", first, StringComparison.Ordinal);
        Assert.EndsWith("代登记）", first, StringComparison.Ordinal);
        Assert.Equal("王大爷", revealed.GetProperty("reporterName").GetString());
    }

    [Theory]
    [InlineData("photo-not-an-image")]
    [InlineData("ten-photos")]
    [InlineData("decompression-bomb")]
    [InlineData("bad-crs")]
    [InlineData("unknown-category")]
    [InlineData("bad-phone")]
    public async Task BadReports_AreRefusedWithAProblem_AndStoreNothing(string kind)
    {
        var place = await _scenario.CertainPlaceAsync();
        using var anonymous = app.CreateClient();
        var description = $"坏请求 {kind} {Guid.NewGuid():N}";
        var fields = ReportFields(place.Lon, place.Lat, description: description);
        List<byte[]> photos = [TestPhotos.Jpeg(100, 100)];
        switch (kind)
        {
            case "photo-not-an-image": photos = ["<html>not a photo</html>"u8.ToArray()]; break;
            case "ten-photos": photos = [.. Enumerable.Range(0, 10).Select(_ => TestPhotos.Jpeg(50, 50))]; break;
            case "decompression-bomb": photos = [TestPhotos.Jpeg(50, 50), TestPhotos.PngBomb(30_000, 30_000)]; break;
            case "bad-crs": fields["crs"] = "mercator"; break;
            case "unknown-category": fields["categoryCode"] = "X9999"; break;
            case "bad-phone": fields["phone"] = "12345"; break;
        }

        var response = await ReportAsync(anonymous, fields, photos);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Equal(0, await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().CountAsync(c => c.Description == description, Ct)));
    }

    [Fact]
    public async Task JsonReport_WithOnlyTheRequiredFields_IsAccepted_AndAMalformedOneIsABadRequest()
    {
        var place = await _scenario.CertainPlaceAsync();
        using var client = await app.ClientForAsync("community01");

        var created = await client.PostAsJsonAsync("/api/cases", new { categoryCode = "E0101", description = "来电：楼道堆物", lon = place.Lon, lat = place.Lat, crs = "wgs84" }, Ct);
        var array = await client.PostAsync(new Uri("/api/cases", UriKind.Relative), new StringContent("[1,2]", System.Text.Encoding.UTF8, "application/json"), Ct);
        var broken = await client.PostAsync(new Uri("/api/cases", UriKind.Relative), new StringContent("{\"categoryCode\":", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, array.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
    }

    [Fact]
    public async Task ReportOutsideEveryGrid_Is422()
    {
        using var anonymous = app.CreateClient();
        var response = await ReportAsync(anonymous, ReportFields(116.39, 39.91), [TestPhotos.Jpeg(200, 150)]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("/problems/outside-territory", (await JsonAsync(response)).GetProperty("type").GetString());
    }

    private async Task<(string Number, int Version)> ReportAsResidentAsync(DemoPlace place)
    {
        using var resident = await app.ClientForAsync("resident001");
        var response = await ReportAsync(resident, ReportFields(place.Lon, place.Lat, "C0101", $"井盖破损 {Guid.NewGuid():N}"), [TestPhotos.Jpeg(200, 150)]);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var body = await JsonAsync(response);
        return (body.GetProperty("number").GetString()!, body.GetProperty("version").GetInt32());
    }

    private static async Task<Guid> UploadPhotoAsync(HttpClient client, string number)
    {
        using var content = new MultipartFormDataContent();
        content.Add(new ByteArrayContent(TestPhotos.Jpeg(400, 300)), "photos", "after.jpg");
        var response = await client.PostAsync(new Uri($"/api/cases/{number}/photos", UriKind.Relative), content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement[0].GetProperty("id").GetGuid();
    }

    private static async Task<int> TrackActAsync(HttpClient client, string number, string token, string verb, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/track/{number}/{verb}") { Content = JsonContent.Create(body) };
        request.Headers.Add("Follow-Token", token);
        var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{verb} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("version").GetInt32();
    }
}

public sealed class CaseLoopTestsOnSqlite(SqliteApp app) : CaseLoopTests(app), IClassFixture<SqliteApp>;

public sealed class CaseLoopTestsOnPostgres(PostgresApp app) : CaseLoopTests(app), IClassFixture<PostgresApp>;
