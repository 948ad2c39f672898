namespace CivicGrid.Domain.Roster;

/// <summary>A calendar quarter, e.g. 2026 Q3 = [2026-07-01, 2026-10-01).</summary>
public readonly record struct Quarter(int Year, int Number)
{
    public DateOnly Start => new(Year, ((Number - 1) * 3) + 1, 1);

    /// <summary>The first day of the next quarter (exclusive end).</summary>
    public DateOnly Next => Start.AddMonths(3);

    public static Quarter Of(DateOnly date) => new(date.Year, ((date.Month - 1) / 3) + 1);

    public Quarter Previous => Number == 1 ? new(Year - 1, 4) : new(Year, Number - 1);

    public override string ToString() => $"{Year}-Q{Number}";
}

/// <summary>One assignment period as turnover reads it: who, in which community, [start, end).</summary>
public sealed record AssignmentSpan(Guid MemberId, string CommunityCode, DateOnly StartOn, DateOnly? EndOn);

/// <summary>Turnover of one community in one quarter.</summary>
/// <param name="AtStart">People on duty the day before the quarter began.</param>
/// <param name="Joined">Spells of duty that began in the quarter.</param>
/// <param name="Left">Spells of duty that ended in the quarter.</param>
/// <param name="AtEnd">People on duty on the quarter's last day; always AtStart + Joined − Left.</param>
/// <param name="Rate">Left ÷ average headcount ((AtStart + AtEnd) / 2), 0 when nobody was on duty; a fraction, not a percentage.</param>
public sealed record TurnoverFigures(string CommunityCode, Quarter Quarter, int AtStart, int Joined, int Left, int AtEnd, double Rate);

/// <summary>
/// Turnover from the assignment history. A person's assignments in one community are merged into spells of continuous
/// duty (a move ends one assignment and starts the next on the same day, so it is neither a leaving nor a joining); a
/// spell that begins in the quarter is a joining, one that ends in it a leaving.
/// </summary>
public static class Turnover
{
    public static IReadOnlyList<TurnoverFigures> Compute(IEnumerable<AssignmentSpan> assignments, IEnumerable<Quarter> quarters)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        var spells = Spells(assignments);
        var result = new List<TurnoverFigures>();
        foreach (var quarter in quarters)
        {
            foreach (var community in spells.Select(s => s.CommunityCode).Distinct().Order(StringComparer.Ordinal))
            {
                var mine = spells.Where(s => s.CommunityCode == community).ToList();
                var atStart = mine.Count(s => s.StartOn < quarter.Start && (s.EndOn is null || s.EndOn >= quarter.Start));
                var joined = mine.Count(s => s.StartOn >= quarter.Start && s.StartOn < quarter.Next);
                var left = mine.Count(s => s.EndOn is { } end && end >= quarter.Start && end < quarter.Next);
                var atEnd = mine.Count(s => s.StartOn < quarter.Next && (s.EndOn is null || s.EndOn >= quarter.Next));
                if (atStart + joined == 0)
                {
                    continue;
                }

                result.Add(new TurnoverFigures(community, quarter, atStart, joined, left, atEnd, Rate(left, atStart, atEnd)));
            }
        }

        return result;
    }

    /// <summary>Left ÷ ((at start + at end) / 2), rounded to 4 decimals; 0 when the average is 0.</summary>
    public static double Rate(int left, int atStart, int atEnd)
    {
        var average = (atStart + atEnd) / 2.0;
        return average == 0 ? 0 : Math.Round(left / average, 4);
    }

    /// <summary>Continuous spells of duty per person and community: overlapping or touching periods merged, empty ones dropped.</summary>
    public static List<AssignmentSpan> Spells(IEnumerable<AssignmentSpan> assignments)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        var spells = new List<AssignmentSpan>();
        foreach (var group in assignments.Where(a => a.EndOn is null || a.EndOn > a.StartOn).GroupBy(a => (a.MemberId, a.CommunityCode)))
        {
            AssignmentSpan? current = null;
            foreach (var a in group.OrderBy(a => a.StartOn))
            {
                if (current is not null && (current.EndOn is null || a.StartOn <= current.EndOn))
                {
                    current = current with { EndOn = current.EndOn is null || a.EndOn is null ? null : Max(current.EndOn.Value, a.EndOn.Value) };
                    continue;
                }

                if (current is not null)
                {
                    spells.Add(current);
                }

                current = a;
            }

            spells.Add(current!);
        }

        return spells;
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}

/// <summary>A grid missing someone of a required kind.</summary>
public sealed record Vacancy(string GridCode, IReadOnlyList<MemberKind> Missing);

/// <summary>Which grids lack a leader, a full-time worker or a volunteer (<see cref="RosterKinds.RequiredOn"/>).</summary>
public static class Vacancies
{
    /// <param name="grids">The grids to check: code, level and kind.</param>
    /// <param name="onDuty">The (grid code, kind) of every assignment in force.</param>
    public static IReadOnlyList<Vacancy> Find(IEnumerable<(string Code, Geography.GridLevel Level, Geography.GridKind Kind)> grids,
        IEnumerable<(string GridCode, MemberKind Kind)> onDuty)
    {
        var staffed = onDuty.ToHashSet();
        return [.. grids
            .Select(g => new Vacancy(g.Code, [.. RosterKinds.RequiredOn(g.Level, g.Kind).Where(k => !staffed.Contains((g.Code, k)))]))
            .Where(v => v.Missing.Count > 0)
            .OrderBy(v => v.GridCode, StringComparer.Ordinal)];
    }
}
