using CivicGrid.Server.Features.Metrics;
using CivicGrid.Server.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CivicGrid.Server.Tests.Unit;

/// <summary>The scrape token: configured or read from the data directory, matched only as one exact bearer header.</summary>
public sealed class ScrapeTokenTests : IDisposable
{
    private const string Configured = "configured-scrape-token-0123456789abcdef";

    private readonly DataDirectory _data = new(Path.Combine(Path.GetTempPath(), "civicgrid-scrape-" + Guid.NewGuid().ToString("N")[..8]));

    public void Dispose() => Directory.Delete(_data.Path, recursive: true);

    [Fact]
    public void Matches_OnlyTheConfiguredToken_AsOneBearerHeader()
    {
        var token = Token(new MetricsOptions { ScrapeToken = Configured });

        Assert.True(token.IsConfigured);
        Assert.True(token.Matches(new StringValues($"Bearer {Configured}")));
        Assert.True(token.Matches(new StringValues($"bearer {Configured}")));
        Assert.False(token.Matches(new StringValues($"Bearer {Configured}x")));
        Assert.False(token.Matches(new StringValues($"Bearer {Configured[..^1]}")));
        Assert.False(token.Matches(new StringValues($"Basic {Configured}")));
        Assert.False(token.Matches(new StringValues(Configured)));
        Assert.False(token.Matches(StringValues.Empty));
        Assert.False(token.Matches(new StringValues([$"Bearer {Configured}", $"Bearer {Configured}"])));
    }

    [Fact]
    public void WithoutAConfiguredToken_TheFileInTheDataDirectory_IsTheToken()
    {
        var generated = ScrapeToken.Generate();
        Directory.CreateDirectory(_data.Combine("keys"));
        File.WriteAllText(_data.Combine("keys", "metrics-scrape-token"), generated + "\n");

        var token = Token(new MetricsOptions());

        Assert.Equal(43, generated.Length);
        Assert.True(token.Matches(new StringValues($"Bearer {generated}")));
        Assert.False(token.Matches(new StringValues($"Bearer {Configured}")));
    }

    [Fact]
    public void WithNeitherToken_OrATooShortFile_NothingMatches()
    {
        Assert.False(Token(new MetricsOptions()).IsConfigured);

        Directory.CreateDirectory(_data.Combine("keys"));
        File.WriteAllText(_data.Combine("keys", "metrics-scrape-token"), "short");
        var token = Token(new MetricsOptions());

        Assert.False(token.IsConfigured);
        Assert.False(token.Matches(new StringValues("Bearer short")));
        Assert.False(token.Matches(new StringValues("Bearer ")));
    }

    [Fact]
    public void Generate_GivesA256BitUrlSafeToken_EachTimeAnother()
    {
        var first = ScrapeToken.Generate();

        Assert.Matches("^[A-Za-z0-9_-]{43}$", first);
        Assert.NotEqual(first, ScrapeToken.Generate());
    }

    private ScrapeToken Token(MetricsOptions options) => new(Options.Create(options), _data);
}
