namespace CivicGrid.Domain.Cases;

/// <summary>The four colours (四色): the level that must own a case for it to be solved.</summary>
public enum CaseTier
{
    /// <summary>绿: the 3rd-level grid leader can handle it.</summary>
    Green = 1,

    /// <summary>黄: the community convenes joint mediation.</summary>
    Yellow = 2,

    /// <summary>蓝: the subdistrict handles it at a joint analysis meeting.</summary>
    Blue = 3,

    /// <summary>红: needs district authority; reported upward.</summary>
    Red = 4,
}

/// <summary>Where a case is in the six-step loop. The case-workflow issue adds the transitions.</summary>
public enum CaseStatus
{
    Reported = 1,
    Accepted = 2,
    Rejected = 3,
    Assigned = 4,
    InHandling = 5,
    Handled = 6,
    Verified = 7,
    Evaluated = 8,
    Closed = 9,
    Parked = 10,
    Merged = 11,
}

/// <summary>How a case reached CivicGrid.</summary>
public enum CaseChannel
{
    ResidentApp = 1,
    GridPatrol = 2,
    PropertyStaff = 3,
    StaffEntry = 4,
    Sensor = 5,
    Hotline12345 = 6,
    Open311 = 7,
}
