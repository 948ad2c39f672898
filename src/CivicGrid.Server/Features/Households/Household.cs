using CivicGrid.Domain.Households;
using CivicGrid.Server.Infrastructure.Privacy;
using NeedUrgency = CivicGrid.Domain.GridAffairs.NeedUrgency;

namespace CivicGrid.Server.Features.Households;

/// <summary>
/// A dwelling of the household register (人地事物组织): one room of one unit of a surveyed building, how it is used, and
/// who lives there. Scoped by the building's grid.
/// </summary>
public sealed class Household
{
    public const int MaxNotesLength = 500;

    private Household()
    {
        BuildingCode = GridCode = Room = null!;
    }

    public Household(string buildingCode, string? compoundCode, string gridCode, int unit, string room, Occupancy occupancy, string? notes, DateTimeOffset at)
    {
        Id = Guid.CreateVersion7();
        BuildingCode = buildingCode;
        CompoundCode = compoundCode;
        GridCode = gridCode;
        Unit = unit;
        Room = room;
        Occupancy = occupancy;
        Notes = notes;
        CreatedAt = UpdatedAt = at;
    }

    public Guid Id { get; private set; }

    public string BuildingCode { get; private set; }

    /// <summary>The building's compound; null for a building standing alone on a street.</summary>
    public string? CompoundCode { get; private set; }

    /// <summary>The building's finest grid (usually a micro-grid); the scope filter reads it.</summary>
    public string GridCode { get; private set; }

    /// <summary>单元, from 1.</summary>
    public int Unit { get; private set; }

    /// <summary>Floor then two-digit door, e.g. 302 (<see cref="BuildingRooms"/>).</summary>
    public string Room { get; private set; }

    public Occupancy Occupancy { get; private set; }

    public string? Notes { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public List<Resident> Residents { get; private set; } = [];

    /// <summary>Records a change of use (a flat let, a tenant gone); a vacant dwelling keeps its past residents only if kept.</summary>
    public void Revise(Occupancy occupancy, string? notes, DateTimeOffset at)
    {
        Occupancy = occupancy;
        Notes = notes;
        UpdatedAt = at;
    }

    public void Touch(DateTimeOffset at) => UpdatedAt = at;
}

/// <summary>
/// A person living in a household. Name, ID number and phone are personal information (PIPL): stored sealed by
/// <see cref="FieldVault"/> (field-level AES-GCM, key outside the database), searchable by exact name or phone through
/// keyed blind indexes, never written anywhere in clear.
/// </summary>
public sealed class Resident
{
    private Resident()
    {
        SealedName = NameIndex = GridCode = null!;
    }

    public Resident(Guid householdId, string gridCode, string sealedName, string nameIndex, string? sealedIdNumber, string? idNumberIndex, string? sealedPhone, string? phoneIndex,
        IEnumerable<ResidentCare> care, DateTimeOffset at)
    {
        Id = Guid.CreateVersion7();
        HouseholdId = householdId;
        GridCode = gridCode;
        CreatedAt = at;
        SealedName = sealedName;
        NameIndex = nameIndex;
        Seal(sealedName, nameIndex, sealedIdNumber, idNumberIndex, sealedPhone, phoneIndex);
        Care = [.. care];
    }

    public Guid Id { get; private set; }

    public Guid HouseholdId { get; private set; }

    /// <summary>The household's grid, repeated so that the resident rows carry their own scope filter.</summary>
    public string GridCode { get; private set; }

    /// <summary><c>keyId:base64(nonce‖ciphertext‖tag)</c>.</summary>
    public string SealedName { get; private set; }

    public string NameIndex { get; private set; }

    public string? SealedIdNumber { get; private set; }

    public string? IdNumberIndex { get; private set; }

    public string? SealedPhone { get; private set; }

    public string? PhoneIndex { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Special-care flags, each with its basis.</summary>
    public List<ResidentCare> Care { get; private set; } = [];

    public void Seal(string sealedName, string nameIndex, string? sealedIdNumber, string? idNumberIndex, string? sealedPhone, string? phoneIndex)
    {
        SealedName = sealedName;
        NameIndex = nameIndex;
        SealedIdNumber = sealedIdNumber;
        IdNumberIndex = idNumberIndex;
        SealedPhone = sealedPhone;
        PhoneIndex = phoneIndex;
    }

    public void ReplaceCare(IEnumerable<ResidentCare> care) => Care = [.. care];
}

/// <summary>One special-care flag of a resident and the basis for holding it (a certificate number, a civil-affairs list, a visit).</summary>
public sealed class ResidentCare
{
    public const int MaxBasisLength = 200;

