using System.Diagnostics;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using CivicGrid.Server.Features.Briefings;
using CivicGrid.Server.Features.Cases.Intake;
using CivicGrid.Server.Features.Devices;
using CivicGrid.Server.Features.Organisations;
using CivicGrid.Server.Features.TrustedDevices;
using CivicGrid.Server.Features.Roster;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Features.Households;
using CivicGrid.Server.Features.GridAffairs;
using CivicGrid.Server.Features.District;
using CivicGrid.Server.Features.Council;
using CivicGrid.Server.Features.Duty;

namespace CivicGrid.Server.Demo;

/// <summary>Writes the generated demo subdistrict into an empty database.</summary>
public sealed class DemoSeeder(CivicGridDbContext db, IPasswordHasher<UserAccount> hasher, Features.Devices.DeviceMessages devices,
    Infrastructure.Privacy.FieldVault residents, Infrastructure.Storage.PhotoProcessor photos, Infrastructure.Storage.PhotoStore photoStore,
    Features.Assessment.AssessmentRuns assessmentRuns, Features.Basemap.BasemapSource basemap, TimeProvider time,
    ILogger<DemoSeeder> logger)
{
    /// <summary>Seeds when the database has no grids; returns false (and changes nothing) otherwise.</summary>
    public async Task<bool> SeedAsync(string password, int seed, CancellationToken ct)
    {
        if (await db.Grids.IgnoreQueryFilters().AnyAsync(ct))
        {
            return false;
        }

        var clock = Stopwatch.StartNew();
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var data = DemoSubdistrictGenerator.Generate(today, seed);
        var generated = clock.Elapsed;
        // Where the first start's time goes, step by step (logged at the end).
        var steps = new List<string>();
        var lastStep = clock.Elapsed;
        void Step(string name)
        {
            steps.Add($"{name} {(int)(clock.Elapsed - lastStep).TotalMilliseconds} ms");
            lastStep = clock.Elapsed;
        }

        // One hash for every demo account: they share the demo password by design, and hashing
        // over a thousand accounts one by one would add a minute to the first start.
        var hash = hasher.HashPassword(data.Users[0], password);
        foreach (var user in data.Users)
        {
            user.ChangePassword(hash, now);
        }

        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Grids.AddRange(data.Grids);
        // Owners' committees point to their compound, saved with the buildings below.
        db.Organisations.AddRange(data.Organisations.Where(o => o.CompoundId is null));
        // The catalogue is seeded for every installation at start; the demo adds only what is missing.
        var known = await db.CaseCategories.Select(c => c.Code).ToListAsync(ct);
        db.CaseCategories.AddRange(data.Categories.Where(c => !known.Contains(c.Code)));
        await db.SaveChangesAsync(ct);
        db.Compounds.AddRange(data.Compounds);
        db.Users.AddRange(data.Users);
        await db.SaveChangesAsync(ct);
        db.Buildings.AddRange(data.Buildings);
        db.Organisations.AddRange(data.Organisations.Where(o => o.CompoundId is not null));
        var attachments = DemoLiaisons.Attachments(data, today, now);
        db.LiaisonAttachments.AddRange(attachments);
        await db.SaveChangesAsync(ct);
        Step("places");
        var (households, visits) = DemoHouseholds.Build(data, attachments, residents, today, now, seed);
        // A register of thousands of households and a year of door-knocks: in bulk.
        await BulkRows.WriteAsync(db, [.. households, .. visits], ct);
        Step("households");
        // The needs found at the doors join the needs list, as a visit recorded through the API does.
        var visited = households.ToDictionary(h => h.Id);
        var buildingsByCode = data.Buildings.ToDictionary(b => b.Code);
        db.Needs.AddRange(visits.SelectMany(v => VisitsApi.NeedsOf(v, visited[v.HouseholdId], buildingsByCode[v.BuildingCode], v.VisitedAt)));
        await db.SaveChangesAsync(ct);
        Step("needs");
        db.Briefings.AddRange(DemoBriefings.Create(data.Users, data.Organisations, now));
        await BulkRows.WriteAsync(db, DemoBriefings.YearOf(data.Users, data.GridQuality, today, seed), ct);
        var demoDevices = DemoDevices(data.Buildings, password, now);
        db.Devices.AddRange(demoDevices);
        db.TrustedDevices.AddRange(DemoTrustedDevices(data.Users, now));
        await db.SaveChangesAsync(ct);
        var broadcast = DemoBroadcasts.Build(demoDevices, data.Users, now);
        db.AddRange([.. broadcast]);
        await db.SaveChangesAsync(ct);
        var roster = DemoRoster.Build(data, today, seed);
        db.RosterMembers.AddRange(roster.Members);
        db.Courses.AddRange(roster.Courses);
        await db.SaveChangesAsync(ct);
        db.TrainingSessions.AddRange(roster.Sessions);
        await db.SaveChangesAsync(ct);
        db.Attendances.AddRange(roster.Attendance);
        db.WorkIds.AddRange(roster.WorkIds);
        await db.SaveChangesAsync(ct);
        Step("roster");
        var affairs = DemoGridAffairs.Build(data, today, now, seed);
        // The year before: every grid's needs, projects and claims month by month, and its councils' decisions followed up.
        var year = DemoYearAffairs.Build(data, affairs.Councils, today, now, seed);
        db.GridResources.AddRange(affairs.Resources);
        db.Needs.AddRange(affairs.Needs);
        db.GridProjects.AddRange(affairs.Projects);
        db.Claims.AddRange(affairs.Claims);
        db.CourtyardCouncils.AddRange(affairs.Councils);
        db.ProjectTasks.AddRange(affairs.Tasks);
        await db.SaveChangesAsync(ct);
        await BulkRows.WriteAsync(db, [.. year.Projects, .. year.Needs, .. year.Claims], ct);
        Step("affairs");
        // The resident council and the branch activities, whose evidence is one generated sign-in sheet.
        await using (var sheet = new MemoryStream(DemoCouncil.SignInSheetJpeg()))
        {
            var processed = photos.Process(sheet, "sign-in-sheet.jpg");
            await photoStore.SaveAsync(processed, ct);
            var council = DemoCouncil.Build(data, today, now, seed, processed.Id);
            foreach (var account in council.Accounts.Where(a => a.UserName == DemoCouncil.WellKnownMember))
            {
                account.ChangePassword(hash, now);
            }

            db.Users.AddRange(council.Accounts);
            db.CouncilMembers.AddRange(council.Members);
            await db.SaveChangesAsync(ct);
            db.CouncilAssignments.AddRange(council.Assignments);
            db.BranchActivities.AddRange(council.Activities);
            await db.SaveChangesAsync(ct);
            db.CouncilEvaluations.AddRange(council.Evaluations);
            await db.SaveChangesAsync(ct);
            Step("council");
        }

        db.ChangeTracker.Clear();
        var patrolClock = Stopwatch.StartNew();
        var patrols = DemoPatrols.Build(data, today, seed);
        // Tens of thousands of patrol days: in bulk, as the track writer's history would stand.
        await BulkRows.WriteAsync(db, [.. patrols.Patrols, .. patrols.Batches, .. patrols.Visits], ct);
        Step("patrols");
        var patrolTime = patrolClock.Elapsed;

        // A year of cases with their timelines, mediations and meeting decisions, decided by the workflow's own verbs and
        // written in bulk: through the change tracker they took over a minute, and the save hooks would have queued a
        // notification (and an SMS to the reporter) for every step of the year, as if it were happening now.
        var caseClock = Stopwatch.StartNew();
        await BulkRows.WriteAsync(db, data.Cases, Features.Cases.Duplicates.CaseLocationColumns.ValueOf, ct);
        var caseTime = caseClock.Elapsed;

        // The red cases' hand-overs to the district, written as the hand-over endpoint writes them.
        db.DistrictReferrals.AddRange(data.Referrals);

        // Intake numbers its cases from each day's counter: continue after the demo's numbers.
        db.CaseNumberCounters.AddRange(data.Cases.GroupBy(c => c.Number[..8])
            .Select(g => new Features.Cases.Intake.CaseNumberCounter { Day = g.Key, Last = g.Max(c => int.Parse(c.Number[8..], System.Globalization.CultureInfo.InvariantCulture)) }));
        await db.SaveChangesAsync(ct);
        Step("cases");

        // The operations centre's roster around today, its handovers and alerts on red cases (the cases are stored by now).
        var duty = DemoDuty.Build(data, now, hash);
        db.Users.AddRange(duty.Accounts);
        db.DutyPosts.AddRange(duty.Posts);
        await db.SaveChangesAsync(ct);
        db.DutyShifts.AddRange(duty.Shifts);
        await db.SaveChangesAsync(ct);
        db.DutyHandovers.AddRange(duty.Handovers);
        db.DutyAlerts.AddRange(duty.Alerts);
        db.DutyLog.AddRange(duty.Log);
        await db.SaveChangesAsync(ct);
        Step("duty");
        db.ChangeTracker.Clear();

        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;

        // Computed from what was just stored, by the same code as on demand (its own transactions).
        await DemoAssessment.SeedAsync(db, assessmentRuns, now, ct);
        Step("assessment");

        // The cases were written in bulk, past the save hook that keeps the dashboards' roll-ups: count them once.
        await new Features.Dashboard.CaseRollupCheck(db).RebuildAsync(ct);
        Step("roll-ups");

        // The demo's own base map of its streets and buildings, unless the operator put a file there.
        if (!File.Exists(basemap.Path))
        {
            var tiles = DemoBasemap.Write(data, basemap.Path);
            Step($"base map ({tiles} tiles)");
        }

        logger.LogInformation("Demo subdistrict stored step by step: {Steps}", string.Join(", ", steps));
        logger.LogInformation(
            "Demo subdistrict loaded: {Grids} grids, {Compounds} compounds, {Buildings} buildings, {Users} accounts, {Cases} cases, {Patrols} patrols ({PatrolMs} ms of it; cases {CaseMs} ms) (generated in {Generated} ms, stored in {Stored} ms)",
            data.Grids.Count, data.Compounds.Count, data.Buildings.Count, data.Users.Count, data.Cases.Count, patrols.Patrols.Count, (int)patrolTime.TotalMilliseconds, (int)caseTime.TotalMilliseconds,
            (int)generated.TotalMilliseconds, (int)(clock.Elapsed - generated).TotalMilliseconds);
        return true;
    }

    /// <summary>
    /// A handful of sensors and cameras at buildings of the main subdistrict, to try the device webhook and MQTT with. Their
    /// signing secret is the demo password, so that a person can sign by hand (README); a real device's secret is random and
    /// shown once. Their silence counts from now: without heartbeats the silence check opens a device-offline case each.
    /// </summary>
    private List<Features.Devices.Device> DemoDevices(IReadOnlyList<Domain.Geography.Building> buildings, string password, DateTimeOffset now)
    {
        var main = buildings.Where(b => b.GridCode.StartsWith("610103099", StringComparison.Ordinal)).OrderBy(b => b.Code, StringComparer.Ordinal).ToList();
        if (main.Count == 0)
        {
            return [];
        }

        var secret = devices.Protect(password);
        (string Code, Features.Devices.DeviceKind Kind, string Name, string Model, string Owner)[] plan =
        [
            ("SMK-0001", Features.Devices.DeviceKind.SmokeDetector, "楼道烟感", "海曼 HM-608PH-NB", "物业服务中心"),
            ("SMK-0002", Features.Devices.DeviceKind.SmokeDetector, "电动车棚烟感", "海曼 HM-608PH-NB", "物业服务中心"),
            ("WL-0001", Features.Devices.DeviceKind.WaterLevelSensor, "地下车库水位计", "拓普 TP-WL200", "街道城运中心"),
            ("MH-0001", Features.Devices.DeviceKind.ManholeCoverSensor, "路口井盖倾斜传感器", "智井 ZJ-T1", "市政设施管理所"),
            ("CAM-0001", Features.Devices.DeviceKind.Camera, "小区东门摄像头（天眼）", "海康 DS-2CD3T47", "派出所"),
            ("CAM-0002", Features.Devices.DeviceKind.Camera, "垃圾分类点摄像头", "大华 DH-IPC-HFW", "城管执法中队"),
            ("SPK-0001", Features.Devices.DeviceKind.Speaker, "广场室外防水音柱", "ITC T-6200 IP 音柱", "街道城运中心"),
            ("SPK-0002", Features.Devices.DeviceKind.Speaker, "小区北门室外防水音柱", "ITC T-6200 IP 音柱", "街道城运中心"),
            ("SPK-0003", Features.Devices.DeviceKind.Speaker, "河道边室外防水音柱", "ITC T-6200 IP 音柱", "街道城运中心"),
            ("SPK-0004", Features.Devices.DeviceKind.Speaker, "菜市场门口室外防水音柱", "ITC T-6200 IP 音柱", "街道城运中心"),
        ];
        return [.. plan.Select((d, i) =>
        {
            var building = main[(i * 37) % main.Count];
            return new Features.Devices.Device(d.Code, d.Kind, $"{building.Name}{d.Name}", d.Model, d.Owner, building.Location.X, building.Location.Y,
                building.GridCode, secret, now);
        })];
    }

    /// <summary>
    /// Volunteers' phones signed in by QR code, as community staff see them on 志愿者扫码登录: most in daily use, one
    /// revoked after it was lost, one unused for six weeks (signed out by the idle rule).
    /// </summary>
    private static List<TrustedDevice> DemoTrustedDevices(IReadOnlyList<UserAccount> users, DateTimeOffset now)
    {
        var policy = new TrustedDevicePolicy(TimeSpan.FromDays(90), TimeSpan.FromDays(30));
        var labels = new[] { "Android 手机 · 微信", "鸿蒙手机 · 微信", "Android 手机 · Chrome", "iPhone · 微信" };
        var volunteers = users.Where(u => Roles.MaySignInByCode(u.Roles)).OrderBy(u => u.UserName, StringComparer.Ordinal).Take(8).ToList();
        var community = users.FirstOrDefault(u => u.UserName == DemoAccounts.CommunityStaff);
        var devices = new List<TrustedDevice>();
        for (var i = 0; i < volunteers.Count; i++)
        {
            var signedIn = now.AddDays(-(12 + 5 * i));
            var device = new TrustedDevice(volunteers[i].Id, volunteers[i].ScopeCode, labels[i % labels.Length], signedIn, policy);
            device.Touch(i == volunteers.Count - 1 ? now.AddDays(-42) : now.AddHours(-(3 + 7 * i)), TimeSpan.Zero, policy);
            if (i == 2 && community is not null)
            {
                device.Revoke(community.Id, now.AddDays(-2));
            }

            devices.Add(device);
        }

        return devices;
    }
}
