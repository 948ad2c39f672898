using System.Collections.Frozen;
using System.Globalization;

namespace CivicGrid.Domain.Calendar;

/// <summary>
/// The working calendar every deadline counts on: which days are working days (weekly pattern, Chinese public
/// holidays and make-up working days, 调休), and which hours of a working day are working time, in Beijing time.
/// </summary>
/// <remarks>
/// <para>
/// A day is a working day when a configured year lists it as a make-up working day, or when its day of the
/// week is a working weekday and no configured year lists it as a day off. A year that has no
/// <see cref="HolidayYear"/> follows the weekly pattern only: <see cref="IsConfigured"/> lets the server warn,
/// since each year's State Council notice appears in the November before and an admin must enter it.
/// </para>
/// <para>
/// Working time on a working day is the union of <see cref="WorkingPeriods"/>, each the half-open interval
/// [start, end) of Beijing clock time. All durations are in hours of working time (not elapsed time). Instants
/// may come in any UTC offset; results are returned at <see cref="BeijingOffset"/> and are exact to the tick.
/// </para>
/// <para>
/// Instances are immutable and safe to share between threads. The constructor enforces the rules that
/// <see cref="WorkCalendarDefinition.Validate"/> lists: periods are ordered, do not overlap and stay within a day;
/// at least one weekday works (so every search for working time ends); every listed date is listed once, in its
/// year; make-up working days are Saturdays or Sundays.
/// </para>
/// </remarks>
public sealed class WorkCalendar
{
    private readonly WorkingPeriod[] periods;
    private readonly FrozenSet<DayOfWeek> workingWeekdaySet;
    private readonly FrozenDictionary<DateOnly, CalendarDayDefinition> listedDays;
    private readonly FrozenDictionary<int, HolidayYear> years;

    /// <summary>Makes a calendar.</summary>
    /// <param name="years">The configured years' arrangements; may be empty.</param>
    /// <param name="workingPeriods">Working periods of a working day in Beijing time, in order; null for <see cref="DefaultWorkingPeriods"/>.</param>
    /// <param name="workingWeekdays">Working days of the week; null for <see cref="DefaultWorkingWeekdays"/> (Monday to Friday).</param>
    /// <exception cref="ArgumentException">The calendar breaks a rule; the message lists every problem (see <see cref="WorkCalendarDefinition.Validate"/>).</exception>
    public WorkCalendar(
        IEnumerable<HolidayYear> years,
        IEnumerable<WorkingPeriod>? workingPeriods = null,
        IEnumerable<DayOfWeek>? workingWeekdays = null)
    {
        var yearList = years.OrderBy(y => y.Year).ToArray();
        periods = [.. workingPeriods ?? DefaultWorkingPeriods];
        DayOfWeek[] weekdays = [.. workingWeekdays ?? DefaultWorkingWeekdays];
        var yearDays = yearList.Select(y => (y.Year, y.Days())).ToArray();
        var problems = WorkCalendarRules.Check(periods, weekdays, yearDays);
        if (problems.Count > 0)
        {
            throw new ArgumentException("The work calendar is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => p.MessageEn)));
        }

        workingWeekdaySet = weekdays.ToFrozenSet();
        WorkingWeekdays = [.. weekdays];
        WorkingPeriods = [.. periods];
        Years = yearList;
        this.years = yearList.ToFrozenDictionary(y => y.Year);
        listedDays = yearDays.SelectMany(y => y.Item2).ToFrozenDictionary(d => d.Date);
        WorkingHoursPerDay = periods.Sum(p => p.Duration.TotalHours);
    }

    /// <summary>
    /// Beijing time, UTC+8. A fixed offset rather than the tz database's Asia/Shanghai: China has used one
    /// time zone and no daylight saving time since 1991, so the offset never changes for the dates a calendar
    /// covers, and the domain needs no time-zone data that a server image might lack.
    /// </summary>
    public static TimeSpan BeijingOffset { get; } = TimeSpan.FromHours(8);

    /// <summary>08:30–12:00 and 14:00–17:30 Beijing time: 7 working hours a day, the usual office hours of a subdistrict.</summary>
    public static IReadOnlyList<WorkingPeriod> DefaultWorkingPeriods { get; } =
        [new(new TimeOnly(8, 30), new TimeOnly(12, 0)), new(new TimeOnly(14, 0), new TimeOnly(17, 30))];

    /// <summary>Monday to Friday.</summary>
    public static IReadOnlyList<DayOfWeek> DefaultWorkingWeekdays { get; } =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>Working periods of a working day, Beijing time, ordered and not overlapping; never empty.</summary>
    public IReadOnlyList<WorkingPeriod> WorkingPeriods { get; }

    /// <summary>Working days of the week (absent holidays); never empty.</summary>
    public IReadOnlyList<DayOfWeek> WorkingWeekdays { get; }

    /// <summary>The configured years, ordered by year.</summary>
    public IReadOnlyList<HolidayYear> Years { get; }

    /// <summary>Working hours in one working day, e.g. 7 for the default periods.</summary>
    public double WorkingHoursPerDay { get; }

    /// <summary>Makes a calendar from its stored form.</summary>
    /// <exception cref="ArgumentException">The definition is invalid; the message lists every problem of <see cref="WorkCalendarDefinition.Validate"/>.</exception>
    public static WorkCalendar FromDefinition(WorkCalendarDefinition definition)
    {
        var problems = definition.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(
                "The work calendar definition is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => p.MessageEn)),
                nameof(definition));
        }

        // Days of one holiday share a name, so grouping by name within a year rebuilds the notice's rules.
        var years = definition.Years.Select(y => new HolidayYear(
            y.Key,
            y.Value.GroupBy(d => d.Name.Trim()).Select(g => new HolidayRule(
                g.Key,
                g.Where(d => d.Kind == CalendarDayKind.Holiday).Select(d => d.Date),
                g.Where(d => d.Kind == CalendarDayKind.Workday).Select(d => d.Date)))));
        return new WorkCalendar(years, definition.WorkingPeriods.Select(WorkingPeriod.Parse), definition.WorkingWeekdays);
    }

