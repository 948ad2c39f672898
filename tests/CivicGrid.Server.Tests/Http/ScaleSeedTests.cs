using CivicGrid.Domain.Cases;
using CivicGrid.Server.Commands;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Features.Audit;
using CivicGrid.Server.Features.Dashboard;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// <c>seed scale</c> on each provider: the same seed and clock give the same cases; the doors, colours, outcomes and hot
/// spots come in their shares; numbers stay unique after the demo's; the roll-ups equal a recount and every timeline's
/// hash chain verifies.
/// </summary>
public abstract class ScaleSeedTests(CivicGridApp app)
{
    private const int Cases = 20_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SeedScale_IsDeterministicPerSeed_RealisticInItsShares_AndLeavesRollupsAndTimelinesIntact()
    {
        var now = DateTimeOffset.UtcNow;
        var before = await IdsAsync();
        var indexes = await IndexesAsync();
        // The first load takes the indexes off and builds them again; the second keeps them.
        var first = await SeedAsync(now, rebuildIndexesFrom: 1);
        Assert.True(first.IndexesRebuilt >= 5, $"{first.IndexesRebuilt} indexes rebuilt");
        Assert.Equal(indexes, await IndexesAsync());
        var afterFirst = await IdsAsync();
        var second = await SeedAsync(now, rebuildIndexesFrom: long.MaxValue);
        Assert.Equal(0, second.IndexesRebuilt);
        var afterSecond = await IdsAsync();

        var one = await FactsAsync(afterFirst.Except(before));
        var two = await FactsAsync(afterSecond.Except(afterFirst));
        Assert.Equal(Cases, first.Cases);
        Assert.Equal(Cases, one.Count);
        // Same seed, same clock: the same cases (numbered after the first batch's, so compared by what they are).
        Assert.Equal(Summarise(one), Summarise(two));
        Assert.Equal(first.CountRows > 0, second.CountRows > 0);

        foreach (var (channel, share) in ScaleCaseGenerator.ChannelShares)
        {
            Assert.InRange(one.Count(c => c.Channel == channel) / (double)Cases, share - 0.02, share + 0.02);
        }

        Assert.InRange(Share(one, c => c.Tier == CaseTier.Green), 0.6, 0.95);
        Assert.InRange(Share(one, c => c.Tier == CaseTier.Red), 0.0001, 0.05);
        Assert.InRange(Share(one, c => c.Status == CaseStatus.Closed), 0.8, 0.97);
        Assert.InRange(Share(one, c => c.Status == CaseStatus.Rejected), 0.01, 0.03);
        Assert.InRange(Share(one, c => c.Status == CaseStatus.Merged), 0.005, 0.03);
        Assert.Contains(one, c => c.Status == CaseStatus.Parked);
        Assert.Contains(one, c => !c.Status.IsFinal() && c.DueAt < now);
        var withDeadline = one.Where(c => c.Status == CaseStatus.Closed && c.DueAt is not null).ToList();
        Assert.InRange(withDeadline.Count(c => c.HandledAt <= c.DueAt) / (double)withDeadline.Count, 0.75, 0.97);
        // Hot spots: a tenth of the micro-grids that report takes well over a tenth of the cases.
        var perGrid = one.GroupBy(c => c.GridCode).Select(g => g.Count()).OrderDescending().ToList();
        Assert.True(perGrid.Take(perGrid.Count / 10).Sum() > Cases * 0.25, $"the busiest tenth of grids has {perGrid.Take(perGrid.Count / 10).Sum()} cases");

        await app.WithDatabaseAsync(async db =>
        {
            var all = await db.Cases.IgnoreQueryFilters().CountAsync(Ct);
            Assert.Equal(all, await db.Cases.IgnoreQueryFilters().Select(c => c.Number).Distinct().CountAsync(Ct));
            var rollups = await new CaseRollupCheck(db).CompareAsync(Ct);
            Assert.True(rollups.Matches, string.Join("\n", rollups.Mismatches));
            var timelines = await new TimelineAudit(db).VerifyAsync(Ct);
            Assert.True(timelines.IsIntact, $"{timelines.Broken.Count} broken timelines");
            return true;
        });
    }

    [Fact]
    public async Task SeedScaleCommand_WithoutACount_IsUsedWrongly_AndWithOne_WritesAndReportsTheRate()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(2, await OperatorCommands.RunAsync(["seed", "scale"], ["--years", "2"], app.Services, output, error));

