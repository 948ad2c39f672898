using System.Collections.Concurrent;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;

namespace CivicGrid.Server.Features.Dashboard;

/// <summary>How long a roll-up row's period is.</summary>
public enum RollupPeriod
{
    Day = 1,
    Month = 2,

    /// <summary>Since the beginning: one row per scope, <c>Start</c>, channel and colour 0 (the map's per-grid totals).</summary>
    All = 3,

    /// <summary>
    /// Now: one row per scope (<c>Start</c>, channel and colour 0) whose <c>Reported</c> counts the scope's cases not yet
    /// final. The map's open count per grid reads it instead of summing the open counts' deadline hours (hundreds of
    /// thousands of rows at ten million cases).
    /// </summary>
    Now = 4,
}

/// <summary>
/// Case counts of one day or one month (Beijing time) for one scope × channel × colour: how many cases were reported
/// then (counted by where and what they are now), and how many were closed (办结) then, with and within a deadline. A
/// case counts in every scope it lies in: its grid, each grid above it, and the whole system (scope ""), so a
/// dashboard reads its own scope's rows by the exact code, never a subtree's sum. Maintained in the transaction of every
/// case change (<see cref="CaseRollupHook"/>); <see cref="CaseRollupCheck"/> compares them with a full recount.
/// </summary>
public sealed class CaseCountRollup
{
    /// <summary>The grid code of the scope (the case's grid or an ancestor), "" for the whole system.</summary>
    public string ScopeCode { get; set; } = string.Empty;

    public RollupPeriod Period { get; set; }

    /// <summary>The period's first day as yyyymmdd (a month: its first day).</summary>
    public int Start { get; set; }

    public CaseChannel Channel { get; set; }

    public CaseTier Tier { get; set; }

    public int Reported { get; set; }

    /// <summary>
    /// Of <see cref="Reported"/>, those closed by now (办结, whenever): the period's closure rate (结案率) is this over
    /// <see cref="Reported"/>, never above 100 % (the closures *in* a period can outnumber its reports).
    /// </summary>
    public int ReportedNowClosed { get; set; }

    public int Closed { get; set; }

    /// <summary>Closed cases that had a handling deadline and a handling time.</summary>
    public int ClosedWithDeadline { get; set; }

    /// <summary>Of <see cref="ClosedWithDeadline"/>, those handled by their deadline.</summary>
    public int ClosedOnTime { get; set; }
}

/// <summary>
/// How many cases are open now per scope (as in <see cref="CaseCountRollup"/>) × colour × status, supervised or not, and
/// by the hour their handling is due (so "overdue" is a sum of the hours gone by plus the current hour's few cases).
/// </summary>
public sealed class CaseOpenCount
{
    public string ScopeCode { get; set; } = string.Empty;

    public CaseTier Tier { get; set; }

    public CaseStatus Status { get; set; }

    /// <summary>Under a supervision (督办) with its own deadline.</summary>
    public bool Supervised { get; set; }

    /// <summary>The hour the handling is due, in hours since 1970 (UTC); 0 when no deadline runs.</summary>
    public long DueHour { get; set; }

    public int Count { get; set; }
}

/// <summary>What a <see cref="CaseBreakdownRollup"/> row breaks the counts down by.</summary>
public enum RollupDimension
{
    /// <summary>The case's subcategory code (reports and closures).</summary>
    Category = 1,

    /// <summary>The department the case was closed under ("N" format id; closures only, and only those a department handled).</summary>
    Department = 2,
}

/// <summary>
/// Case counts of one month per scope (as in <see cref="CaseCountRollup"/>) broken down by category or by department:
/// the statistics' tables and the big screen's department performance (on-time handling by department).
/// </summary>
public sealed class CaseBreakdownRollup
{
    public RollupDimension Dimension { get; set; }

    public string ScopeCode { get; set; } = string.Empty;

    /// <summary>The month's first day as yyyymmdd.</summary>
    public int Start { get; set; }

    /// <summary>The category code or the department's id.</summary>
    public string Member { get; set; } = string.Empty;

    public int Reported { get; set; }

    public int ReportedNowClosed { get; set; }

    public int Closed { get; set; }

    public int ClosedWithDeadline { get; set; }

    public int ClosedOnTime { get; set; }
}

/// <summary>The key of a <see cref="CaseBreakdownRollup"/> row.</summary>
public readonly record struct BreakdownKey(RollupDimension Dimension, string ScopeCode, int Start, string Member);

