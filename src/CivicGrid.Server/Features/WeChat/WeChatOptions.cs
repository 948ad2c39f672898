using System.ComponentModel.DataAnnotations;

namespace CivicGrid.Server.Features.WeChat;

/// <summary>
/// The <c>WeChat</c> section: the subdistrict's official account (公众号). With no <see cref="AppId"/> the WeChat end is off:
/// the phone pages never redirect to WeChat, the JS-SDK endpoint answers 404 and template messages go to the log.
/// The AppSecret is never in committed settings: <c>WeChat__AppSecret</c> in the environment, or the file
/// <c>keys/wechat-appsecret</c> in the data directory (read at start).
/// </summary>
public sealed class WeChatOptions : IValidatableObject
{
    public const string Section = "WeChat";

    /// <summary>The file in the data directory's <c>keys</c> folder that holds the AppSecret when the environment does not.</summary>
    public const string SecretFileName = "wechat-appsecret";

    /// <summary>The official account's AppID (wx followed by 16 hex digits); none: the WeChat end is off.</summary>
    public string? AppId { get; set; }

    /// <summary>The AppSecret; from the environment or the data directory only.</summary>
    public string? AppSecret { get; set; }

    /// <summary>Where the authorisation page lives; tests point it at the fake server.</summary>
    public Uri OAuthBaseUrl { get; set; } = new("https://open.weixin.qq.com");

    /// <summary>The API host (token, ticket, code exchange, user info, template send); tests point it at the fake server.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://api.weixin.qq.com");

    /// <summary>
    /// The JS-SDK script the report page loads inside WeChat. Production uses the official script; the browser tests point
    /// it at the fake server's shim (it cannot come from the internet there).
    /// </summary>
    public Uri JsSdkScriptUrl { get; set; } = new("https://res.wx.qq.com/open/js/jweixin-1.6.0.js");

    /// <summary>
    /// The public address of this server as residents reach it (https://…, no trailing path): the OAuth redirect_uri and the
    /// links in template messages are built on it. It must be inside the account's 网页授权域名 and JS 接口安全域名.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary><c>snsapi_base</c> (silent, openid only) or <c>snsapi_userinfo</c> (asks the resident, adds the nickname).</summary>
    [RegularExpression("^snsapi_(base|userinfo)$")]
    public string Scope { get; set; } = "snsapi_base";

    /// <summary>
    /// Template ids per public step: <c>received</c>, <c>accepted</c>, <c>handled</c>, <c>verify</c>, <c>closed</c>, and
    /// <c>progress</c> for the other public steps (transfer, escalation…). A step with no template is not sent by WeChat.
    /// </summary>
    public Dictionary<string, string> Templates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The template's data keys for our fields (<c>number</c>, <c>step</c>, <c>time</c>, <c>text</c>): the keys the templates
    /// chosen in the account's back office use. The defaults suit a template with 案件编号 (character_string1), 办理进度
    /// (phrase2), 更新时间 (time3) and 说明 (thing4).
    /// </summary>
    public Dictionary<string, string> Fields { get; set; } = new(StringComparer.Ordinal)
    {
        ["number"] = "character_string1",
        ["step"] = "phrase2",
        ["time"] = "time3",
        ["text"] = "thing4",
    };

    /// <summary>How long one call to WeChat may take before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long before its expiry a cached access token or ticket is refreshed (WeChat gives 7,200 s; refreshing early keeps
    /// a token handed out just before expiry from failing in flight).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RefreshEarly { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an OAuth <c>state</c> stays valid: the round trip through WeChat's page.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "00:30:00")]
    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>True when the official account is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(AppId);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(AppSecret))
        {
            yield return new ValidationResult(
                $"WeChat:AppId is set but the AppSecret is not: set WeChat__AppSecret in the environment or put it in keys/{SecretFileName} in the data directory.",
                [nameof(AppSecret)]);
        }

        foreach (var key in Templates.Keys.Where(k => !WeChatSteps.TemplateKeys.Contains(k)))
        {
            yield return new ValidationResult($"WeChat:Templates:{key} is not a step; the steps are {string.Join(", ", WeChatSteps.TemplateKeys)}.", [nameof(Templates)]);
        }
    }
}

/// <summary>The public steps of a case that a resident hears of by WeChat template message, and which template each uses.</summary>
public static class WeChatSteps
{
    public static readonly IReadOnlyList<string> TemplateKeys = ["received", "accepted", "handled", "verify", "closed", "progress"];

    /// <summary>The template key of a timeline action: report → received, accept → accepted, record-handled → handled,
    /// verify → verify (please rate), close → closed, any other public step → progress.</summary>
    public static string TemplateKeyOf(string? action) => action switch
    {
        "report" => "received",
        "accept" => "accepted",
        "record-handled" => "handled",
        "verify" => "verify",
        "close" => "closed",
        _ => "progress",
    };

    /// <summary>The step as the resident reads it in the message (a phrase of at most five characters).</summary>
    public static string NameOf(string templateKey) => templateKey switch
    {
        "received" => "已收到",
        "accepted" => "已立案",
        "handled" => "已处理",
        "verify" => "请评价",
        "closed" => "已办结",
        _ => "有新进展",
    };
}
