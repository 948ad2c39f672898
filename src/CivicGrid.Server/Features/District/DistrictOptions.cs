using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.District;

/// <summary>
/// The <c>District</c> section: the district's system that red cases are handed to (outbound webhook) and that answers
/// back (inbound endpoint), both signed with a shared secret known by a key id (<see cref="DistrictSignature"/>); several
/// keys may be configured so that the district can rotate.
/// </summary>
public sealed class DistrictOptions : IValidatableObject
{
    public const string Section = "District";

    /// <summary>Where a red case's hand-off is POSTed (absolute http or https); none: referrals wait for the console.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>The key id <see cref="Secret"/> goes by (<c>X-CivicGrid-Key-Id</c>) when it is configured on its own.</summary>
    public const string LegacyKeyId = "default";

    /// <summary>
    /// The shared HMAC-SHA256 secret of both directions, at least 32 characters, known by the key id
    /// <see cref="LegacyKeyId"/>; the configuration of one key from before key ids. <see cref="Keys"/> holds several.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>
    /// Shared secrets by key id (<c>District:Keys:&lt;id&gt;</c>, ids of letters, digits, '.', '_' and '-'): a signed answer
    /// from the district is accepted with any of them, so the district can rotate; outbound hand-offs are signed with
    /// <see cref="CurrentKeyId"/>'s. Remove a key once the district no longer uses it.
    /// </summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The key that signs outbound hand-offs, and that checks an answer sent without a key id; required with several keys.</summary>
    public string? CurrentKeyId { get; set; }

    /// <summary>How far a signed request's timestamp may lie from our clock, either way; older ones are refused as replays.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Signed answers one client address may post a minute (<c>/api/district/answers</c>); past it, 429 with Retry-After.
    /// The district's system answers a handful of referrals a day, so the default leaves it ample room and a flood none.
    /// </summary>
    [Range(1, 100_000)]
    public int AnswersPerMinute { get; set; } = 120;

    /// <summary>True when hand-offs go out by webhook.</summary>
    public bool SendsWebhooks => WebhookUrl is not null;

    /// <summary>Every configured key by its id: <see cref="Keys"/>, and <see cref="Secret"/> as <see cref="LegacyKeyId"/>.</summary>
    public IReadOnlyDictionary<string, string> AllKeys
    {
        get
        {
            var all = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (id, secret) in Keys)
            {
                if (!string.IsNullOrEmpty(secret))
                {
                    all[id] = secret;
                }
            }

            if (!string.IsNullOrEmpty(Secret))
            {
                all.TryAdd(LegacyKeyId, Secret);
            }

            return all;
        }
    }

    /// <summary>The id of the key that signs outbound: <see cref="CurrentKeyId"/>, else the only key; null when there is none (or no choice).</summary>
    public string? SigningKeyId => !string.IsNullOrEmpty(CurrentKeyId) ? CurrentKeyId : AllKeys.Count == 1 ? AllKeys.Keys.Single() : null;

    /// <summary>The signing key's id and secret, or null.</summary>
    public (string KeyId, string Secret)? SigningKey => SigningKeyId is { } id && AllKeys.TryGetValue(id, out var secret) ? (id, secret) : null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WebhookUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult("District:WebhookUrl must be an absolute http or https URL.", [nameof(WebhookUrl)]);
        }

        if (!string.IsNullOrEmpty(Secret) && Secret.Length < 32)
        {
            yield return new ValidationResult("District:Secret must have at least 32 characters.", [nameof(Secret)]);
        }

        foreach (var (id, secret) in Keys)
        {
            if (id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                yield return new ValidationResult($"District:Keys: the key id '{id}' must be 1-64 letters, digits, '.', '_' or '-'.", [nameof(Keys)]);
            }

            if (string.IsNullOrEmpty(secret) || secret.Length < 32)
            {
                yield return new ValidationResult($"District:Keys:{id} must have at least 32 characters.", [nameof(Keys)]);
            }
        }

        if (!string.IsNullOrEmpty(Secret) && Keys.ContainsKey(LegacyKeyId))
        {
            yield return new ValidationResult($"District:Secret is the key '{LegacyKeyId}'; set it or District:Keys:{LegacyKeyId}, not both.", [nameof(Secret)]);
        }

        var keys = AllKeys;
        if (!string.IsNullOrEmpty(CurrentKeyId) && !keys.ContainsKey(CurrentKeyId))
        {
            yield return new ValidationResult($"District:CurrentKeyId '{CurrentKeyId}' names no key in District:Keys.", [nameof(CurrentKeyId)]);
        }

        if (keys.Count > 1 && string.IsNullOrEmpty(CurrentKeyId))
        {
            yield return new ValidationResult("District:CurrentKeyId is required with several keys: it names the key that signs hand-offs.", [nameof(CurrentKeyId)]);
        }

        if (WebhookUrl is not null && keys.Count == 0)
        {
            yield return new ValidationResult("District:Secret (or District:Keys) is required when District:WebhookUrl is set: every hand-off is signed.",
                [nameof(Secret)]);
        }
    }
}

/// <summary>
/// In Production the district's URLs must be <c>https</c>: a hand-off carries a resident's case and its signature would be
/// readable (and the case with it) on a plain-http network. Development and tests may use a local <c>http</c> endpoint.
/// </summary>
public sealed class DistrictProductionValidator(IHostEnvironment environment) : IValidateOptions<DistrictOptions>
{
    public ValidateOptionsResult Validate(string? name, DistrictOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return environment.IsProduction() && options.WebhookUrl is { IsAbsoluteUri: true } url && url.Scheme != Uri.UriSchemeHttps
            ? ValidateOptionsResult.Fail($"District:WebhookUrl must be an https URL in Production (it is '{url.Scheme}://…'): hand-offs carry residents' cases.")
            : ValidateOptionsResult.Success;
    }
}
