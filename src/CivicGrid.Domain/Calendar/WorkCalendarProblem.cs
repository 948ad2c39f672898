namespace CivicGrid.Domain.Calendar;

/// <summary>The rule a work calendar breaks. Stable names for the API and the admin editor.</summary>
public enum WorkCalendarProblemKind
{
    /// <summary>A working period is not <c>HH:mm-HH:mm</c>, or does not end after it starts.</summary>
    MalformedPeriod = 1,

    /// <summary>A working period does not end after it starts (e.g. <c>default(WorkingPeriod)</c>).</summary>
    EmptyPeriod,

    /// <summary>There is no working period.</summary>
    NoWorkingPeriods,

    /// <summary>A working period starts before the one listed ahead of it.</summary>
    PeriodsOutOfOrder,

    /// <summary>Two working periods share some time.</summary>
    PeriodsOverlap,

    /// <summary>No day of the week is a working day.</summary>
    NoWorkingWeekdays,

    /// <summary>A day of the week is listed twice among the working weekdays.</summary>
    WeekdayListedTwice,

    /// <summary>A working weekday is not a day of the week.</summary>
    UnknownWeekday,

    /// <summary>A year is listed twice, or is outside 1–9999.</summary>
    BadYear,

    /// <summary>A configured year lists no day at all.</summary>
    EmptyYear,

    /// <summary>A date is neither in its year nor in the December before it.</summary>
    DateOutsideYear,

    /// <summary>A date is listed twice (in one year or in two), whatever its kinds.</summary>
    DayListedTwice,

    /// <summary>A make-up working day is not a Saturday or Sunday.</summary>
    MakeUpDayNotWeekend,

    /// <summary>A listed day has no holiday name.</summary>
    UnnamedDay,

    /// <summary>A listed day is neither <c>holiday</c> nor <c>workday</c>.</summary>
    UnknownKind,
}

/// <summary>One problem found in a work calendar or its definition.</summary>
/// <param name="Kind">The rule broken.</param>
/// <param name="Date">The day concerned, for the editor to highlight; null for problems of periods, weekdays or whole years.</param>
/// <param name="MessageZh">A complete sentence in Chinese naming the period, weekday or date.</param>
/// <param name="MessageEn">The same sentence in English.</param>
public sealed record WorkCalendarProblem(WorkCalendarProblemKind Kind, DateOnly? Date, string MessageZh, string MessageEn);
