using System.ComponentModel.DataAnnotations;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Infrastructure.Jobs;

/// <summary><c>Jobs:Housekeeping</c>: how long working records that only grow are kept.</summary>
public sealed class HousekeepingOptions : ScheduledJobOptions
{
    public const string Section = "Housekeeping";

    public HousekeepingOptions()
    {
        Interval = TimeSpan.FromHours(1);
    }

    /// <summary>
    /// Job marks ("this reminder was sent"). A mark older than this may let a one-off notice about a case that has stayed
    /// in the same state all that time be sent once more, so the default is a year.
    /// </summary>
    [Range(typeof(TimeSpan), "7.00:00:00", "3650.00:00:00")]
    public TimeSpan KeepJobMarks { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Outbox messages delivered (SMS, WeChat) — their content is also on the case and in the in-app inbox.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan KeepSentMessages { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Outbox messages given up on, kept longer so an operator can see what never arrived.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan KeepFailedMessages { get; set; } = TimeSpan.FromDays(180);

    /// <summary>
    /// Sign-in sessions after they expired: they are the login history, which China's Cybersecurity Law (art. 21) asks
    /// operators to keep for at least six months.
    /// </summary>
    [Range(typeof(TimeSpan), "180.00:00:00", "3650.00:00:00")]
    public TimeSpan KeepExpiredSessions { get; set; } = TimeSpan.FromDays(180);
}

/// <summary>
/// Deletes what has served its purpose: expired idempotency records, old job marks, delivered and long-failed outbox
/// messages, sessions past the login-history period. Each kind is one set-based DELETE, safe to run on several
/// instances at once (a row already deleted is simply not there).
/// </summary>
public sealed class HousekeepingJob(CivicGridDbContext db, IdempotencyStore idempotency, IOptions<HousekeepingOptions> options, IOptions<Features.Live.LiveOptions> live,
    ILogger<HousekeepingJob> logger) : IScheduledJob
{
    public string Name => "housekeeping";

    public ScheduledJobOptions Schedule => options.Value;

    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var keep = options.Value;
        var marksBefore = now - keep.KeepJobMarks;
        var sentBefore = now - keep.KeepSentMessages;
        var failedBefore = now - keep.KeepFailedMessages;
        var sessionsBefore = now - keep.KeepExpiredSessions;

        var keys = await idempotency.DeleteExpiredAsync(ct);
        var marks = await db.JobMarks.Where(m => m.CreatedAt < marksBefore).ExecuteDeleteAsync(ct);
        var sent = await db.OutboxMessages.IgnoreQueryFilters()
            .Where(m => m.State == OutboxState.Sent && m.CreatedAt < sentBefore).ExecuteDeleteAsync(ct);
        var failed = await db.OutboxMessages.IgnoreQueryFilters()
            .Where(m => m.State == OutboxState.Failed && m.CreatedAt < failedBefore).ExecuteDeleteAsync(ct);
        var sessions = await db.Sessions.IgnoreQueryFilters().Where(s => s.ExpiresAt < sessionsBefore).ExecuteDeleteAsync(ct);

        // Second-factor challenges and volunteers' sign-in codes are part of the login history too.
        sessions += await db.Set<Domain.Accounts.SignInChallenge>().IgnoreQueryFilters().Where(c => c.ExpiresAt < sessionsBefore).ExecuteDeleteAsync(ct);
        sessions += await db.Set<Domain.Accounts.SignInCode>().IgnoreQueryFilters().Where(c => c.ExpiresAt < sessionsBefore).ExecuteDeleteAsync(ct);

        // Live events serve screens that reconnect within minutes; a day is plenty.
        var liveBefore = now - live.Value.Keep;
        var liveEvents = await db.Set<Features.Live.LiveEvent>().IgnoreQueryFilters().Where(e => e.At < liveBefore).ExecuteDeleteAsync(ct);

        var total = keys + marks + sent + failed + sessions + liveEvents;
        if (total > 0)
        {
            logger.LogInformation(
                "Housekeeping deleted {Keys} idempotency records, {Marks} job marks, {Sent} sent and {Failed} failed outbox messages, {Sessions} expired sessions and sign-in challenges, {Live} live events",
                keys, marks, sent, failed, sessions, liveEvents);
        }

        return total;
    }
}
