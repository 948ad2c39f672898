using System.Threading.RateLimiting;
using CivicGrid.Server.Infrastructure.Auth;
using Microsoft.AspNetCore.RateLimiting;

namespace CivicGrid.Server.Infrastructure.Http;

/// <summary>
/// Rate-limit policies contributed by features. A refused request gets 429 with <c>Retry-After</c> and the general 429
/// problem, unless its policy brought a refusal of its own (a Chinese detail naming what is limited).
/// </summary>
public static class RateLimits
{
    /// <summary>Adds a named policy; <paramref name="refusal"/> writes its 429 problem (null: the general one).</summary>
    public static IServiceCollection AddRateLimitPolicy(this IServiceCollection services, string name,
        Func<HttpContext, RateLimitPartition<string>> partition, Func<HttpContext, IResult>? refusal = null)
    {
        services.AddRateLimiter(o => o.AddPolicy(name, partition));
        if (refusal is not null)
        {
            services.Configure<RefusalOptions>(o => o.Refusals[name] = refusal);
        }

        return services;
    }

    /// <summary>A fixed window of one minute per signed-in user, else per client address; beyond the limit, 429 at once (no queue).</summary>
    public static RateLimitPartition<string> PerClientPerMinute(HttpContext context, int permits)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RateLimitPartition.GetFixedWindowLimiter(
            context.User.GetUserId() is { } user ? $"user:{user:D}" : context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
    }

    /// <summary>The limiter itself: 429 with Retry-After, and the refused policy's own problem where it has one.</summary>
    internal static IServiceCollection AddCivicGridRateLimiter(this IServiceCollection services) =>
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                // Tell the client when to try again (a fixed window knows when it refills).
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter =
                        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                // Elsewhere the status code pages write the general 429 problem.
                var http = context.HttpContext;
                var policy = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
                var refusals = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RefusalOptions>>().Value.Refusals;
                if (policy is not null && refusals.TryGetValue(policy, out var refusal))
                {
                    await refusal(http).ExecuteAsync(http);
                }
            };
        });

    internal sealed class RefusalOptions
    {
        public Dictionary<string, Func<HttpContext, IResult>> Refusals { get; } = new(StringComparer.Ordinal);
    }
}
