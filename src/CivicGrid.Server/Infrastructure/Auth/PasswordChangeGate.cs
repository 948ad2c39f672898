using CivicGrid.Server.Infrastructure.Http;

namespace CivicGrid.Server.Infrastructure.Auth;

/// <summary>
/// A user signed in with a password the security administrator set (a new account's first one, or a reset's one-time
/// password) may do nothing but read who
/// they are, change the password and sign out: every other API call is refused with a problem that says so, at once,
/// until the password is changed.
/// </summary>
public static class PasswordChangeGate
{
    public const string RequiredType = "/problems/password-change-required";

    private static readonly string[] Allowed = ["/api/auth/me", "/api/auth/password", "/api/auth/logout"];

    public static IApplicationBuilder UsePasswordChangeGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.Identity?.IsAuthenticated == true
            && context.Request.Path.StartsWithSegments("/api")
            && !Allowed.Any(p => context.Request.Path.StartsWithSegments(p))
            && context.RequestServices.GetRequiredService<SessionValidator>().MustChangePassword)
        {
            await Problems.Create(StatusCodes.Status403Forbidden, RequiredType, "The password must be changed first.",
                "您正在使用管理员设置的初始密码或重置的一次性密码，请先修改密码后再继续。").ExecuteAsync(context);
            return;
        }

        await next(context);
    });
}
