using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Assessment;
using CivicGrid.Domain.Geography;

namespace CivicGrid.Domain.Tests.Assessment;

public class InputDigestTests
{
    private static DigestInput OnTime(string grid, params IndicatorEvidence[] evidence) =>
        new(grid, "on-time-handling", evidence.Count(e => e.Counted), evidence.Length, evidence);

    private static readonly DigestInput[] Stored =
    [
        OnTime("A", new IndicatorEvidence("2026070100001", true), new IndicatorEvidence("2026070100002", false, "办结超期 3 小时")),
        OnTime("B", new IndicatorEvidence("2026070100003", true)),
        new("B", "branch-activities", 2, null, []),
    ];

    [Fact]
    public void SameInputs_InAnyOrder_GiveTheSameDigest()
    {
        var shuffled = Stored.Reverse().Select(i => i with { Evidence = [.. i.Evidence.Reverse()] });

        Assert.Equal(InputDigest.Compute(Stored), InputDigest.Compute(shuffled));
        Assert.Equal(64, InputDigest.Compute(Stored).Length);
        Assert.Empty(InputDigest.Compare(Stored, shuffled));
    }

    [Fact]
    public void AChangedRecord_ChangesTheDigest_AndIsNamed()
    {
        var now = Stored.ToArray();
        now[0] = OnTime("A", new IndicatorEvidence("2026070100001", true), new IndicatorEvidence("2026070100002", true));

        Assert.NotEqual(InputDigest.Compute(Stored), InputDigest.Compute(now));
        var change = Assert.Single(InputDigest.Compare(Stored, now));
        Assert.Equal(("A", "on-time-handling", "2026070100002", EvidenceChangeKind.Changed), (change.Subject, change.Indicator, change.Reference, change.Kind));
        Assert.Equal("未计入（办结超期 3 小时）", change.Before);
        Assert.Equal("计入", change.After);
    }

    [Fact]
    public void AddedAndRemovedRecords_AndAValueWithoutEvidence_AreNamed()
    {
        DigestInput[] now =
        [
            OnTime("A", new IndicatorEvidence("2026070100001", true), new IndicatorEvidence("2026070100002", false, "办结超期 3 小时"), new IndicatorEvidence("2026070100009", true)),
            OnTime("B"),
            new("B", "branch-activities", 3, null, []),
        ];

        var changes = InputDigest.Compare(Stored, now);

        Assert.Equal(
            [("A", "2026070100009", EvidenceChangeKind.Added), ("B", (string?)null, EvidenceChangeKind.Changed), ("B", "2026070100003", EvidenceChangeKind.Removed)],
            changes.Select(c => (c.Subject, c.Reference, c.Kind)));
        Assert.Equal(("2", "3"), (changes[1].Before, changes[1].After));
    }

    [Fact]
    public void AnIndicatorThatAppears_IsNamedWithoutARecord()
    {
        var change = Assert.Single(InputDigest.Compare(Stored[..2], Stored));
        Assert.Equal((EvidenceChangeKind.Added, null, "2"), (change.Kind, change.Reference, change.After));
    }

    private static IndicatorDefinition Of(IndicatorMeasure measure) =>
        new("x", "某指标", StarGroup.Governance, [GridLevel.Third], [Role.GridWorker], measure == IndicatorMeasure.Average ? IndicatorSource.Council : IndicatorSource.Computed,
            measure, "part", "whole", "%", measure == IndicatorMeasure.Average ? 4.5 : 0.9, measure == IndicatorMeasure.Average ? 2 : 0.5, ScoringRule.Linear, 5);

    [Theory]
    [InlineData(IndicatorMeasure.Ratio, 3, 4.0, true)]
    [InlineData(IndicatorMeasure.Ratio, 5, 4.0, false)]
    [InlineData(IndicatorMeasure.Ratio, 3, null, false)]
    [InlineData(IndicatorMeasure.Count, 3, null, true)]
    [InlineData(IndicatorMeasure.Count, -1, null, false)]
    [InlineData(IndicatorMeasure.Count, 3, 4.0, false)]
    [InlineData(IndicatorMeasure.Average, 4.2, null, true)]
    [InlineData(IndicatorMeasure.Average, 6, null, false)]
    public void Adjustment_IsCheckedAgainstTheMeasure(IndicatorMeasure measure, double numerator, double? denominator, bool valid)
    {
        var problem = IndicatorAdjustment.Problem(Of(measure), numerator, denominator);

        Assert.Equal(valid, problem is null);
        if (problem is not null)
        {
            Assert.Contains("某指标", problem);
        }
    }
}
