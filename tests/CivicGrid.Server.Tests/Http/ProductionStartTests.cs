using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Commands;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Tests.Infrastructure;
using CivicGrid.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The server as an operator starts it in Production: demo off, nothing configured but the data
/// directory (and, on PostgreSQL, the connection string of an empty database).
/// </summary>
/// <param name="settings">Settings beyond those (a proxy, a second factor made optional…), applied after them.</param>
public sealed class ProductionServer(DatabaseProvider provider, string dataDirectory, string? connectionString,
    IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("DataDirectory", dataDirectory);
        builder.UseSetting("Database:Provider", provider.ToString());
        if (connectionString is not null)
        {
            builder.UseSetting("Database:ConnectionString", connectionString);
        }

        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, TestPeer>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }
}

/// <summary>Empty databases for <see cref="ProductionServer"/>: per test a new one, per test class one database server.</summary>
public abstract class EmptyDatabases : IAsyncLifetime
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>The connection string of a new, empty database; null for SQLite, whose file lives in the data directory.</summary>
    public abstract Task<string?> CreateAsync();

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}

public sealed class EmptySqliteDatabases : EmptyDatabases
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override Task<string?> CreateAsync() => Task.FromResult<string?>(null);
}

public sealed class EmptyPostgresDatabases : EmptyDatabases
{
    private readonly PostgresServer _server = new();

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override async Task<string?> CreateAsync()
    {
        var name = "civicgrid_prod_" + Guid.NewGuid().ToString("N")[..8];
        await _server.CreateDatabaseAsync(name);
        return _server.ConnectionString(name);
    }

    public override async ValueTask InitializeAsync() => await _server.InitializeAsync();

    public override async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>A fresh data directory and empty database per test, and the servers started on them.</summary>
public abstract class ProductionTestBase(EmptyDatabases databases) : IAsyncLifetime
{
    private readonly List<ProductionServer> _servers = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "civicgrid-prod-" + Guid.NewGuid().ToString("N")[..8]);

    protected string? ConnectionString { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        ConnectionString = await databases.CreateAsync();
    }

