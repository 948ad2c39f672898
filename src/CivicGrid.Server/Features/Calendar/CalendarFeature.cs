using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Calendar;

/// <summary>The work calendar deadlines count on (holidays and make-up working days).</summary>
public sealed class CalendarFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddSingleton<WorkCalendarProvider>();

    public static void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapCalendarApi();
}
