using CivicGrid.Domain.Assessment;

namespace CivicGrid.Domain.Tests.Assessment;

public class StandingsTests
{
    private static Standing S(string code, double score, int? stars, bool appealing = false) => new(code, $"网格{code}", score, stars, appealing);

    [Fact]
    public void Rank_SharesPlacesOnEqualShownScores_AndListsTheUnratedLastWithoutAPlace()
    {
        var ranked = Rankings.Rank([S("d", 71, 3), S("a", 92.004, 5), S("b", 92.001, 5), S("x", 0, null), S("c", 80, 4)]);

        Assert.Equal(["a", "b", "c", "d", "x"], ranked.Select(r => r.Standing.Code));
        Assert.Equal([1, 1, 3, 4, null], ranked.Select(r => r.Rank));
    }

    [Fact]
    public void Award_TakesTheTopPlaces_WithTiesAtTheLastPlace_AndOnlyFromTheMinimumStars()
    {
        var rule = new AwardRule("季度优秀三级网格", Top: 2, MinimumStars: 4);

        var list = rule.Draw([S("a", 95, 5), S("b", 85, 4), S("c", 85, 4), S("d", 84, 4), S("e", 99, 3)]);

        // e scores highest but has 3 stars (a star group below target), so it is not eligible; b and c share second place.
        Assert.Equal(["a", "b", "c"], list.Select(r => r.Standing.Code));
    }

    [Fact]
    public void Award_WaitsForAnUndecidedAppeal_UnlessTheRuleSaysOtherwise()
    {
        Standing[] standings = [S("a", 95, 5, appealing: true), S("b", 90, 5)];

        Assert.Equal(["b"], new AwardRule("优秀", 1).Draw(standings).Select(r => r.Standing.Code));
        Assert.Equal(["a"], new AwardRule("优秀", 1, ExcludeAppealing: false).Draw(standings).Select(r => r.Standing.Code));
    }

    [Fact]
    public void JulyFirstList_ReadsTheFourQuartersBeforeIt_AndNeedsARatingInEach()
    {
        Assert.Equal(["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"], AwardRule.QuartersBeforeJulyFirst(2026).Select(p => p.ToString()));

        var year = AwardRule.AcrossPeriods([
            [S("a", 90, 5), S("b", 95, 5)],
            [S("a", 80, 4), S("b", 95, 5)],
            [S("a", 100, 5), S("b", 0, null)],
            [S("a", 90, 5), S("b", 95, 5)],
        ]);

        var a = year.Single(s => s.Code == "a");
        Assert.Equal(90, a.Score, 6);
        Assert.Equal(4, a.Stars);
        Assert.Null(year.Single(s => s.Code == "b").Stars);
    }

    [Fact]
    public void AwardRule_Problems_NameWhatIsWrong()
    {
        Assert.Empty(new AwardRule("优秀", 3).Problems());
        Assert.Equal(3, new AwardRule(" ", 0, 6).Problems().Count);
    }
}
