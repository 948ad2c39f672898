using System.Globalization;

namespace CivicGrid.Domain.Assessment;

/// <summary>How long an assessment period is.</summary>
public enum PeriodKind
{
    Month = 1,
    Quarter = 2,
    Year = 3,
}

/// <summary>
/// An assessment period (考核期): a calendar month, quarter or year in Beijing dates, written <c>2026-11</c>, <c>2026-Q4</c>
/// or <c>2026</c>. The text form is the key everything else uses (results, appeals, council rounds), so it is canonical:
/// <see cref="Parse"/> accepts exactly what <see cref="ToString"/> writes, plus a lower-case <c>q</c>.
/// </summary>
public readonly record struct AssessmentPeriod
{
    private AssessmentPeriod(PeriodKind kind, int year, int number)
    {
        Kind = kind;
        Year = year;
        Number = number;
    }

    public PeriodKind Kind { get; }

    public int Year { get; }

    /// <summary>The month (1–12) or quarter (1–4); 1 for a year.</summary>
    public int Number { get; }

    /// <summary>The first day of the period.</summary>
    public DateOnly From => Kind switch
    {
        PeriodKind.Month => new DateOnly(Year, Number, 1),
        PeriodKind.Quarter => new DateOnly(Year, (Number - 1) * 3 + 1, 1),
        _ => new DateOnly(Year, 1, 1),
    };

    /// <summary>The last day of the period (inclusive).</summary>
    public DateOnly To => Kind switch
    {
        PeriodKind.Month => From.AddMonths(1).AddDays(-1),
        PeriodKind.Quarter => From.AddMonths(3).AddDays(-1),
        _ => new DateOnly(Year, 12, 31),
    };

    public int Days => To.DayNumber - From.DayNumber + 1;

    public static AssessmentPeriod Month(int year, int month) =>
        month is < 1 or > 12 ? throw new ArgumentOutOfRangeException(nameof(month)) : new(PeriodKind.Month, CheckYear(year), month);

    public static AssessmentPeriod Quarter(int year, int quarter) =>
        quarter is < 1 or > 4 ? throw new ArgumentOutOfRangeException(nameof(quarter)) : new(PeriodKind.Quarter, CheckYear(year), quarter);

    public static AssessmentPeriod OfYear(int year) => new(PeriodKind.Year, CheckYear(year), 1);

    /// <summary>The period of a kind that contains a day.</summary>
    public static AssessmentPeriod Containing(PeriodKind kind, DateOnly day) => kind switch
    {
        PeriodKind.Month => Month(day.Year, day.Month),
        PeriodKind.Quarter => Quarter(day.Year, (day.Month - 1) / 3 + 1),
        _ => OfYear(day.Year),
    };

    /// <summary>The last period of a kind that has ended before <paramref name="today"/>.</summary>
    public static AssessmentPeriod LastComplete(PeriodKind kind, DateOnly today) => Containing(kind, today).Previous();

    public AssessmentPeriod Previous() => Kind switch
    {
        PeriodKind.Month => Number == 1 ? Month(Year - 1, 12) : Month(Year, Number - 1),
        PeriodKind.Quarter => Number == 1 ? Quarter(Year - 1, 4) : Quarter(Year, Number - 1),
        _ => OfYear(Year - 1),
    };

    /// <summary>True when the period's last day is before <paramref name="today"/>: its figures can no longer grow.</summary>
    public bool HasEnded(DateOnly today) => To < today;

    public bool Contains(DateOnly day) => day >= From && day <= To;

    /// <summary>True when this period lies within <paramref name="other"/> (a month within its quarter and year).</summary>
    public bool IsWithin(AssessmentPeriod other) => From >= other.From && To <= other.To;

    public override string ToString() => Kind switch
    {
        PeriodKind.Month => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Number:D2}"),
        PeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-Q{Number}"),
        _ => Year.ToString("D4", CultureInfo.InvariantCulture),
    };

    /// <summary>The Chinese label: 2026年11月, 2026年第四季度, 2026年度.</summary>
    public string Label => Kind switch
    {
        PeriodKind.Month => $"{Year}年{Number}月",
        PeriodKind.Quarter => $"{Year}年第{"一二三四"[Number - 1]}季度",
        _ => $"{Year}年度",
    };

    public static bool TryParse(string? text, out AssessmentPeriod period)
    {
        period = default;
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 4 && Year4(value, out var year))
        {
            period = OfYear(year);
            return true;
        }

        if (value.Length == 7 && value[4] == '-' && Year4(value[..4], out year))
        {
            if (value[5] is 'Q' or 'q' && value[6] is >= '1' and <= '4')
            {
                period = Quarter(year, value[6] - '0');
                return true;
            }

            if (int.TryParse(value.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month) && month is >= 1 and <= 12)
            {
                period = Month(year, month);
                return true;
            }
        }

        return false;
    }

    public static AssessmentPeriod Parse(string text) =>
        TryParse(text, out var period) ? period : throw new FormatException($"'{text}' is not a period (2026-11, 2026-Q4 or 2026).");

    private static bool Year4(string text, out int year) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out year) && year is >= 2000 and <= 2999;

    private static int CheckYear(int year) => year is >= 2000 and <= 2999 ? year : throw new ArgumentOutOfRangeException(nameof(year));
}
