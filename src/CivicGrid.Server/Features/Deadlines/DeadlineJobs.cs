using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Calendar;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Jobs;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using CivicGrid.Server.Features.Cases.LocationQueue;

namespace CivicGrid.Server.Features.Deadlines;

/// <summary>
/// (a) Reminds the assignee (the user, or every liaison of the assigned department) when an assignment is due within
/// <see cref="DueReminderOptions.LeadWorkingHours"/> working hours, or, for a category whose limit counts natural time,
/// within <see cref="DueReminderOptions.LeadNaturalHours"/> hours of the clock (at night and on holidays too); once per
/// assignment and due time.
/// </summary>
public sealed class DueReminderJob(CivicGridDbContext db, WorkCalendarProvider calendars, IOptions<DueReminderOptions> options) : IScheduledJob
{
    public string Name => "due-reminders";

    public ScheduledJobOptions Schedule => options.Value;

    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var calendar = await calendars.GetAsync(ct);
        var lead = options.Value.LeadWorkingHours;
        var naturalLead = options.Value.LeadNaturalHours;
        // Working hours can hide behind a long holiday: look far enough ahead in calendar time, then count exactly.
        var horizon = now + TimeSpan.FromDays(15 + (2 * Math.Ceiling(lead / calendar.WorkingHoursPerDay)));
        var natural = new[] { TimeLimitUnit.NaturalHours, TimeLimitUnit.NaturalDays };
        var due = await (
                from c in db.Cases.IgnoreQueryFilters().AsNoTracking()
                join k in db.CaseCategories.AsNoTracking() on c.CategoryCode equals k.Code into kinds
                from k in kinds.DefaultIfEmpty()
                where (c.Status == CaseStatus.Assigned || c.Status == CaseStatus.InHandling) && c.DueAt != null && c.DueAt > now && c.DueAt <= horizon
                select new
                {
                    c.Id, c.Number, c.Title, DueAt = c.DueAt!.Value, c.AssigneeUserId, c.AssigneeDepartmentId,
                    Natural = k != null && natural.Contains(k.TimeLimitUnit),
                })
            .ToListAsync(ct);

        var reminded = 0;
        foreach (var c in due.Where(c => c.Natural ? (c.DueAt - now).TotalHours <= naturalLead : calendar.WorkingHoursBetween(now, c.DueAt) <= lead))
        {
            var key = $"due-reminder:{c.Id:N}:{c.DueAt.UtcTicks}";
            if (await db.OnceAsync(key, now, async writer =>
                {
                    var assignees = await writer.AssigneesAsync(new CaseAssigneeRef(c.AssigneeUserId, c.AssigneeDepartmentId), ct);
                    await writer.NotifyUsersAsync(assignees, null, key, NotificationKinds.CaseDueSoon, "案件即将到期",
                        $"案件 {c.Number}「{c.Title}」将于 {CaseNotificationRules.BeijingTime(c.DueAt)} 到期，请抓紧办理。", c.Number, now, OutboxTemplates.CaseTask, ct);
                }, ct))
            {
                reminded++;
            }
        }

        return reminded;
    }
}

/// <summary>
/// (b) Escalates overdue cases one colour up, as the system (<c>Case.Escalate(Actor.System, …, automatic: true)</c>),
/// for the colours <see cref="OverdueEscalationOptions"/> enables. The case's version guards against a second run:
/// whoever saves second finds the case moved on and leaves it. The escalation clears the assignment, so a case climbs
/// one colour per missed deadline, never to red in one run; its new owner and its reporter are notified by the save.
/// </summary>
public sealed class OverdueEscalationJob(CivicGridDbContext db, IOptions<OverdueEscalationOptions> options, ILogger<OverdueEscalationJob> logger) : IScheduledJob
{
    public string Name => "overdue-escalation";

    public ScheduledJobOptions Schedule => options.Value;

    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var settings = options.Value;
        var tiers = settings.Tiers().ToList();
        if (tiers.Count == 0)
        {
            return 0;
        }

        var cutoff = now - settings.GracePeriod;
        var ids = await db.Cases.IgnoreQueryFilters().AsNoTracking()
            .Where(c => (c.Status == CaseStatus.Assigned || c.Status == CaseStatus.InHandling) && c.DueAt != null && c.DueAt < cutoff && tiers.Contains(c.Tier))
            .OrderBy(c => c.DueAt).Select(c => c.Id).Take(settings.BatchSize).ToListAsync(ct);

