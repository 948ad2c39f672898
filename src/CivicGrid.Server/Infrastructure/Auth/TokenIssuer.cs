using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CivicGrid.Server.Infrastructure.Auth;

/// <summary>Issues signed access tokens (JWT, HMAC-SHA256) for a session.</summary>
public sealed class TokenIssuer(SigningKeys keys, Microsoft.Extensions.Options.IOptions<AuthOptions> options)
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
    };
}
