using System.Text.Json;
using CivicGrid.Domain.Calendar;

namespace CivicGrid.Domain.Tests.Calendar;

public class WorkCalendarDefinitionTests
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    [Fact]
    public void DefaultCalendar_RoundTripsThroughItsStoredJson()
    {
        var json = JsonSerializer.Serialize(ChineseHolidays.Default.ToDefinition(), Json);

        var stored = JsonSerializer.Deserialize<WorkCalendarDefinition>(json, Json)!;
        var calendar = WorkCalendar.FromDefinition(stored);

        Assert.Contains("\"08:30-12:00\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"workday\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"holiday\"", json, StringComparison.Ordinal);
        Assert.Equal(json, JsonSerializer.Serialize(calendar.ToDefinition(), Json));
        for (var day = new DateOnly(2024, 12, 1); day <= new DateOnly(2027, 1, 31); day = day.AddDays(1))
        {
            Assert.Equal(ChineseHolidays.Default.IsWorkingDay(day), calendar.IsWorkingDay(day));
            Assert.Equal(ChineseHolidays.Default.HolidayName(day), calendar.HolidayName(day));
            Assert.Equal(ChineseHolidays.Default.MakeUpWorkingDayFor(day), calendar.MakeUpWorkingDayFor(day));
        }
    }

    [Fact]
    public void FromDefinition_GroupsDaysByNameBackIntoTheNoticesHolidays()
    {
        var calendar = WorkCalendar.FromDefinition(ChineseHolidays.Default.ToDefinition());

        var springFestival = calendar.Years.Single(y => y.Year == 2026).Rules.Single(r => r.Name == "春节");
        Assert.Equal(9, springFestival.DaysOff.Count);
        Assert.Equal([new DateOnly(2026, 2, 14), new DateOnly(2026, 2, 28)], springFestival.MakeUpWorkingDays);
    }

    [Fact]
    public void AnAdminAddingTheNextYearsNotice_ConfiguresThatYear()
    {
        var definition = ChineseHolidays.Default.ToDefinition();
        var years = definition.Years.ToDictionary(y => y.Key, y => y.Value);
        years[2027] = [new(new DateOnly(2027, 1, 1), CalendarDayKind.Holiday, "元旦")];

        var calendar = WorkCalendar.FromDefinition(definition with { Years = years });

        Assert.True(calendar.IsConfigured(2027));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));
        Assert.Equal("元旦", calendar.HolidayName(new DateOnly(2027, 1, 1)));
    }

    [Fact]
    public void Validate_TheDefaultDefinition_FindsNoProblem()
    {
        Assert.Empty(ChineseHolidays.Default.ToDefinition().Validate());
    }

    [Fact]
    public void Validate_AMakeUpDayThatIsNotAWeekend_IsReportedInChineseAndEnglish()
    {
        var problem = Assert.Single(WithDays(2026, new CalendarDayDefinition(new DateOnly(2026, 9, 21), CalendarDayKind.Workday, "国庆节")).Validate());

        Assert.Equal(WorkCalendarProblemKind.MakeUpDayNotWeekend, problem.Kind);
        Assert.Equal(new DateOnly(2026, 9, 21), problem.Date);
        Assert.Contains("调休上班日 2026-09-21（国庆节）是周一", problem.MessageZh, StringComparison.Ordinal);
        Assert.Contains("2026-09-21 (国庆节) is a Monday", problem.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ADayListedTwice_IsReportedWithBothEntries()
    {
        var problem = Assert.Single(WithDays(
            2026,
            new(new DateOnly(2026, 10, 1), CalendarDayKind.Holiday, "国庆节"),
            new(new DateOnly(2026, 10, 1), CalendarDayKind.Holiday, "中秋节")).Validate());

        Assert.Equal(WorkCalendarProblemKind.DayListedTwice, problem.Kind);
        Assert.Contains("2026-10-01 出现了两次", problem.MessageZh, StringComparison.Ordinal);
        Assert.Contains("\"国庆节\"", problem.MessageEn, StringComparison.Ordinal);
        Assert.Contains("\"中秋节\"", problem.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TheSameDayInTwoYears_IsListedTwice()
    {
        var definition = Plain() with
        {
            Years = new Dictionary<int, IReadOnlyList<CalendarDayDefinition>>
            {
                [2025] = [new(new DateOnly(2025, 12, 31), CalendarDayKind.Holiday, "元旦")],
                [2026] = [new(new DateOnly(2025, 12, 31), CalendarDayKind.Holiday, "元旦")],
            },
        };

        Assert.Equal([WorkCalendarProblemKind.DayListedTwice], definition.Validate().Select(p => p.Kind));
    }

    [Fact]
    public void Validate_ADateOutsideItsYear_IsReported_ButTheDecemberBeforeIsAllowed()
    {
        var definition = WithDays(
            2026,
            new(new DateOnly(2025, 12, 31), CalendarDayKind.Holiday, "元旦"),
            new(new DateOnly(2025, 6, 2), CalendarDayKind.Holiday, "端午节"));

        var problem = Assert.Single(definition.Validate());

        Assert.Equal(WorkCalendarProblemKind.DateOutsideYear, problem.Kind);
        Assert.Contains("2025-06-02（端午节）不在 2026 年内", problem.MessageZh, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "08:30-12:00", "11:00-17:30" }, WorkCalendarProblemKind.PeriodsOverlap, "08:30-12:00 与 11:00-17:30 重叠")]
    [InlineData(new[] { "14:00-17:30", "08:30-12:00" }, WorkCalendarProblemKind.PeriodsOutOfOrder, "请按时间先后排列")]
    [InlineData(new[] { "8:30-12" }, WorkCalendarProblemKind.MalformedPeriod, "“8:30-12”格式不对")]
    [InlineData(new[] { "17:30-08:30" }, WorkCalendarProblemKind.MalformedPeriod, "不跨午夜")]
    [InlineData(new[] { "08:30~12:00" }, WorkCalendarProblemKind.MalformedPeriod, "HH:mm-HH:mm")]
    [InlineData(new string[0], WorkCalendarProblemKind.NoWorkingPeriods, "没有工作时段")]
    public void Validate_BadWorkingPeriods_NameTheRule(string[] periods, WorkCalendarProblemKind kind, string inChinese)
    {
        var problem = Assert.Single((Plain() with { WorkingPeriods = periods }).Validate());

        Assert.Equal(kind, problem.Kind);
        Assert.Contains(inChinese, problem.MessageZh, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(problem.MessageEn));
    }

    [Fact]
    public void Validate_BadWeekdays_NameTheRule()
    {
        Assert.Equal(
            [WorkCalendarProblemKind.NoWorkingWeekdays],
            (Plain() with { WorkingWeekdays = [] }).Validate().Select(p => p.Kind));
        Assert.Equal(
            [WorkCalendarProblemKind.WeekdayListedTwice, WorkCalendarProblemKind.UnknownWeekday],
            (Plain() with { WorkingWeekdays = [DayOfWeek.Monday, DayOfWeek.Monday, (DayOfWeek)7] }).Validate().Select(p => p.Kind));
    }

    [Fact]
    public void Validate_AnEmptyYearAnUnnamedDayAndAnUnknownKind_AreEachReported()
    {
        var definition = Plain() with
        {
            Years = new Dictionary<int, IReadOnlyList<CalendarDayDefinition>>
            {
                [2027] = [],
                [2028] =
                [
                    new(new DateOnly(2028, 1, 3), CalendarDayKind.Holiday, " "),
                    new(new DateOnly(2028, 1, 4), (CalendarDayKind)9, "元旦"),
                ],
            },
        };

        Assert.Equal(
            [WorkCalendarProblemKind.EmptyYear, WorkCalendarProblemKind.UnnamedDay, WorkCalendarProblemKind.UnknownKind],
            definition.Validate().Select(p => p.Kind));
    }

    [Fact]
    public void FromDefinition_WithProblems_ThrowsListingEveryOne()
    {
        var definition = Plain() with { WorkingPeriods = ["08:30-12:00", "11:00-17:30"], WorkingWeekdays = [] };

        var error = Assert.Throws<ArgumentException>(() => WorkCalendar.FromDefinition(definition));

        Assert.Contains("overlap", error.Message, StringComparison.Ordinal);
        Assert.Contains("No day of the week", error.Message, StringComparison.Ordinal);
    }

    private static WorkCalendarDefinition Plain() =>
        new(["08:30-12:00", "14:00-17:30"], WorkCalendar.DefaultWorkingWeekdays, new Dictionary<int, IReadOnlyList<CalendarDayDefinition>>());

    private static WorkCalendarDefinition WithDays(int year, params CalendarDayDefinition[] days) =>
        Plain() with { Years = new Dictionary<int, IReadOnlyList<CalendarDayDefinition>> { [year] = days } };
}
