namespace CivicGrid.Domain.Households;

/// <summary>How a door-knock went.</summary>
public enum VisitOutcome
{
    /// <summary>已走访: someone opened and talked.</summary>
    Visited = 1,

    /// <summary>无人在家.</summary>
    NobodyHome,

    /// <summary>拒绝入户.</summary>
    Refused,
}

/// <summary>What a door-knock found: a need for the needs list (需求清单), or a problem that becomes a case.</summary>
public enum FindingKind
{
    Need = 1,
    Problem,
}

/// <summary>What kind of need a visit found; the needs list (三张清单) uses the same words.</summary>
public enum NeedKind
{
    /// <summary>养老助餐、助浴、陪诊.</summary>
    ElderlyCare = 1,

    /// <summary>医疗健康.</summary>
    Health,

    /// <summary>家电维修、水电维修.</summary>
    Repair,

    /// <summary>法律咨询、调解.</summary>
    Legal,

    /// <summary>就业、低保等帮扶.</summary>
    Assistance,

    /// <summary>心理关爱、陪伴.</summary>
    Companionship,

    Other,
}

/// <summary>The rules of door-knocking (网格叮咚敲门行动): where the phone was, and the weekly minimum per sunk worker.</summary>
public static class VisitRules
{
    /// <summary>The default distance beyond which a visit's phone position is flagged as far from the building, in metres.</summary>
    public const double DefaultFarMeters = 200;

    /// <summary>The default minimum visits per department liaison (下沉人员) per week.</summary>
    public const int DefaultWeeklyMinimum = 1;

    private const double EarthRadiusMeters = 6_371_008.8;

    /// <summary>Great-circle distance in metres between two WGS-84 lon/lat points.</summary>
    public static double DistanceMeters(double lon1, double lat1, double lon2, double lat2)
    {
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(lat2 - lat1);
        var dLon = Radians(lon2 - lon1);
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + (Math.Cos(Radians(lat1)) * Math.Cos(Radians(lat2)) * Math.Pow(Math.Sin(dLon / 2), 2));
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>
    /// True when the phone was farther than <paramref name="farMeters"/> from the building, after allowing for the position's
    /// stated accuracy (a 150 m accuracy circle that reaches the building is not flagged). No position: not checked, false.
    /// </summary>
    public static bool IsFar(double? distanceMeters, double accuracyMeters, double farMeters) =>
        distanceMeters is { } d && d - Math.Max(0, accuracyMeters) > farMeters;

    /// <summary>The Monday (Beijing date) of the week <paramref name="day"/> lies in; weeks run Monday to Sunday.</summary>
    public static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>True when <paramref name="visits"/> in a week fall short of <paramref name="minimum"/>.</summary>
    public static bool IsBehind(int visits, int minimum) => visits < minimum;

    /// <summary>
    /// Only door-knocks that reached the household count towards the minimum: visited, or refused at the door. Nobody home
    /// is recorded (the next knock is due) but does not count, or a minimum could be met by knocking on empty flats.
    /// </summary>
    public static bool Counts(VisitOutcome outcome) => outcome is VisitOutcome.Visited or VisitOutcome.Refused;

    public static string ToChinese(this VisitOutcome outcome) => outcome switch
    {
        VisitOutcome.Visited => "已走访",
        VisitOutcome.NobodyHome => "无人在家",
        VisitOutcome.Refused => "拒绝入户",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public static string ToChinese(this NeedKind kind) => kind switch
    {
        NeedKind.ElderlyCare => "养老服务",
        NeedKind.Health => "医疗健康",
        NeedKind.Repair => "维修服务",
        NeedKind.Legal => "法律服务",
        NeedKind.Assistance => "困难帮扶",
        NeedKind.Companionship => "关爱陪伴",
        NeedKind.Other => "其他需求",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
