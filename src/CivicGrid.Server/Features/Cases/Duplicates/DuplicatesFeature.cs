using CivicGrid.Server.Infrastructure.Hosting;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CivicGrid.Server.Features.Cases.Duplicates;

/// <summary>
/// Possible duplicates of a report: every open case in memory (<see cref="OpenCaseIndex"/>), kept current by save
/// interceptors and reloaded from the database, searched by place, category and time.
/// </summary>
public sealed class DuplicatesFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DuplicateOptions>().Bind(configuration.GetSection(DuplicateOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OpenCaseIndex>();
        services.AddSingleton<DuplicateFinder>();

        // Every context writes a case's lon/lat columns and reports the cases it commits to the index.
        services.AddSingleton<IInterceptor>(CaseLocationColumns.Interceptor);
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<OpenCaseIndex>().Interceptor);

        // After the database initializer (hosted services start in order): the first load reads migrated, seeded data.
        services.AddHostedService<OpenCaseIndex.Reloader>();
    }
}
