using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Infrastructure.Http;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.TwoFactor;

/// <param name="OtpauthUri">The otpauth:// URI for an authenticator app (issuer CivicGrid, account = user name).</param>
/// <param name="QrCode">The same URI as a QR code: a data: URI of an SVG image, for an img element.</param>
/// <param name="Secret">The secret in base32, in groups of four, for typing into the app by hand.</param>
public sealed record EnrolmentResponse(string OtpauthUri, string QrCode, string Secret, string Issuer, string AccountName);

/// <summary>
/// Authenticator secrets at rest: encrypted with ASP.NET Core Data Protection (keys in the data directory, see AuthSetup),
/// so a copy of the database alone does not give anyone's codes.
/// </summary>
public sealed class AuthenticatorSecrets(IDataProtectionProvider protection, IOptions<SecondFactorOptions> options)
{
    private readonly IDataProtector _protector = protection.CreateProtector("CivicGrid.SecondFactor.TotpSecret.v1");

    public string Protect(byte[] secret) => _protector.Protect(Convert.ToBase64String(secret));

    public byte[] Unprotect(string protectedSecret) => Convert.FromBase64String(_protector.Unprotect(protectedSecret));

    /// <summary>Starts (or restarts) <paramref name="factor"/>'s enrolment with a new secret and says how to add it to an app.</summary>
    public EnrolmentResponse StartEnrolment(SecondFactor factor, UserAccount user)
    {
        var secret = Totp.NewSecret();
        factor.StartEnrolment(Protect(secret));
        var issuer = options.Value.SecondFactorIssuer;
        var uri = Totp.KeyUri(issuer, user.UserName, secret);
        var grouped = string.Join(' ', Base32.Encode(secret).Chunk(4).Select(c => new string(c)));
        return new EnrolmentResponse(uri, QrCodes.DataUri(uri), grouped, issuer, user.UserName);
    }
}
