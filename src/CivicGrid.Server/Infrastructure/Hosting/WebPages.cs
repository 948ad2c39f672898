using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace CivicGrid.Server.Infrastructure.Hosting;

/// <summary>
/// Serves the built web pages (<c>web/</c>, built by the server project's build into <c>web/dist</c>):
/// <c>/</c> the staff console, <c>/m/</c> the phone pages and <c>/screen/</c> the operations centre's big screen, each a single-page app whose unknown paths fall back
/// to its own <c>index.html</c>. <c>/api</c>, <c>/open311</c>, <c>/openapi</c>, <c>/scalar</c> and <c>/health</c> never fall back.
/// </summary>
/// <remarks>
/// The folder is <c>Web:Root</c> when set (a published server points it at its copy of <c>dist</c>); otherwise the
/// first <c>web/dist</c> with an <c>index.html</c> found walking up from the content root and from the binary's folder,
/// which is where a build from the repository puts it. Without built pages the server still runs its API and
/// <c>/</c> opens the API reference.
/// </remarks>
public static class WebPages
{
    public const string RootSetting = "Web:Root";

    private const string FilesKey = nameof(WebPages);

    // Paths that belong to the server itself; a typo under them is the API's 404 (or 401), never a page.
    private static readonly string[] ServerPrefixes = ["/api", "/openapi", "/scalar", "/health", "/open311"];

    /// <summary>
    /// Static files of the pages, then routing, then the single-page fallback: files are served before any endpoint
    /// is chosen and, like the fallback, before authentication (the pages themselves are public, their data is not).
    /// </summary>
    /// <remarks>
    /// The fallback is middleware that acts only when routing found no endpoint, not a catch-all route: a catch-all
    /// endpoint would take part in endpoint selection and could win over an API endpoint that a matcher policy (such
    /// as the request-body content type) set aside.
    /// </remarks>
    public static WebApplication UseWebPages(this WebApplication app)
    {
        var root = Locate(app.Configuration, app.Environment);
        if (root is null)
        {
            app.Logger.LogWarning("No built web pages found (set {Setting} or build web/); / opens the API reference.", RootSetting);
            app.UseRouting();
            return app;
        }

        app.Logger.LogInformation("Serving the web pages from {Root}", root);
        var files = new PhysicalFileProvider(root);
        ((IApplicationBuilder)app).Properties[FilesKey] = files;
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl =
                context.Context.Request.Path.StartsWithSegments("/assets")
                    ? "public, max-age=31536000, immutable" // file names carry a content hash
                    : "no-cache",
        });
        app.UseRouting();
        app.Use((context, next) => context.GetEndpoint() is null && IsPageRequest(context.Request) ? ServeIndexAsync(context, files) : next(context));
        return app;
    }

    /// <summary>Without built pages, <c>/</c> opens the API reference.</summary>
    public static WebApplication MapWebPages(this WebApplication app)
    {
        if (!((IApplicationBuilder)app).Properties.ContainsKey(FilesKey))
        {
            app.MapGet("/", () => Results.Redirect("/scalar/v1")).AllowAnonymous().ExcludeFromDescription();
        }

        return app;
    }

    private static bool IsPageRequest(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && !ServerPrefixes.Any(prefix => request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    private static Task ServeIndexAsync(HttpContext context, PhysicalFileProvider files)
    {
        var path = context.Request.Path.Value ?? "/";

        // A missing asset (a file name with an extension) is a plain 404: an old tab asking for a replaced chunk
        // must not get HTML back as JavaScript.
        if (path[(path.LastIndexOf('/') + 1)..].Contains('.', StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        if (path is "/m" or "/screen")
        {
            context.Response.Redirect(path + "/" + context.Request.QueryString);
            return Task.CompletedTask;
        }

        var index = files.GetFileInfo(path.StartsWith("/m/", StringComparison.Ordinal) ? "m/index.html"
            : path.StartsWith("/screen/", StringComparison.Ordinal) ? "screen/index.html" : "index.html");
        if (!index.Exists)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        context.Response.ContentLength = index.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.SendFileAsync(index);
    }

    private static string? Locate(IConfiguration configuration, IWebHostEnvironment environment)
    {
        if (configuration[RootSetting] is { Length: > 0 } configured)
        {
            var full = Path.GetFullPath(configured, environment.ContentRootPath);
            return File.Exists(Path.Combine(full, "index.html"))
                ? full
                : throw new InvalidOperationException($"{RootSetting} = {full} has no index.html: build the web pages (npm run build in web/) or fix the setting.");
        }

        foreach (var start in new[] { environment.ContentRootPath, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "web", "dist");
                if (File.Exists(Path.Combine(candidate, "index.html")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
