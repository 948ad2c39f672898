using System.Net;
using System.Net.Http.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Calendar;
using CivicGrid.Domain.Patrols;
using CivicGrid.Server.Features.Patrols;
using CivicGrid.Server.Infrastructure.Jobs;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CivicGrid.Server.Tests.Infrastructure.HttpAnswers;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The track writer on each provider: batches sent at once are all counted (none lost, a repeated one stored once), a
/// second writer (another server instance) adds to the count rather than overwriting it, an end racing with batches
/// either measures a batch or refuses it (never stores it unmeasured), a stop answers what was queued, and the nightly
/// close ends yesterday's open patrols at their last point as the system.
/// </summary>
public abstract class TrackWriterTests(CivicGridApp app)
{
    private const double MetersPerDegreeLat = 111_195;
    private readonly CaseScenario _scenario = new(app);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BatchesSentAtOnce_AreAllCounted_AndARepeatedOneIsStoredOnce()
    {
        var (worker, place, id) = await OpenPatrolAsync();
        var from = DateTimeOffset.UtcNow.AddMinutes(-4);
        var sends = Enumerable.Range(0, 24).Select(i => worker.PostAsJsonAsync($"/api/patrols/{id}/points", Batch($"c-{i}", place, from, i * 10, 5), Ct))
            .Concat(Enumerable.Range(0, 6).Select(_ => worker.PostAsJsonAsync($"/api/patrols/{id}/points", Batch("same", place, from, 0, 3), Ct)))
            .ToList();
        var answers = await Task.WhenAll(sends);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var bodies = await Task.WhenAll(answers.Select(a => a.Content.ReadFromJsonAsync<TrackBatchResponse>(Ct)));
        Assert.Single(bodies, b => b!.BatchId == "same" && !b.Repeated);
        Assert.Equal(5, bodies.Count(b => b!.BatchId == "same" && b.Repeated));
        var patrol = await ReadPatrolAsync(id);
        Assert.Equal((24 * 5) + 3, patrol.PointCount);
        Assert.Equal(patrol.PointCount, await StoredPointsAsync(id));
        // Each stored batch's answer counts itself and whatever was committed before it, never more than the end figure.
        Assert.All(bodies.Where(b => !b!.Repeated), b => Assert.InRange(b!.PointCount, b.Accepted, patrol.PointCount));
    }

