using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Infrastructure.Auth;

public static class Policies
{
    /// <summary>Anyone who works on cases of a region: every role but resident.</summary>
    public const string Staff = "staff";

    public const string SecurityAdmin = "security-admin";

    public const string SystemAdmin = "system-admin";

    public const string AuditAdmin = "audit-admin";

    /// <summary>
    /// Case contents (cases, photos, timelines, personal data, meetings, hand-offs, hotline orders): any signed-in caller
    /// but an administrator. MLPS level 3 separation of duties: the three administrators run the system, its accounts and
    /// its audit, and see no case.
    /// </summary>
    public const string CaseContent = "case-content";
}

public static class AuthSetup
{
    /// <summary>Chooses the cookie or the bearer token per request, so one API serves browsers and clients.</summary>
    public const string Scheme = "civicgrid";

    /// <summary>
    /// Cookie login for the web, bearer tokens for API clients; both carry the same session id and
    /// are checked against the session store on every request. Every endpoint requires a login
    /// unless it says otherwise.
    /// </summary>
    public static IServiceCollection AddCivicGridAuth(this IServiceCollection services, IConfiguration configuration, DataDirectory dataDirectory,
        IHostEnvironment environment)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AuthOptions>>().Value);
        services.AddSingleton<SigningKeys>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        services.AddSingleton<SessionProbe>();
        services.AddScoped<SessionValidator>();
        services.AddHttpContextAccessor();
        services.AddScoped<IScopeAccessor, HttpScopeAccessor>();

        services.AddDataProtection()
            .SetApplicationName("CivicGrid")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory.KeysPath, "data-protection")));

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Cookie or bearer token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "civicgrid.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                // Secure everywhere but on a developer's machine: behind a TLS proxy the request the server sees may be plain
                // HTTP, and SameAsRequest would then send the session cookie without Secure.
                o.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                // The session store enforces idle and absolute limits; the cookie just carries the id.
                o.SlidingExpiration = false;
                o.Events.OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
                o.Events.OnValidatePrincipal = async context =>
                {
                    var validator = context.HttpContext.RequestServices.GetRequiredService<SessionValidator>();
                    if (context.Principal is null || !await validator.IsAliveAsync(context.Principal, context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                    }
                    else if (context.Properties is { IsPersistent: true, IssuedUtc: { } issued }
                        && context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow() - issued > TimeSpan.FromHours(1))
                    {
                        // Only a trusted phone's cookie persists; renewing it keeps it as long as the device's sliding expiry.
                        context.ShouldRenew = true;
                    }
                };
            })
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.Events = new JwtBearerEvents
                {
                    OnTokenValidated = async context =>
                    {
                        var validator = context.HttpContext.RequestServices.GetRequiredService<SessionValidator>();
                        if (context.Principal is null || !await validator.IsAliveAsync(context.Principal, context.HttpContext.RequestAborted))
                        {
                            context.Fail("The session has ended.");
                        }
                    },
                };
            });
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenIssuer>((o, issuer) => o.TokenValidationParameters = issuer.ValidationParameters());

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Staff, p => p.RequireRole([.. Roles.Staff.Select(r => r.ToClaimValue())]))
            .AddPolicy(Policies.SecurityAdmin, p => p.RequireRole(Role.SecurityAdmin.ToClaimValue()))
            .AddPolicy(Policies.SystemAdmin, p => p.RequireRole(Role.SystemAdmin.ToClaimValue()))
            .AddPolicy(Policies.AuditAdmin, p => p.RequireRole(Role.AuditAdmin.ToClaimValue()))
            .AddPolicy(Policies.CaseContent, p => p.RequireAuthenticatedUser()
                .RequireAssertion(c => !c.User.GetRoles().Any(Roles.Administrators.Contains)));

        return services;
    }
}
