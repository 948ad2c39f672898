using System.ComponentModel.DataAnnotations;

namespace CivicGrid.Server.Features.TwoFactor;

/// <summary>Whether the roles that need a second factor (<c>Roles.NeedSecondFactor</c>) must enrol one to sign in.</summary>
public enum SecondFactorRequirement
{
    /// <summary>The administrators and every role that may reveal personal data sign in with a password and a TOTP code (the default, MLPS level 3).</summary>
    Required,

    /// <summary>
    /// Nobody is made to enrol (for the demo accounts and tests that sign in with passwords only); whoever has enrolled
    /// still gives a code, and a reset still makes the user enrol again. Logged at start-up.
    /// </summary>
    Optional,
}

/// <summary>The second-factor settings of the <c>Auth</c> section (<c>Auth:SecondFactor</c>, <c>Auth:SecondFactorChallengeLifetime</c>).</summary>
public sealed class SecondFactorOptions
{
    public const string Section = "Auth";

    /// <summary><c>required</c> (default) or <c>optional</c>.</summary>
    public SecondFactorRequirement SecondFactor { get; set; } = SecondFactorRequirement.Required;

    /// <summary>How long the second step of a sign-in may wait for its code (or enrolment) after the password.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "00:30:00")]
    public TimeSpan SecondFactorChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The issuer an authenticator app shows beside the account name.</summary>
    [Required]
    [MaxLength(40)]
    public string SecondFactorIssuer { get; set; } = "CivicGrid";

    public bool RequiredByRole => SecondFactor == SecondFactorRequirement.Required;
}