    [Fact]
    public async Task TwoWriters_CommittingBatchesOfOnePatrolAtOnce_LoseNoPointCount()
    {
        var (worker, place, id) = await OpenPatrolAsync();
        var userId = await WorkerIdAsync(id);
        var other = await StartOtherWriterAsync();
        try
        {
            var from = DateTimeOffset.UtcNow.AddMinutes(-4);
            var viaHttp = Enumerable.Range(0, 15).Select(i => worker.PostAsJsonAsync($"/api/patrols/{id}/points", Batch($"h-{i}", place, from, i * 10, 4), Ct));
            var viaOther = Enumerable.Range(0, 15).Select(i =>
                other.AppendAsync(id, userId, $"o-{i}", Points(place, from, (i * 10) + 2, 4), DateTimeOffset.UtcNow, Ct));
            var http = Task.WhenAll(viaHttp);
            var results = await Task.WhenAll(viaOther);
            Assert.All(await http, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
            Assert.All(results, r => Assert.Equal(TrackBatchOutcome.Stored, r.Outcome));

            var patrol = await ReadPatrolAsync(id);
            Assert.Equal(30 * 4, patrol.PointCount);
            Assert.Equal(patrol.PointCount, await StoredPointsAsync(id));
        }
        finally
        {
            await other.StopAsync(Ct);
            other.Dispose();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BatchesRacingTheEnd_AreMeasuredWithThePatrol_OrRefusedAsClosed_NeverStoredUnmeasured(bool endOnAnotherInstance)
    {
        var (worker, place, id) = await OpenPatrolAsync();
        var from = DateTimeOffset.UtcNow.AddMinutes(-4);
        await BodyAsync(await worker.PostAsJsonAsync($"/api/patrols/{id}/points", Batch("first", place, from, 0, 4), Ct), HttpStatusCode.OK);
        var other = endOnAnotherInstance ? await StartOtherWriterAsync() : null;
        try
        {
            var batches = Enumerable.Range(1, 20)
                .Select(i => worker.PostAsJsonAsync($"/api/patrols/{id}/points", Batch($"r-{i}", place, from, i * 20, 4), Ct)).ToList();
            await Task.Delay(5, Ct);
            var end = other is null
                ? worker.PostAsync($"/api/patrols/{id}/end", null, Ct)
                : other.EndAsync(id, await WorkerIdAsync(id), DateTimeOffset.UtcNow, Ct).ContinueWith(t => t.Result == PatrolEndOutcome.Ended
                    ? new HttpResponseMessage(HttpStatusCode.OK) : new HttpResponseMessage(HttpStatusCode.Conflict), Ct);
            var answers = await Task.WhenAll(batches);
            Assert.Equal(HttpStatusCode.OK, (await end).StatusCode);

            var stored = 0;
            foreach (var answer in answers)
            {
                if (answer.StatusCode == HttpStatusCode.OK)
                {
                    stored++;
                }
                else
                {
                    await ProblemAsync(answer, HttpStatusCode.Conflict, "/problems/patrol-closed");
                }
            }

            var patrol = await ReadPatrolAsync(id);
            Assert.Equal(PatrolStatus.Closed, patrol.Status);
            Assert.Equal(4 * (stored + 1), await StoredPointsAsync(id));
            Assert.Equal(4 * (stored + 1), patrol.PointCount);
            // Every stored point is in the measured track: a straight walk, every point kept.
            Assert.Equal(4 * (stored + 1), patrol.Track!.NumPoints);
        }
        finally
        {
            if (other is not null)
            {
                await other.StopAsync(Ct);
                other.Dispose();
            }
        }
    }

    [Fact]
    public async Task Stop_AnswersEveryBatchAlreadyQueued_AndRefusesLaterOnes()
    {
        var (_, place, id) = await OpenPatrolAsync();
        var userId = await WorkerIdAsync(id);
        var writer = await StartOtherWriterAsync();
        var from = DateTimeOffset.UtcNow.AddMinutes(-4);
        var queued = Enumerable.Range(0, 40).Select(i => writer.AppendAsync(id, userId, $"s-{i}", Points(place, from, i * 10, 2), DateTimeOffset.UtcNow, Ct)).ToList();

        await writer.StopAsync(Ct);

        Assert.All(await Task.WhenAll(queued), r => Assert.Equal(TrackBatchOutcome.Stored, r.Outcome));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            writer.AppendAsync(id, userId, "late", Points(place, from, 0, 2), DateTimeOffset.UtcNow, Ct));
        writer.Dispose();
        Assert.Equal(80, (await ReadPatrolAsync(id)).PointCount);
    }

    [Fact]
    public async Task NightlyClose_EndsPatrolsLeftOpenOnAnEarlierDay_AtTheirLastPoint_AsTheSystem_Once()
    {
        var (worker, place, id) = await OpenPatrolAsync();
        // From the start on (within the phones' clock allowance): a patrol never ends before it started.
        var from = (await ReadPatrolAsync(id)).StartedAt;
        await BodyAsync(await worker.PostAsJsonAsync($"/api/patrols/{id}/points", Batch("n-1", place, from, 0, 10), Ct), HttpStatusCode.OK);
        var lastPoint = from.AddSeconds(45);
        var today = PatrolTracks.BeijingDay(DateTimeOffset.UtcNow);
        // Ten past midnight, Beijing time, the next day: today's patrol was left open on an earlier day.
        var tomorrow = new DateTimeOffset(today.AddDays(1).ToDateTime(new TimeOnly(0, 10)), WorkCalendar.BeijingOffset).ToUniversalTime();
        var userId = await WorkerIdAsync(id);
        var fresh = new Patrol(userId, "夜班", place.ThirdCode, tomorrow.AddMinutes(-5), today.AddDays(1));
        await app.WithDatabaseAsync(async db => { db.Patrols.Add(fresh); return await db.SaveChangesAsync(Ct); });
        var clock = new ManualTime(tomorrow);
        var runner = ActivatorUtilities.CreateInstance<JobRunner>(app.Services, (TimeProvider)clock);

        var run = await runner.RunNowAsync("patrol-nightly-close", Ct);

        Assert.Equal(JobRunOutcome.Succeeded, run.Outcome);
        Assert.True(run.Done >= 1);
        var ended = await ReadPatrolAsync(id);
        Assert.Equal(PatrolStatus.Closed, ended.Status);
        Assert.True(ended.EndedBySystem);
        Assert.Equal(lastPoint.ToUnixTimeMilliseconds(), ended.EndedAt!.Value.ToUnixTimeMilliseconds());
        Assert.InRange(ended.WalkedMeters, 45, 55);
        Assert.Equal(10, ended.Track!.NumPoints);
        Assert.Contains(await app.WithDatabaseAsync(db => db.PatrolGridVisits.IgnoreQueryFilters().Where(v => v.PatrolId == id).Select(v => v.GridCode).ToListAsync(Ct)),
            code => code == place.GridCode);
        Assert.Equal(PatrolStatus.Open, (await ReadPatrolAsync(fresh.Id)).Status);

        // The worker's phone is told it has ended; a second run ends nothing more.
        var mine = await worker.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/patrols/mine", Ct);
        Assert.True(mine.EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == id).GetProperty("endedBySystem").GetBoolean());
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await runner.RunNowAsync("patrol-nightly-close", Ct)).Done);
    }

    private async Task<(HttpClient Worker, DemoPlace Place, Guid Id)> OpenPatrolAsync()
    {
        var place = await _scenario.CertainPlaceAsync();
        var name = CivicGridApp.UniqueName("walker");
        await app.CreateUserAsync(name, place.ThirdCode, Role.GridWorker);
        var worker = await app.ClientForAsync(name);
        var started = await BodyAsync(await worker.PostAsync("/api/patrols", null, Ct), HttpStatusCode.Created);
        return (worker, place, started.GetProperty("id").GetGuid());
    }

    /// <summary>Another server instance's writer on the same database.</summary>
    private async Task<TrackWriter> StartOtherWriterAsync()
    {
        var writer = ActivatorUtilities.CreateInstance<TrackWriter>(app.Services);
        await writer.StartAsync(Ct);
        return writer;
    }

    private Task<Patrol> ReadPatrolAsync(Guid id) =>
        app.WithDatabaseAsync(db => db.Patrols.IgnoreQueryFilters().AsNoTracking().SingleAsync(p => p.Id == id, Ct));

    private Task<Guid> WorkerIdAsync(Guid id) => app.WithDatabaseAsync(db => db.Patrols.IgnoreQueryFilters().Where(p => p.Id == id).Select(p => p.WorkerId).SingleAsync(Ct));

    private Task<int> StoredPointsAsync(Guid id) =>
        app.WithDatabaseAsync(db => db.PatrolBatches.IgnoreQueryFilters().Where(b => b.PatrolId == id).SumAsync(b => b.Count, Ct));

    /// <summary>
    /// A stretch of one walk north from the place at 1.1 m/s that began at <paramref name="origin"/>: <paramref name="count"/>
    /// points 5 s apart from <paramref name="firstSecond"/> seconds into it, 8 m accuracy.
    /// </summary>
    private static TrackPoint[] Points(DemoPlace place, DateTimeOffset origin, int firstSecond, int count) =>
        [.. Enumerable.Range(0, count).Select(i => firstSecond + (i * 5))
            .Select(t => new TrackPoint(origin.AddSeconds(t), place.Lon, place.Lat + (t * 1.1 / MetersPerDegreeLat), 8))];

    private static TrackBatchRequest Batch(string batchId, DemoPlace place, DateTimeOffset origin, int firstSecond, int count) =>
        new(batchId, [.. Points(place, origin, firstSecond, count).Select(p => new TrackPointRequest(p.At, p.Lon, p.Lat, p.AccuracyMeters, null))]);
}

public sealed class TrackWriterTestsOnSqlite(SqliteApp app) : TrackWriterTests(app), IClassFixture<SqliteApp>;

public sealed class TrackWriterTestsOnPostgres(PostgresApp app) : TrackWriterTests(app), IClassFixture<PostgresApp>;
