using System.ComponentModel.DataAnnotations;
using CivicGrid.Domain.Accounts;

namespace CivicGrid.Server.Demo;

/// <summary>The <c>Demo</c> section. On in Development (appsettings.Development.json), off otherwise.</summary>
public sealed class DemoOptions : IValidatableObject
{
    public const string Section = "Demo";

    /// <summary>Load the demo subdistrict on first start, when the database has no grids yet.</summary>
    public bool Enabled { get; set; }

    /// <summary>The password of every demo account.</summary>
    [Required]
    public string Password { get; set; } = "CivicGrid#2026";

    /// <summary>Seed of the generator; the same seed and day give the same subdistrict.</summary>
    public int Seed { get; set; } = 2026;

    /// <summary>Why the demo is refused in <paramref name="environment"/>: its accounts share one known password.</summary>
    public static string OnlyInDevelopment(string environment) =>
        $"The demo subdistrict is loaded only in the Development environment (this is {environment}): every demo account has the same known "
        + "password (Demo:Password). Run it with ASPNETCORE_ENVIRONMENT=Development, or set Demo:Enabled=false and create accounts with `users create-admin`.";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && PasswordRules.Check(Password, string.Empty) is { } weak)
        {
            yield return new ValidationResult($"Demo:Password is too weak for the password rules: {weak}", [nameof(Password)]);
        }
    }
}
