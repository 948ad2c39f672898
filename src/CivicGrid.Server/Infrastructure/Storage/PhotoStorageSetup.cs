using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CivicGrid.Server.Infrastructure.Storage;

public static class PhotoStorageSetup
{
    /// <summary>
    /// Registers <see cref="PhotoOptions"/> (section <c>Photos</c>, validated at start-up),
    /// <see cref="PhotoProcessor"/> and <see cref="PhotoStore"/> as singletons. The store needs the
    /// <see cref="DataDirectory"/> singleton that the server registers.
    /// </summary>
    public static IServiceCollection AddPhotoStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PhotoOptions>().Bind(configuration.GetSection(PhotoOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PhotoProcessor>();
        services.AddExceptionHandler<PhotoDecodingBusyHandler>();
        services.AddSingleton<PhotoStore>();
        return services;
    }
}
