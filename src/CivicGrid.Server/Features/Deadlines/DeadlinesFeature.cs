using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Deadlines;

/// <summary>The jobs that keep case deadlines: reminders, escalation, automatic evaluation and supervision, park reviews, location confirmation.</summary>
public sealed class DeadlinesFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddCaseDeadlineJobs(configuration);
}
