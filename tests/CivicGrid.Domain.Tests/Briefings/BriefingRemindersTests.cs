using CivicGrid.Domain.Briefings;

namespace CivicGrid.Domain.Tests.Briefings;

public class BriefingRemindersTests
{
    private static readonly TimeOnly NineInTheMorning = new(9, 0);

    /// <summary>Beijing time, 2026-06-01 15:00.</summary>
    private static readonly DateTimeOffset SentAt = Beijing(2026, 6, 1, 15, 0);

    private static readonly DateTimeOffset DueAt = Beijing(2026, 6, 4, 18, 0);

    [Fact]
    public void DailyReminderDay_OnTheDayItWasSent_IsNone()
    {
        Assert.Null(BriefingReminders.DailyReminderDay(SentAt, DueAt, null, Beijing(2026, 6, 1, 20, 0), NineInTheMorning));
    }

    [Fact]
    public void DailyReminderDay_TheNextMorningAfterNine_IsThatDay()
    {
        Assert.Equal(new DateOnly(2026, 6, 2), BriefingReminders.DailyReminderDay(SentAt, DueAt, null, Beijing(2026, 6, 2, 9, 30), NineInTheMorning));
    }

    [Fact]
    public void DailyReminderDay_BeforeNineBeijingTime_IsNone_EvenThoughItIsAlreadyTheDayInUtcTerms()
    {
        // 08:30 in Beijing is 00:30 UTC of the same day.
        Assert.Null(BriefingReminders.DailyReminderDay(SentAt, DueAt, null, Beijing(2026, 6, 2, 8, 30), NineInTheMorning));
    }

    [Fact]
    public void DailyReminderDay_WhenAlreadyRemindedToday_IsNone_AndTheNextDayAgain()
    {
        var remindedToday = Beijing(2026, 6, 2, 9, 5);

        Assert.Null(BriefingReminders.DailyReminderDay(SentAt, DueAt, remindedToday, Beijing(2026, 6, 2, 16, 0), NineInTheMorning));
        Assert.Equal(new DateOnly(2026, 6, 3), BriefingReminders.DailyReminderDay(SentAt, DueAt, remindedToday, Beijing(2026, 6, 3, 9, 0), NineInTheMorning));
    }

    [Fact]
    public void DailyReminderDay_AfterTheDeadline_OrWithoutOne_IsNone()
    {
        Assert.Null(BriefingReminders.DailyReminderDay(SentAt, DueAt, null, DueAt, NineInTheMorning));
        Assert.Null(BriefingReminders.DailyReminderDay(SentAt, DueAt, null, Beijing(2026, 6, 5, 10, 0), NineInTheMorning));
        Assert.Null(BriefingReminders.DailyReminderDay(SentAt, null, null, Beijing(2026, 6, 2, 10, 0), NineInTheMorning));
    }

    [Fact]
    public void DailyReminderDay_OnTheDeadlineDayBeforeTheDeadline_IsThatDay()
    {
        Assert.Equal(new DateOnly(2026, 6, 4), BriefingReminders.DailyReminderDay(SentAt, DueAt, Beijing(2026, 6, 3, 9, 0), Beijing(2026, 6, 4, 17, 0),
            NineInTheMorning));
    }

    [Fact]
    public void RepeatsRecentReminder_WithinTheWindowOnly()
    {
        var last = Beijing(2026, 6, 2, 10, 0);
        var window = TimeSpan.FromMinutes(10);

        Assert.True(BriefingReminders.RepeatsRecentReminder(last, last.AddMinutes(9), window));
        Assert.False(BriefingReminders.RepeatsRecentReminder(last, last.AddMinutes(10), window));
        Assert.False(BriefingReminders.RepeatsRecentReminder(null, last, window));
    }

    private static DateTimeOffset Beijing(int year, int month, int day, int hour, int minute) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));
}
