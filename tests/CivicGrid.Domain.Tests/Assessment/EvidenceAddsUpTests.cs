using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.GridAffairs;
using CivicGrid.Domain.Households;
using CivicGrid.Domain.Roster;

namespace CivicGrid.Domain.Tests.Assessment;

/// <summary>
/// The explanation always adds up: for random facts (seeded, so a failure repeats), every computed indicator's numerator is
/// the evidence marked counted, a ratio's denominator is exactly its evidence, and a count has no denominator.
/// </summary>
public class EvidenceAddsUpTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private static readonly string[] Names = ["张三", "李四", "王五", "赵六"];

    [Fact]
    public void ForRandomFacts_EveryIndicatorsEvidenceAddsUpToItsValue()
    {
        var random = new Random(20261206);
        for (var run = 0; run < 200; run++)
        {
            foreach (var (code, indicator) in Everything(random))
            {
                var counted = indicator.Evidence.Count(e => e.Counted);
                Assert.True(counted == indicator.Value.Numerator, $"run {run}, {code}: numerator {indicator.Value.Numerator}, counted evidence {counted}");
                if (indicator.Value.Denominator is { } denominator)
                {
                    Assert.True(indicator.Evidence.Count == denominator, $"run {run}, {code}: denominator {denominator}, evidence {indicator.Evidence.Count}");
                    Assert.Equal(denominator == 0 ? null : counted / denominator, indicator.Value.Value);
                }
                else
                {
                    Assert.All(indicator.Evidence, e => Assert.True(e.Counted, $"run {run}, {code}: a count lists only what it counts"));
                    Assert.Equal(counted, indicator.Value.Value);
                }

                Assert.All(indicator.Evidence, e => Assert.False(string.IsNullOrWhiteSpace(e.Reference)));
            }
        }
    }

    private static IEnumerable<(string Code, ComputedIndicator Indicator)> Everything(Random random)
    {
        var period = AssessmentPeriod.Month(2026, random.Next(1, 13));
        var through = period.From.AddDays(random.Next(-2, period.Days + 5));
        var days = AssessedDays.Of(period, through.AddDays(1));
        var (start, end) = (new DateTimeOffset(period.From.ToDateTime(TimeOnly.MinValue), Beijing),
            new DateTimeOffset(period.To.AddDays(1).ToDateTime(TimeOnly.MinValue), Beijing));
        var asOf = start.AddDays(random.Next(0, period.Days + 10)).AddHours(random.Next(24));
        DateOnly Day() => period.From.AddDays(random.Next(-20, period.Days + 20));
        DateTimeOffset At() => start.AddHours(random.Next(-24 * 40, 24 * (period.Days + 40)));
        DateTimeOffset? Maybe() => random.Next(3) == 0 ? null : At();
        T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
        List<T> Many<T>(Func<T> make) => [.. Enumerable.Range(0, random.Next(0, 12)).Select(_ => make())];

        var people = Names.Select(n => (Id: Guid.NewGuid(), Name: n)).ToList();
        var walkers = people.Select(p => new WalkerFacts(p.Id, p.Name, random.Next(2) == 0 ? null : [new DutySpell(Day(), random.Next(2) == 0 ? null : Day())]));
        yield return ("patrol-goal-days", FieldIndicators.PatrolGoalDays(walkers, Many(() => new PatrolDayFacts(Pick(people).Id, Day(), random.Next(0, 20_000))),
            d => d.DayOfWeek != DayOfWeek.Sunday, days, 10_000));
        CoverageUnit[] units = [new("61010300100101", "二级"), new("6101030010010101", "三级"), new("610103001001010101", "微一")];
        yield return ("patrol-coverage", FieldIndicators.PatrolCoverage(units,
            Many(() => new WalkFacts("61010300100101010" + random.Next(1, 3), Day())), days));
        yield return ("door-knock-weeks", FieldIndicators.DoorKnockWeeks(Many(() =>
        {
            var p = Pick(people);
            return new LiaisonWeekFacts(p.Id, p.Name, Domain.Households.VisitRules.WeekStart(Day()), random.Next(0, 3));
        }), random.Next(1, 3), days));
        var outcomes = Enum.GetValues<VisitOutcome>();
        yield return ("door-knocks", FieldIndicators.DoorKnocks(Many(() => new KnockFacts($"{random.Next(1, 5)}号楼", Pick(Names), Day(), Pick(outcomes)))));
        yield return ("special-care-visits", FieldIndicators.SpecialCareVisits(Many(() => new CareHouseholdFacts($"{random.Next(1, 5)}号楼",
            [Pick(Enum.GetValues<CareKind>())], [.. Many(() => (Day(), Pick(outcomes)))]))));
        var councils = Many(() => new CouncilFacts(Pick(Names), Day(), Many(() => new FollowUpFacts("事项", Pick(Enum.GetValues<FollowUpKind>()), "2026010100001", Maybe()))));
        yield return ("councils-held", FieldIndicators.CouncilsHeld(councils));
        yield return ("council-follow-ups", FieldIndicators.CouncilFollowUps(councils, asOf < end ? asOf : end));
        yield return ("needs-met", FieldIndicators.NeedsMet(Many(() => new NeedFacts("需求", At(), Maybe(), Maybe())), start, end, asOf));
        yield return ("projects-delivered", FieldIndicators.ProjectsDelivered(Many(() => new ProjectFacts("项目", random.Next(4) == 0 ? null : Day(),
            Pick(Enum.GetValues<ProjectStatus>()))), days));
        yield return ("claims-kept", FieldIndicators.ClaimsKept(Many(() =>
        {
            var from = Day();
            var claim = Claim.ForAffair(ClaimTarget.CaseCategory, "E0104", "堆物", "610103001001", ClaimerKind.PublicUnit, Guid.NewGuid(), "单位", from,
                from.AddDays(random.Next(1, 60)), "承诺", start);
            foreach (var _ in Enumerable.Range(0, random.Next(0, 3)))
            {
                claim.Fulfil(claim.StartOn.AddDays(random.Next(0, claim.EndOn.DayNumber - claim.StartOn.DayNumber + 1)), "记录", "网格员", random.Next(2) == 0);
            }

            return claim;
        }), days));
        var courses = Enumerable.Range(0, 3).Select(i => (Id: Guid.NewGuid(), Title: $"课程{i}", Pass: random.Next(50, 80))).ToList();
        yield return ("training-done", TeamIndicators.TrainingDone(Many(() =>
        {
            var (id, name) = Pick(people);
            var course = Pick(courses);
            return new TrainingFacts(id, name, course.Id, course.Title, course.Pass, Day(), random.Next(3) > 0, random.Next(3) == 0 ? null : random.Next(0, 101));
        }), days));
        yield return ("work-id-valid", TeamIndicators.WorkIdValid(Many(() => new OnDutyFacts(Pick(Names), Many(() =>
        {
            var from = Day();
            var id = new WorkId(Guid.NewGuid(), "610103001001", $"N{random.Next(1000)}", from, from.AddDays(random.Next(0, 400)), Guid.NewGuid(), start);
            if (random.Next(3) == 0)
            {
                id.Revoke("离职", At());
            }

            return id;
        }))), Day()));
        yield return ("briefings-read", TeamIndicators.BriefingsRead(Many(() => new ReceiptFacts("通知", At(), Pick(Names), random.Next(2) == 0, Maybe(), Maybe())),
            asOf < end ? asOf : end));
        var cases = Many(() =>
        {
            var reported = At();
            return new CaseFacts($"2026{random.Next(100000):D5}", Pick<string>(["G0101", "E0101"]), Pick(Enum.GetValues<CaseChannel>()),
                Pick(Enum.GetValues<CaseStatus>()), Pick(Enum.GetValues<CaseTier>()), 108.94 + random.NextDouble() / 1000, 34.26, reported,
                reported.AddHours(2), Maybe(), Maybe(), Maybe(), Maybe(), random.Next(3) == 0 ? null : random.Next(1, 6), random.Next(0, 2), random.Next(0, 2),
                random.Next(0, 3));
        });
        foreach (var (code, indicator) in CaseIndicators.ComputeForWorker(cases, cases, start, end, asOf))
        {
            yield return (code, indicator);
        }
    }
}