        return await CaseJobs.ForEachAsync(db, ids, logger, Name, c =>
        {
            if (c.DueAt is not { } due || due >= cutoff || !tiers.Contains(c.Tier))
            {
                return false;
            }

            c.Escalate(Actor.System, c.Version, now, $"超过办理时限（{CaseNotificationRules.BeijingTime(due)}）未办结，系统自动升级。", automatic: true);
            return true;
        }, ct);
    }
}

/// <summary>(c) Evaluates verified cases automatically once nobody rated them for <see cref="AutoEvaluationOptions.WaitingDays"/> days.</summary>
/// <remarks>Only cases with a recorded verification time: imported history has none and is not acted on.</remarks>
public sealed class AutoEvaluationJob(CivicGridDbContext db, IOptions<AutoEvaluationOptions> options, ILogger<AutoEvaluationJob> logger) : IScheduledJob
{
    public string Name => "auto-evaluation";

    public ScheduledJobOptions Schedule => options.Value;

    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var waiting = TimeSpan.FromDays(options.Value.WaitingDays);
        var cutoff = now - waiting;
        var ids = await db.Cases.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.Status == CaseStatus.Verified && c.VerifiedAt != null && c.VerifiedAt <= cutoff)
            .OrderBy(c => c.VerifiedAt).Select(c => c.Id).Take(options.Value.BatchSize).ToListAsync(ct);

        return await CaseJobs.ForEachAsync(db, ids, logger, Name, c =>
        {
            if (c.Status != CaseStatus.Verified || c.VerifiedAt is not { } verified || verified > cutoff)
            {
                return false;
            }

            c.AutoEvaluate(Actor.System, c.Version, now, waiting);
            return true;
        }, ct);
    }
}

/// <summary>(d) Tells owner staff and the assignee, once per supervision, that a supervision's deadline (督办时限) passed with the case still open.</summary>
public sealed class SupervisionDeadlineJob(CivicGridDbContext db, IOptions<SupervisionDeadlineOptions> options) : IScheduledJob
{
    public string Name => "supervision-deadlines";

    public ScheduledJobOptions Schedule => options.Value;

    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var since = now - options.Value.LookBack;
        var overdue = await db.Cases.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.Status != CaseStatus.Rejected && c.Status != CaseStatus.Closed && c.Status != CaseStatus.Merged && c.Status != CaseStatus.Withdrawn
                && c.SupervisionDueAt != null && c.SupervisionDueAt < now && c.SupervisionDueAt > since)
            .Select(c => new { c.Id, c.Number, c.Title, c.GridCode, c.Tier, Due = c.SupervisionDueAt!.Value, c.AssigneeUserId, c.AssigneeDepartmentId })
            .ToListAsync(ct);

        var told = 0;
        foreach (var c in overdue)
        {
            var key = $"supervision-overdue:{c.Id:N}:{c.Due.UtcTicks}";
            if (await db.OnceAsync(key, now, async writer =>
                {
                    var users = new List<Guid>(await writer.OwnerStaffAsync(CaseRules.OwnerCodeOf(c.GridCode, c.Tier), c.Tier, ct));
                    users.AddRange(await writer.AssigneesAsync(new CaseAssigneeRef(c.AssigneeUserId, c.AssigneeDepartmentId), ct));
                    await writer.NotifyUsersAsync(users, null, key, NotificationKinds.SupervisionOverdue, "督办超期",
                        $"案件 {c.Number}「{c.Title}」的督办时限（{CaseNotificationRules.BeijingTime(c.Due)}）已过，案件仍未办结。", c.Number, now, OutboxTemplates.CaseTask, ct);
                }, ct))
            {
                told++;
            }
        }

        return told;
    }
}

/// <summary>(e) Tells owner staff, once per review date, that a parked case (挂账) reached its review date (China's calendar).</summary>
public sealed class ParkReviewJob(CivicGridDbContext db, IOptions<ParkReviewOptions> options) : IScheduledJob
{
    public string Name => "park-reviews";

    public ScheduledJobOptions Schedule => options.Value;

    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var due = await db.Cases.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.Status == CaseStatus.Parked && c.ParkedUntil != null && c.ParkedUntil <= today)
            .Select(c => new { c.Id, c.Number, c.Title, c.GridCode, c.Tier, ReviewOn = c.ParkedUntil!.Value })
            .ToListAsync(ct);

        var told = 0;
        foreach (var c in due)
        {
            var key = $"park-review:{c.Id:N}:{c.ReviewOn.DayNumber}";
            if (await db.OnceAsync(key, now, async writer =>
                {
                    var owners = await writer.OwnerStaffAsync(CaseRules.OwnerCodeOf(c.GridCode, c.Tier), c.Tier, ct);
                    await writer.NotifyUsersAsync(owners, null, key, NotificationKinds.ParkReviewDue, "挂账案件到期复查",
                        $"挂账案件 {c.Number}「{c.Title}」已到复查日期（{c.ReviewOn.Year}年{c.ReviewOn.Month}月{c.ReviewOn.Day}日），请复查并决定恢复办理或继续挂账。",
                        c.Number, now, OutboxTemplates.CaseTask, ct);
                }, ct))
            {
                told++;
            }
        }

        return told;
    }
}

