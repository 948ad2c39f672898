using System.Globalization;
using CivicGrid.Server.Commands;
using CivicGrid.Server.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Jobs;

/// <summary>Every scheduled job with its schedule, last run, what it did and its last error; exit 1 when one failed.</summary>
[OperatorCommand("jobs status", "", "every scheduled job: schedule, last run, what it did, last error")]
internal sealed class JobsStatusCommand(IServiceProvider services, JobRunner runner, IOptions<JobsOptions> options) : IOperatorCommand
{
    public async Task<int> RunAsync(CommandContext context)
    {
        await context.MigrateAsync();
        var status = await JobsApi.StatusAsync(services, runner, options.Value, CancellationToken.None);
        await context.Out.WriteLineAsync($"{"job",-26} {"on",-3} {"every",-10} {"last finished (UTC)",-20} {"did",5} {"runs",5}  next run (UTC) / last error");
        foreach (var job in status.Jobs)
        {
            var finished = job.LastFinishedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "never";
            var tail = job.LastError is { } error ? $"FAILED: {error}"
                : job.NextRunAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";
            await context.Out.WriteLineAsync(
                $"{job.Name,-26} {(job.Enabled ? "yes" : "no"),-3} {job.Interval,-10} {finished,-20} {job.LastResult?.ToString(CultureInfo.InvariantCulture) ?? "-",5} {job.RunCount,5}  {tail}");
        }

        return status.Jobs.Any(j => j.LastError is not null) ? 1 : 0;
    }
}

/// <summary>Runs one scheduled job now; exit 1 when it fails or another instance holds it.</summary>
[OperatorCommand("jobs run", "<name>", "run one scheduled job now (exit 1 when it fails or another instance holds it)")]
internal sealed class RunJobCommand(IEnumerable<IScheduledJob> jobs, JobRunner runner) : IOperatorCommand
{
    public async Task<int> RunAsync(CommandContext context)
    {
        var name = context.FirstArgument();
        var names = jobs.Select(j => j.Name).ToList();
        if (name is null || !names.Contains(name))
        {
            await context.Error.WriteLineAsync($"Usage: jobs run <name>; jobs: {string.Join(", ", names)}");
            return 2;
        }

        await context.MigrateAsync();
        var run = await runner.RunNowAsync(name, CancellationToken.None);
        await context.Out.WriteLineAsync(run.Outcome switch
        {
            JobRunOutcome.Succeeded => $"{name}: done, {run.Done} acted on.",
            JobRunOutcome.Failed => $"{name}: FAILED: {run.Error}",
            _ => $"{name}: not run, another instance is running it now.",
        });
        return run.Outcome == JobRunOutcome.Succeeded ? 0 : 1;
    }
}
