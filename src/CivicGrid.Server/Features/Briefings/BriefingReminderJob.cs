using System.ComponentModel.DataAnnotations;
using CivicGrid.Domain.Briefings;
using CivicGrid.Server.Infrastructure.Jobs;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Briefings;

/// <summary>Settings of the daily briefing reminders, under <c>Jobs:BriefingReminders</c>.</summary>
public sealed class BriefingReminderOptions : ScheduledJobOptions
{
    public const string Section = "BriefingReminders";

    public BriefingReminderOptions()
    {
        Interval = TimeSpan.FromMinutes(30);
    }

    /// <summary>The earliest Beijing time of day a reminder goes out (default 09:00).</summary>
    public TimeOnly NotBefore { get; set; } = new(9, 0);

    /// <summary>At most this many briefings are looked at per run.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;
}

/// <summary>
/// Reminds the recipients of each open briefing who have not read it (or not confirmed it, where confirmation is asked
/// for), once a day until its reading deadline (<see cref="BriefingReminders.DailyReminderDay"/>). Each day's reminder of a
/// briefing is saved with a job mark keyed by briefing and day, so a second run or instance reminds nobody twice; a day
/// on which the sender already pressed "remind now" is skipped.
/// </summary>
public sealed class BriefingReminderJob(CivicGridDbContext db, IOptions<BriefingReminderOptions> options) : IScheduledJob
{
    public string Name => "briefing-reminders";

    public ScheduledJobOptions Schedule => options.Value;

    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var settings = options.Value;
        var open = await db.Briefings.IgnoreQueryFilters().AsNoTracking()
            .Where(b => b.DueAt != null && b.DueAt > now
                && b.Recipients.Any(r => b.RequiresConfirmation ? r.ConfirmedAt == null : r.FirstOpenedAt == null))
            .OrderBy(b => b.DueAt).Take(settings.BatchSize)
            .Select(b => new { b.Id, b.SentAt, b.DueAt, b.LastRemindedAt })
            .ToListAsync(ct);

        var reminded = 0;
        foreach (var b in open)
        {
            if (BriefingReminders.DailyReminderDay(b.SentAt, b.DueAt, b.LastRemindedAt, now, settings.NotBefore) is not { } day)
            {
                continue;
            }

            var key = $"briefing-reminder:{b.Id:N}:{day:yyyyMMdd}";
            var count = 0;
            if (await db.OnceAsync(key, now, async writer =>
                {
                    var briefing = await db.Briefings.IgnoreQueryFilters().Include(x => x.Recipients).SingleAsync(x => x.Id == b.Id, ct);
                    var outstanding = briefing.Remind(now);
                    count = outstanding.Count;
                    await BriefingNotices.RemindedAsync(writer, briefing, outstanding, now, ct);
                }, ct))
            {
                reminded += count;
            }
        }

        return reminded;
    }
}
