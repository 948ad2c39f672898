using System.Globalization;

namespace CivicGrid.Domain.Calendar;

/// <summary>
/// One holiday of a State Council notice (国务院办公厅关于某年部分节假日安排的通知), e.g. 春节: the days off
/// (放假调休) and the make-up working days (调休上班) that pay for them.
/// </summary>
/// <remarks>
/// Days off may fall on any day of the week (a Saturday inside a holiday block is simply off). Make-up working
/// days are Saturdays or Sundays that become working days; <see cref="WorkCalendar"/>
/// checks this and the other rules that involve the whole calendar. Both lists are sorted by date.
/// </remarks>
public sealed class HolidayRule
{
    /// <summary>Makes a rule from its name and dates.</summary>
    /// <param name="name">The holiday's name as the notice writes it, e.g. <c>春节</c> or <c>国庆节、中秋节</c>.</param>
    /// <param name="daysOff">The days off (节假日).</param>
    /// <param name="makeUpWorkingDays">The make-up working days (调休上班日); empty when the notice names none.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank, or the rule has no date at all.</exception>
    public HolidayRule(string name, IEnumerable<DateOnly> daysOff, IEnumerable<DateOnly> makeUpWorkingDays)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name.Trim();
        DaysOff = [.. daysOff.Order()];
        MakeUpWorkingDays = [.. makeUpWorkingDays.Order()];
        if (DaysOff.Count == 0 && MakeUpWorkingDays.Count == 0)
        {
            throw new ArgumentException($"Holiday rule {Name} has no date.", nameof(daysOff));
        }
    }

    /// <summary>The holiday's name, e.g. <c>春节</c>.</summary>
    public string Name { get; }

    /// <summary>The days off, sorted.</summary>
    public IReadOnlyList<DateOnly> DaysOff { get; }

    /// <summary>The make-up working days, sorted.</summary>
    public IReadOnlyList<DateOnly> MakeUpWorkingDays { get; }

    /// <summary>
    /// A rule as notices state it: days off from <paramref name="firstDayOff"/> to <paramref name="lastDayOff"/>
    /// inclusive, and the make-up working days.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="lastDayOff"/> is before <paramref name="firstDayOff"/>, or the name is blank.</exception>
    public static HolidayRule Block(string name, DateOnly firstDayOff, DateOnly lastDayOff, params DateOnly[] makeUpWorkingDays)
    {
        if (lastDayOff < firstDayOff)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Holiday {name} ends ({lastDayOff:yyyy-MM-dd}) before it starts ({firstDayOff:yyyy-MM-dd})."),
                nameof(lastDayOff));
        }

        var days = Enumerable.Range(0, lastDayOff.DayNumber - firstDayOff.DayNumber + 1).Select(firstDayOff.AddDays);
        return new HolidayRule(name, days, makeUpWorkingDays);
    }
}

/// <summary>
/// The holiday arrangements of one year, as one State Council notice gives them. A year that has a
/// <see cref="HolidayYear"/> in a <see cref="WorkCalendar"/> is <em>configured</em>
/// (<see cref="WorkCalendar.IsConfigured"/>).
/// </summary>
/// <remarks>
/// Dates belong to <see cref="Year"/> or to the December before it: a notice sometimes starts the New Year
/// holiday, or its make-up day, on the last days of the previous year.
/// </remarks>
public sealed class HolidayYear
{
    /// <summary>Makes a year's arrangements.</summary>
    /// <param name="year">The year the notice is for, e.g. 2026.</param>
    /// <param name="rules">The notice's holidays, in any order.</param>
    public HolidayYear(int year, IEnumerable<HolidayRule> rules)
    {
        Year = year;
        Rules = [.. rules.OrderBy(r => r.DaysOff.Concat(r.MakeUpWorkingDays).Min())];
    }

    /// <summary>The year the notice is for.</summary>
    public int Year { get; }

    /// <summary>The holidays, ordered by their first date.</summary>
    public IReadOnlyList<HolidayRule> Rules { get; }

    /// <summary>Every date of every rule, sorted by date (a date listed twice stays twice, for validation to see).</summary>
    internal IReadOnlyList<CalendarDayDefinition> Days() =>
    [
        .. Rules
            .SelectMany(r => r.DaysOff.Select(d => new CalendarDayDefinition(d, CalendarDayKind.Holiday, r.Name))
                .Concat(r.MakeUpWorkingDays.Select(d => new CalendarDayDefinition(d, CalendarDayKind.Workday, r.Name))))
            .OrderBy(d => d.Date),
    ];
}
