using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Hosting;
using CivicGrid.Server.Infrastructure.Http;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Auth;

/// <summary>Sign-in and sessions (the token and cookie machinery itself is infrastructure: <c>Infrastructure/Auth</c>).</summary>
public sealed class AuthFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddRateLimitPolicy(AuthApi.LoginRateLimit, context =>
            RateLimits.PerClientPerMinute(context, context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.LoginAttemptsPerMinute));
        services.AddScoped<SignInSessions>();
        services.AddScoped<SignInEvents>();
        services.AddScoped<FailedSignIns>();
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapAuthApi();
}
