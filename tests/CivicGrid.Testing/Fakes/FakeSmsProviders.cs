using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CivicGrid.Testing.Fakes;

/// <summary>One SMS a fake provider accepted (and would have delivered).</summary>
public sealed record FakeSms(string Phone, string SignName, string TemplateId, IReadOnlyList<string> Parameters, string OurId, string ProviderId, DateTimeOffset At);

/// <summary>One request a fake provider refused, with the provider's error code.</summary>
public sealed record FakeSmsRefusal(string Code, string Detail);

/// <summary>
/// A local stand-in for an SMS provider's documented HTTP API, started on a free loopback port (Kestrel). It checks each
/// request the way the provider documents it: the signature, recomputed here independently of the server's signer; the
/// timestamp's skew; the API version and action. It de-duplicates on our message id (Aliyun <c>OutId</c>, Tencent
/// <c>SessionContext</c>): a repeat is answered with the first acceptance and not sent again. It records what it sent
/// and what it refused, can answer a provider error or answer too slowly, and shows its record at <c>GET /_fake/sent</c>.
/// </summary>
public abstract class FakeSmsProvider : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, FakeSms> _byOurId = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeSms> _sent = new();
    private readonly ConcurrentQueue<FakeSmsRefusal> _refused = new();
    private WebApplication? _app;
    private int _errorsLeft;
    private int _slowLeft;
    private int _requests;

    /// <summary>The address to configure as the provider's endpoint.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyCollection<FakeSms> Sent => _sent;

    public IReadOnlyCollection<FakeSmsRefusal> Refused => _refused;

    /// <summary>Requests received, including refused and repeated ones.</summary>
    public int Requests => _requests;

    /// <summary>How far a request's timestamp may lie from the fake's clock.</summary>
    public TimeSpan AllowedSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The provider error code answered while <see cref="FailNext"/> lasts.</summary>
    public string ErrorCode { get; set; } = "isv.BUSINESS_LIMIT_CONTROL";

    /// <summary>The next <paramref name="count"/> sends are refused with <see cref="ErrorCode"/> (nothing sent).</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _errorsLeft, count);

    /// <summary>
    /// The next <paramref name="count"/> sends are accepted (and sent) but answered only after <paramref name="delay"/>: a
    /// client that gives up first does not know the provider took the message.
    /// </summary>
    public void AnswerSlowly(int count, TimeSpan delay)
    {
        SlowDelay = delay;
        Interlocked.Exchange(ref _slowLeft, count);
    }

    private TimeSpan SlowDelay { get; set; }

    /// <summary>The providers' JSON keeps its property names as they are (<c>Code</c>, <c>Response</c>), not camel-cased.</summary>
    protected static JsonSerializerOptions AsDocumented { get; } = new();

    protected async Task StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/", Handle);
        _app.MapGet("/_fake/sent", () => Results.Json(_sent.ToArray(), AsDocumented));
        await _app.StartAsync();
        Endpoint = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    /// <summary>Checks, de-duplicates and records one request; writes the provider's answer.</summary>
    protected abstract Task Handle(HttpContext context);

    /// <summary>Records a refusal and returns its code.</summary>
    protected string Refuse(string code, string detail)
    {
        _refused.Enqueue(new FakeSmsRefusal(code, detail));
        return code;
    }

    /// <summary>Accepts one message: the first acceptance of our id, sent once; a repeat gets the same answer.</summary>
    protected async Task<(FakeSms? Sms, string? ErrorCode)> AcceptAsync(string phone, string signName, string templateId, IReadOnlyList<string> parameters,
        string ourId, CancellationToken ct)
    {
        Interlocked.Increment(ref _requests);
        if (!string.IsNullOrEmpty(ourId) && _byOurId.TryGetValue(ourId, out var earlier))
        {
            return (earlier, null);
        }

        if (Interlocked.Decrement(ref _errorsLeft) >= 0)
        {
            return (null, Refuse(ErrorCode, "told to fail"));
        }

        var sms = new FakeSms(phone, signName, templateId, parameters, ourId, Guid.NewGuid().ToString("N")[..20], DateTimeOffset.UtcNow);
        if (string.IsNullOrEmpty(ourId) || _byOurId.TryAdd(ourId, sms))
        {
            _sent.Enqueue(sms);
        }
        else
        {
            sms = _byOurId[ourId];
        }

        if (Interlocked.Decrement(ref _slowLeft) >= 0)
        {
            await Task.Delay(SlowDelay, ct).ConfigureAwait(false);
        }

        return (sms, null);
    }

    protected void CountRequest() => Interlocked.Increment(ref _requests);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    protected static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>
