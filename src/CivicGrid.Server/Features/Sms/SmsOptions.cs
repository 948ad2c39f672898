using System.ComponentModel.DataAnnotations;

namespace CivicGrid.Server.Features.Sms;

/// <summary>
/// The <c>Sms</c> section: which provider sends SMS (<c>log</c>, <c>aliyun</c> or <c>tencent</c>), the sign name (签名),
/// each of our templates' id and parameters at that provider, the abuse limits and the verification codes. Secrets
/// (<c>Sms:Aliyun:AccessKeySecret</c>, <c>Sms:Tencent:SecretKey</c>…) come from environment variables
/// (<c>Sms__Aliyun__AccessKeySecret</c>) or the file <c>keys/sms.json</c> in the data directory, never from committed settings.
/// </summary>
public sealed class SmsOptions : IValidatableObject
{
    public const string Section = "Sms";

    public const string LogProvider = "log";
    public const string AliyunProvider = "aliyun";
    public const string TencentProvider = "tencent";

    /// <summary><c>log</c> (the default: messages go to the log only), <c>aliyun</c> or <c>tencent</c>.</summary>
    public string Provider { get; set; } = LogProvider;

    /// <summary>The approved sign name (短信签名), e.g. <c>某某街道</c>; required with a real provider.</summary>
    public string? SignName { get; set; }

    /// <summary>
    /// Our template codes (<c>case-progress</c>, <c>case-task</c>, <c>verification-code</c>, <c>case-follow-link</c>) to the
    /// provider's template id and the parameters it takes, in order.
    /// </summary>
    public Dictionary<string, SmsTemplate> Templates { get; set; } = new(StringComparer.Ordinal);

    public AliyunSmsOptions Aliyun { get; set; } = new();

    public TencentSmsOptions Tencent { get; set; } = new();

    /// <summary>How long one request to the provider may take; the outbox retries a timeout (never the HTTP client).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>SMS (codes and case messages) one number may receive in 24 hours; more are refused and recorded.</summary>
    [Range(1, 1000)]
    public int PerNumberPerDay { get; set; } = 10;

    /// <summary>Verification codes one client address may ask for in 24 hours.</summary>
    [Range(1, 100_000)]
    public int PerAddressPerDay { get; set; } = 20;

    /// <summary>Code requests and confirmations one client address may make a minute (a burst limit under the daily caps).</summary>
    [Range(1, 100_000)]
    public int CodeRequestsPerMinute { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:01:00", "00:30:00")]
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Wrong codes allowed before the number is cooled down.</summary>
    [Range(1, 20)]
    public int CodeAttempts { get; set; } = 5;

    /// <summary>How long a number waits for a new code after its tries ran out.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan CodeCooldown { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The least time between two codes to one number.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:10:00")]
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long messages to a number not yet verified are held before they are dropped.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan HoldFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The secret part of the delivery-receipt callback addresses (<c>/api/sms/receipts/{provider}?token=…</c>), given to the
    /// provider's console; without it the callbacks are refused.
    /// </summary>
    public string? ReceiptToken { get; set; }

    /// <summary>Where the phone pages are reached from outside (<c>https://grid.example.gov.cn</c>), for the follow link in an SMS.</summary>
    [Url]
    public string? PublicUrl { get; set; }

    public bool IsReal => !string.Equals(Provider, LogProvider, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var provider = Provider.ToLowerInvariant();
        if (provider is not (LogProvider or AliyunProvider or TencentProvider))
        {
            yield return new ValidationResult($"Sms:Provider must be log, aliyun or tencent, not '{Provider}'.", [nameof(Provider)]);
            yield break;
        }

        if (provider == LogProvider)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(SignName))
        {
            yield return new ValidationResult($"Sms:SignName (the approved 短信签名) is required with Sms:Provider={provider}.", [nameof(SignName)]);
        }

        foreach (var code in SmsTemplates.All)
        {
            if (!Templates.TryGetValue(code, out var template) || string.IsNullOrWhiteSpace(template.TemplateId))
            {
                yield return new ValidationResult($"Sms:Templates:{code}:TemplateId is missing: the {provider} template that sends '{code}'.", [nameof(Templates)]);
            }
        }

        var missing = provider == AliyunProvider
            ? new[] { ("Sms:Aliyun:AccessKeyId", Aliyun.AccessKeyId), ("Sms:Aliyun:AccessKeySecret", Aliyun.AccessKeySecret) }
            : [("Sms:Tencent:SecretId", Tencent.SecretId), ("Sms:Tencent:SecretKey", Tencent.SecretKey), ("Sms:Tencent:SdkAppId", Tencent.SdkAppId)];
        foreach (var (name, value) in missing.Where(m => string.IsNullOrWhiteSpace(m.Item2)))
        {
            yield return new ValidationResult(
                $"{name} is missing with Sms:Provider={provider}: set the environment variable {name.Replace(":", "__", StringComparison.Ordinal)} or put it in keys/sms.json in the data directory.",
                [nameof(Provider)]);
        }
    }

    /// <summary>The template for one of our codes; throws when not configured (validated at start for a real provider).</summary>
    public SmsTemplate TemplateFor(string code) =>
        Templates.TryGetValue(code, out var template) && !string.IsNullOrWhiteSpace(template.TemplateId)
            ? template
            : throw new InvalidOperationException($"Sms:Templates:{code} is not configured.");
}

/// <summary>One of our templates at the provider.</summary>
public sealed class SmsTemplate
{
    /// <summary>The provider's template code (Aliyun <c>SMS_123</c>) or id (Tencent <c>1234567</c>).</summary>
    public string TemplateId { get; set; } = string.Empty;

    /// <summary>
    /// Our parameter names in the order the template uses them (Tencent takes an ordered array); for Aliyun, whose template
    /// names its variables, an entry <c>providerName=ourName</c> renames one (<c>content=text</c>).
    /// </summary>
    public List<string> Parameters { get; set; } = [];

    /// <summary>(the provider's name, our name) for each parameter, in order.</summary>
    public IEnumerable<(string ProviderName, string OurName)> Mapping() => Parameters.Select(p =>
    {
        var equals = p.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (p, p) : (p[..equals], p[(equals + 1)..]);
    });
}

public sealed class AliyunSmsOptions
{
    /// <summary>The RPC endpoint; the fake provider in tests replaces it.</summary>
    [Url]
    public string Endpoint { get; set; } = "https://dysmsapi.aliyuncs.com/";

    public string RegionId { get; set; } = "cn-hangzhou";

    public string? AccessKeyId { get; set; }

    /// <summary>Secret: from the environment or keys/sms.json only.</summary>
    public string? AccessKeySecret { get; set; }
}

public sealed class TencentSmsOptions
{
    [Url]
    public string Endpoint { get; set; } = "https://sms.tencentcloudapi.com/";

    public string Region { get; set; } = "ap-guangzhou";

    /// <summary>The SMS application (SdkAppId, e.g. 1400006666).</summary>
    public string? SdkAppId { get; set; }

    public string? SecretId { get; set; }

    /// <summary>Secret: from the environment or keys/sms.json only.</summary>
    public string? SecretKey { get; set; }
}
