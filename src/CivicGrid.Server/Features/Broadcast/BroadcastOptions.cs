using System.ComponentModel.DataAnnotations;

namespace CivicGrid.Server.Features.Broadcast;

/// <summary>The <c>Broadcast</c> section: the speakers' text limit and how commands to speakers are retried.</summary>
public sealed class BroadcastOptions
{
    public const string Section = "Broadcast";

    /// <summary>
    /// The longest text, in characters, a broadcast may carry: what the speakers' text-to-speech takes in one command.
    /// 200 Chinese characters read at about 4–5 characters a second is 40–50 s per repetition.
    /// </summary>
    [Range(10, 2000)]
    public int MaxSpeakerText { get; set; } = 200;

    /// <summary>How long to wait for a speaker's acknowledgement before sending the command again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Sends of a command to one speaker; without an acknowledgement after the last one (and its wait) the delivery fails.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How often the dispatcher looks for due deliveries (a new broadcast wakes it at once on this instance).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an instance holds a delivery it claimed; a crashed instance's claims run out after it.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Deliveries claimed per round.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;
}
