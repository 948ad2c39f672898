using System.ComponentModel.DataAnnotations;

namespace CivicGrid.Server.Features.Metrics;

/// <summary>The <c>Metrics</c> section: the Prometheus scrape endpoint and who may read it.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>The shortest scrape token accepted: 32 characters (the generated one is 43, 256 random bits).</summary>
    public const int MinTokenLength = 32;

    /// <summary>False: no meter provider, no exporter, no endpoint (the instruments cost nothing without a listener).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where Prometheus scrapes, <c>/metrics</c> by default.</summary>
    [Required]
    [RegularExpression("^/[A-Za-z0-9/_.-]*$", ErrorMessage = "Metrics:Path must start with / and hold only letters, digits, '/', '_', '.' and '-'.")]
    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// The bearer token a scraper sends (<c>Authorization: Bearer …</c>) to read the metrics without a session, e.g. from the
    /// environment (<c>Metrics__ScrapeToken</c>). Empty: the token file is read instead, if it exists; with neither, only a
    /// signed-in system or security administrator can read them.
    /// </summary>
    public string? ScrapeToken { get; set; }

    /// <summary>Empty, or a token long enough not to be guessed.</summary>
    public bool HasValidToken => string.IsNullOrWhiteSpace(ScrapeToken) || ScrapeToken.Trim().Length >= MinTokenLength;

    /// <summary>The token's file, relative to the data directory unless rooted (written by the <c>metrics token</c> command).</summary>
    [Required]
    public string ScrapeTokenFile { get; set; } = "keys/metrics-scrape-token";
}
