using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Demo;

namespace CivicGrid.Server.Tests.Demo;

/// <summary>The year of cases walked through the workflow: valid timelines, deadlines, late and reworked work, grids that differ.</summary>
public partial class DemoSubdistrictGeneratorTests
{
    [Fact]
    public void Generate_EveryCaseTimelineIsIntact_AndItsTimesInOrder()
    {
        var end = new DateTimeOffset(Today.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));
        foreach (var item in Data.Cases)
        {
            Assert.Null(item.VerifyTimeline());
            var times = item.Timeline.Select(e => e.At).ToList();
            Assert.Equal(times.Order(), times);
            Assert.True(times[^1] <= end, item.Number);
            if (item.Status == CaseStatus.Closed)
            {
                Assert.NotNull(item.HandledAt);
                Assert.NotNull(item.DueAt);
                Assert.True(item.HandledAt <= item.ClosedAt, item.Number);
                Assert.Contains(item.Timeline, e => e.Action == "accept");
            }

            if (item.Status is CaseStatus.Assigned or CaseStatus.InHandling)
            {
                Assert.NotNull(item.DueAt);
            }
        }
    }

    [Fact]
    public void Generate_CaseLoop_HasLateReworkedSupervisedEscalatedAndOpenWork()
    {
        var handled = Data.Cases.Where(c => c.HandledAt is not null && c.DueAt is not null).ToList();
        var late = handled.Count(c => c.HandledAt > c.DueAt) / (double)handled.Count;
        Assert.InRange(late, 0.04, 0.3);
        Assert.InRange(Data.Cases.Count(c => c.ReopenCount > 0) / (double)Data.Cases.Count, 0.02, 0.15);
        Assert.Contains(Data.Cases, c => c.SupervisionCount > 0);
        Assert.Contains(Data.Cases, c => c.Timeline.Any(e => e.Action == "escalate" && e.Details.GetValueOrDefault("automatic") == "true"));
        Assert.Contains(Data.Cases, c => c.Timeline.Any(e => e.Action == "escalate" && e.Details.GetValueOrDefault("automatic") == "false"));
        Assert.Contains(Data.Cases, c => c.Status == CaseStatus.Parked);
        Assert.Contains(Data.Cases, c => c.EvaluatedAutomatically);
        Assert.All(Data.Cases.Where(c => c.Tier == CaseTier.Red && c.Status == CaseStatus.Closed), c => Assert.NotNull(c.DistrictRecordId));
        Assert.Equal(Data.Cases.Count(c => c.DistrictRecordId is not null), Data.Referrals.Count);
    }

    [Fact]
    public void Generate_StrongGridsHandleOnTimeMoreOftenThanWeakOnes()
    {
        double OnTime(IEnumerable<Case> cases)
        {
            var done = cases.Where(c => c.HandledAt is not null && c.DueAt is not null).ToList();
            return done.Count(c => c.HandledAt <= c.DueAt) / (double)done.Count;
        }

        var byQuality = Data.GridQuality.OrderBy(q => q.Value).Select(q => q.Key).ToList();
        var third = byQuality.Count / 3;
        var weak = byQuality.Take(third).ToHashSet();
        var strong = byQuality.TakeLast(third).ToHashSet();
        var weakRate = OnTime(Data.Cases.Where(c => weak.Contains(c.GridCode[..GridCodes.ThirdLength])));
        var strongRate = OnTime(Data.Cases.Where(c => strong.Contains(c.GridCode[..GridCodes.ThirdLength])));
        Assert.True(strongRate - weakRate > 0.08, $"strong {strongRate:P1}, weak {weakRate:P1}");
    }

    [Fact]
    public void YearAffairs_EveryGridHasNeedsProjectsAndClaims_AndStrongGridsMeetMoreNeeds()
    {
        var now = new DateTimeOffset(Today.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));
        var year = DemoYearAffairs.Build(Data, [], Today, now, 2026);
        var thirds = Data.GridQuality.Keys.Where(k => k.StartsWith(DemoSubdistrictGenerator.SubdistrictCode, StringComparison.Ordinal)).ToList();

        Assert.All(thirds, t => Assert.Contains(year.Needs, n => n.GridCode.StartsWith(t, StringComparison.Ordinal)));
        Assert.All(thirds, t => Assert.Equal(4, year.Projects.Count(p => p.GridCodes.Contains(t))));
        Assert.All(year.Needs, n => Assert.True(n.RaisedAt <= now && (n.MetAt is null || (n.MetAt >= n.RaisedAt && n.MetAt <= now)), n.Description));
        Assert.All(year.Claims, c => Assert.Contains(year.Needs, n => n.Id.ToString() == c.Reference));

        double Met(IEnumerable<string> grids)
        {
            var set = grids.ToHashSet();
            var mine = year.Needs.Where(n => set.Contains(n.GridCode[..GridCodes.ThirdLength])).ToList();
            return mine.Count(n => n.MetAt is not null) / (double)mine.Count;
        }

        var byQuality = thirds.OrderBy(t => Data.GridQuality[t]).ToList();
        var weak = Met(byQuality.Take(byQuality.Count / 3));
        var strong = Met(byQuality.TakeLast(byQuality.Count / 3));
        Assert.True(strong - weak > 0.2, $"strong {strong:P1}, weak {weak:P1}");
    }
}
