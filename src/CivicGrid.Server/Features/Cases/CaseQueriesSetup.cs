namespace CivicGrid.Server.Features.Cases;

public static class CaseQueriesSetup
{
    /// <summary>Inboxes, the duplicate finder and their settings (validated at start-up). The open-case index's loader is started by the server setup after the database initializer.</summary>
    public static IServiceCollection AddCaseQueries(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CaseQueryOptions>().Bind(configuration.GetSection(CaseQueryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DuplicateOptions>().Bind(configuration.GetSection(DuplicateOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OpenCaseIndex>();
        services.AddSingleton<DuplicateFinder>();
        services.AddBuiltInCaseInboxes();
        return services;
    }
}
