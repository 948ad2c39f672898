using CivicGrid.Server.Infrastructure.Jobs;

namespace CivicGrid.Server.Features.Deadlines;

public static class DeadlinesSetup
{
    /// <summary>The runner and the case deadline jobs (reminders, escalation, automatic evaluation, supervision, park reviews, location confirmation).</summary>
    public static IServiceCollection AddCaseDeadlineJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddJobRunner(configuration);
        services.AddScheduledJob<DueReminderJob, DueReminderOptions>(configuration, DueReminderOptions.Section);
        services.AddScheduledJob<OverdueEscalationJob, OverdueEscalationOptions>(configuration, OverdueEscalationOptions.Section);
        services.AddScheduledJob<AutoEvaluationJob, AutoEvaluationOptions>(configuration, AutoEvaluationOptions.Section);
        services.AddScheduledJob<SupervisionDeadlineJob, SupervisionDeadlineOptions>(configuration, SupervisionDeadlineOptions.Section);
        services.AddScheduledJob<ParkReviewJob, ParkReviewOptions>(configuration, ParkReviewOptions.Section);
        services.AddScheduledJob<AutoSupervisionJob, AutoSupervisionOptions>(configuration, AutoSupervisionOptions.Section);
        services.AddScheduledJob<LocationConfirmationJob, LocationConfirmationOptions>(configuration, LocationConfirmationOptions.Section);
        return services;
    }
}
