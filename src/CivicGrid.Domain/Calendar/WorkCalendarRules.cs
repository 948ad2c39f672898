using System.Globalization;

namespace CivicGrid.Domain.Calendar;

/// <summary>
/// The rules a work calendar must keep, shared by <see cref="WorkCalendar"/>'s constructor (which throws) and
/// <see cref="WorkCalendarDefinition.Validate"/> (which lists), with their sentences in Chinese and English.
/// </summary>
internal static class WorkCalendarRules
{
    private static readonly string[] WeekdayZh = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

    public static List<WorkCalendarProblem> Check(
        IReadOnlyList<WorkingPeriod> periods,
        IReadOnlyList<DayOfWeek> weekdays,
        IEnumerable<(int Year, IReadOnlyList<CalendarDayDefinition> Days)> years,
        bool reportNoPeriods = true)
    {
        var problems = new List<WorkCalendarProblem>();
        CheckPeriods(periods, reportNoPeriods, problems);
        CheckWeekdays(weekdays, problems);
        CheckYears(years, problems);
        return problems;
    }

    public static WorkCalendarProblem MalformedPeriod(string? text) => new(
        WorkCalendarProblemKind.MalformedPeriod,
        null,
        $"工作时段“{text}”格式不对：应为 HH:mm-HH:mm（24 小时制，北京时间），结束晚于开始且不跨午夜，例如 08:30-12:00。",
        $"Working period \"{text}\" is malformed: write HH:mm-HH:mm (24-hour clock, Beijing time), ending after it starts and before midnight, e.g. 08:30-12:00.");

    private static void CheckPeriods(IReadOnlyList<WorkingPeriod> periods, bool reportNoPeriods, List<WorkCalendarProblem> problems)
    {
        if (periods.Count == 0 && reportNoPeriods)
        {
            problems.Add(new(
                WorkCalendarProblemKind.NoWorkingPeriods,
                null,
                "没有工作时段：至少需要一个，例如 08:30-12:00。",
                "There is no working period: at least one is needed, e.g. 08:30-12:00."));
        }

        foreach (var period in periods.Where(p => p.End <= p.Start))
        {
            problems.Add(new(
                WorkCalendarProblemKind.EmptyPeriod,
                null,
                $"工作时段 {period} 的结束时间不晚于开始时间：时段须在同一天内，不能跨越午夜。",
                $"Working period {period} does not end after it starts: a period lies within one day and cannot cross midnight."));
        }

        for (var i = 1; i < periods.Count; i++)
        {
            var (before, after) = (periods[i - 1], periods[i]);
            if (after.Start < before.Start)
            {
                problems.Add(new(
                    WorkCalendarProblemKind.PeriodsOutOfOrder,
                    null,
                    $"工作时段 {after} 排在 {before} 之后，却开始得更早：请按时间先后排列。",
                    $"Working period {after} is listed after {before} but starts earlier: list periods in order of time."));
            }
        }

        // Every pair, not just neighbours: an unordered list can hide an overlap between distant entries.
        for (var i = 0; i < periods.Count; i++)
        {
            for (var j = i + 1; j < periods.Count; j++)
            {
                if (periods[i].Start < periods[j].End && periods[j].Start < periods[i].End)
                {
                    problems.Add(new(
                        WorkCalendarProblemKind.PeriodsOverlap,
                        null,
                        $"工作时段 {periods[i]} 与 {periods[j]} 重叠。",
                        $"Working periods {periods[i]} and {periods[j]} overlap."));
                }
            }
        }
    }

    private static void CheckWeekdays(IReadOnlyList<DayOfWeek> weekdays, List<WorkCalendarProblem> problems)
    {
        var seen = new HashSet<DayOfWeek>();
        foreach (var day in weekdays)
        {
            if (!Enum.IsDefined(day))
            {
                problems.Add(new(
                    WorkCalendarProblemKind.UnknownWeekday,
                    null,
                    $"每周工作日中的 {(int)day} 不是星期几（0 为周日，1～6 为周一至周六）。",
                    $"Working weekday {(int)day} is not a day of the week (0 is Sunday, 1–6 Monday to Saturday)."));
            }
            else if (!seen.Add(day))
            {
                problems.Add(new(
                    WorkCalendarProblemKind.WeekdayListedTwice,
                    null,
                    $"每周工作日中{WeekdayZh[(int)day]}出现了两次。",
                    $"{day} is listed twice among the working weekdays."));
            }
        }

        if (seen.Count == 0)
        {
            problems.Add(new(
                WorkCalendarProblemKind.NoWorkingWeekdays,
                null,
                "每周没有工作日：至少需要一天，通常为周一至周五。",
                "No day of the week is a working day: at least one is needed, usually Monday to Friday."));
        }
    }

