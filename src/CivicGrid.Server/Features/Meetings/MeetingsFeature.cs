using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Meetings;

/// <summary>The subdistrict's joint analysis meetings (联席会议) for blue cases, with a decision per case.</summary>
public sealed class MeetingsFeature : IFeature
{
    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapMeetingsApi();
}
