using CivicGrid.Server.Infrastructure;
using CivicGrid.Server.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Tests.Photos;

public sealed class PhotoStorageSetupTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new DataDirectory(Path.Combine(Path.GetTempPath(), "civicgrid-photos-di")));
        services.AddPhotoStorage(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddPhotoStorage_BindsThePhotosSection()
    {
        using var services = Services(new() { ["Photos:MaxPerCase"] = "6", ["Photos:JpegQuality"] = "80" });

        var options = services.GetRequiredService<IOptions<PhotoOptions>>().Value;

        Assert.Equal((6, 80, 15L * 1024 * 1024), (options.MaxPerCase, options.JpegQuality, options.MaxBytes));
        Assert.NotNull(services.GetRequiredService<PhotoProcessor>());
        Assert.NotNull(services.GetRequiredService<PhotoStore>());
    }

    [Fact]
    public void AddPhotoStorage_RefusesOutOfRangeSettings()
    {
        using var services = Services(new() { ["Photos:JpegQuality"] = "0" });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PhotoOptions>>().Value);
    }
}
