using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Http.Idempotency;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Server.Tests.Photos;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Server.Tests.Http;

/// <summary>The <c>Idempotency-Key</c> header on creates, on each provider, through POST /api/users.</summary>
public abstract class IdempotencyTests(CivicGridApp app)
{
    private const string SecurityAdmin = "secadmin";

    /// <summary>A demo micro-grid: where a micro-grid volunteer may be scoped (RoleRules).</summary>
    private const string MicroGrid = "610103099001010101";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Retry_WithTheSameKey_ReturnsTheFirstAnswerAndCreatesOneUser()
    {
        using var client = await app.ClientForAsync(SecurityAdmin);
        var userName = CivicGridApp.UniqueName("idem");
        var key = NewKey();

        var first = await PostUserAsync(client, NewUser(userName), key);
        var retry = await PostUserAsync(client, NewUser(userName), key);
        var firstBody = await first.Content.ReadAsStringAsync(Ct);
        var retryBody = await retry.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(firstBody, retryBody);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal("application/json", retry.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await CountUsersAsync(userName));
    }

    [Fact]
    public async Task Replay_CarriesTheReplayedHeader_AndTheFirstAnswerDoesNot()
    {
        using var client = await app.ClientForAsync(SecurityAdmin);
        var userName = CivicGridApp.UniqueName("idem");
        var key = NewKey();

        var first = await PostUserAsync(client, NewUser(userName), key);
        var retry = await PostUserAsync(client, NewUser(userName), key);

        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
    }

    [Fact]
    public async Task SameKey_WithADifferentBody_Answers422AndCreatesNothing()
    {
        using var client = await app.ClientForAsync(SecurityAdmin);
        var firstName = CivicGridApp.UniqueName("idem");
        var otherName = CivicGridApp.UniqueName("idem");
        var key = NewKey();

        var first = await PostUserAsync(client, NewUser(firstName), key);
        var reused = await PostUserAsync(client, NewUser(otherName), key);
        var problem = await reused.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("/problems/idempotency-key-reused", problem.GetProperty("type").GetString());
        Assert.StartsWith("该幂等键已用于另一个请求", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await CountUsersAsync(otherName));
    }