/// <summary>What of a case the roll-ups count, as stored (one row of <c>cases</c>, or a tracked entry's values).</summary>
public readonly record struct CaseFacts(
    string GridCode, string CategoryCode, CaseChannel Channel, CaseTier Tier, CaseStatus Status, DateTimeOffset ReportedAt,
    DateTimeOffset? ClosedAt, DateTimeOffset? HandledAt, DateTimeOffset? DueAt, Guid? AssigneeDepartmentId, DateTimeOffset? SupervisionDueAt);

/// <summary>The key of a <see cref="CaseCountRollup"/> row.</summary>
public readonly record struct CountKey(string ScopeCode, RollupPeriod Period, int Start, CaseChannel Channel, CaseTier Tier);

/// <summary>The measures of a <see cref="CaseCountRollup"/> row, or a change of them.</summary>
public readonly record struct CountMeasures(int Reported, int ReportedNowClosed, int Closed, int ClosedWithDeadline, int ClosedOnTime)
{
    public bool IsZero => Reported == 0 && ReportedNowClosed == 0 && Closed == 0 && ClosedWithDeadline == 0 && ClosedOnTime == 0;

    public static CountMeasures operator +(CountMeasures a, CountMeasures b) =>
        new(a.Reported + b.Reported, a.ReportedNowClosed + b.ReportedNowClosed, a.Closed + b.Closed, a.ClosedWithDeadline + b.ClosedWithDeadline,
            a.ClosedOnTime + b.ClosedOnTime);

    public static CountMeasures operator -(CountMeasures a) => new(-a.Reported, -a.ReportedNowClosed, -a.Closed, -a.ClosedWithDeadline, -a.ClosedOnTime);
}

/// <summary>The key of a <see cref="CaseOpenCount"/> row.</summary>
public readonly record struct OpenKey(string ScopeCode, CaseTier Tier, CaseStatus Status, bool Supervised, long DueHour);

