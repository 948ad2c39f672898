using System.ComponentModel.DataAnnotations;
using CivicGrid.Domain.Accounts;

namespace CivicGrid.Server.Infrastructure.Auth;

/// <summary>The <c>Auth</c> section: session limits, lockout and token signing.</summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    /// <summary>A session unused this long ends (MLPS level 3 asks for an idle limit).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after login, whatever the activity.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Failed sign-ins of one user name from one client address (within <see cref="LockoutDuration"/>) that lock that pair.</summary>
    [Range(1, 100)]
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a locked (user name, address) pair is refused, and how long its failures are remembered.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Failed sign-ins of one user name from every address within <see cref="AccountFailureWindow"/> that lock the name
    /// everywhere for <see cref="LockoutDuration"/>: the slower limit against a guess spread over many addresses.
    /// </summary>
    [Range(1, 10_000)]
    public int AccountMaxFailedAttempts { get; set; } = 30;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AccountFailureWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Base64 HMAC-SHA256 key (at least 32 bytes) that signs access tokens. When empty, a key is
    /// generated in the data directory on first start and kept there.
    /// </summary>
    public string? TokenSigningKey { get; set; }

    [Required]
    public string Issuer { get; set; } = "civicgrid";

    /// <summary>Login attempts allowed per client address per minute.</summary>
    [Range(1, 100_000)]
    public int LoginAttemptsPerMinute { get; set; } = 20;

    public SessionPolicy SessionPolicy => new(IdleTimeout, AbsoluteTimeout);

    public LockoutPolicy LockoutPolicy => new(MaxFailedAttempts, LockoutDuration);

    public SignInThrottlePolicy SignInThrottlePolicy =>
        new(MaxFailedAttempts, LockoutDuration, LockoutDuration, AccountMaxFailedAttempts, AccountFailureWindow, LockoutDuration);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AccountMaxFailedAttempts < MaxFailedAttempts)
        {
            yield return new ValidationResult("Auth:AccountMaxFailedAttempts must not be lower than Auth:MaxFailedAttempts (one address must not lock the account everywhere).",
                [nameof(AccountMaxFailedAttempts)]);
        }

        if (IdleTimeout > AbsoluteTimeout)
        {
            yield return new ValidationResult("Auth:IdleTimeout must not be longer than Auth:AbsoluteTimeout.", [nameof(IdleTimeout)]);
        }

        if (!string.IsNullOrEmpty(TokenSigningKey))
        {
            byte[]? bytes = null;
            try
            {
                bytes = Convert.FromBase64String(TokenSigningKey);
            }
            catch (FormatException)
            {
            }

            if (bytes is not { Length: >= 32 })
            {
                yield return new ValidationResult("Auth:TokenSigningKey must be base64 of at least 32 random bytes.", [nameof(TokenSigningKey)]);
            }
        }
    }
}
