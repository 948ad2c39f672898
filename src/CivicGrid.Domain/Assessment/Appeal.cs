namespace CivicGrid.Domain.Assessment;

public enum AppealStatus
{
    /// <summary>Filed, waiting for the reviewer.</summary>
    Pending = 1,

    /// <summary>The reviewer corrected the indicator; the subject's score and stars were recomputed.</summary>
    Accepted = 2,

    /// <summary>The reviewer kept the value, with a reason.</summary>
    Refused = 3,
}

/// <summary>How long after publication an appeal may be filed (申诉期), in calendar days. Default 10.</summary>
public sealed record AppealRules(int WindowDays = 10)
{
    public const int MaxReasonLength = 500;

    public DateTimeOffset DeadlineAfter(DateTimeOffset publishedAt) => publishedAt.AddDays(WindowDays);

    public IReadOnlyList<string> Problems() => WindowDays is < 1 or > 90 ? ["申诉期须在 1–90 天之间。"] : [];
}

/// <summary>
/// An appeal (申诉) against one indicator of one published result: a grid worker about their own, a grid leader about
/// their grid's or their workers'. The reviewer accepts it with a corrected numerator and denominator (recorded beside
/// the values they replace) or refuses it with a reason; either way it stays on the record.
/// </summary>
public sealed class Appeal
{
    private Appeal()
    {
        Period = SubjectCode = SubjectName = Indicator = FiledByName = Reason = string.Empty;
    }

    public Guid Id { get; private set; }

    /// <summary>The period's canonical text (2026-Q3).</summary>
    public string Period { get; private set; }

    /// <summary>grid or worker.</summary>
    public string SubjectKind { get; private set; } = "grid";

    public string SubjectCode { get; private set; }

    public string SubjectName { get; private set; }

    /// <summary>The subject's grid code (the grid itself, or the worker's grid): whose staff may see and review the appeal.</summary>
    public string ScopeCode { get; private set; } = string.Empty;

    public string Indicator { get; private set; }

    /// <summary>The values as published, when the appeal was filed.</summary>
    public double Numerator { get; private set; }

    public double? Denominator { get; private set; }

    public Guid FiledBy { get; private set; }

    public string FiledByName { get; private set; }

    public DateTimeOffset FiledAt { get; private set; }

    public string Reason { get; private set; }

    /// <summary>What the appellant points to: case numbers, dates, a description of photos handed in.</summary>
    public string? Evidence { get; private set; }

    public AppealStatus Status { get; private set; } = AppealStatus.Pending;

    public Guid? DecidedBy { get; private set; }

    public string? DecidedByName { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public string? Decision { get; private set; }

    public double? CorrectedNumerator { get; private set; }

    public double? CorrectedDenominator { get; private set; }

    /// <summary>Files an appeal, or says in Chinese why it cannot be filed.</summary>
    public static (Appeal? Appeal, string? Problem) File(AppealRules rules, DateTimeOffset publishedAt, DateTimeOffset now, string period, string subjectKind,
        string subjectCode, string subjectName, string scopeCode, string indicator, double numerator, double? denominator, Guid filedBy, string filedByName,
        string? reason, string? evidence)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (now > rules.DeadlineAfter(publishedAt))
        {
            return (null, $"申诉期已过：结果公布后 {rules.WindowDays} 天内可以申诉，截止到 {rules.DeadlineAfter(publishedAt).ToOffset(TimeSpan.FromHours(8)):yyyy年M月d日 HH:mm}。");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return (null, "请写明申诉理由：哪项数据不对、应当是多少。");
        }

        if (reason.Trim().Length > AppealRules.MaxReasonLength || evidence?.Trim().Length > AppealRules.MaxReasonLength)
        {
            return (null, $"申诉理由和佐证说明各不超过 {AppealRules.MaxReasonLength} 字。");
        }

        return (new Appeal
        {
            Id = Guid.CreateVersion7(),
            Period = period,
            SubjectKind = subjectKind,
            SubjectCode = subjectCode,
            SubjectName = subjectName,
            ScopeCode = scopeCode,
            Indicator = indicator,
            Numerator = numerator,
            Denominator = denominator,
            FiledBy = filedBy,
            FiledByName = filedByName,
            FiledAt = now,
            Reason = reason.Trim(),
            Evidence = string.IsNullOrWhiteSpace(evidence) ? null : evidence.Trim(),
        }, null);
    }

    /// <summary>Accepts with the corrected values. Returns a problem (Chinese) when it cannot.</summary>
    public string? Accept(Guid by, string byName, DateTimeOffset now, string? reason, double numerator, double? denominator)
    {
        if (Decided() is { } problem)
        {
            return problem;
        }

        if (by == FiledBy)
        {
            return "申诉须由他人复核，不能复核自己提出的申诉。";
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return "采纳申诉须写明更正的理由。";
        }

        if (numerator < 0 || denominator < 0 || (denominator is { } d && numerator > d) || !double.IsFinite(numerator))
        {
            return "更正后的分子、分母须为非负数，且分子不大于分母。";
        }

        if (numerator == Numerator && denominator == Denominator)
        {
            return "更正后的数值与公布的相同；若维持原值，请选择“不予采纳”并说明理由。";
        }

        (Status, DecidedBy, DecidedByName, DecidedAt, Decision, CorrectedNumerator, CorrectedDenominator) =
            (AppealStatus.Accepted, by, byName, now, reason.Trim(), numerator, denominator);
        return null;
    }

    /// <summary>Refuses with a reason. Returns a problem (Chinese) when it cannot.</summary>
    public string? Refuse(Guid by, string byName, DateTimeOffset now, string? reason)
    {
        if (Decided() is { } problem)
        {
            return problem;
        }

        if (by == FiledBy)
        {
            return "申诉须由他人复核，不能复核自己提出的申诉。";
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return "不予采纳须写明理由，申诉人会看到它。";
        }

        (Status, DecidedBy, DecidedByName, DecidedAt, Decision) = (AppealStatus.Refused, by, byName, now, reason.Trim());
        return null;
    }

    private string? Decided() => Status == AppealStatus.Pending ? null : $"这项申诉已于 {DecidedAt:yyyy-MM-dd} 由{DecidedByName}处理，不能再改。";
}