    /// <summary>Starts a server on this test's data directory and database and waits until it is ready.</summary>
    protected async Task<ProductionServer> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var server = new ProductionServer(databases.Provider, DataDirectory, ConnectionString, settings);
        _servers.Add(server);
        using var client = server.CreateClient();
        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        return server;
    }

    protected async Task StopAsync(ProductionServer server)
    {
        _servers.Remove(server);
        await server.DisposeAsync();
    }

    protected static async Task<T> WithDatabaseAsync<T>(ProductionServer server, Func<CivicGridDbContext, Task<T>> work)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CivicGridDbContext>());
    }

    protected static async Task<HttpResponseMessage> LoginAsync(ProductionServer server, string userName, string password)
    {
        using var client = server.CreateClient();
        return await client.PostAsJsonAsync("/api/auth/login", new { userName, password }, Ct);
    }

    /// <summary>
    /// A token of an administrator in Production, where the second factor is required: the first sign-in enrols an
    /// authenticator (its code computed here) and then signs in.
    /// </summary>
    protected static async Task<string> TokenAsync(ProductionServer server, string userName, string password)
    {
        using var response = await LoginAsync(server, userName, password);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var challenge = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("enrol", challenge.GetProperty("step").GetString());
        var body = new { challenge = challenge.GetProperty("challenge").GetString() };
        using var client = server.CreateClient();
        using var enrolment = await client.PostAsJsonAsync("/api/auth/login/second-factor/enrolment", body, Ct);
        var secret = Base32.Decode((await enrolment.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("secret").GetString()!);
        using var confirmed = await client.PostAsJsonAsync("/api/auth/login/second-factor/enrolment/confirm",
            new { body.challenge, code = Totp.CodeAt(secret, DateTimeOffset.UtcNow) }, Ct);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        return (await confirmed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("login").GetProperty("accessToken").GetString()!;
    }

    protected static async Task<HttpResponseMessage> MeAsync(ProductionServer server, string token)
    {
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>A Production start from nothing but an empty data directory, and a restart on it.</summary>
public abstract class ProductionStartTests(EmptyDatabases databases) : ProductionTestBase(databases)
{
    private const string Password = "Strong#Pass2026";

    [Fact]
    public async Task Start_WithAnEmptyDataDirectory_IsReadyWithNoDemoNoAccountsAndKeepsGeneratedKeysThere()
    {
        var server = await StartAsync();
        // Looked at before any request but /health/ready, so the start itself made it.
        var dataProtectionCreated = Directory.Exists(Path.Combine(DataDirectory, "keys", "data-protection"));
        var signingKeyCreated = File.Exists(Path.Combine(DataDirectory, "keys", "token-signing.key"));

        var users = await WithDatabaseAsync(server, db => db.Users.IgnoreQueryFilters().CountAsync(Ct));
        var grids = await WithDatabaseAsync(server, db => db.Grids.IgnoreQueryFilters().CountAsync(Ct));
        var pending = await WithDatabaseAsync(server, async db => (await db.Database.GetPendingMigrationsAsync(Ct)).Count());
        using var demoLogin = await LoginAsync(server, "admin", CivicGridApp.DemoPassword);

        Assert.Equal(0, users);
        Assert.Equal(0, grids);
        Assert.Equal(0, pending);
        Assert.Equal(HttpStatusCode.Unauthorized, demoLogin.StatusCode);
        Assert.True(signingKeyCreated, "keys/token-signing.key was not created on first start");
        Assert.True(dataProtectionCreated, "keys/data-protection was not created on first start");
    }

    [Fact]
    public async Task Restart_OnTheSameDataDirectory_KeepsTheSigningKeySoTokensStayValid()
    {
        var first = await StartAsync();
        await CreateAdministratorAsync(first, "keeper");
        var token = await TokenAsync(first, "keeper", Password);
        var keyPath = Path.Combine(DataDirectory, "keys", "token-signing.key");
        var keyBefore = await File.ReadAllTextAsync(keyPath, Ct);
        await StopAsync(first);

        var second = await StartAsync();
        using var me = await MeAsync(second, token);
        var keyAfter = await File.ReadAllTextAsync(keyPath, Ct);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(keyBefore, keyAfter);
    }

    private static async Task CreateAdministratorAsync(ProductionServer server, string userName)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<UserAccount>>();
        var user = new UserAccount(userName, "测试管理员", [Role.SystemAdmin], string.Empty, DateTimeOffset.UtcNow);
        user.ChangePassword(hasher.HashPassword(user, Password), DateTimeOffset.UtcNow);
        db.Users.Add(user);
        await db.SaveChangesAsync(Ct);
    }
}

/// <summary>The operator commands (migrate, seed demo, users create-admin) against a Production server's database.</summary>
public abstract class ProductionStartOperatorCommandTests(EmptyDatabases databases) : ProductionTestBase(databases)
{
    private const string Password = "Strong#Pass2026";

    [Fact]
    public async Task CreateAdmin_WithAPassword_CreatesASecurityAdministratorWhoCanLogIn_AndTheCreationIsASecurityEvent()
    {
        var server = await StartAsync();

        var code = await OperatorCommands.RunAsync(["users", "create-admin"], ["boss", "--password", Password], server.Services);
        var token = await TokenAsync(server, "boss", Password);
        using var response = await MeAsync(server, token);
        var me = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(0, code);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("boss", me.GetProperty("userName").GetString());
        var roles = me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Equal(["security-admin"], roles);
        Assert.Equal(string.Empty, me.GetProperty("scopeCode").GetString());
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGrid.Server.Infrastructure.Persistence.CivicGridDbContext>();
        var events = await db.Set<CivicGrid.Server.Features.Audit.SecurityEvent>().IgnoreQueryFilters().OrderBy(e => e.Sequence).ToListAsync(Ct);
        Assert.Equal(CivicGrid.Server.Features.Audit.SecurityEventKind.AccountCreated, events[0].Kind);
        Assert.StartsWith("operator:", events[0].ActorName);
        // In Production the administrator's first sign-in sets up the second factor, then signs in.
        Assert.Equal(CivicGrid.Server.Features.Audit.SecurityEventKind.SecondFactorEnrolled, events[1].Kind);
        Assert.Equal("boss", events[1].ActorName);
        Assert.Equal(CivicGrid.Server.Features.Audit.SecurityEventKind.SignIn, events[2].Kind);
        Assert.Equal("boss", events[2].ActorName);
    }

    [Fact]
    public async Task CreateAdmin_WithTwoAdministratorRoles_IsRefused_SeparationOfDuties()
    {
        var server = await StartAsync();

        var code = await OperatorCommands.RunAsync(["users", "create-admin"],
            ["boss", "--password", Password, "--role", "system-admin", "--role", "security-admin"], server.Services);

        Assert.Equal(2, code);
    }

    [Fact]
    public async Task CreateAdmin_ForAnExistingName_Returns1()
    {
        var server = await StartAsync();

        var first = await OperatorCommands.RunAsync(["users", "create-admin"], ["boss", "--password", Password], server.Services);
        var second = await OperatorCommands.RunAsync(["users", "create-admin"], ["boss", "--password", "Other#Pass2027"], server.Services);
        var users = await WithDatabaseAsync(server, db => db.Users.IgnoreQueryFilters().CountAsync(Ct));
        using var login = await LoginAsync(server, "boss", Password);

        Assert.Equal(0, first);
        Assert.Equal(1, second);
        Assert.Equal(1, users);
        // The password is right; as an administrator in Production the account must now enrol a second factor.
        Assert.Equal(HttpStatusCode.Accepted, login.StatusCode);
    }

    [Fact]
    public async Task CreateAdmin_WithAWeakPassword_Returns2AndCreatesNothing()
    {
        var server = await StartAsync();

        var code = await OperatorCommands.RunAsync(["users", "create-admin"], ["boss", "--password", "password"], server.Services);
        var users = await WithDatabaseAsync(server, db => db.Users.IgnoreQueryFilters().CountAsync(Ct));

        Assert.Equal(2, code);
        Assert.Equal(0, users);
    }

    [Fact]
    public async Task CreateAdmin_WithoutAPassword_PrintsAGeneratedPasswordThatLogsIn()
    {
        var server = await StartAsync();
        using var captured = new StringWriter();
        var code = await OperatorCommands.RunAsync(["users", "create-admin"], ["boss"], server.Services, captured);

        var lines = captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var generated = lines[^1];
        using var login = await LoginAsync(server, "boss", generated);

        Assert.Equal(0, code);
        Assert.Null(PasswordRules.Check(generated, "boss"));
        // The password is right; as an administrator in Production the account must now enrol a second factor.
        Assert.Equal(HttpStatusCode.Accepted, login.StatusCode);
    }

    [Fact]
    public async Task Migrate_OnAnUpToDateDatabase_Returns0()
    {
        var server = await StartAsync();

        var code = await OperatorCommands.RunAsync(["migrate"], [], server.Services);
        var pending = await WithDatabaseAsync(server, async db => (await db.Database.GetPendingMigrationsAsync(Ct)).Count());

        Assert.Equal(0, code);
        Assert.Equal(0, pending);
    }

    [Fact]
    public async Task SeedDemo_InProduction_IsRefusedAndLoadsNothing_ItsAccountsWouldShareAKnownPassword()
    {
        var server = await StartAsync();
        using var captured = new StringWriter();
        using var errors = new StringWriter();

        var code = await OperatorCommands.RunAsync(["seed", "demo"], [], server.Services, captured, errors);
        var grids = await WithDatabaseAsync(server, db => db.Grids.IgnoreQueryFilters().CountAsync(Ct));
        var users = await WithDatabaseAsync(server, db => db.Users.IgnoreQueryFilters().CountAsync(Ct));

        Assert.Equal(1, code);
        Assert.Contains("only in the Development environment (this is Production)", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, grids);
        Assert.Equal(0, users);
    }

    [Fact]
    public async Task GridsImportAndValidate_FromAFileInGcj02_ImportsOnceAndRefusesABrokenFile()
    {
        var server = await StartAsync();
        var area = new TestGeography("610122", slot: 0);
        var good = Path.Combine(DataDirectory, "grids.geojson");
        var broken = Path.Combine(DataDirectory, "broken.geojson");
        await File.WriteAllTextAsync(good, TestGeography.ToGeoJson(area.Features(), Spatial.CoordinateSystems.CoordinateSystem.Gcj02), Ct);
        await File.WriteAllTextAsync(broken, TestGeography.ToGeoJson(area.Features(westShrink: 0.002), Spatial.CoordinateSystems.CoordinateSystem.Wgs84), Ct);

        var dryRun = await OperatorCommands.RunAsync(["grids", "import"], [good, "--crs", "gcj02", "--dry-run"], server.Services);
        var afterDryRun = await WithDatabaseAsync(server, db => db.Grids.IgnoreQueryFilters().CountAsync(Ct));
        var imported = await OperatorCommands.RunAsync(["grids", "import"], [good, "--crs", "gcj02"], server.Services);
        var refused = await OperatorCommands.RunAsync(["grids", "import"], [broken], server.Services);
        var validated = await OperatorCommands.RunAsync(["grids", "validate"], ["--format", "json", "--output", Path.Combine(DataDirectory, "report.json")], server.Services);
        var west = await WithDatabaseAsync(server, db => db.Grids.IgnoreQueryFilters().SingleAsync(g => g.Code == area.WestGrid, Ct));
        var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(DataDirectory, "report.json"), Ct));

        Assert.Equal(0, dryRun);
        Assert.Equal(0, afterDryRun);
        Assert.Equal(0, imported);
        Assert.Equal(1, refused);
        Assert.Equal(0, validated);
        Assert.Equal(0, report.RootElement.GetProperty("errorCount").GetInt32());
        // Imported in GCJ-02, stored in WGS-84: the west edge is back where the test drew it.
        Assert.Equal(area.West, west.MinLon, 6);
    }
}

/// <summary>Tests that capture or write to the console run alone, so no other test's output lands in what they read.</summary>
[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleCollection;

public sealed class ProductionStartTestsOnSqlite(EmptySqliteDatabases databases) : ProductionStartTests(databases), IClassFixture<EmptySqliteDatabases>;

public sealed class ProductionStartTestsOnPostgres(EmptyPostgresDatabases databases) : ProductionStartTests(databases), IClassFixture<EmptyPostgresDatabases>;

[Collection("Console")]
public sealed class ProductionStartOperatorCommandTestsOnSqlite(EmptySqliteDatabases databases) : ProductionStartOperatorCommandTests(databases), IClassFixture<EmptySqliteDatabases>;

[Collection("Console")]
public sealed class ProductionStartOperatorCommandTestsOnPostgres(EmptyPostgresDatabases databases) : ProductionStartOperatorCommandTests(databases), IClassFixture<EmptyPostgresDatabases>;
