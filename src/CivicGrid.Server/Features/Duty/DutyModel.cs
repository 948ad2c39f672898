namespace CivicGrid.Server.Features.Duty;

/// <summary>What a duty post is for: the officer on duty (值班员) takes alerts first, the leader on call (带班领导) when they are not acknowledged.</summary>
public enum DutyPostKind
{
    Officer = 1,
    Leader = 2,
}

/// <summary>A post of a subdistrict's operations centre that is staffed round the clock (城运中心值班员, 带班领导).</summary>
public sealed class DutyPost
{
    public const int MaxNameLength = 50;

    public Guid Id { get; set; }

    /// <summary>The subdistrict (9-digit code) whose operations centre has the post.</summary>
    public string SubdistrictCode { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public DutyPostKind Kind { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// One person on one post from <see cref="StartsAt"/> (inclusive) to <see cref="EndsAt"/> (exclusive). Shifts of a post
/// never overlap (<see cref="DutyRules.FirstOverlap"/>); a cancelled shift is kept, with who cancelled it and why.
/// </summary>
public sealed class DutyShift
{
    /// <summary>The longest shift accepted: two days (a holiday's double shift), so that a typo does not staff a month.</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromHours(48);

    public Guid Id { get; set; }

    public Guid PostId { get; set; }

    public string SubdistrictCode { get; set; } = string.Empty;

    /// <summary>The staff user on duty (a user of the subdistrict or one of its communities).</summary>
    public Guid UserId { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public Guid? CreatedBy { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    public Guid? CancelledBy { get; set; }

    public string? CancelReason { get; set; }

    /// <summary>Grows with every change: an edit based on an older version is refused.</summary>
    public int Version { get; set; }

    public bool IsActive => CancelledAt is null;

    /// <summary>True while the shift is active and <paramref name="at"/> lies in it.</summary>
    public bool Covers(DateTimeOffset at) => IsActive && StartsAt <= at && at < EndsAt;

    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => IsActive && StartsAt < end && start < EndsAt;

    /// <summary>Moves the shift or gives it to someone else; overlaps are the caller's to check (<see cref="DutyRules"/>).</summary>
    public void Change(Guid userId, DateTimeOffset start, DateTimeOffset end)
    {
        if (!IsActive)
        {
            throw new DutyRuleException(DutyRuleException.ShiftCancelled, "该班次已取消，不能再修改。");
        }

        DutyRules.CheckTimes(start, end);
        UserId = userId;
        StartsAt = start;
        EndsAt = end;
        Version++;
    }

    public void Cancel(Guid? by, string reason, DateTimeOffset at)
    {
        if (!IsActive)
        {
            throw new DutyRuleException(DutyRuleException.ShiftCancelled, "该班次已经取消。");
        }

        CancelledAt = at;
        CancelledBy = by;
        CancelReason = reason;
        Version++;
    }
}

/// <summary>A shift to be created: who, from when, until when.</summary>
public sealed record PlannedShift(Guid UserId, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

/// <summary>How a rotation fills each day: a day and a night shift (08:30–17:30, 17:30–08:30), or one 24-hour shift from 08:30.</summary>
public enum ShiftPattern
{
    DayNight = 1,
    FullDay = 2,
}

/// <summary>A rule of the roster was broken; <see cref="Rule"/> names it, <see cref="Exception.Message"/> says it in Chinese.</summary>
public sealed class DutyRuleException(string rule, string chineseMessage) : Exception(chineseMessage)
{
    public const string ShiftOverlaps = "shift-overlaps";
    public const string ShiftTimes = "shift-times";
    public const string ShiftCancelled = "shift-cancelled";
    public const string NoPeople = "no-people";
    public const string AlreadyAcknowledged = "already-acknowledged";
    public const string NotDue = "not-due";

    public string Rule { get; } = rule;
}

/// <summary>The roster's rules: shifts of a post never overlap, and a rotation fills a date range in turn.</summary>
public static class DutyRules
{
    /// <summary>China Standard Time: shifts are planned on the subdistrict's clock.</summary>
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>When the day shift starts (and the full-day shift), Beijing time.</summary>
    public static readonly TimeOnly DayStart = new(8, 30);

    /// <summary>When the day shift ends and the night shift starts, Beijing time.</summary>
    public static readonly TimeOnly NightStart = new(17, 30);

    /// <summary>The longest date range one rotation plans: a quarter.</summary>
    public const int MaxRotationDays = 92;

    /// <summary>Refuses a shift that ends before it starts or lasts longer than <see cref="DutyShift.MaxLength"/>.</summary>
    public static void CheckTimes(DateTimeOffset start, DateTimeOffset end)
    {
        if (end <= start)
        {
            throw new DutyRuleException(DutyRuleException.ShiftTimes, "班次的结束时间必须晚于开始时间。");
        }

        if (end - start > DutyShift.MaxLength)
        {
            throw new DutyRuleException(DutyRuleException.ShiftTimes, "一个班次最长 48 小时，请拆分为多个班次。");
        }
    }

    /// <summary>
    /// The first clash of <paramref name="planned"/> with an active shift of <paramref name="existing"/> (same post) or with
    /// another planned shift; null when none overlaps. Touching ends (one ends at 17:30, the next starts at 17:30) do not overlap.
    /// </summary>
    public static (PlannedShift Planned, DateTimeOffset OtherStart, DateTimeOffset OtherEnd)? FirstOverlap(IEnumerable<DutyShift> existing,
        IReadOnlyList<PlannedShift> planned, Guid? except = null)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(planned);
        var active = existing.Where(s => s.IsActive && s.Id != except).ToList();
        for (var i = 0; i < planned.Count; i++)
        {
            var p = planned[i];
            if (active.FirstOrDefault(s => s.Overlaps(p.StartsAt, p.EndsAt)) is { } clash)
            {
                return (p, clash.StartsAt, clash.EndsAt);
            }

            for (var j = 0; j < i; j++)
            {
                if (planned[j].StartsAt < p.EndsAt && p.StartsAt < planned[j].EndsAt)
                {
                    return (p, planned[j].StartsAt, planned[j].EndsAt);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The shifts of a rotation from <paramref name="from"/> to <paramref name="to"/> (both included, Beijing dates), every
    /// day alike (weekends and holidays are staffed too): the people take the shifts in turn, in the order given.
    /// </summary>
    public static IReadOnlyList<PlannedShift> Rotate(DateOnly from, DateOnly to, IReadOnlyList<Guid> people, ShiftPattern pattern)
    {
        ArgumentNullException.ThrowIfNull(people);
        if (people.Count == 0)
        {
            throw new DutyRuleException(DutyRuleException.NoPeople, "请至少选择一名轮班人员。");
        }

        if (to < from || to.DayNumber - from.DayNumber + 1 > MaxRotationDays)
        {
            throw new DutyRuleException(DutyRuleException.ShiftTimes, $"排班日期范围须从开始日期到结束日期，最长 {MaxRotationDays} 天。");
        }

        var shifts = new List<PlannedShift>();
        var turn = 0;
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var dayStart = At(day, DayStart);
            var nextDayStart = At(day.AddDays(1), DayStart);
            if (pattern == ShiftPattern.FullDay)
            {
                shifts.Add(new PlannedShift(people[turn++ % people.Count], dayStart, nextDayStart));
                continue;
            }

            var nightStart = At(day, NightStart);
            shifts.Add(new PlannedShift(people[turn++ % people.Count], dayStart, nightStart));
            shifts.Add(new PlannedShift(people[turn++ % people.Count], nightStart, nextDayStart));
        }

        return shifts;
    }

    /// <summary>A Beijing wall-clock time as an instant.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time) => new DateTimeOffset(day.ToDateTime(time), Beijing).ToUniversalTime();

    /// <summary>The Beijing date of an instant.</summary>
    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(Beijing).DateTime);

    /// <summary>An instant as Beijing time for messages: 10月2日 02:00.</summary>
    public static string Describe(DateTimeOffset at)
    {
        var local = at.ToOffset(Beijing);
        return $"{local.Month}月{local.Day}日 {local:HH\\:mm}";
    }
}
