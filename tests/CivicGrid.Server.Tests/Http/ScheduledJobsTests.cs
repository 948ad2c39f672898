using System.Net.Http.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Deadlines;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Jobs;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The deadline jobs and their runner on each provider: a double run escalates once, a reminder goes out once per
/// assignment, automatic evaluation waits its period, one-off notices are sent once, a lease held elsewhere
/// blocks a run, and the schedule lives in the database. Cases are made with their history in the past and the jobs
/// run at the real time; they act on every past-due case in the database, which is this class's own copy of the demo
/// (<see cref="CivicGridApp"/>), so other classes' cases are never touched.
/// </summary>
public abstract class ScheduledJobsTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OverdueGreenCase_IsEscalatedToYellowOnce_EvenWhenTheJobRunsTwiceAtOnce()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var now = DateTimeOffset.UtcNow;
        var overdue = await CrewCases.CreateAsync(app, crew, now.AddHours(-3), steps: c =>
        {
            c.Accept(crew.Leader, c.Version, now.AddHours(-3).AddMinutes(5));
            c.Assign(crew.Leader, c.Version, now.AddHours(-2), CaseAssignee.User(crew.Worker.UserId, crew.Worker.DisplayName), now.AddHours(-1));
        });

        await Task.WhenAll(Task.Run(() => RunJobAsync<OverdueEscalationJob>(now), Ct), Task.Run(() => RunJobAsync<OverdueEscalationJob>(now), Ct));
        await RunJobAsync<OverdueEscalationJob>(now.AddMinutes(1));

        var stored = await CrewCases.ReadAsync(app, overdue.Number);
        Assert.Equal(CaseTier.Yellow, stored.Tier);
        Assert.Equal(CaseStatus.Accepted, stored.Status);
        Assert.Null(stored.DueAt);
        var escalation = Assert.Single(stored.Timeline, e => e.Action == "escalate");
        Assert.Equal("true", escalation.Details["automatic"]);
        Assert.Equal(overdue.Version + 1, stored.Version);
        Assert.Null(stored.VerifyTimeline());

        // The save told the community that owns it now.
        var community = crew.MicroGridCode[..GridCodes.CommunityLength];
        var staff = await app.WithDatabaseAsync(db => db.Users.Where(u => u.ScopeCode == community && u.IsActive && u.Roles.Contains(Role.CommunityStaff))
            .Select(u => u.Id).ToListAsync(Ct));
        Assert.NotEmpty(staff);
        var key = CaseNotificationRules.SourceKeyOf(stored.Id, escalation.Sequence);
        var told = await app.WithDatabaseAsync(db => db.Notifications.Where(n => n.SourceKey == key && n.Kind == NotificationKinds.CaseEscalated)
            .Select(n => n.UserId).ToListAsync(Ct));
        Assert.Equal(staff.Order(), told.Order());
    }

    [Fact]
    public async Task OverdueEscalation_LeavesAColourItIsNotConfiguredFor()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var now = DateTimeOffset.UtcNow;
        var overdue = await OverdueCaseAsync(crew, now);
        await using var scope = app.Services.CreateAsyncScope();
        var job = new OverdueEscalationJob(scope.ServiceProvider.GetRequiredService<CivicGridDbContext>(),
            Options.Create(new OverdueEscalationOptions { EscalateGreen = false }), NullLogger<OverdueEscalationJob>.Instance);

        await job.RunAsync(now, Ct);

        Assert.Equal(CaseTier.Green, (await CrewCases.ReadAsync(app, overdue.Number)).Tier);
    }

    [Fact]
    public async Task DueReminder_IsSentOncePerAssignment_AndNotForAFarDueTime()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var now = DateTimeOffset.UtcNow;
        var soon = await CrewCases.CreateAsync(app, crew, now.AddMinutes(-30), steps: c =>
        {
            c.Accept(crew.Leader, c.Version, now.AddMinutes(-25));
            c.Assign(crew.Leader, c.Version, now.AddMinutes(-20), CaseAssignee.User(crew.Worker.UserId, crew.Worker.DisplayName), now.AddMinutes(30));
        });
        var later = await CrewCases.CreateAsync(app, crew, now.AddMinutes(-30), steps: c =>
        {
            c.Accept(crew.Leader, c.Version, now.AddMinutes(-25));
            c.Assign(crew.Leader, c.Version, now.AddMinutes(-20), CaseAssignee.User(crew.Worker.UserId, crew.Worker.DisplayName), now.AddDays(30));
        });

        await Task.WhenAll(Task.Run(() => RunJobAsync<DueReminderJob>(now), Ct), Task.Run(() => RunJobAsync<DueReminderJob>(now), Ct));
        await RunJobAsync<DueReminderJob>(now.AddMinutes(5));

        Assert.Equal(1, await RemindersAsync(soon.Number));
        Assert.Equal(0, await RemindersAsync(later.Number));
        var reminder = await app.WithDatabaseAsync(db => db.Notifications.SingleAsync(n => n.CaseNumber == soon.Number && n.Kind == NotificationKinds.CaseDueSoon, Ct));
        Assert.Equal(crew.Worker.UserId, reminder.UserId);

        // A new assignment with a new due time is a new thing to be reminded of.
        await CrewCases.ChangeAsync(app, soon.Number, c =>
            c.Assign(crew.Leader, c.Version, now.AddMinutes(1), CaseAssignee.User(crew.Worker.UserId, crew.Worker.DisplayName), now.AddMinutes(40)));
        await RunJobAsync<DueReminderJob>(now.AddMinutes(6));
        Assert.Equal(2, await RemindersAsync(soon.Number));
    }

    [Fact]
    public async Task UrgentCaseAtNightOnAHoliday_IsDueWithinItsNaturalHours_RemindedBeforeAndEscalatedWhenIgnored()
    {
        // 01:55 on 2 October 2026, in the National Day holiday: a fire alarm (E0403, 1 natural hour) and flooding (E0404,
        // 4 natural hours) are assigned with the due times the assignment endpoint gives them (CaseCategory.DueAt).
        var crew = await CrewCases.CrewAsync(app, Ct);
        var assignedAt = new DateTimeOffset(2026, 10, 2, 1, 55, 0, TimeSpan.FromHours(8)).ToUniversalTime();
        var (calendar, fire, flooding) = await app.WithDatabaseAsync(async db => (
            await app.Services.GetRequiredService<Features.Calendar.WorkCalendarProvider>().GetAsync(Ct),
            await db.CaseCategories.SingleAsync(c => c.Code == "E0403", Ct),
            await db.CaseCategories.SingleAsync(c => c.Code == "E0404", Ct)));
        Assert.True(fire.CountsNaturalTime && flooding.CountsNaturalTime);
        Task<Case> AssignedAsync(CaseCategory category) => CrewCases.CreateAsync(app, crew, assignedAt.AddMinutes(-10), categoryCode: category.Code, steps: c =>
        {
            c.Accept(crew.Leader, c.Version, assignedAt.AddMinutes(-8));
            c.Assign(crew.Leader, c.Version, assignedAt, CaseAssignee.User(crew.Worker.UserId, crew.Worker.DisplayName),
                category.DueAt(calendar, assignedAt, c.Tier));
        });
        var alarm = await AssignedAsync(fire);
        var flood = await AssignedAsync(flooding);
        Assert.Equal(assignedAt.AddHours(1), alarm.DueAt);
        Assert.Equal(assignedAt.AddHours(4), flood.DueAt);

        // Half an hour ahead (LeadNaturalHours), at night: not at 02:20 (35 minutes left), at 02:30 (25 minutes). The flood,
        // due at 05:55, is not reminded although no working hour is left before it.
        await RunJobAsync<DueReminderJob>(assignedAt.AddMinutes(25));
        Assert.Equal(0, await RemindersAsync(alarm.Number));
        await RunJobAsync<DueReminderJob>(assignedAt.AddMinutes(35));
        Assert.Equal(1, await RemindersAsync(alarm.Number));
        Assert.Equal(0, await RemindersAsync(flood.Number));

        // Ignored past 02:55: the 03:00 run escalates the fire alarm to the community; the flood still has time.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var job = new OverdueEscalationJob(scope.ServiceProvider.GetRequiredService<CivicGridDbContext>(),
                Options.Create(new OverdueEscalationOptions { BatchSize = 10_000 }), NullLogger<OverdueEscalationJob>.Instance);
            await job.RunAsync(assignedAt.AddMinutes(65), Ct);
        }

        var escalated = await CrewCases.ReadAsync(app, alarm.Number);
        Assert.Equal(CaseTier.Yellow, escalated.Tier);
        Assert.Contains(escalated.Timeline, e => e.Action == "escalate" && e.Details["automatic"] == "true");
        Assert.Equal(CaseTier.Green, (await CrewCases.ReadAsync(app, flood.Number)).Tier);
    }

    [Fact]
    public async Task AutoEvaluation_EvaluatesAfterTheWaitingPeriod_AndNotBefore()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var now = DateTimeOffset.UtcNow;
        var waitedLongEnough = await VerifiedCaseAsync(crew, now.AddDays(-8));
        var stillWaiting = await VerifiedCaseAsync(crew, now.AddDays(-6));

        await RunJobAsync<AutoEvaluationJob>(now);

        var evaluated = await CrewCases.ReadAsync(app, waitedLongEnough.Number);
        Assert.Equal(CaseStatus.Evaluated, evaluated.Status);
        Assert.True(evaluated.EvaluatedAutomatically);
        Assert.Null(evaluated.Rating);
        Assert.Equal(CaseStatus.Verified, (await CrewCases.ReadAsync(app, stillWaiting.Number)).Status);

        await RunJobAsync<AutoEvaluationJob>(now.AddDays(1).AddHours(1));
        Assert.Equal(CaseStatus.Evaluated, (await CrewCases.ReadAsync(app, stillWaiting.Number)).Status);
        Assert.Single((await CrewCases.ReadAsync(app, waitedLongEnough.Number)).Timeline, e => e.Action == "auto-evaluate");
    }

    [Fact]
    public async Task SupervisionPastItsDeadline_TellsOwnerStaffAndTheAssigneeOnce()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var now = DateTimeOffset.UtcNow;
        var supervised = await CrewCases.CreateAsync(app, crew, now.AddHours(-4), steps: c =>
        {
            c.Accept(crew.Leader, c.Version, now.AddHours(-4).AddMinutes(5));
            c.Assign(crew.Leader, c.Version, now.AddHours(-3), CaseAssignee.User(crew.Worker.UserId, crew.Worker.DisplayName), now.AddDays(3));
            c.Supervise(Actor.System, c.Version, now.AddHours(-2), "请于一小时内反馈进展", now.AddHours(-1));
        });

        await RunJobAsync<SupervisionDeadlineJob>(now);
        await RunJobAsync<SupervisionDeadlineJob>(now.AddMinutes(5));

        var told = await app.WithDatabaseAsync(db => db.Notifications
            .Where(n => n.CaseNumber == supervised.Number && n.Kind == NotificationKinds.SupervisionOverdue).Select(n => n.UserId).ToListAsync(Ct));
        Assert.Equal(new[] { crew.Leader.UserId, crew.Worker.UserId }.Order(), told.Order());
    }

    [Fact]
    public async Task ParkedCaseAtItsReviewDate_TellsOwnerStaffOnce()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var now = DateTimeOffset.UtcNow;
        var parkedAt = now.AddDays(-3);
        var reviewOn = DateOnly.FromDateTime(parkedAt.ToOffset(TimeSpan.FromHours(8)).DateTime).AddDays(1);
        var parked = await CrewCases.CreateAsync(app, crew, parkedAt.AddHours(-1), steps: c =>
        {
            c.Accept(crew.Leader, c.Version, parkedAt.AddMinutes(-30));
            c.Park(crew.Leader, c.Version, parkedAt, "等待管网改造", reviewOn);
        });

        await RunJobAsync<ParkReviewJob>(now);
        await RunJobAsync<ParkReviewJob>(now.AddHours(1));

        var told = await app.WithDatabaseAsync(db => db.Notifications
            .Where(n => n.CaseNumber == parked.Number && n.Kind == NotificationKinds.ParkReviewDue).Select(n => n.UserId).ToListAsync(Ct));
        Assert.Equal([crew.Leader.UserId], told);
    }

    [Fact]
    public async Task AutoSupervision_SupervisesALongOverdueCaseOnce()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var now = DateTimeOffset.UtcNow;
        var overdue = await CrewCases.CreateAsync(app, crew, now.AddDays(-5), steps: c =>
        {
            c.Accept(crew.Leader, c.Version, now.AddDays(-5).AddHours(1));
            c.Assign(crew.Leader, c.Version, now.AddDays(-4), CaseAssignee.User(crew.Worker.UserId, crew.Worker.DisplayName), now.AddDays(-2));
        });

        await RunJobAsync<AutoSupervisionJob>(now);
        await RunJobAsync<AutoSupervisionJob>(now.AddMinutes(10));

        var stored = await CrewCases.ReadAsync(app, overdue.Number);
        Assert.Equal(1, stored.SupervisionCount);
        Assert.True(stored.SupervisionDueAt > now);
        var supervision = Assert.Single(stored.Timeline, e => e.Action == "supervise");
        var key = CaseNotificationRules.SourceKeyOf(stored.Id, supervision.Sequence);
        Assert.True(await app.WithDatabaseAsync(db => db.Notifications.AnyAsync(n => n.SourceKey == key && n.UserId == crew.Worker.UserId, Ct)));
    }

    [Fact]
    public async Task UnclaimedAmbiguousCase_GoesToItsBestCandidate_WhenItsDeadlinePassed()
    {
        var crew = await CrewCases.CrewAsync(app, Ct);
        var sibling = await app.WithDatabaseAsync(db => db.Grids.Where(g => g.ParentCode == crew.Leader.Scope.Code && g.Code != crew.MicroGridCode)
            .OrderBy(g => g.Code).Select(g => g.Code).FirstAsync(Ct));
        var now = DateTimeOffset.UtcNow;
        var pending = await CrewCases.CreateAsync(app, crew, now.AddMinutes(-30), steps: c =>
            c.AwaitLocationConfirmation(Actor.System, c.Version, now.AddMinutes(-30), [crew.MicroGridCode, sibling], now.AddMinutes(-1)));
        var waiting = await CrewCases.CreateAsync(app, crew, now.AddMinutes(-30), steps: c =>
            c.AwaitLocationConfirmation(Actor.System, c.Version, now.AddMinutes(-30), [crew.MicroGridCode, sibling], now.AddHours(1)));

        await RunJobAsync<LocationConfirmationJob>(now);

        var settled = await CrewCases.ReadAsync(app, pending.Number);
        Assert.False(settled.IsLocationPending);
        Assert.Equal(crew.MicroGridCode, settled.GridCode);
        Assert.Equal("true", Assert.Single(settled.Timeline, e => e.Action == "confirm-location").Details["automatic"]);
        Assert.True((await CrewCases.ReadAsync(app, waiting.Number)).IsLocationPending);
    }

    [Fact]
    public async Task LeaseHeldByAnotherInstance_BlocksTheRun_UntilItRunsOut()
    {
        var runner = app.Services.GetRequiredService<JobRunner>();
        var crew = await CrewCases.CrewAsync(app, Ct);
        var waiting = await VerifiedCaseAsync(crew, DateTimeOffset.UtcNow.AddDays(-9));
        const string Name = "auto-evaluation";
        await runner.RunNowAsync(Name, Ct); // makes the row (and evaluates the case: make another)
        var blocked = await VerifiedCaseAsync(crew, DateTimeOffset.UtcNow.AddDays(-9));
        Assert.Equal(CaseStatus.Evaluated, (await CrewCases.ReadAsync(app, waiting.Number)).Status);
        var before = await runner.StateAsync(Name, Ct);
        await SetLeaseAsync(Name, "another-instance", DateTimeOffset.UtcNow.AddMinutes(5));

        var refused = await runner.RunNowAsync(Name, Ct);

        Assert.Equal(JobRunOutcome.NotClaimed, refused.Outcome);
        Assert.Equal(CaseStatus.Verified, (await CrewCases.ReadAsync(app, blocked.Number)).Status);
        Assert.Equal(before!.RunCount, (await runner.StateAsync(Name, Ct))!.RunCount);

        await SetLeaseAsync(Name, "another-instance", DateTimeOffset.UtcNow.AddSeconds(-1));
        var run = await runner.RunNowAsync(Name, Ct);

        Assert.Equal(JobRunOutcome.Succeeded, run.Outcome);
        Assert.True(run.Done >= 1);
        Assert.Equal(CaseStatus.Evaluated, (await CrewCases.ReadAsync(app, blocked.Number)).Status);
        var after = await runner.StateAsync(Name, Ct);
        Assert.Null(after!.LeaseOwner);
        Assert.Null(after.LeaseUntil);
        Assert.Equal(before.RunCount + 1, after.RunCount);
        Assert.Equal(run.Done, after.LastResult);
    }

    [Fact]
    public async Task Schedule_IsKeptInTheDatabase_SoANewRunnerInstanceWaitsForTheNextRun()
    {
        const string Name = "park-reviews";
        var start = DateTimeOffset.UtcNow.AddDays(2);
        var clock = new ManualTime(start);
        var first = ActivatorUtilities.CreateInstance<JobRunner>(app.Services, (TimeProvider)clock);
        var ran = await first.RunNowAsync(Name, Ct);
        Assert.Equal(JobRunOutcome.Succeeded, ran.Outcome);

        // A restarted server (a new runner, another instance id) reads the schedule rather than starting afresh.
        var second = ActivatorUtilities.CreateInstance<JobRunner>(app.Services, (TimeProvider)clock);
        Assert.NotEqual(first.InstanceId, second.InstanceId);
        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(JobRunOutcome.NotClaimed, Assert.Single(await second.RunDueAsync(Ct, [Name])).Outcome);

        clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(JobRunOutcome.Succeeded, Assert.Single(await second.RunDueAsync(Ct, [Name])).Outcome);
        var state = await second.StateAsync(Name, Ct);
        Assert.Equal(clock.Now + TimeSpan.FromHours(1), state!.NextRunAt!.Value, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Housekeeping_DeletesJobMarksPastTheirKeepingPeriod_AndKeepsRecentOnes()
    {
        var now = DateTimeOffset.UtcNow;
        var old = $"test-old:{Guid.NewGuid():N}";
        var recent = $"test-recent:{Guid.NewGuid():N}";
        await app.WithDatabaseAsync(async db =>
        {
            db.JobMarks.AddRange(new JobMark(old, now.AddDays(-400)), new JobMark(recent, now.AddDays(-10)));
            return await db.SaveChangesAsync(Ct);
        });

        var deleted = await RunJobAsync<HousekeepingJob>(now);

        Assert.True(deleted >= 1);
        var left = await app.WithDatabaseAsync(db => db.JobMarks.Where(m => m.Key == old || m.Key == recent).Select(m => m.Key).ToListAsync(Ct));
        Assert.Equal([recent], left);
    }

    [Fact]
    public async Task JobsApi_ListsEveryJobWithItsLastRun_AndOnlyTheSystemAdministratorRunsOne()
    {
        using var admin = await app.ClientForAsync("admin");
        using var auditor = await app.ClientForAsync("auditor");
        using var ops = await app.ClientForAsync("ops");

        var run = await admin.PostAsync(new Uri("/api/admin/jobs/housekeeping/run", UriKind.Relative), null, Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, run.StatusCode);
        var answer = await run.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        Assert.Equal("succeeded", answer.GetProperty("outcome").GetString());

        var list = await auditor.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/admin/jobs", Ct);
        var jobs = list.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("name").GetString()!);
        Assert.Contains("overdue-escalation", jobs.Keys);
        Assert.True(jobs["housekeeping"].GetProperty("runCount").GetInt32() >= 1);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, jobs["housekeeping"].GetProperty("lastFinishedAt").ValueKind);

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await auditor.PostAsync(new Uri("/api/admin/jobs/housekeeping/run", UriKind.Relative), null, Ct)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await ops.GetAsync(new Uri("/api/admin/jobs", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await admin.PostAsync(new Uri("/api/admin/jobs/no-such-job/run", UriKind.Relative), null, Ct)).StatusCode);
    }

    private async Task<int> RunJobAsync<TJob>(DateTimeOffset now)
        where TJob : IScheduledJob
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TJob>().RunAsync(now, Ct);
    }

    private Task<int> RemindersAsync(string number) =>
        app.WithDatabaseAsync(db => db.Notifications.CountAsync(n => n.CaseNumber == number && n.Kind == NotificationKinds.CaseDueSoon, Ct));

    private Task<int> SetLeaseAsync(string name, string owner, DateTimeOffset until) =>
        app.WithDatabaseAsync(db => db.ScheduledJobs.Where(j => j.Name == name)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseOwner, owner).SetProperty(j => j.LeaseUntil, until), Ct));

    private Task<Case> OverdueCaseAsync(CaseCrew crew, DateTimeOffset now) => CrewCases.CreateAsync(app, crew, now.AddHours(-3), steps: c =>
    {
        c.Accept(crew.Leader, c.Version, now.AddHours(-3).AddMinutes(5));
        c.Assign(crew.Leader, c.Version, now.AddHours(-2), CaseAssignee.User(crew.Worker.UserId, crew.Worker.DisplayName), now.AddHours(-1));
    });

    /// <summary>A case handled by worker01 and verified by leader01 at <paramref name="verifiedAt"/>.</summary>
    private Task<Case> VerifiedCaseAsync(CaseCrew crew, DateTimeOffset verifiedAt) => CrewCases.CreateAsync(app, crew, verifiedAt.AddDays(-2), steps: c =>
    {
        c.Accept(crew.Leader, c.Version, verifiedAt.AddDays(-2).AddHours(1));
        c.Assign(crew.Leader, c.Version, verifiedAt.AddDays(-2).AddHours(2), CaseAssignee.User(crew.Worker.UserId, crew.Worker.DisplayName), verifiedAt.AddDays(-1));
        c.StartHandling(crew.Worker, c.Version, verifiedAt.AddDays(-2).AddHours(3));
        c.RecordHandled(crew.Worker, c.Version, verifiedAt.AddDays(-1).AddHours(-2), "已清运", [Guid.NewGuid()]);
        c.Verify(crew.Leader, c.Version, verifiedAt, true, null);
    });
}

public sealed class ScheduledJobsTestsOnSqlite(SqliteApp app) : ScheduledJobsTests(app), IClassFixture<SqliteApp>;

public sealed class ScheduledJobsTestsOnPostgres(PostgresApp app) : ScheduledJobsTests(app), IClassFixture<PostgresApp>;
