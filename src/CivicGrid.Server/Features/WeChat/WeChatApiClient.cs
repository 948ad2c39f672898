using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.WeChat;

/// <summary>WeChat answered with a non-zero <c>errcode</c>.</summary>
public sealed class WeChatApiException(int errCode, string errMsg)
    : Exception($"WeChat errcode {errCode.ToString(CultureInfo.InvariantCulture)}: {errMsg}")
{
    /// <summary>40001: the access token is invalid (another one was fetched since); 42001: it expired.</summary>
    public static readonly IReadOnlySet<int> InvalidToken = new HashSet<int> { 40001, 40014, 42001 };

    public int ErrCode { get; } = errCode;

    public string ErrMsg { get; } = errMsg;

    public bool IsInvalidToken => InvalidToken.Contains(ErrCode);
}

/// <summary>WeChat could not be reached, answered too slowly, or answered something that is not its JSON.</summary>
public sealed class WeChatUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

public sealed record WeChatTokenAnswer(string Value, int ExpiresInSeconds);

/// <param name="OpenId">The resident's id at this official account.</param>
/// <param name="UnionId">Present when the account is bound to a WeChat Open Platform.</param>
/// <param name="AccessToken">The web-authorisation token for <c>/sns/userinfo</c> (not the account's access token).</param>
public sealed record WeChatOAuthAnswer(string OpenId, string? UnionId, string AccessToken, string Scope);

public sealed record WeChatUserInfo(string OpenId, string? UnionId, string? Nickname);

/// <summary>
/// The official account's HTTP API as this server uses it, each call as documented on developers.weixin.qq.com
/// (公众号 › 开发 › 基础消息能力 / 网页开发 / 模板消息): <c>GET /cgi-bin/token</c> (获取 Access token),
/// <c>GET /cgi-bin/ticket/getticket?type=jsapi</c> (JS-SDK 附录1), <c>GET /sns/oauth2/access_token</c> and
/// <c>GET /sns/userinfo</c> (网页授权 第二步 and 第四步), <c>POST /cgi-bin/message/template/send</c> (模板消息 › 发送模板消息).
/// Every answer is JSON; an error is <c>{"errcode": n, "errmsg": "…"}</c> with HTTP 200, thrown as <see cref="WeChatApiException"/>.
/// </summary>
public sealed class WeChatApiClient(IHttpClientFactory clients, IOptions<WeChatOptions> options)
{
    public const string HttpClientName = "wechat";

    private WeChatOptions Settings => options.Value;

    public async Task<WeChatTokenAnswer> FetchAccessTokenAsync(CancellationToken ct)
    {
        var answer = await GetAsync<TokenBody>(
            $"cgi-bin/token?grant_type=client_credential&appid={Escape(Settings.AppId)}&secret={Escape(Settings.AppSecret)}", ct);
        return new WeChatTokenAnswer(Required(answer.AccessToken, "access_token"), answer.ExpiresIn);
    }

    public async Task<WeChatTokenAnswer> FetchJsApiTicketAsync(string accessToken, CancellationToken ct)
    {
        var answer = await GetAsync<TicketBody>($"cgi-bin/ticket/getticket?access_token={Escape(accessToken)}&type=jsapi", ct);
        return new WeChatTokenAnswer(Required(answer.Ticket, "ticket"), answer.ExpiresIn);
    }

    /// <summary>Exchanges an authorisation code (usable once, for five minutes) for the resident's openid.</summary>
    public async Task<WeChatOAuthAnswer> ExchangeCodeAsync(string code, CancellationToken ct)
    {
        var answer = await GetAsync<OAuthBody>(
            $"sns/oauth2/access_token?appid={Escape(Settings.AppId)}&secret={Escape(Settings.AppSecret)}&code={Escape(code)}&grant_type=authorization_code", ct);
        return new WeChatOAuthAnswer(Required(answer.OpenId, "openid"), Blank(answer.UnionId), Required(answer.AccessToken, "access_token"),
            answer.Scope ?? string.Empty);
    }

    public async Task<WeChatUserInfo> FetchUserInfoAsync(string oauthAccessToken, string openId, CancellationToken ct)
    {
        var answer = await GetAsync<UserInfoBody>($"sns/userinfo?access_token={Escape(oauthAccessToken)}&openid={Escape(openId)}&lang=zh_CN", ct);
        return new WeChatUserInfo(Required(answer.OpenId, "openid"), Blank(answer.UnionId), Blank(answer.Nickname));
    }