/// <summary>
/// (f) Supervises (督办) as the system cases overdue for longer than <see cref="AutoSupervisionOptions.OverdueFor"/>,
/// with a deadline of <see cref="AutoSupervisionOptions.DeadlineWorkingHours"/> working hours; once per assignment
/// (a case whose supervision deadline already lies beyond its due time is left alone). Off by default.
/// </summary>
public sealed class AutoSupervisionJob(CivicGridDbContext db, WorkCalendarProvider calendars, IOptions<AutoSupervisionOptions> options,
    ILogger<AutoSupervisionJob> logger) : IScheduledJob
{
    public string Name => "auto-supervision";

    public ScheduledJobOptions Schedule => options.Value;

    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var calendar = await calendars.GetAsync(ct);
        var cutoff = now - options.Value.OverdueFor;
        var ids = await db.Cases.IgnoreQueryFilters().AsNoTracking()
            .Where(c => (c.Status == CaseStatus.Assigned || c.Status == CaseStatus.InHandling) && c.DueAt != null && c.DueAt < cutoff
                && (c.SupervisionDueAt == null || c.SupervisionDueAt < c.DueAt))
            .OrderBy(c => c.DueAt).Select(c => c.Id).Take(500).ToListAsync(ct);
        var deadline = calendar.AddWorkingHours(now, options.Value.DeadlineWorkingHours);

        return await CaseJobs.ForEachAsync(db, ids, logger, Name, c =>
        {
            if (c.DueAt is not { } due || due >= cutoff || (c.SupervisionDueAt is { } supervised && supervised >= due))
            {
                return false;
            }

            c.Supervise(Actor.System, c.Version, now, $"案件已超过办理时限（{CaseNotificationRules.BeijingTime(due)}），系统自动督办，请尽快办结。", deadline);
            return true;
        }, ct);
    }
}

/// <summary>
/// (g) Gives every case whose location confirmation deadline passed to its best candidate, as the system
/// (<see cref="Cases.LocationQueue.LocationQueueApi.ExpireDueAsync"/>; the case's version keeps two runs from both doing it).
/// </summary>
public sealed class LocationConfirmationJob(CivicGridDbContext db, IOptions<LocationConfirmationOptions> options, ILogger<LocationConfirmationJob> logger)
    : IScheduledJob
{
    public string Name => "location-confirmation";

    public ScheduledJobOptions Schedule => options.Value;

    public Task<int> RunAsync(DateTimeOffset now, CancellationToken ct) => Cases.LocationQueue.LocationQueueApi.ExpireDueAsync(db, new At(now), logger, ct);

    /// <summary>The run's time, for code that reads a clock.</summary>
    private sealed class At(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

/// <summary>How the case jobs change cases: one case per save, loaded fresh, a lost race or a changed case skipped.</summary>
internal static class CaseJobs
{
    /// <summary>
    /// Loads each case (whatever the scope), lets <paramref name="act"/> apply a verb (returning false to leave it),
    /// and saves it on its own. A case someone else changed first (a stale version, the same timeline entry
    /// written by another run) or that no longer meets the verb's rules is skipped; any other failure ends the
    /// run (the runner logs it and tries again next time). Returns how many were saved.
    /// </summary>
    public static async Task<int> ForEachAsync(CivicGridDbContext db, IReadOnlyList<Guid> ids, ILogger logger, string job, Func<Case, bool> act,
        CancellationToken ct)
    {
        var done = 0;
        foreach (var id in ids)
        {
            try
            {
                var subject = await db.Cases.IgnoreQueryFilters().SingleOrDefaultAsync(c => c.Id == id, ct);
                if (subject is null || !act(subject))
                {
                    continue;
                }

                await db.SaveChangesAsync(ct);
                done++;
            }
            catch (Exception e) when (e is DbUpdateConcurrencyException or CaseRuleException or CaseConcurrencyException
                || (e is DbUpdateException update && DbErrors.IsUniqueViolation(update)))
            {
                logger.LogInformation("Job {Job} left case {CaseId}: it changed meanwhile ({Reason})", job, id, e.GetType().Name);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }

        return done;
    }
}
