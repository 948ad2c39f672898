using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Households;

namespace CivicGrid.Domain.Tests.Households;

public class BuildingRoomsTests
{
    [Fact]
    public void Of_SpreadsTheHouseholdsOverUnitsOfTwoDoorsAFloor()
    {
        Assert.Equal(new BuildingRooms(6, 1, 2), BuildingRooms.Of(6, 12));
        Assert.Equal(new BuildingRooms(6, 2, 2), BuildingRooms.Of(6, 13));
        Assert.Equal(new BuildingRooms(6, 2, 2), BuildingRooms.Of(6, 24));
        Assert.Equal(new BuildingRooms(1, 1, 2), BuildingRooms.Of(0, 0));
    }

    [Theory]
    [InlineData(1, "101")]
    [InlineData(2, "602")]
    [InlineData(1, "302")]
    public void Check_AcceptsARoomOfTheRegister(int unit, string room) => Assert.Null(BuildingRooms.Of(6, 24).Check(unit, room));

    [Theory]
    [InlineData(3, "101", "2 个单元")]
    [InlineData(0, "101", "没有 0 单元")]
    [InlineData(1, "701", "共 6 层")]
    [InlineData(1, "303", "每层每单元 2 户")]
    [InlineData(1, "3-2", "格式不对")]
    [InlineData(1, "0302", "格式不对")]
    public void Check_RefusesARoomNotInTheRegister_InChinese(int unit, string room, string expected) =>
        Assert.Contains(expected, BuildingRooms.Of(6, 24).Check(unit, room), StringComparison.Ordinal);

    [Fact]
    public void Rooms_ListsEveryFloorsDoors_GroundFloorFirst() =>
        Assert.Equal(["101", "102", "201", "202", "301", "302"], BuildingRooms.Of(3, 6).Rooms());

    [Fact]
    public void TryParseRoom_ReadsTallBuildings() =>
        Assert.True(BuildingRooms.TryParseRoom("1201", out var floor, out var door) && floor == 12 && door == 1);
}

public class VisitRulesTests
{
    [Fact]
    public void DistanceMeters_IsTheGreatCircleDistance()
    {
        // 0.001° of latitude is about 111 m anywhere; 0.001° of longitude at Xi'an (34.24° N) about 92 m.
        Assert.InRange(VisitRules.DistanceMeters(108.96, 34.24, 108.96, 34.241), 110.5, 111.7);
        Assert.InRange(VisitRules.DistanceMeters(108.96, 34.24, 108.961, 34.24), 91.5, 92.5);
        Assert.Equal(0, VisitRules.DistanceMeters(108.96, 34.24, 108.96, 34.24));
    }

    [Theory]
    [InlineData(150.0, 10.0, false)]
    [InlineData(250.0, 10.0, true)]
    [InlineData(250.0, 80.0, false)] // the accuracy circle reaches within 200 m
    [InlineData(null, 0.0, false)] // no position: not checked
    public void IsFar_FlagsAPhoneFartherThanTheLimitAfterItsAccuracy(double? distance, double accuracy, bool far) =>
        Assert.Equal(far, VisitRules.IsFar(distance, accuracy, VisitRules.DefaultFarMeters));

    [Theory]
    [InlineData("2026-11-30", "2026-11-30")] // a Monday
    [InlineData("2026-12-06", "2026-11-30")] // the Sunday after
    [InlineData("2026-12-02", "2026-11-30")]
    [InlineData("2027-01-01", "2026-12-28")] // across a year
    public void WeekStart_IsTheMonday(string day, string monday) =>
        Assert.Equal(DateOnly.Parse(monday, System.Globalization.CultureInfo.InvariantCulture), VisitRules.WeekStart(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void WeeklyMinimum_CountsVisitsThatReachedTheHousehold()
    {
        Assert.True(VisitRules.Counts(VisitOutcome.Visited));
        Assert.True(VisitRules.Counts(VisitOutcome.Refused));
        Assert.False(VisitRules.Counts(VisitOutcome.NobodyHome));
        Assert.True(VisitRules.IsBehind(0, VisitRules.DefaultWeeklyMinimum));
        Assert.False(VisitRules.IsBehind(1, VisitRules.DefaultWeeklyMinimum));
        Assert.True(VisitRules.IsBehind(2, 3));
        Assert.False(VisitRules.IsBehind(0, 0));
    }
}

public class HouseholdAccessTests
{
    [Theory]
    [InlineData(Role.CommunityStaff, HouseholdView.Masked)]
    [InlineData(Role.SubdistrictOperator, HouseholdView.Masked)]
    [InlineData(Role.PropertyStaff, HouseholdView.WithoutIdNumbers)]
    [InlineData(Role.GridLeader, HouseholdView.WithoutIdNumbers)]
    [InlineData(Role.MicroGridWorker, HouseholdView.RoomsOnly)]
    [InlineData(Role.DepartmentLiaison, HouseholdView.RoomsOnly)]
    [InlineData(Role.Resident, HouseholdView.None)]
    [InlineData(Role.DistrictViewer, HouseholdView.None)]
    [InlineData(Role.SystemAdmin, HouseholdView.None)]
    [InlineData(Role.AuditAdmin, HouseholdView.None)]
    public void ViewFor_GivesEachRoleWhatItNeeds(Role role, HouseholdView view) => Assert.Equal(view, HouseholdAccess.ViewFor([role]));

    [Fact]
    public void ViewFor_TheWidestOfSeveralRoles_ButNoneWithAnAdministratorRole()
    {
        Assert.Equal(HouseholdView.Masked, HouseholdAccess.ViewFor([Role.MicroGridWorker, Role.CommunityStaff]));
        Assert.Equal(HouseholdView.None, HouseholdAccess.ViewFor([Role.CommunityStaff, Role.SecurityAdmin]));
    }
}
