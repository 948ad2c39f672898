using System.ComponentModel.DataAnnotations;

namespace CivicGrid.Server.Infrastructure.Http.Idempotency;

/// <summary>The <c>Idempotency</c> section of the configuration.</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    /// <summary>How long a key and its answer are kept; a phone retries within minutes, a day is generous.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// After this long an unfinished first request is taken to have died with its server instance, and a retry takes
    /// its key over rather than getting 409 until the key expires. Safe even when the first request was only slow: its
    /// answer is stored in its effect's transaction only while the key is still its own, so it then commits nothing.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan InProgressTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest keyed request body buffered and fingerprinted; larger ones get 413. Photos count.</summary>
    [Range(1, 512L * 1024 * 1024)]
    public long MaxRequestBytes { get; set; } = 140L * 1024 * 1024;

    /// <summary>The largest answer stored for replay; a larger one is replayed as status and location only.</summary>
    [Range(0, 16 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 256 * 1024;
}
