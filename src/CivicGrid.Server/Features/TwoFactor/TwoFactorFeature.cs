using CivicGrid.Server.Infrastructure.Hosting;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.TwoFactor;

/// <summary>
/// Two-factor sign-in (TOTP, RFC 6238): enrolment with a QR code and ten recovery codes, the second step of a sign-in,
/// the user's own account security page and the security admin's reset. Required for the administrators and the roles
/// that may reveal personal data unless <c>Auth:SecondFactor</c> is <c>optional</c>.
/// </summary>
public sealed class TwoFactorFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecondFactorOptions>().Bind(configuration.GetSection(SecondFactorOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AuthenticatorSecrets>();
        services.AddScoped<SecondFactorSignIn>();
        services.AddHostedService<SecondFactorNotice>();
    }

    public static void MapEndpoints(IEndpointRouteBuilder routes)
    {
        routes.MapSecondFactorLoginApi();
        routes.MapAccountSecurityApi();
    }

    /// <summary>Says at start-up when the second factor is not required, so nobody runs Production that way unawares.</summary>
    private sealed class SecondFactorNotice(IOptions<SecondFactorOptions> options, ILogger<SecondFactorNotice> log) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!options.Value.RequiredByRole)
            {
                log.LogWarning("Auth:SecondFactor is optional: administrators and roles that may reveal personal data can sign in with a password only "
                    + "(demo and tests). Set Auth:SecondFactor=required (the default) in production.");
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
