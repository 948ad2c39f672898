using System.ComponentModel.DataAnnotations;
using CivicGrid.Domain.Households;

namespace CivicGrid.Server.Features.Households;

/// <summary>Settings of door-knocking (section <c>Households</c>).</summary>
public sealed class HouseholdsOptions
{
    public const string Section = "Households";

    /// <summary>A visit whose phone position lies farther than this from the building (after its accuracy) is flagged, in metres.</summary>
    [Range(20, 5000)]
    public double FarFromBuildingMeters { get; set; } = VisitRules.DefaultFarMeters;

    /// <summary>Door-knocks each department liaison (下沉人员) owes per week.</summary>
    [Range(0, 50)]
    public int WeeklyVisitMinimum { get; set; } = VisitRules.DefaultWeeklyMinimum;
}
