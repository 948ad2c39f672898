using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CivicGrid.Server.Infrastructure.Auth;

/// <summary>Issues signed access tokens (JWT, HMAC-SHA256) for a session.</summary>
public sealed class TokenIssuer(SigningKeys keys, Microsoft.Extensions.Options.IOptions<AuthOptions> options, TimeProvider time)
{
    public const string Audience = "civicgrid-api";

    public string Issue(ClaimsIdentity identity, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = identity,
            Issuer = options.Value.Issuer,
            Audience = Audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            SigningCredentials = keys.Credentials,
        });
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = options.Value.Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = keys.SecurityKey,
        NameClaimType = CivicGridClaims.UserName,
        RoleClaimType = CivicGridClaims.Role,
        ClockSkew = TimeSpan.FromSeconds(30),

        // Tokens are issued on the server's TimeProvider; their lifetime is checked on the same clock, not the machine's.
        LifetimeValidator = (notBefore, expires, _, parameters) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return (notBefore is null || notBefore <= now + parameters.ClockSkew) && (expires is null || expires > now - parameters.ClockSkew);
        },
    };
}