    /// <summary>Sends one template message; answers WeChat's <c>msgid</c>.</summary>
    public async Task<long> SendTemplateAsync(string accessToken, WeChatTemplateRequest request, CancellationToken ct)
    {
        using var timeout = Timeout(ct);
        try
        {
            using var response = await Client().PostAsJsonAsync($"cgi-bin/message/template/send?access_token={Escape(accessToken)}", request, Json, timeout.Token);
            var answer = await ReadAsync<SendBody>(response, timeout.Token);
            return answer.MsgId;
        }
        catch (Exception e) when (Unavailable(e, ct) is { } unavailable)
        {
            throw unavailable;
        }
    }

    private async Task<T> GetAsync<T>(string pathAndQuery, CancellationToken ct) where T : ErrorBody
    {
        using var timeout = Timeout(ct);
        try
        {
            using var response = await Client().GetAsync(new Uri(pathAndQuery, UriKind.Relative), timeout.Token);
            return await ReadAsync<T>(response, timeout.Token);
        }
        catch (Exception e) when (Unavailable(e, ct) is { } unavailable)
        {
            throw unavailable;
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct) where T : ErrorBody
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new WeChatUnavailableException($"WeChat answered HTTP {(int)response.StatusCode}");
        }

        var body = await response.Content.ReadFromJsonAsync<T>(Json, ct) ?? throw new WeChatUnavailableException("WeChat answered nothing");
        if (body.ErrCode != 0)
        {
            throw new WeChatApiException(body.ErrCode, body.ErrMsg ?? string.Empty);
        }

        return body;
    }

    /// <summary>A slow, unreachable or garbled provider as one exception; the caller's own cancellation passes through.</summary>
    private static WeChatUnavailableException? Unavailable(Exception e, CancellationToken ct) => e switch
    {
        OperationCanceledException when !ct.IsCancellationRequested => new WeChatUnavailableException("WeChat did not answer in time", e),
        HttpRequestException => new WeChatUnavailableException("WeChat could not be reached", e),
        JsonException => new WeChatUnavailableException("WeChat answered something that is not its JSON", e),
        _ => null,
    };

    private CancellationTokenSource Timeout(CancellationToken ct)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(ct);
        source.CancelAfter(Settings.RequestTimeout);
        return source;
    }

    private HttpClient Client()
    {
        var client = clients.CreateClient(HttpClientName);
        var root = Settings.ApiBaseUrl.ToString();
        client.BaseAddress = new Uri(root.EndsWith('/') ? root : root + "/");
        return client;
    }

    private static string Escape(string? value) => Uri.EscapeDataString(value ?? string.Empty);

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new WeChatUnavailableException($"WeChat's answer has no {field}") : value;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private class ErrorBody
    {
        [JsonPropertyName("errcode")]
        public int ErrCode { get; init; }

        [JsonPropertyName("errmsg")]
        public string? ErrMsg { get; init; }
    }

    private sealed class TokenBody : ErrorBody
    {
        [JsonPropertyName("access_token")]
        public string? AccessToken { get; init; }

        [JsonPropertyName("expires_in")]
        public int ExpiresIn { get; init; }
    }

    private sealed class TicketBody : ErrorBody
    {
        [JsonPropertyName("ticket")]
        public string? Ticket { get; init; }

        [JsonPropertyName("expires_in")]
        public int ExpiresIn { get; init; }
    }

    private sealed class OAuthBody : ErrorBody
    {
        [JsonPropertyName("access_token")]
        public string? AccessToken { get; init; }

        [JsonPropertyName("openid")]
        public string? OpenId { get; init; }

        [JsonPropertyName("unionid")]
        public string? UnionId { get; init; }

        [JsonPropertyName("scope")]
        public string? Scope { get; init; }
    }

    private sealed class UserInfoBody : ErrorBody
    {
        [JsonPropertyName("openid")]
        public string? OpenId { get; init; }

        [JsonPropertyName("unionid")]
        public string? UnionId { get; init; }

        [JsonPropertyName("nickname")]
        public string? Nickname { get; init; }
    }

    private sealed class SendBody : ErrorBody
    {
        [JsonPropertyName("msgid")]
        public long MsgId { get; init; }
    }
}

/// <summary>The body of <c>POST /cgi-bin/message/template/send</c>.</summary>
/// <param name="ClientMsgId">防重入 id: WeChat sends one message per openid and client_msg_id (within its window).</param>
public sealed record WeChatTemplateRequest(
    [property: JsonPropertyName("touser")] string ToUser,
    [property: JsonPropertyName("template_id")] string TemplateId,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("client_msg_id")] string ClientMsgId,
    [property: JsonPropertyName("data")] IReadOnlyDictionary<string, WeChatTemplateValue> Data);

public sealed record WeChatTemplateValue([property: JsonPropertyName("value")] string Value);
