using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace CivicGrid.Server.Infrastructure.Hosting;

/// <summary>
/// Serves the built web pages (<c>web/</c>, built by the server project's build into <c>web/dist</c>):
/// <c>/</c> the staff console and <c>/m/</c> the phone pages, each a single-page app whose unknown paths fall back
/// to its own <c>index.html</c>. <c>/api</c>, <c>/openapi</c>, <c>/scalar</c> and <c>/health</c> never fall back.
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

    // Paths that belong to the server itself; a typo under them is a 404, not the console.
    private const string FallbackPattern = "{**path:regex(^(?!(api|openapi|scalar|health)(/|$)).*$)}";

    /// <summary>
    /// Static files of the pages, then routing: files are served before any endpoint is chosen and before
    /// authentication (the pages themselves are public, their data is not).
    /// </summary>
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
        ((IApplicationBuilder)app).Properties[nameof(WebPages)] = files;
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl =
                context.Context.Request.Path.StartsWithSegments("/assets")
                    ? "public, max-age=31536000, immutable" // file names carry a content hash
                    : "no-cache",
        });
        app.UseRouting();
        return app;
    }

    /// <summary>The single-page fallbacks: <c>/m/…</c> to the phone pages, everything else outside the API to the console.</summary>
    public static WebApplication MapWebPages(this WebApplication app)
    {
        if (((IApplicationBuilder)app).Properties.TryGetValue(nameof(WebPages), out var value) && value is IFileProvider files)
        {
            app.MapGet("/", (HttpContext context) => ServeIndex(context, files, string.Empty)).AllowAnonymous().ExcludeFromDescription();
            app.MapFallback(FallbackPattern, (HttpContext context, string? path) => ServeIndex(context, files, path ?? string.Empty))
                .AllowAnonymous().ExcludeFromDescription();
        }
        else
        {
            app.MapGet("/", () => Results.Redirect("/scalar/v1")).AllowAnonymous().ExcludeFromDescription();
        }

        return app;
    }

    private static IResult ServeIndex(HttpContext context, IFileProvider files, string path)
    {
        // A missing asset (a file name with an extension) is a plain 404: an old tab asking for a replaced chunk
        // must not get HTML back as JavaScript.
        var lastSegment = path[(path.LastIndexOf('/') + 1)..];
        if (lastSegment.Contains('.', StringComparison.Ordinal))
        {
            return Results.NotFound();
        }

        if (path == "m")
        {
            return Results.Redirect("/m/" + context.Request.QueryString);
        }

        var index = files.GetFileInfo(path.StartsWith("m/", StringComparison.Ordinal) ? "m/index.html" : "index.html");
        if (!index.Exists || index.PhysicalPath is null)
        {
            return Results.NotFound();
        }

        context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        return Results.File(index.PhysicalPath, "text/html; charset=utf-8");
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
