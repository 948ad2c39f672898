using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Domain.Organisations;

namespace CivicGrid.Domain.Tests.Organisations;

public class OrganisationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);
    private static readonly ScopeNode District = new("610103", GridLevel.District, GridKind.Territorial);
    private static readonly ScopeNode Subdistrict = new("610103099", GridLevel.Subdistrict, GridKind.Territorial);
    private static readonly ScopeNode Neighbour = new("610103098", GridLevel.Subdistrict, GridKind.Territorial);
    private static readonly ScopeNode Community = new("610103099001", GridLevel.Community, GridKind.Territorial);
    private static readonly ScopeNode Third = new("6101030990010101", GridLevel.Third, GridKind.Territorial);
    private static readonly ScopeNode Dedicated = new("610103099001901", GridLevel.Third, GridKind.Dedicated);
    private static readonly CompoundPlace CompoundInCommunity = new(Guid.NewGuid(), "6101030990010001", "610103099001010101");
    private static readonly CompoundPlace CompoundElsewhere = new(Guid.NewGuid(), "6101030990020001", "610103099002010101");

    private static Organisation Department(ScopeNode scope, Organisation? parent = null, string name = "碑林分局") =>
        Organisation.Create("dept-" + Guid.NewGuid().ToString("N")[..6], name, OrganisationKind.Department, scope, "029-87654321", parent, null, false);

    private static void AssertBroken(OrganisationRule rule, Action act) => Assert.Same(rule, Assert.Throws<OrganisationRuleException>(act).Rule);

    [Fact]
    public void Create_DepartmentUnderADistrictDepartment_KeepsItsParentAndPhone()
    {
        var branch = Department(District);
        var station = Department(Subdistrict, branch, "示范街道派出所");

        Assert.Equal(branch.Id, station.ParentId);
        Assert.Equal("029-87654321", station.ContactPhone);
        Assert.True(station.IsActive);
        Assert.False(station.IsRedProperty);
    }

    [Theory]
    [InlineData(OrganisationKind.Department, GridLevel.Community, GridKind.Territorial)]
    [InlineData(OrganisationKind.Department, GridLevel.Third, GridKind.Territorial)]
    [InlineData(OrganisationKind.PropertyCompany, GridLevel.Third, GridKind.Territorial)]
    [InlineData(OrganisationKind.OwnersCommittee, GridLevel.Subdistrict, GridKind.Territorial)]
    [InlineData(OrganisationKind.Alliance, GridLevel.Third, GridKind.Territorial)]
    [InlineData(OrganisationKind.PublicUnit, GridLevel.District, GridKind.Territorial)]
    public void MayServe_RefusesLevelsThatDoNotFitTheKind(OrganisationKind kind, GridLevel level, GridKind gridKind) =>
        Assert.False(OrganisationRules.MayServe(kind, level, gridKind));

    [Theory]
    [InlineData(OrganisationKind.Department, GridLevel.District, GridKind.Territorial)]
    [InlineData(OrganisationKind.PropertyCompany, GridLevel.Community, GridKind.Territorial)]
    [InlineData(OrganisationKind.OwnersCommittee, GridLevel.Third, GridKind.Territorial)]
    [InlineData(OrganisationKind.PublicUnit, GridLevel.Third, GridKind.Dedicated)]
    [InlineData(OrganisationKind.Alliance, GridLevel.Third, GridKind.Dedicated)]
    public void MayServe_AcceptsTheLevelsOfTheKind(OrganisationKind kind, GridLevel level, GridKind gridKind) =>
        Assert.True(OrganisationRules.MayServe(kind, level, gridKind));

    [Fact]
    public void Create_DepartmentAtACommunity_BreaksTheScopeLevelRule() =>
        AssertBroken(OrganisationRules.ScopeLevel, () => Department(Community));

    [Fact]
    public void Create_WithABlankName_BreaksTheNameRule() =>
        AssertBroken(OrganisationRules.NameRequired, () => Department(Subdistrict, name: "  "));

    [Fact]
    public void Create_WithAMalformedCode_BreaksTheCodeRule() =>
        AssertBroken(OrganisationRules.CodeMalformed,
            () => Organisation.Create("派出所 1", "派出所", OrganisationKind.Department, Subdistrict, null, null, null, false));

    [Theory]
    [InlineData("abc")]
    [InlineData("1234")]
    [InlineData("029-8765-4321-x")]
    public void Create_WithAMalformedPhone_BreaksThePhoneRule(string phone) =>
        AssertBroken(OrganisationRules.PhoneMalformed,
            () => Organisation.Create("dept-x", "派出所", OrganisationKind.Department, Subdistrict, phone, null, null, false));

    [Fact]
    public void Create_ParentThatIsNotADepartment_IsRefused()
    {
        var company = Organisation.Create("prop-1", "长安物业", OrganisationKind.PropertyCompany, District, null, null, null, false);
        AssertBroken(OrganisationRules.ParentMustBeDepartment, () => Department(Subdistrict, company));
    }

    [Fact]
    public void Create_NonDepartmentWithAParent_IsRefused()
    {
        var branch = Department(District);
        AssertBroken(OrganisationRules.ParentOnlyForDepartments,
            () => Organisation.Create("unit-1", "东仓门医院", OrganisationKind.PublicUnit, Subdistrict, null, branch, null, false));
    }

    [Fact]
    public void Create_UnderAParentServingAnotherRegion_BreaksTheParentScopeRule()
    {
        var neighbourOffice = Department(Neighbour);
        AssertBroken(OrganisationRules.ParentScope, () => Department(Subdistrict, neighbourOffice));
    }

    [Fact]
    public void Create_UnderARetiredParent_IsRefused()
    {
        var branch = Department(District);
        branch.Retire(Guid.NewGuid(), Now, 0, 0);
        AssertBroken(OrganisationRules.ParentRetired, () => Department(Subdistrict, branch));
    }

    [Fact]
    public void Revise_ParentIsItself_IsRefused()
    {
        var branch = Department(District);
        AssertBroken(OrganisationRules.ParentNotSelf, () => branch.Revise(branch.Name, null, District, branch, null, false, _ => []));
    }

    [Fact]
    public void Revise_ParentBelowItself_BreaksTheCycleRule()
    {
        var top = Department(District);
        var middle = Department(District, top);
        var bottom = Department(District, middle);
        var parents = new Dictionary<Guid, Guid?> { [top.Id] = null, [middle.Id] = top.Id, [bottom.Id] = middle.Id };
        IEnumerable<Guid> Ancestors(Organisation o)
        {
            for (var next = parents[o.Id]; next is { } id; next = parents[id])
            {
                yield return id;
            }
        }

        AssertBroken(OrganisationRules.ParentCycle, () => top.Revise(top.Name, null, District, bottom, null, false, Ancestors));
        Assert.Null(top.ParentId);
    }

    [Fact]
    public void OwnersCommittee_WithoutACompound_IsRefused() =>
        AssertBroken(OrganisationRules.CompoundRequired,
            () => Organisation.Create("oc-1", "兴庆苑业主委员会", OrganisationKind.OwnersCommittee, Community, null, null, null, false));

    [Fact]
    public void OwnersCommittee_WithACompoundOutsideItsScope_IsRefused() =>
        AssertBroken(OrganisationRules.CompoundOutsideScope,
            () => Organisation.Create("oc-1", "兴庆苑业主委员会", OrganisationKind.OwnersCommittee, Community, null, null, CompoundElsewhere, false));

    [Fact]
    public void OwnersCommittee_WithItsCompound_BelongsToIt()
    {
        var committee = Organisation.Create("oc-1", "兴庆苑业主委员会", OrganisationKind.OwnersCommittee, Third with { Code = "6101030990010101" }, null, null,
            CompoundInCommunity, false);
        Assert.Equal(CompoundInCommunity.Id, committee.CompoundId);
    }

    [Fact]
    public void CompoundOnAnotherKind_IsRefused() =>
        AssertBroken(OrganisationRules.CompoundOnlyForOwnersCommittees,
            () => Organisation.Create("ally-1", "长乐路商圈联盟", OrganisationKind.Alliance, Community, null, null, CompoundInCommunity, false));

    [Fact]
    public void RedProperty_OnlyForPropertyCompanies()
    {
        var red = Organisation.Create("prop-1", "碑林红色物业服务中心", OrganisationKind.PropertyCompany, Subdistrict, null, null, null, true);
        Assert.True(red.IsRedProperty);
        AssertBroken(OrganisationRules.RedPropertyOnlyForPropertyCompanies,
            () => Organisation.Create("unit-1", "东仓门医院", OrganisationKind.PublicUnit, Dedicated, null, null, null, true));
    }

    [Fact]
    public void Retire_ThenReinstate_PutsItBackInService()
    {
        var station = Department(Subdistrict);
        var by = Guid.NewGuid();

        station.Retire(by, Now, 0, 0);
        Assert.False(station.IsActive);
        Assert.Equal(Now, station.RetiredAt);
        Assert.Equal(by, station.RetiredBy);
        AssertBroken(OrganisationRules.AlreadyRetired, () => station.Retire(by, Now, 0, 0));
        AssertBroken(OrganisationRules.Retired, () => station.Revise("新名称", null, Subdistrict, null, null, false, _ => []));
        AssertBroken(OrganisationRules.Retired, station.EnsureInService);

        station.Reinstate(null);
        Assert.True(station.IsActive);
        Assert.Null(station.RetiredAt);
        AssertBroken(OrganisationRules.NotRetired, () => station.Reinstate(null));
    }

    [Fact]
    public void Retire_WithActiveChildrenOrServedCompounds_IsRefused()
    {
        AssertBroken(OrganisationRules.RetireWithActiveChildren, () => Department(District).Retire(Guid.NewGuid(), Now, 1, 0));
        var company = Organisation.Create("prop-1", "长安物业", OrganisationKind.PropertyCompany, Subdistrict, null, null, null, false);
        AssertBroken(OrganisationRules.RetireWithCompounds, () => company.Retire(Guid.NewGuid(), Now, 0, 3));
        Assert.True(company.IsActive);
    }

    [Fact]
    public void Reinstate_UnderARetiredParent_IsRefused()
    {
        var branch = Department(District);
        var station = Department(Subdistrict, branch);
        station.Retire(Guid.NewGuid(), Now, 0, 0);
        branch.Retire(Guid.NewGuid(), Now, 0, 0);

        AssertBroken(OrganisationRules.ParentRetired, () => station.Reinstate(branch));
        Assert.False(station.IsActive);
    }

    [Fact]
    public void GenerateCode_TakesTheFirstFreeNumberOfTheKindAndScope()
    {
        var taken = new HashSet<string> { "dept-610103099-01", "dept-610103099-02" };
        Assert.Equal("dept-610103099-03", OrganisationRules.GenerateCode(OrganisationKind.Department, "610103099", taken.Contains));
        Assert.Equal("oc-610103099001-01", OrganisationRules.GenerateCode(OrganisationKind.OwnersCommittee, "610103099001", taken.Contains));
        Assert.True(OrganisationRules.IsWellFormedCode(OrganisationRules.GenerateCode(OrganisationKind.Alliance, "610103099001901", _ => false)));
    }

    [Fact]
    public void EveryRule_HasAUniqueName_AndAChineseMessage()
    {
        Assert.Equal(OrganisationRules.All.Count, OrganisationRules.All.Select(r => r.Name).Distinct().Count());
        Assert.All(OrganisationRules.All, r => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", r.ChineseMessage));
    }
}

