using CivicGrid.Domain.Calendar;

namespace CivicGrid.Domain.Tests.Calendar;

public class WorkCalendarDeadlineTests
{
    private static readonly WorkCalendar Calendar = ChineseHolidays.Default;

    [Fact]
    public void AddWorkingHours_ReportOnFridayAt1700WithAFourHourLimit_IsDueMondayAtNoon()
    {
        // 17:00–17:30 on Friday is half an hour; Monday 08:30–12:00 gives the other three and a half.
        var due = Calendar.AddWorkingHours(Beijing(2025, 3, 7, 17, 0), 4);

        Assert.Equal(Beijing(2025, 3, 10, 12, 0), due);
        Assert.Equal(4, Calendar.WorkingHoursBetween(Beijing(2025, 3, 7, 17, 0), due));
    }

    [Fact]
    public void AddWorkingHours_ThatUseUpAMorningExactly_EndAtNoonNotAfterLunch()
    {
        Assert.Equal(Beijing(2025, 3, 10, 12, 0), Calendar.AddWorkingHours(Beijing(2025, 3, 10, 8, 30), 3.5));
    }

    [Fact]
    public void AddWorkingHours_StartDuringLunch_BeginsCountingAt1400()
    {
        var lunch = Beijing(2025, 3, 11, 12, 30);

        Assert.Equal(Beijing(2025, 3, 11, 15, 0), Calendar.AddWorkingHours(lunch, 1));
        Assert.Equal(Beijing(2025, 3, 11, 17, 30), Calendar.AddWorkingHours(lunch, 3.5));
        Assert.Equal(Beijing(2025, 3, 12, 8, 45), Calendar.AddWorkingHours(lunch, 3.75));
    }

    [Fact]
    public void AddWorkingHours_StartOnAHoliday_BeginsCountingOnTheFirstWorkingDayAfter()
    {
        // National Day and Mid-Autumn 2025: 1–8 October off, Thursday 9 October works.
        Assert.Equal(Beijing(2025, 10, 9, 10, 30), Calendar.AddWorkingHours(Beijing(2025, 10, 3, 10, 0), 2));
    }

    [Fact]
    public void AddWorkingHours_StartBeforeOrAfterOfficeHours_BeginsAtTheNextWorkingPeriod()
    {
        Assert.Equal(Beijing(2025, 3, 11, 9, 30), Calendar.AddWorkingHours(Beijing(2025, 3, 11, 7, 0), 1));
        Assert.Equal(Beijing(2025, 3, 12, 9, 30), Calendar.AddWorkingHours(Beijing(2025, 3, 11, 20, 0), 1));
    }

    [Fact]
    public void AddWorkingHours_OverSpringFestival2025_CountsTheMakeUpSundayBeforeIt()
    {
        // Half an hour on Friday 24 January; Saturday off; Sunday 26 January is a make-up working day.
        Assert.Equal(Beijing(2025, 1, 26, 17, 0), Calendar.AddWorkingHours(Beijing(2025, 1, 24, 17, 0), 7));
    }

    [Fact]
    public void AddWorkingHours_AcrossNationalDay2026_ResumesOnThursday8October()
    {
        Assert.Equal(Beijing(2026, 10, 8, 9, 0), Calendar.AddWorkingHours(Beijing(2026, 9, 30, 17, 0), 1));
    }

    [Fact]
    public void AddWorkingHours_A120HourLimit_Is17WorkingDaysAndAnHour()
    {
        // 17 × 7 = 119 hours fill Monday 3 March to Tuesday 25 March 2025; the 120th hour is on Wednesday 26 March.
        Assert.Equal(Beijing(2025, 3, 26, 9, 30), Calendar.AddWorkingHours(Beijing(2025, 3, 3, 8, 30), 120));
    }

    [Fact]
    public void AddWorkingHours_ZeroHours_IsDueAtTheStart()
    {
        var sunday = Beijing(2025, 3, 9, 10, 0);

        Assert.Equal(sunday, Calendar.AddWorkingHours(sunday, 0));
    }

