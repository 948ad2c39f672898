using System.Text.Json.Serialization;

namespace CivicGrid.Domain.Calendar;

/// <summary>Whether a listed day is a day off or a make-up working day.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CalendarDayKind>))]
public enum CalendarDayKind
{
    /// <summary>A day off (节假日放假), whatever day of the week it is. Stored as <c>holiday</c>.</summary>
    [JsonStringEnumMemberName("holiday")]
    Holiday = 1,

    /// <summary>A make-up working day (调休上班): a weekend day that becomes a working day. Stored as <c>workday</c>.</summary>
    [JsonStringEnumMemberName("workday")]
    Workday = 2,
}

/// <summary>One listed day of a year's arrangements.</summary>
/// <param name="Date">The date (a Beijing calendar day).</param>
/// <param name="Kind">Day off or make-up working day.</param>
/// <param name="Name">The holiday it belongs to, e.g. <c>春节</c>; a make-up working day carries the name of the holiday it pays for.</param>
public sealed record CalendarDayDefinition(DateOnly Date, CalendarDayKind Kind, string Name);

/// <summary>
/// The stored, admin-editable form of a <see cref="WorkCalendar"/>: plain strings, enums and dates that
/// serialise to JSON as they are. Build a calendar with <see cref="WorkCalendar.FromDefinition"/>; get one
/// back with <see cref="WorkCalendar.ToDefinition"/>.
/// </summary>
/// <remarks>
/// A definition may be invalid (it is what an admin typed); <see cref="Validate"/> lists every problem at once
/// so the editor can show them together. A new year's notice appears each November, so adding a year is
/// the usual edit.
/// </remarks>
/// <param name="WorkingPeriods">Working periods of a working day, Beijing time, as <c>HH:mm-HH:mm</c>, in order, e.g. <c>["08:30-12:00", "14:00-17:30"]</c>.</param>
/// <param name="WorkingWeekdays">Days of the week that are working days unless a holiday says otherwise, e.g. Monday to Friday.</param>
/// <param name="Years">Each configured year and its listed days (days off and make-up working days).</param>
public sealed record WorkCalendarDefinition(
    IReadOnlyList<string> WorkingPeriods,
    IReadOnlyList<DayOfWeek> WorkingWeekdays,
    IReadOnlyDictionary<int, IReadOnlyList<CalendarDayDefinition>> Years)
{
    /// <summary>
    /// Every problem that stops this definition from making a calendar, each as a sentence in Chinese and in
    /// English: malformed, empty, unordered or overlapping periods; no or repeated working weekdays; years
    /// with no days; dates outside their year or listed twice; make-up working days that are not weekend days;
    /// unnamed days and unknown kinds.
    /// </summary>
    /// <returns>An empty list when <see cref="WorkCalendar.FromDefinition"/> will succeed.</returns>
    public IReadOnlyList<WorkCalendarProblem> Validate()
    {
        var problems = new List<WorkCalendarProblem>();
        var periods = new List<WorkingPeriod>();
        var rawPeriods = WorkingPeriods ?? [];
        foreach (var text in rawPeriods)
        {
            if (WorkingPeriod.TryParse(text, out var period))
            {
                periods.Add(period);
            }
            else
            {
                problems.Add(WorkCalendarRules.MalformedPeriod(text));
            }
        }

        var years = (Years ?? new Dictionary<int, IReadOnlyList<CalendarDayDefinition>>())
            .OrderBy(y => y.Key)
            .Select(y => (y.Key, y.Value ?? []));
        problems.AddRange(WorkCalendarRules.Check(periods, WorkingWeekdays ?? [], years, reportNoPeriods: rawPeriods.Count == 0));
        return problems;
    }
}
