using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Tests.Assessment;

public class IndicatorCatalogueTests
{
    private static readonly IndicatorCatalogue Seed = IndicatorCatalogue.Seed;

    [Fact]
    public void Seed_HasTwentySevenSoundIndicatorsOverTheFiveStars()
    {
        Assert.Equal(27, Seed.Indicators.Count);
        Assert.Empty(Seed.Problems());
        Assert.Equal(Enum.GetValues<StarGroup>().Order(), Seed.Indicators.Select(i => i.Group).Distinct().Order());
        Assert.Contains(Seed.Indicators, i => i.Source == IndicatorSource.Council);
        Assert.Contains(Seed.Indicators, i => i.Source == IndicatorSource.StaffEntered);
    }

    [Fact]
    public void Seed_HasThePinnedOnTimeHandlingRate()
    {
        var onTime = Seed.Find("on-time-handling");

        Assert.NotNull(onTime);
        Assert.Equal("按时处置率", onTime.Name);
        Assert.Equal(IndicatorMeasure.Ratio, onTime.Measure);
        Assert.True(onTime.AppliesTo(GridLevel.Third));
    }

    [Fact]
    public void EveryGridLevelAndWorkerKindIsAssessed()
    {
        foreach (var level in new[] { GridLevel.Second, GridLevel.Third, GridLevel.Micro })
        {
            Assert.True(Seed.ForGrid(level).Count >= 5, $"{level} has too few indicators");
        }

        foreach (var role in new[] { Role.GridWorker, Role.GridLeader, Role.MicroGridWorker, Role.DepartmentLiaison })
        {
            Assert.True(Seed.ForWorker([role]).Count >= 4, $"{role} has too few indicators");
        }

        Assert.Empty(Seed.ForWorker([Role.CommunityStaff]));
    }

    [Fact]
    public void ForWorker_UnitesTheRolesHeld()
    {
        var both = Seed.ForWorker([Role.GridLeader, Role.DepartmentLiaison]);

        Assert.Contains(both, i => i.Code == "door-knock-weeks");
        Assert.Contains(both, i => i.Code == "patrol-goal-days");
        Assert.Equal(both.Count, both.Select(i => i.Code).Distinct().Count());
    }

    [Fact]
    public void Problems_FindDuplicatesAndBadDefinitions()
    {
        var onTime = Seed.Find("on-time-handling")!;
        var broken = Seed with
        {
            Indicators = [onTime, onTime with { Weight = 0 }, onTime with { Code = "Bad Code", Target = 1.5 }, onTime with { Code = "same", Target = 0.5, ZeroAt = 0.5 }],
        };

        var problems = broken.Problems();

        Assert.Contains(problems, p => p.Contains("on-time-handling 重复"));
        Assert.Contains(problems, p => p.Contains("权重"));
        Assert.Contains(problems, p => p.Contains("Bad Code"));
        Assert.Contains(problems, p => p.Contains("0–1 之间"));
        Assert.Contains(problems, p => p.Contains("不同的数"));
    }

    [Fact]
    public void MayTakeEffect_NeverForAPublishedPeriod()
    {
        var published = new[] { AssessmentPeriod.Quarter(2026, 3), AssessmentPeriod.Month(2026, 10) };

        Assert.Contains("已公布", IndicatorCatalogue.MayTakeEffect(AssessmentPeriod.Month(2026, 9), Seed, published));
        Assert.Contains("已公布", IndicatorCatalogue.MayTakeEffect(AssessmentPeriod.Quarter(2026, 4), Seed, published));
        Assert.Null(IndicatorCatalogue.MayTakeEffect(AssessmentPeriod.Month(2026, 11), Seed, published));
        Assert.Contains("晚于现行版本", IndicatorCatalogue.MayTakeEffect(AssessmentPeriod.Month(2026, 1), Seed, []));
        Assert.Null(IndicatorCatalogue.MayTakeEffect(AssessmentPeriod.Month(2026, 1), null, []));
    }
}
