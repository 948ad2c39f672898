using CivicGrid.Domain.Assessment;

namespace CivicGrid.Domain.FieldWork;

/// <summary>
/// A period of Beijing calendar days, [<see cref="From"/>, <see cref="To"/>] inclusive, as the field-work figures and the
/// assessment read them: a month (<c>2026-11</c>), a quarter (<c>2026-Q4</c>), a year (<c>2026</c>) or explicit dates.
/// </summary>
public sealed record ReportingPeriod(DateOnly From, DateOnly To)
{
    /// <summary>The longest period read at once: a year (366 days in a leap year).</summary>
    public const int MaxDays = 366;

    /// <summary>Days in the period, both ends counted.</summary>
    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>
    /// Reads the shorthand <paramref name="period"/> (month, quarter, year) or the pair <paramref name="from"/>/<paramref name="to"/>
    /// (defaults: the first of this month, today). Returns null with a Chinese reason per field when the text does not read, both
    /// forms are given, the end is before the start or the period is longer than <see cref="MaxDays"/>.
    /// </summary>
    public static ReportingPeriod? Read(string? period, DateOnly? from, DateOnly? to, DateOnly today, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ReportingPeriod? read;
        if (!string.IsNullOrWhiteSpace(period))
        {
            if (from is not null || to is not null)
            {
                errors["period"] = ["统计期间请二选一：period（如 2026-11、2026-Q4、2026）或 from/to 日期。"];
                return null;
            }

            read = Shorthand(period.Trim());
            if (read is null)
            {
                errors["period"] = ["统计期间的写法应为月份 2026-11、季度 2026-Q4 或年份 2026。"];
                return null;
            }
        }
        else
        {
            read = new ReportingPeriod(from ?? new DateOnly(today.Year, today.Month, 1), to ?? today);
        }

        if (read.To < read.From)
        {
            errors["to"] = ["结束日期不能早于开始日期。"];
            return null;
        }

        if (read.Days > MaxDays)
        {
            errors["to"] = [$"统计期间最长一年（{MaxDays} 天），请缩短期间。"];
            return null;
        }

        return read;
    }

    /// <summary>
    /// A month, quarter or year written as <c>2026-11</c>, <c>2026-Q4</c> or <c>2026</c> (the assessment's periods, read by
    /// <see cref="AssessmentPeriod.TryParse"/>); null when it does not read.
    /// </summary>
    public static ReportingPeriod? Shorthand(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return AssessmentPeriod.TryParse(text, out var period) ? new ReportingPeriod(period.From, period.To) : null;
    }

    /// <summary>The Mondays of the weeks that touch the period (a week counts in the period it starts in or overlaps).</summary>
    public IEnumerable<DateOnly> WeekStarts()
    {
        for (var monday = From.AddDays(-(((int)From.DayOfWeek + 6) % 7)); monday <= To; monday = monday.AddDays(7))
        {
            yield return monday;
        }
    }
}
