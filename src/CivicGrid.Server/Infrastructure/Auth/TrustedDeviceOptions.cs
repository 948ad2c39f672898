using System.ComponentModel.DataAnnotations;
using CivicGrid.Domain.Accounts;

namespace CivicGrid.Server.Infrastructure.Auth;

/// <summary>The <c>TrustedDevices</c> section: how long a volunteer's phone stays signed in, and how long a sign-in code lasts.</summary>
public sealed class TrustedDeviceOptions : IValidatableObject
{
    public const string Section = "TrustedDevices";

    /// <summary>A trusted phone stays signed in this long after its last use (sliding).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "366.00:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>A trusted phone unused this long is signed out.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "366.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a sign-in QR code issued by community staff may wait to be scanned.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan SignInCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The address phones reach the server at (e.g. <c>https://grid.example.gov.cn</c>), for the URL in a sign-in QR code;
    /// empty: the address the issuing console used.
    /// </summary>
    [Url]
    public string? PublicUrl { get; set; }

    public TrustedDevicePolicy Policy => new(Lifetime, IdleTimeout);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IdleTimeout > Lifetime)
        {
            yield return new ValidationResult("TrustedDevices:IdleTimeout must not be longer than TrustedDevices:Lifetime.", [nameof(IdleTimeout)]);
        }
    }
}