    [Fact]
    public void AddWorkingHours_TakesAnyOffset_AndAnswersInBeijingTime()
    {
        var fridayFivePmInUtc = new DateTimeOffset(2025, 3, 7, 9, 0, 0, TimeSpan.Zero);

        var due = Calendar.AddWorkingHours(fridayFivePmInUtc, 4);

        Assert.Equal(TimeSpan.FromHours(8), due.Offset);
        Assert.Equal(Beijing(2025, 3, 10, 12, 0), due);
        Assert.Equal(new DateTime(2025, 3, 10, 12, 0, 0), due.DateTime);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void AddWorkingHours_WithANegativeOrNonFiniteLimit_Throws(double hours)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddWorkingHours(Beijing(2025, 3, 7, 17, 0), hours));
    }

    [Fact]
    public void AddWorkingDays_OverSpringFestival2026_SkipsTheNineDaysOffAndCountsTheMakeUpSaturday()
    {
        var friday = Beijing(2026, 2, 13, 10, 0);

        // Saturday 14 February (make-up) is day 1; 15–23 February are off; 24–27 February are days 2–5;
        // Saturday 28 February (make-up) is day 6; Monday 2 March is day 7.
        Assert.Equal(Beijing(2026, 2, 14, 17, 30), Calendar.AddWorkingDays(friday, 1));
        Assert.Equal(Beijing(2026, 2, 24, 17, 30), Calendar.AddWorkingDays(friday, 2));
        Assert.Equal(Beijing(2026, 2, 28, 17, 30), Calendar.AddWorkingDays(friday, 6));
        Assert.Equal(Beijing(2026, 3, 2, 17, 30), Calendar.AddWorkingDays(friday, 7));
    }

    [Fact]
    public void NationalDay2026_FirstToSeventhOctoberOff_Sunday20SeptemberAndSaturday10OctoberWork()
    {
        Assert.True(Calendar.IsWorkingDay(new DateOnly(2026, 9, 20)));
        Assert.True(Calendar.IsWorkingDay(new DateOnly(2026, 10, 10)));
        Assert.All(Enumerable.Range(1, 7), d => Assert.False(Calendar.IsWorkingDay(new DateOnly(2026, 10, d))));
        Assert.True(Calendar.IsWorkingDay(new DateOnly(2026, 10, 8)));

        var wednesday = Beijing(2026, 9, 30, 10, 0);
        Assert.Equal(Beijing(2026, 10, 8, 17, 30), Calendar.AddWorkingDays(wednesday, 1));
        Assert.Equal(Beijing(2026, 10, 10, 17, 30), Calendar.AddWorkingDays(wednesday, 3));
        Assert.Equal(Beijing(2026, 9, 20, 17, 30), Calendar.AddWorkingDays(Beijing(2026, 9, 19, 10, 0), 1));
    }

    [Fact]
    public void AddWorkingDays_DoesNotCountTheStartDay_EvenWhenTheCaseArrivesBeforeOfficeHours()
    {
        Assert.Equal(Beijing(2025, 3, 11, 17, 30), Calendar.AddWorkingDays(Beijing(2025, 3, 10, 7, 0), 1));
        Assert.Equal(Beijing(2025, 3, 17, 17, 30), Calendar.AddWorkingDays(Beijing(2025, 3, 7, 9, 0), 6));
    }

    [Fact]
    public void AddWorkingDays_WithAZeroLimit_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddWorkingDays(Beijing(2025, 3, 10, 9, 0), 0));
    }

    [Fact]
    public void NextWorkingStart_InsideAPeriod_IsNow_AndAtItsEnd_IsTheNextPeriod()
    {
        Assert.Equal(Beijing(2025, 3, 10, 9, 15), Calendar.NextWorkingStart(Beijing(2025, 3, 10, 9, 15)));
        Assert.Equal(Beijing(2025, 3, 10, 14, 0), Calendar.NextWorkingStart(Beijing(2025, 3, 10, 12, 0)));
        Assert.Equal(Beijing(2025, 3, 10, 14, 0), Calendar.NextWorkingStart(Beijing(2025, 3, 10, 12, 30)));
        Assert.Equal(Beijing(2025, 3, 10, 8, 30), Calendar.NextWorkingStart(Beijing(2025, 3, 8, 11, 0)));
        Assert.Equal(Beijing(2025, 3, 10, 8, 30), Calendar.NextWorkingStart(Beijing(2025, 3, 7, 17, 30)));
    }

    [Fact]
    public void NextWorkingStart_OnTheEveOfSpringFestival2026_IsTheMorningAfterTheHoliday()
    {
        Assert.Equal(Beijing(2026, 2, 24, 8, 30), Calendar.NextWorkingStart(Beijing(2026, 2, 14, 18, 0)));
    }

    [Fact]
    public void WorkingHoursBetween_CountsOnlyWorkingTime()
    {
        Assert.Equal(4, Calendar.WorkingHoursBetween(Beijing(2025, 3, 7, 17, 0), Beijing(2025, 3, 10, 12, 0)));
        Assert.Equal(0, Calendar.WorkingHoursBetween(Beijing(2025, 3, 10, 12, 10), Beijing(2025, 3, 10, 13, 50)));
        Assert.Equal(0, Calendar.WorkingHoursBetween(Beijing(2025, 3, 10, 9, 0), Beijing(2025, 3, 10, 9, 0)));

        // Only Saturday 14 February 2026 (make-up) works between Friday's close and the first day after the holiday.
        Assert.Equal(7, Calendar.WorkingHoursBetween(Beijing(2026, 2, 13, 17, 30), Beijing(2026, 2, 24, 8, 30)));
    }

    [Fact]
    public void WorkingHoursBetween_BackwardsInTime_Throws()
    {
        Assert.Throws<ArgumentException>(() => Calendar.WorkingHoursBetween(Beijing(2025, 3, 10, 12, 0), Beijing(2025, 3, 10, 11, 0)));
    }

    [Fact]
    public void WorkingHoursBetween_AgreesWithAddWorkingHours_ForManyStartsAndLimits()
    {
        // Fixed seed: the same cases every run. Starts span late 2024 to early 2027, so unconfigured years,
        // both seeded years and their year boundaries are crossed; offsets other than +8 are mixed in.
        var random = new Random(20260214);
        var offsets = new[] { TimeSpan.FromHours(8), TimeSpan.Zero, TimeSpan.FromHours(-5), TimeSpan.FromHours(9.5) };
        var first = Beijing(2024, 12, 1, 0, 0);
        for (var i = 0; i < 2000; i++)
        {
            var start = first.AddMinutes(random.Next(0, 60 * 24 * 820)).AddTicks(random.Next()).ToOffset(offsets[i % offsets.Length]);
            var hours = i % 5 == 0 ? random.Next(0, 200) : random.NextDouble() * 200;

            var due = Calendar.AddWorkingHours(start, hours);

            Assert.True(due >= start, $"{start:O} + {hours} h");
            Assert.Equal(hours, Calendar.WorkingHoursBetween(start, due), 1e-9);
            if (hours > 0)
            {
                // The earliest such instant: a tick earlier, the limit has not yet passed, and it lies in working time.
                Assert.True(Calendar.WorkingHoursBetween(start, due.AddTicks(-1)) < hours, $"{start:O} + {hours} h = {due:O}");
                Assert.True(Calendar.IsWorkingDay(DateOnly.FromDateTime(due.AddTicks(-1).DateTime)));
            }

            var later = start.AddMinutes(random.Next(0, 60 * 24 * 40));
            var measured = Calendar.WorkingHoursBetween(start, later);
            Assert.True(Calendar.AddWorkingHours(start, measured) <= later, $"{start:O} → {later:O}");
        }
    }

    [Fact]
    public void UnconfiguredYear_FollowsTheWeeklyPatternOnly_AndSaysSo()
    {
        Assert.False(Calendar.IsConfigured(2027));
        Assert.False(Calendar.IsConfigured(2024));

        // 1 January 2027 is a Friday: a holiday once the 2027 notice is entered, a working day until then.
        Assert.True(Calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));
        Assert.Null(Calendar.HolidayName(new DateOnly(2027, 1, 1)));
        Assert.False(Calendar.IsWorkingDay(new DateOnly(2027, 1, 2)));
        Assert.Equal(Beijing(2027, 1, 4, 17, 30), Calendar.AddWorkingDays(Beijing(2026, 12, 31, 9, 0), 2));
    }

    [Fact]
    public void CustomCalendar_WithOneNineHourPeriodAndSaturdays_CountsOnIt()
    {
        var calendar = new WorkCalendar(
            [ChineseHolidays.For2026()],
            [WorkingPeriod.Parse("09:00-18:00")],
            [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday]);

        Assert.Equal(9, calendar.WorkingHoursPerDay);
        Assert.Equal(Beijing(2026, 3, 14, 10, 0), calendar.AddWorkingHours(Beijing(2026, 3, 13, 17, 0), 2));
        Assert.Equal(Beijing(2026, 3, 14, 18, 0), calendar.AddWorkingDays(Beijing(2026, 3, 13, 17, 0), 1));
    }

    [Fact]
    public void Constructor_WithOverlappingPeriods_ThrowsNamingThem()
    {
        var error = Assert.Throws<ArgumentException>(() => new WorkCalendar(
            [],
            [WorkingPeriod.Parse("08:30-12:00"), WorkingPeriod.Parse("11:30-17:30")]));

        Assert.Contains("08:30-12:00 and 11:30-17:30 overlap", error.Message, StringComparison.Ordinal);
    }

    private static DateTimeOffset Beijing(int year, int month, int day, int hour, int minute) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));
}
