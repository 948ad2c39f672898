namespace CivicGrid.Domain.Briefings;

/// <summary>
/// When recipients who have not yet read (or, where confirmation is asked for, not yet confirmed) a briefing are reminded.
/// Days are Beijing calendar days (UTC+8, no daylight saving).
/// </summary>
public static class BriefingReminders
{
    public static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    /// <summary>The Beijing calendar day of an instant.</summary>
    public static DateOnly BeijingDay(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(BeijingOffset).DateTime);

    /// <summary>
    /// The Beijing day for which the daily reminder is due at <paramref name="now"/>, or null when none is: one reminder a
    /// day, from the day after the briefing was sent (the sending itself notified everyone) until its due time, not before
    /// <paramref name="notBefore"/> Beijing time (nobody is woken at night), and not on a day someone already reminded (the
    /// sender's "remind now" counts). A briefing without a due time gets no automatic reminders.
    /// </summary>
    /// <param name="lastRemindedAt">The last reminder of this briefing, by the job or by the sender.</param>
    public static DateOnly? DailyReminderDay(DateTimeOffset sentAt, DateTimeOffset? dueAt, DateTimeOffset? lastRemindedAt, DateTimeOffset now,
        TimeOnly notBefore)
    {
        if (dueAt is not { } due || now >= due)
        {
            return null;
        }

        var today = BeijingDay(now);
        if (today <= BeijingDay(sentAt) || TimeOnly.FromDateTime(now.ToOffset(BeijingOffset).DateTime) < notBefore)
        {
            return null;
        }

        return lastRemindedAt is { } last && BeijingDay(last) >= today ? null : today;
    }

    /// <summary>
    /// True when the sender's "remind now" repeats one made less than <paramref name="window"/> ago: the repeat reminds nobody
    /// again (a double click, a retried request).
    /// </summary>
    public static bool RepeatsRecentReminder(DateTimeOffset? lastRemindedAt, DateTimeOffset now, TimeSpan window) =>
        lastRemindedAt is { } last && now - last < window;
}
