using CivicGrid.Domain.Cases;
using CivicGrid.Server.Demo;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Features.Dashboard;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using CivicGrid.Server.Features.Devices;

namespace CivicGrid.Server.Infrastructure.Hosting;

/// <summary>
/// Brings the database up to date before the server takes requests: applies migrations (unless
/// <c>Database:MigrateOnStart</c> is off), seals personal data that older versions kept in clear, and, where the demo is
/// enabled, loads it into an empty database.
/// </summary>
public sealed class DatabaseInitializer(IServiceScopeFactory scopes, IOptions<DatabaseOptions> database, IOptions<DemoOptions> demo,
    SigningKeys signingKeys, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Taking the signing key here makes a first start create it, so an unwritable data
        // directory stops the server now rather than failing the first login.
        _ = signingKeys.Credentials;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        if (database.Value.MigrateOnStart)
        {
            await MigrateAsync(db, logger, cancellationToken);
        }

        // Rows written before a column of personal data was sealed are sealed once, on the first start that seals it (ADR 0019).
        await ColumnSealer.SealClearRowsOnceAsync(db, scope.ServiceProvider.GetRequiredService<Privacy.FieldVault>(),
            scope.ServiceProvider.GetRequiredService<TimeProvider>(), logger, cancellationToken);
        await SeedCatalogueAsync(db, logger, cancellationToken);
        if (demo.Value.Enabled)
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(demo.Value.Password, demo.Value.Seed, cancellationToken);
        }

        // An installation from before the dashboards' roll-ups has cases and no roll-up: count them once.
        if (!await db.CaseCountRollups.IgnoreQueryFilters().AnyAsync(cancellationToken) && await db.Cases.IgnoreQueryFilters().AnyAsync(cancellationToken))
        {
            var cases = await scope.ServiceProvider.GetRequiredService<Features.Dashboard.CaseRollupCheck>().RebuildAsync(cancellationToken);
            logger.LogInformation("Built the dashboards' roll-ups from {Cases} cases", cases);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>An installation starts with the standard case catalogue; an administrator adapts it afterwards.</summary>
    public static async Task SeedCatalogueAsync(CivicGridDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        if (!await db.DeviceAlarmTypes.AnyAsync(cancellationToken))
        {
            // Device alarm types map to the standard catalogue's codes; an installation that changed those adapts the mapping.
            db.DeviceAlarmTypes.AddRange(Features.Devices.DeviceAlarmType.Standard());
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        if (await db.CaseCategories.AnyAsync(cancellationToken))
        {
            return;
        }

        var categories = StandardCatalogue.Categories();
        db.CaseCategories.AddRange(categories);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        logger.LogInformation("Seeded the standard case catalogue: {Count} categories", categories.Count);
    }

    public static async Task MigrateAsync(CivicGridDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            return;
        }

        logger.LogInformation("Applying {Count} migration(s) on {Provider}: {Migrations}", pending.Count, db.Database.ProviderName, string.Join(", ", pending));
        await db.Database.MigrateAsync(cancellationToken);
    }
}