    private static void CheckYears(
        IEnumerable<(int Year, IReadOnlyList<CalendarDayDefinition> Days)> years,
        List<WorkCalendarProblem> problems)
    {
        var seenYears = new HashSet<int>();
        var seenDays = new Dictionary<DateOnly, CalendarDayDefinition>();
        foreach (var (year, days) in years)
        {
            if (year is < 1 or > 9999 || !seenYears.Add(year))
            {
                problems.Add(new(
                    WorkCalendarProblemKind.BadYear,
                    null,
                    $"年份 {Year(year)} 重复或超出 1～9999。",
                    $"Year {Year(year)} is listed twice or is outside 1–9999."));
                continue;
            }

            if (days.Count == 0)
            {
                problems.Add(new(
                    WorkCalendarProblemKind.EmptyYear,
                    null,
                    $"{Year(year)} 年没有任何放假或调休上班日：请录入国务院办公厅当年的节假日安排通知，或删除该年份（未配置的年份只按每周工作日计算）。",
                    $"Year {Year(year)} lists no day: enter the State Council notice for that year, or remove the year (years not configured follow the weekly pattern only)."));
            }

            foreach (var day in days)
            {
                CheckDay(year, day, seenDays, problems);
            }
        }
    }

    private static void CheckDay(
        int year,
        CalendarDayDefinition day,
        Dictionary<DateOnly, CalendarDayDefinition> seenDays,
        List<WorkCalendarProblem> problems)
    {
        var date = Date(day.Date);
        var name = day.Name ?? string.Empty;
        if (string.IsNullOrWhiteSpace(day.Name))
        {
            problems.Add(new(
                WorkCalendarProblemKind.UnnamedDay,
                day.Date,
                $"{date} 没有节日名称：请填写，例如 春节。",
                $"{date} has no holiday name: give one, e.g. 春节 (Spring Festival)."));
        }

        if (day.Kind is not (CalendarDayKind.Holiday or CalendarDayKind.Workday))
        {
            problems.Add(new(
                WorkCalendarProblemKind.UnknownKind,
                day.Date,
                $"{date}（{name}）的类型无法识别：应为 holiday（放假）或 workday（调休上班）。",
                $"{date} ({name}) has an unknown kind: it is either holiday (day off) or workday (make-up working day)."));
        }

        // A notice may start the New Year holiday, or put its make-up day, in the last days of the year before.
        if (day.Date.Year != year && !(day.Date.Year == year - 1 && day.Date.Month == 12))
        {
            problems.Add(new(
                WorkCalendarProblemKind.DateOutsideYear,
                day.Date,
                $"{date}（{name}）不在 {Year(year)} 年内：每年的安排只能包含当年的日期，以及上一年 12 月的日期。",
                $"{date} ({name}) is not in {Year(year)}: a year lists its own dates and, at most, dates of the December before it."));
        }

        if (seenDays.TryGetValue(day.Date, out var first))
        {
            problems.Add(new(
                WorkCalendarProblemKind.DayListedTwice,
                day.Date,
                $"{date} 出现了两次（{KindZh(first.Kind)}“{first.Name}”与{KindZh(day.Kind)}“{name}”）：每一天只能列一次，是放假或调休上班之一。",
                $"{date} is listed twice ({KindEn(first.Kind)} \"{first.Name}\" and {KindEn(day.Kind)} \"{name}\"): a day is listed once, as a day off or a make-up working day."));
        }
        else
        {
            seenDays.Add(day.Date, day);
        }

        // Saturday and Sunday, not the calendar's own rest days: the notices are national and move the national
        // weekend, so a unit that also works Saturdays loads them unchanged (a make-up Saturday is then no change).
        if (day.Kind == CalendarDayKind.Workday && day.Date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
        {
            problems.Add(new(
                WorkCalendarProblemKind.MakeUpDayNotWeekend,
                day.Date,
                $"调休上班日 {date}（{name}）是{WeekdayZh[(int)day.Date.DayOfWeek]}，不是周末：调休上班日是改为上班的周六或周日。",
                $"Make-up working day {date} ({name}) is a {day.Date.DayOfWeek}, not a weekend day: a make-up working day is a Saturday or Sunday that becomes a working day."));
        }
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Year(int year) => year.ToString(CultureInfo.InvariantCulture);

    private static string KindZh(CalendarDayKind kind) => kind == CalendarDayKind.Workday ? "调休上班" : "放假";

    private static string KindEn(CalendarDayKind kind) => kind == CalendarDayKind.Workday ? "make-up working day" : "day off";
}
