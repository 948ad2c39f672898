using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Persistence;

namespace CivicGrid.Server.Infrastructure.Auth;

/// <summary>
/// The scope of the current HTTP caller, read from the authenticated principal. Outside a request
/// (start-up, operator commands, jobs) the system acts for itself.
/// </summary>
public sealed class HttpScopeAccessor(IHttpContextAccessor httpContextAccessor) : IScopeAccessor
{
    public Scope Current
    {
        get
        {
            if (httpContextAccessor.HttpContext is not { } context)
            {
                return Scope.System;
            }

            // Parsed once per principal: the query filters read the scope several times per query.
            if (context.Items[typeof(HttpScopeAccessor)] is (System.Security.Claims.ClaimsPrincipal principal, Scope cached)
                && ReferenceEquals(principal, context.User))
            {
                return cached;
            }

            var scope = context.User.GetScope();
            context.Items[typeof(HttpScopeAccessor)] = (context.User, scope);
            return scope;
        }
    }
}
