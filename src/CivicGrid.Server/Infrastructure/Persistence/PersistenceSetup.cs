using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Infrastructure.Persistence;

public static class PersistenceSetup
{
    /// <summary>
    /// Registers <see cref="CivicGridDbContext"/> on the configured provider. Handlers depend on the
    /// base type; the concrete context only decides column mapping and which migrations apply. The options are built
    /// once (they depend only on configuration), not for every request's context. The EF Core interceptors that features
    /// register as <see cref="IInterceptor"/> services are added to every context, in registration order.
    /// </summary>
    public static IServiceCollection AddCivicGridPersistence(this IServiceCollection services, IConfiguration configuration, DataDirectory dataDirectory)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();

        // The key ring of personal data sealed at rest (keys in the data directory, never in the database; ADR 0019).
        services.AddSingleton<Privacy.FieldVault>();
        services.AddSingleton<PlainReads>();

        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        switch (options.Provider)
        {
            case DatabaseProvider.Postgres:
                services.AddDbContext<CivicGridDbContext, PostgresCivicGridDbContext>((sp, builder) =>
                    {
                        PostgresCivicGridDbContext.Configure(builder, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!);
                        builder.AddInterceptors(sp.GetServices<IInterceptor>());
                    },
                    optionsLifetime: ServiceLifetime.Singleton);
                break;
            default:
                var connectionString = string.IsNullOrWhiteSpace(options.ConnectionString)
                    ? $"Data Source={dataDirectory.Combine("civicgrid.db")};Pooling=True"
                    : options.ConnectionString;
                services.AddDbContext<CivicGridDbContext, SqliteCivicGridDbContext>((sp, builder) =>
                    {
                        var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
                        SqliteCivicGridDbContext.Configure(builder, connectionString, database.SqliteBusyTimeout,
                            backgroundCheckpoints: database.SqliteCheckpointInterval > TimeSpan.Zero, cacheMegabytes: database.SqliteCacheMegabytes);
                        builder.AddInterceptors(sp.GetServices<IInterceptor>());
                    },
                    optionsLifetime: ServiceLifetime.Singleton);
                break;
        }

        return services;
    }
}
