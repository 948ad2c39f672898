using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Server.Tests.Http;

/// <summary>The work calendar: seeded with the State Council's 2025 and 2026 notices, extended by the system admin each November.</summary>
public abstract class CalendarApiTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Get_ShowsTheSeededNoticesAndWarnsThatNextYearIsMissing()
    {
        using var client = await app.ClientForAsync("ops");

        var calendar = await client.GetFromJsonAsync<JsonElement>("/api/calendar", Ct);

        Assert.Contains(2026, calendar.GetProperty("configuredYears").EnumerateArray().Select(y => y.GetInt32()));
        Assert.Equal(7, calendar.GetProperty("workingHoursPerDay").GetDouble());
        var days2026 = calendar.GetProperty("definition").GetProperty("years").GetProperty("2026").EnumerateArray().ToList();
        Assert.Contains(days2026, d => d.GetProperty("date").GetString() == "2026-02-14" && d.GetProperty("kind").GetString() == "workday");
        Assert.Contains(days2026, d => d.GetProperty("date").GetString() == "2026-10-01" && d.GetProperty("kind").GetString() == "holiday");
    }

    [Fact]
    public async Task Put_OfAnInvalidCalendar_ListsEveryProblemInBothLanguagesAndChangesNothing()
    {
        using var admin = await app.ClientForAsync("admin");
        var current = await admin.GetFromJsonAsync<JsonObject>("/api/calendar", Ct);
        var definition = current!["definition"]!.AsObject();
        definition["workingPeriods"] = new JsonArray("08:30-12:00", "11:00-17:30");
        definition["years"]!.AsObject()["2031"] = new JsonArray(new JsonObject { ["date"] = "2031-01-08", ["kind"] = "workday", ["name"] = "元旦" });

        var response = await admin.PutAsJsonAsync("/api/calendar", definition, Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var after = await admin.GetFromJsonAsync<JsonElement>("/api/calendar", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problems = problem.GetProperty("problems").EnumerateArray().ToList();
        Assert.True(problems.Count >= 2, "the overlapping periods and the make-up day on a Wednesday are both reported");
        Assert.All(problems, p => Assert.False(string.IsNullOrEmpty(p.GetProperty("messageEn").GetString())));
        Assert.DoesNotContain(2031, after.GetProperty("configuredYears").EnumerateArray().Select(y => y.GetInt32()));
        Assert.Equal(["08:30-12:00", "14:00-17:30"], after.GetProperty("definition").GetProperty("workingPeriods").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task Put_ByTheSystemAdmin_AddsNextYearsNoticeAndDeadlinesUseIt()
    {
        using var admin = await app.ClientForAsync("admin");
        var current = await admin.GetFromJsonAsync<JsonObject>("/api/calendar", Ct);
        var definition = current!["definition"]!.AsObject();
        definition["years"]!.AsObject()["2027"] = new JsonArray(
            new JsonObject { ["date"] = "2027-01-01", ["kind"] = "holiday", ["name"] = "元旦" });

        var response = await admin.PutAsJsonAsync("/api/calendar", definition, Ct);
        var saved = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var calendar = await app.WithDatabaseAsync(async _ =>
            await app.Services.GetRequiredService<Features.Calendar.WorkCalendarProvider>().GetAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(2027, saved.GetProperty("configuredYears").EnumerateArray().Select(y => y.GetInt32()));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));
        Assert.Equal("元旦", calendar.HolidayName(new DateOnly(2027, 1, 1)));
    }

    [Theory]
    [InlineData("ops")]
    [InlineData("secadmin")]
    public async Task Put_ByAnyoneButTheSystemAdmin_IsForbidden(string userName)
    {
        using var client = await app.ClientForAsync(userName);

        var response = await client.PutAsJsonAsync("/api/calendar", new { }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}

public sealed class CalendarApiTestsOnSqlite(SqliteApp app) : CalendarApiTests(app), IClassFixture<SqliteApp>;

public sealed class CalendarApiTestsOnPostgres(PostgresApp app) : CalendarApiTests(app), IClassFixture<PostgresApp>;
