using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Tests.Assessment;

public class ScoringTests
{
    private static IndicatorDefinition Rate(string code, double target, double zeroAt, double weight, StarGroup group = StarGroup.Governance,
        ScoringRule rule = ScoringRule.Linear) =>
        new(code, code, group, [GridLevel.Third], [Role.GridWorker], IndicatorSource.Computed, IndicatorMeasure.Ratio, "part", "whole", "%",
            target, zeroAt, rule, weight);

    [Theory]
    [InlineData(0.9, 10)]
    [InlineData(1.0, 10)]
    [InlineData(0.7, 5)]
    [InlineData(0.5, 0)]
    [InlineData(0.2, 0)]
    public void Linear_HigherIsBetter_RunsFromZeroAtToTarget(double value, double points)
    {
        Assert.Equal(points, Rate("on-time", 0.9, 0.5, 10).PointsFor(value), 6);
    }

    [Theory]
    [InlineData(0.0, 4)]
    [InlineData(0.05, 4)]
    [InlineData(0.175, 2)]
    [InlineData(0.3, 0)]
    [InlineData(0.6, 0)]
    public void Linear_LowerIsBetter_HasItsZeroAboveTheTarget(double value, double points)
    {
        var rework = Rate("rework", 0.05, 0.3, 4);

        Assert.True(rework.LowerIsBetter);
        Assert.Equal(points, rework.PointsFor(value), 6);
        Assert.Equal(value <= 0.05, rework.Meets(value));
    }

    [Fact]
    public void Threshold_IsAllOrNothing()
    {
        var ids = Rate("ids", 1.0, 0.7, 3, rule: ScoringRule.Threshold);

        Assert.Equal(3, ids.PointsFor(1.0));
        Assert.Equal(0, ids.PointsFor(0.99));
    }

    [Fact]
    public void Score_IsPointsOverTheWeightsThatApply_AndARatioWithNothingToCountWeighsNothing()
    {
        // on-time 0.8 of target 0.9 from 0.5: 0.75 × 8 = 6 points; rework 0.1 (target 0.05, zero 0.3): 0.8 × 4 = 3.2;
        // satisfaction has no rated cases: it does not apply. 9.2 of 12 applicable = 76.67 → 3 stars.
        IndicatorDefinition[] indicators = [Rate("on-time", 0.9, 0.5, 8), Rate("rework", 0.05, 0.3, 4), Rate("satisfaction", 0.95, 0.6, 6, StarGroup.Service)];
        var values = new Dictionary<string, IndicatorValue>
        {
            ["on-time"] = IndicatorValue.Ratio("on-time", 8, 10),
            ["rework"] = IndicatorValue.Ratio("rework", 1, 10),
            ["satisfaction"] = IndicatorValue.Ratio("satisfaction", 0, 0),
        };

        var card = Scoring.Score(indicators, values, new StarThresholds());

        Assert.Equal(76.67, card.Score);
        Assert.Equal(3, card.Stars);
        Assert.Equal(9.2, card.Points, 6);
        Assert.Equal(12, card.ApplicableWeight);
        Assert.Equal(18, card.TotalWeight);
        var satisfaction = card.Indicators.Single(l => l.Indicator.Code == "satisfaction");
        Assert.False(satisfaction.Applies);
        Assert.Equal(0, satisfaction.Weight);
        Assert.Contains("分母为 0", satisfaction.Value.Reason);
        Assert.Equal(76.67, card.Groups.Single(g => g.Group == StarGroup.Governance).Score);
        Assert.Null(card.Groups.Single(g => g.Group == StarGroup.Service).Score);
    }

    [Fact]
    public void Score_IsNotRated_WhenTooLittleOfTheWeightApplies()
    {
        IndicatorDefinition[] indicators = [Rate("a", 0.9, 0.5, 2), Rate("b", 0.9, 0.5, 8)];
        var values = new Dictionary<string, IndicatorValue>
        {
            ["a"] = IndicatorValue.Ratio("a", 1, 1),
            ["b"] = IndicatorValue.Ratio("b", 0, 0),
        };

        var card = Scoring.Score(indicators, values, new StarThresholds());

        Assert.Equal(100, card.Score);
        Assert.Null(card.Stars);
    }

    [Fact]
    public void Score_RefusesAMissingValue()
    {
        Assert.Throws<InvalidOperationException>(() =>
            Scoring.Score([Rate("a", 0.9, 0.5, 2)], new Dictionary<string, IndicatorValue>(), new StarThresholds()));
    }

    [Theory]
    [InlineData(95, 5)]
    [InlineData(90, 5)]
    [InlineData(89.99, 4)]
    [InlineData(80, 4)]
    [InlineData(70, 3)]
    [InlineData(60, 2)]
    [InlineData(59.99, 1)]
    [InlineData(0, 1)]
    public void Stars_BeginAtTheirThresholds(double score, int stars)
    {
        Assert.Equal(stars, new StarThresholds().StarsFor(score));
    }

    [Fact]
    public void Thresholds_MustRise()
    {
        Assert.Empty(new StarThresholds().Problems());
        Assert.NotEmpty(new StarThresholds(TwoStars: 70, ThreeStars: 70).Problems());
        Assert.NotEmpty(new StarThresholds(FiveStars: 101).Problems());
    }

    /// <summary>Properties over many random catalogues and values: points stay within their weight, the score within 0–100, and more is never worse.</summary>
    [Fact]
    public void Properties_PointsBoundedScoreBoundedAndMonotonic()
    {
        var random = new Random(20261206);
        for (var round = 0; round < 2000; round++)
        {
            var target = random.NextDouble();
            var zeroAt = random.NextDouble();
            if (Math.Abs(target - zeroAt) < 0.01)
            {
                continue;
            }

            var weight = 1 + random.Next(10);
            var indicator = Rate("x", target, zeroAt, weight, rule: random.Next(4) == 0 ? ScoringRule.Threshold : ScoringRule.Linear);
            var a = random.NextDouble();
            var b = random.NextDouble();
            var (worse, better) = indicator.LowerIsBetter ? (Math.Max(a, b), Math.Min(a, b)) : (Math.Min(a, b), Math.Max(a, b));

            Assert.InRange(indicator.PointsFor(a), 0, weight);
            Assert.True(indicator.PointsFor(better) >= indicator.PointsFor(worse) - 1e-9, $"round {round}: more was worse");

            var card = Scoring.Score([indicator, Rate("y", 0.9, 0.5, 3)],
                new Dictionary<string, IndicatorValue> { ["x"] = IndicatorValue.Ratio("x", a * 100, 100), ["y"] = IndicatorValue.Ratio("y", random.Next(11), 10) },
                new StarThresholds());
            Assert.InRange(card.Score, 0, 100);
            Assert.True(Math.Abs(card.Points - card.Indicators.Sum(l => l.Points)) < 1e-6, $"round {round}: the lines do not add up to the points");
        }
    }
}
