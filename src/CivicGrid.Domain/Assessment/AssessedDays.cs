namespace CivicGrid.Domain.Assessment;

/// <summary>
/// The Beijing days of an assessment period and how far its day-by-day records are complete: [<see cref="From"/>,
/// <see cref="To"/>] is the period, <see cref="Through"/> the last day whose records can no longer grow (<see cref="To"/> once
/// the period has ended, else the day before the computation), so a provisional result never counts today's unfinished
/// patrol or this week's unfinished door-knocks against anyone. <see cref="Through"/> may lie before <see cref="From"/> on a
/// period's first day: then no day is counted yet.
/// </summary>
public sealed record AssessedDays(DateOnly From, DateOnly To, DateOnly Through)
{
    /// <summary>The days of <paramref name="period"/> as seen on <paramref name="today"/> (a Beijing date).</summary>
    public static AssessedDays Of(AssessmentPeriod period, DateOnly today) =>
        new(period.From, period.To, today > period.To ? period.To : today.AddDays(-1));

    /// <summary>True when every day of the period is complete.</summary>
    public bool Ended => Through >= To;

    /// <summary>The complete days of the period, in order.</summary>
    public IEnumerable<DateOnly> Days()
    {
        for (var day = From; day <= Through && day <= To; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    /// <summary>
    /// The Mondays of the weeks touching the period (a week running over either end counts in it, as the field-work figures
    /// count it) that are over: every one once the period has ended, else those whose Sunday is complete.
    /// </summary>
    public IEnumerable<DateOnly> Weeks()
    {
        for (var monday = From.AddDays(-(((int)From.DayOfWeek + 6) % 7)); monday <= To; monday = monday.AddDays(7))
        {
            if (Ended || monday.AddDays(6) <= Through)
            {
                yield return monday;
            }
        }
    }

    /// <summary>True when <paramref name="day"/> is a complete day of the period.</summary>
    public bool Counts(DateOnly day) => day >= From && day <= To && day <= Through;
}
