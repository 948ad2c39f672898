using System.Security.Claims;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using CivicGrid.Server.Infrastructure.Jobs;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Jobs;

/// <summary>A scheduled job as an operator sees it: its settings on this instance and its shared state.</summary>
/// <param name="Enabled">Runs on schedule (on instances with <c>Jobs:Enabled</c>).</param>
/// <param name="LeaseOwner">The instance running it now, while <paramref name="LeaseUntil"/> lies ahead.</param>
/// <param name="LastResult">What the last finished run did (cases changed, notices sent, rows deleted); null when it failed.</param>
public sealed record JobStatus(string Name, bool Enabled, TimeSpan Interval, DateTimeOffset? NextRunAt, string? LeaseOwner, DateTimeOffset? LeaseUntil,
    DateTimeOffset? LastStartedAt, DateTimeOffset? LastFinishedAt, int? LastResult, string? LastError, int RunCount);

/// <param name="RunnerEnabled">Whether this instance runs scheduled jobs at all (<c>Jobs:Enabled</c>).</param>
public sealed record JobsStatus(bool RunnerEnabled, string Instance, IReadOnlyList<JobStatus> Jobs);

/// <param name="Outcome">succeeded, failed, or not-claimed (another instance holds the job right now).</param>
public sealed record JobRunResponse(string Name, JobRunOutcome Outcome, int Done, string? Error);

/// <summary>
/// The scheduled jobs for operators: what runs, when it last ran, what it did or why it failed, and a way to run one now
/// (after fixing a failure, or to see a rule change take effect). Reading is for the system and audit administrators;
/// running is for the system administrator. The same is on the command line as <c>jobs status</c> and <c>jobs run</c>.
/// </summary>
public static class JobsApi
{
    private static readonly HashSet<Role> MayRead = [Role.SystemAdmin, Role.AuditAdmin];

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin/jobs").WithTags("Operations");
        group.MapGet("", List).WithName("ListScheduledJobs").WithSummary("Every scheduled job with its schedule, last run and last error.");
        group.MapPost("/{name}/run", Run).WithName("RunScheduledJob").WithSummary("Runs one job now (system administrator).");
        return routes;
    }

    public static async Task<Results<Ok<JobsStatus>, ProblemHttpResult>> List(ClaimsPrincipal principal, IServiceProvider services, JobRunner runner,
        Microsoft.Extensions.Options.IOptions<JobsOptions> options, CancellationToken ct)
    {
        if (!principal.GetRoles().Any(MayRead.Contains))
        {
            return Problems.Forbidden("只有系统管理员和审计管理员可以查看后台任务。");
        }

        return TypedResults.Ok(await StatusAsync(services, runner, options.Value, ct));
    }

    public static async Task<Results<Ok<JobRunResponse>, ProblemHttpResult>> Run(string name, ClaimsPrincipal principal, IServiceProvider services,
        JobRunner runner, CancellationToken ct)
    {
        if (!principal.GetRoles().Contains(Role.SystemAdmin))
        {
            return Problems.Forbidden("只有系统管理员可以手动运行后台任务。");
        }

        var names = services.GetServices<IScheduledJob>().Select(j => j.Name).ToList();
        if (!names.Contains(name))
        {
            return Problems.NotFound($"没有名为“{name}”的后台任务，可用：{string.Join("、", names)}。");
        }

        var run = await runner.RunNowAsync(name, ct);
        return TypedResults.Ok(new JobRunResponse(run.Name, run.Outcome, run.Done, run.Error));
    }

    /// <summary>Every registered job joined with its stored state (a job that never ran has no row yet).</summary>
    public static async Task<JobsStatus> StatusAsync(IServiceProvider services, JobRunner runner, JobsOptions options, CancellationToken ct)
    {
        var db = services.GetRequiredService<CivicGridDbContext>();
        var states = await db.ScheduledJobs.AsNoTracking().ToDictionaryAsync(j => j.Name, ct);
        var jobs = services.GetServices<IScheduledJob>()
            .Select(j => (Job: j, State: states.GetValueOrDefault(j.Name)))
            .OrderBy(x => x.Job.Name, StringComparer.Ordinal)
            .Select(x => new JobStatus(x.Job.Name, x.Job.Schedule.Enabled, x.Job.Schedule.Interval, x.State?.NextRunAt, x.State?.LeaseOwner,
                x.State?.LeaseUntil, x.State?.LastStartedAt, x.State?.LastFinishedAt, x.State?.LastResult, x.State?.LastError, x.State?.RunCount ?? 0))
            .ToList();
        return new JobsStatus(options.Enabled, runner.InstanceId, jobs);
    }
}
