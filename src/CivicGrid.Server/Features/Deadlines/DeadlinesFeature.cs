using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Jobs;

namespace CivicGrid.Server.Features.Deadlines;

/// <summary>The jobs that keep case deadlines: reminders, escalation, automatic evaluation and supervision, park reviews, location confirmation.</summary>
public sealed class DeadlinesFeature : IFeature
{
    /// <summary>The job runner and the case deadline jobs.</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddJobRunner(configuration);
        services.AddScheduledJob<DueReminderJob, DueReminderOptions>(configuration, DueReminderOptions.Section);
        services.AddScheduledJob<OverdueEscalationJob, OverdueEscalationOptions>(configuration, OverdueEscalationOptions.Section);
        services.AddScheduledJob<AutoEvaluationJob, AutoEvaluationOptions>(configuration, AutoEvaluationOptions.Section);
        services.AddScheduledJob<SupervisionDeadlineJob, SupervisionDeadlineOptions>(configuration, SupervisionDeadlineOptions.Section);
        services.AddScheduledJob<ParkReviewJob, ParkReviewOptions>(configuration, ParkReviewOptions.Section);
        services.AddScheduledJob<AutoSupervisionJob, AutoSupervisionOptions>(configuration, AutoSupervisionOptions.Section);
        services.AddScheduledJob<LocationConfirmationJob, LocationConfirmationOptions>(configuration, LocationConfirmationOptions.Section);
    }
}
