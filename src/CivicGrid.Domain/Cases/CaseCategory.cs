namespace CivicGrid.Domain.Cases;

/// <summary>
/// A subcategory (小类) of the case catalogue, with its major class (大类). Codes follow the
/// GB/T 30428 style: 2-digit major class + 2-digit minor class, prefixed <c>E</c> for events
/// (事件), <c>C</c> for components (部件) and <c>G</c> for grid task families (业务入网).
/// </summary>
public sealed class CaseCategory
{
    private CaseCategory()
    {
        Code = null!;
        Name = null!;
        MajorCode = null!;
        MajorName = null!;
    }

    public CaseCategory(string code, string name, string majorCode, string majorName, CaseTier defaultTier, int handlingHours)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(handlingHours);
        Code = code;
        Name = name;
        MajorCode = majorCode;
        MajorName = majorName;
        DefaultTier = defaultTier;
        HandlingHours = handlingHours;
    }

    public string Code { get; private set; }

    public string Name { get; private set; }

    public string MajorCode { get; private set; }

    public string MajorName { get; private set; }

    public CaseTier DefaultTier { get; private set; }

    /// <summary>Handling time limit in working hours on the work calendar.</summary>
    public int HandlingHours { get; private set; }
}