public class LiaisonAttachmentTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 12, 6);
    private static readonly ScopeNode Subdistrict = new("610103099", GridLevel.Subdistrict, GridKind.Territorial);
    private static readonly ScopeNode Third = new("6101030990010101", GridLevel.Third, GridKind.Territorial);

    private static readonly Organisation Police =
        Organisation.Create("dept-police", "示范街道派出所", OrganisationKind.Department, Subdistrict, null, null, null, false);

    private static UserAccount Liaison(Organisation? department = null, Role role = Role.DepartmentLiaison, string scope = "610103099") =>
        new("police01", "张警官", [role], scope, Now) { OrganisationId = (department ?? Police).Id };

    private static void AssertBroken(OrganisationRule rule, Action act) => Assert.Same(rule, Assert.Throws<OrganisationRuleException>(act).Rule);

    [Fact]
    public void Attach_ALiaisonToAThirdLevelGrid_IsCurrentFromItsFirstDay()
    {
        var attachment = LiaisonAttachment.Attach(Liaison(), Police, Third, Today, null, Now);

        Assert.Equal(Third.Code, attachment.GridCode);
        Assert.Equal(Police.Id, attachment.DepartmentId);
        Assert.True(attachment.IsCurrentOn(Today));
        Assert.False(attachment.IsCurrentOn(Today.AddDays(-1)));
    }

    [Fact]
    public void Attach_ToACommunityOrMicroGrid_BreaksTheGridLevelRule()
    {
        AssertBroken(OrganisationRules.LiaisonGridLevel,
            () => LiaisonAttachment.Attach(Liaison(), Police, new ScopeNode("610103099001", GridLevel.Community, GridKind.Territorial), Today, null, Now));
        AssertBroken(OrganisationRules.LiaisonGridLevel,
            () => LiaisonAttachment.Attach(Liaison(), Police, new ScopeNode("610103099001010101", GridLevel.Micro, GridKind.Territorial), Today, null, Now));
    }

    [Fact]
    public void Attach_OutsideTheLiaisonsScope_IsRefused() =>
        AssertBroken(OrganisationRules.LiaisonGridOutsideScope,
            () => LiaisonAttachment.Attach(Liaison(scope: "610103099002"), Police, Third, Today, null, Now));

    [Fact]
    public void Attach_SomeoneWhoIsNotALiaisonOfTheDepartment_IsRefused()
    {
        var other = Organisation.Create("dept-fire", "消防站", OrganisationKind.Department, Subdistrict, null, null, null, false);
        AssertBroken(OrganisationRules.LiaisonRole, () => LiaisonAttachment.Attach(Liaison(role: Role.GridWorker), Police, Third, Today, null, Now));
        AssertBroken(OrganisationRules.LiaisonDepartment, () => LiaisonAttachment.Attach(Liaison(other), Police, Third, Today, null, Now));
    }

    [Fact]
    public void Attach_ForARetiredDepartmentOrAnotherKind_IsRefused()
    {
        var retired = Organisation.Create("dept-old", "旧部门", OrganisationKind.Department, Subdistrict, null, null, null, false);
        retired.Retire(Guid.NewGuid(), Now, 0, 0);
        AssertBroken(OrganisationRules.Retired, () => LiaisonAttachment.Attach(Liaison(retired), retired, Third, Today, null, Now));
        var unit = Organisation.Create("unit-1", "东仓门医院", OrganisationKind.PublicUnit, Subdistrict, null, null, null, false);
        AssertBroken(OrganisationRules.LiaisonNotDepartment, () => LiaisonAttachment.Attach(Liaison(unit), unit, Third, Today, null, Now));
    }

    [Fact]
    public void Plan_EndsGridsNoLongerWanted_StartsNewOnes_AndLeavesOthersAlone()
    {
        var liaison = Liaison();
        var kept = LiaisonAttachment.Attach(liaison, Police, Third, Today.AddDays(-30), null, Now);
        var dropped = LiaisonAttachment.Attach(liaison, Police, Third with { Code = "6101030990010102" }, Today.AddDays(-30), null, Now);
        var elsewhere = LiaisonAttachment.Attach(liaison, Police, Third with { Code = "6101030990020101" }, Today.AddDays(-30), null, Now);
        var ended = LiaisonAttachment.Attach(liaison, Police, Third with { Code = "6101030990010103" }, Today.AddDays(-90), null, Now);
        ended.End(Today.AddDays(-60));

        var (toEnd, toStart) = LiaisonAttachment.Plan([kept, dropped, elsewhere, ended], ["6101030990010101", "6101030990010103"], Today,
            code => code.StartsWith("610103099001", StringComparison.Ordinal));

        Assert.Equal([dropped], toEnd);
        Assert.Equal(["6101030990010103"], toStart);
    }

    [Fact]
    public void End_KeepsTheHistory_AndNeverEndsBeforeItStarted()
    {
        var attachment = LiaisonAttachment.Attach(Liaison(), Police, Third, Today, null, Now);
        attachment.End(Today.AddDays(-1));
        Assert.Equal(Today, attachment.EndsOn);
        Assert.True(attachment.IsCurrentOn(Today));
        Assert.False(attachment.IsCurrentOn(Today.AddDays(1)));
    }
}
