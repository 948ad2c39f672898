using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.District;

/// <summary>
/// Red cases handed to the district (上报区级): the referral records with their delivery and answer, the signed webhook
/// that delivers them through the outbox, and the district's signed answers.
/// </summary>
public sealed class DistrictFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddDistrictHandOff(configuration);

    public static void MapEndpoints(IEndpointRouteBuilder routes)
    {
        routes.MapDistrictReferralsApi();
        routes.MapDistrictApi();
    }
}
