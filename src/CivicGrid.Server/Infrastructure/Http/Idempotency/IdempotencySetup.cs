using CivicGrid.Server.Infrastructure.Persistence;

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
        services.AddSingleton<IdempotencyAnswers>();
        services.AddSingleton<IdempotencyInFlight>();
        services.AddScoped<IdempotencyContext>();
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
    /// <remarks>
    /// The endpoint runs inside a transaction on the request's <see cref="CivicGridDbContext"/>, which also stores the
    /// answer: everything it changes must go through that context (nested <c>BeginTransaction</c> calls must join it, see
    /// <see cref="Persistence.TransactionExtensions.BeginOwnTransactionAsync"/>), and a filter that writes through a
    /// context of its own (a security event) must run outside this one, i.e. be added before it.
    /// </remarks>
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(IdempotentEndpointMetadata.InTransaction)
            .AddEndpointFilter<IdempotencyFilter>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    /// <summary>
    /// Like <see cref="WithIdempotency"/>, for an endpoint whose effect is committed away from the request's context (the
    /// intake writer's shared transaction): it stores the key, completed, in that transaction itself, through
    /// <see cref="IdempotencyContext.CompleteWithEffect"/>. No claim is written before it runs (a second request with the key
    /// on this instance is refused from memory, on another by the key's unique index at commit), so a keyed report costs no
    /// more durable commits than an unkeyed one.
    /// </summary>
    public static RouteHandlerBuilder WithIdempotencyStoredByEffect(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(IdempotentEndpointMetadata.ByEffect)
            .AddEndpointFilter<IdempotencyFilter>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}

/// <summary>Marks an endpoint whose keyed requests must have a rewindable body, and says where its answer is stored.</summary>
public sealed class IdempotentEndpointMetadata
{
    /// <summary>In the transaction the filter opens on the request's context (<see cref="IdempotencySetup.WithIdempotency"/>).</summary>
    public static IdempotentEndpointMetadata InTransaction { get; } = new(false);

    /// <summary>By the endpoint, in its effect's transaction (<see cref="IdempotencySetup.WithIdempotencyStoredByEffect"/>).</summary>
    public static IdempotentEndpointMetadata ByEffect { get; } = new(true);

    private IdempotentEndpointMetadata(bool storedByEffect)
    {
        StoredByEffect = storedByEffect;
    }

    public bool StoredByEffect { get; }
}
