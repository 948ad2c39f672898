using CivicGrid.Domain.Calendar;

namespace CivicGrid.Domain.Cases;

/// <summary>
/// The unit a category's handling time limit is counted in: working time on the work calendar (nights, weekends and
/// holidays do not count), or natural time, round the clock, for what cannot wait (fire, gas, flooding, public safety).
/// </summary>
public enum TimeLimitUnit
{
    WorkingHours = 1,
    WorkingDays = 2,

    /// <summary>Hours of the clock (自然小时): a case assigned at 02:00 with 2 hours is due at 04:00, holiday or not.</summary>
    NaturalHours = 3,

    /// <summary>Days of the calendar (自然日), 24 hours each, weekends and holidays included.</summary>
    NaturalDays = 4,
}

/// <summary>What each <see cref="TimeLimitUnit"/> allows and how it reads.</summary>
public static class TimeLimitUnits
{
    /// <summary>True for the units that count round the clock.</summary>
    public static bool IsNatural(this TimeLimitUnit unit) => unit is TimeLimitUnit.NaturalHours or TimeLimitUnit.NaturalDays;

    /// <summary>The longest limit a category may have in the unit: about a working year, or a calendar year.</summary>
    public static int MaxLimit(this TimeLimitUnit unit) => unit switch
    {
        TimeLimitUnit.WorkingDays => 250,
        TimeLimitUnit.NaturalDays => 365,
        _ => 2000,
    };

    /// <summary>The unit after a number in Chinese: "4个工作小时", "2个自然小时".</summary>
    public static string ToChinese(this TimeLimitUnit unit) => unit switch
    {
        TimeLimitUnit.WorkingHours => "个工作小时",
        TimeLimitUnit.WorkingDays => "个工作日",
        TimeLimitUnit.NaturalHours => "个自然小时",
        TimeLimitUnit.NaturalDays => "个自然日",
        _ => throw new ArgumentOutOfRangeException(nameof(unit)),
    };
}

/// <summary>
/// A subcategory (小类) of the case catalogue, with its major class (大类). Codes follow the
/// GB/T 30428 style: 2-digit major class + 2-digit minor class, prefixed <c>E</c> for events
/// (事件), <c>C</c> for components (部件) and <c>G</c> for grid task families (业务入网).
/// The catalogue is configuration: an administrator edits it; <see cref="StandardCatalogue"/> seeds it.
/// </summary>
public sealed class CaseCategory
{
    /// <summary>
    /// How much longer a higher colour may take than the category's limit: a yellow case needs a joint
    /// mediation, a blue one a meeting, a red one the district. Applied by <see cref="DueAt"/>.
    /// </summary>
    public static readonly IReadOnlyDictionary<CaseTier, int> TierFactor = new Dictionary<CaseTier, int>
    {
        [CaseTier.Green] = 1,
        [CaseTier.Yellow] = 2,
        [CaseTier.Blue] = 3,
        [CaseTier.Red] = 3,
    };

    private CaseCategory()
    {
        Code = null!;
        Name = null!;
        MajorCode = null!;
        MajorName = null!;
        AcceptanceCondition = null!;
        ClosingCondition = null!;
    }

