using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Calendar;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Tests.Http;

/// <summary>The case catalogue: seeded for every installation, read by anyone who reports, kept by the system admin.</summary>
public abstract class CatalogueApiTests(CivicGridApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_WithoutLogin_OffersTheStandardCatalogueWithConditionsAndLimits()
    {
        using var client = app.CreateClient();

        var categories = await client.GetFromJsonAsync<JsonElement>("/api/categories", Ct);

        var byCode = categories.EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!);
        Assert.True(byCode.Count >= StandardCatalogue.Categories().Count);
        var garbage = byCode["E0101"];
        Assert.Equal("市容环境", garbage.GetProperty("majorName").GetString());
        Assert.Equal("working-hours", garbage.GetProperty("timeLimitUnit").GetString());
        Assert.Equal("dept-urban", garbage.GetProperty("responsibleDepartmentCode").GetString());
        Assert.False(string.IsNullOrEmpty(garbage.GetProperty("closingCondition").GetString()));
        Assert.Equal("working-days", byCode["G0101"].GetProperty("timeLimitUnit").GetString());
        Assert.False(byCode["G0202"].GetProperty("photoRequired").GetBoolean());
    }

    [Fact]
    public async Task CreateAndRetire_ByTheSystemAdmin_ChangesWhatIsOffered()
    {
        // E0150–E0189: E0110–E0149 are HotlineImportTests' and E0197–E0199 are fixed codes of the refusal tests here and in the
        // scope matrix, which must never meet an existing category (a draw of E0198 once turned a 400 into a 409).
        var code = "E01" + Random.Shared.Next(50, 90).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var admin = await app.ClientForAsync("admin");
        var body = new
        {
            code, name = "餐厨垃圾外溢", majorCode = "E01", majorName = "市容环境", defaultTier = "green", timeLimit = 2, timeLimitUnit = "working-days",
            responsibleDepartmentCode = "dept-urban", acceptanceCondition = "有照片和位置", closingCondition = "已清运", photoRequired = true,
        };

        var created = await admin.PostAsJsonAsync("/api/categories", body, Ct);
        var duplicate = await admin.PostAsJsonAsync("/api/categories", body, Ct);
        var updated = await admin.PutAsJsonAsync($"/api/categories/{code}", body with { name = "餐厨垃圾外溢（含油污）" }, Ct);
        var retire = await admin.PutAsJsonAsync($"/api/categories/{code}", new
        {
            name = "餐厨垃圾外溢", majorCode = "E01", majorName = "市容环境", defaultTier = "green", timeLimit = 2, timeLimitUnit = "working-days", isActive = false,
        }, Ct);
        using var anonymous = app.CreateClient();
        var offered = await anonymous.GetFromJsonAsync<JsonElement>("/api/categories", Ct);
        var all = await anonymous.GetFromJsonAsync<JsonElement>("/api/categories?includeRetired=true", Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retire.StatusCode);
        Assert.DoesNotContain(offered.EnumerateArray(), c => c.GetProperty("code").GetString() == code);
        Assert.Contains(all.EnumerateArray(), c => c.GetProperty("code").GetString() == code && !c.GetProperty("isActive").GetBoolean());
    }

    [Fact]
    public async Task Create_WithBadFields_NamesEachField()
    {
        using var admin = await app.ClientForAsync("admin");

        var response = await admin.PostAsJsonAsync("/api/categories", new { code = "E0198", name = "", majorCode = "C01", defaultTier = "Purple", timeLimit = 0, timeLimitUnit = "hours" }, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        using var problem = JsonDocument.Parse(body);
        var errors = problem.RootElement.GetProperty("errors");
        foreach (var field in new[] { "name", "majorCode", "majorName", "defaultTier", "timeLimitUnit" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}");
        }
    }

    [Fact]
    public async Task UrgentKinds_CountNaturalTime_AndTheAdminCanGiveAKindANaturalLimit()
    {
        using var anonymous = app.CreateClient();
        var standard = (await anonymous.GetFromJsonAsync<JsonElement>("/api/categories", Ct)).EnumerateArray()
            .ToDictionary(c => c.GetProperty("code").GetString()!);
        Assert.Equal("natural-hours", standard["E0403"].GetProperty("timeLimitUnit").GetString());
        Assert.True(standard["E0403"].GetProperty("countsNaturalTime").GetBoolean());
        Assert.False(standard["E0101"].GetProperty("countsNaturalTime").GetBoolean());

        // E0550–E0589: no other test creates E05 codes.
        var code = "E05" + Random.Shared.Next(50, 90).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var admin = await app.ClientForAsync("admin");
        var body = new
        {
            code, name = "窨井冒溢", majorCode = "E05", majorName = "街面秩序", defaultTier = "green", timeLimit = 366, timeLimitUnit = "natural-days",
        };
        var tooLong = await admin.PostAsJsonAsync("/api/categories", body, Ct);
        var created = await admin.PostAsJsonAsync("/api/categories", body with { timeLimit = 6, timeLimitUnit = "natural-hours" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var problem = await tooLong.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("处置时限应为 1 到 365个自然日。", problem.GetProperty("errors").GetProperty("timeLimit")[0].GetString());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var stored = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(("natural-hours", true), (stored.GetProperty("timeLimitUnit").GetString(), stored.GetProperty("countsNaturalTime").GetBoolean()));
    }

    [Fact]
    public async Task Upgrade_MovesUrgentKindsStillAtTheOldStandard_AndLeavesLimitsAnAdminChose()
    {
        // As an installation from before: E0402 still at the old standard (8 working hours), E0404 changed by its admin to 6.
        await app.WithDatabaseAsync(db => db.CaseCategories.Where(c => c.Code == "E0402" || c.Code == "E0404")
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.TimeLimitUnit, TimeLimitUnit.WorkingHours)
                .SetProperty(c => c.TimeLimit, c => c.Code == "E0402" ? 8 : 6), Ct));
        try
        {
            await app.WithDatabaseAsync(db => db.Database.ExecuteSqlRawAsync(Features.Catalogue.CatalogueUpgrades.UrgentKindsCountNaturalTimeSql(), Ct));

            var after = await app.WithDatabaseAsync(db => db.CaseCategories.AsNoTracking().Where(c => c.Code == "E0402" || c.Code == "E0404")
                .ToDictionaryAsync(c => c.Code, c => (c.TimeLimit, c.TimeLimitUnit), Ct));
            Assert.Equal((8, TimeLimitUnit.NaturalHours), after["E0402"]);
            Assert.Equal((6, TimeLimitUnit.WorkingHours), after["E0404"]);
        }
        finally
        {
            await app.WithDatabaseAsync(db => db.CaseCategories.Where(c => c.Code == "E0402" || c.Code == "E0404")
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.TimeLimitUnit, TimeLimitUnit.NaturalHours)
                    .SetProperty(c => c.TimeLimit, c => c.Code == "E0402" ? 8 : 4), Ct));
        }
    }

    [Theory]
    [InlineData("ops")]
    [InlineData("secadmin")]
    [InlineData("resident001")]
    public async Task Create_ByAnyoneButTheSystemAdmin_IsForbidden(string userName)
    {
        using var client = await app.ClientForAsync(userName);

        var response = await client.PostAsJsonAsync("/api/categories", new { code = "E0197" }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public void DueAt_CountsTheLimitTimesTheColourOnTheWorkCalendar()
    {
        var garbage = StandardCatalogue.Categories().Single(c => c.Code == "E0101"); // 4 working hours
        var dispute = StandardCatalogue.Categories().Single(c => c.Code == "G0101"); // 10 working days
        var fridayFive = new DateTimeOffset(2026, 11, 27, 17, 0, 0, TimeSpan.FromHours(8));
        var calendar = ChineseHolidays.Default;

        Assert.Equal(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.FromHours(8)), garbage.DueAt(calendar, fridayFive, CaseTier.Green));
        Assert.Equal(calendar.AddWorkingHours(fridayFive, 8), garbage.DueAt(calendar, fridayFive, CaseTier.Yellow));
        Assert.Equal(calendar.AddWorkingDays(fridayFive, 10), dispute.DueAt(calendar, fridayFive, CaseTier.Green));
    }
}

public sealed class CatalogueApiTestsOnSqlite(SqliteApp app) : CatalogueApiTests(app), IClassFixture<SqliteApp>;

public sealed class CatalogueApiTestsOnPostgres(PostgresApp app) : CatalogueApiTests(app), IClassFixture<PostgresApp>;
