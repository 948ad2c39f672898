using System.Net;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Cases;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Server.Tests.Photos;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;

namespace CivicGrid.Server.Tests.Http;

/// <summary>Group commit of new cases: numbers never shared, every answered report stored, one bad report alone refused.</summary>
public abstract class IntakeWriterTests(CivicGridApp app)
{
    private readonly CaseScenario _scenario = new(app);

    [Fact]
    public async Task ConcurrentReports_AreAllStored_WithDistinctNumbers()
    {
        var place = await _scenario.CertainPlaceAsync();
        using var client = await app.ClientForAsync("resident001");
        var tag = Guid.NewGuid().ToString("N");

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            ReportAsync(client, ReportFields(place.Lon, place.Lat, "C0101", $"并发 {tag} {i}"), [TestPhotos.Jpeg(64, 48)])));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var numbers = await Task.WhenAll(responses.Select(async r => (await JsonAsync(r)).GetProperty("number").GetString()!));
        Assert.Equal(40, numbers.Distinct().Count());
        var stored = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => c.Description.StartsWith($"并发 {tag}")).Select(c => c.Number).ToListAsync(Ct));
        Assert.Equal(numbers.Order(), stored.Order());
    }

    [Fact]
    public async Task OneFailingReport_InASharedTransaction_DoesNotTakeTheOthersDown()
    {
        var writer = app.Services.GetRequiredService<IntakeWriter>();
        var tag = Guid.NewGuid().ToString("N");
        var place = await _scenario.CertainPlaceAsync();
        PendingReport Good(int i) => new(DateTimeOffset.UtcNow, (number, db) =>
        {
            var c = new Case(number, "E0101", "测试", $"批量 {tag} {i}", new Point(place.Lon, place.Lat), place.GridCode, CaseTier.Green,
                CaseChannel.StaffEntry, null, DateTimeOffset.UtcNow);
            db.Cases.Add(c);
            return c;
        });
        var bad = new PendingReport(DateTimeOffset.UtcNow, (number, db) =>
        {
            // A category that does not exist: the foreign key fails the transaction it is in.
            var c = new Case(number, "Z9999", "测试", $"批量 {tag} bad", new Point(place.Lon, place.Lat), place.GridCode, CaseTier.Green,
                CaseChannel.StaffEntry, null, DateTimeOffset.UtcNow);
            db.Cases.Add(c);
            return c;
        });

        var reports = Enumerable.Range(0, 10).Select(Good).Append(bad).Concat(Enumerable.Range(10, 10).Select(Good)).ToList();
        var outcomes = await Task.WhenAll(reports.Select(async r =>
        {
            try
            {
                return (await writer.StoreAsync(r, Ct)).Number;
            }
            catch (DbUpdateException)
            {
                return null;
            }
        }));

        Assert.Single(outcomes, o => o is null);
        Assert.Null(outcomes[10]);
        Assert.Equal(20, await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().CountAsync(c => c.Description.StartsWith($"批量 {tag}"), Ct)));
    }
}

public sealed class IntakeWriterTestsOnSqlite(SqliteApp app) : IntakeWriterTests(app);

public sealed class IntakeWriterTestsOnPostgres(PostgresApp app) : IntakeWriterTests(app);
