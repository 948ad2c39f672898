using System.ComponentModel.DataAnnotations;

namespace CivicGrid.Server.Infrastructure.Jobs;

/// <summary>
/// A named recurring background job. Register it with <see cref="JobsSetup.AddScheduledJob{TJob, TOptions}"/>;
/// <see cref="JobRunner"/> runs it on one server instance at a time, every <see cref="ScheduledJobOptions.Interval"/>.
/// A job is resolved in a fresh DI scope for every run, acts as the system (it sees past query filters explicitly)
/// and must be safe to run twice: each of its actions is guarded by the case's optimistic concurrency or by a
/// <see cref="JobMark"/>, so a run that overlaps another (an expired lease, a test) cannot act twice.
/// </summary>
public interface IScheduledJob
{
    /// <summary>Stable kebab-case name: the job's row in <c>scheduled_jobs</c>.</summary>
    string Name { get; }

    /// <summary>Whether it runs on schedule, and how often.</summary>
    ScheduledJobOptions Schedule { get; }

    /// <summary>Does the job's work as of <paramref name="now"/>; returns how many things it did (cases changed, notices sent).</summary>
    Task<int> RunAsync(DateTimeOffset now, CancellationToken ct);
}

/// <summary>Settings every job has, under <c>Jobs:&lt;Section&gt;</c>.</summary>
public class ScheduledJobOptions
{
    /// <summary>False stops the job running on schedule (it can still be run on purpose).</summary>
    public bool Enabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:05", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>The <c>Jobs</c> section: the runner itself.</summary>
public sealed class JobsOptions : IValidatableObject
{
    public const string Section = "Jobs";

    /// <summary>Whether this instance runs scheduled jobs at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the runner looks for due jobs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a run holds its job; a run that dies leaves the job to others after this.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LeaseDuration <= PollInterval)
        {
            yield return new ValidationResult("Jobs:LeaseDuration must be longer than Jobs:PollInterval.", [nameof(LeaseDuration)]);
        }
    }
}

/// <summary>The stored state of one job, shared by every server instance: when it runs next and who holds it now.</summary>
public sealed class ScheduledJobState
{
    public const int MaxNameLength = 64;

    private ScheduledJobState()
    {
        Name = null!;
    }

    public ScheduledJobState(string name)
    {
        Name = name;
    }

    public string Name { get; private set; }

    /// <summary>When a scheduled run is due; null before the first.</summary>
    public DateTimeOffset? NextRunAt { get; private set; }

    /// <summary>The instance running it now, while <see cref="LeaseUntil"/> lies ahead.</summary>
    public string? LeaseOwner { get; private set; }

    public DateTimeOffset? LeaseUntil { get; private set; }

    public DateTimeOffset? LastStartedAt { get; private set; }

    public DateTimeOffset? LastFinishedAt { get; private set; }

    /// <summary>What the last finished run did (<see cref="IScheduledJob.RunAsync"/>'s count); null when it failed.</summary>
    public int? LastResult { get; private set; }

    public string? LastError { get; private set; }

    public int RunCount { get; private set; }
}

/// <summary>
/// "This was done": a job's one-off action (a reminder for one due time, a notice for one review date) is saved
/// together with its mark, keyed by what it is about; a key already present means it was done, by this instance or
/// another, and it is not done again.
/// </summary>
public sealed class JobMark
{
    public const int MaxKeyLength = 120;

    private JobMark()
    {
        Key = null!;
    }

    public JobMark(string key, DateTimeOffset createdAt)
    {
        Key = key;
        CreatedAt = createdAt;
    }

    public string Key { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}
