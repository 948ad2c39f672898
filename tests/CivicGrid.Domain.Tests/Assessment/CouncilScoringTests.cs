using CivicGrid.Domain.Assessment;

namespace CivicGrid.Domain.Tests.Assessment;

public class CouncilScoringTests
{
    [Fact]
    public void Tally_DropsTheHighestAndLowestTenth_ThenAverages()
    {
        // Ten scores: the single 1 and one 5 are set aside; the other eight (5, 4×5, 3×2) average 31 ÷ 8 = 3.875.
        int[] stars = [5, 5, 4, 4, 4, 4, 4, 3, 3, 1];

        var tally = CouncilScoring.Tally(stars, new CouncilRules());

        Assert.True(tally.Quorate);
        Assert.Equal(1, tally.DroppedEach);
        Assert.Equal(3.7, tally.Mean);
        Assert.Equal(3.875, tally.TrimmedMean);
    }

    [Fact]
    public void Tally_ShortOfTheQuorum_DoesNotApply()
    {
        var rules = new CouncilRules(Quorum: 5);

        var tally = CouncilScoring.Tally([5, 5, 5, 4], rules);

        Assert.False(tally.Quorate);
        Assert.Equal(4.75, tally.Mean);
        Assert.Null(tally.TrimmedMean);
        var value = tally.AsValue("council-score", rules);
        Assert.Null(value.Value);
        Assert.Contains("不足法定人数 5 人", value.Reason);
    }

    [Fact]
    public void Tally_WithFewScores_DropsNone()
    {
        var tally = CouncilScoring.Tally([2, 4, 5, 5, 5], new CouncilRules(TrimShare: 0.1));

        Assert.Equal(0, tally.DroppedEach);
        Assert.Equal(4.2, tally.TrimmedMean);
        Assert.Equal(4.2, tally.AsValue("council-score", new CouncilRules()).Value);
    }

    [Fact]
    public void Tally_OneGrudgeCannotSinkAGrid()
    {
        int[] fair = [5, 5, 5, 5, 5, 5, 5, 5, 5, 5];
        int[] grudge = [5, 5, 5, 5, 5, 5, 5, 5, 5, 1];

        Assert.Equal(CouncilScoring.Tally(fair, new CouncilRules()).TrimmedMean, CouncilScoring.Tally(grudge, new CouncilRules()).TrimmedMean);
    }

    [Fact]
    public void Tally_RefusesAScoreOutsideOneToFive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CouncilScoring.Tally([0, 5, 5, 5, 5], new CouncilRules()));
    }

    [Fact]
    public void Rules_AreChecked()
    {
        Assert.Empty(new CouncilRules().Problems());
        Assert.NotEmpty(new CouncilRules(Quorum: 0).Problems());
        Assert.NotEmpty(new CouncilRules(TrimShare: 0.5).Problems());
    }
}
