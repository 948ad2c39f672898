using CivicGrid.Domain.Calendar;
using CivicGrid.Domain.Cases;

namespace CivicGrid.Domain.Tests.Cases;

/// <summary>
/// When a case is due: working-time limits wait for the next working period, natural-time limits run through the night
/// and over holidays (a fire alarm raised at 2 a.m. on National Day is due within its hour, not on the next working day).
/// </summary>
public class CaseCategoryDeadlineTests
{
    private static readonly WorkCalendar Calendar = ChineseHolidays.Default;

    // 2 a.m. on Friday 2 October 2026, inside the National Day holiday (1–7 October; Thursday 8 October works).
    private static readonly DateTimeOffset HolidayNight = Beijing(2026, 10, 2, 2, 0);

    [Fact]
    public void NaturalHours_AtNightOnAHoliday_AreDueOnTheClock()
    {
        var fireAlarm = Category(TimeLimitUnit.NaturalHours, 1);

        Assert.Equal(Beijing(2026, 10, 2, 3, 0), fireAlarm.DueAt(Calendar, HolidayNight, CaseTier.Green));
        // A higher colour has longer, still round the clock: yellow ×2, blue and red ×3.
        Assert.Equal(Beijing(2026, 10, 2, 4, 0), fireAlarm.DueAt(Calendar, HolidayNight, CaseTier.Yellow));
        Assert.Equal(Beijing(2026, 10, 2, 5, 0), fireAlarm.DueAt(Calendar, HolidayNight, CaseTier.Red));
        Assert.True(fireAlarm.CountsNaturalTime);
    }

    [Fact]
    public void NaturalHours_RunAcrossMidnight()
    {
        var flooding = Category(TimeLimitUnit.NaturalHours, 4);

        Assert.Equal(Beijing(2026, 10, 3, 1, 30), flooding.DueAt(Calendar, Beijing(2026, 10, 2, 21, 30), CaseTier.Green));
    }

    [Fact]
    public void NaturalDays_CountWeekendsAndHolidays_AsTwentyFourHoursEach()
    {
        var limit = Category(TimeLimitUnit.NaturalDays, 3);

        Assert.Equal(Beijing(2026, 10, 5, 2, 0), limit.DueAt(Calendar, HolidayNight, CaseTier.Green));
        Assert.Equal(72, limit.LimitInHours(7.5));
    }

    [Fact]
    public void WorkingHours_FromTheSameHolidayNight_WaitForTheFirstWorkingMorning()
    {
        // The contrast the natural units exist for: one working hour from 2 a.m. on 2 October ends at 09:30 on 8 October.
        var garbage = Category(TimeLimitUnit.WorkingHours, 1);

        Assert.Equal(Beijing(2026, 10, 8, 9, 30), garbage.DueAt(Calendar, HolidayNight, CaseTier.Green));
        Assert.False(garbage.CountsNaturalTime);
    }

    [Theory]
    [InlineData(TimeLimitUnit.WorkingHours, 2000)]
    [InlineData(TimeLimitUnit.WorkingDays, 250)]
    [InlineData(TimeLimitUnit.NaturalHours, 2000)]
    [InlineData(TimeLimitUnit.NaturalDays, 365)]
    public void Limits_AreBoundedPerUnit(TimeLimitUnit unit, int max)
    {
        Assert.Equal(max, Category(unit, max).TimeLimit);
        Assert.Throws<ArgumentOutOfRangeException>(() => Category(unit, max + 1));
    }

    [Fact]
    public void StandardCatalogue_CountsItsUrgentKindsInNaturalHours_AndTheRestInWorkingTime()
    {
        var natural = StandardCatalogue.Categories().Where(c => c.CountsNaturalTime).Select(c => c.Code).Order().ToList();

        Assert.Equal(["C0302", "E0401", "E0402", "E0403", "E0404", "G0401", "G0402"], natural);
        Assert.All(StandardCatalogue.Categories().Where(c => c.MajorCode is "E04" or "G04"), c => Assert.Equal(TimeLimitUnit.NaturalHours, c.TimeLimitUnit));
    }

    [Theory]
    [InlineData(TimeLimitUnit.WorkingHours, "个工作小时")]
    [InlineData(TimeLimitUnit.NaturalHours, "个自然小时")]
    [InlineData(TimeLimitUnit.NaturalDays, "个自然日")]
    public void Units_ReadInChinese(TimeLimitUnit unit, string text) => Assert.Equal(text, unit.ToChinese());

    private static CaseCategory Category(TimeLimitUnit unit, int limit) => new("E0499", "测试类别", "E04", "突发事件", CaseTier.Green, limit, unit);

    private static DateTimeOffset Beijing(int year, int month, int day, int hour, int minute) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));
}