        Assert.Equal(0, await OperatorCommands.RunAsync(["seed", "scale"], ["--cases", "500", "--seed", "3", "--years", "1"], app.Services, output, error));
        Assert.Contains("Seeded 500 cases over 1 years", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("cases/s", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALoadKilledWithItsIndexesOff_IsMendedByTheNextOne_AndUniqueIndexesCheckTheRowsAgain()
    {
        var indexes = await IndexesAsync();
        string[] tables = ["cases", "case_timeline"];
        // Taken off and never built again: what a load killed between the two leaves.
        var dropped = await app.WithDatabaseAsync(db => BulkLoadIndexes.DropAsync(db, tables, Ct));
        Assert.Contains("IX_cases_Number", dropped);
        var left = await IndexesAsync();
        Assert.DoesNotContain(left, i => i.Contains("IX_cases_Number", StringComparison.Ordinal));
        Assert.True(indexes.Count - left.Count == dropped.Count, $"{indexes.Count} indexes before, {left.Count} after dropping {dropped.Count}");

        // A duplicate number slipped in while the unique index was off: building it again refuses, and the index stays owed.
        var two = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().OrderBy(c => c.Number).Take(2).Select(c => new { c.Id, c.Number }).ToListAsync(Ct));
        await SetNumberAsync(two[1].Id, two[0].Number);
        await Assert.ThrowsAnyAsync<Exception>(() => app.WithDatabaseAsync(async db =>
        {
            await BulkLoadIndexes.RestoreAsync(db, Ct);
            return true;
        }));
        Assert.DoesNotContain(await IndexesAsync(), i => i.Contains("IX_cases_Number", StringComparison.Ordinal));

        // Mended, the next load's start builds everything that was owed.
        await SetNumberAsync(two[1].Id, two[1].Number);
        await SeedAsync(DateTimeOffset.UtcNow, rebuildIndexesFrom: long.MaxValue, cases: 10);
        Assert.Equal(indexes, await IndexesAsync());
    }

    private async Task<ScaleSeedResult> SeedAsync(DateTimeOffset now, long rebuildIndexesFrom, int cases = Cases)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var seeder = new ScaleSeeder(scope.ServiceProvider.GetRequiredService<CivicGridDbContext>(), new FixedTime(now)) { RebuildIndexesFrom = rebuildIndexesFrom };
        return await seeder.SeedAsync(cases, seed: 7, years: 2, progress: null, Ct);
    }

    private Task<int> SetNumberAsync(Guid id, string number) =>
        app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => c.Id == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.Number, number), Ct));

    /// <summary>The definitions of every index of the cases and their timelines, as the database keeps them.</summary>
    private Task<List<string>> IndexesAsync() => app.WithDatabaseAsync(async db =>
    {
        var sql = db.Database.IsNpgsql()
            ? "SELECT indexdef AS \"Value\" FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('cases', 'case_timeline')"
            : "SELECT coalesce(sql, name) AS \"Value\" FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('cases', 'case_timeline')";
        return (await db.Database.SqlQueryRaw<string>(sql).ToListAsync(Ct)).Order(StringComparer.Ordinal).ToList();
    });

    private Task<HashSet<Guid>> IdsAsync() =>
        app.WithDatabaseAsync(async db => (await db.Cases.IgnoreQueryFilters().Select(c => c.Id).ToListAsync(Ct)).ToHashSet());

    private Task<List<CaseFacts>> FactsAsync(IEnumerable<Guid> ids)
    {
        var wanted = ids.ToHashSet();
        return app.WithDatabaseAsync(async db => (await db.Cases.IgnoreQueryFilters()
                .Select(c => new { c.Id, Facts = new CaseFacts(c.GridCode, c.CategoryCode, c.Channel, c.Tier, c.Status, c.ReportedAt, c.ClosedAt, c.HandledAt, c.DueAt,
                    c.AssigneeDepartmentId, c.SupervisionDueAt) })
                .ToListAsync(Ct))
            .Where(c => wanted.Contains(c.Id)).Select(c => c.Facts).ToList());
    }

    private static List<string> Summarise(List<CaseFacts> cases) =>
        [.. cases.Select(c => $"{c.ReportedAt:O} {c.GridCode} {c.CategoryCode} {c.Channel} {c.Tier} {c.Status} {c.ClosedAt:O} {c.DueAt:O}").Order(StringComparer.Ordinal)];

    private static double Share(List<CaseFacts> cases, Func<CaseFacts, bool> which) => cases.Count(which) / (double)cases.Count;

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

public sealed class ScaleSeedTestsOnSqlite(SqliteApp app) : ScaleSeedTests(app), IClassFixture<SqliteApp>;

public sealed class ScaleSeedTestsOnPostgres(PostgresApp app) : ScaleSeedTests(app), IClassFixture<PostgresApp>;