/// Alibaba Cloud SMS <c>SendSms</c>, API version 2017-05-25, RPC style: the form (or query) parameters, signature v1.0
/// HMAC-SHA1 checked by recomputing it (percent-encoding by <c>Uri.EscapeDataString</c>, RFC 3986), the
/// <c>Timestamp</c> within the allowed skew (<c>InvalidTimeStamp.Expired</c>), each <c>SignatureNonce</c> used once
/// (<c>SignatureNonceUsed</c>). Answers <c>{"Code":"OK","BizId":…}</c> or the documented error codes.
/// </summary>
public sealed class FakeAliyunSms : FakeSmsProvider
{
    private readonly ConcurrentDictionary<string, bool> _nonces = new(StringComparer.Ordinal);

    private FakeAliyunSms(string accessKeyId, string accessKeySecret)
    {
        AccessKeyId = accessKeyId;
        AccessKeySecret = accessKeySecret;
    }

    public string AccessKeyId { get; }

    public string AccessKeySecret { get; }

    public static async Task<FakeAliyunSms> StartAsync(string accessKeyId, string accessKeySecret, int? port = null)
    {
        var fake = new FakeAliyunSms(accessKeyId, accessKeySecret);
        await fake.StartAsync(port ?? FreePorts.Next()).ConfigureAwait(false);
        return fake;
    }

    /// <summary>The SmsReport push the provider would send for everything it sent: the receipts, as documented.</summary>
    public string ReceiptsJson(bool success = true, string errCode = "DELIVERED") => new JsonArray([.. Sent.Select(s => (JsonNode)new JsonObject
    {
        ["phone_number"] = s.Phone,
        ["send_time"] = s.At.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        ["report_time"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        ["success"] = success,
        ["err_code"] = errCode,
        ["err_msg"] = success ? "用户接收成功" : "失败",
        ["sms_size"] = "1",
        ["biz_id"] = s.ProviderId,
        ["out_id"] = s.OurId,
    })]).ToJsonString();

    protected override async Task Handle(HttpContext context)
    {
        var ct = context.RequestAborted;
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(ct).ConfigureAwait(false) : null;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Request.Query)
        {
            parameters[key] = value.ToString();
        }

        if (form is not null)
        {
            foreach (var (key, value) in form)
            {
                parameters[key] = value.ToString();
            }
        }

        string P(string name) => parameters.TryGetValue(name, out var v) ? v : string.Empty;
        var requestId = Guid.NewGuid().ToString("D").ToUpperInvariant();
        async Task Error(int status, string code, string message)
        {
            CountRequest();
            Refuse(code, message);
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { RequestId = requestId, Code = code, Message = message }, AsDocumented, ct).ConfigureAwait(false);
        }

        if (P("AccessKeyId") != AccessKeyId)
        {
            await Error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.").ConfigureAwait(false);
            return;
        }

        if (P("SignatureMethod") != "HMAC-SHA1" || P("SignatureVersion") != "1.0")
        {
            await Error(400, "InvalidSignatureMethod", "Specified signature method is not supported.").ConfigureAwait(false);
            return;
        }

