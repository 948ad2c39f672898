using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Server.Tests.Infrastructure;

/// <summary>
/// The real server in memory through <see cref="WebApplicationFactory{TEntryPoint}"/>, on one database provider, in a
/// data directory of its own. <see cref="SqliteApp"/> and <see cref="PostgresApp"/> are class fixtures: each test class
/// gets its own server on its own copy of the seeded demo (<see cref="DemoTemplate"/>), so no class sees another's rows
/// and jobs may act on the whole database. Within a class the tests share the server and its data (and run one at a
/// time). Shared between classes: only the read-only template, the PostgreSQL cluster of the run and, since the data
/// directory is copied too, the same signing and data-protection keys.
/// </summary>
public abstract class CivicGridApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string DemoPassword = "CivicGrid#2026";

    /// <summary>The shared secret with the district's system; its webhook address is a closed port, tests deliver with their own.</summary>
    public const string DistrictSecret = "test-district-secret-0123456789abcdef";

    /// <summary>The Prometheus scrape token (<c>Metrics:ScrapeToken</c>) every test server accepts.</summary>
    public const string MetricsToken = "test-metrics-scrape-token-0123456789abcdef";

    private readonly ConcurrentDictionary<string, Task<string>> _tokens = new();
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "civicgrid-test-" + Guid.NewGuid().ToString("N")[..8]);

    public abstract DatabaseProvider Provider { get; }

    protected abstract string? ConnectionString { get; }

    public string DataDirectory => _dataDirectory;

    public virtual async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        await PrepareDatabaseAsync();

        // Starting the host runs migrations and loads the demo (unless the database has it already), as the real server does.
        using var client = CreateClient();
        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        ready.EnsureSuccessStatusCode();
    }

    /// <summary>Puts the database in place before the server starts (a copy of the template); nothing by default.</summary>
    protected virtual Task PrepareDatabaseAsync() => Task.CompletedTask;

    /// <summary>Whether disposing removes the data directory (the template's is kept for the copies).</summary>
    protected virtual bool DeleteDataDirectory => true;

    /// <summary>
    /// Whether the server starts on a copy of the seeded template (every class's server does; the template's own does not).
    /// A copy skips two start-up checks that the template's server made once for the run on the same code: pending
    /// migrations (<c>Database:MigrateOnStart</c>) and building every service registration (<c>ValidateOnBuild</c>, on
    /// in Development). Scope validation stays on.
    /// </summary>
    protected virtual bool StartsOnACopy => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_dataDirectory);
        builder.UseEnvironment("Development");
        builder.UseSetting("DataDirectory", _dataDirectory);
        builder.UseSetting("Database:Provider", Provider.ToString());
        if (ConnectionString is not null)
        {
            builder.UseSetting("Database:ConnectionString", ConnectionString);
        }

        if (StartsOnACopy)
        {
            builder.UseSetting("Database:MigrateOnStart", "false");
            builder.UseDefaultServiceProvider(o =>
            {
                o.ValidateScopes = true;
                o.ValidateOnBuild = false;
            });
        }

        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:Password", DemoPassword);
        builder.UseSetting("Auth:LoginAttemptsPerMinute", "100000");

        // The demo staff sign in with passwords only here; the second-factor tests run their server with it required.
        builder.UseSetting("Auth:SecondFactor", "optional");
        builder.UseSetting("Cases:CreatesPerMinute", "100000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("District:WebhookUrl", "http://127.0.0.1:9/district-hand-off");
        builder.UseSetting("District:Secret", DistrictSecret);
        builder.UseSetting("Metrics:ScrapeToken", MetricsToken);

        // Background delivery and jobs would race the tests that drive them; tests run them directly.
        builder.UseSetting("Outbox:Enabled", "false");
        builder.UseSetting("Jobs:Enabled", "false");
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, TestPeer>());
    }

    /// <summary>A client that sends a bearer token of <paramref name="userName"/> (logged in once per app).</summary>
    public async Task<HttpClient> ClientForAsync(string userName)
    {
        var token = await _tokens.GetOrAdd(userName, LoginAsync);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<string> LoginAsync(string userName)
    {
        using var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName, password = DemoPassword });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<LoginBody>();
        return body!.AccessToken;
    }

    /// <summary>Runs <paramref name="work"/> with a database context that sees everything.</summary>
    public async Task<T> WithDatabaseAsync<T>(Func<CivicGridDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CivicGridDbContext>());
    }

    /// <summary>Creates an account straight in the database, for tests that lock, end or change it.</summary>
    public async Task<UserAccount> CreateUserAsync(string userName, string scopeCode, params Role[] roles)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<UserAccount>>();
        var user = new UserAccount(userName, "测试用户", roles, scopeCode, DateTimeOffset.UtcNow);
        user.ChangePassword(hasher.HashPassword(user, DemoPassword), DateTimeOffset.UtcNow);
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        if (Provider == DatabaseProvider.Sqlite)
        {
            // Only this server's pool: the other classes' servers keep theirs.
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection(SqliteConnectionString(_dataDirectory));
            Microsoft.Data.Sqlite.SqliteConnection.ClearPool(connection);
        }

        if (DeleteDataDirectory && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>The connection string the server builds for the SQLite file of a data directory (PersistenceSetup).</summary>
    internal static string SqliteConnectionString(string dataDirectory) => $"Data Source={Path.Combine(dataDirectory, "civicgrid.db")};Pooling=True";

    private sealed record LoginBody(string AccessToken);
}

/// <summary>
/// A class fixture: the server on the embedded SQLite default, on a copy of <see cref="SqliteTemplate"/>'s seeded database
/// file in a data directory of its own, removed at the end. What one class writes no other class sees.
/// </summary>
public sealed class SqliteApp(SqliteTemplate template) : CivicGridApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override string? ConnectionString => null;

    protected override Task PrepareDatabaseAsync()
    {
        template.CopyTo(DataDirectory);
        return Task.CompletedTask;
    }
}

/// <summary>
/// A class fixture: the server on a database of its own, created from <see cref="PostgresTemplate"/>'s seeded template
/// database on the PostgreSQL cluster started once for the run, and dropped at the end.
/// </summary>
public sealed class PostgresApp(PostgresTemplate template) : CivicGridApp
{
    private readonly string _database = "civicgrid_" + Guid.NewGuid().ToString("N")[..8];

    public PostgresServer Database => template.Server;

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override string? ConnectionString => Database.ConnectionString(_database);

    protected override async Task PrepareDatabaseAsync()
    {
        template.CopyTo(DataDirectory);
        await template.CloneAsync(_database);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await template.DropAsync(_database);
    }
}
