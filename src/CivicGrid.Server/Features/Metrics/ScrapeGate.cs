using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Auth;
using CivicGrid.Server.Infrastructure.Http;

namespace CivicGrid.Server.Features.Metrics;

/// <summary>
/// The scrape endpoint's own pipeline, before the exporter: lets through the scrape token (a Prometheus server has no
/// session) or a signed-in system or security administrator (<see cref="Roles.ReadMetrics"/>), and answers everyone else
/// with a problem: 401 without a valid session or token, 403 for any other role.
/// </summary>
internal sealed class ScrapeGate(RequestDelegate next, ScrapeToken token)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (token.Matches(http.Request.Headers.Authorization))
        {
            await next(http);
            return;
        }

        if (http.User.Identity?.IsAuthenticated != true)
        {
            await Problems.Create(StatusCodes.Status401Unauthorized, Problems.UnauthorizedType, "Reading the metrics needs an operator or the scrape token.",
                "读取运行指标需要以系统管理员或安全管理员身份登录，或在请求头 Authorization: Bearer 中提供采集令牌。").ExecuteAsync(http);
            return;
        }

        if (!Roles.MayReadMetrics(http.User.GetRoles()))
        {
            await Problems.Forbidden("只有系统管理员或安全管理员可以读取运行指标。").ExecuteAsync(http);
            return;
        }

        await next(http);
    }
}
