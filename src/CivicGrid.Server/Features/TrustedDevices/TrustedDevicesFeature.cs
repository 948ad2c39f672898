using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.TrustedDevices;

/// <summary>
/// Password-free sign-in for field volunteers: one-time sign-in QR codes issued by community staff, the phones they
/// turn into trusted devices (their sessions checked against the device by <c>SessionValidator</c>), and revoking them.
/// </summary>
public sealed class TrustedDevicesFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddOptions<TrustedDeviceOptions>().Bind(configuration.GetSection(TrustedDeviceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapVolunteerSignInApi();
}
