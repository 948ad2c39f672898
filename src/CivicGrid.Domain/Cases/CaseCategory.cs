using CivicGrid.Domain.Calendar;

namespace CivicGrid.Domain.Cases;

/// <summary>The unit a category's handling time limit is counted in, on the work calendar.</summary>
public enum TimeLimitUnit
{
    WorkingHours = 1,
    WorkingDays = 2,
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

    /// <summary>Handling time limit in working hours, whatever the unit (a working day counts as <paramref name="hoursPerDay"/>).</summary>
    public double LimitInWorkingHours(double hoursPerDay) =>
        TimeLimitUnit == TimeLimitUnit.WorkingDays ? TimeLimit * hoursPerDay : TimeLimit;

    /// <summary>When a case of this category and colour, accepted at <paramref name="start"/>, is due on <paramref name="calendar"/>.</summary>
    public DateTimeOffset DueAt(WorkCalendar calendar, DateTimeOffset start, CaseTier tier)
    {
        var factor = TierFactor[tier];
        return TimeLimitUnit == TimeLimitUnit.WorkingDays
            ? calendar.AddWorkingDays(start, TimeLimit * factor)
            : calendar.AddWorkingHours(start, TimeLimit * factor);
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
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timeLimit, unit == TimeLimitUnit.WorkingDays ? 250 : 2000);
        if (!Enum.IsDefined(defaultTier) || !Enum.IsDefined(unit))
        {
            throw new ArgumentOutOfRangeException(nameof(defaultTier));
        }

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

    public void Retire() => IsActive = false;

    public void Reinstate() => IsActive = true;
}
