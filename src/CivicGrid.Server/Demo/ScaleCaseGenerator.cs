using System.Globalization;
using CivicGrid.Domain.Cases;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Demo;

/// <summary>A micro-grid cases can be reported in, with points inside it to place them at.</summary>
internal sealed record ScaleGrid(string Code, string Name, Coordinate[] Points);

/// <summary>A department cases can be assigned to.</summary>
internal sealed record ScaleDepartment(Guid Id, string Code, string Name);

/// <summary>
/// Generates years of cases for an existing subdistrict (<c>seed scale</c>), day by day in report order, each with the
/// outcome it has reached by <c>now</c>: hot spots (a few micro-grids and categories far more frequent), seasons (summer
/// flooding, winter heating, spring greenery), the weekday and hour rhythm, colours (most green, few red), and outcomes
/// (most closed on time, some late, some still open or overdue, a few parked, merged or rejected). The same seed, grids,
/// categories and <c>now</c> give the same cases, numbers and outcomes.
/// </summary>
/// <remarks>
/// A case carries the minimum the product reads: its report entry and, once it moved on, one <c>restore-history</c> entry
/// (<see cref="Case.RestoreHistory(HistoricalOutcome)"/>) with its deadline, handling time, department, supervision, review
/// date or merge; the timeline's hash chain verifies. No reporter account (anonymous reports), no phone, no photos.
/// </remarks>
internal sealed class ScaleCaseGenerator
{
    private static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    /// <summary>The doors' shares: patrols find most, residents report many, the hotline and Open311 forward some.</summary>
    internal static readonly (CaseChannel Channel, double Share)[] ChannelShares =
    [
        (CaseChannel.GridPatrol, 0.38), (CaseChannel.ResidentApp, 0.24), (CaseChannel.Hotline12345, 0.12), (CaseChannel.PropertyStaff, 0.09),
        (CaseChannel.StaffEntry, 0.08), (CaseChannel.Sensor, 0.06), (CaseChannel.Open311, 0.03),
    ];

    /// <summary>Categories that peak in a season, by a word of their name: (word, peak month, how much more at the peak).</summary>
    private static readonly (string Word, int PeakMonth, double Amplitude)[] Seasons =
    [
        ("积水", 7, 3.0), ("内涝", 7, 3.0), ("排水", 7, 1.5), ("防汛", 7, 3.0), ("暖", 1, 3.0), ("供热", 1, 3.0), ("燃气", 12, 1.0),
        ("绿化", 5, 1.2), ("树", 5, 1.0), ("蚊", 8, 2.0), ("噪", 7, 0.6), ("冰", 1, 2.5), ("雪", 1, 2.5), ("烟花", 2, 3.0),
    ];

    private static readonly string[] Leads = ["网格员巡查发现：", "居民反映：", "热线转办：", "物业上报：", "来电反映：", "设备告警：", "Open311 上报："];

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    private readonly Random _random;
    private readonly IReadOnlyList<ScaleGrid> _grids;
    private readonly IReadOnlyList<CaseCategory> _categories;
    private readonly IReadOnlyList<ScaleDepartment> _departments;
    private readonly Dictionary<string, ScaleDepartment> _departmentByCode;
    private readonly DateTimeOffset _now;
    private readonly double[] _gridCumulative;
    private readonly double[][] _categoryCumulativeByMonth;
    private readonly double[] _hourCumulative;
    private readonly double[] _channelCumulative;
    private readonly double[] _gridQuality;
    private readonly string[] _descriptions;

