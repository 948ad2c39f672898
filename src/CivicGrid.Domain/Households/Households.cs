using CivicGrid.Domain.Accounts;

namespace CivicGrid.Domain.Households;

/// <summary>How a dwelling is used (the brief's pilot community is two-thirds rented).</summary>
public enum Occupancy
{
    /// <summary>自住.</summary>
    OwnerOccupied = 1,

    /// <summary>出租.</summary>
    Rented,

    /// <summary>空置.</summary>
    Vacant,
}

/// <summary>A reason a resident gets special care (重点关爱对象); each is held on a stated basis (a certificate, a visit…).</summary>
public enum CareKind
{
    /// <summary>独居老人.</summary>
    LivingAloneElderly = 1,

    /// <summary>残疾人.</summary>
    Disabled,

    /// <summary>低保户.</summary>
    LowIncome,

    /// <summary>特困供养.</summary>
    Destitute,

    /// <summary>留守儿童.</summary>
    LeftBehindChild,

    /// <summary>重病患者.</summary>
    SeriouslyIll,
}

/// <summary>What a caller sees of the household register (<see cref="HouseholdAccess.ViewFor"/>).</summary>
public enum HouseholdView
{
    /// <summary>Nothing: administrators, residents.</summary>
    None = 0,

    /// <summary>Buildings, units, rooms and occupancy, no person: volunteers and department liaisons knocking on doors.</summary>
    RoomsOnly,

    /// <summary>Residents with masked names and phones, no ID numbers at all: property companies, grid workers and leaders.</summary>
    WithoutIdNumbers,

    /// <summary>Everything masked (ID numbers too), revealed one resident at a time with a reason: community staff and the operations centre.</summary>
    Masked,
}

/// <summary>Who sees what of the household register, and who keeps and reveals it (PIPL: only the roles that need the data).</summary>
public static class HouseholdAccess
{
    /// <summary>Roles that create, change and import households and may reveal a resident in full (with a reason, audited).</summary>
    public static readonly IReadOnlySet<Role> Keepers = new HashSet<Role> { Role.CommunityStaff, Role.SubdistrictOperator };

    /// <summary>Roles that knock on doors (叮咚敲门) and record visits.</summary>
    public static readonly IReadOnlySet<Role> Visitors = new HashSet<Role>
    {
        Role.MicroGridWorker, Role.GridWorker, Role.GridLeader, Role.DepartmentLiaison, Role.CommunityStaff,
    };

    /// <summary>
    /// Whether holders of <paramref name="roles"/> see a resident's account under its full name where accounts are listed:
    /// the register's keepers (community staff, the operations centre), and the administrators who manage accounts.
    /// Everyone else (property staff, volunteers, grid workers and leaders, liaisons, the district) sees it masked (张**),
    /// as in the register (ADR 0019), and cannot find it by searching a name.
    /// </summary>
    public static bool SeesResidentNames(IEnumerable<Role> roles) =>
        roles.Any(r => Keepers.Contains(r) || Roles.Administrators.Contains(r));

    /// <summary>An account that is a resident's and nobody's at work (a council member who also volunteers is staff).</summary>
    public static bool IsResidentOnly(IReadOnlyCollection<Role> roles) => roles.Count > 0 && roles.All(r => r == Role.Resident);

    /// <summary>The widest view any of <paramref name="roles"/> gives; an administrator role among them gives none.</summary>
    public static HouseholdView ViewFor(IEnumerable<Role> roles)
    {
        var list = roles.ToList();
        if (list.Any(Roles.Administrators.Contains))
        {
            return HouseholdView.None;
        }

        return list.Select(r => r switch
        {
            Role.CommunityStaff or Role.SubdistrictOperator => HouseholdView.Masked,
            Role.PropertyStaff or Role.GridWorker or Role.GridLeader => HouseholdView.WithoutIdNumbers,
            Role.MicroGridWorker or Role.DepartmentLiaison => HouseholdView.RoomsOnly,
            _ => HouseholdView.None,
        }).DefaultIfEmpty(HouseholdView.None).Max();
    }

    public static string ToChinese(this Occupancy occupancy) => occupancy switch
    {
        Occupancy.OwnerOccupied => "自住",
        Occupancy.Rented => "出租",
        Occupancy.Vacant => "空置",
        _ => throw new ArgumentOutOfRangeException(nameof(occupancy), occupancy, null),
    };

    public static string ToChinese(this CareKind kind) => kind switch
    {
        CareKind.LivingAloneElderly => "独居老人",
        CareKind.Disabled => "残疾人",
        CareKind.LowIncome => "低保户",
        CareKind.Destitute => "特困供养",
        CareKind.LeftBehindChild => "留守儿童",
        CareKind.SeriouslyIll => "重病患者",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>
/// The rooms a building's register holds, from its survey (floors and households): each unit (单元) has
/// <see cref="RoomsPerFloor"/> doors a floor (一梯两户, the common layout of the old compounds), and as many units as the
/// households need. A room is written floor then two-digit door, <c>302</c> = 3rd floor, door 2.
/// </summary>
/// <param name="Floors">At least 1.</param>
/// <param name="Units">At least 1.</param>
public sealed record BuildingRooms(int Floors, int Units, int RoomsPerFloor)
{
    public const int DefaultRoomsPerFloor = 2;

    /// <summary>The register of a surveyed building: <paramref name="households"/> spread over units of two doors a floor.</summary>
    public static BuildingRooms Of(int floors, int households)
    {
        var f = Math.Max(1, floors);
        var perUnit = f * DefaultRoomsPerFloor;
        return new BuildingRooms(f, Math.Max(1, (Math.Max(1, households) + perUnit - 1) / perUnit), DefaultRoomsPerFloor);
    }

    /// <summary>Null when unit <paramref name="unit"/>, room <paramref name="room"/> is in the register; else a Chinese reason.</summary>
    public string? Check(int unit, string room)
    {
        if (unit < 1 || unit > Units)
        {
            return $"该楼只有 {Units} 个单元，没有 {unit} 单元。";
        }

        if (!TryParseRoom(room, out var floor, out var door))
        {
            return $"房号“{room}”格式不对，应为楼层加两位门牌，如 302。";
        }

        if (floor < 1 || floor > Floors)
        {
            return $"该楼共 {Floors} 层，没有房号 {room}。";
        }

        return door < 1 || door > RoomsPerFloor ? $"该楼每层每单元 {RoomsPerFloor} 户，没有房号 {room}。" : null;
    }

    /// <summary>The rooms of every unit (each unit has the same), ground floor first: 101, 102, 201…</summary>
    public IEnumerable<string> Rooms() =>
        Enumerable.Range(1, Floors).SelectMany(floor => Enumerable.Range(1, RoomsPerFloor).Select(door => RoomName(floor, door)));

    public static string RoomName(int floor, int door) => $"{floor}{door:D2}";

    /// <summary>Reads 302 as floor 3, door 2; 1201 as floor 12, door 1.</summary>
    public static bool TryParseRoom(string room, out int floor, out int door)
    {
        floor = door = 0;
        if (room.Length is < 3 or > 4 || !room.All(char.IsAsciiDigit) || room[0] == '0')
        {
            return false;
        }

        floor = int.Parse(room[..^2], System.Globalization.CultureInfo.InvariantCulture);
        door = int.Parse(room[^2..], System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }
}
