using CivicGrid.Server.Features.Duty;

namespace CivicGrid.Server.Tests.Unit;

/// <summary>The roster's rules without a database: overlapping shifts of a post, rotations, and an alert's states.</summary>
public sealed class DutyRulesTests
{
    private static readonly Guid Zhang = Guid.NewGuid();
    private static readonly Guid Li = Guid.NewGuid();
    private static readonly Guid Wang = Guid.NewGuid();
    private static readonly DateOnly Day = new(2026, 10, 1);

    private static DutyShift Existing(DateTimeOffset start, DateTimeOffset end) =>
        new() { Id = Guid.NewGuid(), PostId = Guid.NewGuid(), UserId = Zhang, StartsAt = start, EndsAt = end };

    [Fact]
    public void FirstOverlap_WhenAPlannedShiftCutsIntoAnExistingOne_NamesTheExistingOne()
    {
        var night = Existing(DutyRules.At(Day, new TimeOnly(17, 30)), DutyRules.At(Day.AddDays(1), new TimeOnly(8, 30)));
        var clash = DutyRules.FirstOverlap([night], [new PlannedShift(Li, DutyRules.At(Day, new TimeOnly(20, 0)), DutyRules.At(Day, new TimeOnly(23, 0)))]);
        Assert.NotNull(clash);
        Assert.Equal(night.StartsAt, clash.Value.OtherStart);
    }

    [Fact]
    public void FirstOverlap_ForShiftsThatOnlyTouch_IsNone()
    {
        var day = Existing(DutyRules.At(Day, DutyRules.DayStart), DutyRules.At(Day, DutyRules.NightStart));
        Assert.Null(DutyRules.FirstOverlap([day], [new PlannedShift(Li, day.EndsAt, day.EndsAt.AddHours(15))]));
        Assert.Null(DutyRules.FirstOverlap([day], [new PlannedShift(Li, day.StartsAt.AddHours(-15), day.StartsAt)]));
    }

    [Fact]
    public void FirstOverlap_IgnoresCancelledShifts_AndTheShiftBeingMoved()
    {
        var shift = Existing(DutyRules.At(Day, DutyRules.DayStart), DutyRules.At(Day, DutyRules.NightStart));
        var moved = new PlannedShift(Zhang, shift.StartsAt.AddHours(1), shift.EndsAt.AddHours(1));
        Assert.Null(DutyRules.FirstOverlap([shift], [moved], except: shift.Id));
        shift.Cancel(null, "调休", shift.StartsAt);
        Assert.Null(DutyRules.FirstOverlap([shift], [moved]));
    }

    [Fact]
    public void FirstOverlap_FindsClashesAmongThePlannedShiftsThemselves()
    {
        var start = DutyRules.At(Day, DutyRules.DayStart);
        Assert.NotNull(DutyRules.FirstOverlap([], [new PlannedShift(Li, start, start.AddHours(9)), new PlannedShift(Wang, start.AddHours(8), start.AddHours(12))]));
    }

    [Fact]
    public void Rotate_DayNight_StaffsEveryDayIncludingHolidays_InTurn_WithoutGaps()
    {
        var shifts = DutyRules.Rotate(Day, Day.AddDays(6), [Zhang, Li, Wang], ShiftPattern.DayNight);

        Assert.Equal(14, shifts.Count);
        Assert.Equal([Zhang, Li, Wang, Zhang], shifts.Take(4).Select(s => s.UserId));
        Assert.Equal(DutyRules.At(Day, new TimeOnly(8, 30)), shifts[0].StartsAt);
        Assert.Equal(DutyRules.At(Day, new TimeOnly(17, 30)), shifts[0].EndsAt);
        Assert.Equal(DutyRules.At(Day.AddDays(1), new TimeOnly(8, 30)), shifts[1].EndsAt);
        for (var k = 1; k < shifts.Count; k++)
        {
            Assert.Equal(shifts[k - 1].EndsAt, shifts[k].StartsAt);
        }

        Assert.Null(DutyRules.FirstOverlap([], shifts));
    }

    [Fact]
    public void Rotate_FullDay_GivesOne24HourShiftADay()
    {
        var shifts = DutyRules.Rotate(Day, Day.AddDays(3), [Zhang, Li], ShiftPattern.FullDay);
        Assert.Equal(4, shifts.Count);
        Assert.All(shifts, s => Assert.Equal(TimeSpan.FromDays(1), s.EndsAt - s.StartsAt));
        Assert.Equal([Zhang, Li, Zhang, Li], shifts.Select(s => s.UserId));
    }

    [Fact]
    public void Rotate_WithNobody_OrABackwardOrTooLongRange_IsRefused()
    {
        Assert.Equal(DutyRuleException.NoPeople, Assert.Throws<DutyRuleException>(() => DutyRules.Rotate(Day, Day, [], ShiftPattern.DayNight)).Rule);
        Assert.Equal(DutyRuleException.ShiftTimes, Assert.Throws<DutyRuleException>(() => DutyRules.Rotate(Day, Day.AddDays(-1), [Li], ShiftPattern.DayNight)).Rule);
        Assert.Throws<DutyRuleException>(() => DutyRules.Rotate(Day, Day.AddDays(DutyRules.MaxRotationDays), [Li], ShiftPattern.DayNight));
    }

    [Fact]
    public void CheckTimes_RefusesAnEndBeforeTheStart_AndAShiftOverTwoDays()
    {
        var start = DutyRules.At(Day, DutyRules.DayStart);
        Assert.Throws<DutyRuleException>(() => DutyRules.CheckTimes(start, start));
        Assert.Throws<DutyRuleException>(() => DutyRules.CheckTimes(start, start.AddHours(49)));
        DutyRules.CheckTimes(start, start.AddHours(48));
    }

    [Fact]
    public void Alert_EscalatesOnlyWhenOpenAndDue_AndAnEscalatedAlertCanStillBeAcknowledged()
    {
        var raised = DutyRules.At(Day, new TimeOnly(2, 0));
        var alert = new DutyAlert { RaisedAt = raised, AcknowledgeBy = raised.AddMinutes(10) };

        Assert.Equal(DutyRuleException.NotDue,
            Assert.Throws<DutyRuleException>(() => alert.Escalate(DutyAlertAudience.Leader, Li, "升级", raised.AddMinutes(9))).Rule);
        alert.Escalate(DutyAlertAudience.Leader, Li, "升级", raised.AddMinutes(10));
        Assert.Equal((DutyAlertState.Escalated, 1), (alert.State, alert.Version));
        Assert.Throws<DutyRuleException>(() => alert.Escalate(DutyAlertAudience.Leader, Li, "升级", raised.AddMinutes(11)));

        alert.Acknowledge(Li, raised.AddMinutes(12));
        Assert.Equal(DutyAlertState.Acknowledged, alert.State);
        Assert.Equal(DutyRuleException.AlreadyAcknowledged, Assert.Throws<DutyRuleException>(() => alert.Acknowledge(Li, raised.AddMinutes(13))).Rule);
    }
}
