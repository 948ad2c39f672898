using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Cases;
using HouseholdAccess = CivicGrid.Domain.Households.HouseholdAccess;

namespace CivicGrid.Domain.Tests.Cases;

/// <summary>What "already reported nearby" tells the public and staff (security review, issue 21).</summary>
public class DuplicateDisclosureTests
{
    [Theory]
    [InlineData(0, 50)]
    [InlineData(12.4, 50)]
    [InlineData(50, 50)]
    [InlineData(50.2, 100)]
    [InlineData(99, 100)]
    [InlineData(150, 200)]
    [InlineData(201, 500)]
    [InlineData(777, 1_000)]
    [InlineData(1_999, 2_000)]
    [InlineData(2_400, 3_000)]
    public void DistanceFor_ThePublic_IsTheUpperBoundOfItsBand(double metres, int told) =>
        Assert.Equal(told, DuplicateDisclosure.DistanceFor(DuplicateAudience.Public, metres));

    [Fact]
    public void DistanceFor_Staff_IsToTheMetre() =>
        Assert.Equal(63, DuplicateDisclosure.DistanceFor(DuplicateAudience.Staff, 62.6));

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void DistanceFor_ANegativeOrNonFiniteDistance_IsRefused(double metres) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DuplicateDisclosure.DistanceFor(DuplicateAudience.Public, metres));

    /// <summary>Property staff and volunteers see only their own cases (ADR 0026), so nearby cases reach them as they reach the public.</summary>
    [Theory]
    [InlineData(Role.PropertyStaff)]
    [InlineData(Role.MicroGridWorker)]
    public void AudienceOf_PropertyStaffAndVolunteers_IsPublic_EvenWithAResidentsAccount(Role role)
    {
        Assert.Equal(DuplicateAudience.Public, DuplicateDisclosure.AudienceOf([role]));
        Assert.Equal(DuplicateAudience.Public, DuplicateDisclosure.AudienceOf([Role.Resident, role]));
        Assert.Equal(DuplicateAudience.Staff, DuplicateDisclosure.AudienceOf([role, Role.CommunityStaff]));
    }

    [Fact]
    public void AudienceOf_CaseWorkingStaff_IsStaff_ResidentsAdministratorsAndAnonymousArePublic()
    {
        Assert.Equal(DuplicateAudience.Staff, DuplicateDisclosure.AudienceOf([Role.GridWorker]));
        Assert.Equal(DuplicateAudience.Staff, DuplicateDisclosure.AudienceOf([Role.MicroGridWorker, Role.GridWorker]));
        Assert.Equal(DuplicateAudience.Public, DuplicateDisclosure.AudienceOf([]));
        Assert.Equal(DuplicateAudience.Public, DuplicateDisclosure.AudienceOf([Role.Resident]));
        Assert.Equal(DuplicateAudience.Public, DuplicateDisclosure.AudienceOf([Role.SystemAdmin, Role.AuditAdmin]));
    }

    [Fact]
    public void MayShow_ASensitiveCategory_OnlyToStaff()
    {
        var suspicious = StandardCatalogue.Categories().Single(c => c.Code == "G0402");
        var litter = StandardCatalogue.Categories().Single(c => c.Code == "E0101");

        Assert.True(suspicious.IsSensitive);
        Assert.False(DuplicateDisclosure.MayShow(DuplicateAudience.Public, suspicious));
        Assert.True(DuplicateDisclosure.MayShow(DuplicateAudience.Staff, suspicious));
        Assert.True(DuplicateDisclosure.MayShow(DuplicateAudience.Public, litter));
    }

    [Fact]
    public void StandardCatalogue_MarksElderCareDisputesAndSuspiciousPersonsSensitive()
    {
        var sensitive = StandardCatalogue.Categories().Where(c => c.IsSensitive).Select(c => c.Name).ToHashSet();

        Assert.Superset(new HashSet<string> { "老人帮扶", "邻里纠纷", "物业纠纷", "劳资纠纷", "可疑人员" }, sensitive);
        Assert.DoesNotContain("暴露垃圾", sensitive);
    }
}

/// <summary>How far property staff and volunteers reach into residents' names and photos' positions (issue 21).</summary>
public class DataReachTests
{
    [Fact]
    public void SeesResidentNames_OnlyTheRegistersKeepersAndTheAdministrators()
    {
        Assert.True(HouseholdAccess.SeesResidentNames([Role.CommunityStaff]));
        Assert.True(HouseholdAccess.SeesResidentNames([Role.SubdistrictOperator]));
        Assert.True(HouseholdAccess.SeesResidentNames([Role.SecurityAdmin]));
        Assert.False(HouseholdAccess.SeesResidentNames([Role.PropertyStaff]));
        Assert.False(HouseholdAccess.SeesResidentNames([Role.MicroGridWorker, Role.Resident]));
        Assert.False(HouseholdAccess.SeesResidentNames([Role.DistrictViewer]));
    }

    [Fact]
    public void IsResidentOnly_ForAnAccountWithNoRoleAtWork()
    {
        Assert.True(HouseholdAccess.IsResidentOnly([Role.Resident]));
        Assert.False(HouseholdAccess.IsResidentOnly([Role.Resident, Role.MicroGridWorker]));
        Assert.False(HouseholdAccess.IsResidentOnly([]));
    }

    [Fact]
    public void SeesPhotoPositions_OnlyTheRolesThatVerifyReports()
    {
        Assert.True(CaseContentReach.SeesPhotoPositions([Role.GridWorker]));
        Assert.True(CaseContentReach.SeesPhotoPositions([Role.PropertyStaff, Role.CommunityStaff]));
        Assert.False(CaseContentReach.SeesPhotoPositions([Role.PropertyStaff]));
        Assert.False(CaseContentReach.SeesPhotoPositions([Role.MicroGridWorker]));
        Assert.False(CaseContentReach.SeesPhotoPositions([Role.DepartmentLiaison]));
        Assert.False(CaseContentReach.SeesPhotoPositions([]));
    }
}
