using System.ComponentModel.DataAnnotations;

namespace CivicGrid.Server.Features.Notifications;

/// <summary>The <c>Outbox</c> section: how SMS and WeChat messages are delivered.</summary>
public sealed class OutboxOptions : IValidatableObject
{
    public const string Section = "Outbox";

    /// <summary>Whether this instance runs the dispatcher; messages are still written when it does not.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the dispatcher looks for due messages.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages claimed per round.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>Attempts before a message is given up (marked failed and logged).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>
    /// Attempts before a webhook to the district is given up: a red case must survive the district's system being down
    /// for hours (24 attempts with the default back-off span about 17 hours).
    /// </summary>
    [Range(1, 1000)]
    public int DistrictMaxAttempts { get; set; } = 24;

    /// <summary>The wait after the first failure; it doubles with each further failure.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a claimed message is reserved for its dispatcher; longer than <see cref="SendTimeout"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one send may take before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SendTimeout >= LeaseDuration)
        {
            yield return new ValidationResult("Outbox:SendTimeout must be shorter than Outbox:LeaseDuration, or another instance could send a message still being sent.",
                [nameof(SendTimeout), nameof(LeaseDuration)]);
        }

        if (RetryMaxDelay < RetryBaseDelay)
        {
            yield return new ValidationResult("Outbox:RetryMaxDelay must not be shorter than Outbox:RetryBaseDelay.", [nameof(RetryMaxDelay)]);
        }
    }

    /// <summary>Attempts before a message of <paramref name="channel"/> is given up.</summary>
    public int MaxAttemptsOf(OutboxChannel channel) => channel == OutboxChannel.DistrictWebhook ? DistrictMaxAttempts : MaxAttempts;

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1: base × 2^(attempts − 1), at most the maximum.</summary>
    public TimeSpan BackOff(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(RetryBaseDelay.Ticks * factor, RetryMaxDelay.Ticks));
        return delay < RetryBaseDelay ? RetryBaseDelay : delay;
    }
}