        if (!DateTimeOffset.TryParseExact(P("Timestamp"), "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            || (at - DateTimeOffset.UtcNow).Duration() > AllowedSkew)
        {
            await Error(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.").ConfigureAwait(false);
            return;
        }

        var expected = Signature(context.Request.Method, parameters.Where(p => p.Key != "Signature"), AccessKeySecret);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(P("Signature"))))
        {
            await Error(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.").ConfigureAwait(false);
            return;
        }

        if (P("SignatureNonce").Length == 0 || !_nonces.TryAdd(P("SignatureNonce"), true))
        {
            await Error(400, "SignatureNonceUsed", "Specified signature nonce was used already.").ConfigureAwait(false);
            return;
        }

        if (P("Action") != "SendSms" || P("Version") != "2017-05-25")
        {
            await Error(400, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.").ConfigureAwait(false);
            return;
        }

        JsonObject? templateParam;
        try
        {
            templateParam = JsonNode.Parse(P("TemplateParam")) as JsonObject;
        }
        catch (JsonException)
        {
            templateParam = null;
        }

        if (templateParam is null || P("PhoneNumbers").Length == 0 || P("SignName").Length == 0 || P("TemplateCode").Length == 0)
        {
            await Error(200, "isv.INVALID_PARAMETERS", "参数异常").ConfigureAwait(false);
            return;
        }

        var values = templateParam.Select(p => $"{p.Key}={p.Value?.GetValue<string>()}").ToList();
        var (sms, errorCode) = await AcceptAsync(P("PhoneNumbers"), P("SignName"), P("TemplateCode"), values, P("OutId"), ct).ConfigureAwait(false);
        await context.Response.WriteAsJsonAsync(sms is null
            ? new { RequestId = requestId, Code = errorCode!, Message = "触发业务流控", BizId = (string?)null }
            : new { RequestId = requestId, Code = "OK", Message = "OK", BizId = (string?)sms.ProviderId }, AsDocumented, ct).ConfigureAwait(false);
    }

    /// <summary>The documented signature, computed here on its own: RFC 3986 encoding, sorted, <c>METHOD&amp;%2F&amp;…</c>, HMAC-SHA1 with "secret&amp;".</summary>
    public static string Signature(string method, IEnumerable<KeyValuePair<string, string>> parameters, string secret)
    {
        var query = string.Join("&", parameters.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        var toSign = method.ToUpperInvariant() + "&" + Uri.EscapeDataString("/") + "&" + Uri.EscapeDataString(query);
#pragma warning disable CA5350 // The provider's documented v1.0 signature is HMAC-SHA1.
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(secret + "&"));
#pragma warning restore CA5350
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(toSign)));
    }
}

/// <summary>
/// Tencent Cloud SMS <c>SendSms</c>, API 3.0 version 2021-01-11: the <c>Authorization</c> header's TC3-HMAC-SHA256
/// signature recomputed here from the headers it names (<c>AuthFailure.SignatureFailure</c>), <c>X-TC-Timestamp</c> within
/// the allowed skew (<c>AuthFailure.SignatureExpire</c>), the credential scope's date and service, the action and version
/// headers, E.164 numbers and the SMS application. Answers <c>Response.SendStatusSet</c> or <c>Response.Error</c>.
/// </summary>
public sealed class FakeTencentSms : FakeSmsProvider
{
    private FakeTencentSms(string secretId, string secretKey, string sdkAppId)
    {
        SecretId = secretId;
        SecretKey = secretKey;
        SdkAppId = sdkAppId;
    }

    public string SecretId { get; }

    public string SecretKey { get; }

    public string SdkAppId { get; }

    public static async Task<FakeTencentSms> StartAsync(string secretId, string secretKey, string sdkAppId, int? port = null)
    {
        var fake = new FakeTencentSms(secretId, secretKey, sdkAppId);
        await fake.StartAsync(port ?? FreePorts.Next()).ConfigureAwait(false);
        return fake;
    }

