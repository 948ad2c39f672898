using System.ComponentModel.DataAnnotations;
using CivicGrid.Domain.Cases;
using CivicGrid.Server.Infrastructure.Jobs;

namespace CivicGrid.Server.Features.Deadlines;

/// <summary><c>Jobs:DueReminders</c>: reminders to the assignee before an assignment is due.</summary>
public sealed class DueReminderOptions : ScheduledJobOptions
{
    public const string Section = "DueReminders";

    /// <summary>How many working hours (on the work calendar) before the due time the assignee is reminded.</summary>
    [Range(0.25, 80)]
    public double LeadWorkingHours { get; set; } = 2;

    /// <summary>
    /// How many hours of the clock before the due time the assignee of a case whose category counts natural time (fire,
    /// flooding, public safety) is reminded, day or night: such limits are short, so the lead is too.
    /// </summary>
    [Range(0.1, 48)]
    public double LeadNaturalHours { get; set; } = 0.5;
}

/// <summary><c>Jobs:OverdueEscalation</c>: which colours an overdue case is escalated from automatically, one colour up.</summary>
public sealed class OverdueEscalationOptions : ScheduledJobOptions
{
    public const string Section = "OverdueEscalation";

    /// <summary>Green (grid) → yellow (community).</summary>
    public bool EscalateGreen { get; set; } = true;

    /// <summary>Yellow (community) → blue (subdistrict).</summary>
    public bool EscalateYellow { get; set; } = true;

    /// <summary>Blue (subdistrict) → red (district); off by default: the district is asked by people, not by a timer.</summary>
    public bool EscalateBlue { get; set; }

    /// <summary>How long past its due time a case waits before it is escalated.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.Zero;

    /// <summary>Cases escalated per run at most; the rest wait for the next run.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    public IReadOnlyList<CaseTier> Tiers() =>
    [
        .. EscalateGreen ? [CaseTier.Green] : Array.Empty<CaseTier>(),
        .. EscalateYellow ? [CaseTier.Yellow] : Array.Empty<CaseTier>(),
        .. EscalateBlue ? [CaseTier.Blue] : Array.Empty<CaseTier>(),
    ];
}

/// <summary><c>Jobs:AutoEvaluation</c>: a verified case nobody rated is evaluated automatically after this many days.</summary>
public sealed class AutoEvaluationOptions : ScheduledJobOptions
{
    public const string Section = "AutoEvaluation";

    [Range(1, 90)]
    public int WaitingDays { get; set; } = 7;

    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    public AutoEvaluationOptions() => Interval = TimeSpan.FromHours(1);
}

/// <summary><c>Jobs:SupervisionDeadlines</c>: tells owner staff and the assignee when a supervision's deadline passed.</summary>
public sealed class SupervisionDeadlineOptions : ScheduledJobOptions
{
    public const string Section = "SupervisionDeadlines";

    /// <summary>Deadlines older than this are not announced any more (a first start on old data stays quiet).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan LookBack { get; set; } = TimeSpan.FromDays(30);
}

/// <summary><c>Jobs:ParkReviews</c>: tells owner staff when a parked case reaches its review date.</summary>
public sealed class ParkReviewOptions : ScheduledJobOptions
{
    public const string Section = "ParkReviews";

    public ParkReviewOptions() => Interval = TimeSpan.FromHours(1);
}

/// <summary><c>Jobs:AutoSupervision</c>: the system supervises (督办) cases long overdue; off by default.</summary>
public sealed class AutoSupervisionOptions : ScheduledJobOptions
{
    public const string Section = "AutoSupervision";

    /// <summary>How long past its due time a case is before the system supervises it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00")]
    public TimeSpan OverdueFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The supervision's own deadline, in working hours from now.</summary>
    [Range(1, 400)]
    public double DeadlineWorkingHours { get; set; } = 8;

    public AutoSupervisionOptions() => Enabled = false;
}

/// <summary><c>Jobs:LocationConfirmation</c>: gives an ambiguous case nobody claimed in time to its best candidate grid.</summary>
public sealed class LocationConfirmationOptions : ScheduledJobOptions
{
    public const string Section = "LocationConfirmation";

    public LocationConfirmationOptions() => Interval = TimeSpan.FromMinutes(1);
}