    public ScaleCaseGenerator(int seed, IReadOnlyList<ScaleGrid> grids, IReadOnlyList<CaseCategory> categories, IReadOnlyList<ScaleDepartment> departments,
        DateTimeOffset now)
    {
        _random = new Random(seed);
        _grids = grids;
        _categories = categories;
        _departments = departments;
        _departmentByCode = departments.GroupBy(d => d.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _now = now;
        // Hot spots: a heavy tail over the micro-grids (markets, old compounds, busy streets), and a few of them far hotter.
        var gridWeights = grids.Select(_ => Math.Exp(0.9 * Normal()) * (_random.NextDouble() < 0.05 ? 4.0 : 1.0)).ToArray();
        _gridCumulative = Cumulative(gridWeights);
        _gridQuality = [.. grids.Select(_ => 0.5 + (0.5 * _random.NextDouble()))];
        // Categories: a few common kinds (garbage, parking, repairs) and a long tail, each with its season. Which kinds are
        // common follows each category's code (a stable hash with the seed), not its place in the catalogue, so adding a
        // category does not reshuffle the rest; and everyday grid-level kinds are commoner than those that start higher.
        var ranks = new int[categories.Count];
        var order = Enumerable.Range(0, categories.Count).OrderBy(i => StableHash(categories[i].Code, seed)).ThenBy(i => categories[i].Code, StringComparer.Ordinal).ToArray();
        for (var r = 0; r < order.Length; r++)
        {
            ranks[order[r]] = r;
        }

        var baseWeights = categories.Select((c, i) => TierWeight(c.DefaultTier) / Math.Pow(ranks[i] + 1, 0.9)).ToArray();
        _categoryCumulativeByMonth = [.. Enumerable.Range(1, 12).Select(month => Cumulative(categories.Select((c, i) => baseWeights[i] * SeasonOf(c.Name, month))))];
        _hourCumulative = Cumulative(DemoWeights.ReportHours);
        _channelCumulative = Cumulative(ChannelShares.Select(c => c.Share));
        _descriptions = [.. categories.Select(c => $"{c.Name}，请尽快核实处置。")];
    }

    /// <summary>How many cases fall on each day from <paramref name="first"/> to today: fewer at weekends, more in the warm months, slowly growing.</summary>
    public int[] CasesPerDay(DateOnly first, DateOnly today, long total)
    {
        var days = today.DayNumber - first.DayNumber + 1;
        var todayShare = (_now.ToOffset(BeijingOffset).TimeOfDay.TotalHours + 0.01) / 24.0;
        var weights = Enumerable.Range(0, days).Select(d =>
        {
            var day = first.AddDays(d);
            var weekday = day.DayOfWeek switch { DayOfWeek.Saturday => 0.75, DayOfWeek.Sunday => 0.65, _ => 1.0 };
            var season = 1 + (0.12 * Math.Sin(2 * Math.PI * (day.DayOfYear - 105) / 365.0));
            var growth = 0.8 + (0.4 * d / Math.Max(1, days - 1));
            return weekday * season * growth * (d == days - 1 ? todayShare : 1.0);
        }).ToArray();
        var sum = weights.Sum();
        var counts = weights.Select(w => (int)Math.Floor(total * w / sum)).ToArray();
        // The remainder, one each to the days with the largest weights.
        var left = total - counts.Sum(c => (long)c);
        foreach (var d in Enumerable.Range(0, days).OrderByDescending(d => weights[d]).Take((int)left))
        {
            counts[d]++;
        }

        return counts;
    }

    /// <summary>The cases of one Beijing day, numbered from <paramref name="firstSequence"/> in report order.</summary>
    public List<Case> Day(DateOnly day, int count, int firstSequence)
    {
        var month = _categoryCumulativeByMonth[day.Month - 1];
        var dayStart = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), BeijingOffset);
        var limit = _now - dayStart;
        var seconds = new int[count];
        for (var i = 0; i < count; i++)
        {
            var second = (Pick(_hourCumulative) * 3600) + _random.Next(3600);
            // Today's cases were reported before now.
            seconds[i] = limit < TimeSpan.FromDays(1) ? (int)(_random.NextDouble() * Math.Max(1, limit.TotalSeconds - 1)) : second;
        }

        Array.Sort(seconds);
        var prefix = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var cases = new List<Case>(count);
        for (var i = 0; i < count; i++)
        {
            var gridIndex = Pick(_gridCumulative);
            var grid = _grids[gridIndex];
            var categoryIndex = Pick(month);
            var category = _categories[categoryIndex];
            var channel = ChannelShares[Pick(_channelCumulative)].Channel;
            var reportedAt = dayStart.AddSeconds(seconds[i]).ToUniversalTime();
            var number = prefix + (firstSequence + i).ToString("D5", CultureInfo.InvariantCulture);
            var tier = TierOf(category.DefaultTier);
            var item = new Case(number, category.Code, grid.Name + category.Name, Leads[(int)channel - 1] + _descriptions[categoryIndex],
                Factory.CreatePoint(grid.Points[_random.Next(grid.Points.Length)]), grid.Code, tier, channel, null, reportedAt);
            var outcome = Outcome(category, tier, reportedAt, _gridQuality[gridIndex], i > 0 ? cases[^1].Number : null);
            if (outcome is not null)
            {
                item.RestoreHistory(outcome);
            }

            cases.Add(item);
        }

