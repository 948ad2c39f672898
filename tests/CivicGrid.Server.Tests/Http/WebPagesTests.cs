using System.Net;
using CivicGrid.Server.Tests.Infrastructure;

namespace CivicGrid.Server.Tests.Http;

/// <summary>The built web pages are served beside the API without taking over any of its paths.</summary>
public sealed class WebPagesTestsOnSqlite(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/")]
    [InlineData("/login")]
    [InlineData("/m/")]
    [InlineData("/m/report")]
    [InlineData("/m/mine/202611270001")]
    public async Task PagePaths_FallBackToTheirApp_WithoutLogin(string path)
    {
        SkipWithoutBuiltPages();
        using var client = app.CreateClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<div id=\"app\">", html, StringComparison.Ordinal);
        // Only the phone pages' index.html sets a theme colour for the phone's browser bar.
        Assert.Equal(path.StartsWith("/m/", StringComparison.Ordinal), html.Contains("theme-color", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/no-such-thing")]
    [InlineData("/assets/no-such-chunk.js")]
    [InlineData("/health/nothing")]
    public async Task ServerPathsAndMissingFiles_AreNotAnsweredWithAPage(string path)
    {
        SkipWithoutBuiltPages();
        using var client = await app.ClientForAsync("admin");

        var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static void SkipWithoutBuiltPages()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "web", "dist", "index.html")))
            {
                return;
            }
        }

        Assert.Skip("web/dist is not built (built with -p:SkipWebBuild=true?)");
    }
}
