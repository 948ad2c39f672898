using System.Security.Cryptography;
using System.Text;
using CivicGrid.Server.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CivicGrid.Server.Features.Metrics;

/// <summary>
/// The scrape token, from <c>Metrics:ScrapeToken</c> or else the token file in the data directory, read once. Only its
/// SHA-256 is kept, and a presented token is compared by its hash in constant time.
/// </summary>
public sealed class ScrapeToken(IOptions<MetricsOptions> options, DataDirectory dataDirectory)
{
    private readonly Lazy<byte[]?> _hash = new(() => Load(options.Value, dataDirectory) is { } token ? Hash(token) : null);

    /// <summary>True when a token is configured: a scraper can read the metrics without a session.</summary>
    public bool IsConfigured => _hash.Value is not null;

    /// <summary>The token file's full path.</summary>
    public static string FileOf(MetricsOptions options, DataDirectory dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataDirectory);
        return Path.IsPathRooted(options.ScrapeTokenFile) ? options.ScrapeTokenFile : dataDirectory.Combine(options.ScrapeTokenFile);
    }

    /// <summary>True when <paramref name="authorization"/> is exactly one <c>Bearer</c> header carrying the configured token.</summary>
    public bool Matches(StringValues authorization)
    {
        if (_hash.Value is not { } expected || authorization.Count != 1 || authorization[0] is not { } header
            || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, Hash(header["Bearer ".Length..].Trim()));
    }

    /// <summary>A new random token: 256 bits, URL-safe base64 (43 characters).</summary>
    public static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? Load(MetricsOptions settings, DataDirectory dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(settings.ScrapeToken))
        {
            return settings.ScrapeToken.Trim();
        }

        var file = FileOf(settings, dataDirectory);
        return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: >= MetricsOptions.MinTokenLength } stored ? stored : null;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
