using CivicGrid.Domain.Cases;
using static CivicGrid.Domain.Tests.Cases.CaseBuilder;

namespace CivicGrid.Domain.Tests.Cases;

/// <summary>Who may act: owner level and above, assignees, reporters, the system — and nobody else.</summary>
public class CasePermissionTests
{
    [Fact]
    public void Accept_ByGridLeaderOfAnotherGrid_IsRefused()
    {
        var subject = ACase().Build();

        Refused.By("case.actor.owner-staff-only", () => subject.Accept(Actors.GridLeaderOf(Codes.SiblingThirdGrid), 0, Now));
    }

    [Fact]
    public void Accept_ByGridWorkerOfTheGrid_IsAllowed()
    {
        var subject = ACase().Build();

        subject.Accept(Actors.GridWorkerOf(Codes.ThirdGrid), 0, Now);

        Assert.Equal(CaseStatus.Accepted, subject.Status);
    }

    [Theory]
    [InlineData(Codes.Community)]
    [InlineData(Codes.Subdistrict)]
    public void Accept_GreenCaseByALevelAbove_IsAllowedAsSupervision(string scopeCode)
    {
        var subject = ACase().Build();
        var above = scopeCode == Codes.Community ? Actors.CommunityStaffOf(scopeCode) : Actors.OperatorOf(scopeCode);

        subject.Accept(above, 0, Now);

        Assert.Equal(CaseStatus.Accepted, subject.Status);
    }

    [Fact]
    public void Accept_YellowCaseByGridLeader_IsRefusedBecauseTheCommunityOwnsIt()
    {
        var subject = ACase().OfTier(CaseTier.Yellow).Build();

        Refused.By("case.actor.owner-staff-only", () => subject.Accept(Actors.GridLeaderOf(Codes.ThirdGrid), 0, Now));
    }

    [Fact]
    public void Accept_ByStaffOfAnotherCommunity_IsRefused()
    {
        var subject = ACase().OfTier(CaseTier.Yellow).Build();

        Refused.By("case.actor.owner-staff-only", () => subject.Accept(Actors.CommunityStaffOf(Codes.OtherCommunity), 0, Now));
    }

    [Fact]
    public void Accept_ByMicroGridWorker_IsRefused()
    {
        var subject = ACase().Build();

        Refused.By("case.actor.owner-staff-only", () => subject.Accept(Actors.MicroGridWorkerOf(Codes.MicroGrid), 0, Now));
    }

    [Fact]
    public void Accept_ByResident_IsRefused()
    {
        var subject = ACase().Build();

        Refused.By("case.actor.owner-staff-only", () => subject.Accept(Actors.Reporter, 0, Now));
    }

    [Fact]
    public void Accept_BySystemAdministrator_IsRefusedBecauseAdministratorsDoNotWorkCases()
    {
        var subject = ACase().Build();

        Refused.By("case.actor.owner-staff-only", () => subject.Accept(Actors.SystemAdmin(), 0, Now));
    }

    [Fact]
    public void Accept_BySystem_IsRefused()
    {
        var subject = ACase().Build();

        Refused.By("case.actor.owner-staff-only", () => subject.Accept(Actor.System, 0, Now));
    }

    [Fact]
    public void ActorCopiedFromSystem_IsNotTheSystem()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();
        var impostor = Actor.System with { DisplayName = "系统" };

