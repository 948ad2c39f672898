using System.Security.Claims;
using CivicGrid.Domain.Accounts;

namespace CivicGrid.Server.Infrastructure.Auth;

/// <summary>The claims CivicGrid puts in cookies and tokens, and how to read a <see cref="Scope"/> from them.</summary>
public static class CivicGridClaims
{
    public const string UserId = "sub";
    public const string UserName = "name";
    public const string DisplayName = "display_name";
    public const string Role = "role";
    public const string Scope = "scope_code";
    public const string SessionId = "sid";

    public static ClaimsIdentity CreateIdentity(UserAccount user, Guid sessionId, string authenticationType)
    {
        var claims = new List<Claim>
        {
            new(UserId, user.Id.ToString()),
            new(UserName, user.UserName),
            new(DisplayName, user.DisplayName),
            new(Scope, user.ScopeCode),
            new(SessionId, sessionId.ToString()),
        };
        claims.AddRange(user.Roles.Select(r => new Claim(Role, r.ToClaimValue())));
        return new ClaimsIdentity(claims, authenticationType, UserName, Role);
    }

    /// <summary>
    /// Replaces the role and scope claims of every identity of <paramref name="principal"/> with the account's as stored
    /// now (the session check's read), so that authorization never trusts what a cookie or token froze at sign-in.
    /// </summary>
    public static void Reload(this ClaimsPrincipal principal, IEnumerable<Domain.Accounts.Role> roles, string scopeCode)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var current = roles.ToList();
        foreach (var identity in principal.Identities)
        {
            foreach (var stale in identity.Claims.Where(c => c.Type is Role or Scope).ToList())
            {
                identity.TryRemoveClaim(stale);
            }

            identity.AddClaim(new Claim(Scope, scopeCode));
            identity.AddClaims(current.Select(r => new Claim(Role, r.ToClaimValue())));
        }
    }

    public static Guid? GetUserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(UserId), out var id) ? id : null;

    public static Guid? GetSessionId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(SessionId), out var id) ? id : null;

    public static IReadOnlyList<Domain.Accounts.Role> GetRoles(this ClaimsPrincipal principal) =>
        [.. principal.FindAll(Role).Select(c => Roles.TryParseClaimValue(c.Value, out var r) ? (Domain.Accounts.Role?)r : null).OfType<Domain.Accounts.Role>()];

    /// <summary>
    /// The scope of an authenticated principal; <see cref="Domain.Accounts.Scope.Nobody"/> for anyone
    /// else, or for a principal whose claims are incomplete.
    /// </summary>
    public static Domain.Accounts.Scope GetScope(this ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true
            || principal.GetUserId() is not { } userId
            || principal.FindFirstValue(Scope) is not { } code)
        {
            return Domain.Accounts.Scope.Nobody;
        }

        var roles = principal.GetRoles();
        if (roles.Count == 0)
        {
            return Domain.Accounts.Scope.Nobody;
        }

        return Domain.Accounts.Scope.For(code, roles, userId);
    }
}
