using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Features.Audit;

/// <summary>
/// Records a security event for every completed call of an endpoint (imports, exports, key and secret issuance,
/// configuration and calendar changes): who, from where, which route and query, and how it ended. Written after the
/// handler, in a context of its own, so a handler's unsaved state is never saved by it. A handler that recorded its own
/// event (<see cref="SecurityAudit.Record"/>, naming what it changed, sealed in the same transaction as the change) is
/// not recorded twice when it succeeds; refusals and failures are always recorded here.
/// </summary>
public static class SecurityEventFilter
{
    private const string NoteKey = "civicgrid.security-event-note";

    /// <summary>What the call did, in Chinese and with names (the file, the counts…), for the filter's entry of this request.</summary>
    public static void Note(HttpContext http, string note)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Items[NoteKey] = note;
    }

    /// <param name="kind">The event to record.</param>
    /// <param name="subjectKind">What the endpoint acts on (import, export, api-key, device, calendar, configuration…).</param>
    /// <param name="action">What the call does, in Chinese (导入网格文件, 导出案件…); the route and query are added.</param>
    public static TBuilder WithSecurityEvent<TBuilder>(this TBuilder builder, SecurityEventKind kind, string subjectKind, string action)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var http = context.HttpContext;
            var inner = result;
            while (inner is INestedHttpResult nested)
            {
                inner = nested.Result;
            }

            var status = inner is IStatusCodeHttpResult { StatusCode: { } code } ? code : http.Response.StatusCode;
            if (status == StatusCodes.Status401Unauthorized)
            {
                return result;
            }

            if (status < 400 && http.RequestServices.GetRequiredService<SecurityAudit>().Recorded)
            {
                return result;
            }

            var outcome = status switch
            {
                < 400 => SecurityOutcome.Success,
                StatusCodes.Status403Forbidden => SecurityOutcome.Refused,
                _ => SecurityOutcome.Failure,
            };
            if (http.RequestServices.GetRequiredService<CivicGridDbContext>().Database.CurrentTransaction is not null)
            {
                // Its own context would wait for the request's transaction (SQLite's one writer) while the request waits for it.
                throw new InvalidOperationException("WithSecurityEvent must be added before WithIdempotency: it writes outside the request's transaction.");
            }

            await using var scope = http.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            var target = http.Request.Path + http.Request.QueryString;
            scope.ServiceProvider.GetRequiredService<SecurityAudit>().Record(db, kind,
                new SecuritySubject(subjectKind, http.GetRouteValue("id")?.ToString() ?? http.GetRouteValue("code")?.ToString()
                    ?? http.GetRouteValue("name")?.ToString(), null, db.Scope.Code),
                http.Items[NoteKey] is string note
                    ? $"{action}：{note}；{http.Request.Method} {target}（HTTP {status}）"
                    : $"{action}：{http.Request.Method} {target}（HTTP {status}）", outcome);
            await db.SaveChangesAsync(http.RequestAborted);
            return result;
        });
}
