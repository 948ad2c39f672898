using System.Security.Claims;
using System.Text.Json;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Live;

/// <summary>One event as the stream sends it (<c>data:</c> of an SSE event named <c>case</c>).</summary>
/// <param name="Tier">The colour now; <paramref name="PreviousTier"/> before the change (a case that just became red: red and not red).</param>
/// <param name="Urgent">
/// What a duty officer must see at once: a case reported red or just turned red, or a new case of a kind that cannot wait
/// (its limit counts natural time: fire, gas, flooding, public safety). A device going silent is not urgent.
/// </param>
public sealed record LiveCaseEvent(string Id, DateTimeOffset At, string Kind, string CaseNumber, string GridCode, string CategoryCode, string Title,
    string Channel, string Tier, string PreviousTier, string Status, double Lon, double Lat, bool Urgent);

/// <summary>
/// <c>GET /api/live</c>: server-sent events of the cases in the caller's scope as they are reported and change, for the
/// big screen and the console's queues (no polling). Works behind several instances: each reads the events all write.
/// </summary>
public static class LiveApi
{
    public static IEndpointRouteBuilder MapLiveApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/live", Stream).WithTags("Live").RequireAuthorization(Policies.Staff).RequireAuthorization(Policies.CaseContent)
            .WithName("LiveEvents").ExcludeFromDescription();
        return routes;
    }

    /// <summary>
    /// text/event-stream: <c>event: case</c> with a <see cref="LiveCaseEvent"/> as data and its id as the SSE id (a reconnect
    /// sends it back as Last-Event-ID and gets what it missed), a comment every few seconds while idle. Not in the OpenAPI
    /// document (a stream, not a JSON answer); the event's fields are <see cref="LiveCaseEvent"/>'s.
    /// </summary>
    public static async Task Stream(HttpContext http, ClaimsPrincipal caller, LiveFeed feed, Catalogue.CategoryCache categories, IOptions<LiveOptions> options)
    {
        var ct = http.RequestAborted;
        Guid? lastEventId = Guid.TryParse(http.Request.Headers["Last-Event-ID"].ToString(), out var id) ? id : null;
        using var subscription = await feed.SubscribeAsync(caller.GetScope(), lastEventId, ct);
        http.Response.ContentType = "text/event-stream; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.WriteAsync("retry: 3000\n: connected\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                idle.CancelAfter(options.Value.Heartbeat);
                try
                {
                    var e = await subscription.Events.ReadAsync(idle.Token);
                    var reported = e.Kind == LiveEventKinds.Reported;
                    var urgent = (e.Tier == Domain.Cases.CaseTier.Red && (reported || e.PreviousTier != Domain.Cases.CaseTier.Red))
                        || (reported && (await categories.FindAsync(e.CategoryCode, ct))?.CountsNaturalTime == true);
                    var data = JsonSerializer.Serialize(new LiveCaseEvent(e.Id.ToString("D"), e.At, e.Kind, e.CaseNumber, e.GridCode, e.CategoryCode, e.Title,
                        ApiEnums.Name(e.Channel), ApiEnums.Name(e.Tier), ApiEnums.Name(e.PreviousTier), ApiEnums.Name(e.Status), e.Lon, e.Lat, urgent),
                        JsonSerializerOptions.Web);
                    await http.Response.WriteAsync($"id: {e.Id:D}\nevent: case\ndata: {data}\n\n", ct);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": ping\n\n", ct);
                }

                await http.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The listener went away.
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // The server is stopping.
        }
    }
}
