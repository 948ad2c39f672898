using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Infrastructure.Http;

/// <summary>
/// The <c>ReverseProxy</c> section: which proxies in front of the server may speak for the client. Only a request whose
/// connection comes from one of them has its <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> believed; with
/// none configured (the default) every forwarded header is ignored, so nobody can claim another address by sending one.
/// </summary>
public sealed class ReverseProxyOptions : IValidatableObject
{
    public const string Section = "ReverseProxy";

    /// <summary>Addresses of the proxies (e.g. <c>10.0.0.5</c>, <c>127.0.0.1</c> for an nginx on the same machine).</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks of the proxies in CIDR form (e.g. <c>10.0.0.0/24</c>).</summary>
    public IList<string> KnownNetworks { get; } = [];

    public bool TrustsAnyProxy => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"ReverseProxy:KnownProxies: '{proxy}' is not an IP address.", [nameof(KnownProxies)]);
        }

        foreach (var network in KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"ReverseProxy:KnownNetworks: '{network}' is not a network in CIDR form (10.0.0.0/24).", [nameof(KnownNetworks)]);
        }
    }
}

/// <summary>What the pages may load besides their own files (<c>Web</c> section), for the Content-Security-Policy.</summary>
public sealed class WebContentOptions : IValidatableObject
{
    public const string Section = "Web";

    /// <summary>
    /// An online raster base-map tile URL template, e.g. <c>https://tiles.example.gov.cn/{z}/{x}/{y}.png</c> (a 天地图 proxy):
    /// the maps draw it instead of the server's own tiles (<c>GET /api/basemap</c>), and its origin is allowed to serve
    /// images and be fetched. Empty: the server's own base map file, if any (ADR 0035).
    /// </summary>
    public string? MapTiles { get; set; }

    public string? MapTilesOrigin => Uri.TryCreate(MapTiles?.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal),
        UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(MapTiles) && MapTilesOrigin is not { } origin)
        {
            yield return new ValidationResult("Web:MapTiles must be an absolute http(s) URL template such as https://tiles.example/{z}/{x}/{y}.png.", [nameof(MapTiles)]);
        }
        else if (MapTilesOrigin is { } o && !o.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult("Web:MapTiles must be an http(s) URL.", [nameof(MapTiles)]);
        }
    }
}

/// <summary>
/// The web's protections in front of everything else: forwarded headers from known proxies only, HSTS in Production, and
/// on every answer <c>nosniff</c>, a strict referrer policy and a Content-Security-Policy that forbids framing.
/// </summary>
public static class WebHardening
{
    public const string ReferrerPolicy = "same-origin";

    public static IServiceCollection AddWebHardening(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReverseProxyOptions>().Bind(configuration.GetSection(ReverseProxyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WebContentOptions>().Bind(configuration.GetSection(WebContentOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ReverseProxyOptions>>((o, proxies) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // ASP.NET Core trusts the loopback by default; we trust exactly what is configured.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.Value.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in proxies.Value.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }

            // Every hop in the chain must be a known proxy; the first unknown one is the client.
            o.ForwardLimit = null;
        });
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });
        return services;
    }

    /// <summary>First in the pipeline, so that the rate limits, the sessions and the audit all see the client's address.</summary>
    public static WebApplication UseWebHardening(this WebApplication app)
    {
        // With no proxy configured the middleware would trust every sender (it checks the lists only when one is set).
        if (app.Services.GetRequiredService<IOptions<ReverseProxyOptions>>().Value.TrustsAnyProxy)
        {
            app.UseForwardedHeaders();
        }

        if (app.Environment.IsProduction())
        {
            app.UseHsts();
        }

        var content = app.Services.GetRequiredService<IOptions<WebContentOptions>>().Value;
        var weChat = app.Services.GetRequiredService<IOptions<Features.WeChat.WeChatOptions>>().Value;
        var sdkOrigin = weChat.Enabled ? weChat.JsSdkScriptUrl.GetLeftPart(UriPartial.Authority) : null;
        var pages = ContentSecurityPolicy(content.MapTilesOrigin, apiReference: false, sdkOrigin);
        var apiReference = ContentSecurityPolicy(content.MapTilesOrigin, apiReference: true);
        app.Use((context, next) =>
        {
            // On starting, so that answers whose headers an exception handler cleared carry them too.
            context.Response.OnStarting(static state =>
            {
                var (http, pagesPolicy, referencePolicy) = ((HttpContext, string, string))state;
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = ReferrerPolicy;
                headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/scalar") ? referencePolicy : pagesPolicy;
                return Task.CompletedTask;
            }, (context, pages, apiReference));
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// The policy of the pages: only our own scripts; inline styles (Element Plus and Vant set them on elements); images
    /// from data: and blob: URLs (photo previews, MapLibre's canvases); MapLibre's worker from a blob: URL; the base-map
    /// tiles' origin when configured; no framing at all. The API reference (<c>/scalar</c>) starts itself with an inline script.
    /// With the WeChat end on, the JS-SDK script's origin (<c>res.wx.qq.com</c>, the fake server in the browser tests) may
    /// serve a script and be fetched.
    /// </summary>
    public static string ContentSecurityPolicy(string? tilesOrigin, bool apiReference, string? weChatSdkOrigin = null)
    {
        var tiles = tilesOrigin is null ? string.Empty : " " + tilesOrigin;
        var sdk = weChatSdkOrigin is null ? string.Empty : " " + weChatSdkOrigin;
        var scripts = (apiReference ? "'self' 'unsafe-inline'" : "'self'") + sdk;
        return $"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{tiles}; "
            + $"font-src 'self' data:; connect-src 'self'{tiles}{sdk}; worker-src 'self' blob:; child-src 'self' blob:; manifest-src 'self'; "
            + "media-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    }
}
