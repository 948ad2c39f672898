namespace CivicGrid.Server.Infrastructure.Http.Idempotency;

/// <summary>Wires idempotency keys into the host and onto endpoints.</summary>
public static class IdempotencySetup
{
    /// <summary>Options, the record store and the filter.</summary>
    public static IServiceCollection AddCivicGridIdempotency(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IdempotencyOptions>().Bind(configuration.GetSection(IdempotencyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // The filter itself is made per request by AddEndpointFilter; the store opens its own scopes.
        services.AddSingleton<IdempotencyStore>();
        return services;
    }

    /// <summary>
    /// Buffers the body of keyed requests to idempotent endpoints. Parameter binding reads the body
    /// before endpoint filters run, so the filter can only fingerprint it if it was made rewindable
    /// here, ahead of the endpoint.
    /// </summary>
    public static IApplicationBuilder UseIdempotency(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Request.Headers.ContainsKey(IdempotencyFilter.HeaderName)
                && context.GetEndpoint()?.Metadata.GetMetadata<IdempotentEndpointMetadata>() is not null)
            {
                context.Request.EnableBuffering();
            }

            return next(context);
        });

    /// <summary>
    /// Makes the endpoint honour the <c>Idempotency-Key</c> header: retries get the first answer.
    /// Needs <see cref="UseIdempotency"/> in the pipeline.
    /// </summary>
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(IdempotentEndpointMetadata.Instance)
            .AddEndpointFilter<IdempotencyFilter>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}

/// <summary>Marks an endpoint whose keyed requests must have a rewindable body.</summary>
public sealed class IdempotentEndpointMetadata
{
    public static IdempotentEndpointMetadata Instance { get; } = new();

    private IdempotentEndpointMetadata()
    {
    }
}
