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

/// <summary>
/// Where a case is in the six-step loop. Returning (退回), transferring (转办), escalating (升级),
/// supervising (督办) and the colour records are transitions recorded on the timeline, not states:
/// a returned case waits for a new assignment in <see cref="Accepted"/>, a transferred case waits for
/// the new grid to accept it in <see cref="Reported"/>. See docs/adr/0008-case-workflow.md for the table.
/// <see cref="Rejected"/>, <see cref="Closed"/>, <see cref="Merged"/> and <see cref="Withdrawn"/> are final.
/// </summary>
public enum CaseStatus
{
    /// <summary>上报: received, waiting for the owning level to accept or reject it.</summary>
    Reported = 1,

    /// <summary>立案: accepted, waiting to be assigned (交办).</summary>
    Accepted = 2,

    /// <summary>不予立案: refused with a reason. Final.</summary>
    Rejected = 3,

    /// <summary>交办: assigned to a person or department with a due time.</summary>
    Assigned = 4,

    /// <summary>处置: the assignee is working on it.</summary>
    InHandling = 5,

    /// <summary>反馈: handled, with a note and photos; waiting for verification.</summary>
    Handled = 6,

    /// <summary>核查: the community or the reporter confirmed the result; waiting for the evaluation.</summary>
    Verified = 7,

    /// <summary>评价: rated by the reporter, or evaluated automatically after the waiting period.</summary>
    Evaluated = 8,

    /// <summary>办结. Final.</summary>
    Closed = 9,

    /// <summary>挂账: cannot be solved now; kept with a reason and a review date.</summary>
    Parked = 10,

    /// <summary>合并: a duplicate of another case, which carries the work. Final.</summary>
    Merged = 11,

    /// <summary>撤回: the reporter took the report back, with a reason, before anyone accepted it. Final.</summary>
    Withdrawn = 12,
}

/// <summary>Chinese names and groupings of <see cref="CaseStatus"/> and <see cref="CaseTier"/>.</summary>
public static class CaseStatuses
{
    /// <summary>True for the statuses no verb leaves: rejected, closed, merged, withdrawn.</summary>
    public static bool IsFinal(this CaseStatus status) =>
        status is CaseStatus.Rejected or CaseStatus.Closed or CaseStatus.Merged or CaseStatus.Withdrawn;

    /// <summary>Plain Chinese for residents and staff.</summary>
    public static string ToChinese(this CaseStatus status) => status switch
    {
        CaseStatus.Reported => "已上报",
        CaseStatus.Accepted => "已立案",
        CaseStatus.Rejected => "不予立案",
        CaseStatus.Assigned => "已交办",
        CaseStatus.InHandling => "处置中",
        CaseStatus.Handled => "已处置",
        CaseStatus.Verified => "已核查",
        CaseStatus.Evaluated => "已评价",
        CaseStatus.Closed => "已办结",
        CaseStatus.Parked => "挂账",
        CaseStatus.Merged => "已合并",
        CaseStatus.Withdrawn => "已撤回",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Who owns a case of this colour, in plain Chinese: 网格长, 社区, 街道城运中心, 区级部门.</summary>
    public static string OwnerToChinese(this CaseTier tier) => tier switch
    {
        CaseTier.Green => "网格长",
        CaseTier.Yellow => "社区",
        CaseTier.Blue => "街道城运中心",
        CaseTier.Red => "区级部门",
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, null),
    };
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
