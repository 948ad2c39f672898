using System.Net;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Cases;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Privacy;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Server.Tests.Photos;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using static CivicGrid.Server.Tests.Infrastructure.CaseScenario;
using CivicGrid.Server.Features.Cases.Intake;

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

    [Fact]
    public async Task NewRows_WrittenWithoutEfsPipeline_AreTheRowsEfWrites()
    {
        // The same case (with its timeline entry, follow-token hash, location columns and the notifications it calls for)
        // stored once by the writer's insert path and once by EF's SaveChanges, each in a transaction rolled back after
        // reading the rows back: every column must be the same, bar the notifications' own ids.
        var place = await _scenario.CertainPlaceAsync();
        var subject = new Case("2099010199999", "E0101", "逐列核对", "核对写入的每一列", new Point(place.Lon, place.Lat) { SRID = 4326 }, place.GridCode,
            CaseTier.Green, CaseChannel.ResidentApp, null, DateTimeOffset.UtcNow, "核对人")
        {
            ReporterPhone = "13800138000",
            Address = "核对路 1 号",
        };

        async Task<Dictionary<string, List<string>>> StoreAsync(bool newRowsPath) => await app.WithDatabaseAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Cases.Add(subject);
            IntakeWriter.SetFollowTokenHash(db, subject, new string('c', 64));
            if (newRowsPath)
            {
                Assert.NotNull(AddedRowsInserter.TryPlan(db));
                await db.SaveNewRowsAsync(Ct);
            }
            else
            {
                await db.SaveChangesAsync(Ct);
            }

            var rows = new Dictionary<string, List<string>>
            {
                ["cases"] = await RowsAsync(db, "SELECT * FROM cases WHERE \"Number\" = '2099010199999'", "Id"),
                ["case_timeline"] = await RowsAsync(db, $"SELECT * FROM case_timeline WHERE \"CaseId\" IN (SELECT \"Id\" FROM cases WHERE \"Number\" = '2099010199999')"),
                ["notifications"] = await RowsAsync(db, "SELECT * FROM notifications WHERE \"CaseNumber\" = '2099010199999'", "Id"),
            };
            await transaction.RollbackAsync(Ct);
            return rows;
        });

        var written = await StoreAsync(newRowsPath: true);
        var expected = await StoreAsync(newRowsPath: false);

        Assert.Single(written["cases"]);
        Assert.NotEmpty(written["case_timeline"]);
        Assert.NotEmpty(written["notifications"]);
        Assert.Contains("LocationLon=", written["cases"][0]);
        Assert.Contains(new string('c', 64), written["cases"][0]);
        Assert.Contains("ReporterPhone=sealed:", written["cases"][0], StringComparison.Ordinal);
        Assert.DoesNotContain("13800138000", written["cases"][0], StringComparison.Ordinal);
        foreach (var table in expected.Keys)
        {
            Assert.Equal(expected[table], written[table]);
        }
    }

    [Theory]
    [InlineData(true, EntityState.Unchanged)]
    [InlineData(false, EntityState.Added)]
    public async Task NewRows_SavedWithoutAccepting_AreWritten_AndLeftAsTheyWereForTheWriterToClear(bool accept, EntityState after)
    {
        // The writer clears its tracker right after each batch, so it does not pay for accepting (snapshotting) every row.
        var place = await _scenario.CertainPlaceAsync();
        var number = $"20990103{Random.Shared.Next(10000, 99999)}";
        var (stateAfter, stored) = await app.WithDatabaseAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var subject = new Case(number, "E0101", "不接受改动", "写入后留作新增", new Point(place.Lon, place.Lat) { SRID = 4326 }, place.GridCode,
                CaseTier.Green, CaseChannel.StaffEntry, null, DateTimeOffset.UtcNow);
            db.Cases.Add(subject);
            Assert.True(db.SaveNewRows(acceptAllChanges: accept) >= 2);
            var state = db.Entry(subject).State;
            var count = await db.Cases.IgnoreQueryFilters().AsNoTracking().CountAsync(c => c.Number == number, Ct);
            await transaction.RollbackAsync(Ct);
            return (state, count);
        });

        Assert.Equal(after, stateAfter);
        Assert.Equal(1, stored);
    }

    [Fact]
    public async Task NewRowsPath_RefusesAChangeSetThatIsNotOnlyNewRows_AndEfSavesIt()
    {
        var place = await _scenario.CertainPlaceAsync();
        var number = await app.WithDatabaseAsync(async db =>
        {
            var c = new Case($"20990102{Random.Shared.Next(10000, 99999)}", "E0101", "改动", "已有的案件", new Point(place.Lon, place.Lat) { SRID = 4326 },
                place.GridCode, CaseTier.Green, CaseChannel.StaffEntry, null, DateTimeOffset.UtcNow);
            db.Cases.Add(c);
            await db.SaveChangesAsync(Ct);
            return c.Number;
        });

        await app.WithDatabaseAsync(async db =>
        {
            var existing = await db.Cases.IgnoreQueryFilters().SingleAsync(c => c.Number == number, Ct);
            existing.Address = "改过的地址";
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            Assert.Null(AddedRowsInserter.TryPlan(db));
            await db.SaveNewRowsAsync(Ct);
            await transaction.CommitAsync(Ct);
            return 0;
        });

        Assert.Equal("改过的地址", await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => c.Number == number).Select(c => c.Address).SingleAsync(Ct)));
    }

    /// <summary>Each row as "column=value;…" in column order, values in an invariant text form, without the named columns; sorted.</summary>
    private static async Task<List<string>> RowsAsync(CivicGridDbContext db, string sql, params string[] without)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        await using (command)
        {
            command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
            command.CommandText = sql;
            var rows = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                var row = new System.Text.StringBuilder();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (without.Contains(reader.GetName(i)))
                    {
                        continue;
                    }

                    var value = reader.IsDBNull(i) ? "NULL" : reader.GetValue(i) switch
                    {
                        byte[] bytes => Convert.ToHexString(bytes),
                        Geometry geometry => geometry.AsText(),
                        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                        var other => other.ToString(),
                    };
                    // A sealed column (ADR 0019) differs by its random nonce on every write: its key and length must match.
                    value = value is not null && FieldVault.IsSealed(value) ? $"sealed:{FieldVault.KeyIdOf(value)}:{value.Length}" : value;
                    row.Append(reader.GetName(i)).Append('=').Append(value).Append(';');
                }

                rows.Add(row.ToString());
            }

            rows.Sort(StringComparer.Ordinal);
            return rows;
        }
    }
}

public sealed class IntakeWriterTestsOnSqlite(SqliteApp app) : IntakeWriterTests(app), IClassFixture<SqliteApp>;

public sealed class IntakeWriterTestsOnPostgres(PostgresApp app) : IntakeWriterTests(app), IClassFixture<PostgresApp>;
