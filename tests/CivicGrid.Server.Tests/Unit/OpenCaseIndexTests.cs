using CivicGrid.Domain.Cases;
using CivicGrid.Server.Features.Cases;
using Microsoft.Extensions.Logging.Abstractions;
using CivicGrid.Server.Features.Cases.Duplicates;

namespace CivicGrid.Server.Tests.Unit;

/// <summary>The in-memory index of open cases the duplicate search reads: what it holds, what it answers, and that an older state never overwrites a newer one.</summary>
public sealed class OpenCaseIndexTests
{
    private const double Lon = 108.95;
    private const double Lat = 34.25;
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 4, 0, 0, TimeSpan.Zero);
    private static readonly HashSet<string> Rubbish = ["E0101", "E0102"];

    private readonly OpenCaseIndex _index = new(NullLogger<OpenCaseIndex>.Instance);

    [Fact]
    public void Search_AnswersOpenCasesOfTheCategoriesInTheBoxAndPeriod_Only()
    {
        _index.Apply(Open("A", "E0101", Lon, Lat, Now.AddHours(-1)));
        _index.Apply(Open("B", "E0102", Lon + 0.0005, Lat, Now.AddDays(-2)));
        _index.Apply(Open("OtherKind", "C0101", Lon, Lat, Now.AddHours(-1)));
        _index.Apply(Open("Far", "E0101", Lon + 0.01, Lat, Now.AddHours(-1)));
        _index.Apply(Open("Old", "E0101", Lon, Lat, Now.AddDays(-9)));
        _index.Apply(Open("Later", "E0101", Lon, Lat, Now.AddHours(1)));
        _index.Apply(Open("Closed", "E0101", Lon, Lat, Now.AddHours(-1)) with { Status = CaseStatus.Closed });

        var found = Box(Now.AddDays(-7), Now);

        Assert.Equal(["A", "B"], found.Select(c => c.Number).Order());
        Assert.Equal(7 - 1, _index.Count);
    }

    [Fact]
    public void Search_InAHotspot_KeepsTheMostRecentlyReported()
    {
        for (var i = 0; i < 30; i++)
        {
            _index.Apply(Open($"H{i:D2}", "E0101", Lon + (i * 0.00001), Lat, Now.AddMinutes(-i)));
        }

        var found = Search(Lon - 0.001, Lat - 0.001, Lon + 0.001, Lat + 0.001, Now.AddDays(-7), Now, Rubbish, limit: 5);

        Assert.Equal(["H00", "H01", "H02", "H03", "H04"], found.Select(c => c.Number).Order());
    }

    [Fact]
    public void Search_InAHotspotFilledOutOfOrder_AnswersTheMostRecentFirst()
    {
        // Reports arrive (and reloads apply them) in any order; the answer is still the newest, newest first.
        var minutes = Enumerable.Range(0, 200).Select(i => (i * 37) % 200).ToList();
        foreach (var m in minutes)
        {
            _index.Apply(Open($"H{m:D3}", "E0101", Lon + ((m % 7) * 0.0001), Lat, Now.AddMinutes(-m)));
        }

        var found = Search(Lon - 0.001, Lat - 0.001, Lon + 0.001, Lat + 0.001, Now.AddDays(-7), Now, Rubbish, limit: 10);

        Assert.Equal(Enumerable.Range(0, 10).Select(m => $"H{m:D3}"), found.Select(c => c.Number));
    }

    [Fact]
    public void Apply_ClosingAndMovingCasesInACell_LeavesEveryOtherCaseFindable()
    {
        for (var i = 0; i < 12; i++)
        {
            _index.Apply(Open($"C{i:D2}", "E0101", Lon + (i * 0.00001), Lat, Now.AddMinutes(-i)) with { Version = 1 });
        }

        foreach (var closed in new[] { 0, 5, 11, 6 })
        {
            _index.Apply(Open($"C{closed:D2}", "E0101", Lon, Lat, Now.AddMinutes(-closed)) with { Status = CaseStatus.Closed, Version = 2 });
        }

        _index.Apply(Open("C03", "E0101", Lon + 0.02, Lat + 0.02, Now.AddMinutes(-3)) with { Version = 2 });
        _index.Apply(Open("C07", "E0101", Lon + 0.00002, Lat, Now.AddMinutes(-7)) with { Version = 2 });   // moved within the cell

        Assert.Equal(["C01", "C02", "C04", "C07", "C08", "C09", "C10"], Box(Now.AddDays(-7), Now).Select(c => c.Number).Order());
        Assert.Equal("C03", Assert.Single(Search(Lon + 0.019, Lat + 0.019, Lon + 0.021, Lat + 0.021, Now.AddDays(-7), Now, Rubbish, 100)).Number);
        Assert.Equal(8, _index.Count);
    }

    [Fact]
    public void Apply_OfAFinalState_RemovesTheCase_AndAnOlderOpenStateCannotBringItBack()
    {
        _index.Apply(Open("A", "E0101", Lon, Lat, Now.AddHours(-1)) with { Version = 3 });
        _index.Apply(Open("A", "E0101", Lon, Lat, Now.AddHours(-1)) with { Status = CaseStatus.Merged, Version = 4 });
        _index.Apply(Open("A", "E0101", Lon, Lat, Now.AddHours(-1)) with { Version = 3 });

        Assert.Empty(Box(Now.AddDays(-7), Now));
        Assert.Equal(0, _index.Count);
    }

    [Fact]
    public void Apply_OfAMovedOrRecategorisedCase_FindsItOnlyWhereItIsNow()
    {
        _index.Apply(Open("A", "E0101", Lon, Lat, Now.AddHours(-1)) with { Version = 1 });
        _index.Apply(Open("A", "E0101", Lon + 0.02, Lat + 0.02, Now.AddHours(-1)) with { Version = 2 });

        Assert.Empty(Box(Now.AddDays(-7), Now));
        var there = Search(Lon + 0.019, Lat + 0.019, Lon + 0.021, Lat + 0.021, Now.AddDays(-7), Now, Rubbish, 100);
        Assert.Equal("A", Assert.Single(there).Number);

        _index.Apply(Open("A", "C0101", Lon + 0.02, Lat + 0.02, Now.AddHours(-1)) with { Version = 3 });
        Assert.Empty(Search(Lon + 0.019, Lat + 0.019, Lon + 0.021, Lat + 0.021, Now.AddDays(-7), Now, Rubbish, 100));
    }

    [Fact]
    public void Search_AcrossCellEdges_MissesNothingInTheBox()
    {
        // Points on both sides of cell boundaries (cells are 0.001°), west of Greenwich and south of the equator too.
        var points = new[] { (Lon, Lat), (-0.0004, -0.0004), (0.0104, 0.0104), (-73.98501, 40.74801), (151.2, -33.87) };
        var n = 0;
        foreach (var (lon, lat) in points)
        {
            for (var dx = -3; dx <= 3; dx++)
            {
                for (var dy = -3; dy <= 3; dy++)
                {
                    _index.Apply(Open($"P{n++}", "E0101", lon + (dx * 0.0003), lat + (dy * 0.0003), Now.AddHours(-1)));
                }
            }

            var found = Search(lon - 0.00091, lat - 0.00091, lon + 0.00091, lat + 0.00091, Now.AddDays(-7), Now, Rubbish, 1000);
            Assert.Equal(49, found.Count);
        }
    }

    [Fact]
    public void Search_UntilATimeReadBackFromTheDatabase_FindsTheCaseReportedThen()
    {
        // Reported with the clock's full precision; SQLite gives back whole milliseconds, PostgreSQL microseconds.
        var reported = new DateTimeOffset(2026, 11, 27, 3, 59, 59, TimeSpan.Zero).AddTicks(1_234_567);
        _index.Apply(Open("A", "E0101", Lon, Lat, reported));
        var fromSqlite = DateTimeOffset.FromUnixTimeMilliseconds(reported.ToUnixTimeMilliseconds());
        var fromPostgres = new DateTimeOffset(reported.UtcTicks - (reported.UtcTicks % 10), TimeSpan.Zero);

        Assert.Equal("A", Assert.Single(Box(fromSqlite.AddDays(-7), fromSqlite)).Number);
        Assert.Equal("A", Assert.Single(Box(fromPostgres.AddDays(-7), fromPostgres)).Number);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Search_AfterThousandsOfAddsChangesMovesClosesAndStaleStates_AnswersWhatAFullScanWould(int seed)
    {
        // The cells keep their entries in report-time order, leave holes on removal and stop a search early; this
        // checks every answer against a plain scan of the latest state of every case, over a random history.
        var random = new Random(seed);
        var latest = new Dictionary<string, OpenCase>(StringComparer.Ordinal);
        string[] codes = ["E0101", "E0102", "C0101"];
        var clock = Now.AddDays(-10);
        var searches = 0;
        for (var step = 0; step < 6_000; step++)
        {
            var roll = random.Next(100);
            if (roll < 45 || latest.Count == 0)
            {
                // A new report: mostly the latest, sometimes older (another instance's, read by a reload).
                clock = clock.AddMilliseconds(random.Next(0, 3) * 60_000);
                var at = random.Next(5) == 0 ? clock.AddMinutes(-random.Next(0, 20_000)) : clock;
                Put(new OpenCase($"N{step}", codes[random.Next(codes.Length)], CaseStatus.Reported, at, RandomLon(), RandomLat(), 1));
            }
            else
            {
                var pick = latest.Values.ElementAt(random.Next(latest.Count));
                var next = pick with { Version = pick.Version + 1 };
                next = random.Next(6) switch
                {
                    0 => next with { Status = CaseStatus.Closed },
                    1 => next with { Lon = RandomLon(), Lat = RandomLat() },
                    2 => next with { CategoryCode = codes[random.Next(codes.Length)] },
                    3 => pick,   // the same state again, as a reload reads it
                    4 => pick with { Version = pick.Version - 1, Status = CaseStatus.Closed },   // an older state: ignored
                    _ => next with { Status = CaseStatus.Assigned },
                };
                Put(next);
            }

            if (step % 20 == 0)
            {
                searches++;
                var (lon, lat) = (RandomLon(), RandomLat());
                var half = random.NextDouble() * 0.002;
                var until = clock.AddMinutes(-random.Next(0, 2_000));
                var since = until.AddDays(-random.Next(1, 8));
                var wanted = new HashSet<string>(codes.Where(_ => random.Next(2) == 0), StringComparer.Ordinal) { codes[random.Next(codes.Length)] };
                var limit = random.Next(1, 30);

                var found = Search(lon - half, lat - half, lon + half, lat + half, since, until, wanted, limit);

                var expected = latest.Values.Where(c => !c.Status.IsFinal() && wanted.Contains(c.CategoryCode)
                        && c.Lon >= lon - half && c.Lon <= lon + half && c.Lat >= lat - half && c.Lat <= lat + half
                        && c.ReportedAt >= since && c.ReportedAt <= until)
                    .OrderByDescending(c => c.ReportedAt).ToList();
                Assert.Equal(expected.Take(limit).Select(c => c.ReportedAt), found.Select(c => c.ReportedAt));
                Assert.All(found, c => Assert.Contains(c, expected));
            }
        }

        Assert.Equal(latest.Values.Count(c => !c.Status.IsFinal()), _index.Count);
        Assert.Equal(300, searches);

        void Put(OpenCase state)
        {
            _index.Apply(state);
            if (!latest.TryGetValue(state.Number, out var known) || known.Version <= state.Version)
            {
                latest[state.Number] = state;
            }
        }

        // A few cells: cases crowd into the same ones, as in a hotspot.
        double RandomLon() => Lon + (random.Next(0, 40) * 0.0001);

        double RandomLat() => Lat + (random.Next(0, 40) * 0.0001);
    }

    private List<OpenCase> Search(double minLon, double minLat, double maxLon, double maxLat, DateTimeOffset since, DateTimeOffset until,
        IReadOnlySet<string> categories, int limit)
    {
        var matches = _index.Search(minLon, minLat, maxLon, maxLat, since, until, categories, limit);
        Assert.All(matches, m => Assert.Equal((m.Lon, m.Lat, m.ReportedAtTicks), (m.Case.Lon, m.Case.Lat, m.Case.ReportedAt.UtcTicks)));
        return [.. matches.Select(m => m.Case)];
    }

    private List<OpenCase> Box(DateTimeOffset since, DateTimeOffset until) =>
        Search(Lon - 0.001, Lat - 0.001, Lon + 0.001, Lat + 0.001, since, until, Rubbish, 100);

    private static OpenCase Open(string number, string category, double lon, double lat, DateTimeOffset reportedAt) =>
        new(number, category, CaseStatus.Reported, reportedAt, lon, lat, Version: 1);
}
