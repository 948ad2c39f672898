using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Jobs;

namespace CivicGrid.Server.Features.Briefings;

/// <summary>Policy briefings (政策宣传): notices to a chosen set of workers, read receipts, daily reminders.</summary>
public sealed class BriefingsFeature : IFeature
{
    /// <summary>The daily reminder job (Jobs:BriefingReminders).</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddScheduledJob<BriefingReminderJob, BriefingReminderOptions>(configuration, BriefingReminderOptions.Section);

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapBriefingsApi();
}
