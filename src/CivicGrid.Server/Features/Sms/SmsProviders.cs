using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CivicGrid.Server.Features.Notifications;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Sms;

/// <summary>Our SMS templates: the provider-side template of each is configured per provider (<see cref="SmsOptions.Templates"/>).</summary>
public static class SmsTemplates
{
    /// <summary>您的验证码为 ${code}，5 分钟内有效。Parameter <c>code</c>.</summary>
    public const string VerificationCode = "verification-code";

    /// <summary>您反映的问题已登记，编号 ${number}，查看进度：${link}. Parameters <c>number</c>, <c>link</c>.</summary>
    public const string FollowLink = "case-follow-link";

    /// <summary>Every template an SMS may be sent by; each must be configured for a real provider.</summary>
    public static readonly IReadOnlyList<string> All = [OutboxTemplates.CaseProgress, VerificationCode, FollowLink];
}

/// <summary>
/// The provider refused a message (its error code and message), or answered something that is not its documented answer.
/// The outbox retries; the code is kept in the message's last error.
/// </summary>
public sealed class SmsProviderException(string provider, string code, string message)
    : Exception($"{provider} refused the SMS: {code} {message}")
{
    public string Provider { get; } = provider;

    public string Code { get; } = code;
}

/// <summary>
/// Alibaba Cloud SMS <c>SendSms</c> (API version 2017-05-25, RPC style, signature v1.0 HMAC-SHA1 by
/// <see cref="AliyunSigner"/>): a form POST to the endpoint; the answer's <c>Code</c> is <c>OK</c> on success with the
/// <c>BizId</c> that delivery receipts name; anything else is the provider's error. Our message id travels as <c>OutId</c>,
/// which receipts carry back. No retries here: the outbox retries.
/// </summary>
public sealed class AliyunSmsSender(HttpClient http, IOptions<SmsOptions> options, TimeProvider time) : ISmsSender
{
    public const string Version = "2017-05-25";

    public async Task<string?> SendAsync(SmsMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var template = settings.TemplateFor(message.TemplateCode);
        var parameters = new JsonObject();
        foreach (var (providerName, ourName) in template.Mapping())
        {
            parameters[providerName] = message.Parameters.TryGetValue(ourName, out var value) ? value : string.Empty;
        }

        var signed = AliyunSigner.SignedParameters(settings.Aliyun.AccessKeyId!, settings.Aliyun.AccessKeySecret!, "SendSms", Version,
            settings.Aliyun.RegionId,
            [
                new("PhoneNumbers", message.PhoneNumber),
                new("SignName", settings.SignName!),
                new("TemplateCode", template.TemplateId),
                new("TemplateParam", parameters.ToJsonString()),
                new("OutId", message.MessageId),
            ],
            time.GetUtcNow(), Guid.NewGuid().ToString("N"));
        using var content = new FormUrlEncodedContent(signed);
        using var response = await http.PostAsync(new Uri(settings.Aliyun.Endpoint), content, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        var answer = Parse(body, (int)response.StatusCode);
        var code = answer["Code"]?.GetValue<string>() ?? string.Empty;
        if (!string.Equals(code, "OK", StringComparison.Ordinal))
        {
            throw new SmsProviderException("aliyun", code, answer["Message"]?.GetValue<string>() ?? string.Empty);
        }

        return answer["BizId"]?.GetValue<string>();
    }

    private static JsonObject Parse(string body, int status)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            throw new SmsProviderException("aliyun", $"HTTP{status.ToString(CultureInfo.InvariantCulture)}", "the answer is not the documented JSON");
        }
    }
}

/// <summary>
/// Tencent Cloud SMS <c>SendSms</c> (API 3.0, version 2021-01-11, signed with <see cref="TencentSigner"/>): a JSON POST
/// with the headers <c>X-TC-Action</c>, <c>X-TC-Version</c>, <c>X-TC-Timestamp</c> and <c>X-TC-Region</c>; numbers in E.164
/// (+86…), the template's parameters as an ordered array; success is <c>Response.SendStatusSet[0].Code</c> = <c>Ok</c> with
/// its <c>SerialNo</c>, a failure <c>Response.Error</c> or another status code. Our message id travels as
/// <c>SessionContext</c>, which status reports carry back. No retries here: the outbox retries.
/// </summary>
public sealed class TencentSmsSender(HttpClient http, IOptions<SmsOptions> options, TimeProvider time) : ISmsSender
{
    public const string Version = "2021-01-11";
    public const string Service = "sms";

    public async Task<string?> SendAsync(SmsMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var template = settings.TemplateFor(message.TemplateCode);
        var body = new JsonObject
        {
            ["PhoneNumberSet"] = new JsonArray(E164(message.PhoneNumber)),
            ["SmsSdkAppId"] = settings.Tencent.SdkAppId,
            ["SignName"] = settings.SignName,
            ["TemplateId"] = template.TemplateId,
            ["TemplateParamSet"] = new JsonArray([.. template.Mapping().Select(m => (JsonNode?)(message.Parameters.TryGetValue(m.OurName, out var v) ? v : string.Empty))]),
            ["SessionContext"] = message.MessageId,
        }.ToJsonString();
        var endpoint = new Uri(settings.Tencent.Endpoint);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Content = new StringContent(body, Encoding.UTF8);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(TencentSigner.ContentType);
        request.Headers.Host = endpoint.Authority;
        request.Headers.TryAddWithoutValidation("Authorization",
            TencentSigner.Authorization(settings.Tencent.SecretId!, settings.Tencent.SecretKey!, endpoint.Authority, Service, "SendSms", body, timestamp));
        request.Headers.Add("X-TC-Action", "SendSms");
        request.Headers.Add("X-TC-Version", Version);
        request.Headers.Add("X-TC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-TC-Region", settings.Tencent.Region);
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonNode? answer;
        try
        {
            answer = JsonNode.Parse(text)?["Response"];
        }
        catch (JsonException)
        {
            answer = null;
        }

        if (answer is null)
        {
            throw new SmsProviderException("tencent", $"HTTP{((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)}", "the answer is not the documented JSON");
        }

        if (answer["Error"] is { } error)
        {
            throw new SmsProviderException("tencent", error["Code"]?.GetValue<string>() ?? string.Empty, error["Message"]?.GetValue<string>() ?? string.Empty);
        }

        var status = answer["SendStatusSet"]?.AsArray().FirstOrDefault();
        var code = status?["Code"]?.GetValue<string>() ?? string.Empty;
        if (!string.Equals(code, "Ok", StringComparison.Ordinal))
        {
            throw new SmsProviderException("tencent", code, status?["Message"]?.GetValue<string>() ?? "no SendStatusSet");
        }

        return status!["SerialNo"]?.GetValue<string>();
    }

    /// <summary>A mainland number in E.164: <c>+86</c> and the 11 digits.</summary>
    public static string E164(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        return phone.StartsWith('+') ? phone : "+86" + phone;
    }
}
