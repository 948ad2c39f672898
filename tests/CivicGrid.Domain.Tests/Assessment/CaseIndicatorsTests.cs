using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Cases;

namespace CivicGrid.Domain.Tests.Assessment;

/// <summary>The case-loop indicators of a hand-built quarter whose answers were worked out by hand (see each test).</summary>
public class CaseIndicatorsTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Start = new(2026, 7, 1, 0, 0, 0, Beijing);
    private static readonly DateTimeOffset End = new(2026, 10, 1, 0, 0, 0, Beijing);

    private static DateTimeOffset At(int month, int day, int hour = 9) => new(2026, month, day, hour, 0, 0, Beijing);

    private static CaseFacts Case(string number, DateTimeOffset reported, CaseStatus status = CaseStatus.InHandling, CaseChannel channel = CaseChannel.ResidentApp,
        CaseTier tier = CaseTier.Green, DateTimeOffset? acceptedAt = null, DateTimeOffset? due = null, DateTimeOffset? handled = null,
        DateTimeOffset? closed = null, int? rating = null, int reopen = 0, int supervised = 0, double lon = 108.94, string category = "0101") =>
        new(number, category, channel, status, tier, lon, 34.26, reported, reported.AddHours(3), acceptedAt ?? reported.AddHours(1), due, handled, closed,
            rating, reopen, supervised);

    /// <summary>
    /// A: on time everywhere, found by a grid worker, 5 stars, solved green — but 10 m from F, same category, 15 days later.
    /// B: accepted late, handled 2 days late, reworked once, 3 stars, solved yellow. C: open past its deadline, supervised.
    /// D: deadline after the quarter. B, C and D are each of their own category. E: refused at screening (on time). F: reported in June, handled and closed in July.
    /// </summary>
    private static readonly CaseFacts[] Quarter =
    [
        Case("A", At(7, 5), CaseStatus.Closed, CaseChannel.GridPatrol, due: At(7, 8), handled: At(7, 7), closed: At(7, 10), rating: 5, lon: 108.94009),
        Case("B", At(8, 1), CaseStatus.Closed, tier: CaseTier.Yellow, acceptedAt: At(8, 1, 15), due: At(8, 3), handled: At(8, 5), closed: At(8, 6), rating: 3, reopen: 1, category: "0202"),
        Case("C", At(9, 20), due: At(9, 25), supervised: 1, category: "0303"),
        Case("D", At(9, 28), due: At(10, 3), category: "0404"),
        Case("E", At(7, 2), CaseStatus.Rejected),
        Case("F", At(6, 20), CaseStatus.Closed, due: At(7, 2), handled: At(7, 1), closed: At(7, 3)),
    ];

    private static IReadOnlyDictionary<string, ComputedIndicator> Computed(DateTimeOffset? asOf = null) =>
        CaseIndicators.Compute(Quarter, Start, End, asOf ?? End.AddDays(5));

    private static void AssertRatio(ComputedIndicator indicator, int numerator, int denominator, params string[] counted)
    {
        Assert.Equal(numerator, indicator.Value.Numerator);
        Assert.Equal(denominator, indicator.Value.Denominator);
        Assert.Equal(counted.Order(), indicator.Evidence.Where(e => e.Counted).Select(e => e.Reference).Order());
    }

    [Fact]
    public void OnTimeAcceptance_CountsEveryScreeningDecisionOfTheQuarter_RefusalsToo()
    {
        // A, B, C, D, E were reported in the quarter (F in June); only B was accepted after its 3 hours.
        AssertRatio(Computed()["on-time-acceptance"], 4, 5, "A", "C", "D", "E");
        Assert.Contains("受理超期 3 小时", Computed()["on-time-acceptance"].Evidence.Single(e => e.Reference == "B").Note);
    }

    [Fact]
    public void OnTimeHandling_CountsWhatWasHandledInTheQuarterAndWhatFellDueUnhandled()
    {
        // Handled in the quarter: A (on time), B (late), F (on time, reported in June). Due and unhandled: C. D is due in October.
        var onTime = Computed()["on-time-handling"];

        AssertRatio(onTime, 2, 4, "A", "F");
        Assert.Equal(0.5, onTime.Value.Value);
        Assert.Equal("办结超期 2 天", onTime.Evidence.Single(e => e.Reference == "B").Note);
        Assert.StartsWith("截至统计时仍未办结，超期", onTime.Evidence.Single(e => e.Reference == "C").Note);
    }

    [Fact]
    public void Overdue_IsWhatFellDueInTheQuarterAndWasLateOrIsStillOpen()
    {
        AssertRatio(Computed()["overdue-rate"], 2, 4, "B", "C");
    }

    [Fact]
    public void ClosureReworkSatisfactionAndLevel()
    {
        var computed = Computed();

        AssertRatio(computed["closure-rate"], 2, 4, "A", "B");
        AssertRatio(computed["rework-rate"], 1, 3, "B");
        AssertRatio(computed["satisfaction"], 1, 2, "A");
        AssertRatio(computed["lowest-level"], 2, 3, "A", "F");
    }

    [Fact]
    public void SelfFoundSupervisedAndRepeats()
    {
        var computed = Computed();

        AssertRatio(computed["self-found"], 1, 4, "A");
        Assert.Equal(1, computed["self-found-cases"].Value.Value);
        Assert.Equal(1, computed["supervised-cases"].Value.Value);
        AssertRatio(computed["repeat-places"], 1, 4, "A");
        Assert.Equal("与 F 同类同地", computed["repeat-places"].Evidence.Single(e => e.Counted).Note);
    }

    [Fact]
    public void Provisional_DoesNotCountADeadlineNotYetReached()
    {
        // On 1 September only A, B, E and F have happened; C and D are not reported yet.
        var computed = Computed(At(9, 1));

        AssertRatio(computed["on-time-handling"], 2, 3, "A", "F");
        AssertRatio(computed["on-time-acceptance"], 2, 3, "A", "E");
        AssertRatio(computed["closure-rate"], 2, 2, "A", "B");
    }

    [Fact]
    public void NothingToCount_DoesNotApply()
    {
        var computed = CaseIndicators.Compute([], Start, End, End);

        Assert.Null(computed["on-time-handling"].Value.Value);
        Assert.Equal(0, computed["supervised-cases"].Value.Value);
    }

    /// <summary>Over random quarters: every ratio's value is exactly its evidence counted ÷ its evidence, each case at most once.</summary>
    [Fact]
    public void Property_EvidenceAlwaysAddsUpToTheValue()
    {
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var cases = Enumerable.Range(0, random.Next(40)).Select(i =>
            {
                var reported = Start.AddHours(random.Next(-24 * 40, 24 * 100));
                DateTimeOffset? due = random.Next(5) == 0 ? null : reported.AddHours(random.Next(1, 24 * 10));
                DateTimeOffset? handled = random.Next(3) == 0 ? null : reported.AddHours(random.Next(1, 24 * 12));
                DateTimeOffset? closed = handled is null || random.Next(2) == 0 ? null : handled.Value.AddHours(random.Next(1, 72));
                return Case($"C{i}", reported, random.Next(10) == 0 ? CaseStatus.Rejected : CaseStatus.InHandling,
                    random.Next(3) == 0 ? CaseChannel.GridPatrol : CaseChannel.ResidentApp, (CaseTier)random.Next(1, 5),
                    reported.AddHours(random.Next(0, 6)), due, handled, closed, closed is null || random.Next(2) == 0 ? null : random.Next(1, 6),
                    random.Next(3) == 0 ? 1 : 0, random.Next(6) == 0 ? 1 : 0, 108.94 + random.Next(20) * 0.0003, random.Next(3).ToString());
            }).ToList();

            var asOf = random.Next(2) == 0 ? End.AddDays(3) : Start.AddDays(random.Next(1, 92));
            foreach (var (code, indicator) in CaseIndicators.Compute(cases, Start, End, asOf))
            {
                Assert.Equal(indicator.Evidence.Count, indicator.Evidence.Select(e => e.Reference).Distinct().Count());
                Assert.Equal(indicator.Evidence.Count(e => e.Counted), indicator.Value.Numerator);
                if (indicator.Value.Denominator is { } denominator)
                {
                    Assert.Equal(indicator.Evidence.Count, denominator);
                    Assert.True(indicator.Value.Value is null or >= 0 and <= 1, $"{code} out of range");
                }
            }
        }
    }

    [Fact]
    public void EveryComputedCodeIsInTheSeededCatalogue()
    {
        Assert.All(Computed().Keys, code => Assert.NotNull(IndicatorCatalogue.Seed.Find(code)));
    }
}
