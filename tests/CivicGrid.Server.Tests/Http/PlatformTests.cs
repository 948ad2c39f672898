using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Server.Tests.Http;

/// <summary>Health, the OpenAPI document, problem details and migrations, on each provider.</summary>
public abstract class PlatformTests(CivicGridApp app)
{
    [Fact]
    public async Task Health_LiveAndReady_AreHealthyWithTheDatabaseChecked()
    {
        using var client = app.CreateClient();

        var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);
        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task OpenApi_ListsTheEndpointsWithOperationIds()
    {
        using var client = app.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", TestContext.Current.CancellationToken);

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/auth/login", "/api/auth/me", "/api/geo/grids", "/api/grids/{code}", "/api/users", "/api/cases" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
        }

        Assert.Equal("Login", paths.GetProperty("/api/auth/login").GetProperty("post").GetProperty("operationId").GetString());
    }

    [Fact]
    public async Task ApiReferencePage_IsServedWithoutLogin()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync(new Uri("/scalar/v1", UriKind.Relative), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("CivicGrid API", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_AnswersProblemDetailsInChinese()
    {
        using var client = await app.ClientForAsync("admin");

        var response = await client.GetAsync(new Uri("/api/no-such-thing", UriKind.Relative), TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("/problems/not-found", problem.GetProperty("type").GetString());
        Assert.Equal("The resource was not found.", problem.GetProperty("title").GetString());
        Assert.Contains("找不到", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.TryGetProperty("traceId", out _));
    }

    [Fact]
    public async Task ApiWithoutLogin_Answers401Problem()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync(new Uri("/api/cases", UriKind.Relative), TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("/problems/unauthorized", problem.GetProperty("type").GetString());
        Assert.Contains("登录", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_HasNoChangesWithoutAMigration()
    {
        var pending = await app.WithDatabaseAsync(db => Task.FromResult(db.Database.HasPendingModelChanges()));
        var applied = await app.WithDatabaseAsync(async db => (await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken)).Count());

        Assert.False(pending, $"The {app.Provider} model has changes with no migration: run dotnet ef migrations add for {app.Provider}CivicGridDbContext.");
        Assert.Equal(0, applied);
    }

    [Fact]
    public async Task Database_UsesTheConfiguredProviderWithItsGeometryStorage()
    {
        var provider = await app.WithDatabaseAsync(db => Task.FromResult(db.Database.ProviderName));
        if (app.Provider == DatabaseProvider.Postgres)
        {
            Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", provider);
            var columnType = await app.WithDatabaseAsync(db => db.Database
                .SqlQueryRaw<string>("SELECT format_type(atttypid, atttypmod) AS \"Value\" FROM pg_attribute WHERE attrelid = 'grids'::regclass AND attname = 'Boundary'")
                .SingleAsync(TestContext.Current.CancellationToken));
            var gistIndexes = await app.WithDatabaseAsync(db => db.Database
                .SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM pg_indexes WHERE indexdef ILIKE '%USING gist%'")
                .SingleAsync(TestContext.Current.CancellationToken));
            Assert.Equal("geometry(Geometry,4326)", columnType);
            Assert.True(gistIndexes >= 4, $"expected GiST indexes on the geometry columns, found {gistIndexes}");
        }
        else
        {
            Assert.Equal("Microsoft.EntityFrameworkCore.Sqlite", provider);
            var journal = await app.WithDatabaseAsync(db => db.Database.SqlQueryRaw<string>("SELECT journal_mode AS Value FROM pragma_journal_mode").SingleAsync(TestContext.Current.CancellationToken));
            var synchronous = await app.WithDatabaseAsync(db => db.Database.SqlQueryRaw<int>("SELECT synchronous AS Value FROM pragma_synchronous").SingleAsync(TestContext.Current.CancellationToken));
            Assert.Equal("wal", journal);
            Assert.Equal(2, synchronous); // FULL

            // Checkpoints run in the background, not inside a report's commit; connections keep only a high fallback.
            var autoCheckpoint = await app.WithDatabaseAsync(async db =>
            {
                await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = "PRAGMA wal_autocheckpoint";
                return Convert.ToInt32(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            });
            Assert.Equal(SqlitePragmas.FallbackAutoCheckpointPages, autoCheckpoint);
            var checkpointer = app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<SqliteCheckpointer>().Single();
            var before = checkpointer.Checkpoints;
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (checkpointer.Checkpoints == before && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            Assert.True(checkpointer.Checkpoints > before, "the background checkpointer ran no checkpoint in 20 s");
            Assert.True(File.Exists(Path.Combine(app.DataDirectory, "civicgrid.db")));
        }
    }
}

public sealed class PlatformTestsOnSqlite(SqliteApp app) : PlatformTests(app), IClassFixture<SqliteApp>;

public sealed class PlatformTestsOnPostgres(PostgresApp app) : PlatformTests(app), IClassFixture<PostgresApp>;
