namespace CivicGrid.Server.Features.Cases.Intake;

/// <summary>The last case number handed out on one day (Beijing time), for readable numbers yyyyMMdd + 5 digits.</summary>
public sealed class CaseNumberCounter
{
    /// <summary>yyyyMMdd in Beijing time.</summary>
    public string Day { get; set; } = string.Empty;

    public int Last { get; set; }
}
