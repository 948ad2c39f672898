using System.Globalization;

namespace CivicGrid.Domain.Calendar;

/// <summary>
/// One working period of a working day in Beijing time, e.g. 08:30–12:00: the half-open interval
/// [<see cref="Start"/>, <see cref="End"/>) of clock time.
/// </summary>
/// <remarks>
/// <para>
/// A period lies within one day and never crosses midnight: <see cref="End"/> is strictly after
/// <see cref="Start"/>. Both are whole minutes because the stored form (see <see cref="ToString"/>) is
/// <c>HH:mm-HH:mm</c> and must round-trip exactly.
/// </para>
/// <para>
/// <c>default(WorkingPeriod)</c> is 00:00–00:00, which breaks the invariant; <see cref="WorkCalendar"/>
/// reports it as <see cref="WorkCalendarProblemKind.EmptyPeriod"/> rather than using it.
/// </para>
/// </remarks>
public readonly record struct WorkingPeriod
{
    /// <summary>Makes a period from its start and end clock times (Beijing time).</summary>
    /// <exception cref="ArgumentException"><paramref name="end"/> is not after <paramref name="start"/>, or either is not a whole minute.</exception>
    public WorkingPeriod(TimeOnly start, TimeOnly end)
    {
        if (end <= start)
        {
            throw new ArgumentException($"A working period must end after it starts and within the same day: {Format(start)}-{Format(end)}.", nameof(end));
        }

        if (start.Ticks % TimeSpan.TicksPerMinute != 0 || end.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            throw new ArgumentException("A working period starts and ends on whole minutes.", nameof(start));
        }

        Start = start;
        End = end;
    }

    /// <summary>Clock time (Beijing time) at which the period starts, inclusive.</summary>
    public TimeOnly Start { get; }

    /// <summary>Clock time (Beijing time) at which the period ends, exclusive; always after <see cref="Start"/>.</summary>
    public TimeOnly End { get; }

    /// <summary>Length of the period; positive for any period built by the constructor.</summary>
    public TimeSpan Duration => End - Start;

    /// <summary>
    /// Reads the stored form <c>HH:mm-HH:mm</c> (24-hour clock, two digits each, e.g. <c>08:30-12:00</c>;
    /// spaces around the parts are ignored).
    /// </summary>
    /// <returns>False when the text is not in that form or the end is not after the start.</returns>
    public static bool TryParse(string? text, out WorkingPeriod period)
    {
        period = default;
        var parts = text?.Split('-');
        if (parts is not { Length: 2 }
            || !TimeOnly.TryParseExact(parts[0].Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !TimeOnly.TryParseExact(parts[1].Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            || end <= start)
        {
            return false;
        }

        period = new WorkingPeriod(start, end);
        return true;
    }

    /// <summary>Reads the stored form <c>HH:mm-HH:mm</c>; see <see cref="TryParse"/>.</summary>
    /// <exception cref="FormatException">The text is not a valid period.</exception>
    public static WorkingPeriod Parse(string text) =>
        TryParse(text, out var period) ? period : throw new FormatException($"\"{text}\" is not a working period HH:mm-HH:mm ending after it starts.");

    /// <summary>The stored form, <c>HH:mm-HH:mm</c>, e.g. <c>08:30-12:00</c>.</summary>
    public override string ToString() => $"{Format(Start)}-{Format(End)}";

    private static string Format(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}