        return cases;
    }

    /// <summary>How much commoner a kind is by the colour it starts at: most of a grid's daily problems are its own.</summary>
    private static double TierWeight(CaseTier tier) => tier switch
    {
        CaseTier.Green => 1.0,
        CaseTier.Yellow => 0.4,
        CaseTier.Blue => 0.2,
        _ => 0.1,
    };

    /// <summary>FNV-1a of the code and the seed: the same on every machine and run (string.GetHashCode is not).</summary>
    private static uint StableHash(string code, int seed)
    {
        var hash = 2166136261u ^ (uint)seed;
        foreach (var ch in code)
        {
            hash = (hash ^ ch) * 16777619u;
        }

        return hash;
    }

    /// <summary>Most cases keep their category's colour; some were escalated once, a few twice, very few to red.</summary>
    private CaseTier TierOf(CaseTier fallback)
    {
        var rise = _random.NextDouble() switch { < 0.005 => 3, < 0.03 => 2, < 0.15 => 1, _ => 0 };
        return (CaseTier)Math.Min((int)CaseTier.Red, (int)fallback + rise);
    }

    /// <summary>Where a case stands now; null when it is still waiting to be accepted (its report is all it has).</summary>
    private HistoricalOutcome? Outcome(CaseCategory category, CaseTier tier, DateTimeOffset reportedAt, double quality, string? previous)
    {
        var roll = _random.NextDouble();
        var accepted = reportedAt.AddMinutes(10 + (_random.NextDouble() * 170));
        if (roll < 0.02)
        {
            return accepted <= _now ? new HistoricalOutcome(tier, CaseStatus.Rejected, ClosedAt: accepted) : null;
        }

        if (roll < 0.035 && previous is not null)
        {
            return accepted <= _now ? new HistoricalOutcome(tier, CaseStatus.Merged, ClosedAt: accepted, MergedIntoNumber: previous) : null;
        }

        var limit = LimitOf(category) * (1 + ((int)tier - 1) * 0.5);
        var assigned = accepted.AddMinutes(5 + (_random.NextDouble() * 60));
        var due = assigned + limit;
        // Strong grids handle most cases on time; weak ones are late more often, and late ones are often supervised.
        var late = _random.NextDouble() > 0.80 + (0.16 * quality);
        var handled = assigned + (limit * (late ? 1.05 + (1.5 * _random.NextDouble()) : 0.15 + (0.8 * _random.NextDouble())));
        var closed = handled + TimeSpan.FromHours(4 + (_random.NextDouble() * 164));
        var supervised = late && _random.NextDouble() < 0.4 ? due + TimeSpan.FromDays(3) : (DateTimeOffset?)null;
        var department = DepartmentOf(category, tier);
        var rating = _random.NextDouble() < 0.6 ? 3 + Math.Min(2, (int)(_random.NextDouble() * 3 * quality + 0.3)) : (int?)null;
        if ((_now - reportedAt).TotalDays < 90 && _random.NextDouble() < 0.02)
        {
            // Parked (挂账): cannot be solved now, reviewed in a month or two.
            var review = DateOnly.FromDateTime(_now.ToOffset(BeijingOffset).Date).AddDays(20 + _random.Next(60));
            return new HistoricalOutcome(tier, CaseStatus.Parked, ParkedUntil: review);
        }

        if (closed <= _now)
        {
            return new HistoricalOutcome(tier, CaseStatus.Closed, closed, rating, due, handled, department?.Id, department?.Name,
                supervised is { } s && s < closed ? s : null);
        }

        // Still open: as far as it got by now.
        if (accepted > _now)
        {
            return null;
        }

        if (assigned > _now)
        {
            return new HistoricalOutcome(tier, CaseStatus.Accepted);
        }

        if (handled > _now)
        {
            var status = _now - assigned > TimeSpan.FromHours(2) ? CaseStatus.InHandling : CaseStatus.Assigned;
            return new HistoricalOutcome(tier, status, DueAt: due, DepartmentId: department?.Id, DepartmentName: department?.Name,
                SupervisionDueAt: supervised is { } s && due < _now ? s : null);
        }

        var stage = _now - handled < TimeSpan.FromDays(1) ? CaseStatus.Handled : _now - handled < TimeSpan.FromDays(3) ? CaseStatus.Verified : CaseStatus.Evaluated;
        return new HistoricalOutcome(tier, stage, Rating: stage == CaseStatus.Evaluated ? rating : null, DueAt: due, HandledAt: handled,
            DepartmentId: department?.Id, DepartmentName: department?.Name);
    }

    /// <summary>The category's time limit as elapsed time, roughly: a working day is a day and a half of the clock, a working hour three.</summary>
    private static TimeSpan LimitOf(CaseCategory category) => category.TimeLimitUnit switch
    {
        TimeLimitUnit.WorkingHours => TimeSpan.FromHours(category.TimeLimit * 3.0),
        TimeLimitUnit.WorkingDays => TimeSpan.FromDays(category.TimeLimit * 1.5),
        TimeLimitUnit.NaturalHours => TimeSpan.FromHours(category.TimeLimit),
        _ => TimeSpan.FromDays(category.TimeLimit),
    };

    /// <summary>Yellow and higher cases and a share of the others go to a department, the category's own when it names one.</summary>
    private ScaleDepartment? DepartmentOf(CaseCategory category, CaseTier tier)
    {
        if (_departments.Count == 0 || (tier == CaseTier.Green && _random.NextDouble() >= 0.2))
        {
            return null;
        }

        return category.ResponsibleDepartmentCode is { } code && _departmentByCode.TryGetValue(code, out var own)
            ? own
            : _departments[_random.Next(_departments.Count)];
    }

    private static double SeasonOf(string name, int month)
    {
        var factor = 1.0;
        foreach (var (word, peak, amplitude) in Seasons)
        {
            if (name.Contains(word, StringComparison.Ordinal))
            {
                // A bump around the peak month, nearly nothing half a year away.
                var distance = Math.Min(Math.Abs(month - peak), 12 - Math.Abs(month - peak));
                factor *= 0.3 + (amplitude * Math.Exp(-distance * distance / 2.0));
            }
        }

        return factor;
    }

    private double Normal() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private static double[] Cumulative(IEnumerable<double> weights) => DemoWeights.Cumulative(weights);

    private int Pick(double[] cumulative) => DemoWeights.Pick(_random, cumulative);
}