    /// <summary>The status callback the provider would POST for everything it sent, as documented.</summary>
    public string ReceiptsJson(bool success = true, string errmsg = "DELIVRD") => new JsonArray([.. Sent.Select(s => (JsonNode)new JsonObject
    {
        ["user_receive_time"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        ["nationcode"] = "86",
        ["mobile"] = s.Phone.Replace("+86", string.Empty, StringComparison.Ordinal),
        ["report_status"] = success ? "SUCCESS" : "FAIL",
        ["errmsg"] = errmsg,
        ["description"] = success ? "用户短信送达成功" : "用户短信未送达",
        ["sid"] = s.ProviderId,
        ["ext"] = s.OurId,
    })]).ToJsonString();

    protected override async Task Handle(HttpContext context)
    {
        var ct = context.RequestAborted;
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        var requestId = Guid.NewGuid().ToString("D");
        async Task Error(string code, string message)
        {
            CountRequest();
            Refuse(code, message);
            await context.Response.WriteAsJsonAsync(new { Response = new { Error = new { Code = code, Message = message }, RequestId = requestId } }, AsDocumented, ct)
                .ConfigureAwait(false);
        }

        var headers = context.Request.Headers;
        var authorization = headers.Authorization.ToString();
        var parts = ParseAuthorization(authorization);
        if (parts is null || !long.TryParse(headers["X-TC-Timestamp"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            await Error("AuthFailure.InvalidAuthorization", "Authorization is invalid.").ConfigureAwait(false);
            return;
        }

        var (credential, signedHeaders, signature) = parts.Value;
        if ((DateTimeOffset.FromUnixTimeSeconds(timestamp) - DateTimeOffset.UtcNow).Duration() > AllowedSkew)
        {
            await Error("AuthFailure.SignatureExpire", "Signature expired. Timestamp and server time cannot differ by more than 5 minutes.").ConfigureAwait(false);
            return;
        }

        var date = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var scope = $"{date}/sms/tc3_request";
        if (credential != $"{SecretId}/{scope}")
        {
            await Error("AuthFailure.SecretIdNotFound", "The SecretId is not found or the credential scope is wrong.").ConfigureAwait(false);
            return;
        }

        // The canonical headers exactly as the client named them in SignedHeaders, values from this request.
        var canonicalHeaders = new StringBuilder();
        foreach (var name in signedHeaders.Split(';'))
        {
            var value = name == "host" ? context.Request.Host.Value ?? string.Empty : headers[name].ToString();
            canonicalHeaders.Append(name).Append(':').Append(name == "x-tc-action" ? value.Trim().ToLowerInvariant() : value.Trim()).Append('\n');
        }

        var canonicalRequest = $"{context.Request.Method}\n/\n\n{canonicalHeaders}\n{signedHeaders}\n{Sha256Hex(body)}";
        var toSign = $"TC3-HMAC-SHA256\n{timestamp.ToString(CultureInfo.InvariantCulture)}\n{scope}\n{Sha256Hex(canonicalRequest)}";
        byte[] Hmac(byte[] key, string text)
        {
            using var h = new HMACSHA256(key);
            return h.ComputeHash(Encoding.UTF8.GetBytes(text));
        }

        var signing = Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("TC3" + SecretKey), date), "sms"), "tc3_request");
        var expected = Convert.ToHexStringLower(Hmac(signing, toSign));
        if (!signedHeaders.Contains("content-type", StringComparison.Ordinal) || !signedHeaders.Contains("host", StringComparison.Ordinal)
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            await Error("AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.").ConfigureAwait(false);
            return;
        }

        if (headers["X-TC-Action"] != "SendSms" || headers["X-TC-Version"] != "2021-01-11" || string.IsNullOrEmpty(headers["X-TC-Region"]))
        {
            await Error("InvalidAction", "The action, version or region is not valid.").ConfigureAwait(false);
            return;
        }

        JsonNode? request;
        try
        {
            request = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            request = null;
        }

        var phones = request?["PhoneNumberSet"]?.AsArray().Select(p => p?.GetValue<string>() ?? string.Empty).ToList() ?? [];
        if (request is null || phones.Count != 1 || request["SmsSdkAppId"]?.GetValue<string>() != SdkAppId)
        {
            await Error("InvalidParameterValue.SdkAppIdNotExist", "SdkAppId does not exist or the request is malformed.").ConfigureAwait(false);
            return;
        }

        var phone = phones[0];
        var parameters = request["TemplateParamSet"]?.AsArray().Select(p => p?.GetValue<string>() ?? string.Empty).ToList() ?? [];
        object status;
        if (!phone.StartsWith("+86", StringComparison.Ordinal) || phone.Length != 14)
        {
            CountRequest();
            status = new { SerialNo = string.Empty, PhoneNumber = phone, Fee = 0, SessionContext = string.Empty, Code = Refuse("InvalidParameterValue.IncorrectPhoneNumber", phone), Message = "incorrect phone number", IsoCode = "CN" };
        }
        else
        {
            var ourId = request["SessionContext"]?.GetValue<string>() ?? string.Empty;
            var (sms, errorCode) = await AcceptAsync(phone, request["SignName"]?.GetValue<string>() ?? string.Empty,
                request["TemplateId"]?.GetValue<string>() ?? string.Empty, parameters, ourId, ct).ConfigureAwait(false);
            status = sms is null
                ? new { SerialNo = string.Empty, PhoneNumber = phone, Fee = 0, SessionContext = ourId, Code = errorCode!, Message = "business limit", IsoCode = "CN" }
                : new { SerialNo = sms.ProviderId, PhoneNumber = phone, Fee = 1, SessionContext = ourId, Code = "Ok", Message = "send success", IsoCode = "CN" };
        }

        await context.Response.WriteAsJsonAsync(new { Response = new { SendStatusSet = new[] { status }, RequestId = requestId } }, AsDocumented, ct).ConfigureAwait(false);
    }

    private static (string Credential, string SignedHeaders, string Signature)? ParseAuthorization(string value)
    {
        const string prefix = "TC3-HMAC-SHA256 ";
        if (!value.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var fields = value[prefix.Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        return fields.TryGetValue("Credential", out var c) && fields.TryGetValue("SignedHeaders", out var h) && fields.TryGetValue("Signature", out var s)
            ? (c, h, s)
            : null;
    }
}
