using System.ComponentModel.DataAnnotations;

namespace CivicGrid.Server.Features.District;

/// <summary>
/// The <c>District</c> section: the district's system that red cases are handed to (outbound webhook) and that answers
/// back (inbound endpoint), both signed with one shared secret (<see cref="DistrictSignature"/>).
/// </summary>
public sealed class DistrictOptions : IValidatableObject
{
    public const string Section = "District";

    /// <summary>Where a red case's hand-off is POSTed (absolute http or https); none: referrals wait for the console.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>The shared HMAC-SHA256 secret of both directions, at least 32 characters; none: the inbound endpoint refuses all.</summary>
    public string? Secret { get; set; }

    /// <summary>How far a signed request's timestamp may lie from our clock, either way; older ones are refused as replays.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>True when hand-offs go out by webhook.</summary>
    public bool SendsWebhooks => WebhookUrl is not null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WebhookUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult("District:WebhookUrl must be an absolute http or https URL.", [nameof(WebhookUrl)]);
        }

        if (Secret is { } secret && secret.Length < 32)
        {
            yield return new ValidationResult("District:Secret must have at least 32 characters.", [nameof(Secret)]);
        }

        if (WebhookUrl is not null && string.IsNullOrEmpty(Secret))
        {
            yield return new ValidationResult("District:Secret is required when District:WebhookUrl is set: every hand-off is signed.", [nameof(Secret)]);
        }
    }
}
