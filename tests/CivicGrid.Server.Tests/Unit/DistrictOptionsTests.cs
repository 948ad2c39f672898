using System.ComponentModel.DataAnnotations;
using CivicGrid.Server.Features.District;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Tests.Unit;

/// <summary>The district's keys: one legacy secret, or several by key id with the current one named.</summary>
public sealed class DistrictOptionsTests
{
    private const string A = "first-district-secret-of-at-least-32-chars";
    private const string B = "second-district-secret-of-at-least-32-chars";

    /// <summary>
    /// Security review (issue 21): the district's URL could be plain http in Production. The whole start-up path
    /// (the feature's registration, validated on start) refuses it there; Development may use a local http endpoint.
    /// </summary>
    [Theory]
    [InlineData("Production", "http://district.example/hand-off", false)]
    [InlineData("Production", "https://district.example/hand-off", true)]
    [InlineData("Development", "http://127.0.0.1:9/hand-off", true)]
    public void WebhookUrl_MustBeHttps_InProduction(string environment, string url, bool valid)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["District:WebhookUrl"] = url, ["District:Secret"] = A,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment });
        DistrictFeature.AddServices(services, configuration);
        using var provider = services.BuildServiceProvider();

        var read = () => provider.GetRequiredService<IOptions<DistrictOptions>>().Value;

        if (valid)
        {
            Assert.Equal(new Uri(url), read().WebhookUrl);
        }
        else
        {
            var refused = Assert.Throws<OptionsValidationException>(read);
            Assert.Contains("https", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheLegacySecret_IsTheKeyDefault_AndSigns()
    {
        var options = new DistrictOptions { Secret = A };

        Assert.Empty(Errors(options));
        Assert.Equal((DistrictOptions.LegacyKeyId, A), options.SigningKey);
    }

    [Fact]
    public void SeveralKeys_NeedTheCurrentOne_WhichMustExist()
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal) { ["2025-old"] = A, ["2026-new"] = B };

        Assert.Contains(Errors(new DistrictOptions { Keys = new(keys) }), e => e.Contains("CurrentKeyId is required", StringComparison.Ordinal));
        Assert.Contains(Errors(new DistrictOptions { Keys = new(keys), CurrentKeyId = "2027" }), e => e.Contains("names no key", StringComparison.Ordinal));
        var rotating = new DistrictOptions { Keys = new(keys), CurrentKeyId = "2026-new" };
        Assert.Empty(Errors(rotating));
        Assert.Equal(("2026-new", B), rotating.SigningKey);
        Assert.Equal(2, rotating.AllKeys.Count);
    }

    [Fact]
    public void ShortKeys_BadKeyIds_AndAWebhookWithoutKeys_AreRefused()
    {
        Assert.NotEmpty(Errors(new DistrictOptions { Keys = new(StringComparer.Ordinal) { ["k1"] = "short" } }));
        Assert.NotEmpty(Errors(new DistrictOptions { Keys = new(StringComparer.Ordinal) { ["bad id"] = A } }));
        Assert.NotEmpty(Errors(new DistrictOptions { WebhookUrl = new Uri("https://district.example/hand-off") }));
        Assert.NotEmpty(Errors(new DistrictOptions { Secret = A, Keys = new(StringComparer.Ordinal) { [DistrictOptions.LegacyKeyId] = B } }));
    }

    private static List<string> Errors(DistrictOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? string.Empty)];
    }
}
