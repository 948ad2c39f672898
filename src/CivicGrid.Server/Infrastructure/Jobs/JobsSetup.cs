using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Infrastructure.Jobs;

public static class JobsSetup
{
    /// <summary>The runner (options validated at start) and its background loop. Register after the database initializer.</summary>
    public static IServiceCollection AddJobRunner(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<JobRunner>();
        services.AddHostedService<JobRunnerService>();
        services.AddScheduledJob<HousekeepingJob, HousekeepingOptions>(configuration, HousekeepingOptions.Section);
        return services;
    }

    /// <summary>
    /// Registers a job (scoped, resolved per run; also as itself so that it can be run directly) and its options,
    /// bound from <c>Jobs:<paramref name="section"/></c> and validated at start.
    /// </summary>
    public static IServiceCollection AddScheduledJob<TJob, TOptions>(this IServiceCollection services, IConfiguration configuration, string section)
        where TJob : class, IScheduledJob
        where TOptions : ScheduledJobOptions
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection($"{JobsOptions.Section}:{section}")).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<TJob>();
        services.AddScoped<IScheduledJob>(sp => sp.GetRequiredService<TJob>());
        return services;
    }

    /// <summary>
    /// Does a one-off action at most once across runs and instances: <paramref name="act"/> adds its changes (usually
    /// notifications through the writer), and they are saved together with a <see cref="JobMark"/> under
    /// <paramref name="key"/>. Returns false, with nothing saved, when the mark was already there.
    /// </summary>
    public static async Task<bool> OnceAsync(this CivicGridDbContext db, string key, DateTimeOffset now, Func<NotificationWriter, Task> act, CancellationToken ct)
    {
        try
        {
            if (await db.JobMarks.AnyAsync(m => m.Key == key, ct))
            {
                return false;
            }

            db.JobMarks.Add(new JobMark(key, now));
            await act(new NotificationWriter(db));
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return false; // another run marked it between our look and our save
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