        Refused.By("case.actor.system-only",
            () => subject.Escalate(impostor, subject.Version, subject.DueAt!.Value.AddDays(1), "超期", automatic: true));
    }

    [Fact]
    public void StartHandling_ByGridWorkerWhoIsNotTheAssignee_InAnotherGrid_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Assigned).Build();

        Refused.By("case.actor.handler-only", () => subject.StartHandling(Actors.GridWorkerOf(Codes.SiblingThirdGrid), subject.Version, Now));
    }

    [Fact]
    public void StartHandling_ByLiaisonOfAnotherDepartment_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Accepted).Build();
        subject.Assign(Actors.GridLeaderOf(Codes.ThirdGrid), subject.Version, Now, CaseAssignee.Department(Actors.CityManagementId, "区城管执法局"), Now.AddDays(1));

        Refused.By("case.actor.handler-only", () => subject.StartHandling(Actors.LiaisonOf(Guid.NewGuid()), subject.Version, Now));
    }

    [Fact]
    public void StartHandling_ByAnotherUserOfTheAssignedDepartmentWithoutLiaisonRole_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Accepted).Build();
        subject.Assign(Actors.GridLeaderOf(Codes.ThirdGrid), subject.Version, Now, CaseAssignee.Department(Actors.CityManagementId, "区城管执法局"), Now.AddDays(1));
        var sameOrganisationResident = Actors.ANeighbour() with { DepartmentId = Actors.CityManagementId };

        Refused.By("case.actor.handler-only", () => subject.StartHandling(sameOrganisationResident, subject.Version, Now));
    }

    [Fact]
    public void Evaluate_ByResidentOnSomeoneElsesCase_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Verified).Build();

        Refused.By("case.actor.reporter-only", () => subject.Evaluate(Actors.ANeighbour(), subject.Version, Now, 1, "不满意"));
    }

    [Fact]
    public void Evaluate_ByStaff_IsRefusedBecauseTheRatingIsTheResidents()
    {
        var subject = ACase().In(CaseStatus.Verified).Build();

        Refused.By("case.actor.reporter-only", () => subject.Evaluate(Actors.GridLeaderOf(Codes.ThirdGrid), subject.Version, Now, 5, null));
    }

    [Fact]
    public void Verify_ByResidentOnSomeoneElsesCase_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Handled).Build();

        Refused.By("case.actor.owner-staff-or-reporter-only", () => subject.Verify(Actors.ANeighbour(), subject.Version, Now, true, null));
    }

    [Fact]
    public void Reopen_ByResidentOnSomeoneElsesCase_IsRefused()
    {
        var subject = ACase().In(CaseStatus.Evaluated).Build();

        Refused.By("case.actor.owner-staff-or-reporter-only", () => subject.Reopen(Actors.ANeighbour(), subject.Version, Now, "没解决"));
    }

    [Fact]
    public void Reopen_ByOwnerStaff_IsAllowed()
    {
        var subject = ACase().In(CaseStatus.Verified).Build();

        subject.Reopen(Actors.CommunityStaffOf(Codes.Community), subject.Version, Now, "回访发现问题反复");

        Assert.Equal(CaseStatus.InHandling, subject.Status);
    }

    [Fact]
    public void Transfer_ByGridLeaderOfTheTargetGrid_IsRefused()
    {
        var subject = ACase().Build();

        Refused.By("case.actor.owner-staff-only",
            () => subject.Transfer(Actors.GridLeaderOf(Codes.SiblingThirdGrid), 0, Now, Codes.SiblingThirdGrid, "这是我们网格的"));
    }

    [Fact]
    public void Close_RedCaseBySubdistrictOperator_IsRefusedBecauseTheDistrictOwnsIt()
    {
        var subject = ACase().OfTier(CaseTier.Red).In(CaseStatus.Evaluated).Build();

        Refused.By("case.actor.owner-staff-only", () => subject.Close(Actors.OperatorOf(Codes.Subdistrict), subject.Version, Now));
    }

    [Fact]
    public void HandToDistrict_ByCommunityStaff_IsRefused()
    {
        var subject = ACase().OfTier(CaseTier.Red).Build();

        Refused.By("case.actor.subdistrict-or-district-only",
            () => subject.HandToDistrict(Actors.CommunityStaffOf(Codes.Community), 0, Now, Guid.NewGuid()));
    }

    [Fact]
    public void HandToDistrict_ByOperatorOfAnotherSubdistrict_IsRefused()
    {
        var subject = ACase().OfTier(CaseTier.Red).Build();

        Refused.By("case.actor.subdistrict-or-district-only",
            () => subject.HandToDistrict(Actors.OperatorOf("610103098"), 0, Now, Guid.NewGuid()));
    }

    [Fact]
    public void Supervise_ByResident_IsRefused()
    {
        var subject = ACase().In(CaseStatus.InHandling).Build();

        Refused.By("case.actor.higher-level-only", () => subject.Supervise(Actors.Reporter, subject.Version, Now, "快点", Now.AddDays(1)));
    }

    [Fact]
    public void OwnerCode_FollowsTheColour()
    {
        Assert.Equal(Codes.ThirdGrid, CaseRules.OwnerCodeOf(Codes.MicroGrid, CaseTier.Green));
        Assert.Equal("610103099001901", CaseRules.OwnerCodeOf("610103099001901", CaseTier.Green));
        Assert.Equal(Codes.Community, CaseRules.OwnerCodeOf(Codes.MicroGrid, CaseTier.Yellow));
        Assert.Equal(Codes.Subdistrict, CaseRules.OwnerCodeOf(Codes.MicroGrid, CaseTier.Blue));
        Assert.Equal(Codes.District, CaseRules.OwnerCodeOf(Codes.MicroGrid, CaseTier.Red));
    }
}
