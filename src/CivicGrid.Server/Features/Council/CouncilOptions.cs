using System.ComponentModel.DataAnnotations;
using CivicGrid.Domain.Assessment;

namespace CivicGrid.Server.Features.Council;

/// <summary>One aspect of the council's form as configured: a kebab-case code and its Chinese name.</summary>
public sealed class CouncilAspectOption
{
    public string Code { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;
}

/// <summary>
/// The resident council's evaluation form (configuration section <c>Council</c>), validated at start-up: the aspects scored
/// with stars, the ready phrases, and how long before and after a period's end members may score it. Left out, the
/// <see cref="CouncilForm.Default"/> form applies.
/// </summary>
public sealed class CouncilOptions : IValidatableObject
{
    public const string Section = "Council";

    public List<CouncilAspectOption> Aspects { get; set; } = [];

    public List<string> Phrases { get; set; } = [];

    /// <summary>Days before a period's last day that its evaluation opens (default 20).</summary>
    [Range(0, 90)]
    public int OpensDaysBeforeEnd { get; set; } = CouncilForm.Default.OpensDaysBeforeEnd;

    /// <summary>Days after a period's last day that its evaluation closes (default 15).</summary>
    [Range(0, 60)]
    public int ClosesDaysAfterEnd { get; set; } = CouncilForm.Default.ClosesDaysAfterEnd;

    /// <summary>The form in force.</summary>
    public CouncilForm Form => new(
        Aspects.Count > 0 ? [.. Aspects.Select(a => new CouncilAspect(a.Code, a.Name))] : CouncilForm.Default.Aspects,
        Phrases.Count > 0 ? [.. Phrases] : CouncilForm.Default.Phrases,
        OpensDaysBeforeEnd, ClosesDaysAfterEnd);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Aspects.Count > 6 || Aspects.Any(a => a.Code.Length is 0 or > 32 || !a.Code.All(c => c is >= 'a' and <= 'z' or '-')
            || string.IsNullOrWhiteSpace(a.Name) || a.Name.Length > 10) || Aspects.DistinctBy(a => a.Code).Count() != Aspects.Count)
        {
            yield return new ValidationResult("Council:Aspects: at most 6, each a distinct kebab-case code and a Chinese name of at most 10 characters.",
                [nameof(Aspects)]);
        }

        if (Phrases.Count > 16 || Phrases.Any(p => string.IsNullOrWhiteSpace(p) || p.Length > 20) || Phrases.Distinct().Count() != Phrases.Count)
        {
            yield return new ValidationResult("Council:Phrases: at most 16 distinct phrases of at most 20 characters.", [nameof(Phrases)]);
        }
    }
}
