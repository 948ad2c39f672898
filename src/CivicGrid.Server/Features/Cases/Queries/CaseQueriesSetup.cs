namespace CivicGrid.Server.Features.Cases.Queries;

public static class CaseQueriesSetup
{
    /// <summary>The list's settings (validated at start-up) and the built-in inboxes.</summary>
    public static IServiceCollection AddCaseQueries(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CaseQueryOptions>().Bind(configuration.GetSection(CaseQueryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddBuiltInCaseInboxes();
        return services;
    }
}
