using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Features.Audit;

/// <summary>
/// Records a security event for every completed call of an endpoint (imports, exports, key and secret issuance,
/// configuration and calendar changes): who, from where, which route and query, and how it ended. Written after the
/// handler, in a context of its own, so a handler's unsaved state is never saved by it.
/// </summary>
public static class SecurityEventFilter
{
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

            var outcome = status switch
            {
                < 400 => SecurityOutcome.Success,
                StatusCodes.Status403Forbidden => SecurityOutcome.Refused,
                _ => SecurityOutcome.Failure,
            };
            await using var scope = http.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            var target = http.Request.Path + http.Request.QueryString;
            scope.ServiceProvider.GetRequiredService<SecurityAudit>().Record(db, kind,
                new SecuritySubject(subjectKind, http.GetRouteValue("id")?.ToString() ?? http.GetRouteValue("code")?.ToString()
                    ?? http.GetRouteValue("name")?.ToString(), null, db.Scope.Code),
                $"{action}：{http.Request.Method} {target}（HTTP {status}）", outcome);
            await db.SaveChangesAsync(http.RequestAborted);
            return result;
        });
}
