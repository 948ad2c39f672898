using System.Diagnostics;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Features.Patrols;

namespace CivicGrid.Server.Tests.Demo;

public class DemoPatrolsTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);
    private static readonly Lazy<DemoDataset> Data = new(() => DemoSubdistrictGenerator.Generate(Today));

    [Fact]
    public void Week_IsDeterministic_WalkedInsideTheGrids_WithShortDaysGridsNobodyWalkedPhoneStepsAndBusRides_AfterAQuarterOfSummaries()
    {
        var clock = Stopwatch.StartNew();
        var all = DemoPatrols.Build(Data.Value, Today, 2026);
        var elapsed = clock.Elapsed;
        var again = DemoPatrols.Build(Data.Value, Today, 2026);

        Assert.Equal(all.Patrols.Select(p => (p.GridCode, p.Day, p.StartedAt, p.WalkedMeters)), again.Patrols.Select(p => (p.GridCode, p.Day, p.StartedAt, p.WalkedMeters)));
        Assert.All(all.Patrols, p => Assert.Equal(PatrolStatus.Closed, p.Status));

        // Before the tracked week, back to the start of the last complete quarter (2026-07-01 for 28 November), the days are
        // summaries with their per-grid rows and no stored track.
        var tracked = all.Batches.Select(b => b.PatrolId).ToHashSet();
        var history = all.Patrols.Where(p => p.Day < Today.AddDays(-7)).ToList();
        Assert.NotEmpty(history);
        Assert.All(history, p => Assert.InRange(p.Day, new DateOnly(2026, 7, 1), Today.AddDays(-8)));
        Assert.All(history, p => Assert.DoesNotContain(p.Id, tracked));
        var historyIds = history.Select(p => p.Id).ToHashSet();
        var withRows = all.Visits.Where(v => historyIds.Contains(v.PatrolId)).Select(v => v.PatrolId).ToHashSet();
        Assert.True(withRows.Count >= 0.9 * historyIds.Count, $"{withRows.Count} of {historyIds.Count} summarised days have per-grid rows");

        var weekIds = all.Patrols.Where(p => p.Day >= Today.AddDays(-7)).Select(p => p.Id).ToHashSet();
        var week = (Patrols: all.Patrols.Where(p => weekIds.Contains(p.Id)).ToList(), all.Batches, Visits: all.Visits.Where(v => weekIds.Contains(v.PatrolId)).ToList());
        Assert.All(week.Patrols, p => Assert.InRange(p.Day, Today.AddDays(-7), Today.AddDays(-1)));
        Assert.All(week.Patrols, p => Assert.Contains(p.Id, tracked));
        Assert.Contains(week.Patrols, p => p.Steps >= 10_000);
        Assert.Contains(week.Patrols, p => p.Steps < 10_000);
        // Some phones count steps, some leaders ride a bus home (a vehicle stretch that adds no walked metres).
        Assert.Contains(week.Patrols, p => p.StepsFromPhone);
        Assert.Contains(week.Patrols, p => !p.StepsFromPhone);
        Assert.InRange(week.Patrols.Count(p => p.VehicleMeters > 0), 1, week.Patrols.Count / 3);
        Assert.All(week.Patrols.Where(p => p.VehicleMeters > 0), p => Assert.InRange(p.VehicleMeters, 1_000, 1_600));

        // Every walked grid lies inside the walker's own grid, and some grids of the main subdistrict were not walked at all.
        var walkers = week.Patrols.ToDictionary(p => p.Id, p => p.GridCode);
        Assert.All(week.Visits, v => Assert.StartsWith(walkers[v.PatrolId], v.GridCode));
        var thirds = Data.Value.Grids.Where(g => g is { Level: GridLevel.Third, Kind: GridKind.Territorial }
            && g.Code.StartsWith(DemoSubdistrictGenerator.SubdistrictCode, StringComparison.Ordinal)).Select(g => g.Code).ToList();
        var walked = PatrolCoverage.AtLevel(week.Visits.Select(v => v.GridCode), GridLevel.Third);
        Assert.InRange(walked.Count, thirds.Count / 2, thirds.Count - 1);

        // The points decode back to what each patrol measured.
        var first = week.Patrols[0];
        var points = new List<TrackPoint>();
        foreach (var batch in week.Batches.Where(b => b.PatrolId == first.Id))
        {
            TrackCodec.Decode(batch.Points, points);
        }

        Assert.Equal(first.PointCount, points.Count);
        Assert.Equal(first.WalkedMeters, Math.Round(TrackFilter.Analyse(points, new PatrolRules()).WalkedMeters, 1), 0.5);
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"the week took {elapsed.TotalMilliseconds:F0} ms to generate");
        TestContext.Current.SendDiagnosticMessage($"demo patrols: {all.Patrols.Count} patrols, {week.Batches.Sum(b => b.Count)} points, generated in {elapsed.TotalMilliseconds:F0} ms");
    }
}