    [Fact]
    public async Task ConcurrentIdenticalRequests_CreateExactlyOneUser()
    {
        using var client = await app.ClientForAsync(SecurityAdmin);
        var userName = CivicGridApp.UniqueName("idem");
        var key = NewKey();

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostUserAsync(client, NewUser(userName), key)));

        var fresh = responses.Where(r => r.StatusCode == HttpStatusCode.Created && !r.Headers.Contains("Idempotent-Replayed")).ToList();
        var others = responses.Except(fresh).ToList();
        Assert.Single(fresh);
        Assert.All(others, r => Assert.True(
            r.StatusCode == HttpStatusCode.Conflict || (r.StatusCode == HttpStatusCode.Created && r.Headers.Contains("Idempotent-Replayed")),
            $"unexpected {(int)r.StatusCode}"));
        foreach (var conflict in others.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            var problem = await conflict.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("/problems/idempotency-in-progress", problem.GetProperty("type").GetString());
        }

        Assert.Equal(1, await CountUsersAsync(userName));
    }

    [Fact]
    public async Task ConcurrentIdenticalReports_CreateExactlyOneCase_AndADifferentReportWithTheKeyIsRefused()
    {
        var place = await new CaseScenario(app).CertainPlaceAsync();
        using var anonymous = app.CreateClient();
        var key = NewKey();
        var description = $"幂等并发上报 {key}";
        var fields = CaseScenario.ReportFields(place.Lon, place.Lat, description: description);
        var other = CaseScenario.ReportFields(place.Lon, place.Lat, description: description + " 另一条");

        byte[][] photo = [TestPhotos.Jpeg(200, 150)];

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => CaseScenario.ReportAsync(anonymous, i == 7 ? other : fields, photo, key)));

        var identical = responses[..7];
        var fresh = identical.Where(r => r.StatusCode == HttpStatusCode.Created && !r.Headers.Contains("Idempotent-Replayed")).ToList();
        // The different report either ran first (then the identical ones are the ones refused) or is refused itself.
        var differentRanFirst = responses[7].StatusCode == HttpStatusCode.Created;
        Assert.Equal(differentRanFirst ? 0 : 1, fresh.Count);
        foreach (var r in differentRanFirst ? identical : identical.Except(fresh).Append(responses[7]))
        {
            var type = r.StatusCode == HttpStatusCode.Created ? null : (await r.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("type").GetString();
            Assert.True(type is "/problems/idempotency-in-progress" or "/problems/idempotency-key-reused"
                || (r.StatusCode == HttpStatusCode.Created && r.Headers.Contains("Idempotent-Replayed")), $"unexpected {(int)r.StatusCode} {type}");
        }

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await CaseScenario.ReportAsync(anonymous, differentRanFirst ? fields : other, photo, key)).StatusCode);
        Assert.Equal(1, await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().CountAsync(c => c.Description.StartsWith(description), Ct)));
    }

    [Fact]
    public async Task ValidationAnswer_IsReplayedForTheSameBody()
    {
        using var client = await app.ClientForAsync(SecurityAdmin);
        var key = NewKey();
        var invalid = new { userName = CivicGridApp.UniqueName("idem"), displayName = "", roles = new[] { "micro-grid-worker" }, scopeCode = MicroGrid, password = "Matrix#Pass2026" };

        var first = await PostUserAsync(client, invalid, key);
        var retry = await PostUserAsync(client, invalid, key);
        var firstBody = await first.Content.ReadAsStringAsync(Ct);
        var retryBody = await retry.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, retry.StatusCode);
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(firstBody, retryBody);
        Assert.Equal("application/problem+json", retry.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("中文键")]
    public async Task BadHeaderValue_Answers400NamingTheHeader(string key)
    {
        using var client = await app.ClientForAsync(SecurityAdmin);
        var userName = CivicGridApp.UniqueName("idem");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/users") { Content = JsonContent.Create(NewUser(userName)) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        var response = await client.SendAsync(request, Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        Assert.Equal(0, await CountUsersAsync(userName));
    }

    [Fact]
    public async Task TooLongHeaderValue_Answers400()
    {
        using var client = await app.ClientForAsync(SecurityAdmin);

        var response = await PostUserAsync(client, NewUser(CivicGridApp.UniqueName("idem")), new string('k', 129));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SameKey_OfTwoUsers_IsTwoIndependentRequests()
    {
        var otherAdmin = await app.CreateUserAsync(CivicGridApp.UniqueName("secb"), "610103099", Role.SecurityAdmin);
        using var clientA = await app.ClientForAsync(SecurityAdmin);
        using var clientB = await app.ClientForAsync(otherAdmin.UserName);
        var nameA = CivicGridApp.UniqueName("idem");
        var nameB = CivicGridApp.UniqueName("idem");
        var key = NewKey();

        var byA = await PostUserAsync(clientA, NewUser(nameA), key);
        var byB = await PostUserAsync(clientB, NewUser(nameB), key);

        Assert.Equal(HttpStatusCode.Created, byA.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byB.StatusCode);
        Assert.False(byB.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await CountUsersAsync(nameA));
        Assert.Equal(1, await CountUsersAsync(nameB));
    }

    [Fact]
    public async Task WithoutTheHeader_TheEndpointRunsEveryTime()
    {
        using var client = await app.ClientForAsync(SecurityAdmin);
        var userName = CivicGridApp.UniqueName("idem");

        var first = await PostUserAsync(client, NewUser(userName), key: null);
        var second = await PostUserAsync(client, NewUser(userName), key: null);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode); // The user name is taken: the endpoint really ran again.
        Assert.Equal(1, await CountUsersAsync(userName));
    }

    [Fact]
    public async Task ExpiredRecord_IsOverwrittenAndCleanedUp()
    {
        using var client = await app.ClientForAsync(SecurityAdmin);
        var key = NewKey();
        var firstName = CivicGridApp.UniqueName("idem");
        var secondName = CivicGridApp.UniqueName("idem");
        await PostUserAsync(client, NewUser(firstName), key);
        var past = DateTimeOffset.UtcNow.AddHours(-1);
        var hash = IdempotencyRecord.HashKey(key);
        await app.WithDatabaseAsync(db => db.IdempotencyRecords.Where(r => r.KeyHash == hash).ExecuteUpdateAsync(s => s.SetProperty(r => r.ExpiresAt, past), Ct));

        var reused = await PostUserAsync(client, NewUser(secondName), key);
        await app.WithDatabaseAsync(db => db.IdempotencyRecords.Where(r => r.KeyHash == hash).ExecuteUpdateAsync(s => s.SetProperty(r => r.ExpiresAt, past), Ct));
        var removed = await app.Services.GetRequiredService<IdempotencyStore>().DeleteExpiredAsync(Ct);

        Assert.Equal(HttpStatusCode.Created, reused.StatusCode);
        Assert.False(reused.Headers.Contains("Idempotent-Replayed"));
        Assert.True(removed >= 1);
        Assert.False(await app.WithDatabaseAsync(db => db.IdempotencyRecords.AnyAsync(r => r.KeyHash == hash, Ct)));
    }

    [Fact]
    public async Task StoredAnswer_HoldsNeitherTheKeyNorItsSecrets_AndTheRetryStillGetsThem()
    {
        var place = await new CaseScenario(app).CertainPlaceAsync();
        using var anonymous = app.CreateClient();
        var key = NewKey();
        var fields = CaseScenario.ReportFields(place.Lon, place.Lat, description: $"幂等封存 {key}");

        byte[][] photo = [TestPhotos.Jpeg(200, 150)];
        using var first = await CaseScenario.ReportAsync(anonymous, fields, photo, key);
        using var retry = await CaseScenario.ReportAsync(anonymous, fields, photo, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var answer = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var followToken = answer.GetProperty("followToken").GetString()!;
        var number = answer.GetProperty("number").GetString()!;
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await retry.Content.ReadAsStringAsync(Ct));

        var records = await app.WithDatabaseAsync(db => db.IdempotencyRecords.AsNoTracking().Where(r => r.Caller == "anonymous").ToListAsync(Ct));
        Assert.DoesNotContain(records, r => r.KeyHash == key);
        var record = Assert.Single(records, r => r.KeyHash == IdempotencyRecord.HashKey(key));
        Assert.Equal(IdempotencyState.Completed, record.State);
        Assert.Equal($"/api/cases/{number}", record.Location);
        var stored = System.Text.Encoding.UTF8.GetString(record.ResponseBody!);
        Assert.DoesNotContain(followToken, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(number, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyAbandonedByADeadAttempt_IsTakenOverAfterItsTimeout_AndTheRetryMakesOneCase()
    {
        var place = await new CaseScenario(app).CertainPlaceAsync();
        using var anonymous = app.CreateClient();
        var key = NewKey();
        var description = $"幂等接管 {key}";
        var past = DateTimeOffset.UtcNow.AddMinutes(-10);
        // What a server killed while running the first attempt leaves: the claim, without an effect or an answer.
        await app.WithDatabaseAsync(async db =>
        {
            db.IdempotencyRecords.Add(new IdempotencyRecord("anonymous", IdempotencyRecord.HashKey(key), new string('0', 64), past, past.AddDays(1)));
            return await db.SaveChangesAsync(Ct);
        });

        var fields = CaseScenario.ReportFields(place.Lon, place.Lat, description: description);
        byte[][] photo = [TestPhotos.Jpeg(200, 150)];
        using var retry = await CaseScenario.ReportAsync(anonymous, fields, photo, key);
        using var again = await CaseScenario.ReportAsync(anonymous, fields, photo, key);

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().CountAsync(c => c.Description == description, Ct)));
    }

    [Fact]
    public async Task SecondAttemptWithAKeyStoredMeanwhile_CommitsNothing()
    {
        var place = await new CaseScenario(app).CertainPlaceAsync();
        var key = NewKey();
        var description = $"幂等并发 {key}";
        var now = DateTimeOffset.UtcNow;
        var claim = new IdempotencyRecord("anonymous", IdempotencyRecord.HashKey(key), new string('0', 64), now, now.AddDays(1));
        // What another server instance did while this attempt ran: the same key, stored with its own case.
        await app.WithDatabaseAsync(async db =>
        {
            db.IdempotencyRecords.Add(claim.CompletedWith(new StoredAnswer(StatusCodes.Status201Created, null, "/api/cases/1", null), now));
            return await db.SaveChangesAsync(Ct);
        });

        using var scope = app.Services.CreateScope();
        var idempotency = scope.ServiceProvider.GetRequiredService<IdempotencyContext>();
        idempotency.Claim = new KeyClaim(claim, key);
        var intake = scope.ServiceProvider.GetRequiredService<CivicGrid.Server.Features.Cases.Intake.CaseIntake>();
        var command = new CivicGrid.Server.Features.Cases.Intake.IntakeCommand(CivicGrid.Domain.Cases.CaseChannel.StaffEntry, "C0102", null, description,
            place.Lon, place.Lat, 5, null, null, null, null, null, null, []);

        // The key's unique index fails the save that would store the second case with it.
        await Assert.ThrowsAsync<DbUpdateException>(() => intake.ReportAsync(command, Ct,
            (db, stored) => idempotency.CompleteWithEffect(db, StatusCodes.Status201Created, $"/api/cases/{stored.Case.Number}", new { stored.Case.Number })));

        Assert.Equal(0, await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().CountAsync(c => c.Description == description, Ct)));
        Assert.Equal(1, await app.WithDatabaseAsync(db => db.IdempotencyRecords.CountAsync(r => r.KeyHash == claim.KeyHash, Ct)));
    }

    private static string NewKey() => Guid.NewGuid().ToString("D");

    private static object NewUser(string userName) =>
        new { userName, displayName = "幂等测试", roles = new[] { "micro-grid-worker" }, scopeCode = MicroGrid, password = "Matrix#Pass2026" };

    private static async Task<HttpResponseMessage> PostUserAsync(HttpClient client, object body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/users") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        var response = await client.SendAsync(request, Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }

    private Task<int> CountUsersAsync(string userName) =>
        app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().CountAsync(u => u.UserName == userName, Ct));
}

public sealed class IdempotencyTestsOnSqlite(SqliteApp app) : IdempotencyTests(app), IClassFixture<SqliteApp>;

public sealed class IdempotencyTestsOnPostgres(PostgresApp app) : IdempotencyTests(app), IClassFixture<PostgresApp>;