/// <summary>
/// The one definition of what a case adds to the roll-ups. A change of a case moves its contribution: what the case
/// added before is taken away and what it adds now is added (<see cref="RollupDelta"/>), whatever changed: a transfer,
/// a new colour, a merge, a closure or a reopening.
/// </summary>
public static class CaseContribution
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>yyyymmdd of the Beijing date of <paramref name="at"/>.</summary>
    public static int DayOf(DateTimeOffset at)
    {
        var local = at.ToOffset(Beijing);
        return (local.Year * 10000) + (local.Month * 100) + local.Day;
    }

    /// <summary>yyyymm01 of the Beijing month of <paramref name="at"/>.</summary>
    public static int MonthOf(DateTimeOffset at) => (DayOf(at) / 100 * 100) + 1;

    /// <summary>Hours since 1970 (UTC) of <paramref name="at"/>, rounded down.</summary>
    public static long HourOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / 3600;

    /// <summary>
    /// The scopes a case in <paramref name="gridCode"/> counts in: the grid, each grid above it up to the district, and ""
    /// (the whole system). A code of no known length (none is stored; kept for safety) counts in itself and "".
    /// </summary>
    public static IReadOnlyList<string> ScopesOf(string gridCode) => Scopes.GetOrAdd(gridCode, static code =>
    {
        var scopes = new List<string> { code };
        try
        {
            for (var parent = GridCodes.ParentCodeOf(code); parent is not null; parent = GridCodes.ParentCodeOf(parent))
            {
                scopes.Add(parent);
            }
        }
        catch (ArgumentException)
        {
            // Not a code of the tree: only itself and the whole system.
        }

        if (code.Length != 0)
        {
            scopes.Add(string.Empty);
        }

        return [.. scopes];
    });

    private static readonly ConcurrentDictionary<string, string[]> Scopes = new(StringComparer.Ordinal);

    public static void AddCounts(CaseFacts c, int sign, Dictionary<CountKey, CountMeasures> into, Dictionary<BreakdownKey, CountMeasures>? breakdowns = null)
    {
        var isClosed = c.Status == CaseStatus.Closed && c.ClosedAt is not null;
        var reported = new CountMeasures(sign, isClosed ? sign : 0, 0, 0, 0);
        var reportedDay = DayOf(c.ReportedAt);
        var reportedMonth = MonthOf(c.ReportedAt);
        CountMeasures? closed = null;
        int closedDay = 0, closedMonth = 0;
        if (isClosed)
        {
            var withDeadline = c.DueAt is not null && c.HandledAt is not null;
            var onTime = withDeadline && c.HandledAt <= c.DueAt;
            closed = new CountMeasures(0, 0, sign, withDeadline ? sign : 0, onTime ? sign : 0);
            closedDay = DayOf(c.ClosedAt!.Value);
            closedMonth = MonthOf(c.ClosedAt!.Value);
        }

        var ever = closed is { } both ? reported + both : reported;
        CountMeasures? open = c.Status.IsFinal() ? null : new CountMeasures(sign, 0, 0, 0, 0);
        var department = c.AssigneeDepartmentId is { } id ? id.ToString("N") : null;
        foreach (var scope in ScopesOf(c.GridCode))
        {
            if (breakdowns is not null)
            {
                AddBreakdown(breakdowns, new BreakdownKey(RollupDimension.Category, scope, reportedMonth, c.CategoryCode), reported);
                if (closed is { } closure)
                {
                    AddBreakdown(breakdowns, new BreakdownKey(RollupDimension.Category, scope, closedMonth, c.CategoryCode), closure);
                    if (department is not null)
                    {
                        AddBreakdown(breakdowns, new BreakdownKey(RollupDimension.Department, scope, closedMonth, department), closure);
                    }
                }
            }

            // All time is one row per scope (channel and colour 0): the map's per-grid totals read one row per grid.
            Add(into, new CountKey(scope, RollupPeriod.All, 0, default, default), ever);
            if (open is { } stillOpen)
            {
                Add(into, new CountKey(scope, RollupPeriod.Now, 0, default, default), stillOpen);
            }

            Add(into, new CountKey(scope, RollupPeriod.Day, reportedDay, c.Channel, c.Tier), reported);
            Add(into, new CountKey(scope, RollupPeriod.Month, reportedMonth, c.Channel, c.Tier), reported);
            if (closed is { } measures)
            {
                Add(into, new CountKey(scope, RollupPeriod.Day, closedDay, c.Channel, c.Tier), measures);
                Add(into, new CountKey(scope, RollupPeriod.Month, closedMonth, c.Channel, c.Tier), measures);
            }
        }
    }

    public static void AddOpen(CaseFacts c, int sign, Dictionary<OpenKey, int> into)
    {
        if (c.Status.IsFinal())
        {
            return;
        }

        var supervised = c.SupervisionDueAt is not null;
        var dueHour = c.DueAt is { } due ? HourOf(due) : 0;
        foreach (var scope in ScopesOf(c.GridCode))
        {
            var key = new OpenKey(scope, c.Tier, c.Status, supervised, dueHour);
            into[key] = into.GetValueOrDefault(key) + sign;
        }
    }

    private static void Add(Dictionary<CountKey, CountMeasures> into, CountKey key, CountMeasures measures) =>
        into[key] = into.GetValueOrDefault(key) + measures;

    private static void AddBreakdown(Dictionary<BreakdownKey, CountMeasures> into, BreakdownKey key, CountMeasures measures) =>
        into[key] = into.GetValueOrDefault(key) + measures;
}

/// <summary>The changes to the roll-ups that a set of case changes makes; zero changes are dropped.</summary>
public sealed class RollupDelta
{
    public Dictionary<CountKey, CountMeasures> Counts { get; } = [];

    public Dictionary<OpenKey, int> Open { get; } = [];

    public Dictionary<BreakdownKey, CountMeasures> Breakdowns { get; } = [];

    public bool IsEmpty => Counts.Count == 0 && Open.Count == 0 && Breakdowns.Count == 0;

    /// <summary>Moves one case from <paramref name="before"/> (null: new) to <paramref name="after"/> (null: deleted).</summary>
    public void Move(CaseFacts? before, CaseFacts? after)
    {
        if (before == after)
        {
            return;
        }

        if (before is { } old)
        {
            CaseContribution.AddCounts(old, -1, Counts, Breakdowns);
            CaseContribution.AddOpen(old, -1, Open);
        }

        if (after is { } now)
        {
            CaseContribution.AddCounts(now, 1, Counts, Breakdowns);
            CaseContribution.AddOpen(now, 1, Open);
        }
    }

    /// <summary>Drops the keys whose changes cancelled out.</summary>
    public void Compact()
    {
        foreach (var key in Counts.Where(p => p.Value.IsZero).Select(p => p.Key).ToList())
        {
            Counts.Remove(key);
        }

        foreach (var key in Open.Where(p => p.Value == 0).Select(p => p.Key).ToList())
        {
            Open.Remove(key);
        }

        foreach (var key in Breakdowns.Where(p => p.Value.IsZero).Select(p => p.Key).ToList())
        {
            Breakdowns.Remove(key);
        }
    }
}
