using System.ComponentModel.DataAnnotations;
using CivicGrid.Server.Infrastructure.Jobs;

namespace CivicGrid.Server.Features.Duty;

/// <summary><c>Duty</c>: how long the officer on duty has to acknowledge an urgent alert before it escalates.</summary>
public sealed class DutyOptions
{
    public const string Section = "Duty";

    /// <summary>From the alert to its escalation to the leader on call.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AcknowledgeWithin { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Urgent cases overdue for longer than this when first seen raise no alert (a first start on old data stays quiet).</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan OverdueLookBack { get; set; } = TimeSpan.FromDays(1);
}

/// <summary><c>Jobs:DutyAlerts</c>: raises alerts for overdue urgent cases and escalates the unacknowledged ones; every minute.</summary>
public sealed class DutyAlertJobOptions : ScheduledJobOptions
{
    public const string Section = "DutyAlerts";

    public DutyAlertJobOptions() => Interval = TimeSpan.FromMinutes(1);
}