    private ResidentCare()
    {
        Basis = null!;
    }

    public ResidentCare(CareKind kind, string basis)
    {
        Kind = kind;
        Basis = basis;
    }

    public CareKind Kind { get; private set; }

    public string Basis { get; private set; }
}

/// <summary>
/// A door-knock (叮咚敲门): who knocked at which household when, where their phone was against the building, how it went,
/// what was found. Scoped by the building's grid; never changed once recorded, but for its photo, attached once after.
/// </summary>
public sealed class DoorVisit
{
    public const int MaxNotesLength = 1000;

    private DoorVisit()
    {
        BuildingCode = GridCode = Room = VisitorName = null!;
    }

    public DoorVisit(Household household, Guid visitorId, string visitorName, DateTimeOffset visitedAt, DateOnly weekStart, VisitOutcome outcome,
        double? lon, double? lat, double? accuracyMeters, double? distanceMeters, bool isFar, string? notes, IEnumerable<VisitFinding> findings)
    {
        Id = Guid.CreateVersion7();
        HouseholdId = household.Id;
        BuildingCode = household.BuildingCode;
        GridCode = household.GridCode;
        Unit = household.Unit;
        Room = household.Room;
        VisitorId = visitorId;
        VisitorName = visitorName;
        VisitedAt = visitedAt;
        WeekStart = weekStart;
        Outcome = outcome;
        Lon = lon;
        Lat = lat;
        AccuracyMeters = accuracyMeters;
        DistanceMeters = distanceMeters;
        IsFar = isFar;
        Notes = notes;
        Findings = [.. findings];
    }

    public Guid Id { get; private set; }

    public Guid HouseholdId { get; private set; }

    public string BuildingCode { get; private set; }

    public string GridCode { get; private set; }

    public int Unit { get; private set; }

    public string Room { get; private set; }

    public Guid VisitorId { get; private set; }

    /// <summary>The visitor's display name at the time.</summary>
    public string VisitorName { get; private set; }

    public DateTimeOffset VisitedAt { get; private set; }

    /// <summary>The Monday (Beijing) of the visit's week, for the weekly minimum.</summary>
    public DateOnly WeekStart { get; private set; }

    public VisitOutcome Outcome { get; private set; }

    /// <summary>The phone's WGS-84 position, when it gave one.</summary>
    public double? Lon { get; private set; }

    public double? Lat { get; private set; }

    public double? AccuracyMeters { get; private set; }

    /// <summary>Metres from the building's entrance.</summary>
    public double? DistanceMeters { get; private set; }

    /// <summary>Farther from the building than <c>Households:FarFromBuildingMeters</c> allows.</summary>
    public bool IsFar { get; private set; }

    public string? Notes { get; private set; }

    /// <summary>The optional photo of the visit (stored like case photos, metadata stripped); attached once, by the visitor.</summary>
    public Guid? PhotoId { get; set; }

    public List<VisitFinding> Findings { get; private set; } = [];
}

/// <summary>
/// One thing a visit found. A need (kind, description, urgency) is what a needs list row (<c>Need</c>, source: visit) is
/// made from; a problem carries the case it became.
/// </summary>
public sealed class VisitFinding
{
    public const int MaxTextLength = 500;

    private VisitFinding()
    {
        Text = null!;
    }

    public VisitFinding(FindingKind kind, NeedKind? needKind, NeedUrgency? urgency, string? categoryCode, string text)
    {
        Kind = kind;
        NeedKind = needKind;
        Urgency = urgency;
        CategoryCode = categoryCode;
        Text = text;
    }

    public FindingKind Kind { get; private set; }

    /// <summary>For a need.</summary>
    public NeedKind? NeedKind { get; private set; }

    /// <summary>For a need.</summary>
    public NeedUrgency? Urgency { get; private set; }

    /// <summary>For a problem: the case category it was filed in.</summary>
    public string? CategoryCode { get; private set; }

    public string Text { get; private set; }

    /// <summary>For a problem: the case it became.</summary>
    public string? CaseNumber { get; set; }
}