    /// <summary>
    /// The stored form of this calendar: periods as <c>HH:mm-HH:mm</c>, weekdays as given, and each year's days
    /// sorted by date. <see cref="FromDefinition"/> of the result behaves exactly like this calendar.
    /// </summary>
    public WorkCalendarDefinition ToDefinition() => new(
        [.. WorkingPeriods.Select(p => p.ToString())],
        [.. WorkingWeekdays],
        Years.ToDictionary(y => y.Year, y => y.Days()));

    /// <summary>Whether a year's holiday arrangements are configured; if not, that year follows the weekly pattern only.</summary>
    public bool IsConfigured(int year) => years.ContainsKey(year);

    /// <summary>Whether a Beijing calendar day is a working day: a make-up working day, or a working weekday that is not a day off.</summary>
    public bool IsWorkingDay(DateOnly day) =>
        listedDays.TryGetValue(day, out var listed)
            ? listed.Kind == CalendarDayKind.Workday
            : workingWeekdaySet.Contains(day.DayOfWeek);

    /// <summary>The name of the holiday a day is off for, e.g. <c>春节</c>; null on any other day, make-up working days included.</summary>
    public string? HolidayName(DateOnly day) =>
        listedDays.TryGetValue(day, out var listed) && listed.Kind == CalendarDayKind.Holiday ? listed.Name : null;

    /// <summary>The name of the holiday a make-up working day (调休上班日) pays for, e.g. <c>春节</c>; null on any other day.</summary>
    public string? MakeUpWorkingDayFor(DateOnly day) =>
        listedDays.TryGetValue(day, out var listed) && listed.Kind == CalendarDayKind.Workday ? listed.Name : null;

    /// <summary>
    /// The first instant at or after <paramref name="t"/> that is working time: <paramref name="t"/> itself when it
    /// is inside a working period, else the start of the next working period (the end of a period is not inside it).
    /// </summary>
    /// <returns>An instant at <see cref="BeijingOffset"/>, never before <paramref name="t"/>.</returns>
    public DateTimeOffset NextWorkingStart(DateTimeOffset t)
    {
        var (day, timeOfDay) = Beijing(t);
        while (true)
        {
            if (IsWorkingDay(day))
            {
                foreach (var period in periods)
                {
                    if (timeOfDay < period.End.Ticks)
                    {
                        return At(day, Math.Max(timeOfDay, period.Start.Ticks));
                    }
                }
            }

            day = day.AddDays(1);
            timeOfDay = 0;
        }
    }

