using System.ComponentModel.DataAnnotations;
using CivicGrid.Domain.Assessment;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Features.Assessment;

/// <summary>Assessment settings an installation may tune (configuration section <c>Assessment</c>), validated at start-up.</summary>
public sealed class AssessmentOptions
{
    public const string Section = "Assessment";

    /// <summary>
    /// Working hours (on the work calendar) within which a reported case must be accepted or refused (受理时限) for the
    /// on-time acceptance rate. Default 2.
    /// </summary>
    [Range(0.25, 80)]
    public double AcceptWithinWorkingHours { get; set; } = 2;

    /// <summary>Calendar days after publication within which a grid worker or leader may appeal an indicator (申诉期). Default 10.</summary>
    [Range(1, 90)]
    public int AppealWindowDays { get; set; } = 10;

    /// <summary>The award lists (评优) drawn from published results, per kind and grid level.</summary>
    public AwardOptions Awards { get; set; } = new();

    public AppealRules AppealRules => new(AppealWindowDays);
}

/// <summary>
/// The rules of the award lists (<c>Assessment:Awards</c>): per grid level (grid-2, grid-3, micro) or for the grid workers
/// (worker) the list's name, how many places and the fewest stars a subject must have, for the quarterly lists and the annual
/// 1 July list (the best grid team and grid workers).
/// </summary>
public sealed class AwardOptions
{
    public Dictionary<string, AwardRuleOptions> Quarter { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["grid-2"] = new() { Name = "季度优秀二级网格", Top = 1 },
        ["grid-3"] = new() { Name = "季度优秀三级网格", Top = 3 },
        ["micro"] = new() { Name = "季度优秀微网格", Top = 5 },
    };

    public Dictionary<string, AwardRuleOptions> JulyFirst { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["grid-2"] = new() { Name = "“七一”年度优秀二级网格", Top = 1 },
        ["grid-3"] = new() { Name = "“七一”年度优秀三级网格", Top = 3 },
        ["micro"] = new() { Name = "“七一”年度优秀微网格", Top = 5 },
        ["worker"] = new() { Name = "“七一”年度优秀网格员", Top = 5 },
    };
}

/// <summary>One award list's rule as configured; see <see cref="AwardRule"/>.</summary>
public sealed class AwardRuleOptions
{
    public string Name { get; set; } = string.Empty;

    public int Top { get; set; } = 1;

    public int MinimumStars { get; set; } = 4;

    /// <summary>Leave out subjects with an undecided appeal (the list waits for the decision). Default true.</summary>
    public bool ExcludeAppealing { get; set; } = true;

    public AwardRule ToRule() => new(Name, Top, MinimumStars, ExcludeAppealing);
}

/// <summary>Refuses to start with an award rule or appeal window that cannot work, saying which and why.</summary>
public sealed class AssessmentOptionsValidation : IValidateOptions<AssessmentOptions>
{
    private static readonly string[] Levels = ["grid-2", "grid-3", "micro", "worker"];

    public ValidateOptionsResult Validate(string? name, AssessmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (kind, rules) in new[] { ("Quarter", options.Awards.Quarter), ("JulyFirst", options.Awards.JulyFirst) })
        {
            foreach (var (level, rule) in rules)
            {
                if (!Levels.Contains(level, StringComparer.OrdinalIgnoreCase))
                {
                    failures.Add($"Assessment:Awards:{kind}:{level}: the level must be grid-2, grid-3, micro or worker.");
                }

                failures.AddRange(rule.ToRule().Problems().Select(p => $"Assessment:Awards:{kind}:{level}: {p}"));
            }
        }

        failures.AddRange(options.AppealRules.Problems().Select(p => $"Assessment:AppealWindowDays: {p}"));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
