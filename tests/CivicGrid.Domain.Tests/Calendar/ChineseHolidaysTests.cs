using System.Globalization;
using CivicGrid.Domain.Calendar;

namespace CivicGrid.Domain.Tests.Calendar;

public class ChineseHolidaysTests
{
    private static readonly WorkCalendar Calendar = ChineseHolidays.Default;

    [Theory]
    [InlineData("元旦", "2025-01-01", "2025-01-01")]
    [InlineData("春节", "2025-01-28", "2025-02-04")]
    [InlineData("清明节", "2025-04-04", "2025-04-06")]
    [InlineData("劳动节", "2025-05-01", "2025-05-05")]
    [InlineData("端午节", "2025-05-31", "2025-06-02")]
    [InlineData("国庆节、中秋节", "2025-10-01", "2025-10-08")]
    [InlineData("元旦", "2026-01-01", "2026-01-03")]
    [InlineData("春节", "2026-02-15", "2026-02-23")]
    [InlineData("清明节", "2026-04-04", "2026-04-06")]
    [InlineData("劳动节", "2026-05-01", "2026-05-05")]
    [InlineData("端午节", "2026-06-19", "2026-06-21")]
    [InlineData("中秋节", "2026-09-25", "2026-09-27")]
    [InlineData("国庆节", "2026-10-01", "2026-10-07")]
    public void HolidayBlock_EveryDayIsOffAndNamed_AndTheDaysAroundItAreNot(string name, string first, string last)
    {
        var (from, to) = (Day(first), Day(last));

        for (var day = from; day <= to; day = day.AddDays(1))
        {
            Assert.False(Calendar.IsWorkingDay(day), $"{day:yyyy-MM-dd} should be off for {name}");
            Assert.Equal(name, Calendar.HolidayName(day));
        }

        Assert.NotEqual(name, Calendar.HolidayName(from.AddDays(-1)));
        Assert.NotEqual(name, Calendar.HolidayName(to.AddDays(1)));
    }

    [Theory]
    [InlineData("2025-01-26", "春节", DayOfWeek.Sunday)]
    [InlineData("2025-02-08", "春节", DayOfWeek.Saturday)]
    [InlineData("2025-04-27", "劳动节", DayOfWeek.Sunday)]
    [InlineData("2025-09-28", "国庆节、中秋节", DayOfWeek.Sunday)]
    [InlineData("2025-10-11", "国庆节、中秋节", DayOfWeek.Saturday)]
    [InlineData("2026-01-04", "元旦", DayOfWeek.Sunday)]
    [InlineData("2026-02-14", "春节", DayOfWeek.Saturday)]
    [InlineData("2026-02-28", "春节", DayOfWeek.Saturday)]
    [InlineData("2026-05-09", "劳动节", DayOfWeek.Saturday)]
    [InlineData("2026-09-20", "国庆节", DayOfWeek.Sunday)]
    [InlineData("2026-10-10", "国庆节", DayOfWeek.Saturday)]
    public void MakeUpWorkingDay_IsAWeekendDayThatWorks_AndNamesItsHoliday(string date, string holiday, DayOfWeek weekday)
    {
        var day = Day(date);

        Assert.Equal(weekday, day.DayOfWeek);
        Assert.True(Calendar.IsWorkingDay(day));
        Assert.Equal(holiday, Calendar.MakeUpWorkingDayFor(day));
        Assert.Null(Calendar.HolidayName(day));
    }

    [Theory]
    [InlineData(2025, new[] { "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11" })]
    [InlineData(2026, new[] { "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10" })]
    public void WeekendWorkingDays_OfASeededYear_AreExactlyTheNoticesMakeUpDays(int year, string[] makeUpDays)
    {
        var weekendWorkingDays = DaysOf(year)
            .Where(d => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && Calendar.IsWorkingDay(d))
            .Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        Assert.Equal(makeUpDays, weekendWorkingDays);
    }

    // 2025: 1 + 8 + 3 + 5 + 3 + 8 = 28 days off; 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7 = 33.
    // Both years have 261 weekdays (52 weeks and one extra Wednesday / Thursday). Weekdays off:
    // 2025: 1 + 6 + 1 + 3 + 1 + 6 = 18, plus 5 make-up days: 261 − 18 + 5 = 248.
    // 2026: 2 + 6 + 1 + 3 + 1 + 1 + 5 = 19, plus 6 make-up days: 261 − 19 + 6 = 248.
    [Theory]
    [InlineData(2025, 28, 248)]
    [InlineData(2026, 33, 248)]
    public void SeededYear_HasTheNoticesDaysOffAndWorkingDays(int year, int daysOff, int workingDays)
    {
        Assert.Equal(daysOff, DaysOf(year).Count(d => Calendar.HolidayName(d) is not null));
        Assert.Equal(workingDays, DaysOf(year).Count(Calendar.IsWorkingDay));
    }

    [Fact]
    public void Default_UsesTheUsualOfficeHours_SevenWorkingHoursMondayToFriday()
    {
        Assert.Equal(["08:30-12:00", "14:00-17:30"], Calendar.WorkingPeriods.Select(p => p.ToString()));
        Assert.Equal(7, Calendar.WorkingHoursPerDay);
        Assert.Equal(WorkCalendar.DefaultWorkingWeekdays, Calendar.WorkingWeekdays);
        Assert.True(Calendar.IsConfigured(2025));
        Assert.True(Calendar.IsConfigured(2026));
    }

    internal static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IEnumerable<DateOnly> DaysOf(int year) =>
        Enumerable.Range(0, DateTime.IsLeapYear(year) ? 366 : 365).Select(new DateOnly(year, 1, 1).AddDays);
}
