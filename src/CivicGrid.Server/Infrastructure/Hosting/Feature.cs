namespace CivicGrid.Server.Infrastructure.Hosting;

/// <summary>
/// One capability of the server (a folder under <c>Features/</c>): the services it needs and the routes it answers.
/// <see cref="ServerSetup"/> lists the features, one line each; a feature registers everything else itself: options
/// (validated at start-up), rate-limit policies, save hooks and interceptors, scheduled jobs, hosted services. Its entity
/// configurations and operator commands are found in the assembly (see <c>EntityModel</c> and <c>OperatorCommands</c>).
/// </summary>
public interface IFeature
{
    /// <summary>Registers the feature's services; nothing by default.</summary>
    static virtual void AddServices(IServiceCollection services, IConfiguration configuration)
    {
    }

    /// <summary>Maps the feature's routes; none by default.</summary>
    static virtual void MapEndpoints(IEndpointRouteBuilder routes)
    {
    }
}

public static class FeatureRegistration
{
    /// <summary>Adds a feature's services now and remembers its routes for <see cref="MapFeatures"/>, in the same order.</summary>
    public static WebApplicationBuilder AddFeature<TFeature>(this WebApplicationBuilder builder)
        where TFeature : IFeature
    {
        ArgumentNullException.ThrowIfNull(builder);
        TFeature.AddServices(builder.Services, builder.Configuration);
        var features = builder.Services.LastOrDefault(d => d.ServiceType == typeof(FeatureList))?.ImplementationInstance as FeatureList;
        if (features is null)
        {
            features = new FeatureList();
            builder.Services.AddSingleton(features);
        }

        features.Add(typeof(TFeature), TFeature.MapEndpoints);
        return builder;
    }

    /// <summary>Maps the routes of every feature added, in the order they were added.</summary>
    public static IEndpointRouteBuilder MapFeatures(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        foreach (var (_, map) in routes.ServiceProvider.GetService<FeatureList>()?.All ?? [])
        {
            map(routes);
        }

        return routes;
    }

    /// <summary>The features of this server with their route mappers.</summary>
    public sealed class FeatureList
    {
        private readonly List<(Type Feature, Action<IEndpointRouteBuilder> Map)> _all = [];

        public IReadOnlyList<(Type Feature, Action<IEndpointRouteBuilder> Map)> All => _all;

        internal void Add(Type feature, Action<IEndpointRouteBuilder> map)
        {
            if (_all.Exists(f => f.Feature == feature))
            {
                throw new InvalidOperationException($"The feature {feature.Name} was added twice.");
            }

            _all.Add((feature, map));
        }
    }
}