    /// <summary>
    /// The deadline for a time limit in working hours: the earliest instant by which <paramref name="hours"/> of
    /// working time have passed since <paramref name="start"/>. Only working periods of working days count; a start
    /// outside working time (at night, over lunch, on a holiday) begins counting at the next working period.
    /// </summary>
    /// <remarks>
    /// Being the earliest such instant, a deadline that uses up a period exactly falls at that period's end
    /// (12:00, not 14:00), and zero hours gives <paramref name="start"/> itself. It agrees with
    /// <see cref="WorkingHoursBetween"/>: <c>WorkingHoursBetween(start, AddWorkingHours(start, h)) == h</c> to the tick.
    /// The search steps a calendar day at a time, so a 120-hour limit (about 17 working days) takes about 25 steps.
    /// </remarks>
    /// <param name="start">When the clock starts (e.g. when a case is dispatched), any offset.</param>
    /// <param name="hours">The time limit in working hours; zero or more.</param>
    /// <returns>The deadline at <see cref="BeijingOffset"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hours"/> is negative, not finite, or the deadline would fall after year 9999.</exception>
    public DateTimeOffset AddWorkingHours(DateTimeOffset start, double hours)
    {
        if (!double.IsFinite(hours) || hours < 0 || hours >= TimeSpan.MaxValue.TotalHours)
        {
            throw new ArgumentOutOfRangeException(nameof(hours), hours, "A time limit is a finite, non-negative number of working hours.");
        }

        var remaining = (long)Math.Round(hours * TimeSpan.TicksPerHour);
        var (day, timeOfDay) = Beijing(start);
        if (remaining == 0)
        {
            return start.ToOffset(BeijingOffset);
        }

        while (true)
        {
            if (IsWorkingDay(day))
            {
                foreach (var period in periods)
                {
                    var from = Math.Max(timeOfDay, period.Start.Ticks);
                    var available = period.End.Ticks - from;
                    if (available <= 0)
                    {
                        continue;
                    }

                    if (remaining <= available)
                    {
                        return At(day, from + remaining);
                    }

                    remaining -= available;
                }
            }

            day = day.AddDays(1);
            timeOfDay = 0;
        }
    }

    /// <summary>
    /// The deadline for a time limit in working days: the end of the last working period of the
    /// <paramref name="days"/>-th working day after the day of <paramref name="start"/>.
    /// </summary>
    /// <remarks>
    /// This is how Chinese law counts periods, not "the same clock time N working days later": the day a period
    /// starts is not counted and counting begins the next day (民法典 第二百零一条), whatever the hour of the start
    /// and whether or not that day is a working day; and a period ends when business stops on its last day
    /// (第二百零三条: 有业务时间的，停止业务活动的时间为截止时间), here the end of the last working period. So a case
    /// dispatched on Friday at 09:00 with one working day is due on Monday at 17:30 (default periods).
    /// </remarks>
    /// <param name="start">When the clock starts, any offset; only its Beijing date matters.</param>
    /// <param name="days">The time limit in working days; one or more.</param>
    /// <returns>The deadline at <see cref="BeijingOffset"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is zero or negative, or the deadline would fall after year 9999.</exception>
    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        var (day, _) = Beijing(start);
        for (var counted = 0; counted < days;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                counted++;
            }
        }

        return At(day, periods[^1].End.Ticks);
    }

    /// <summary>
    /// Working time, in hours, from <paramref name="from"/> to <paramref name="to"/>: the length of their overlap with
    /// the working periods of working days. Used to measure how late a case is and for on-time rates.
    /// </summary>
    /// <returns>Zero or more hours, exact to the tick; zero when both instants lie outside working time with none between.</returns>
    /// <exception cref="ArgumentException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    public double WorkingHoursBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to < from)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The end {to:O} is before the start {from:O}: working time is measured forwards only."),
                nameof(to));
        }

        var (firstDay, fromTime) = Beijing(from);
        var (lastDay, toTime) = Beijing(to);
        long ticks = 0;
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }

            var low = day == firstDay ? fromTime : 0;
            var high = day == lastDay ? toTime : TimeSpan.TicksPerDay;
            foreach (var period in periods)
            {
                ticks += Math.Max(0, Math.Min(high, period.End.Ticks) - Math.Max(low, period.Start.Ticks));
            }
        }

        return (double)ticks / TimeSpan.TicksPerHour;
    }

    private static (DateOnly Day, long TimeOfDayTicks) Beijing(DateTimeOffset t)
    {
        var local = t.ToOffset(BeijingOffset).DateTime;
        return (DateOnly.FromDateTime(local), local.TimeOfDay.Ticks);
    }

    private static DateTimeOffset At(DateOnly day, long timeOfDayTicks) =>
        new(day.ToDateTime(TimeOnly.MinValue).AddTicks(timeOfDayTicks), BeijingOffset);
}
