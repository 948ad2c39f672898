using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Roster;

namespace CivicGrid.Domain.Tests.Roster;

public class RosterMemberTests
{
    private const string Community = "610103099001";
    private const string Third = "6101030990010101";
    private const string OtherThird = "6101030990010102";
    private const string Micro = "610103099001010101";
    private static readonly DateOnly Joined = new(2026, 1, 5);

    private static RosterMember Member(MemberKind kind) => new(kind, "张建华", "13800001234", AgeBand.From40To59, Community, Joined);

    private static RosterRuleException Broken(Action action) => Assert.Throws<RosterRuleException>(action);

    [Theory]
    [InlineData(MemberKind.MicroVolunteer, GridLevel.Micro, true)]
    [InlineData(MemberKind.MicroVolunteer, GridLevel.Third, false)]
    [InlineData(MemberKind.FullTimeWorker, GridLevel.Third, true)]
    [InlineData(MemberKind.FullTimeWorker, GridLevel.Micro, false)]
    [InlineData(MemberKind.GridLeader, GridLevel.Third, true)]
    [InlineData(MemberKind.GridLeader, GridLevel.Community, false)]
    [InlineData(MemberKind.CommunityCadre, GridLevel.Community, true)]
    [InlineData(MemberKind.CommunityCadre, GridLevel.Micro, false)]
    [InlineData(MemberKind.SunkStaff, GridLevel.Third, true)]
    public void Fits_TellsWhichKindMayWorkWhichLevel(MemberKind kind, GridLevel level, bool fits) => Assert.Equal(fits, RosterKinds.Fits(kind, level));

    [Fact]
    public void Assign_AVolunteerToAThirdLevelGrid_BreaksKindDoesNotFitLevel()
    {
        var member = Member(MemberKind.MicroVolunteer);
        Assert.Equal(RosterRuleException.KindDoesNotFitLevel, Broken(() => member.Assign(Third, GridLevel.Third, Joined)).Rule);
        Assert.Empty(member.Assignments);
    }

    [Fact]
    public void Assign_AGridOfAnotherCommunity_BreaksGridOutsideCommunity()
    {
        var member = Member(MemberKind.FullTimeWorker);
        Assert.Equal(RosterRuleException.GridOutsideCommunity, Broken(() => member.Assign("6101030990020101", GridLevel.Third, Joined)).Rule);
    }

    [Fact]
    public void Assign_TheSameGridTwice_BreaksAlreadyAssigned()
    {
        var member = Member(MemberKind.GridLeader);
        member.Assign(Third, GridLevel.Third, Joined);
        Assert.Equal(RosterRuleException.AlreadyAssigned, Broken(() => member.Assign(Third, GridLevel.Third, Joined.AddDays(3))).Rule);
    }

    [Fact]
    public void EndAssignment_KeepsTheRecord_WithItsEndDate()
    {
        var member = Member(MemberKind.MicroVolunteer);
        var assignment = member.Assign(Micro, GridLevel.Micro, Joined);

        member.EndAssignment(assignment.Id, new DateOnly(2026, 3, 1));

        var kept = Assert.Single(member.Assignments);
        Assert.Equal(new DateOnly(2026, 3, 1), kept.EndOn);
        Assert.Empty(member.OpenAssignments);
        Assert.True(kept.Covers(new DateOnly(2026, 2, 28)));
        Assert.False(kept.Covers(new DateOnly(2026, 3, 1)));
        Assert.Equal(RosterRuleException.AssignmentAlreadyEnded, Broken(() => member.EndAssignment(assignment.Id, new DateOnly(2026, 4, 1))).Rule);
    }

    [Fact]
    public void EndAssignment_BeforeItsStart_BreaksDateBeforeStart()
    {
        var member = Member(MemberKind.FullTimeWorker);
        var assignment = member.Assign(Third, GridLevel.Third, new DateOnly(2026, 2, 1));
        Assert.Equal(RosterRuleException.DateBeforeStart, Broken(() => member.EndAssignment(assignment.Id, new DateOnly(2026, 1, 31))).Rule);
        Assert.Null(assignment.EndOn);
    }

    [Fact]
    public void Move_EndsTheOldAssignment_AndStartsTheNewOne_OnTheSameDay()
    {
        var member = Member(MemberKind.FullTimeWorker);
        var first = member.Assign(Third, GridLevel.Third, Joined);
        var on = new DateOnly(2026, 6, 1);

        var second = member.Move(first.Id, OtherThird, GridLevel.Third, on);

        Assert.Equal(2, member.Assignments.Count);
        Assert.Equal(on, first.EndOn);
        Assert.Equal(on, second.StartOn);
        Assert.Equal([OtherThird], member.GridsOn(on));
        Assert.Equal([Third], member.GridsOn(on.AddDays(-1)));
    }

    [Fact]
    public void Move_ToAGridTheKindDoesNotFit_ChangesNothing()
    {
        var member = Member(MemberKind.FullTimeWorker);
        var first = member.Assign(Third, GridLevel.Third, Joined);

        Assert.Equal(RosterRuleException.KindDoesNotFitLevel, Broken(() => member.Move(first.Id, Micro, GridLevel.Micro, new DateOnly(2026, 6, 1))).Rule);

        Assert.Null(first.EndOn);
        Assert.Single(member.Assignments);
    }

    [Fact]
    public void Leave_EndsEveryOpenAssignment_AndNoNewOneCanStart()
    {
        var member = Member(MemberKind.SunkStaff);
        member.Assign(Third, GridLevel.Third, Joined);
        member.Assign(OtherThird, GridLevel.Third, Joined);
        var on = new DateOnly(2026, 9, 30);

        member.Leave(on);

        Assert.False(member.IsActive);
        Assert.All(member.Assignments, a => Assert.Equal(on, a.EndOn));
        Assert.Equal(RosterRuleException.MemberHasLeft, Broken(() => member.Assign(Community, GridLevel.Community, on)).Rule);
        Assert.Equal(RosterRuleException.MemberHasLeft, Broken(() => member.Leave(on)).Rule);
    }

    [Theory]
    [InlineData(AgeBand.Under40, false)]
    [InlineData(AgeBand.From40To59, false)]
    [InlineData(AgeBand.From60To69, true)]
    [InlineData(AgeBand.From70, true)]
    public void IsElder_From60On(AgeBand band, bool elder) => Assert.Equal(elder, band.IsElder());

    [Fact]
    public void Vacancies_AThirdLevelGridWithoutALeader_AndAMicroGridWithoutAVolunteer()
    {
        var grids = new[]
        {
            (Third, GridLevel.Third, GridKind.Territorial), (OtherThird, GridLevel.Third, GridKind.Territorial), (Micro, GridLevel.Micro, GridKind.Territorial),
            ("610103099001901", GridLevel.Third, GridKind.Dedicated), ("61010309900101", GridLevel.Second, GridKind.Territorial),
        };
        var onDuty = new[] { (Third, MemberKind.GridLeader), (Third, MemberKind.FullTimeWorker), (OtherThird, MemberKind.FullTimeWorker) };

        var vacancies = Vacancies.Find(grids, onDuty);

        // In code order (a micro-grid's code extends its 3rd-level grid's).
        Assert.Equal([Micro, OtherThird], vacancies.Select(v => v.GridCode));
        Assert.Equal([MemberKind.MicroVolunteer], vacancies[0].Missing);
        Assert.Equal([MemberKind.GridLeader], vacancies[1].Missing);
    }
}
