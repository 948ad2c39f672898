using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Dashboard;

namespace CivicGrid.Server.Tests.Unit;

/// <summary>What one case adds to the roll-ups: a row in every scope it lies in, so a dashboard reads its own scope's rows.</summary>
public sealed class CaseContributionTests
{
    private const string Micro = "610103099001010203";

    [Fact]
    public void ACaseCountsInItsGrid_EveryGridAboveIt_AndTheWholeSystem()
    {
        Assert.Equal(["610103099001010203", "6101030990010102", "61010309900101", "610103099001", "610103099", "610103", ""], CaseContribution.ScopesOf(Micro));
        // A dedicated grid (community + 9 + two digits) sits directly under its community.
        Assert.Equal(["610103099001901", "610103099001", "610103099", "610103", ""], CaseContribution.ScopesOf("610103099001901"));
    }

    [Fact]
    public void AClosedCase_AddsItsReportAndItsClosure_ToTheDayAndMonthOfEach_InEveryScope()
    {
        var reported = new DateTimeOffset(2026, 11, 30, 17, 0, 0, TimeSpan.Zero); // 1 December in Beijing
        var handled = reported.AddHours(30); // 2 December, 07:00 in Beijing
        var facts = new CaseFacts(Micro, "E0101", CaseChannel.ResidentApp, CaseTier.Yellow, CaseStatus.Closed, reported, handled.AddHours(1), handled,
            handled.AddHours(1), null, null);
        var counts = new Dictionary<CountKey, CountMeasures>();
        CaseContribution.AddCounts(facts, 1, counts);

        // 7 scopes × (all time, the report's day, the closure's day, their common month).
        Assert.Equal(28, counts.Count);
        Assert.Equal(new CountMeasures(1, 1, 1, 1, 1), counts[new CountKey("610103099001", RollupPeriod.All, 0, default, default)]);
        Assert.Equal(new CountMeasures(1, 1, 0, 0, 0), counts[new CountKey("610103099", RollupPeriod.Day, 20261201, CaseChannel.ResidentApp, CaseTier.Yellow)]);
        Assert.Equal(new CountMeasures(0, 0, 1, 1, 1), counts[new CountKey("", RollupPeriod.Day, 20261202, CaseChannel.ResidentApp, CaseTier.Yellow)]);
        Assert.Equal(new CountMeasures(1, 1, 1, 1, 1), counts[new CountKey(Micro, RollupPeriod.Month, 20261201, CaseChannel.ResidentApp, CaseTier.Yellow)]);

        // Reopened: the move takes away exactly what it added.
        var delta = new RollupDelta();
        delta.Move(facts, facts with { Status = CaseStatus.InHandling, ClosedAt = null });
        delta.Compact();
        Assert.All(delta.Counts.Where(p => p.Key.Period != RollupPeriod.Now), p => Assert.True(p.Value.Closed == -1 || p.Value.ReportedNowClosed == -1));
        // Open again: it counts in each scope's open-now row, as in the open counts.
        Assert.Equal(CaseContribution.ScopesOf(Micro).Order(StringComparer.Ordinal),
            delta.Counts.Keys.Where(k => k.Period == RollupPeriod.Now).Select(k => k.ScopeCode).Order(StringComparer.Ordinal));
        Assert.All(delta.Counts.Keys.Where(k => k.Period == RollupPeriod.Now), k => Assert.Equal(new CountKey(k.ScopeCode, RollupPeriod.Now, 0, default, default), k));
        Assert.All(delta.Counts.Where(p => p.Key.Period == RollupPeriod.Now), p => Assert.Equal(new CountMeasures(1, 0, 0, 0, 0), p.Value));
        Assert.Equal(7, delta.Open.Count);
        Assert.All(delta.Open, p => Assert.Equal(1, p.Value));
    }
}
