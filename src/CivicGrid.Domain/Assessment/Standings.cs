namespace CivicGrid.Domain.Assessment;

/// <summary>A subject's published outcome for one period, as rankings and award lists read it.</summary>
/// <param name="Code">Grid code or the worker's account id.</param>
/// <param name="Stars">1–5, or null when not rated.</param>
/// <param name="Appealing">True while an appeal about one of its indicators is undecided.</param>
public sealed record Standing(string Code, string Name, double Score, int? Stars, bool Appealing = false);

/// <summary>A subject's place in a ranking; <see cref="Rank"/> is null for a subject that was not rated.</summary>
public sealed record Ranked(Standing Standing, int? Rank);

/// <summary>
/// Rankings per level (排名): rated subjects by score, highest first, equal scores sharing a place (1, 2, 2, 4 — the
/// way a notice board ranks them), then the unrated ones without a place. Scores are compared to the hundredth, as
/// they are shown; names break nothing, they only order the listing of ties.
/// </summary>
public static class Rankings
{
    public static IReadOnlyList<Ranked> Rank(IEnumerable<Standing> standings)
    {
        var all = standings.ToList();
        var rated = all.Where(s => s.Stars is not null).OrderByDescending(s => Shown(s.Score)).ThenBy(s => s.Code, StringComparer.Ordinal).ToList();
        var ranked = new List<Ranked>(all.Count);
        for (var i = 0; i < rated.Count; i++)
        {
            var rank = i > 0 && Shown(rated[i].Score) == Shown(rated[i - 1].Score) ? ranked[i - 1].Rank : i + 1;
            ranked.Add(new Ranked(rated[i], rank));
        }

        ranked.AddRange(all.Where(s => s.Stars is null).OrderBy(s => s.Code, StringComparer.Ordinal).Select(s => new Ranked(s, null)));
        return ranked;
    }

    private static double Shown(double score) => Math.Round(score, 2, MidpointRounding.AwayFromZero);
}

/// <summary>
/// A rule drawing an award list (评优) from published results: the best <see cref="Top"/> subjects of a ranking that reach
/// <see cref="MinimumStars"/>, ties at the last place all included (nobody loses an award to an alphabet), and none
/// with an undecided appeal when <see cref="ExcludeAppealing"/> (the list waits for it rather than naming the wrong person).
/// </summary>
/// <param name="Name">As printed on the list, e.g. 季度优秀三级网格.</param>
public sealed record AwardRule(string Name, int Top, int MinimumStars = 4, bool ExcludeAppealing = true)
{
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("评优名称不能为空。");
        }

        if (Top < 1)
        {
            problems.Add("评优名额至少为 1。");
        }

        if (MinimumStars is < 1 or > 5)
        {
            problems.Add("评优的最低星级须在 1–5 星之间。");
        }

        return problems;
    }

    /// <summary>The award list: subjects in ranking order. May be longer than <see cref="Top"/> when the last place is shared.</summary>
    public IReadOnlyList<Ranked> Draw(IEnumerable<Standing> standings)
    {
        var eligible = Rankings.Rank(standings.Where(s => s.Stars >= MinimumStars && !(ExcludeAppealing && s.Appealing)));
        return [.. eligible.Where(r => r.Rank is { } rank && rank <= Top)];
    }

    /// <summary>
    /// The annual 1 July list (七一评优) is drawn from the four quarters before it: from the third quarter of last year to the
    /// second of this one. A subject's standing is its mean score over the quarters it was rated in, and it must have
    /// been rated in all four (a grid created mid-year waits a year); its stars are the lowest it had.
    /// </summary>
    public static IReadOnlyList<AssessmentPeriod> QuartersBeforeJulyFirst(int year) =>
        [AssessmentPeriod.Quarter(year - 1, 3), AssessmentPeriod.Quarter(year - 1, 4), AssessmentPeriod.Quarter(year, 1), AssessmentPeriod.Quarter(year, 2)];

    /// <summary>Each subject's standing over several periods, for the annual list (see <see cref="QuartersBeforeJulyFirst"/>).</summary>
    public static IReadOnlyList<Standing> AcrossPeriods(IReadOnlyList<IReadOnlyList<Standing>> periods) =>
        [.. periods.SelectMany(p => p).GroupBy(s => s.Code, StringComparer.Ordinal)
            .Select(g => g.ToList())
            .Select(list => new Standing(list[0].Code, list[^1].Name, list.Where(s => s.Stars is not null).Select(s => s.Score).DefaultIfEmpty(0).Average(),
                list.Count == periods.Count && list.All(s => s.Stars is not null) ? list.Min(s => s.Stars) : null, list.Any(s => s.Appealing)))];
}
