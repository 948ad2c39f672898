using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Infrastructure.Jobs;

public enum JobRunOutcome
{
    /// <summary>Another instance holds the job, or (on schedule) it is not due yet.</summary>
    NotClaimed,
    Succeeded,
    Failed,
}

public sealed record JobRun(string Name, JobRunOutcome Outcome, int Done = 0, string? Error = null);

/// <summary>
/// Runs <see cref="IScheduledJob"/>s with their state in the database (<c>scheduled_jobs</c>), so that restarts resume
/// the schedule and several instances share it. A run is claimed by one conditional UPDATE — the job's row, with no
/// live lease and (on schedule) due — that takes the lease and sets the next run; one row affected means this
/// instance runs it, none means someone else does or did. The lease is released when the run ends.
/// </summary>
public sealed class JobRunner(IServiceScopeFactory scopes, IOptions<JobsOptions> options, TimeProvider time, Features.Metrics.CivicGridMetrics metrics,
    ILogger<JobRunner> logger)
{
    /// <summary>This runner's name on the leases it takes.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Runs every enabled job that is due and not held by another instance, one after the other.</summary>
    /// <param name="only">Only these jobs, when given.</param>
    public async Task<IReadOnlyList<JobRun>> RunDueAsync(CancellationToken ct, IReadOnlyCollection<string>? only = null)
    {
        List<(string Name, ScheduledJobOptions Schedule)> jobs;
        await using (var scope = scopes.CreateAsyncScope())
        {
            jobs = [.. scope.ServiceProvider.GetServices<IScheduledJob>().Select(j => (j.Name, j.Schedule))];
        }

        var runs = new List<JobRun>();
        foreach (var (name, schedule) in jobs.Where(j => j.Schedule.Enabled && (only is null || only.Contains(j.Name))))
        {
            runs.Add(await TryRunAsync(name, schedule.Interval, force: false, ct));
        }

        return runs;
    }

    /// <summary>
    /// Runs one job now, due or not and even when disabled in the configuration (an operator's or a test's explicit
    /// run), unless another instance holds it; the next scheduled run is counted from now.
    /// </summary>
    public async Task<JobRun> RunNowAsync(string name, CancellationToken ct)
    {
        TimeSpan interval;
        await using (var scope = scopes.CreateAsyncScope())
        {
            interval = Find(scope.ServiceProvider, name).Schedule.Interval;
        }

        return await TryRunAsync(name, interval, force: true, ct);
    }

    /// <summary>The stored state of a job.</summary>
    public async Task<ScheduledJobState?> StateAsync(string name, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        return await db.ScheduledJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Name == name, ct);
    }

    private async Task<JobRun> TryRunAsync(string name, TimeSpan interval, bool force, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        await EnsureRowAsync(db, name, ct);

        var now = time.GetUtcNow();
        var leaseUntil = now + options.Value.LeaseDuration;
        var next = now + interval;
        var claimed = await db.ScheduledJobs
            .Where(j => j.Name == name && (j.LeaseUntil == null || j.LeaseUntil < now) && (force || j.NextRunAt == null || j.NextRunAt <= now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.LeaseOwner, InstanceId)
                .SetProperty(j => j.LeaseUntil, leaseUntil)
                .SetProperty(j => j.LastStartedAt, now)
                .SetProperty(j => j.NextRunAt, next), ct);
        if (claimed != 1)
        {
            return new JobRun(name, JobRunOutcome.NotClaimed);
        }

        JobRun? run = null;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var done = await Find(scope.ServiceProvider, name).RunAsync(now, ct);
            run = new JobRun(name, JobRunOutcome.Succeeded, done);
            if (done > 0)
            {
                logger.LogInformation("Job {Job} did {Done} thing(s)", name, done);
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogError(e, "Job {Job} failed; it runs again at {Next}", name, next);
            run = new JobRun(name, JobRunOutcome.Failed, 0, e.Message);
        }
        finally
        {
            metrics.JobRan(name, run?.Outcome ?? JobRunOutcome.Failed, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            var finished = time.GetUtcNow();
            var result = run?.Outcome == JobRunOutcome.Succeeded ? run.Done : (int?)null;
            var error = run?.Error is { } message ? (message.Length > 2000 ? message[..2000] : message) : null;
            await db.ScheduledJobs.Where(j => j.Name == name && j.LeaseOwner == InstanceId).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(j => j.LastFinishedAt, finished)
                .SetProperty(j => j.LastResult, result)
                .SetProperty(j => j.LastError, error)
                .SetProperty(j => j.RunCount, j => j.RunCount + 1), CancellationToken.None);
        }

        return run;
    }

    private static IScheduledJob Find(IServiceProvider services, string name) =>
        services.GetServices<IScheduledJob>().SingleOrDefault(j => j.Name == name)
        ?? throw new ArgumentException($"No scheduled job is named '{name}'.", nameof(name));

    private static async Task EnsureRowAsync(CivicGridDbContext db, string name, CancellationToken ct)
    {
        if (await db.ScheduledJobs.AnyAsync(j => j.Name == name, ct))
        {
            return;
        }

        db.ScheduledJobs.Add(new ScheduledJobState(name));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Another instance made it first.
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}

/// <summary>Runs due jobs every <see cref="JobsOptions.PollInterval"/> while the server runs (unless <c>Jobs:Enabled</c> is false).</summary>
public sealed class JobRunnerService(JobRunner runner, IOptions<JobsOptions> options, TimeProvider time, ILogger<JobRunnerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("Scheduled jobs disabled on this instance (Jobs:Enabled=false)");
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await runner.RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Scheduled jobs round failed; trying again in {Interval}", options.Value.PollInterval);
            }

            try
            {
                await Task.Delay(options.Value.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
