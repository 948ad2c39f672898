namespace CivicGrid.Domain.GridAffairs;

/// <summary>What a need asks for and a resource offers; API names are kebab-case (<c>elderly-care</c>…).</summary>
public enum ServiceKind
{
    /// <summary>助老: visits, meals, help at home for elderly residents.</summary>
    ElderlyCare = 1,

    /// <summary>助幼: after-school care (四点半课堂), children's activities.</summary>
    ChildCare = 2,

    /// <summary>义诊: health checks, medical advice.</summary>
    Health = 3,

    /// <summary>维修: small repairs in homes and common parts.</summary>
    Repair = 4,

    /// <summary>环境: cleaning, greening, clearing corridors.</summary>
    Environment = 5,

    /// <summary>法律: legal advice, mediation.</summary>
    Legal = 6,

    /// <summary>心理: companionship and psychological support.</summary>
    Companionship = 7,

    /// <summary>就业: job seeking, training.</summary>
    Employment = 8,

    /// <summary>物业托管: looking after an ownerless compound (cleaning, security, repairs).</summary>
    PropertyCare = 9,

    /// <summary>帮扶: help for a household in difficulty (low income, disability), as found at the door.</summary>
    Assistance = 10,

    /// <summary>Anything else a resident asks for.</summary>
    Other = 11,
}

/// <summary>How urgent a need is.</summary>
public enum NeedUrgency
{
    Low = 1,
    Normal = 2,
    Urgent = 3,
}

/// <summary>Where a need stands: open → matched (a resource is on it) → met; open or matched → closed (not pursued).</summary>
public enum NeedStatus
{
    Open = 1,
    Matched = 2,
    Met = 3,
    Closed = 4,
}

/// <summary>Where a need came from; <see cref="Need.SourceReference"/> points into it.</summary>
public enum NeedSource
{
    /// <summary>A door-knocking visit (叮咚敲门); the reference is the visit's id.</summary>
    Visit = 1,

    /// <summary>A case; the reference is the case number.</summary>
    Case = 2,

    /// <summary>A courtyard council's follow-up; the reference is the council's id.</summary>
    Council = 3,

    /// <summary>Entered by staff (a call, a walk-in).</summary>
    Staff = 4,
}

/// <summary>Who a resource is.</summary>
public enum ResourceKind
{
    /// <summary>志愿者.</summary>
    Volunteer = 1,

    /// <summary>双报到党员: a party member registered at the community where they live.</summary>
    PartyMember = 2,

    /// <summary>驻街单位.</summary>
    PublicUnit = 3,

    /// <summary>物业公司.</summary>
    PropertyCompany = 4,
}

/// <summary>Chinese names of the kinds.</summary>
public static class CommunityNames
{
    public static string ToChinese(this ServiceKind kind) => kind switch
    {
        ServiceKind.ElderlyCare => "助老服务",
        ServiceKind.ChildCare => "助幼服务",
        ServiceKind.Health => "健康义诊",
        ServiceKind.Repair => "维修帮办",
        ServiceKind.Environment => "环境整治",
        ServiceKind.Legal => "法律服务",
        ServiceKind.Companionship => "陪伴关怀",
        ServiceKind.Employment => "就业帮扶",
        ServiceKind.PropertyCare => "物业托管",
        ServiceKind.Assistance => "困难帮扶",
        ServiceKind.Other => "其他需求",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string ToChinese(this NeedUrgency urgency) => urgency switch
    {
        NeedUrgency.Low => "一般",
        NeedUrgency.Normal => "较急",
        NeedUrgency.Urgent => "紧急",
        _ => throw new ArgumentOutOfRangeException(nameof(urgency), urgency, null),
    };

    public static string ToChinese(this NeedStatus status) => status switch
    {
        NeedStatus.Open => "待对接",
        NeedStatus.Matched => "已对接",
        NeedStatus.Met => "已满足",
        NeedStatus.Closed => "已关闭",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string ToChinese(this NeedSource source) => source switch
    {
        NeedSource.Visit => "入户走访",
        NeedSource.Case => "事件",
        NeedSource.Council => "楼院议事会",
        NeedSource.Staff => "工作人员登记",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    public static string ToChinese(this ResourceKind kind) => kind switch
    {
        ResourceKind.Volunteer => "志愿者",
        ResourceKind.PartyMember => "双报到党员",
        ResourceKind.PublicUnit => "驻街单位",
        ResourceKind.PropertyCompany => "物业公司",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