    /// <param name="timeLimit">Handling time limit in <paramref name="unit"/>; at least 1.</param>
    public CaseCategory(string code, string name, string majorCode, string majorName, CaseTier defaultTier, int timeLimit,
        TimeLimitUnit unit = TimeLimitUnit.WorkingHours)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code.Trim();
        Name = null!;
        MajorCode = null!;
        MajorName = null!;
        AcceptanceCondition = string.Empty;
        ClosingCondition = string.Empty;
        PhotoRequired = true;
        IsActive = true;
        Revise(name, majorCode, majorName, defaultTier, timeLimit, unit, null, string.Empty, string.Empty, true);
    }

    public string Code { get; private set; }

    public string Name { get; private set; }

    public string MajorCode { get; private set; }

    public string MajorName { get; private set; }

    public CaseTier DefaultTier { get; private set; }

    /// <summary>Handling time limit, in <see cref="TimeLimitUnit"/>, for a green case; see <see cref="TierFactor"/>.</summary>
    public int TimeLimit { get; private set; }

    public TimeLimitUnit TimeLimitUnit { get; private set; }

    /// <summary>Code of the department that usually handles it (e.g. <c>dept-urban</c>); null when the grid or community does.</summary>
    public string? ResponsibleDepartmentCode { get; private set; }

    /// <summary>When a report of this kind is accepted (立案条件), in Chinese for the people screening it.</summary>
    public string AcceptanceCondition { get; private set; }

    /// <summary>When a case of this kind may close (结案条件), in Chinese.</summary>
    public string ClosingCondition { get; private set; }

    /// <summary>Whether a report needs a photo (a broken street light does; an ID-card question does not).</summary>
    public bool PhotoRequired { get; private set; }

    /// <summary>Retired categories stay for old cases but are not offered for new reports.</summary>
    public bool IsActive { get; private set; }

    /// <summary>
    /// A case of this kind says something about the people where it is (elder care, a dispute, a suspicious person): it is
    /// never suggested to the public as "already reported nearby" (<see cref="DuplicateDisclosure"/>).
    /// </summary>
    public bool IsSensitive { get; private set; }

    /// <summary>
    /// Only staff and devices report a case of this kind (a sensor gone offline): the resident's report page does not offer
    /// it and intake refuses a resident's report of it. Residents may choose every other active category.
    /// </summary>
    public bool StaffOnly { get; private set; }

    /// <summary>True when the limit counts round the clock (<see cref="TimeLimitUnit.NaturalHours"/>, <see cref="TimeLimitUnit.NaturalDays"/>).</summary>
    public bool CountsNaturalTime => TimeLimitUnit.IsNatural();

    /// <summary>
    /// Handling time limit in hours, whatever the unit: a working day counts as <paramref name="hoursPerDay"/> working hours,
    /// a natural day as 24 hours of the clock.
    /// </summary>
    public double LimitInHours(double hoursPerDay) => TimeLimitUnit switch
    {
        TimeLimitUnit.WorkingDays => TimeLimit * hoursPerDay,
        TimeLimitUnit.NaturalDays => TimeLimit * 24.0,
        _ => TimeLimit,
    };

    /// <summary>
    /// When a case of this category and colour, accepted at <paramref name="start"/>, is due: on <paramref name="calendar"/>
    /// for working time, on the clock for natural time (nights, weekends and holidays count).
    /// </summary>
    public DateTimeOffset DueAt(WorkCalendar calendar, DateTimeOffset start, CaseTier tier)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var amount = TimeLimit * TierFactor[tier];
        return TimeLimitUnit switch
        {
            TimeLimitUnit.WorkingDays => calendar.AddWorkingDays(start, amount),
            TimeLimitUnit.NaturalHours => start + TimeSpan.FromHours(amount),
            TimeLimitUnit.NaturalDays => start + TimeSpan.FromDays(amount),
            _ => calendar.AddWorkingHours(start, amount),
        };
    }

    /// <summary>Changes everything but the code.</summary>
    /// <exception cref="ArgumentException">A blank name or major class, or a major code that the code does not start with.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A time limit below 1 or beyond a year.</exception>
    public void Revise(string name, string majorCode, string majorName, CaseTier defaultTier, int timeLimit, TimeLimitUnit unit,
        string? responsibleDepartmentCode, string acceptanceCondition, string closingCondition, bool photoRequired)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(majorCode);
        ArgumentException.ThrowIfNullOrWhiteSpace(majorName);
        if (!Code.StartsWith(majorCode.Trim(), StringComparison.Ordinal))
        {
            throw new ArgumentException("A subcategory's code starts with its major class's code.", nameof(majorCode));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(timeLimit, 1);
        if (!Enum.IsDefined(defaultTier) || !Enum.IsDefined(unit))
        {
            throw new ArgumentOutOfRangeException(nameof(defaultTier));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(timeLimit, unit.MaxLimit());

        Name = name.Trim();
        MajorCode = majorCode.Trim();
        MajorName = majorName.Trim();
        DefaultTier = defaultTier;
        TimeLimit = timeLimit;
        TimeLimitUnit = unit;
        ResponsibleDepartmentCode = string.IsNullOrWhiteSpace(responsibleDepartmentCode) ? null : responsibleDepartmentCode.Trim();
        AcceptanceCondition = acceptanceCondition.Trim();
        ClosingCondition = closingCondition.Trim();
        PhotoRequired = photoRequired;
    }

    /// <summary>Marks the category sensitive or not (see <see cref="IsSensitive"/>).</summary>
    public void MarkSensitive(bool sensitive) => IsSensitive = sensitive;

    /// <summary>Marks the category as reported by staff and devices only, or by anyone (see <see cref="StaffOnly"/>).</summary>
    public void MarkStaffOnly(bool staffOnly) => StaffOnly = staffOnly;

    public void Retire() => IsActive = false;

    public void Reinstate() => IsActive = true;
}
