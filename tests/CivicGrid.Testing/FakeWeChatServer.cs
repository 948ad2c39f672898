using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CivicGrid.Testing;

/// <summary>
/// A local stand-in for the WeChat official-account platform (Kestrel on a free loopback port), implementing the endpoints
/// CivicGrid calls as developers.weixin.qq.com documents them, and checking what WeChat checks:
/// <list type="bullet">
/// <item><c>GET /connect/oauth2/authorize</c> (网页授权 第一步): the AppID must be ours and the scope a known one; answers 302 to
/// <c>redirect_uri?code=…&amp;state=…</c> for <see cref="CurrentOpenId"/> (a resident already in WeChat, silently authorised);</item>
/// <item><c>GET /sns/oauth2/access_token</c> (第二步): AppID and secret checked (40013, 40125); a code is good once (40163) and
/// for five minutes (40029 otherwise);</item>
/// <item><c>GET /sns/userinfo</c> (第四步): the web-authorisation token of that openid, with <c>snsapi_userinfo</c> (48001 otherwise);</item>
/// <item><c>GET /cgi-bin/token</c>: AppID and secret checked; a new token leaves the previous one five more minutes, as WeChat does;</item>
/// <item><c>GET /cgi-bin/ticket/getticket?type=jsapi</c> and <c>POST /cgi-bin/message/template/send</c>: the access token must be
/// one it issued (40001) and unexpired (42001); a template message to an openid that refused the account answers 43101;
/// a repeated <c>client_msg_id</c> for an openid answers the first msgid and sends nothing;</item>
/// <item><c>GET /fake/messages</c>: the template messages it accepted (for the browser tests); <c>GET /fake/jweixin.js</c>: a
/// JS-SDK shim with <c>wx.config/ready/error/getLocation/chooseImage/getLocalImgData</c>, the location a fixed GCJ-02 point
/// and the photo <see cref="ImagePath"/>.</item>
/// </list>
/// Everything else a test steers through the properties: the next provider error, a delay, expiring every token.
/// </summary>
public sealed class FakeWeChatServer : IAsyncDisposable
{
    public const string TokenPrefix = "fake-token-";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, IssuedCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string OpenId, string Scope)> _oauthTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _clientMsgIds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string? UnionId, string Nickname)> _people = new(StringComparer.Ordinal);
    private long _nextMsgId = 1_000_000;
    private int _tokenCalls;
    private int _ticketCalls;

    private FakeWeChatServer(WebApplication app, string appId, string appSecret, Uri address)
    {
        _app = app;
        AppId = appId;
        AppSecret = appSecret;
        Address = address;
    }

    public string AppId { get; }

    public string AppSecret { get; }

    /// <summary>http://127.0.0.1:port/ — both the OAuth and the API base URL.</summary>
    public Uri Address { get; }

    /// <summary>The resident the authorise page signs in (their openid at this account).</summary>
    public string CurrentOpenId { get; set; } = "oFakeResident000000000000001";

    /// <summary>How long a token from <c>/cgi-bin/token</c> lives (WeChat: 7,200 s).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromSeconds(7200);

    /// <summary>Every answer waits this long first (a slow provider).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The next call to <c>/sns/oauth2/access_token</c> answers this errcode instead (once).</summary>
    public int? NextExchangeError { get; set; }

    /// <summary>Openids that refused the account's messages: template sends to them answer 43101.</summary>
    public ConcurrentDictionary<string, bool> Refused { get; } = new(StringComparer.Ordinal);

    /// <summary>The template messages accepted, in order (a repeat by client_msg_id is not added).</summary>
    public ConcurrentQueue<SentTemplate> Sent { get; } = new();

    /// <summary>The JS-SDK tickets issued, newest last.</summary>
    public ConcurrentQueue<string> Tickets { get; } = new();

    /// <summary>The photo <c>chooseImage</c>/<c>getLocalImgData</c> of the shim return (a JPEG).</summary>
    public string? ImagePath { get; set; }

    /// <summary>The GCJ-02 point the shim's <c>getLocation</c> answers; the browser tests set it (POST /fake/location).</summary>
    public (double Lon, double Lat) Location { get; set; } = (116.40996, 39.91546);

    public int TokenCalls => _tokenCalls;

    public int TicketCalls => _ticketCalls;

    public sealed record SentTemplate(string ToUser, string TemplateId, string? Url, string? ClientMsgId, IReadOnlyDictionary<string, string> Data, long MsgId);

    private sealed record IssuedCode(string OpenId, string Scope, DateTimeOffset IssuedAt)
    {
        public bool Used { get; set; }
    }

    /// <summary>Starts on a free loopback port (or <paramref name="port"/>).</summary>
    public static async Task<FakeWeChatServer> StartAsync(string appId, string appSecret, int? port = null, CancellationToken ct = default)
    {
        var chosen = port ?? FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{chosen.ToString(CultureInfo.InvariantCulture)}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeWeChatServer(app, appId, appSecret, new Uri($"http://127.0.0.1:{chosen.ToString(CultureInfo.InvariantCulture)}/"));
        fake.Map(app);
        await app.StartAsync(ct);
        return fake;
    }

    /// <summary>A person known to WeChat: their unionid (when the account is bound to an Open Platform) and nickname.</summary>
    public void AddPerson(string openId, string? unionId, string nickname = "微信居民") => _people[openId] = (unionId, nickname);

    /// <summary>An authorisation code for <paramref name="openId"/>, as the authorise page would give it.</summary>
    public string IssueCode(string openId, string scope = "snsapi_base")
    {
        var code = "code" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        _codes[code] = new IssuedCode(openId, scope, DateTimeOffset.UtcNow);
        return code;
    }

    /// <summary>Every access token issued so far expires now (the next use answers 42001).</summary>
    public void ExpireAllTokens()
    {
        foreach (var token in _tokens.Keys)
        {
            _tokens[token] = DateTimeOffset.UtcNow.AddSeconds(-1);
        }
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/fake"))
            {
                // The shim runs in the page (another origin) and reads the location and the photo from here.
                context.Response.Headers.AccessControlAllowOrigin = "*";
            }
            else if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, context.RequestAborted);
            }

            await next(context);
        });

        app.MapGet("/connect/oauth2/authorize", (HttpContext http) =>
        {
            var q = http.Request.Query;
            if (q["appid"] != AppId || q["response_type"] != "code" || q["scope"].ToString() is not ("snsapi_base" or "snsapi_userinfo")
                || !Uri.TryCreate(q["redirect_uri"], UriKind.Absolute, out var back))
            {
                return Results.Content("<p>参数错误（appid、redirect_uri、response_type 或 scope）</p>", "text/html; charset=utf-8", statusCode: 400);
            }

            var code = IssueCode(CurrentOpenId, q["scope"]!);
            var separator = back.Query.Length > 0 ? "&" : "?";
            return Results.Redirect($"{back}{separator}code={code}&state={Uri.EscapeDataString(q["state"].ToString())}");
        });

        app.MapGet("/sns/oauth2/access_token", (HttpContext http) =>
        {
            var q = http.Request.Query;
            if (Credentials(q["appid"], q["secret"]) is { } refused)
            {
                return refused;
            }

            if (NextExchangeError is { } error)
            {
                NextExchangeError = null;
                return Error(error, "system error (fake)");
            }

            if (q["grant_type"] != "authorization_code" || !_codes.TryGetValue(q["code"].ToString(), out var code)
                || DateTimeOffset.UtcNow - code.IssuedAt > TimeSpan.FromMinutes(5))
            {
                return Error(40029, "invalid code");
            }

            lock (code)
            {
                if (code.Used)
                {
                    return Error(40163, "code been used");
                }

                code.Used = true;
            }

            var token = "oauth-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            _oauthTokens[token] = (code.OpenId, code.Scope);
            var answer = new JsonObject
            {
                ["access_token"] = token,
                ["expires_in"] = 7200,
                ["refresh_token"] = "refresh-" + token,
                ["openid"] = code.OpenId,
                ["scope"] = code.Scope,
            };
            if (_people.TryGetValue(code.OpenId, out var person) && person.UnionId is not null)
            {
                answer["unionid"] = person.UnionId;
            }

            return Results.Json(answer);
        });

        app.MapGet("/sns/userinfo", (HttpContext http) =>
        {
            var q = http.Request.Query;
            if (!_oauthTokens.TryGetValue(q["access_token"].ToString(), out var grant) || grant.OpenId != q["openid"])
            {
                return Error(40001, "invalid credential, access_token is invalid or not latest");
            }

            if (grant.Scope != "snsapi_userinfo")
            {
                return Error(48001, "api unauthorized");
            }

            var person = _people.GetValueOrDefault(grant.OpenId, (null, "微信居民"));
            var answer = new JsonObject
            {
                ["openid"] = grant.OpenId,
                ["nickname"] = person.Nickname,
                ["sex"] = 0,
                ["province"] = string.Empty,
                ["city"] = string.Empty,
                ["country"] = string.Empty,
                ["headimgurl"] = string.Empty,
                ["privilege"] = new JsonArray(),
            };
            if (person.UnionId is not null)
            {
                answer["unionid"] = person.UnionId;
            }

            return Results.Json(answer);
        });

        app.MapGet("/cgi-bin/token", (HttpContext http) =>
        {
            var q = http.Request.Query;
            if (q["grant_type"] != "client_credential")
            {
                return Error(40002, "invalid grant_type");
            }

            if (Credentials(q["appid"], q["secret"]) is { } refused)
            {
                return refused;
            }

            Interlocked.Increment(ref _tokenCalls);
            var now = DateTimeOffset.UtcNow;
            // A new token: the previous ones stay valid for five more minutes (WeChat's documented overlap).
            foreach (var (old, expiry) in _tokens)
            {
                _tokens[old] = expiry < now.AddMinutes(5) ? expiry : now.AddMinutes(5);
            }

            var token = TokenPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            _tokens[token] = now + TokenLifetime;
            return Results.Json(new JsonObject { ["access_token"] = token, ["expires_in"] = (int)TokenLifetime.TotalSeconds });
        });

        app.MapGet("/cgi-bin/ticket/getticket", (HttpContext http) =>
        {
            var q = http.Request.Query;
            if (TokenProblem(q["access_token"]) is { } refused)
            {
                return refused;
            }

            if (q["type"] != "jsapi")
            {
                return Error(40097, "invalid args");
            }

            Interlocked.Increment(ref _ticketCalls);
            var ticket = "fake-ticket-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            Tickets.Enqueue(ticket);
            return Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["ticket"] = ticket, ["expires_in"] = 7200 });
        });

        app.MapPost("/cgi-bin/message/template/send", async (HttpContext http) =>
        {
            if (TokenProblem(http.Request.Query["access_token"]) is { } refused)
            {
                return refused;
            }

            JsonNode? body;
            try
            {
                body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            }
            catch (JsonException)
            {
                return Error(47001, "data format error");
            }

            var toUser = body?["touser"]?.GetValue<string>();
            var templateId = body?["template_id"]?.GetValue<string>();
            if (string.IsNullOrEmpty(toUser) || string.IsNullOrEmpty(templateId) || body?["data"] is not JsonObject data)
            {
                return Error(47001, "data format error");
            }

            if (Refused.ContainsKey(toUser))
            {
                return Error(43101, "user refuse to accept the msg");
            }

            var clientMsgId = body?["client_msg_id"]?.GetValue<string>();
            long msgId;
            if (clientMsgId is not null)
            {
                var fresh = Interlocked.Increment(ref _nextMsgId);
                msgId = _clientMsgIds.GetOrAdd($"{toUser}\n{clientMsgId}", fresh);
                if (msgId != fresh)
                {
                    return Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["msgid"] = msgId });
                }
            }
            else
            {
                msgId = Interlocked.Increment(ref _nextMsgId);
            }

            var values = data.ToDictionary(p => p.Key, p => p.Value?["value"]?.GetValue<string>() ?? string.Empty, StringComparer.Ordinal);
            Sent.Enqueue(new SentTemplate(toUser, templateId, body?["url"]?.GetValue<string>(), clientMsgId, values, msgId));
            return Results.Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["msgid"] = msgId });
        });

        app.MapGet("/fake/location", () => Results.Json(new JsonObject { ["longitude"] = Location.Lon, ["latitude"] = Location.Lat }));
        app.MapPost("/fake/location", (double longitude, double latitude) =>
        {
            Location = (longitude, latitude);
            return Results.NoContent();
        });
        app.MapGet("/fake/messages", () => Results.Json(Sent.ToArray(), JsonSerializerOptions.Web));
        app.MapGet("/fake/image.jpg", () => ImagePath is null ? Results.NotFound() : Results.File(File.ReadAllBytes(ImagePath), "image/jpeg"));
        app.MapGet("/fake/jweixin.js", () => Results.Content(Shim, "text/javascript; charset=utf-8"));
    }

    private IResult? Credentials(string? appId, string? secret) =>
        appId != AppId ? Error(40013, "invalid appid")
        : secret != AppSecret ? Error(40125, "invalid appsecret")
        : null;

    private IResult? TokenProblem(string? token) =>
        token is null || !_tokens.TryGetValue(token, out var expiry) ? Error(40001, "invalid credential, access_token is invalid or not latest")
        : expiry <= DateTimeOffset.UtcNow ? Error(42001, "access_token expired")
        : null;

    private static IResult Error(int code, string message) => Results.Json(new JsonObject { ["errcode"] = code, ["errmsg"] = message });

    /// <summary>
    /// The JS-SDK as the report page uses it: <c>wx.config</c> remembers the signature (a page may check it), <c>ready</c>
    /// runs once configured, <c>getLocation</c> answers <see cref="Location"/> (GCJ-02) when asked for gcj02,
    /// <c>chooseImage</c> one local id, <c>getLocalImgData</c> the photo as base64.
    /// </summary>
    private const string Shim = """
        (function () {
          var configured = null, readyCallbacks = [], base = document.currentScript ? new URL(document.currentScript.src).origin : '';
          function later(fn) { setTimeout(fn, 30); }
          window.wx = {
            fake: true,
            config: function (c) { configured = c; later(function () { readyCallbacks.splice(0).forEach(function (f) { f(); }); }); },
            ready: function (f) { if (configured) later(f); else readyCallbacks.push(f); },
            error: function () {},
            lastConfig: function () { return configured; },
            getLocation: function (o) {
              later(function () {
                if (o.type !== 'gcj02') { o.fail && o.fail({ errMsg: 'getLocation:fail type' }); return; }
                fetch(base + '/fake/location').then(function (r) { return r.json(); }).then(function (p) {
                  o.success && o.success({ latitude: p.latitude, longitude: p.longitude, speed: 0, accuracy: 15, errMsg: 'getLocation:ok' });
                }, function () { o.fail && o.fail({ errMsg: 'getLocation:fail' }); });
              });
            },
            chooseImage: function (o) { later(function () { o.success && o.success({ localIds: ['wxLocalResource://fake-photo-1'], errMsg: 'chooseImage:ok' }); }); },
            getLocalImgData: function (o) {
              fetch(base + '/fake/image.jpg').then(function (r) { return r.blob(); }).then(function (b) {
                var reader = new FileReader();
                reader.onload = function () { o.success && o.success({ localData: String(reader.result), errMsg: 'getLocalImgData:ok' }); };
                reader.readAsDataURL(b);
              }, function () { o.fail && o.fail({ errMsg: 'getLocalImgData:fail' }); });
            }
          };
        })();
        """;

    /// <summary>Runs until the process is told to stop (SIGTERM, Ctrl+C): the host's own console lifetime handles the signal.</summary>
    public Task WaitForShutdownAsync(CancellationToken ct = default) => _app.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
