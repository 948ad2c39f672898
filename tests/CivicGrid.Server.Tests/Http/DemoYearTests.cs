using System.Net;
using System.Text.Json;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Tests.Infrastructure;
using static CivicGrid.Server.Tests.Infrastructure.HttpAnswers;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The demo's year of activity, read the way outside tools read it (<c>GET /api/assessment/results</c>): the last
/// complete quarter before the demo was seeded has real case-loop figures for the main subdistrict's 3rd-level grids,
/// with late and reworked cases among them and grids that differ, so rankings mean something.
/// </summary>
public abstract class DemoYearTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The quarter before the current one in Beijing time, e.g. 2026-Q3 in December 2026.</summary>
    private static string LastCompleteQuarter()
    {
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var quarter = ((today.Month - 1) / 3) + 1;
        return quarter == 1 ? $"{today.Year - 1}-Q4" : $"{today.Year}-Q{quarter - 1}";
    }

    private async Task<List<Dictionary<string, JsonElement>>> ThirdLevelGridsAsync()
    {
        var ops = await app.ClientForAsync(DemoAccounts.Operator);
        var body = await BodyAsync(await ops.GetAsync($"/api/assessment/results?period={LastCompleteQuarter()}&subject=grid&level=grid-3", Ct),
            HttpStatusCode.OK);
        Assert.False(body.GetProperty("provisional").GetBoolean() && !body.GetProperty("periodEnded").GetBoolean());
        return [.. body.GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("code").GetString()!.StartsWith(DemoSubdistrictGenerator.SubdistrictCode, StringComparison.Ordinal))
            .Select(r => r.GetProperty("indicators").EnumerateArray().ToDictionary(l => l.GetProperty("code").GetString()!))];
    }

    private static double Numerator(Dictionary<string, JsonElement> lines, string code) => lines[code].GetProperty("numerator").GetDouble();

    private static double Denominator(Dictionary<string, JsonElement> lines, string code) => lines[code].GetProperty("denominator").GetDouble();

    [Fact]
    public async Task LastQuarter_OnTimeHandling_IsCountedForMostGrids_AndDiffers()
    {
        var grids = await ThirdLevelGridsAsync();

        Assert.True(grids.Count >= 20, $"{grids.Count} grids");
        Assert.True(grids.Count(g => Denominator(g, "on-time-handling") > 0) >= 0.9 * grids.Count);
        Assert.True(grids.Count(g => Denominator(g, "on-time-acceptance") > 0) >= 0.9 * grids.Count);
        var values = grids.Where(g => Denominator(g, "on-time-handling") > 0).Select(g => g["on-time-handling"].GetProperty("value").GetDouble()).ToList();
        // A quarter holds a dozen cases or so per grid, so values repeat; still they spread, and a good share of grids is below 90 %.
        Assert.True(values.Distinct().Count() >= 10, $"on-time handling takes only {values.Distinct().Count()} values");
        Assert.True(values.Count(v => v < 0.9) >= values.Count / 5, $"{values.Count(v => v < 0.9)} of {values.Count} grids below 90 %");
        Assert.True(values.Max() - values.Min() >= 0.1, $"on-time handling spans only {values.Min()}–{values.Max()}");
    }

    [Fact]
    public async Task LastQuarter_HasLateReworkedSupervisedAndRatedCases()
    {
        var grids = await ThirdLevelGridsAsync();

        // Some cases were handled late or accepted late, and the late ones are a minority.
        var late = grids.Sum(g => Denominator(g, "on-time-handling") - Numerator(g, "on-time-handling"));
        Assert.InRange(late / grids.Sum(g => Denominator(g, "on-time-handling")), 0.02, 0.4);
        Assert.True(grids.Sum(g => Denominator(g, "on-time-acceptance") - Numerator(g, "on-time-acceptance")) > 0);
        Assert.True(grids.Sum(g => Numerator(g, "overdue-rate")) > 0);

        // Reworked, supervised and escalated cases exist; residents rated, mostly satisfied.
        Assert.True(grids.Sum(g => Numerator(g, "rework-rate")) > 0);
        Assert.True(grids.Sum(g => Numerator(g, "supervised-cases")) > 0);
        Assert.True(grids.Sum(g => Denominator(g, "lowest-level") - Numerator(g, "lowest-level")) > 0);
        var rated = grids.Sum(g => Denominator(g, "satisfaction"));
        Assert.True(rated > 0);
        Assert.InRange(grids.Sum(g => Numerator(g, "satisfaction")) / rated, 0.6, 0.97);
        Assert.InRange(grids.Sum(g => Numerator(g, "closure-rate")) / grids.Sum(g => Denominator(g, "closure-rate")), 0.8, 1.0);
    }

    [Fact]
    public async Task LastQuarter_Evidence_ListsLateCasesOfAWeakGrid()
    {
        var ops = await app.ClientForAsync(DemoAccounts.Operator);
        var period = LastCompleteQuarter();
        var body = await BodyAsync(await ops.GetAsync($"/api/assessment/results?period={period}&subject=grid&level=grid-3", Ct), HttpStatusCode.OK);
        var weakest = body.GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("code").GetString()!.StartsWith(DemoSubdistrictGenerator.SubdistrictCode, StringComparison.Ordinal))
            .Select(r => (Code: r.GetProperty("code").GetString()!, Line: r.GetProperty("indicators").EnumerateArray().Single(l => l.GetProperty("code").GetString() == "on-time-handling")))
            .Where(r => r.Line.GetProperty("denominator").GetDouble() > 0)
            .MinBy(r => r.Line.GetProperty("value").GetDouble());

        var evidence = await BodyAsync(await ops.GetAsync($"/api/assessment/results/{weakest.Code}/indicators/on-time-handling/evidence?period={period}", Ct),
            HttpStatusCode.OK);
        var records = evidence.GetProperty("evidence").EnumerateArray().ToList();
        Assert.Equal(weakest.Line.GetProperty("denominator").GetDouble(), records.Count);
        Assert.Contains(records, r => !r.GetProperty("onTime").GetBoolean());
    }

    /// <summary>
    /// Indicators that by their nature count only some subjects: door-knock weeks only where a department's liaison is sunk,
    /// supervised cases only where a case ran late (none is the good value).
    /// </summary>
    private static readonly HashSet<string> ForSomeOnly = ["door-knock-weeks", "supervised-cases"];

    private async Task<(List<JsonElement> Subjects, Dictionary<string, List<JsonElement>> Lines)> LastQuarterAsync(string query)
    {
        var ops = await app.ClientForAsync(DemoAccounts.Operator);
        var body = await BodyAsync(await ops.GetAsync($"/api/assessment/results?period={LastCompleteQuarter()}&{query}", Ct), HttpStatusCode.OK);
        var subjects = body.GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("code").GetString()!.StartsWith(DemoSubdistrictGenerator.SubdistrictCode, StringComparison.Ordinal)
                || query.Contains("worker", StringComparison.Ordinal)).ToList();
        var lines = subjects.SelectMany(r => r.GetProperty("indicators").EnumerateArray()).GroupBy(l => l.GetProperty("code").GetString()!)
            .ToDictionary(g => g.Key, g => g.ToList());
        return (subjects, lines);
    }

    /// <summary>A line with something counted: a rate with a denominator, a count or score above zero.</summary>
    private static bool HasData(JsonElement line) => line.GetProperty("denominator") is { ValueKind: JsonValueKind.Number } whole
        ? whole.GetDouble() > 0
        : line.GetProperty("value") is { ValueKind: JsonValueKind.Number } value && value.GetDouble() > 0;

    private static double? Value(JsonElement line) => line.GetProperty("value") is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null;

    [Theory]
    [InlineData("subject=grid&level=grid-3", 26)]
    [InlineData("subject=worker", 18)]
    public async Task LastQuarter_EveryIndicator_HasDataForMostSubjects_ValuesDiffer_AndStarsSpread(string query, int indicators)
    {
        var (subjects, lines) = await LastQuarterAsync(query);

        Assert.True(subjects.Count >= 20, $"{subjects.Count} subjects");
        Assert.True(lines.Count >= indicators, $"only {lines.Count} indicators: {string.Join(", ", lines.Keys)}");
        foreach (var (code, all) in lines)
        {
            var withData = all.Count(HasData);
            var values = all.Select(Value).OfType<double>().Distinct().Count();
            Assert.True(values >= 2, $"{code}: every subject has the same value");
            Assert.True(ForSomeOnly.Contains(code) ? withData > 0 : withData >= all.Count / 2, $"{code}: {withData} of {all.Count} subjects have data");
        }

        var stars = subjects.Select(s => s.GetProperty("stars")).Where(s => s.ValueKind == JsonValueKind.Number).Select(s => s.GetInt32()).Distinct().Count();
        Assert.True(stars >= 3, $"stars take only {stars} levels");
    }
}

public sealed class DemoYearTestsOnSqlite(SqliteApp app) : DemoYearTests(app), IClassFixture<SqliteApp>;

public sealed class DemoYearTestsOnPostgres(PostgresApp app) : DemoYearTests(app), IClassFixture<PostgresApp>;
