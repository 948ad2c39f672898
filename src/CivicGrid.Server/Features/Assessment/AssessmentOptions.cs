using System.ComponentModel.DataAnnotations;

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
}
